// Regenerates server/src/service/nginx/data/variables.json: the names of the variables nginx modules
// define, so that checking for unknown variables does not load the whole documentation package.
// Three sources, merged: the ngx_http_variable_t and ngx_stream_variable_t tables of the nginx source
// (every module of src/http and src/stream, `apt-get source nginx`: nginx 1.22.1 on Debian 12), the
// OpenResty modules' variables (data/openresty.json, from scripts/gen-openresty.mjs), and
// @nginx/reference-lib (the documented ones, NGINX Plus and njs included). A table entry flagged
// NGX_*_VAR_PREFIX (`http_`, `arg_`, `cookie_`, …) names a family: it becomes a prefix. The http and
// stream modules keep separate tables (`$request_uri` is unknown in stream), so the names are kept per module.
//
//   node scripts/gen-variables.mjs /tmp/src/nginx-1.22.1
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const nginxSource = process.argv[2];
if (!nginxSource) throw new Error('usage: node scripts/gen-variables.mjs <nginx source folder>');

function cFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...cFiles(path));
    else if (entry.endsWith('.c')) out.push(path);
  }
  return out;
}

const modules = { http: { exact: new Set(), prefixes: new Set() }, stream: { exact: new Set(), prefixes: new Set() } };
let fromSource = 0;
for (const area of ['http', 'stream']) {
  const { exact, prefixes } = modules[area];
  for (const file of cFiles(join(nginxSource, 'src', area))) {
    const text = readFileSync(file, 'utf8');
    for (const array of text.matchAll(/ngx_(?:http|stream)_variable_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)\n\};/g)) {
      for (const entry of array[1].matchAll(/\{\s*ngx_string\("([^"]+)"\)([^}]*)\}/g)) {
        (/_VAR_PREFIX/.test(entry[2]) ? prefixes : exact).add(entry[1]);
        fromSource++;
      }
    }
  }
}
// OpenResty's bundled modules other than ngx_lua are http modules.
const openresty = JSON.parse(readFileSync('server/src/service/nginx/data/openresty.json', 'utf8'));
for (const { variables } of Object.values(openresty)) for (const name of variables) modules.http.exact.add(name);
// The reference names each variable's module: ngx_stream_… ones are stream variables, every other one is http.
const { getVariables } = createRequire(import.meta.url)('@nginx/reference-lib');
for (const { name, module } of getVariables()) {
  const { exact, prefixes } = modules[module.startsWith('ngx_stream_') ? 'stream' : 'http'];
  const bare = name.replace(/^\$/, '');
  if (bare.endsWith('_NAME')) prefixes.add(bare.slice(0, -4));
  else exact.add(bare);
}
const sorted = ({ exact, prefixes }) => ({ exact: [...exact].sort(), prefixes: [...prefixes].sort() });
const table = { http: sorted(modules.http), stream: sorted(modules.stream) };
writeFileSync('server/src/service/nginx/data/variables.json', JSON.stringify(table) + '\n');
console.log(`http: ${table.http.exact.length} variables, ${table.http.prefixes.length} prefixes; `
  + `stream: ${table.stream.exact.length} variables, ${table.stream.prefixes.length} prefixes (${fromSource} from the nginx source)`);
