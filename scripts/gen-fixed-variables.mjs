// Regenerates server/src/service/nginx/data/fixed-variables.json: the http variables the nginx source
// defines without NGX_HTTP_VAR_CHANGEABLE, which `set` cannot change ("the duplicate … variable").
// Variables modules only read by name (memcached_key) are not defined there, so `set` may define them.
// Usage: node scripts/gen-fixed-variables.mjs <nginx source dir> (e.g. from `apt-get source nginx`).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) throw new Error('usage: gen-fixed-variables.mjs <nginx source dir>');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.c')) files.push(p);
  }
};
walk(join(root, 'src/http'));
const fixed = new Set();
const changeable = new Set();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  // Table entries: { ngx_string("name"), set_handler, get_handler, data, flags, index }
  for (const m of text.matchAll(/\{\s*ngx_string\("([a-z0-9_]+)"\)([^{}]*)\}/g)) {
    if (!/ngx_http_variable|NGX_HTTP_VAR|ngx_http_\w+_variable/.test(m[2])) continue;
    (/VAR_CHANGEABLE/.test(m[2]) ? changeable : fixed).add(m[1]);
  }
}
const names = [...fixed].filter((n) => !changeable.has(n)).sort();
writeFileSync('server/src/service/nginx/data/fixed-variables.json', JSON.stringify(names) + '\n');
console.log(`${names.length} fixed variables`);
