// Trusted documents: a server started with `--trusted-documents gen/manifest.json`, the
// manifest written by @apollo/generate-persisted-query-manifest from operations/. Apollo
// Client 4 sends hash-only requests of its operations (PersistedQueryLink) and they run at
// once; a document the manifest lacks is refused, also when the whole text is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { TRUSTED_URL, MANIFEST, operations, sha256, post, codeOf } from './common.mjs';

const skip = !TRUSTED_URL && 'SG_TRUSTED_URL is not set';

function recordingFetch() {
  const calls = [];
  const fetchFn = async (url, init = {}) => {
    const res = await fetch(url, init);
    const text = await res.text();
    calls.push({ method: init.method ?? 'GET', body: init.body ? JSON.parse(init.body) : null, status: res.status });
    return new Response(text, { status: res.status, headers: res.headers });
  };
  return { calls, fetchFn };
}

test('Apollo Client runs manifest operations hash-only, GET and POST, with no fallback request', { skip }, async () => {
  for (const useGETForHashedQueries of [false, true]) {
    const { calls, fetchFn } = recordingFetch();
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        new PersistedQueryLink({ sha256, useGETForHashedQueries }),
        new HttpLink({ uri: TRUSTED_URL, fetch: fetchFn }),
      ]),
    });
    const { data, error } = await client.query({
      query: gql(operations('role-gap.graphql')),
      variables: { from: { role: 'software-engineer' }, to: 'ai-engineer' },
    });
    assert.equal(error, undefined);
    assert.equal(data.roleGap.role.id, 'ai-engineer');
    assert.equal(calls.length, 1, JSON.stringify(calls));
    assert.equal(calls[0].method, useGETForHashedQueries ? 'GET' : 'POST');
    assert.equal(calls[0].body?.query, undefined, 'the document was sent');
  }
});

test('the manifest hashes are what the server recomputes; each operation runs by id', { skip }, async () => {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  assert.equal(manifest.format, 'apollo-persisted-query-manifest');
  const variables = {
    Gap: { from: { role: 'software-engineer' }, to: 'ai-engineer' },
    Match: { profile: { skills: [{ skill: 'python', level: 3 }] } },
    PlanToRag: { to: { skills: [{ skill: 'rag', level: 3 }] } },
    SkillDetail: { id: 'rag' },
    SkillsPage: { first: 3 },
  };
  for (const op of manifest.operations) {
    assert.equal(op.id, sha256(op.body));
    const res = await post(
      { operationName: op.name, variables: variables[op.name], extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } },
      { url: TRUSTED_URL },
    );
    assert.equal(res.status, 200, `${op.name}: ${JSON.stringify(res.json)}`);
    assert.equal(res.json.errors, undefined, `${op.name}: ${JSON.stringify(res.json.errors)}`);
  }
});

test('other documents are refused: DOCUMENT_NOT_TRUSTED for a text, PERSISTED_QUERY_NOT_FOUND for a hash', { skip }, async () => {
  const text = await post({ query: '{ stats { skills } }' }, { url: TRUSTED_URL });
  // A request error: 400 with application/graphql-response+json, as for other refused documents.
  assert.equal(text.status, 400);
  assert.ok(!('data' in text.json));
  assert.equal(codeOf(text.json.errors[0]), 'DOCUMENT_NOT_TRUSTED');
  const hash = await post(
    { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ stats { skills } }') } } },
    { url: TRUSTED_URL },
  );
  assert.equal(codeOf(hash.json.errors[0]), 'PERSISTED_QUERY_NOT_FOUND');
  // APQ cannot register new documents on a trusted server.
  const register = await post(
    { query: '{ stats { skills } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ stats { skills } }') } } },
    { url: TRUSTED_URL },
  );
  assert.ok(register.json.errors?.length, 'a document was registered');
  const after = await post(
    { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ stats { skills } }') } } },
    { url: TRUSTED_URL },
  );
  assert.equal(codeOf(after.json.errors[0]), 'PERSISTED_QUERY_NOT_FOUND');
});
