// The GraphQL-over-HTTP conformance audits of the graphql-http package, one test per audit.
// A MUST that fails (`error`) or a SHOULD that fails (`warn`) fails its test; a `notice` is
// printed at the end, before the line that counts them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { URL_ } from './common.mjs';

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const notOk = [];
after(() => {
  for (const line of notOk) console.log(line);
  console.log(`graphql-http audits: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`);
});

for (const audit of serverAudits({ url: URL_ })) {
  test(`${audit.id} ${audit.name}`, async () => {
    const result = await audit.fn();
    counts[result.status]++;
    if (result.status === 'ok') return;
    let body = '';
    try {
      body = (await result.response.text()).slice(0, 160);
    } catch {}
    const line = `${result.status.toUpperCase()} ${audit.id} ${audit.name}: ${result.reason} (${result.response.status} ${body})`;
    notOk.push(line);
    if (result.status === 'notice') return;
    assert.fail(line);
  });
}
