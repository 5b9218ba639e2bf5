// Quick fixes of nginx findings inside snippet annotations, as before/after YAML: the nginx fix is
// written into the value in its style (literal and folded blocks with their indentation, plain and
// quoted values on their line, escapes in double quotes). Each fix is applied and the file analysed
// again: the finding is gone, no error appears, the YAML still parses and the value keeps its style.
// Where a style cannot take the edit, no fix is offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestWorkspace, service } from '../lib/service.mjs';

const FILE = '/k8s/ingress.yaml';
const SNIPPET_KEYS = /^nginx\.ingress\.kubernetes\.io\/[a-z-]+-snippet$/;

const ingress = (annotations) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
${annotations}spec:
  rules:
    - host: app.example.com
`;

function findingsOf(text) {
  return manifestWorkspace({ [FILE]: text }).analyze(FILE)?.analysis.findings ?? [];
}

const errorsOf = (text) => findingsOf(text).filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);

/** The style (block literal, double-quoted, …) of each snippet annotation's value, by key. */
function snippetStyles(text) {
  const manifests = service.parseManifests(text);
  assert.ok(manifests, 'the YAML is not parsed');
  const out = {};
  for (const doc of manifests.documents) {
    assert.deepEqual(doc.document.errors.map((e) => e.message), [], 'the YAML has errors');
    for (const pair of doc.document.get('metadata', true)?.get('annotations', true)?.items ?? []) {
      if (SNIPPET_KEYS.test(pair.key.value)) out[pair.key.value] = pair.value.type;
    }
  }
  return out;
}

function fixesFor(before, code) {
  const finding = findingsOf(before).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  return service.ingressQuickFixes(before, finding);
}

/** One test: the fix of the first `code` finding whose title matches gives `after`, re-analysed as described above. */
function checkFix(name, { before, code, title, after }) {
  test(name, () => {
    const fixes = fixesFor(before, code);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ') || 'none'}`);
    const result = service.applyEdits(before, fix.edits);
    assert.equal(result, after);
    assert.ok(!findingsOf(result).some((f) => f.code === code), `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(result), errorsOf(before).filter((e) => !e.startsWith(`${code}:`)), 'the fix introduced an error');
    assert.deepEqual(snippetStyles(result), snippetStyles(before), 'a value changed its style');
  });
}

function checkNoFix(name, { before, code }) {
  test(name, () => assert.deepEqual(fixesFor(before, code).map((f) => f.title), []));
}

const verify = (indent) => ['proxy_ssl_verify on;', 'proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;',
  'proxy_ssl_server_name on;'].map((l) => `${indent}${l}\n`).join('');

checkFix('literal block: verification lines inserted with the block\'s indentation', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: |\n      location /internal/ {\n'
    + '          proxy_pass https://10.0.0.9:8443;\n      }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: |\n      location /internal/ {\n'
    + `          proxy_pass https://10.0.0.9:8443;\n${verify('          ')}      }\n`),
});

checkFix('literal block: a proxy_pass inside an if is verified at the snippet\'s level (TLS settings are not allowed in if)', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/configuration-snippet: |\n      if ($http_x_canary) {\n'
    + '          proxy_pass https://canary.example.com;\n      }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/configuration-snippet: |\n      if ($http_x_canary) {\n'
    + `          proxy_pass https://canary.example.com;\n      }\n${verify('      ')}`),
});

checkNoFix('configuration-snippet of an HTTPS backend: verification at the location would verify the controller\'s own proxy_pass too', {
  code: 'tls-upstream-unverified',
  before: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n'
    + '    nginx.ingress.kubernetes.io/configuration-snippet: |\n      if ($http_x_canary) {\n'
    + '          proxy_pass https://canary.example.com;\n      }\n'),
});

checkFix('literal block with keep chomping and a comment: the comment stays on its line', {
  code: 'tls-upstream-unverified', title: /private CA/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: |+\n      location /internal/ {\n'
    + '          proxy_pass https://10.0.0.9:8443;  # the admin API\n      }\n\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: |+\n      location /internal/ {\n'
    + '          proxy_pass https://10.0.0.9:8443;  # the admin API\n          proxy_ssl_verify on;\n'
    + '          proxy_ssl_trusted_certificate /etc/nginx/certs/upstream-ca.pem;\n          proxy_ssl_server_name on;\n      }\n\n'),
});

checkFix('folded block: new lines fold into spaces, which nginx reads the same', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: >\n      location /internal/ {\n'
    + '          proxy_pass https://10.0.0.9:8443;\n      }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: >\n      location /internal/ {\n'
    + `          proxy_pass https://10.0.0.9:8443;\n${verify('          ')}      }\n`),
});

checkFix('folded block: a comment on a more-indented line keeps its line break, so the fix is safe', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: >\n      location /internal/ {\n'
    + '          proxy_pass https://10.0.0.9:8443;  # the admin API\n      }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: >\n      location /internal/ {\n'
    + `          proxy_pass https://10.0.0.9:8443;  # the admin API\n${verify('          ')}      }\n`),
});

checkNoFix('folded block with a comment at its base indentation: folding joins the next lines into the comment, so no fix', {
  code: 'tls-upstream-unverified',
  before: ingress('    nginx.ingress.kubernetes.io/configuration-snippet: >\n      more_set_headers "X-A: b";  # headers\n'
    + '      if ($http_x_canary) { proxy_pass https://canary.example.com; }\n'),
});

checkFix('plain value spread over two lines: inserted lines join the line they follow', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: location /internal/ {\n'
    + '      proxy_pass https://10.0.0.9:8443; }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: location /internal/ {\n'
    + '      proxy_pass https://10.0.0.9:8443; proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;'
    + ' proxy_ssl_server_name on; }\n'),
});

checkFix('double-quoted one-line value: the settings join the line', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: "location /internal/ { proxy_pass https://10.0.0.9:8443; }"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: "location /internal/ { proxy_pass https://10.0.0.9:8443;'
    + ' proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; proxy_ssl_server_name on; }"\n'),
});

checkFix('double-quoted value with escapes: new lines written as \\n, quotes escaped', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: "location /internal/ {\\n    add_header X-Where \\"in\\";'
    + '\\n    proxy_pass https://10.0.0.9:8443;\\n}"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: "location /internal/ {\\n    add_header X-Where \\"in\\";'
    + '\\n    proxy_pass https://10.0.0.9:8443;\\n    proxy_ssl_verify on;\\n'
    + '    proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\\n    proxy_ssl_server_name on;\\n}"\n'),
});

checkFix('single-quoted value', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress("    nginx.ingress.kubernetes.io/server-snippet: 'location /internal/ { proxy_pass https://10.0.0.9:8443; }'\n"),
  after: ingress("    nginx.ingress.kubernetes.io/server-snippet: 'location /internal/ { proxy_pass https://10.0.0.9:8443;"
    + " proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; proxy_ssl_server_name on; }'\n"),
});

checkFix('single-quoted value with a doubled quote: a replacement lands on the right characters', {
  code: 'unknown-directive', title: /proxy_set_header/,
  before: ingress("    nginx.ingress.kubernetes.io/configuration-snippet: 'add_header X-Who ''me''; proxy_set_heder X-A b;'\n"),
  after: ingress("    nginx.ingress.kubernetes.io/configuration-snippet: 'add_header X-Who ''me''; proxy_set_header X-A b;'\n"),
});

checkFix('plain value', {
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  before: ingress('    nginx.ingress.kubernetes.io/server-snippet: location /internal/ { proxy_pass https://10.0.0.9:8443; }\n'),
  after: ingress('    nginx.ingress.kubernetes.io/server-snippet: location /internal/ { proxy_pass https://10.0.0.9:8443;'
    + ' proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; proxy_ssl_server_name on; }\n'),
});

checkFix('a misspelt directive in a double-quoted value gets "did you mean"', {
  code: 'unknown-directive', title: /proxy_set_header/,
  before: ingress('    nginx.ingress.kubernetes.io/configuration-snippet: "proxy_set_heder X-A b;"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/configuration-snippet: "proxy_set_header X-A b;"\n'),
});

test('a fix for a finding outside any snippet value (a stale diagnostic) is none', () => {
  const text = ingress('    nginx.ingress.kubernetes.io/configuration-snippet: "proxy_set_heder X-A b;"\n');
  assert.deepEqual(service.ingressQuickFixes(text, { code: 'unknown-directive', start: 0, end: 10 }), []);
});
