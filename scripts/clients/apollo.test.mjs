// Apollo Client 4 (run with `node --conditions=development` so it logs what it would in a
// developer's browser): a nullable field whose argument is refused comes back as null with
// the error beside it and no "Missing field" warning; automatic persisted queries fall back
// and then go hash-only, by POST and by GET.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { URL_, CLOSED_URL, sha256, codeOf } from './common.mjs';

loadDevMessages();
loadErrorMessages();

/** Runs `fn` and returns what Apollo wrote to the console meanwhile. */
async function consoleDuring(fn) {
  const logged = [];
  const saved = {};
  for (const level of ['log', 'warn', 'error', 'debug', 'info']) {
    saved[level] = console[level];
    console[level] = (...args) => logged.push(`${level}: ${args.map(String).join(' ')}`);
  }
  try {
    return { result: await fn(), logged };
  } finally {
    Object.assign(console, saved);
  }
}

/** A fetch that records each request's method, body/query string and the answer's codes. */
function recordingFetch(mangle) {
  const calls = [];
  const fetchFn = async (url, init = {}) => {
    const res = await fetch(url, init);
    const json = await res.json();
    calls.push({
      method: init.method ?? 'GET',
      url: String(url),
      body: init.body ? JSON.parse(init.body) : null,
      status: res.status,
      codes: (json.errors ?? []).map(codeOf),
    });
    const out = mangle ? mangle(json) : json;
    return new Response(JSON.stringify(out), { status: res.status, headers: res.headers });
  };
  return { calls, fetchFn };
}

const BAD_ARG = gql`
  query BadArgument {
    stats { skills }
    skill(id: "Not A Valid Id!") { id name }
  }
`;

function apollo(link) {
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

test('a refused argument of a nullable field: null in data, the error with its code, no "Missing field"', async () => {
  const { fetchFn, calls } = recordingFetch();
  const client = apollo(new HttpLink({ uri: URL_, fetch: fetchFn }));
  const { result, logged } = await consoleDuring(() => client.query({ query: BAD_ARG, errorPolicy: 'all' }));
  assert.equal(calls.length, 1);
  assert.ok(result.data, 'no data');
  assert.equal(result.data.skill, null);
  assert.equal(typeof result.data.stats.skills, 'number');
  assert.ok(CombinedGraphQLErrors.is(result.error), `error: ${result.error}`);
  assert.equal(codeOf(result.error.errors[0]), 'INVALID_INPUT');
  assert.deepEqual(result.error.errors[0].path, ['skill']);
  assert.deepEqual(logged.filter((l) => /Missing field/i.test(l)), []);
});

test('control: the same query with `skill` left out of the answer does log "Missing field"', async () => {
  // Proves the check above can fail: this is what clients saw when the server left it out.
  const { fetchFn } = recordingFetch((json) => {
    delete json.data.skill;
    return json;
  });
  const client = apollo(new HttpLink({ uri: URL_, fetch: fetchFn }));
  const { logged } = await consoleDuring(() => client.query({ query: BAD_ARG, errorPolicy: 'all' }));
  assert.ok(logged.some((l) => /Missing field/i.test(l)), `logged: ${logged.join('\n')}`);
});

test('a refused argument with the default errorPolicy: the query rejects with the code', async () => {
  const client = apollo(new HttpLink({ uri: URL_ }));
  const { result, logged } = await consoleDuring(() =>
    client.query({ query: BAD_ARG }).then(
      (r) => r,
      (e) => ({ thrown: e }),
    ),
  );
  const error = result.thrown ?? result.error;
  assert.ok(CombinedGraphQLErrors.is(error), `got ${JSON.stringify(result)}`);
  assert.equal(codeOf(error.errors[0]), 'INVALID_INPUT');
  assert.deepEqual(logged.filter((l) => /Missing field/i.test(l)), []);
});

test('validation and limit failures reach Apollo as CombinedGraphQLErrors with their codes, not as a ServerError', async () => {
  const client = apollo(new HttpLink({ uri: URL_ }));
  for (const [query, code] of [
    ['query V1 { stats { noSuchField } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['query V2($n: Int!) { skills(first: $n) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['query V3 { skills(first: 5000) { totalCount } }', 'LIMIT_EXCEEDED'],
  ]) {
    const result = await client.query({ query: gql(query), errorPolicy: 'all' }).catch((error) => ({ error }));
    assert.ok(CombinedGraphQLErrors.is(result.error), `${query}: ${result.error}`);
    assert.equal(codeOf(result.error.errors[0]), code, query);
  }
});

for (const useGETForHashedQueries of [false, true]) {
  test(`persisted queries (useGETForHashedQueries: ${useGETForHashedQueries}): miss, retry with the document, then hash-only`, async () => {
    // A query no other check sends, so the server has not seen its hash yet.
    const query = gql`
      query Apq${useGETForHashedQueries ? 'Get' : 'Post'}${Date.now()} { levels { level name } }
    `;
    const { fetchFn, calls } = recordingFetch();
    const link = () =>
      ApolloLink.from([
        new PersistedQueryLink({ sha256, useGETForHashedQueries }),
        new HttpLink({ uri: URL_, fetch: fetchFn }),
      ]);
    const first = await apollo(link()).query({ query });
    assert.equal(first.data.levels.length, 5);
    const method = useGETForHashedQueries ? 'GET' : 'POST';
    assert.equal(calls.length, 2, JSON.stringify(calls));
    assert.equal(calls[0].method, method);
    assert.deepEqual(calls[0].codes, ['PERSISTED_QUERY_NOT_FOUND']);
    const firstDoc = calls[0].body?.query ?? new URL(calls[0].url).searchParams.get('query');
    assert.equal(firstDoc, null, 'the first request sent the document');
    assert.equal(calls[1].method, 'POST');
    assert.ok(calls[1].body.query, 'the retry has no document');
    assert.deepEqual(calls[1].codes, []);
    // A fresh client (a new page load): one request, hash only.
    calls.length = 0;
    const again = await apollo(link()).query({ query });
    assert.deepEqual(again.data, first.data);
    assert.equal(calls.length, 1, JSON.stringify(calls));
    assert.equal(calls[0].method, method);
    assert.equal(calls[0].status, 200);
    assert.deepEqual(calls[0].codes, []);
    if (useGETForHashedQueries) {
      const params = new URL(calls[0].url).searchParams;
      assert.equal(params.get('query'), null);
      assert.match(params.get('extensions'), /persistedQuery/);
    } else {
      assert.equal(calls[0].body.query, undefined);
    }
  });
}

test('--no-persisted-queries: PERSISTED_QUERY_NOT_SUPPORTED, and the link falls back to documents for good', { skip: !CLOSED_URL }, async () => {
  const { fetchFn, calls } = recordingFetch();
  const client = apollo(
    ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: CLOSED_URL, fetch: fetchFn })]),
  );
  const first = await client.query({ query: gql`query NoApq1 { stats { skills } }` });
  assert.ok(first.data.stats.skills > 0);
  assert.equal(calls.length, 2, JSON.stringify(calls));
  assert.deepEqual(calls[0].codes, ['PERSISTED_QUERY_NOT_SUPPORTED']);
  assert.ok(calls[1].body.query);
  calls.length = 0;
  await client.query({ query: gql`query NoApq2 { levels { level } }` });
  assert.equal(calls.length, 1, JSON.stringify(calls));
  assert.ok(calls[0].body.query, 'the link still sent a hash only');
  assert.deepEqual(calls[0].codes, []);
});
