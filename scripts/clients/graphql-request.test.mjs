// graphql-request 7: what an integrator's script does — typed reads, paging with opaque
// cursors both ways, a mutation with the token, and error codes through ClientError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLClient, ClientError, batchRequests, gql } from 'graphql-request';
import { parse } from 'graphql';
import { URL_, TOKEN, operations, codeOf } from './common.mjs';

const client = new GraphQLClient(URL_);
const admin = new GraphQLClient(URL_, { headers: { authorization: `Bearer ${TOKEN}` } });
const skillsPage = parse(operations('skills-page.graphql')).definitions.find((d) => d.name?.value === 'SkillsPage');
const SKILLS_PAGE = { kind: 'Document', definitions: [skillsPage] };

async function errorOf(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ClientError, `expected a ClientError, got ${error}`);
    return error.response;
  }
  assert.fail('the request succeeded');
}

test('the README learning path, with non-null skill and category on every step', async () => {
  const data = await client.request(
    gql`
      query {
        learningPath(from: { skills: [{ skill: "python", level: 3 }] }, to: { skills: [{ skill: "rag", level: 3 }] }) {
          stages
          steps { position skill { id category { id } } }
        }
      }
    `,
  );
  assert.ok(data.learningPath.steps.length > 0);
  for (const step of data.learningPath.steps) {
    assert.equal(typeof step.skill.id, 'string');
    assert.equal(typeof step.skill.category.id, 'string');
  }
});

test('forward paging: every skill once, totalCount agrees, nodes == edges.node', async () => {
  const seen = [];
  let after = null;
  let total = null;
  for (let page = 0; page < 100; page++) {
    const { skills } = await client.request(SKILLS_PAGE, { first: 17, after });
    total ??= skills.totalCount;
    assert.equal(skills.totalCount, total, 'totalCount does not depend on the page');
    assert.deepEqual(skills.nodes.map((n) => n.id), skills.edges.map((e) => e.node.id));
    seen.push(...skills.nodes.map((n) => n.id));
    if (!skills.pageInfo.hasNextPage) break;
    after = skills.pageInfo.endCursor;
    assert.ok(!/^\d+$/.test(after), `cursor ${after} looks like an offset`);
  }
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total, 'a skill came twice');
});

test('backward paging (last/before) gives the same list, page by page from the end', async () => {
  // Forward in pages of the largest size (the seed has more skills than one page holds).
  const forward = [];
  let after = null;
  for (let page = 0; page < 100; page++) {
    const { skills } = await client.request(SKILLS_PAGE, { first: 100, after });
    forward.push(...skills.nodes.map((n) => n.id));
    if (!skills.pageInfo.hasNextPage) break;
    after = skills.pageInfo.endCursor;
  }
  const pages = [];
  let before = null;
  for (let page = 0; page < 100; page++) {
    const { skills } = await client.request(SKILLS_PAGE, { first: null, last: 25, before });
    pages.unshift(skills.nodes.map((n) => n.id));
    if (!skills.pageInfo.hasPreviousPage) break;
    before = skills.pageInfo.startCursor;
  }
  assert.deepEqual(pages.flat(), forward.slice(0, pages.flat().length));
  assert.equal(pages.flat().length, forward.length);
});

test('a search pages with its own cursors; another list refuses them with INVALID_INPUT', async () => {
  const first = await client.request(SKILLS_PAGE, { query: 'learning', first: 2 });
  assert.ok(first.skills.totalCount > 2);
  const second = await client.request(SKILLS_PAGE, { query: 'learning', first: 2, after: first.skills.pageInfo.endCursor });
  assert.notDeepEqual(second.skills.nodes, first.skills.nodes);
  const response = await errorOf(
    client.request(SKILLS_PAGE, { query: 'python', first: 2, after: first.skills.pageInfo.endCursor }),
  );
  assert.equal(codeOf(response.errors[0]), 'INVALID_INPUT');
});

test('error codes reach the client: NOT_FOUND, INVALID_INPUT, LIMIT_EXCEEDED, validation, parse', async () => {
  const cases = [
    ['{ learningPath(to: { skills: [{ skill: "no-such-skill", level: 3 }] }) { stages } }', 'NOT_FOUND'],
    ['{ skills(first: 5, last: 5) { totalCount } }', 'INVALID_INPUT'],
    ['{ skills(first: 100000) { totalCount } }', 'LIMIT_EXCEEDED'],
    ['{ stats { noSuchField } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['{ stats { skills }', 'GRAPHQL_PARSE_FAILED'],
  ];
  for (const [query, code] of cases) {
    const response = await errorOf(client.request(query));
    assert.equal(codeOf(response.errors[0]), code, `${query}: ${JSON.stringify(response.errors)}`);
  }
});

test('a mutation: UNAUTHENTICATED without the token, applied with it', async () => {
  const mutation = gql`
    mutation ($tags: [String!]) { updateSkill(id: "sql", input: { tags: $tags }) { id tags } }
  `;
  const response = await errorOf(client.request(mutation, { tags: ['x'] }));
  assert.equal(codeOf(response.errors[0]), 'UNAUTHENTICATED');
  const before = await client.request('{ skill(id: "sql") { tags } }');
  const data = await admin.request(mutation, { tags: [...before.skill.tags, 'checked-by-graphql-request'] });
  assert.ok(data.updateSkill.tags.includes('checked-by-graphql-request'));
  await admin.request(mutation, { tags: before.skill.tags });
});

test('batchRequests: each operation of a batch answers on its own, errors with their codes', async () => {
  const documents = [
    { document: '{ stats { skills } }' },
    { document: 'query ($id: ID!) { skill(id: $id) { id } }', variables: { id: 'rag' } },
    { document: '{ nope }' },
  ];
  // graphql-request throws when any result has errors; the answers are on the error.
  const response = await batchRequests(URL_, documents).then(
    () => assert.fail('a batch with an invalid operation did not throw'),
    (error) => error.response,
  );
  assert.ok(response[0].data.stats.skills > 0);
  assert.equal(response[1].data.skill.id, 'rag');
  assert.equal(codeOf(response[2].errors[0]), 'GRAPHQL_VALIDATION_FAILED');
  const ok = await batchRequests(URL_, documents.slice(0, 2));
  assert.equal(ok[1].data.skill.id, 'rag');
});

test('keyset cursors: a skill created before the cursor between two pages neither repeats nor shifts the next page', async () => {
  const all = (await client.request(SKILLS_PAGE, { first: 40 })).skills;
  const first = await client.request(SKILLS_PAGE, { first: 10 });
  const category = first.skills.nodes[0].category.id;
  await admin.request(
    gql`mutation ($input: SkillInput!) { createSkill(input: $input) { id } }`,
    { input: { id: '0-keyset-check', name: 'Keyset check', category, hours: 1 } },
  );
  try {
    const second = await client.request(SKILLS_PAGE, { first: 10, after: first.skills.pageInfo.endCursor });
    assert.deepEqual(second.skills.nodes.map((n) => n.id), all.nodes.slice(10, 20).map((n) => n.id));
    assert.equal(second.skills.totalCount, all.totalCount + 1);
    const fresh = await client.request(SKILLS_PAGE, { first: 10 });
    assert.ok(fresh.skills.nodes.some((n) => n.id === '0-keyset-check'), 'the new skill is not on the first page');
  } finally {
    await admin.request(gql`mutation { deleteSkill(id: "0-keyset-check", cascade: true) }`);
  }
});
