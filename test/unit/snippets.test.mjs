// Every snippet, expanded with its defaults and placed where it belongs, gets no error (and the
// TLS ones no TLS warning either: they scaffold the verified setup).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { service } from '../lib/service.mjs';

const snippets = JSON.parse(readFileSync(new URL('../../snippets/nginx.json', import.meta.url), 'utf8'));
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** Where each snippet is inserted: http level, or inside a location. */
const PLACE = {
  'Upstream over TLS with a client certificate': (s) => `events {}\nhttp {\n${s}\n}\n`,
  'Server asking for client certificates': (s) => `events {}\nhttp {\n${s}\n}\n`,
  'Verify the upstream certificate': (s) => `events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n`
    + `            proxy_pass https://backend.example.com;\n${s}\n        }\n    }\n}\n`,
};

test('every snippet has a placement in this test', () => {
  assert.deepEqual(Object.keys(snippets).sort(), Object.keys(PLACE).sort());
});

test('package.json contributes the snippets file', () => {
  assert.ok(manifest.contributes.snippets.some((s) => s.language === 'nginx' && s.path === './snippets/nginx.json'));
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}" expands to a config with no error and no TLS warning`, () => {
    const text = PLACE[name](service.expandSnippet(snippet.body.join('\n')));
    assert.doesNotMatch(text, /\$\{|\$\d/, 'placeholders left after expansion');
    const findings = service.analyzeConfig('/s/nginx.conf', service.memoryHost({ '/s/nginx.conf': text })).findings;
    const bad = findings.filter((f) => service.effectiveSeverity(f) === 'error' || f.code.startsWith('tls-'));
    assert.deepEqual(bad.map((f) => `${f.code}: ${f.message}`), []);
    assert.doesNotMatch(text, /TLSv1(\.1)?[ ;]/, 'legacy protocols scaffolded');
  });
}

test('snippets are served as completion items at statement start, where their first directive may stand', () => {
  const text = 'events {}\nhttp {\n    ups\n    server {\n        location / {\n            pro\n        }\n    }\n}\n';
  const tree = service.parseConfig(text);
  const inHttp = service.completions(tree, text.indexOf('ups') + 3, { rootContexts: ['main'] });
  assert.ok(inHttp.some((i) => i.kind === 'snippet' && i.label === 'upstream-tls'));
  assert.ok(inHttp.some((i) => i.kind === 'directive' && i.label === 'upstream'));
  assert.ok(!inHttp.some((i) => i.label === 'worker_connections'), 'an events-only directive offered in http');
  const inLocation = service.completions(tree, text.indexOf('pro') + 3, { rootContexts: ['main'] });
  assert.ok(inLocation.some((i) => i.kind === 'snippet' && i.label === 'proxy-ssl-verify'));
  assert.ok(!inLocation.some((i) => i.label === 'upstream-tls' || i.label === 'server-mtls'),
    'an http-level snippet offered in a location');
  const upstream = 'events {}\nhttp {\n    upstream app {\n        ser\n    }\n}\n';
  const inUpstream = service.completions(service.parseConfig(upstream), upstream.indexOf('ser') + 3, { rootContexts: ['main'] });
  assert.ok(inUpstream.some((i) => i.label === 'server' && i.kind === 'directive'));
  assert.ok(!inUpstream.some((i) => i.kind === 'snippet'), 'a "server {" snippet offered in an upstream');
});
