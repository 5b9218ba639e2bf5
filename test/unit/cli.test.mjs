// The CLI on the bundled examples: text, JSON and SARIF carry the same findings, and the exit code
// follows --fail-on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openssl } from '../lib/certs.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', 'check', ...args], { cwd: root, encoding: 'utf8' });

// Every finding in examples/ at a pinned time (its certificates are judged on 2026-12-01).
const EXAMPLES = [
  ['k8s/gateway-api.yaml:14', 'warning', 'gateway-backend-tls-missing'],
  ['k8s/gateway-api.yaml:35', 'information', 'nic-egress-legacy-protocols'],
  ['k8s/gateway-api.yaml:37', 'warning', 'nic-egress-unverified'],
  ['k8s/ingress.yaml:2', 'warning', 'ingress-deprecated-api'],
  ['k8s/ingress.yaml:3', 'information', 'ingress-nginx-retired'],
  ['k8s/ingress.yaml:8', 'hint', 'ingress-conversion-loss'],
  ['k8s/ingress.yaml:9', 'hint', 'ingress-conversion-loss'],
  ['k8s/ingress.yaml:10', 'hint', 'ingress-conversion-loss'],
  ['k8s/ingress.yaml:10', 'error', 'ingress-annotation-type'],
  ['k8s/ingress.yaml:11', 'hint', 'ingress-conversion-loss'],
  ['k8s/ingress.yaml:11', 'warning', 'ingress-backend-tls-unverified'],
  ['k8s/ingress.yaml:12', 'warning', 'ingress-proxy-ssl-ignored'],
  ['k8s/ingress.yaml:13', 'warning', 'ingress-unknown-annotation'],
  ['nginx/conf.d/admin.conf:1', 'information', 'hsts-missing'],
  ['nginx/conf.d/admin.conf:9', 'error', 'tls-client-verify-without-ca'],
  ['nginx/conf.d/admin.conf:14', 'error', 'unknown-variable'],
  ['nginx/conf.d/shop.conf:1', 'information', 'hsts-missing'],
  ['nginx/conf.d/shop.conf:3', 'warning', 'cert-name-mismatch'],
  ['nginx/conf.d/shop.conf:7', 'error', 'cert-expired'],
  ['nginx/conf.d/shop.conf:8', 'error', 'cert-key-mismatch'],
  ['nginx/conf.d/shop.conf:17', 'warning', 'tls-upstream-unverified'],
  ['nginx/conf.d/shop.conf:24', 'information', 'tls-upstream-no-sni'],
  ['nginx/conf.d/shop.conf:28', 'error', 'directive-args'],
  ['nginx/conf.d/shop.conf:29', 'error', 'unknown-directive'],
  ['nginx/nginx.conf:10', 'information', 'include-not-found'],
  ['nginx/nginx.conf:15', 'warning', 'tls-legacy-protocol'],
  ['nginx/nginx.conf:15', 'warning', 'tls-legacy-protocol'],
  ['nginx/nginx.conf:16', 'warning', 'tls-weak-cipher'],
];

test('JSON: a list of {file, range, severity, code, message} with LSP ranges', () => {
  const run = cli('examples/', '--format', 'json', '--now', '2026-12-01');
  assert.equal(run.status, 1, 'the examples hold errors, so the default --fail-on error exits 1');
  const findings = JSON.parse(run.stdout);
  const examples = path.join(root, 'examples') + path.sep;
  assert.deepEqual(findings.map((f) => [`${f.file.replace(examples, '')}:${f.range.start.line + 1}`, f.severity, f.code]), EXAMPLES);
  for (const f of findings) {
    assert.deepEqual(Object.keys(f).sort(), ['code', 'file', 'message', 'range', 'severity']);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.equal(typeof f.range.start.line, 'number');
    assert.equal(typeof f.range.end.character, 'number');
  }
  const codes = new Set(findings.map((f) => f.code));
  for (const code of ['tls-upstream-unverified', 'cert-expired', 'cert-key-mismatch', 'ingress-annotation-type', 'unknown-directive'])
    assert.ok(codes.has(code), code);
  assert.ok(!findings.some((f) => f.file.endsWith('deployment.yaml')), 'a Deployment gets nothing');
});

test('SARIF 2.1.0 as code scanning reads it: rules, results with ruleId, level and a region', () => {
  const run = cli('examples/', '--format', 'sarif');
  const sarif = JSON.parse(run.stdout);
  assert.equal(sarif.version, '2.1.0');
  const [only] = sarif.runs;
  assert.equal(only.tool.driver.name, 'nginx-ls');
  const ruleIds = new Set(only.tool.driver.rules.map((r) => r.id));
  const json = JSON.parse(cli('examples/', '--format', 'json').stdout);
  assert.equal(only.results.length, json.length);
  for (const r of only.results) {
    assert.ok(ruleIds.has(r.ruleId), r.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    const { artifactLocation, region } = r.locations[0].physicalLocation;
    assert.match(artifactLocation.uri, /^examples\//);
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
  }
});

test('text: one line per finding and a summary; --fail-on none exits 0, bad usage exits 2', () => {
  const run = cli('examples/', '--fail-on', 'none');
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^examples\/nginx\/conf\.d\/shop\.conf:\d+:\d+: warning \[tls-upstream-unverified\]/m);
  assert.match(run.stdout, /\d+ findings in \d+ files\n$/);
  assert.equal(cli('examples/', '--format', 'xml').status, 2);
  assert.equal(cli('no/such/path').status, 2);
});

// Exit codes on small inputs whose findings are known exactly, so that a CLI hard-wired to one
// exit code fails here.
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-cli-')));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
function write(name, text) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, text);
  return file;
}
const CLEAN = write('clean.conf', 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n');
const ERROR = write('error.conf', 'events {}\nhttp {\n    server {\n        listen 80;\n        servr x;\n    }\n}\n');
const WARNING = write('warning.conf', 'events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n'
  + '            proxy_pass https://127.0.0.1:8443;\n        }\n    }\n}\n');
const codesOf = (run) => JSON.parse(run.stdout).map((f) => `${f.severity} ${f.code}`);

test('exit 0 on a clean input, with no findings', () => {
  const run = cli(CLEAN, '--format', 'json');
  assert.deepEqual(codesOf(run), []);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(cli(CLEAN, '--fail-on', 'warning').status, 0);
});

test('exit 1 on an input with an error; --fail-on none exits 0 on it', () => {
  const run = cli(ERROR, '--format', 'json');
  assert.deepEqual(codesOf(run), ['error unknown-directive']);
  assert.equal(run.status, 1);
  assert.equal(cli(ERROR).status, 1);
  assert.equal(cli(ERROR, '--fail-on', 'error').status, 1);
  assert.equal(cli(ERROR, '--fail-on=warning').status, 1);
  assert.equal(cli(ERROR, '--fail-on', 'none').status, 0);
  assert.equal(cli(ERROR, '--fail-on=none', '--format', 'sarif').status, 0);
});

test('a warning only: exit 0 by default and with --fail-on error, 1 with --fail-on warning', () => {
  const run = cli(WARNING, '--format', 'json');
  assert.deepEqual(codesOf(run), ['warning tls-upstream-unverified']);
  assert.equal(run.status, 0);
  assert.equal(cli(WARNING, '--fail-on', 'error').status, 0);
  assert.equal(cli(WARNING, '--fail-on', 'warning').status, 1);
  assert.equal(cli(WARNING, '--fail-on=warning').status, 1);
  assert.equal(cli(WARNING, '--fail-on', 'none').status, 0);
  // A clean file beside it does not change that; an error beside it does.
  assert.equal(cli(CLEAN, WARNING).status, 0);
  assert.equal(cli(CLEAN, WARNING, ERROR).status, 1);
});

test('bad usage exits 2 with the usage line, and prints no findings', () => {
  for (const args of [
    [CLEAN, '--format', 'xml'],
    [CLEAN, '--format'],
    [CLEAN, '--fail-on', 'warn'],
    [CLEAN, '--fail-on'],
    [ERROR, '--fail-on=sometimes'],
    [path.join(scratch, 'no-such.conf')],
  ]) {
    const run = cli(...args);
    assert.equal(run.status, 2, `${args.join(' ')}: exit ${run.status}`);
    assert.equal(run.stdout, '', args.join(' '));
    assert.notEqual(run.stderr, '', args.join(' '));
  }
  const noCommand = spawnSync(process.execPath, ['dist/cli.js', 'lint', CLEAN], { cwd: root, encoding: 'utf8' });
  assert.equal(noCommand.status, 2);
  assert.match(noCommand.stderr, /^usage: nginx-ls check/);
});

test('--now pins the time certificates are judged at; an invalid date exits 2', () => {
  // A certificate valid for 30 days from today; --now is set relative to its notAfter.
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test', '-days', '30',
    '-keyout', path.join(scratch, 'test.key'), '-out', path.join(scratch, 'test.crt')]);
  const notAfter = new Date(openssl(['x509', '-noout', '-enddate', '-in', path.join(scratch, 'test.crt')])
    .trim().replace(/^notAfter=/, ''));
  const day = (n) => new Date(notAfter.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const conf = write('tls.conf', `events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name test;\n`
    + `        ssl_certificate ${scratch}/test.crt;\n        ssl_certificate_key ${scratch}/test.key;\n`
    + '        add_header Strict-Transport-Security "max-age=63072000" always;\n    }\n}\n');
  const at = (...now) => {
    const run = cli(conf, '--format', 'json', ...now);
    return { status: run.status, findings: JSON.parse(run.stdout).map((f) => `${f.severity} ${f.code}: ${f.message}`) };
  };
  // Ten days after expiry (at midnight UTC, so 9 or 10 whole days depending on the expiry's hour).
  const late = at('--now', day(10));
  assert.equal(late.status, 1);
  assert.equal(late.findings.length, 1, late.findings.join('\n'));
  assert.match(late.findings[0], /^error cert-expired: the certificate \("CN=test"\) expired on \d{4}-\d\d-\d\d, (9|10) days ago$/);
  assert.deepEqual(at(`--now=${day(10)}`), late);
  // An exact instant: 5 days before the notAfter instant.
  const soon = at('--now', new Date(notAfter.getTime() - 5 * 86_400_000).toISOString());
  assert.deepEqual(soon, {
    status: 0, findings: [`warning cert-expiring: the certificate ("CN=test") expires on ${notAfter.toISOString().slice(0, 10)}, in 5 days`]
  });
  // Long before: not yet valid.
  const early = at('--now', day(-60));
  assert.equal(early.status, 1);
  assert.equal(early.findings.length, 1, early.findings.join('\n'));
  assert.match(early.findings[0], /^error cert-not-yet-valid: /);
  for (const bad of [['--now', 'soon'], ['--now', '2026-13-45'], ['--now='], ['--now']]) {
    const run = cli(conf, ...bad);
    assert.equal(run.status, 2, `${bad.join(' ')}: exit ${run.status}`);
    assert.match(run.stderr, /invalid --now/);
    assert.equal(run.stdout, '');
  }
});

test('--nginx-version sets the target release: newer syntax is an error there, not on the newest', () => {
  const conf = write('version.conf', 'events {}\nhttp {\n    server {\n        listen 8080;\n        http2 on;\n    }\n}\n');
  const newest = cli(conf, '--format', 'json');
  assert.equal(newest.status, 0, newest.stdout + newest.stderr);
  for (const args of [['--nginx-version', '1.22'], ['--nginx-version=1.24.0']]) {
    const old = cli(conf, '--format', 'json', ...args);
    assert.equal(old.status, 1, `${args.join(' ')}: exit ${old.status}`);
    const codes = JSON.parse(old.stdout).map((d) => `${d.code}: ${d.message}`);
    const target = args.length === 2 ? '1.22' : '1.24';
    assert.deepEqual(codes, [`directive-version: "http2" directive needs nginx 1.25.1 or later (target ${target})`]);
  }
  for (const bad of [['--nginx-version', 'latest'], ['--nginx-version=1'], ['--nginx-version']]) {
    const run = cli(conf, ...bad);
    assert.equal(run.status, 2, `${bad.join(' ')}: exit ${run.status}`);
    assert.match(run.stderr, /invalid --nginx-version/);
  }
});

test('--rule: a rule off by default is reported only when turned on, and "off" drops one', () => {
  const json = (...args) => JSON.parse(cli('examples/nginx', '--format', 'json', '--now', '2026-12-01', ...args).stdout);
  const codes = (findings) => findings.map((f) => `${f.code}:${f.severity}`);
  const plain = json();
  assert.ok(!codes(plain).some((c) => c.startsWith('server-tokens-default:')), 'server-tokens-default is off by default');
  const on = json('--rule', 'server-tokens-default=hint', '--rule=tls-weak-cipher=off');
  assert.ok(codes(on).includes('server-tokens-default:hint'));
  assert.ok(!codes(on).some((c) => c.startsWith('tls-weak-cipher:')), 'tls-weak-cipher=off drops it');
  assert.equal(on.length, plain.length, 'one finding more, one fewer');
  const bad = cli('examples/nginx', '--rule', 'no-such-rule=hint');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /invalid --rule "no-such-rule=hint"/);
});

test('--ingress-controller and --no-retirement-notice, as the editor settings', () => {
  const yaml = write('ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n'
    + '    nginx.ingress.kubernetes.io/proxy-body-size: "20m"\nspec:\n  ingressClassName: nginx\n');
  const codes = (...args) => JSON.parse(cli(yaml, '--format', 'json', ...args).stdout).map((f) => f.code);
  assert.deepEqual(codes(), ['ingress-nginx-retired']);
  assert.deepEqual(codes('--no-retirement-notice'), []);
  assert.deepEqual(codes('--ingress-controller', 'f5-nginx'), ['ingress-annotation-other-controller']);
  assert.deepEqual(codes('--ingress-controller=ingress-nginx', '--no-retirement-notice'), []);
  const bad = cli(yaml, '--ingress-controller', 'traefik');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown --ingress-controller "traefik"/);
});

test('SARIF marks the rules that are off by default as not enabled', () => {
  const sarif = JSON.parse(cli('examples/nginx', '--format', 'sarif', '--now', '2026-12-01').stdout);
  const rules = new Map(sarif.runs[0].tool.driver.rules.map((r) => [r.id, r.defaultConfiguration]));
  assert.equal(rules.get('regex-redos').enabled, false);
  assert.equal(rules.get('regex-redos').level, 'note');
  assert.equal(rules.get('resolver-external').enabled, undefined);
});
