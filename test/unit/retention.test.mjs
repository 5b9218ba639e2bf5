// An analysis leaves nothing of its configuration behind once the caller drops it: no module-level
// cache may hold a word that is a view into a file's text (V8 slices of 13+ characters keep the whole
// text alive), nor the analysis itself. A server analyses every version of every file typed into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { service } from '../lib/service.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** A configuration whose words that rules cache (pass targets, regexes, header values, names) are its own. */
function config(i) {
  const lines = ['events {}', 'http {', `  upstream backend_group_number_${i} { server 10.0.0.1; }`, '  server {', '    listen 80;',
    `    location ~ ^/unique_prefix_${i}/(?<part>[a-z]+)\\.html$ { proxy_pass http://backend_group_number_${i}; }`,
    `    location /b { proxy_set_header X-Unique "$http_x_unique_value_${i}"; set $unique_variable_${i} "$1$part"; }`,
    `    unknown_directive_name_${i} on;`];
  for (let k = 0; k < 3000; k++) lines.push(`    # padding ${k} ${'x'.repeat(80)}`);
  lines.push('  }', '}');
  return lines.join('\n');
}

const analyse = (i) => service.analyzeConfig(`/w/${i}/nginx.conf`, service.memoryHost({ [`/w/${i}/nginx.conf`]: config(i) }));
const heapAfterGc = async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

test('analysing 20 configurations one after another keeps none of their texts', async () => {
  analyse(0); // the caches' own first fill
  const before = await heapAfterGc();
  for (let i = 1; i <= 20; i++) analyse(i);
  const growth = (await heapAfterGc()) - before;
  // Each text is 0.31 MB: one kept by a cache entry per configuration would be 6 MB.
  assert.ok(growth < 2e6, `the heap grew by ${(growth / 1e6).toFixed(2)} MB`);
});

test('the last analysis is not kept alive by a rule\'s memo', async () => {
  let analysis = analyse(100);
  const pass = new WeakRef(analysis.files.get('/w/100/nginx.conf').children[1].block.children[1].block.children[2]);
  assert.equal(pass.deref()?.name.value, 'location');
  analysis = undefined;
  await heapAfterGc();
  assert.equal(pass.deref(), undefined, 'a directive of the dropped analysis is still reachable');
});
