// Certificate checks and hovers on real files: certificates and keys are made at test time relative
// to today with the openssl CLI (test/lib/certs.mjs), a config beside them names them by relative
// path, and the bundled service analyses it through the real-file host. Each case asserts the exact
// codes on the exact argument. The last tests run the LSP server and check that no message it sends
// carries private key material.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makeCertificates, pemBodyLines } from '../lib/certs.mjs';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
// NGINX_LS_DIST runs the file against another build (e.g. a deliberately broken one, to see tests fail).
const dist = process.env.NGINX_LS_DIST ?? path.join(root, 'dist');
const serviceJs = path.join(dist, 'service.js');
const nodeHostJs = path.join(dist, 'node-host.js');
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(dist, 'server.js');
const { analyzeConfig, hover, effectiveSeverity } = require(serviceJs);
const { NodeHost } = require(nodeHostJs);

const set = makeCertificates();
after(() => set.cleanup());
const { rel } = set;
const NOW = new Date();
const DAY = 86_400_000;
const iso = (d) => d.toISOString().slice(0, 10);

/**
 * Bugs found while writing these tests (see the report). A test marked with one of these runs and
 * asserts the right behaviour, but does not fail the suite until the fix lands: remove the `todo`.
 */

let counter = 0;

/**
 * Writes a main config beside the certificates: one TLS server with `serverName` and `body` (the
 * certificate directives), optional `http` lines before it. Returns the text, the analysis and the
 * cert-* findings in it.
 */
function analyze(body, {
  serverName = 'app.example.test', http = '', options = {}, host = new NodeHost(), extraFiles = {}, chainChecked = false,
} = {}) {
  const text = `events {}\nhttp {\n${http}    server {\n        listen 443 ssl;\n        server_name ${serverName};\n${body}    }\n}\n`;
  const file = path.join(set.dir, `case-${++counter}.conf`);
  fs.writeFileSync(file, text);
  for (const [name, content] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(set.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(set.dir, name), content);
  }
  const analysis = analyzeConfig(file, host, { now: NOW, ...options });
  // Most certificates here are a leaf alone, which cert-chain-incomplete reports (as information): the
  // tests about other rules leave it out, the "in depth" tests ask for it.
  const certFindings = analysis.findings.filter((f) => f.code.startsWith('cert-')
    && (f.code !== 'cert-chain-incomplete' || chainChecked));
  return { text, file, analysis, certFindings };
}

/** `directive path;` lines for a server body. */
const lines = (...pairs) => pairs.map(([name, value]) => `        ${name} ${value};\n`).join('');

/** Offsets of `word` in `text` as a whole word (whitespace or `;` around it), the `nth` such one. */
function span(text, word, nth = 0) {
  const re = new RegExp(`(?<=[\\s])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s;])`, 'g');
  const all = [...text.matchAll(re)];
  assert.ok(all.length > nth, `"${word}" (#${nth}) is not a word of the text`);
  return { start: all[nth].index, end: all[nth].index + word.length };
}

/** The cert-* findings as `{ code, start, end }`, in a stable order. */
const shape = (findings) => findings.map(({ code, start, end }) => ({ code, start, end }))
  .sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));

function expectFindings(result, expected) {
  assert.deepEqual(shape(result.certFindings), shape(expected.map(([code, word, nth]) => ({ code, ...span(result.text, word, nth) }))),
    `cert findings:\n${result.certFindings.map((f) =>
      `  ${f.code} ${JSON.stringify(result.text.slice(f.start, f.end))}: ${f.message}`).join('\n')}`);
}

/** Hover markdown on the `word` argument of the case's main file. */
function hoverOn(result, word, nth = 0) {
  const tree = result.analysis.files.get(result.file);
  const uses = result.analysis.certificateUses.filter((u) => u.file === result.file);
  const at = span(result.text, word, nth);
  const h = hover(tree, at.start + 1, [], undefined, uses, NOW);
  assert.ok(h, `no hover on ${word}`);
  assert.deepEqual({ start: h.start, end: h.end }, at, 'the hover range is the path argument');
  return h.markdown;
}

const GOOD = lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.leafKey]);

// ---------------------------------------------------------------- validity

test('a valid leaf + intermediate chain with its key: no cert-* findings, both files read', () => {
  const r = analyze(GOOD);
  expectFindings(r, []);
  const uses = r.analysis.certificateUses;
  assert.deepEqual(uses.map((u) => [u.word.value, u.status, u.contents?.kind]),
    [[rel.leafChain, 'read', 'certificates'], [rel.leafKey, 'read', 'key']]);
  assert.equal(uses[0].resolved, set.abs.leafChain, 'relative to the prefix (the main config\'s directory)');
  assert.equal(uses[0].contents.certificates.length, 2);
  assert.equal(uses[1].keyMatches, true);
});

test('an expired certificate: cert-expired (error) on the path, with its notAfter as an ISO date', () => {
  const r = analyze(lines(['ssl_certificate', rel.expired], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(r, [['cert-expired', rel.expired]]);
  const [f] = r.certFindings;
  assert.equal(effectiveSeverity(f), 'error');
  const notAfter = set.describe(rel.expired).notAfter;
  assert.match(f.message, /\b\d{4}-\d{2}-\d{2}\b/);
  assert.ok(f.message.includes(`expired on ${iso(notAfter)}`), f.message);
  assert.ok(f.message.includes(`${Math.floor((NOW - notAfter) / DAY)} days ago`), f.message);
});

test('a certificate expiring in 10 days: cert-expiring warning within 30 days, nothing with a 5-day window', () => {
  const body = lines(['ssl_certificate', rel.expiring], ['ssl_certificate_key', rel.leafKey]);
  const notAfter = set.describe(rel.expiring).notAfter;
  for (const options of [{ expiryWarningDays: 30 }, {}]) {
    const r = analyze(body, { options });
    expectFindings(r, [['cert-expiring', rel.expiring]]);
    assert.equal(effectiveSeverity(r.certFindings[0]), 'warning');
    assert.ok(r.certFindings[0].message.includes(`expires on ${iso(notAfter)}`), r.certFindings[0].message);
    assert.match(r.certFindings[0].message, /in (9|10) days/);
  }
  expectFindings(analyze(body, { options: { expiryWarningDays: 5 } }), []);
  expectFindings(analyze(body, { options: { expiryWarningDays: 9 } }), []);
});

test('a certificate not yet valid: cert-not-yet-valid with its notBefore date', () => {
  const r = analyze(lines(['ssl_certificate', rel.notYetValid], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(r, [['cert-not-yet-valid', rel.notYetValid]]);
  assert.equal(effectiveSeverity(r.certFindings[0]), 'error');
  assert.ok(r.certFindings[0].message.includes(iso(set.describe(rel.notYetValid).notBefore)), r.certFindings[0].message);
  assert.match(hoverOn(r, rel.notYetValid), /not yet valid/);
});

// ---------------------------------------------------------------- keys

test('a key that is not the certificate\'s: cert-key-mismatch on the key path (same type and across types)', () => {
  for (const key of [rel.mismatchKey, rel.rsaKey]) {
    const r = analyze(lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', key]));
    expectFindings(r, [['cert-key-mismatch', key]]);
    assert.equal(effectiveSeverity(r.certFindings[0]), 'error');
    assert.ok(r.certFindings[0].message.includes(rel.leafChain), r.certFindings[0].message);
    assert.match(hoverOn(r, key), /\*\*does not match\*\* `certs\/leaf-chain\.pem`/);
  }
});

test('matching RSA (PKCS#1) and EC P-384 (SEC1) pairs: no findings; the key hover says so', () => {
  const rsa = analyze(lines(['ssl_certificate', rel.rsaCert], ['ssl_certificate_key', rel.rsaKey]));
  expectFindings(rsa, []);
  const rsaHover = hoverOn(rsa, rel.rsaKey);
  assert.match(rsaHover, /\*\*Private key\*\*: RSA 2048 \(PKCS#1\)/);
  assert.match(rsaHover, /\*\*Encrypted\*\*: no/);
  assert.match(rsaHover, /\*\*Certificate\*\*: matches `certs\/rsa\.pem`/);
  assert.match(hoverOn(rsa, rel.rsaCert), /\*\*Key\*\*: RSA 2048 · leaf/);

  const ec = analyze(lines(['ssl_certificate', rel.ecCert], ['ssl_certificate_key', rel.ecKey]));
  expectFindings(ec, []);
  assert.match(hoverOn(ec, rel.ecKey), /EC P-384 \(SEC1\)[\s\S]*matches `certs\/ec\.pem`/);
  assert.match(hoverOn(ec, rel.ecCert), /\*\*Key\*\*: EC P-384 · leaf/);
});

test('two certificate/key pairs in one server (RSA + EC) pair by position', () => {
  const r = analyze(lines(['ssl_certificate', rel.rsaCert], ['ssl_certificate_key', rel.rsaKey],
    ['ssl_certificate', rel.ecCert], ['ssl_certificate_key', rel.ecKey]));
  expectFindings(r, []);
  const swapped = analyze(lines(['ssl_certificate', rel.rsaCert], ['ssl_certificate_key', rel.ecKey],
    ['ssl_certificate', rel.ecCert], ['ssl_certificate_key', rel.rsaKey]));
  expectFindings(swapped, [['cert-key-mismatch', rel.ecKey], ['cert-key-mismatch', rel.rsaKey]]);
});

test('a key in a server pairs with the certificate it inherits from http, not a sibling server\'s', () => {
  // nginx merges ssl_certificate and ssl_certificate_key separately: the second server uses the
  // http-level leaf-chain.pem with its own leaf.key, which match.
  const r = analyze(lines(['ssl_certificate_key', rel.leafKey]), {
    http: `    server { listen 443 ssl; server_name app.example.test; ssl_certificate ${rel.rsaCert}; `
      + `ssl_certificate_key ${rel.rsaKey}; }\n    ssl_certificate ${rel.leafChain};\n`,
  });
  expectFindings(r, []);
});

test('an encrypted PKCS#8 key: no mismatch reported, the hover says encrypted and cannot compare', () => {
  const r = analyze(lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.encryptedKey],
    ['ssl_password_file', rel.passwordFile]));
  expectFindings(r, []);
  const md = hoverOn(r, rel.encryptedKey);
  assert.match(md, /\*\*Encrypted\*\*: yes/);
  assert.match(md, /PKCS#8/);
  assert.match(md, /cannot compare an encrypted key/);
  assert.doesNotMatch(md, /matches|does not match/);
  // The password file is never parsed or shown.
  assert.ok(!hoverOn(r, rel.passwordFile).includes(set.passphrase));
});

// ---------------------------------------------------------------- names

test('server_name not covered by the certificate: cert-name-mismatch (warning) on that name', () => {
  const r = analyze(GOOD, { serverName: 'other.test' });
  expectFindings(r, [['cert-name-mismatch', 'other.test']]);
  assert.equal(effectiveSeverity(r.certFindings[0]), 'warning');
  assert.match(r.certFindings[0].message, /app\.example\.test, \*\.example\.test/);
});

test('wildcard rules: *.example.test covers exactly one whole left-most label', () => {
  const covered = ['app.example.test', 'a.example.test', 'A.Example.TEST', 'x-1.example.test', '*.example.test'];
  const notCovered = ['a.b.example.test', 'example.test', 'other.test', 'example.test.evil'];
  const r = analyze(GOOD, { serverName: [...covered, ...notCovered].join(' ') });
  expectFindings(r, notCovered.map((name) => ['cert-name-mismatch', name]));
});

// ---------------------------------------------------------------- chains and CA files

test('intermediate before leaf: cert-chain-order on the certificate path', () => {
  const r = analyze(lines(['ssl_certificate', rel.wrongOrder], ['ssl_certificate_key', rel.leafKey]));
  // nginx serves the first certificate (the intermediate), so the key and the name do not fit it either.
  expectFindings(r, [['cert-chain-order', rel.wrongOrder], ['cert-key-mismatch', rel.leafKey], ['cert-name-mismatch', 'app.example.test']]);
  const order = r.certFindings.find((f) => f.code === 'cert-chain-order');
  assert.match(order.message, /leaf certificate .* is number 2/);
  assert.match(hoverOn(r, rel.wrongOrder), /1 is \*\*not\*\* signed by 2/);
});

test('a leaf certificate in ssl_client_certificate / ssl_trusted_certificate: cert-not-ca on each', () => {
  const r = analyze(GOOD + lines(['ssl_verify_client', 'on'], ['ssl_client_certificate', rel.leaf],
    ['ssl_trusted_certificate', rel.leafChain]));
  expectFindings(r, [['cert-not-ca', rel.leaf], ['cert-not-ca', rel.leafChain, 1]]);
  assert.match(r.certFindings[0].message, /CN=app\.example\.test/);
});

test('a bundle of CA certificates in ssl_trusted_certificate / ssl_client_certificate: no findings', () => {
  const r = analyze(GOOD + lines(['ssl_verify_client', 'on'], ['ssl_client_certificate', rel.caBundle],
    ['ssl_trusted_certificate', rel.caBundle]));
  expectFindings(r, []);
  const md = hoverOn(r, rel.caBundle);
  assert.match(md, /3 certificates/);
  for (const cn of ['nginx-ls Test Root CA', 'nginx-ls Other CA 1', 'nginx-ls Other CA 2']) assert.ok(md.includes(`CN=${cn}`), cn);
  assert.match(md, /RSA 2048 · CA/);
});

test('a DER certificate is read like PEM', () => {
  const r = analyze(lines(['ssl_certificate', rel.der], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(r, []);
  const md = hoverOn(r, rel.der);
  assert.ok(md.includes(set.describe(rel.der).sha256), 'fingerprint of the DER file');
  assert.match(hoverOn(r, rel.leafKey), /matches `certs\/leaf\.der`/);
});

// ---------------------------------------------------------------- files that cannot be read

test('a garbage file: cert-unreadable, "not a certificate or key"', () => {
  const r = analyze(lines(['ssl_certificate', rel.garbage], ['ssl_certificate_key', rel.garbage, 1]));
  expectFindings(r, [['cert-unreadable', rel.garbage], ['cert-unreadable', rel.garbage, 1]]);
  for (const f of r.certFindings) assert.match(f.message, /not a certificate or key/);
});

test('a FIFO: cert-unreadable "not a regular file", and the analysis returns promptly', () => {
  // In a child process with a timeout: a blocking read of a FIFO would hang this process for good.
  const conf = path.join(set.dir, 'fifo-case.conf');
  const text = `events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name app.example.test;\n`
    + `${lines(['ssl_certificate', rel.fifo], ['ssl_certificate_key', rel.leafKey])}    }\n}\n`;
  fs.writeFileSync(conf, text);
  const script = `
    const { analyzeConfig } = require(${JSON.stringify(serviceJs)});
    const { NodeHost } = require(${JSON.stringify(nodeHostJs)});
    const t = Date.now();
    const a = analyzeConfig(${JSON.stringify(conf)}, new NodeHost(), {});
    process.stdout.write(JSON.stringify({ ms: Date.now() - t, findings: a.findings }));`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['-e', script], { timeout: 10_000, encoding: 'utf8' });
  assert.equal(child.signal, null, `analysis did not return within 10 s (killed by ${child.signal})`);
  assert.equal(child.status, 0, child.stderr);
  const { ms, findings } = JSON.parse(child.stdout);
  assert.ok(ms < 2000, `analysis took ${ms} ms`);
  assert.ok(Date.now() - started < 10_000);
  expectFindings({ text, certFindings: findings.filter((f) => f.code.startsWith('cert-')) }, [['cert-unreadable', rel.fifo]]);
  assert.match(findings.find((f) => f.code === 'cert-unreadable').message, /FIFO, not a regular file/);
});

test('a directory: cert-unreadable', () => {
  const r = analyze(lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.directory]));
  expectFindings(r, [['cert-unreadable', rel.directory]]);
  assert.match(r.certFindings[0].message, /a directory, not a regular file/);
});

test('a missing relative path: cert-not-found with the path resolved against the prefix', () => {
  const r = analyze(lines(['ssl_certificate', 'certs/missing.pem'], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(r, [['cert-not-found', 'certs/missing.pem']]);
  assert.ok(r.certFindings[0].message.includes(path.join(set.dir, 'certs/missing.pem')), r.certFindings[0].message);
  assert.equal(effectiveSeverity(r.certFindings[0]), 'error');
});

test('an included file\'s relative paths resolve against the prefix, not the included file\'s folder', () => {
  const site = `server {\n    listen 443 ssl;\n    server_name app.example.test;\n    ssl_certificate ${rel.expired};\n`
    + `    ssl_certificate_key ${rel.leafKey};\n}\n`;
  const text = `events {}\nhttp {\n    include conf.d/site-${counter + 1}.conf;\n}\n`;
  const file = path.join(set.dir, `case-${++counter}.conf`);
  const siteFile = path.join(set.dir, `conf.d/site-${counter}.conf`);
  fs.mkdirSync(path.dirname(siteFile), { recursive: true });
  fs.writeFileSync(siteFile, site);
  fs.writeFileSync(file, text);
  const a = analyzeConfig(file, new NodeHost(), { now: NOW });
  const certs = a.findings.filter((f) => f.code.startsWith('cert-') && f.code !== 'cert-chain-incomplete'); // a leaf alone
  assert.deepEqual(shape(certs), [{ code: 'cert-expired', ...span(site, rel.expired) }]);
  assert.equal(certs[0].file, siteFile);
});

test('an absolute path not on this machine: no finding; with a path mapping onto the temp dir it is read and checked', () => {
  const server = '/etc/nginx-ls-test-absent-' + process.pid;
  const body = lines(['ssl_certificate', `${server}/certs/expired.pem`], ['ssl_certificate_key', `${server}/certs/mismatch.key`]);
  const unmapped = analyze(body);
  expectFindings(unmapped, []);
  assert.deepEqual(unmapped.analysis.certificateUses.map((u) => u.status), ['not-on-this-machine', 'not-on-this-machine']);
  assert.match(hoverOn(unmapped, `${server}/certs/expired.pem`), /not on this machine[\s\S]*pathMappings/);

  const mapped = analyze(body, { options: { pathMappings: [[server, set.dir]] } });
  expectFindings(mapped, [['cert-expired', `${server}/certs/expired.pem`], ['cert-key-mismatch', `${server}/certs/mismatch.key`]]);
  assert.equal(mapped.analysis.certificateUses[0].resolved, set.abs.expired);
  // A mapped path that is missing in the workspace is reported (the mapping says where it should be).
  expectFindings(analyze(lines(['ssl_certificate', `${server}/certs/nope.pem`], ['ssl_certificate_key', `${server}/certs/leaf.key`]),
    { options: { pathMappings: [[server + '/', set.dir + '/']] } }), [['cert-not-found', `${server}/certs/nope.pem`]]);
});

test('a path with $ssl_server_name is skipped quietly; its hover says why', () => {
  const r = analyze(lines(['ssl_certificate', 'certs/$ssl_server_name.pem'], ['ssl_certificate_key', 'certs/$ssl_server_name.key']));
  expectFindings(r, []);
  assert.deepEqual(r.analysis.certificateUses.map((u) => u.status), ['variable', 'variable']);
  assert.match(hoverOn(r, 'certs/$ssl_server_name.pem'), /contains a variable/);
});

test('a data: PEM value is read in place', () => {
  const pem = (file) => fs.readFileSync(path.join(set.dir, file), 'utf8');
  const good = analyze(lines(['ssl_certificate', `"data:${pem(rel.leafChain)}"`], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(good, []);
  assert.equal(good.analysis.certificateUses[0].status, 'read');
  assert.match(hoverOn(good, rel.leafKey), /\*\*Certificate\*\*: matches/);

  const expiredWord = `"data:${pem(rel.expired)}"`;
  const expired = analyze(lines(['ssl_certificate', expiredWord], ['ssl_certificate_key', rel.leafKey]));
  expectFindings(expired, [['cert-expired', expiredWord]]);
  assert.match(hoverOn(expired, expiredWord), /Inline \(data:\) value/);
});

test('a data: private key is never echoed in diagnostics or hover', () => {
  const key = fs.readFileSync(set.abs.leafKey, 'utf8');
  const bodyLines = pemBodyLines(set.abs.leafKey);
  // The key inline where it belongs, and by mistake in ssl_certificate (cert-unreadable).
  const r = analyze(lines(['ssl_certificate', `"data:${key}"`], ['ssl_certificate_key', `"data:${key}"`]));
  expectFindings(r, [['cert-unreadable', `"data:${key}"`]]);
  const shown = [...r.certFindings.map((f) => f.message), hoverOn(r, `"data:${key}"`), hoverOn(r, `"data:${key}"`, 1)];
  for (const text of shown) {
    assert.ok(!text.includes('PRIVATE KEY'), text);
    for (const line of bodyLines) assert.ok(!text.includes(line), text);
  }
});

// ---------------------------------------------------------------- hover

test('hover on a chain lists subject, issuer, names, dates, days left, serial, fingerprint, key, role and the chain', () => {
  const r = analyze(GOOD);
  const md = hoverOn(r, rel.leafChain);
  const leaf = set.describe(rel.leaf);
  const inter = set.describe(rel.intermediate);
  assert.match(md, /2 certificates/);
  assert.ok(md.includes('**Subject**: CN=app.example.test, O=nginx-ls tests'), md);
  assert.ok(md.includes('**Issuer**: CN=nginx-ls Test Intermediate CA, O=nginx-ls tests'), md);
  assert.ok(md.includes('**Names**: DNS:app.example.test, DNS:*.example.test'), md);
  const days = Math.floor((leaf.notAfter - NOW) / DAY);
  assert.ok(md.includes(`**Valid**: ${iso(leaf.notBefore)} → ${iso(leaf.notAfter)} (${days} days remaining)`), md);
  const serial = /\*\*Serial\*\*: ([0-9a-fA-F]+)/.exec(md)?.[1];
  assert.equal(serial?.replace(/^0+/, '').toUpperCase(), leaf.serial.replace(/^0+/, ''));
  assert.ok(md.includes(`**SHA-256**: ${leaf.sha256}`), md);
  assert.ok(md.includes(`**SHA-256**: ${inter.sha256}`), 'the intermediate too');
  assert.match(md, /\*\*Key\*\*: EC P-256 · leaf/);
  assert.match(md, /\*\*Key\*\*: EC P-256 · CA/);
  assert.ok(md.includes('**Chain as clients build it**: `app.example.test` (leaf, EC P-256, SHA-256'), md);
  assert.doesNotMatch(md, /\*\*Chain\*\*:/, 'the file\'s order is drawn only when it is wrong');
  assert.doesNotMatch(md, /PRIVATE KEY/);
});

test('hover on a key path: algorithm, encryption, and whether it matches the certificate', () => {
  const r = analyze(GOOD);
  const md = hoverOn(r, rel.leafKey);
  assert.match(md, /\*\*Private key\*\*: EC P-256 \(PKCS#8\)/);
  assert.match(md, /\*\*Encrypted\*\*: no/);
  assert.match(md, /\*\*Certificate\*\*: matches `certs\/leaf-chain\.pem`/);
  for (const line of pemBodyLines(set.abs.leafKey)) assert.ok(!md.includes(line));
});

test('hover on an expired certificate counts the same days as the diagnostic', () => {
  const r = analyze(lines(['ssl_certificate', rel.expired], ['ssl_certificate_key', rel.leafKey]));
  const days = /(\d+) days ago/.exec(r.certFindings[0].message)[1];
  assert.match(hoverOn(r, rel.expired), new RegExp(`expired ${days} days ago`));
});

test('a non-ASCII subject is shown as written', () => {
  const r = analyze(lines(['ssl_certificate', rel.unicode], ['ssl_certificate_key', rel.rsaKey]));
  const md = hoverOn(r, rel.unicode);
  assert.ok(md.includes('**Subject**: CN=tëst.example, O=Ünïcode'), md);
  assert.ok(md.includes('**Issuer**: CN=tëst.example, O=Ünïcode (self-signed)'), md);
  const mismatch = r.certFindings.find((f) => f.code === 'cert-key-mismatch');
  assert.ok(mismatch?.message.includes('CN=tëst.example, O=Ünïcode'), mismatch?.message);
});

// ---------------------------------------------------------------- the server never sends key material

/** Every server→client message, as JSON text, and the server's stderr. */
const sentText = (client) => client.received.map((e) => JSON.stringify(e.message)).concat(client.stderr);

function assertNoKeyMaterial(texts, what) {
  const secrets = set.privateKeyFiles.flatMap((f) => pemBodyLines(f));
  assert.ok(secrets.length > 30, 'the key files have base64 bodies to look for');
  for (const text of texts) {
    assert.ok(!text.includes('PRIVATE KEY'), `${what}: "PRIVATE KEY" in ${text.slice(0, 300)}`);
    assert.ok(!text.includes(set.passphrase), `${what}: the passphrase in ${text.slice(0, 300)}`);
    for (const line of secrets) assert.ok(!text.includes(line), `${what}: a key line (${line.slice(0, 12)}…) in ${text.slice(0, 300)}`);
  }
}

async function exerciseServer(t, text) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const file = path.join(set.dir, `lsp-${++counter}.conf`);
  fs.writeFileSync(file, text);
  const client = await LspClient.start(serverJs, {
    rootPath: set.dir,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } } },
  });
  t.after(() => client.close());
  client.notify('$/setTrace', { value: 'verbose' });
  const uri = client.open(file, text);
  const published = await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
  const hovers = [];
  for (const m of text.matchAll(/(ssl_[a-z_]+)\s+("[^"]*"|[^\s;]+);/g)) {
    const offset = m.index + m[0].indexOf(m[2]) + 1;
    const before = text.slice(0, offset).split('\n');
    hovers.push(await client.request('textDocument/hover', {
      textDocument: { uri }, position: { line: before.length - 1, character: before.at(-1).length }
    }));
  }
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
    context: { diagnostics: published.diagnostics },
  });
  await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  const inlayHints = await client.request('textDocument/inlayHint', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
  });
  return { client, uri, published, hovers, actions, file, inlayHints };
}

test('the LSP server never sends private key material (diagnostics, hovers, code actions, inlay hints, logs, trace)', async (t) => {
  const server = (name, body) => `    server {\n        listen 443 ssl;\n        server_name ${name};\n${body}    }\n`;
  const text = 'events {}\nhttp {\n'
    + server('app.example.test',
      lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.leafKey], ['ssl_trusted_certificate', rel.caBundle]))
    + server('a.example.test',
      lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.encryptedKey], ['ssl_password_file', rel.passwordFile]))
    + server('b.example.test', lines(['ssl_certificate', rel.rsaCert], ['ssl_certificate_key', rel.rsaKey]))
    + server('c.example.test', lines(['ssl_certificate', rel.ecCert], ['ssl_certificate_key', rel.ecKey]))
    + server('other.test', lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.mismatchKey]))
    + server('d.example.test', lines(['ssl_certificate', rel.leafKey], ['ssl_certificate_key', rel.leafKey]))
    + server('e.example.test',
      lines(['ssl_certificate', rel.expired], ['ssl_certificate_key', rel.garbage], ['ssl_client_certificate', rel.rsaKey]))
    + '}\n';
  const { client, published, hovers, inlayHints } = await exerciseServer(t, text);
  assert.ok(inlayHints.length >= 6, `an expiry hint after the certificates read: ${JSON.stringify(inlayHints)}`);
  const codes = published.diagnostics.map((d) => d.code);
  for (const code of ['cert-key-mismatch', 'cert-name-mismatch', 'cert-expired', 'cert-unreadable'])
    assert.ok(codes.includes(code), `${code} in ${codes}`);
  assert.equal(hovers.length, 17);
  assert.ok(hovers.every((h) => h?.contents?.value), 'a hover on every path');
  assert.ok(hovers.some((h) => /Encrypted\*\*: yes/.test(h.contents.value)));
  assert.ok(hovers.some((h) => /does not match/.test(h.contents.value)));
  assertNoKeyMaterial(sentText(client), 'server message');
});

test('the LSP server never sends a data: private key back', async (t) => {
  const key = fs.readFileSync(set.abs.leafKey, 'utf8');
  const text = `events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name app.example.test;\n`
    + `${lines(['ssl_certificate', `"data:${key}"`], ['ssl_certificate_key', `"data:${key}"`])}    }\n}\n`;
  const { client, hovers } = await exerciseServer(t, text);
  assert.equal(hovers.length, 2);
  assertNoKeyMaterial(sentText(client), 'server message');
});

// ---------------------------------------------------------------- verdict first

/** The first line of a hover: the verdict. */
const firstLine = (md) => md.split('\n')[0];

test('a certificate hover opens with the verdict: expired, wrong key, names not covered', () => {
  const r = analyze(lines(['ssl_certificate', rel.expired], ['ssl_certificate_key', rel.mismatchKey]), { serverName: 'www.example.com' });
  const days = /(\d+) days ago/.exec(r.certFindings.find((f) => f.code === 'cert-expired').message)[1];
  assert.equal(firstLine(hoverOn(r, rel.expired)),
    `**Expired ${days} days ago** · **Key does not match: "${rel.mismatchKey}"** · **Does not cover www.example.com**`
    + " · **Chain incomplete: issuer missing**"); // certs/expired.pem is a leaf alone
  assert.equal(firstLine(hoverOn(r, rel.mismatchKey)), `**Does not match the certificate "${rel.expired}"**`);
});

test('a good certificate\'s hover opens with "valid, expires in N days"; its key\'s with the match', () => {
  const r = analyze(GOOD);
  const days = Math.floor((set.describe(rel.leaf).notAfter - NOW) / DAY);
  assert.equal(firstLine(hoverOn(r, rel.leafChain)), `Valid, expires in ${days} days`);
  assert.equal(firstLine(hoverOn(r, rel.leafKey)), `Matches the certificate "${rel.leafChain}"`);
});

test('verdicts for expiring, not yet valid, chain order and a leaf in a CA file', () => {
  const expiring = analyze(lines(['ssl_certificate', rel.expiring], ['ssl_certificate_key', rel.leafKey]));
  assert.match(firstLine(hoverOn(expiring, rel.expiring)), /^\*\*Expires in \d days\*\* · \*\*Chain incomplete: issuer missing\*\*$/);
  const early = analyze(lines(['ssl_certificate', rel.notYetValid], ['ssl_certificate_key', rel.leafKey]));
  assert.match(firstLine(hoverOn(early, rel.notYetValid)),
    /^\*\*Not yet valid: valid from \d{4}-\d\d-\d\d, in \d+ days\*\* · \*\*Chain incomplete: issuer missing\*\*$/);
  const order = analyze(lines(['ssl_certificate', rel.wrongOrder], ['ssl_certificate_key', rel.leafKey]));
  assert.match(firstLine(hoverOn(order, rel.wrongOrder)), /^\*\*Chain out of order\*\*/);
  const notCa = analyze(lines(['ssl_certificate', rel.leafChain], ['ssl_certificate_key', rel.leafKey],
    ['ssl_client_certificate', rel.leaf]));
  assert.match(firstLine(hoverOn(notCa, rel.leaf)), /^\*\*Not a CA: "CN=app\.example\.test, O=nginx-ls tests"\*\* · Valid, expires in/);
});

test('a certificate hover stays compact: fingerprints last, at most a few lines per certificate', () => {
  const md = hoverOn(analyze(GOOD), rel.leafChain);
  const lines = md.split('\n').filter(Boolean);
  assert.ok(lines.length <= 15, `${lines.length} lines:\n${md}`);
  assert.ok(md.lastIndexOf('**SHA-256**') > md.lastIndexOf('**Subject**'), 'fingerprints after every certificate');
});

test('in depth: the chain drawn in the hover, from the leaf to the CA file the configuration trusts', () => {
  const r = analyze(GOOD + lines(['ssl_client_certificate', rel.rootCa]) + '        ssl_verify_client optional;\n', { chainChecked: true });
  const md = hoverOn(r, rel.leafChain);
  const [leaf, inter, root] = [rel.leaf, rel.intermediate, rel.rootCa].map((f) => set.describe(f));
  assert.ok(md.includes(`**Chain as clients build it**: \`app.example.test\` (leaf, EC P-256, SHA-256, expires ${iso(leaf.notAfter)}) → `
    + `\`nginx-ls Test Intermediate CA\` (intermediate, EC P-256, SHA-256, expires ${iso(inter.notAfter)}) → `
    + `\`nginx-ls Test Root CA\` (root, EC P-256, SHA-256, expires ${iso(root.notAfter)}): `
    + `not sent, the trust anchor in \`${rel.rootCa}\``), md);
  expectFindings(r, []);
});

test('in depth: a leaf without its intermediate is drawn as an incomplete chain and reported on the path', () => {
  const r = analyze(lines(['ssl_certificate', rel.leaf], ['ssl_certificate_key', rel.leafKey]), { chainChecked: true });
  expectFindings(r, [['cert-chain-incomplete', rel.leaf]]);
  assert.equal(r.certFindings[0].severity, 'information', 'no issuer URL in the leaf: it may be a private root clients trust');
  assert.match(hoverOn(r, rel.leaf), /→ `nginx-ls Test Intermediate CA`: not in the file \(\*\*chain incomplete\*\*\)/);
});

test('in depth: weak keys, SHA-1 signatures, CA certificates served and must-staple on certificates made now', () => {
  expectFindings(analyze(lines(['ssl_certificate', rel.weakRsa], ['ssl_certificate_key', rel.weakRsaKey])),
    [['cert-weak-key', rel.weakRsa]]);
  expectFindings(analyze(lines(['ssl_certificate', rel.sha1Chain], ['ssl_certificate_key', rel.leafKey])),
    [['cert-weak-signature', rel.sha1Chain]]);
  const ca = analyze(lines(['ssl_certificate', rel.intermediate], ['ssl_certificate_key', rel.intermediateKey]), { serverName: '_' });
  expectFindings(ca, [['cert-ca-as-server', rel.intermediate]]);
  expectFindings(analyze(lines(['ssl_certificate', rel.mustStapleChain], ['ssl_certificate_key', rel.leafKey])),
    [['cert-must-staple', rel.mustStapleChain]]);
  expectFindings(analyze(lines(['ssl_certificate', rel.mustStapleChain], ['ssl_certificate_key', rel.leafKey],
    ['ssl_stapling', 'on'])), []);
  // A self-signed root's own SHA-256 signature, an EC key and an RSA 2048 one: nothing.
  expectFindings(analyze(lines(['ssl_certificate', rel.rsaCert], ['ssl_certificate_key', rel.rsaKey])), []);
});
