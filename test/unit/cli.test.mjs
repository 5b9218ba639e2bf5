// The CLI on the bundled examples: text, JSON and SARIF carry the same findings, and the exit code
// follows --fail-on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', 'check', ...args], { cwd: root, encoding: 'utf8' });

test('JSON: a list of {file, range, severity, code, message} with LSP ranges', () => {
  const run = cli('examples/', '--format', 'json');
  assert.equal(run.status, 1, 'the examples hold errors, so the default --fail-on error exits 1');
  const findings = JSON.parse(run.stdout);
  assert.ok(findings.length >= 10);
  for (const f of findings) {
    assert.deepEqual(Object.keys(f).sort(), ['code', 'file', 'message', 'range', 'severity']);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.equal(typeof f.range.start.line, 'number');
    assert.equal(typeof f.range.end.character, 'number');
  }
  const codes = new Set(findings.map((f) => f.code));
  for (const code of ['tls-upstream-unverified', 'cert-expired', 'cert-key-mismatch', 'ingress-annotation-type', 'unknown-directive']) assert.ok(codes.has(code), code);
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
