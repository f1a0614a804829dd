// What every check shares: the servers scripts/clients.sh started, and the documents.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const env = (name, fallback) => process.env[name] || fallback;

export const URL_ = env('SG_URL', 'http://127.0.0.1:8080/graphql'); // default flags
export const WS_URL = URL_.replace(/^http/, 'ws') + '/ws';
export const TOKEN = env('SG_TOKEN', '');
export const TRUSTED_URL = env('SG_TRUSTED_URL', ''); // --trusted-documents manifest.json
export const TIGHT_URL = env('SG_TIGHT_URL', ''); // small --max-* limits
export const CLOSED_URL = env('SG_CLOSED_URL', ''); // --no-introspection
export const MANIFEST = env('SG_MANIFEST', new globalThis.URL('gen/manifest.json', import.meta.url).pathname);

export const operations = (file) =>
  readFileSync(new globalThis.URL(`operations/${file}`, import.meta.url), 'utf8');

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

export const codeOf = (error) => error?.extensions?.code;

/** POST with fetch, for what a client hides (status, content type, a missing `data`). */
export async function post(body, { url = URL_, headers = {} } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), json: await res.json() };
}
