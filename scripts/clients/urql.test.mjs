// urql (@urql/core 6): a shared document (urql names its first operation), paging, a mutation
// with the token in fetchOptions, error codes in CombinedError, and a subscription through
// subscriptionExchange over graphql-ws.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cacheExchange, fetchExchange, subscriptionExchange, gql } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { URL_, WS_URL, TOKEN, operations, codeOf } from './common.mjs';

const client = new Client({ url: URL_, exchanges: [cacheExchange, fetchExchange], requestPolicy: 'network-only' });
const ws = createWsClient({ url: WS_URL, webSocketImpl: WebSocket, lazy: true });
after(() => ws.dispose());

test('a shared document: the first operation runs without the variables of the second', async () => {
  const result = await client.query(operations('shared.graphql'), {}).toPromise();
  assert.equal(result.error, undefined, String(result.error));
  assert.ok(result.data.stats.skills > 0);
});

test('paging with first/after until hasNextPage is false', async () => {
  const query = operations('skills-page.graphql');
  const ids = [];
  let after = null;
  let total;
  do {
    const result = await client.query(query, { first: 30, after }).toPromise();
    assert.equal(result.error, undefined, String(result.error));
    total = result.data.skills.totalCount;
    ids.push(...result.data.skills.nodes.map((n) => n.id));
    after = result.data.skills.pageInfo.hasNextPage ? result.data.skills.pageInfo.endCursor : null;
  } while (after && ids.length <= total);
  assert.equal(ids.length, total);
  assert.equal(new Set(ids).size, total);
});

test('errors carry extensions.code in CombinedError (NOT_FOUND, LIMIT_EXCEEDED, UNAUTHENTICATED)', async () => {
  const notFound = await client.query(gql`{ roleGap(from: {}, to: "no-such-role") { readiness } }`, {}).toPromise();
  assert.equal(codeOf(notFound.error?.graphQLErrors[0]), 'NOT_FOUND', String(notFound.error));
  const limit = await client.query(gql`{ matchRoles(profile: {}, first: 100000) { readiness } }`, {}).toPromise();
  assert.equal(codeOf(limit.error?.graphQLErrors[0]), 'LIMIT_EXCEEDED', String(limit.error));
  const anon = await client.mutation(gql`mutation { deleteRole(id: "no-such-role") }`, {}).toPromise();
  assert.equal(codeOf(anon.error?.graphQLErrors[0]), 'UNAUTHENTICATED', String(anon.error));
});

test('a mutation with the token in fetchOptions, seen by a subscription over graphql-ws', async () => {
  const subClient = new Client({
    url: URL_,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe(request, sink) }),
        }),
      }),
    ],
  });
  const events = [];
  let ready;
  const got = new Promise((resolve) => (ready = resolve));
  const subscription = subClient.subscription(operations('changes.graphql'), {}).subscribe((result) => {
    if (result.data) events.push(result.data.graphChanged);
    if (events.some((e) => e.ids.includes('urql-check'))) ready();
  });
  // The subscription is registered once the socket is up; write (something new each time, an
  // upsert that changes nothing publishes nothing) until an event arrives.
  const write = gql`mutation ($name: String!) { upsertCategory(input: { id: "urql-check", name: $name }) { id } }`;
  const timeout = setTimeout(() => ready('timeout'), 5000);
  for (let i = 0; i < 25 && !events.length; i++) {
    const result = await client
      .mutation(write, { name: `urql check ${i}` }, { fetchOptions: { headers: { authorization: `Bearer ${TOKEN}` } } })
      .toPromise();
    assert.equal(result.error, undefined, String(result.error));
    await Promise.race([got, new Promise((r) => setTimeout(r, 200))]);
  }
  const outcome = await got;
  clearTimeout(timeout);
  subscription.unsubscribe();
  assert.notEqual(outcome, 'timeout', 'no graphChanged event');
  const event = events.find((e) => e.ids.includes('urql-check'));
  assert.equal(event.kind, 'CATEGORY_UPSERTED');
  assert.equal(typeof event.revision, 'number');
});
