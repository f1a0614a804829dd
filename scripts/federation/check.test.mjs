// What a client of the gateway sees, checked against skillgraph's own answers: a query that
// crosses both subgraphs (skillgraph → courses → skillgraph again), entities the courses side
// names and skillgraph resolves (null for a skill it does not hold), and one `@defer` query
// answered in parts (multipart/mixed). Run by scripts/federation.sh with node:test.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const GATEWAY = process.env.FED_GATEWAY_URL;
const SKILLGRAPH = process.env.FED_SKILLGRAPH_URL;
assert.ok(GATEWAY && SKILLGRAPH, 'FED_GATEWAY_URL and FED_SKILLGRAPH_URL must be set');

async function post(url, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** skillgraph's own answer, straight from it: what the gateway must agree with. */
async function direct(query, variables) {
  const body = await post(SKILLGRAPH, query, variables);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

test('one query crosses both subgraphs: a skill, its courses, and their skill again', async () => {
  const body = await post(
    GATEWAY,
    `query Cross($id: ID!) {
      skill(id: $id) {
        name
        prerequisites { skill { id name } }
        courses { id title hours skill { id name hours category { name } } }
      }
    }`,
    { id: 'rag' },
  );
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const own = await direct(
    `query Own($id: ID!) {
      skill(id: $id) { name hours category { name } prerequisites { skill { id name } } }
    }`,
    { id: 'rag' },
  );
  const skill = body.data.skill;
  assert.equal(skill.name, own.skill.name);
  assert.deepEqual(skill.prerequisites, own.skill.prerequisites);
  // From the courses subgraph, shortest first…
  assert.deepEqual(
    skill.courses.map((c) => [c.id, c.hours]),
    [
      ['rag-bootcamp', 12],
      ['rag-in-production', 20],
    ],
  );
  // …and each course's skill back from skillgraph, through `_entities`.
  for (const course of skill.courses) {
    assert.deepEqual(course.skill, {
      id: 'rag',
      name: own.skill.name,
      hours: own.skill.hours,
      category: own.skill.category,
    });
  }
});

test("the courses side names skills by id and skillgraph's `_entities` answers them", async () => {
  const body = await post(GATEWAY, '{ courses { id skill { id name requiredBy { role { id } } } } }');
  const byId = Object.fromEntries(body.data.courses.map((c) => [c.id, c.skill]));
  for (const [course, id] of [
    ['rag-bootcamp', 'rag'],
    ['vector-db-101', 'vector-search'],
  ]) {
    const own = await direct(
      'query Own($id: ID!) { skill(id: $id) { id name requiredBy { role { id } } } }',
      { id },
    );
    assert.deepEqual(byId[course], own.skill, course);
  }
  // A skill skillgraph does not hold: its entity is null, so the course's `skill` is null (the
  // gateway reports the missing non-null `name` of the entity it could not complete).
  assert.equal(byId['cobol-for-managers'], null);
  assert.deepEqual(
    (body.errors ?? []).map((e) => e.path.join('.')),
    ['courses.3.skill.name'],
    JSON.stringify(body.errors),
  );
});

test('@defer through the gateway: the skill first, its courses in a later part', async () => {
  const res = await fetch(GATEWAY, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
    body: JSON.stringify({
      query: `{
        skill(id: "rag") {
          name
          ... @defer(label: "courses") { courses { title } }
        }
      }`,
    }),
  });
  assert.equal(res.status, 200);
  const type = res.headers.get('content-type');
  assert.match(type, /^multipart\/mixed/);
  const boundary = /boundary="?([^";]+)"?/.exec(type)[1];
  const parts = (await res.text())
    .split(`\r\n--${boundary}`)
    .map((part) => part.split('\r\n\r\n').slice(1).join('\r\n\r\n').trim())
    .filter((json) => json.startsWith('{'))
    .map((json) => JSON.parse(json));
  assert.ok(parts.length >= 2, `expected at least two parts, got ${JSON.stringify(parts)}`);
  const [first, ...rest] = parts;
  assert.deepEqual(first, {
    data: { skill: { name: 'Retrieval-augmented generation (RAG)' } },
    hasNext: true,
  });
  const incremental = rest.flatMap((p) => p.incremental ?? []);
  assert.deepEqual(incremental, [
    {
      data: { courses: [{ title: 'RAG bootcamp' }, { title: 'RAG in production' }] },
      path: ['skill'],
      label: 'courses',
    },
  ]);
  assert.equal(rest.at(-1).hasNext, false);
});
