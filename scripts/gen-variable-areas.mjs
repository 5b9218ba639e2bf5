// Regenerates server/src/service/nginx/data/variable-areas.json from @nginx/reference-lib: which
// variables come from NGINX Plus modules. data/variables.json says in which module area (http, stream)
// a name is built in; this says for which flavor: completion and "did you mean" offer only the variables
// of the context's area and flavor, without loading the reference (1.8 MB) for it.
// A module counts as NGINX Plus's when the directive table (data/directives.json) marks most of its
// documented directives `nginx-plus` (ngx_http_auth_jwt_module, ngx_http_oidc_module,
// ngx_stream_mqtt_preread_module, …); the table does not know most of the ACME module's, which nginx
// also ships as an open-source module.
//
//   node scripts/gen-variable-areas.mjs           writes the file
//   node scripts/gen-variable-areas.mjs --check   exits 1 when the file differs from what it would write
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const OUT = 'server/src/service/nginx/data/variable-areas.json';
const { getDirectives, getVariables } = createRequire(import.meta.url)('@nginx/reference-lib');
const table = JSON.parse(readFileSync('server/src/service/nginx/data/directives.json', 'utf8'));

const plusCount = new Map();
for (const d of getDirectives()) {
  const origins = (table[d.name] ?? []).map((v) => v.s);
  const [plus, other] = plusCount.get(d.module) ?? [0, 0];
  const isPlus = origins.length > 0 && origins.every((o) => o === 'nginx-plus');
  plusCount.set(d.module, isPlus ? [plus + 1, other] : [plus, other + 1]);
}
const plusModule = (module) => {
  const [plus, other] = plusCount.get(module) ?? [0, 0];
  return plus > other;
};

/** `$http_NAME` → `http_` (a family by prefix), `$host` → `host`. */
const bare = (name) => name.replace(/^\$/, '').replace(/_NAME$/, '_');
const plus = new Set();
const notPlus = new Set();
for (const v of getVariables()) (plusModule(v.module) ? plus : notPlus).add(bare(v.name));
const sorted = (set) => [...set].sort();
const data = { plus: sorted([...plus].filter((n) => !notPlus.has(n))) };
const text = JSON.stringify(data) + '\n';
if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== text) {
    console.error(`${OUT} is out of date: run node scripts/gen-variable-areas.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`${data.plus.length} variables of NGINX Plus`);
}
