// Regenerates server/src/service/data/directives.json from the directive tables in ../shared/data
// (facts extracted from the nginx source and from nginx-go-crossplane's tables). Run by hand when
// the tables change; the output is committed so the extension ships without ../shared.
import { readFileSync, writeFileSync } from 'node:fs';

const dataDir = process.argv[2] ?? '../shared/data';
const source = JSON.parse(readFileSync(`${dataDir}/nginx-source-directives.json`, 'utf8'));
const tables = JSON.parse(readFileSync(`${dataDir}/crossplane-directive-tables.json`, 'utf8'));

const out = {};
const add = (name, variant, origin) => {
  const list = (out[name] ??= []);
  const entry = { c: variant.contexts, a: variant.args, b: variant.block ? 1 : 0, s: origin };
  if (!list.some((e) => JSON.stringify(e.c) === JSON.stringify(entry.c) && e.a.join() === entry.a.join())) list.push(entry);
};

for (const d of source) add(d.name, d, 'nginx');
const fromNginxSource = new Set(Object.keys(out));
const extra = [
  ['ossLatestDirectives', 'nginx'],
  ['nginxPlusLatestDirectives', 'nginx-plus'],
  ['luaDirectives', 'lua'],
  ['njsDirectives', 'njs'],
  ['headersMoreDirectives', 'headers-more'],
  ['geoip2Directives', 'geoip2'],
  ['otelDirectives', 'otel'],
];
for (const [table, origin] of extra) {
  for (const [name, variants] of Object.entries(tables[table])) {
    // nginx-source entries are authoritative; NGINX Plus may add variants (more arguments, contexts).
    if (fromNginxSource.has(name) && origin !== 'nginx-plus') continue;
    for (const v of variants) if (v.contexts.length > 0) add(name, v, origin);
  }
}
// Removed from nginx but still found in real configs (and accepted, with a warning, by older releases).
const removed = { ssl: { contexts: ['http', 'http>server', 'mail', 'mail>server'], args: ['flag'], block: false } };
for (const [name, v] of Object.entries(removed)) (out[name] ??= []).unshift({ c: v.contexts, a: v.args, b: 0, s: 'removed' });
// ngx_brotli: common enough in real configs that flagging it would be noise.
const brotliContexts = ['http', 'http>server', 'http>location'];
for (const [name, args] of Object.entries({ brotli: ['flag'], brotli_static: ['1'], brotli_comp_level: ['1'], brotli_types: ['1+'], brotli_buffers: ['2'], brotli_window: ['1'], brotli_min_length: ['1'] })) {
  out[name] ??= [{ c: brotliContexts, a: args, b: 0, s: 'brotli' }];
}
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
writeFileSync('server/src/service/data/directives.json', JSON.stringify(sorted) + '\n');
console.log(`${Object.keys(sorted).length} directives`);
