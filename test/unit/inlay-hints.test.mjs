// Certificate expiry inlay hints. Certificates are made at test time with openssl (test/lib/certs.mjs),
// and their dates are read back with openssl, so every expected label is worked out here from what
// openssl says, never from the service. The service is judged at a fixed `now` (chosen relative to a
// certificate's own dates); the server, which owns the clock, is driven over LSP at the end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makeCertificates, pemBodyLines } from '../lib/certs.mjs';
import { LspClient } from '../lib/lsp-client.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = process.env.NGINX_LS_DIST ?? path.join(root, 'dist');
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(dist, 'server.js');
const service = require(path.join(dist, 'service.js'));
const { NodeHost } = require(path.join(dist, 'node-host.js'));

const set = makeCertificates();
after(() => set.cleanup());
const { rel } = set;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (d) => d.toISOString().slice(0, 10);
/** Whole days from `a` to `b`, counted down as a person would ("in 23 days" is 23 days and some hours). */
const wholeDays = (a, b) => Math.floor((b.getTime() - a.getTime()) / DAY);
const shift = (date, ms) => new Date(date.getTime() + ms);

/** The certificates of a file as the service reads them. */
function certificatesIn(relPath) {
  const contents = service.readContents(fs.readFileSync(path.join(set.dir, relPath)));
  assert.equal(contents.kind, 'certificates', relPath);
  return contents.certificates;
}
const dates = (relPath) => set.describe(relPath);
const hint = (certs, purpose, now) => service.expiryHint(certs, purpose, now);

// ---------------------------------------------------------------- the label, at a fixed now

test('a certificate: "expires in N days" before its notAfter, "expired N days ago" after, at the given now', () => {
  const { notAfter } = dates(rel.leaf);
  const leaf = certificatesIn(rel.leaf);
  const at = (ms) => hint(leaf, 'certificate', shift(notAfter, ms)).label;
  assert.equal(at(-(23 * DAY + HOUR)), 'expires in 23 days');
  assert.equal(at(-(DAY + HOUR)), 'expires in 1 day');
  assert.equal(at(-HOUR), 'expires within a day');
  assert.equal(at(HOUR), 'expired within the last day');
  assert.equal(at(DAY + HOUR), 'expired 1 day ago');
  assert.equal(at(12 * DAY + HOUR), 'expired 12 days ago');
  const { tooltip } = hint(leaf, 'certificate', shift(notAfter, -DAY));
  assert.match(tooltip, new RegExp(`Not after ${iso(notAfter)}`));
  assert.match(tooltip, /CN=app\.example\.test/);
});

test('a chain: the first certificate to expire decides, named by its place when it is not the first in the file', () => {
  const leafEnd = dates(rel.leaf).notAfter;
  const intermediateEnd = dates(rel.intermediate).notAfter;
  assert.ok(leafEnd < intermediateEnd, 'the fixture leaf expires before its intermediate');
  const now = shift(leafEnd, -(40 * DAY + HOUR));
  // Leaf first (as nginx wants it): the leaf expires first, and it is certificate 1.
  assert.equal(hint(certificatesIn(rel.leafChain), 'certificate', now).label, 'expires in 40 days');
  // Intermediate first: the leaf still decides, and is named as certificate 2.
  assert.equal(hint(certificatesIn(rel.wrongOrder), 'certificate', now).label, 'expires in 40 days (certificate 2 of 2)');
  const later = shift(leafEnd, 3 * DAY + HOUR);
  assert.equal(hint(certificatesIn(rel.wrongOrder), 'certificate', later).label, 'expired 3 days ago (certificate 2 of 2)');
  assert.match(hint(certificatesIn(rel.wrongOrder), 'certificate', later).tooltip, /certificate 2 of 2: CN=app\.example\.test/);
});

test('a certificate that is not valid yet says from when', () => {
  const { notBefore } = dates(rel.notYetValid);
  const now = shift(notBefore, -(5 * DAY + HOUR));
  const result = hint(certificatesIn(rel.notYetValid), 'certificate', now);
  assert.equal(result.label, `not valid until ${iso(notBefore)}`);
  assert.match(result.tooltip, /in 5 days/);
});

test('a CA bundle: the first CA to expire, how many have; "all N CAs" once every one has expired', () => {
  const bundle = certificatesIn(rel.caBundle);
  assert.equal(bundle.length, 3);
  const ends = bundle.map((c) => c.notAfter);
  const firstEnd = new Date(Math.min(...ends));
  const lastEnd = new Date(Math.max(...ends));
  assert.equal(iso(dates(rel.rootCa).notAfter), iso(bundle[0].notAfter), 'the service reads the dates openssl reports');
  const now = shift(firstEnd, -(100 * DAY + HOUR));
  assert.equal(hint(bundle, 'ca', now).label, `expires in ${wholeDays(now, firstEnd)} days (first of 3 CAs)`);
  const afterAll = shift(lastEnd, 5 * DAY + HOUR);
  assert.equal(hint(bundle, 'ca', afterAll).label, 'expired 5 days ago (all 3 CAs)');

  // One expired CA among valid ones breaks nothing: the hint counts it and speaks of the next to expire.
  const expired = certificatesIn(rel.expired);
  const mixed = [...expired, ...certificatesIn(rel.rootCa)];
  const today = new Date();
  const rootEnd = dates(rel.rootCa).notAfter;
  assert.equal(hint(mixed, 'ca', today).label, `expires in ${wholeDays(today, rootEnd)} days (first of 2 CAs; 1 expired)`);
  // The same two as a chain nginx sends: the expired one breaks it.
  assert.equal(hint(mixed, 'certificate', today).label, `expired ${wholeDays(dates(rel.expired).notAfter, today)} days ago`);
  // A file with one CA is judged as that CA.
  assert.equal(hint(expired, 'ca', today).label, `expired ${wholeDays(dates(rel.expired).notAfter, today)} days ago`);
  assert.equal(hint([], 'ca', today), undefined);
});

// ---------------------------------------------------------------- which paths get one

let counter = 0;
/** A main config beside the certificates, analysed at `now`; the hints of that file and the text. */
function hintsFor(text, now, extraFiles = {}) {
  const file = path.join(set.dir, `hints-${++counter}.conf`);
  fs.writeFileSync(file, text);
  for (const [name, content] of Object.entries(extraFiles)) fs.writeFileSync(path.join(set.dir, name), content);
  const analysis = service.analyzeConfig(file, new NodeHost(), { now });
  const uses = analysis.certificateUses.filter((u) => u.file === file);
  return service.certificateExpiryHints(uses, now);
}

/** The offset just after the `nth` occurrence of `needle`. */
function endOf(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in the text`);
  return at + needle.length;
}

test('every certificate and CA path that was read gets a hint at its end; keys, missing, variable and unreadable paths get none', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  const text = [
    'events {}',
    'http {',
    `    proxy_ssl_trusted_certificate ${rel.caBundle};`,
    '    server {',
    '        listen 443 ssl;',
    '        server_name app.example.test;',
    `        ssl_certificate ${rel.leafChain};`,
    `        ssl_certificate_key ${rel.leafKey};`,
    `        ssl_client_certificate ${rel.rootCa};`,
    `        ssl_trusted_certificate "${rel.intermediate}";`,
    `        ssl_password_file ${rel.passwordFile};`,
    '        location /grpc { grpc_pass grpcs://127.0.0.1:9000;',
    `            grpc_ssl_certificate ${rel.rsaCert}; grpc_ssl_certificate_key ${rel.rsaKey}; }`,
    '        location /uwsgi { uwsgi_pass suwsgi://127.0.0.1:9001;',
    `            uwsgi_ssl_trusted_certificate ${rel.der}; }`,
    '    }',
    '    server {',
    '        listen 444 ssl;',
    '        ssl_certificate certs/nowhere.pem;',
    '        ssl_certificate_key certs/nowhere.key;',
    '        ssl_certificate certs/$ssl_server_name.pem;',
    '        ssl_certificate_key certs/$ssl_server_name.key;',
    '        location / { proxy_pass https://127.0.0.1;',
    `            proxy_ssl_certificate ${rel.garbage}; proxy_ssl_certificate_key ${rel.leafKey}; }`,
    '    }',
    '    server {',
    '        listen 445 ssl;',
    `        ssl_certificate ${rel.leafKey};`,
    `        ssl_certificate_key ${rel.leafKey};`,
    '    }',
    '}',
    'stream {',
    '    server {',
    '        listen 5443 ssl;',
    `        ssl_certificate ${rel.ecCert};`,
    `        ssl_certificate_key ${rel.ecKey};`,
    `        proxy_ssl_trusted_certificate ${rel.rootCa};`,
    '        proxy_pass 127.0.0.1:5000;',
    '    }',
    '}',
    '',
  ].join('\n');
  const hints = hintsFor(text, now);
  const expected = [
    endOf(text, rel.caBundle),
    endOf(text, rel.leafChain),
    endOf(text, rel.rootCa),
    endOf(text, `"${rel.intermediate}"`), // after the closing quote
    endOf(text, rel.rsaCert),
    endOf(text, rel.der),
    endOf(text, rel.ecCert),
    endOf(text, rel.rootCa, 1),
  ];
  assert.deepEqual(hints.map((h) => h.offset), expected, JSON.stringify(hints, null, 1));
  const leafEnd = dates(rel.leaf).notAfter;
  assert.equal(hints[1].label, `expires in ${wholeDays(now, leafEnd)} days`);
  assert.match(hints[0].label, /\(first of 3 CAs\)$/);
  // No hint ever holds key material.
  const keyLines = [rel.leafKey, rel.rsaKey, rel.ecKey].flatMap((r) => pemBodyLines(path.join(set.dir, r)));
  for (const h of hints) for (const line of keyLines) assert.ok(!`${h.label} ${h.tooltip}`.includes(line));
});

test('a file included twice (in two servers) has one hint per path', () => {
  const now = new Date();
  const partial = `ssl_certificate ${rel.leafChain};\nssl_certificate_key ${rel.leafKey};\n`;
  const partialFile = path.join(set.dir, 'tls-twice.conf');
  fs.writeFileSync(partialFile, partial);
  const text = 'events {}\nhttp {\n'
    + '    server { listen 443 ssl; server_name a.example.test; include tls-twice.conf; }\n'
    + '    server { listen 444 ssl; server_name b.example.test; include tls-twice.conf; }\n}\n';
  const main = path.join(set.dir, `hints-${++counter}.conf`);
  fs.writeFileSync(main, text);
  const analysis = service.analyzeConfig(main, new NodeHost(), { now });
  const uses = analysis.certificateUses.filter((u) => u.file === partialFile);
  assert.equal(uses.filter((u) => u.kind === 'certificate').length, 2, 'the walk sees the certificate once per include');
  const hints = service.certificateExpiryHints(uses, now);
  assert.deepEqual(hints.map((h) => h.offset), [endOf(partial, rel.leafChain)]);
});

// ---------------------------------------------------------------- Ingress Secret references

const SECRETS = fs.readFileSync(path.join(root, 'server/src/service/ingress/rules/secrets.cases/secret-references/secrets.yaml'), 'utf8');

test('Ingress: a hint after each Secret reference whose Secret holds CA certificates', () => {
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: app',
    '  namespace: shop',
    '  annotations:',
    '    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/partner-ca"',
    '    nginx.ingress.kubernetes.io/proxy-ssl-secret: shop/old-ca',
    'spec:',
    '  defaultBackend:',
    '    service:',
    '      name: app',
    '      port:',
    '        number: 443',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: other',
    '  namespace: shop',
    '  annotations:',
    '    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/nowhere"',
    '    nginx.ingress.kubernetes.io/proxy-ssl-secret: "shop/garbage-ca"',
    'spec:',
    '  defaultBackend:',
    '    service:',
    '      name: other',
    '      port:',
    '        number: 443',
    '',
  ].join('\n');
  const files = { '/ws/ingress.yaml': text, '/ws/secrets.yaml': SECRETS };
  const workspace = new service.ManifestWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  const now = new Date('2030-06-01T12:00:00Z');
  workspace.now = now;
  const { analysis } = workspace.analyze('/ws/ingress.yaml');
  const hints = service.ingressInlayHints(analysis, now);
  assert.deepEqual(hints.map((h) => h.offset), [endOf(text, '"shop/partner-ca"'), endOf(text, 'shop/old-ca')]);
  // The dates the fixture's comments give: partner-ca's two CAs end 2046-11-20, old-ca ended 2021-01-01.
  const partnerEnd = analysis.secretReferences.find((r) => r.name === 'partner-ca').certificates.map((c) => c.notAfter);
  assert.deepEqual(partnerEnd.map(iso), ['2046-11-20', '2046-11-20']);
  assert.equal(hints[0].label, `expires in ${wholeDays(now, new Date(Math.min(...partnerEnd)))} days (first of 2 CAs)`);
  const oldEnd = analysis.secretReferences.find((r) => r.name === 'old-ca').certificates[0].notAfter;
  assert.equal(iso(oldEnd), '2021-01-01');
  assert.equal(hints[1].label, `expired ${wholeDays(oldEnd, now)} days ago`);
});

// ---------------------------------------------------------------- through the server

const CAPS = {
  textDocument: { inlayHint: { dynamicRegistration: false } },
  workspace: { configuration: true, inlayHint: { refreshSupport: true } },
};

/** Line and character of an offset. */
function positionAt(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}

test('server: textDocument/inlayHint answers in the requested range, judged by the clock; the setting turns it off', async (t) => {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const text = 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name app.example.test;\n'
    + `        ssl_certificate ${rel.expiring};\n        ssl_certificate_key ${rel.leafKey};\n`
    + `        ssl_trusted_certificate ${rel.expired};\n    }\n}\n`;
  const file = path.join(set.dir, `server-${++counter}.conf`);
  fs.writeFileSync(file, text);
  const client = await LspClient.start(serverJs, { capabilities: CAPS, rootPath: set.dir, settings: { 'nginx-ls': {} } });
  t.after(() => client.close());
  client.handlers.set('workspace/inlayHint/refresh', () => null);
  assert.equal(client.initializeResult.capabilities.inlayHintProvider, true);
  await client.waitForServerRequest('workspace/configuration');
  const uri = client.open(file, text);
  const whole = { start: { line: 0, character: 0 }, end: positionAt(text, text.length) };
  const request = (range) => client.request('textDocument/inlayHint', { textDocument: { uri }, range });

  const before = new Date();
  const hints = await request(whole);
  const afterwards = new Date();
  // The server reads the clock between `before` and `afterwards`: either day count is right.
  const labels = (make) => [make(before), make(afterwards)];
  const expiringEnd = dates(rel.expiring).notAfter;
  const expiredEnd = dates(rel.expired).notAfter;
  assert.equal(hints.length, 2, JSON.stringify(hints));
  assert.deepEqual(hints[0].position, positionAt(text, endOf(text, rel.expiring)));
  assert.ok(labels((now) => `expires in ${wholeDays(now, expiringEnd)} days`).includes(hints[0].label), hints[0].label);
  assert.deepEqual(hints[1].position, positionAt(text, endOf(text, rel.expired)));
  assert.ok(labels((now) => `expired ${wholeDays(expiredEnd, now)} days ago`).includes(hints[1].label), hints[1].label);
  assert.equal(hints[0].paddingLeft, true);
  assert.match(hints[1].tooltip, new RegExp(iso(expiredEnd)));

  // Only the lines asked for (an editor asks for what it shows).
  const firstOnly = await request({ start: { line: 0, character: 0 }, end: { line: 6, character: 0 } });
  assert.deepEqual(firstOnly.map((h) => h.label), [hints[0].label]);

  // Turned off: the server asks the editor to fetch hints again, and answers none.
  client.settings = { 'nginx-ls': { inlayHints: { certificateExpiry: false } } };
  const mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForServerRequest('workspace/inlayHint/refresh', undefined, { since: mark });
  assert.deepEqual(await request(whole), []);
  client.settings = { 'nginx-ls': { inlayHints: { certificateExpiry: true } } };
  const again = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForServerRequest('workspace/inlayHint/refresh', undefined, { since: again });
  assert.equal((await request(whole)).length, 2);
});

test('server: a large file\'s hints after an edit come from the last analysis, moved with the text, unless a certificate line changed',
  async (t) => {
    const locations = Array.from({ length: 1500 },
      (_, i) => `        location /p${i}/ {\n            proxy_pass http://10.0.0.${i % 250};\n        }\n`);
    const text = 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name app.example.test;\n'
      + `        ssl_certificate ${rel.expiring};\n        ssl_certificate_key ${rel.leafKey};\n${locations.join('')}`
      + `        ssl_trusted_certificate ${rel.expired};\n    }\n}\n`;
    assert.ok(text.length > 64 * 1024, 'above the size where requests answer from the last analysis');
    const file = path.join(set.dir, `large-${++counter}.conf`);
    fs.writeFileSync(file, text);
    // No workspace folder (no background check) and pulled diagnostics: only the requests below analyse,
    // all on the main thread (a first analysis of 50 ms or more would send the diagnostics to the
    // analysis thread, whose analyses the count below does not see).
    const client = await LspClient.start(serverJs, {
      capabilities: { textDocument: { ...CAPS.textDocument, diagnostic: {} } },
      env: { ...process.env, NGINX_LS_OFF_THREAD_FROM_MS: String(Number.MAX_SAFE_INTEGER) },
    });
    t.after(() => client.close());
    const uri = client.open(file, text);
    const analysesMade = async () => (await client.request('nginx-ls/retained', null)).analysesMade;
    const request = () => client.request('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } },
    });
    const insert = (position, newText) => client.change(uri, [{ range: { start: position, end: position }, text: newText }]);
    await client.request('textDocument/diagnostic', { textDocument: { uri } });
    const made = await analysesMade();
    const hints = await request();
    const [first, last] = hints.map((h) => h.position);
    assert.deepEqual([first, last], [positionAt(text, endOf(text, rel.expiring)), positionAt(text, endOf(text, rel.expired))]);
    const below = (position, lines, columns = 0) => ({ line: position.line + lines, character: position.character + columns });

    // Two lines added at the top, one of them joining the first line: every hint moves two lines down.
    insert({ line: 0, character: 9 }, ' # two\n# lines\n');
    const moved = await request();
    assert.deepEqual(moved.map((h) => h.position), [below(first, 2), below(last, 2)]);
    assert.deepEqual(moved.map((h) => h.label), hints.map((h) => h.label));
    assert.equal(await analysesMade(), made, 'an analysis was made for the inlay hints');
    // Analysed again (the diagnostics), then a line typed between the two certificates: the last hint moves one line further.
    await client.request('textDocument/diagnostic', { textDocument: { uri } });
    const location = first.line + 4;
    insert({ line: location, character: '        location /p0/ {'.length }, '\n            proxy_buffering off;');
    assert.deepEqual((await request()).map((h) => h.position), [below(first, 2), below(last, 3)]);
    assert.equal(await analysesMade(), made + 1, 'an analysis was made for the inlay hints');

    // The certificate's own line edited: analysed, so that its hint is not lost (editors ask once per edit).
    insert({ line: first.line + 2, character: 8 }, ' ');
    assert.deepEqual((await request()).map((h) => h.position), [below(first, 2, 1), below(last, 3)]);
    assert.equal(await analysesMade(), made + 2);
  });

test('Ingress: a CA bundle with one expired CA: the hint and the hover speak of the next CA to expire', () => {
  // old-ca (expired 2021-01-01) and client-ca (valid to 2046-11-20), both from the fixture, as one ca.crt.
  const caOf = (name) => Buffer.from(new RegExp(`name: ${name}\\n[\\s\\S]*?ca\\.crt: (\\S+)`).exec(SECRETS)[1], 'base64').toString();
  const bundle = Buffer.from(caOf('old-ca') + caOf('client-ca')).toString('base64');
  const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: mixed\n  namespace: shop\ndata:\n  ca.crt: ${bundle}\n`;
  const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: a\n  namespace: shop\n  annotations:\n'
    + '    nginx.ingress.kubernetes.io/auth-tls-secret: "shop/mixed"\n'
    + 'spec:\n  defaultBackend:\n    service:\n      name: a\n      port:\n        number: 80\n';
  const files = { '/ws/ingress.yaml': text, '/ws/secret.yaml': secret };
  const workspace = new service.ManifestWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  const now = new Date('2030-01-01T00:00:00Z');
  workspace.now = now;
  const { manifests, analysis } = workspace.analyze('/ws/ingress.yaml');
  const validEnd = analysis.secretReferences[0].certificates.map((c) => c.notAfter).find((d) => d > now);
  const days = wholeDays(now, validEnd);
  assert.deepEqual(service.ingressInlayHints(analysis, now).map((h) => h.label), [`expires in ${days} days (first of 2 CAs; 1 expired)`]);
  const hover = service.ingressHover(manifests, analysis, text.indexOf('shop/mixed') + 2, now);
  assert.equal(hover.markdown.split('\n')[0], `Valid, the first expires in ${days} days; 1 of 2 CAs expired`);
});
