// Composes the supergraph from the running subgraphs, as a CI step before a gateway deploy
// would: each subgraph's SDL is read from its own `_service { sdl }`, then composed with The
// Guild's @theguild/federation-composition. Prints the composition errors and exits 1 when it
// fails; else writes the supergraph SDL that Hive Gateway serves.
//
//   node compose.mjs OUT name=URL name=URL…
import { writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';

const [out, ...pairs] = process.argv.slice(2);
if (!out || pairs.length < 2) {
  console.error('usage: node compose.mjs OUT name=URL name=URL…');
  process.exit(2);
}

const services = [];
for (const pair of pairs) {
  const [name, url] = pair.split(/=(.*)/s);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await res.json();
  const sdl = body?.data?._service?.sdl;
  if (!sdl) {
    console.error(`${name} (${url}) answered no _service { sdl }: ${res.status} ${JSON.stringify(body)}`);
    process.exit(1);
  }
  services.push({ name, url, typeDefs: parse(sdl) });
}

const result = composeServices(services);
if (compositionHasErrors(result)) {
  console.error(`composition failed with ${result.errors.length} error(s):`);
  for (const error of result.errors) console.error(`  ${error.extensions?.code ?? ''} ${error.message}`);
  process.exit(1);
}
writeFileSync(out, result.supergraphSdl);
console.log(`composed ${services.map((s) => s.name).join(' + ')} into ${out}`);
