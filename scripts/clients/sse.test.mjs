// graphql-sse 2 (distinct connections mode, the client's default) against /graphql itself: a
// graphChanged subscription and the write it reports, the admin token in the Authorization
// header, a query as one result, error codes (validation, limits, trusted documents) as results,
// and the same stream by GET with query parameters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-sse';
import { URL_, TOKEN, TIGHT_URL, TRUSTED_URL, MANIFEST, operations, codeOf } from './common.mjs';

const clients = [];
function client({ token, url = URL_, on } = {}) {
  const c = createClient({
    url,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    on,
  });
  clients.push(c);
  return c;
}
after(() => clients.forEach((c) => c.dispose()));

/** Every result of an operation, once it completes; or the error the sink got. */
function results(c, payload) {
  return new Promise((resolve) => {
    const got = [];
    c.subscribe(payload, {
      next: (value) => got.push(value),
      error: (error) => resolve({ error }),
      complete: () => resolve({ results: got }),
    });
  });
}

/** The one result of a query or mutation. */
async function once(c, payload) {
  const { results: got, error } = await results(c, payload);
  assert.equal(error, undefined, `the stream failed: ${error}`);
  assert.equal(got.length, 1, JSON.stringify(got));
  return got[0];
}

const WRITE = 'mutation Tag($tags: [String!]) { updateSkill(id: "git", input: { tags: $tags }) { id tags } }';

test('a graphChanged subscription over SSE reports a write made as soon as the stream is open', async () => {
  let resolveEvent;
  const event = new Promise((r) => (resolveEvent = r));
  let resolveOpen;
  const open = new Promise((r) => (resolveOpen = r));
  // `connected` fires when the response arrives; the server listens before it answers, so the
  // first write after it is reported (no retry loop, unlike over WebSocket).
  const watcher = client({ on: { connected: () => resolveOpen() } });
  const dispose = watcher.subscribe(
    { query: operations('changes.graphql'), operationName: 'Changes' },
    {
      next: ({ data, errors }) => {
        if (errors) return resolveEvent({ errors });
        if (data.graphChanged.ids.includes('git')) resolveEvent(data.graphChanged);
      },
      error: (error) => resolveEvent({ error }),
      complete: () => resolveEvent({ error: 'completed' }),
    },
  );
  await open;
  const admin = client({ token: TOKEN });
  const before = await once(admin, { query: '{ stats { revision } skill(id: "git") { tags } }' });
  const tags = [...before.data.skill.tags, 'sse-checked'];
  const written = await once(admin, { query: WRITE, variables: { tags } });
  assert.equal(written.errors, undefined, JSON.stringify(written.errors));
  assert.deepEqual(written.data.updateSkill.tags, tags);
  // The answer names the revision the write produced.
  assert.equal(written.extensions.revision, before.data.stats.revision + 1);
  let timer;
  const timeout = new Promise((r) => (timer = setTimeout(() => r({ error: 'no event in 5 s' }), 5000)));
  const got = await Promise.race([event, timeout]);
  clearTimeout(timer);
  assert.equal(got.error, undefined, String(got.error));
  assert.equal(got.errors, undefined, JSON.stringify(got.errors));
  assert.equal(got.kind, 'SKILL_UPDATED');
  assert.equal(got.revision, before.data.stats.revision + 1);
  dispose();
  await once(admin, { query: WRITE, variables: { tags: before.data.skill.tags } });
});

test('a mutation over SSE without the token, or with a wrong one, is UNAUTHENTICATED', async () => {
  for (const token of [undefined, 'wrong-token-wrong-token']) {
    const result = await once(client({ token }), { query: WRITE, variables: { tags: ['x'] } });
    assert.equal(codeOf(result.errors?.[0]), 'UNAUTHENTICATED', JSON.stringify(result));
  }
});

test('a query over SSE is one result, with the revision it read, then the stream completes', async () => {
  const got = [];
  for await (const result of client().iterate({ query: '{ stats { skills revision } }' })) got.push(result);
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.ok(got[0].data.stats.skills > 0);
  assert.equal(got[0].extensions.revision, got[0].data.stats.revision);
});

test('refused documents arrive as results with their codes and no data', async () => {
  const cases = [
    [URL_, '{ stats { noSuchField } }', 'GRAPHQL_VALIDATION_FAILED'],
    [URL_, '{ stats {', 'GRAPHQL_PARSE_FAILED'],
    [URL_, '{ skills(first: 1, last: 1) { totalCount } }', 'INVALID_INPUT'],
  ];
  if (TIGHT_URL) cases.push([TIGHT_URL, '{ a: stats { skills } b: stats { skills } c: stats { skills } d: stats { skills } }', 'LIMIT_EXCEEDED']);
  if (TRUSTED_URL) cases.push([TRUSTED_URL, '{ stats { skills } }', 'DOCUMENT_NOT_TRUSTED']);
  for (const [url, query, code] of cases) {
    const result = await once(client({ url }), { query });
    assert.equal(codeOf(result.errors?.[0]), code, `${query}: ${JSON.stringify(result)}`);
    if (code !== 'INVALID_INPUT') assert.ok(!('data' in result), `${query}: ${JSON.stringify(result)}`);
  }
});

test('a trusted document runs over SSE on a --trusted-documents server', { skip: !TRUSTED_URL && 'SG_TRUSTED_URL is not set' }, async () => {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  const page = manifest.operations.find((op) => op.name === 'SkillsPage');
  const result = await once(client({ url: TRUSTED_URL }), { query: page.body, operationName: 'SkillsPage', variables: { first: 2 } });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.equal(result.data.skills.nodes.length, 2);
});

test('GET with query parameters and Accept: text/event-stream streams the same protocol', async () => {
  const url = new URL(URL_);
  url.searchParams.set('query', '{ stats { revision } }');
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const text = await res.text();
  const events = text.split('\n\n').filter((block) => block && !block.startsWith(':'));
  assert.equal(events.length, 2, text);
  assert.match(events[0], /^event: next\ndata: \{"data":\{"stats":\{"revision":\d+\}\}/);
  assert.equal(events[1], 'event: complete\ndata:');
});
