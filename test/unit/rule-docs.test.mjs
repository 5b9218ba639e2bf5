// The rule pages (docs/rules/<id>.md) and the explanations they are written from
// (server/src/service/rule-docs.ts): every rule has a page with every section, and every example
// says the truth: analysed as nginx-ls analyses a workspace (real files, real certificates made by
// test/lib/certs.mjs, the clock at today), the rule fires on the bad example and not on the fixed one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../lib/certs.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = process.env.NGINX_LS_DIST ?? path.join(root, 'dist');
const service = require(path.join(dist, 'service.js'));
const { NodeHost } = require(path.join(dist, 'node-host.js'));

const set = makeCertificates();
after(() => set.cleanup());
const NOW = new Date();
const ingressRules = new Set(service.INGRESS_FAMILIES.flatMap((f) => f.rules));

let counter = 0;
/** The findings nginx-ls reports on `text` (with `files` beside it), in a folder of its own that sees the certificates. */
function findingsFor(id, text, files = {}, nginxVersion = undefined) {
  const dir = path.join(set.dir, `example-${++counter}`);
  fs.mkdirSync(dir);
  fs.symlinkSync(path.join(set.dir, 'certs'), path.join(dir, 'certs'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const host = new NodeHost();
  if (ingressRules.has(id)) {
    const file = path.join(dir, 'ingress.yaml');
    fs.writeFileSync(file, text);
    const manifests = new service.ManifestWorkspace(host);
    manifests.now = NOW;
    manifests.setCandidates([file]);
    return manifests.analyze(file).analysis.findings;
  }
  // As the editor and the CLI see it: the workspace decides whether the file is a main configuration or a part.
  const file = path.join(dir, 'example.conf');
  fs.writeFileSync(file, text);
  const workspace = new service.ConfigWorkspace(host);
  // A rule off by default is turned on for its own examples.
  const rule = service.RULES.find((r) => r.id === id);
  workspace.settings = { now: NOW, nginxVersion, rules: rule?.defaultOff ? { [id]: rule.severity } : {} };
  workspace.setCandidates([file, ...Object.keys(files).map((f) => path.join(dir, f))]);
  return workspace.analysisFor(file).findings;
}
const codesFor = (...args) => findingsFor(...args).map((f) => f.code);

test('every rule has an explanation, and nothing else has one', () => {
  assert.deepEqual(Object.keys(service.RULE_DOCS).sort(), service.RULES.map((r) => r.id).sort());
});

for (const rule of service.RULES) {
  test(`${rule.id}: fires on its bad example, not on the fixed one`, () => {
    const doc = service.RULE_DOCS[rule.id];
    const bad = codesFor(rule.id, doc.bad, doc.files, doc.nginxVersion);
    assert.ok(bad.includes(rule.id), `${rule.id} does not fire on its bad example (it reports: ${bad.join(', ') || 'nothing'})`);
    const good = findingsFor(rule.id, doc.good, doc.files, doc.nginxVersion);
    assert.ok(!good.some((f) => f.code === rule.id), `${rule.id} fires on its fixed example`);
    // The advice must agree with the other rules: a fix that another rule calls an error or a risk is no fix.
    const severityOf = (f) => f.severity ?? service.RULES.find((r) => r.id === f.code)?.severity;
    const objections = good.filter((f) => ['error', 'warning'].includes(severityOf(f))).map((f) => `${severityOf(f)} ${f.code}`);
    assert.deepEqual(objections, [], `${rule.id}: other rules object to its fixed example`);
  });
}

test('every rule has its page, with each section and its examples as checked above', () => {
  const problems = [];
  for (const rule of service.RULES) {
    const file = path.join(root, 'docs/rules', `${rule.id}.md`);
    if (!fs.existsSync(file)) { problems.push(`${rule.id}: no docs/rules/${rule.id}.md (npm run rules)`); continue; }
    const page = fs.readFileSync(file, 'utf8');
    const doc = service.RULE_DOCS[rule.id];
    for (const section of ['## What it means', '## Why it matters', '## How to fix', '## Example']) {
      if (!page.includes(`\n${section}\n`)) problems.push(`${rule.id}: no "${section}" section`);
    }
    for (const [what, text] of [['description', rule.description], ['why', doc.why], ['fix', doc.fix],
      ['bad example', doc.bad.trimEnd()], ['fixed example', doc.good.trimEnd()]]) {
      if (!page.includes(text)) problems.push(`${rule.id}: the page does not show its ${what}`);
    }
  }
  if (problems.length) assert.fail(`\n${problems.join('\n')}`);
});

test('the link every diagnostic carries names the rule\'s page in this repository', () => {
  for (const rule of service.RULES) {
    const url = service.ruleDocsUrl(rule.id);
    assert.ok(url.startsWith(`${service.RULE_DOCS_BASE}/`), url);
    assert.ok(fs.existsSync(path.join(root, 'docs/rules', url.slice(service.RULE_DOCS_BASE.length + 1))), url);
  }
});
