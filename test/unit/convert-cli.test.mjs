// `nginx-ls convert`: the YAML of a conversion on stdout (the same text as the service's, the source
// file named in its header), files with --out, what is lost on stderr, and the exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cases = path.join(root, 'test/conversion');
const cli = (...args) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'convert', ...args], { cwd: root, encoding: 'utf8' });
const expected = (name, target) => fs.readFileSync(path.join(cases, name, `${target}.yaml`), 'utf8');
const withSource = (text, source) => text.replace(/^(# Converted by nginx-ls from Ingress \S+)/gm, `$1 (${source})`);

test('prints the conversion of each Ingress to stdout and the losses to stderr', () => {
  for (const target of ['gateway-api', 'f5']) {
    const run = cli('--to', target, 'test/conversion/seed/input.yaml');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, withSource(expected('seed', target), 'input.yaml'));
  }
  const run = cli('--to', 'gateway-api', 'test/conversion/seed/input.yaml');
  assert.match(run.stderr, /input\.yaml: not carried over: nginx\.ingress\.kubernetes\.io\/auth-tls-pass-certificate-to-upstream: /);
});

test('--shared-gateway attaches the routes to that Gateway', () => {
  const run = cli('--to=gateway-api', '--shared-gateway', 'infra/edge', 'test/conversion/shared-gateway/input.yaml');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, withSource(expected('shared-gateway', 'gateway-api'), 'input.yaml'));
});

test('--out writes <name>.<target>.yaml beside nothing else; Secrets come from the other files given', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-convert-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = cli('--to', 'f5', '--out', dir, 'examples/k8s/ingress.yaml', 'examples/k8s/client-ca.yaml');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '');
  assert.deepEqual(fs.readdirSync(dir), ['ingress.f5.yaml']);
  const text = fs.readFileSync(path.join(dir, 'ingress.f5.yaml'), 'utf8');
  assert.match(text, /type: nginx\.org\/ca\ndata:\n {2}ca\.crt: LS0t/);
});

test('exit codes: 2 on bad usage, 1 on unreadable input or no Ingress', () => {
  assert.equal(cli('test/conversion/seed/input.yaml').status, 2);
  assert.equal(cli('--to', 'traefik', 'test/conversion/seed/input.yaml').status, 2);
  assert.equal(cli('--to', 'gateway-api', '--shared-gateway', 'edge', 'test/conversion/seed/input.yaml').status, 2);
  assert.equal(cli('--to', 'gateway-api').status, 2);
  const missing = cli('--to', 'gateway-api', 'no/such/file.yaml');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no\/such\/file\.yaml: cannot be read/);
  const none = cli('--to', 'f5', 'examples/k8s/client-ca.yaml');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no Ingress in the files given/);
});
