// Kubernetes Ingress manifests: quick fixes as before/after text (then analysed again: the
// diagnostic is gone and no error appears), hover, completion, the Ingress snippets, and bounded
// input. Diagnostics themselves are covered by the cases beside each rule family
// (server/src/service/ingress/rules/<family>.cases/) and test/fixtures/ingress/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { manifestWorkspace, service } from '../lib/service.mjs';

const FILE = '/ws/ingress.yaml';
/** "Now" for certificate validity: the test CAs in the fixtures are valid 2026-11-25 .. 2046-11-20. */
const NOW = new Date('2026-11-25T00:00:00Z');
/** Cursor marker: cannot occur in YAML or nginx text used here. */
const CURSOR = '‸';
const ROOT = new URL('../../', import.meta.url).pathname;
const SECRETS_CASES = new URL('../../server/src/service/ingress/rules/secrets.cases/', import.meta.url).pathname;

function at(textWithCursor) {
  const offset = textWithCursor.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor marker');
  return { text: textWithCursor.replace(CURSOR, ''), offset };
}

/** Analyses `text` as FILE in a workspace that also holds `others` (path → text). */
function analyze(text, others = {}) {
  return manifestWorkspace({ [FILE]: text, ...others }, { now: NOW }).analyze(FILE);
}

function findingsOf(text, others) {
  return analyze(text, others)?.analysis.findings ?? [];
}

function bySeverity(text, severities, others) {
  return findingsOf(text, others).filter((f) => severities.includes(service.effectiveSeverity(f))).map((f) => `${f.code}: ${f.message}`);
}

/** Applies the fix whose title matches to the first finding with `code`; returns the new text. */
function applyFix(before, code, title) {
  const finding = findingsOf(before).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  const fixes = service.ingressQuickFixes(before, finding);
  const fix = fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ') || '(none)'}`);
  return service.applyEdits(before, fix.edits);
}

/** A quick fix as before/after text; afterwards the codes in `gone` are not reported and no new error appears. */
function checkFix(name, { before, code, title, after, gone = [code] }) {
  test(name, () => {
    const actual = applyFix(before, code, title);
    assert.equal(actual, after);
    const codes = findingsOf(actual).map((f) => f.code);
    for (const c of gone) assert.ok(!codes.includes(c), `${c} still reported after the fix: ${codes.join(', ')}`);
    const errorsBefore = bySeverity(before, ['error']);
    const newErrors = bySeverity(actual, ['error']).filter((e) => !errorsBefore.includes(e));
    assert.deepEqual(newErrors, [], 'the fix introduced an error');
  });
}

// ---------------------------------------------------------------- quick fixes: migrate to networking.k8s.io/v1

checkFix('migrate a networking.k8s.io/v1beta1 Ingress (numbered and named ports, comments kept)', {
  code: 'ingress-deprecated-api', title: /networking\.k8s\.io\/v1/, gone: ['ingress-deprecated-api'],
  before: `# The shop, as written for Kubernetes 1.18.
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "optional" # the backend decides
spec:
  tls:
    - hosts:
        - shop.example.com
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: shop
              servicePort: 80
          - path: /admin
            pathType: Exact
            backend:
              serviceName: admin
              servicePort: https
`,
  after: `# The shop, as written for Kubernetes 1.18.
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-verify-client: "optional" # the backend decides
spec:
  tls:
    - hosts:
        - shop.example.com
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: ImplementationSpecific
            backend:
              service:
                name: shop
                port:
                  number: 80
          - path: /admin
            pathType: Exact
            backend:
              service:
                name: admin
                port:
                  name: https
`,
});

checkFix('migrate an extensions/v1beta1 Ingress: backend becomes defaultBackend', {
  code: 'ingress-deprecated-api', title: /networking\.k8s\.io\/v1/, gone: ['ingress-deprecated-api'],
  before: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
spec:
  rules:
    - host: legacy.example.com
      http:
        paths:
          - path: /api
            backend:
              serviceName: legacy-api
              servicePort: 8080
  backend:
    serviceName: legacy
    servicePort: http
`,
  after: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
spec:
  rules:
    - host: legacy.example.com
      http:
        paths:
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: legacy-api
                port:
                  number: 8080
  defaultBackend:
    service:
      name: legacy
      port:
        name: http
`,
});

checkFix('migrate: defaultBackend stays where backend was', {
  code: 'ingress-deprecated-api', title: /networking\.k8s\.io\/v1/,
  before: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: default-only
spec:
  backend:
    serviceName: fallback
    servicePort: 80
  tls:
    - secretName: fallback-tls
`,
  after: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: default-only
spec:
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
  tls:
    - secretName: fallback-tls
`,
});

checkFix('migrate only the Ingress of a multi-document stream', {
  code: 'ingress-deprecated-api', title: /networking\.k8s\.io\/v1/,
  before: `apiVersion: v1
kind: Secret
metadata:
  name: client-ca
stringData:
  note: first document
---
# The Ingress.
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: middle
spec:
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: middle
              servicePort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: middle
`,
  after: `apiVersion: v1
kind: Secret
metadata:
  name: client-ca
stringData:
  note: first document
---
# The Ingress.
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: middle
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: ImplementationSpecific
            backend:
              service:
                name: middle
                port:
                  number: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: middle
`,
});

test('no migration is offered for a Helm template (the edit would rewrite the templates)', () => {
  const text = 'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n'
    + 'spec:\n  backend:\n    serviceName: {{ .Values.svc }}\n    servicePort: 80\n';
  const finding = findingsOf(text).find((f) => f.code === 'ingress-deprecated-api');
  assert.ok(finding);
  assert.deepEqual(service.ingressQuickFixes(text, finding), []);
});

// ---------------------------------------------------------------- quick fixes: values, backend TLS, typos

const ingress = (annotations) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations:
${annotations}spec:
  rules:
    - host: api.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 443
`;

checkFix('quote an unquoted boolean', {
  code: 'ingress-annotation-type', title: /Quote/,
  before: ingress('    nginx.ingress.kubernetes.io/ssl-redirect: true\n'),
  after: ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n'),
});

checkFix('quote an unquoted on (YAML 1.1 boolean) and keep the comment after it', {
  code: 'ingress-annotation-type', title: /Quote/,
  before: ingress('    nginx.ingress.kubernetes.io/proxy-buffering: on # stream responses\n'),
  after: ingress('    nginx.ingress.kubernetes.io/proxy-buffering: "on" # stream responses\n'),
});

checkFix('quote an unquoted number', {
  code: 'ingress-annotation-type', title: /Quote/,
  before: ingress('    nginx.ingress.kubernetes.io/proxy-read-timeout: 3600\n'),
  after: ingress('    nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"\n'),
});

const VERIFY = [
  '    nginx.ingress.kubernetes.io/proxy-ssl-secret: "shop/api-ca"\n',
  '    nginx.ingress.kubernetes.io/proxy-ssl-verify: "on"\n',
  '    nginx.ingress.kubernetes.io/proxy-ssl-name: "api.shop.svc"\n',
  '    nginx.ingress.kubernetes.io/proxy-ssl-server-name: "on"\n',
];

checkFix('verify an HTTPS backend: add proxy-ssl-secret, -verify, -name, -server-name', {
  code: 'ingress-backend-tls-unverified', title: /Verify the backend certificate/,
  gone: ['ingress-backend-tls-unverified', 'ingress-proxy-ssl-name', 'ingress-proxy-ssl-ignored'],
  before: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n' + VERIFY.join('')),
});

checkFix('verify an HTTPS backend: only the missing annotations are added', {
  code: 'ingress-proxy-ssl-name', title: /Verify the backend certificate/,
  gone: ['ingress-backend-tls-unverified', 'ingress-proxy-ssl-name'],
  before: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n' + VERIFY.slice(0, 2).join('')),
  after: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n' + VERIFY.join('')),
});

checkFix('verify an HTTPS backend whose last annotation is a block scalar', {
  code: 'ingress-backend-tls-unverified', title: /Verify the backend certificate/,
  gone: ['ingress-backend-tls-unverified', 'ingress-proxy-ssl-name'],
  before: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n'
    + '    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X-A: b";\n'),
  after: ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n'
    + '    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X-A: b";\n' + VERIFY.join('')),
});

test('after the backend fix the only findings left are the Secret to create and the retirement note (information)', () => {
  const before = ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n');
  const after = applyFix(before, 'ingress-backend-tls-unverified', /Verify/);
  assert.deepEqual(bySeverity(after, ['error', 'warning']), []);
  assert.deepEqual(findingsOf(after).map((f) => f.code), ['ingress-nginx-retired', 'ingress-secret-unresolved']);
});

checkFix('rename a misspelled annotation', {
  code: 'ingress-unknown-annotation', title: /Rename to nginx\.ingress\.kubernetes\.io\/rewrite-target/,
  before: ingress('    nginx.ingress.kubernetes.io/rewrite-targte: /\n'),
  after: ingress('    nginx.ingress.kubernetes.io/rewrite-target: /\n'),
});

checkFix('rename a misspelled auth-tls annotation', {
  code: 'ingress-unknown-annotation', title: /auth-tls-verify-client/,
  before: ingress('    nginx.ingress.kubernetes.io/auth-tls-verify-clinet: "optional"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/auth-tls-verify-client: "optional"\n'),
});

test('another controller\'s annotation is not ingress-nginx\'s unknown annotation, but checked by its own table', () => {
  const codes = findingsOf(ingress('    nginx.org/websocket-services: "api"\n    nginx.org/proxy-read-timout: "60s"\n'))
    .map((f) => f.code);
  assert.ok(!codes.includes('ingress-unknown-annotation'), codes.join(', '));
  assert.deepEqual(codes.filter((c) => c.startsWith('nic-')), ['nic-unknown-annotation']);
});

// ---------------------------------------------------------------- hover

function hoverAt(textWithCursor, others) {
  const { text, offset } = at(textWithCursor);
  const result = analyze(text, others);
  assert.ok(result, 'not analysed as an Ingress');
  return service.ingressHover(result.manifests, result.analysis, offset, NOW);
}

test('hover on auth-tls-verify-client: ssl_verify_client and the 400 answer', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-ver‸ify-client: "optional"\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /auth-tls-verify-client/);
  assert.match(hover.markdown, /ssl_verify_client/);
  assert.match(hover.markdown, /400 Bad Request/);
  assert.match(hover.markdown, /optional_no_ca/);
});

test('hover on auth-tls-pass-certificate-to-upstream: the ssl-client-cert header and $ssl_client_escaped_cert', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upst‸ream: "true"\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /ssl-client-cert/);
  assert.match(hover.markdown, /\$ssl_client_escaped_cert/);
});

const SECRET_FILES = {
  '/ws/secrets.yaml': readFileSync(SECRETS_CASES + 'secret-references/secrets.yaml', 'utf8'),
};

test('hover on a Secret reference: where it is defined, each CA certificate with subject, issuer, notAfter and days left', () => {
  const text = ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/partner‸-ca"\n');
  const hover = hoverAt(text, SECRET_FILES);
  assert.ok(hover);
  const { text: plain } = at(text);
  assert.equal(plain.slice(hover.start, hover.end), '"shop/partner-ca"');
  const md = hover.markdown;
  assert.match(md, /shop\/partner-ca/);
  assert.match(md, /\/ws\/secrets\.yaml/);
  // Both certificates of the bundle, in order.
  const first = md.indexOf('CN=Example Client CA, O=nginx-ls tests');
  const second = md.indexOf('CN=Example Partner CA');
  assert.ok(first >= 0 && second > first, md);
  assert.match(md, /Issuer: CN=Example Client CA, O=nginx-ls tests/);
  assert.match(md, /Issuer: CN=Example Partner CA/);
  assert.equal(md.match(/2046-11-20/g)?.length, 2, md);
  assert.equal(md.match(/7300 days left/g)?.length, 2, md);
  assert.match(md, /line 17\b/, 'the line of the Secret document (its apiVersion), not of the "---" before it');
});

test('hover on a Secret reference in data (base64): the first Secret of a file is at its own line', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/client-ca‸"\n'), SECRET_FILES);
  assert.ok(hover);
  assert.match(hover.markdown, /line 6\b/);
  assert.match(hover.markdown, /CN=Example Client CA, O=nginx-ls tests/);
  assert.match(hover.markdown, /Not after: 2046-11-20 \(7300 days left\)/);
});

test('hover on a Secret reference with an expired CA says how long ago', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/o‸ld-ca"\n'), SECRET_FILES);
  assert.ok(hover);
  assert.match(hover.markdown, /CN=Old Client CA/);
  assert.match(hover.markdown, /2021-01-01/);
  assert.match(hover.markdown, /expired 2154 days ago/);
});

test('hover on an unresolved Secret reference says it is not in the workspace', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/proxy-ssl-secret: "shop/no‸where"\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /shop\/nowhere/);
  assert.match(hover.markdown, /No Secret/);
});

test('hover inside a configuration-snippet is the nginx hover of the directive', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/configuration-snippet: |\n'
    + '      if ($http_x_canary) {\n          proxy_p‸ass https://canary.example.com;\n      }\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /proxy_pass/);
  assert.doesNotMatch(hover.markdown, /configuration-snippet/);
});

test('hover inside a server-snippet knows the server context', () => {
  const hover = hoverAt(ingress('    nginx.ingress.kubernetes.io/server-snippet: |\n'
    + '      locat‸ion /internal/ {\n          return 404;\n      }\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /location/);
});

test('no hover outside annotations or on an unknown annotation', () => {
  assert.equal(hoverAt(ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n').replace('host: api', 'host: a‸pi')), undefined);
  assert.equal(hoverAt(ingress('    nginx.ingress.kubernetes.io/made-u‸p: "x"\n')), undefined);
});

// ---------------------------------------------------------------- completion

function completeAt(textWithCursor) {
  const { text, offset } = at(textWithCursor);
  const manifests = service.parseManifests(text);
  return { text, offset, items: manifests ? service.ingressCompletions(manifests, offset) : [] };
}

test('completion of annotation keys inside metadata.annotations of an Ingress, after the last one', () => {
  const { items, offset } = completeAt(ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n    ‸\n'));
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('nginx.ingress.kubernetes.io/auth-tls-verify-client'), labels.slice(0, 5).join(', '));
  assert.ok(labels.includes('nginx.ingress.kubernetes.io/proxy-ssl-secret'));
  assert.ok(items.every((i) => i.kind === 'annotation' && i.start === offset && i.end === offset));
  assert.equal(items.find((i) => i.label.endsWith('/backend-protocol')).insertText, 'nginx.ingress.kubernetes.io/backend-protocol: ');
});

test('completion of annotation keys on an empty line between two annotations', () => {
  const { items } = completeAt(ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n    ‸\n'
    + '    nginx.ingress.kubernetes.io/enable-cors: "true"\n'));
  assert.ok(items.some((i) => i.label === 'nginx.ingress.kubernetes.io/auth-tls-secret'));
});

test('completion of a partly typed annotation key replaces what was typed', () => {
  const { items, text, offset } = completeAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-v‸\n'));
  const item = items.find((i) => i.label === 'nginx.ingress.kubernetes.io/auth-tls-verify-client');
  assert.ok(item);
  assert.equal(text.slice(item.start, offset), 'nginx.ingress.kubernetes.io/auth-tls-v');
});

test('completion of values for an enum annotation', () => {
  const { items, offset } = completeAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-verify-client: ‸\n'));
  assert.deepEqual(items.map((i) => i.label), ['"on"', '"off"', '"optional"', '"optional_no_ca"']);
  assert.ok(items.every((i) => i.kind === 'value' && i.start === offset));
  assert.equal(items.find((i) => i.label === '"on"').detail, 'default');
});

test('completion of values after an opening quote replaces the quote too', () => {
  const { items, text, offset } = completeAt(ingress('    nginx.ingress.kubernetes.io/proxy-ssl-verify: "o‸\n'));
  assert.deepEqual(items.map((i) => i.insertText), ['"on"', '"off"']);
  assert.equal(text.slice(items[0].start, offset), '"o');
});

test('completion of boolean values', () => {
  const { items } = completeAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream: ‸\n'));
  assert.deepEqual(items.map((i) => i.label), ['"true"', '"false"']);
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    ‸
spec:
  template:
    metadata:
      annotations:
        nginx.ingress.kubernetes.io/auth-tls-verify-client: "on"
`;

test('no completion in a Deployment\'s annotations', () => {
  assert.deepEqual(completeAt(DEPLOYMENT).items, []);
  assert.deepEqual(completeAt(DEPLOYMENT.replace('‸', '').replace('client: "on"', 'client: ‸')).items, []);
});

test('no completion in a Deployment\'s annotations next to an Ingress in the same file', () => {
  const stream = ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n') + '---\n' + DEPLOYMENT;
  assert.deepEqual(completeAt(stream).items, []);
  assert.deepEqual(completeAt(stream.replace('‸', '').replace('client: "on"', 'client: ‸')).items, []);
});

test('no Ingress snippets offered at the top level of a Deployment or compose file', () => {
  assert.deepEqual(completeAt('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n‸').items, []);
  assert.deepEqual(completeAt('services:\n  web:\n    image: nginx\n‸').items, []);
});

test('Ingress snippets offered in an empty YAML file', () => {
  const labels = completeAt('‸').items.map((i) => i.label);
  assert.ok(labels.includes('ingress-mtls'), labels.join(', '));
});

// ---------------------------------------------------------------- snippets

const SNIPPETS = JSON.parse(readFileSync(ROOT + 'snippets/ingress.json', 'utf8'));

test('package.json contributes ./snippets/ingress.json for yaml', () => {
  const pkg = JSON.parse(readFileSync(ROOT + 'package.json', 'utf8'));
  const contributed = pkg.contributes.snippets;
  assert.ok(contributed.some((s) => s.language === 'yaml' && s.path === './snippets/ingress.json'), JSON.stringify(contributed));
});

for (const [name, snippet] of Object.entries(SNIPPETS)) {
  test(`snippet "${name}" expands to a manifest with no error or warning`, () => {
    const text = service.expandSnippet(snippet.body.join('\n')) + '\n';
    assert.doesNotMatch(text, /\$\{|\$\d/, 'placeholders left after expansion');
    const manifests = service.parseManifests(text);
    assert.ok(manifests && manifests.documents.length === 1, 'not one manifest');
    assert.deepEqual(manifests.documents[0].document.errors.map((e) => e.message), [], 'not valid YAML');
    assert.deepEqual(bySeverity(text, ['error', 'warning']), []);
  });
}

// ---------------------------------------------------------------- bounded input

const HEAD = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: deep\n';

test('100,000 nested "[" return promptly with no findings, twice in one process', () => {
  const text = HEAD + '  annotations: ' + '['.repeat(100_000) + '\n';
  const started = Date.now();
  for (let i = 0; i < 2; i++) {
    assert.equal(service.parseManifests(text), undefined);
    assert.equal(analyze(text), undefined);
  }
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('100,000 nested "{" in a second document are bounded too', () => {
  const text = HEAD + '---\n' + '{a: '.repeat(100_000) + '\n';
  for (let i = 0; i < 2; i++) assert.equal(service.parseManifests(text), undefined);
});

test('a quote inside a plain scalar does not hide deep nesting from the bound', () => {
  const text = HEAD + '  labels:\n    note: it\'s\n  annotations: ' + '['.repeat(100_000) + '\n';
  const started = Date.now();
  assert.equal(service.parseManifests(text), undefined);
  assert.ok(Date.now() - started < 500, `took ${Date.now() - started} ms`);
});

test('deeply nested block sequences do not abort the process (checked in a child process)', () => {
  const script = `
    const service = require(${JSON.stringify(ROOT + 'dist/service.js')});
    const text = ${JSON.stringify(HEAD)} + '---\\n' + '- '.repeat(100000) + 'x\\n';
    for (let i = 0; i < 3; i++) {
      const m = service.parseManifests(text + ' '.repeat(i));
      const findings = m ? service.analyzeIngressFile('/d.yaml', m, { now: undefined }).findings : [];
      if (findings.length) throw new Error('findings: ' + findings.map((f) => f.code).join());
    }
    process.stdout.write('ok');
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  const fatal = r.stderr.split('\n').filter((l) => /FATAL|Error:/.test(l)).slice(0, 2).join(' | ');
  assert.equal(r.stdout, 'ok', `exit ${r.status} ${r.signal ?? ''}: ${fatal}`);
});

test('an Ingress-free YAML file is not parsed at all', () => {
  const text = 'services:\n  web:\n    image: nginx\n    labels: ' + '['.repeat(100_000) + '\n';
  const m = service.parseManifests(text);
  assert.ok(m);
  assert.deepEqual(m.documents, []);
});

test('a 2 MB annotation value with control characters gives a short, printable message', () => {
  const value = 'HTTP\\x07\\x1b[31m' + 'S'.repeat(2_000_000);
  const text = HEAD + '  annotations:\n    nginx.ingress.kubernetes.io/backend-protocol: "' + value + '"\n'
    + '    nginx.ingress.kubernetes.io/auth-tls-secret: "' + 'x\\x00'.repeat(1000) + '"\n';
  assert.ok(text.length < 2 * 1024 * 1024, 'the file must stay under the YAML size bound');
  const findings = findingsOf(text);
  const codes = findings.map((f) => f.code);
  assert.ok(codes.includes('ingress-annotation-value'), `got ${codes.join(', ')}`);
  assert.ok(codes.includes('ingress-secret-ref'), `got ${codes.join(', ')}`);
  for (const f of findings) {
    assert.ok(f.message.length <= 401, `${f.code}: ${f.message.length} characters`);
    assert.doesNotMatch(f.message, /[\x00-\x08\x0b-\x1f\x7f]/, `${f.code}: control characters in the message`);
  }
  const value1 = findings.find((f) => f.code === 'ingress-annotation-value');
  assert.match(value1.message, /^"HTTP\\x07\\x1b\[31mSSS/);
  assert.ok(value1.message.endsWith('…'));
});

test('a Secret reference\'s hover opens with the verdict: the findings on it, else how long its CAs stay valid', () => {
  const valid = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/partner‸-ca"\n'), SECRET_FILES);
  assert.equal(valid.markdown.split('\n')[0], 'Valid, the first expires in 7300 days');
  const expired = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/old‸-ca"\n'), SECRET_FILES);
  assert.match(expired.markdown.split('\n')[0],
    /^\*\*The CA certificate "CN=Old Client CA" in Secret "shop\/old-ca" expired on 2021-01-01, \d+ days ago\*\*$/);
  const noCa = hoverAt(ingress('    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/server‸-tls"\n'), SECRET_FILES);
  assert.match(noCa.markdown.split('\n')[0], /^\*\*Secret "shop\/server-tls" has no ca\.crt/);
});
