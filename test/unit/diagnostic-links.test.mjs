// Over LSP (dist/server.js, a real client), every diagnostic links to its rule's page
// (codeDescription.href), pushed or pulled, and a removed directive is tagged deprecated. The CLI's
// SARIF names the same pages (helpUri).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../lib/lsp-client.mjs';
import { service } from '../lib/service.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const cliJs = process.env.NGINX_LS_CLI ?? path.join(root, 'dist/cli.js');
const PUBLISH = 'textDocument/publishDiagnostics';
const DEPRECATED = 2; // DiagnosticTag.Deprecated

// An unknown directive, and `ssl on` (removed in nginx 1.25.1).
const TEXT = 'events {}\nhttp {\n    servr {}\n    server {\n        listen 80;\n        ssl on;\n    }\n}\n';
const page = (id) => `https://github.com/nginx-ls/nginx-ls/blob/main/docs/rules/${id}.md`;

function tempConfig(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-links-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), TEXT);
  return dir;
}

function checkLinks(diagnostics) {
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['directive-removed', 'unknown-directive']);
  for (const d of diagnostics) {
    assert.deepEqual(d.codeDescription, { href: page(d.code) }, d.code);
    assert.ok(fs.existsSync(path.join(root, 'docs/rules', `${d.code}.md`)), `the page of ${d.code} exists`);
  }
  assert.deepEqual(diagnostics.find((d) => d.code === 'directive-removed').tags, [DEPRECATED]);
  assert.equal(diagnostics.find((d) => d.code === 'unknown-directive').tags, undefined, 'other rules carry no tag');
}

test('pushed diagnostics link to their rule\'s page; directive-removed is tagged deprecated', async (t) => {
  const dir = tempConfig(t);
  const client = await LspClient.start(serverJs, { rootPath: dir, capabilities: { textDocument: { publishDiagnostics: {} } } });
  t.after(() => client.close());
  const uri = client.open(path.join(dir, 'nginx.conf'), TEXT);
  checkLinks((await client.waitForNotification(PUBLISH, (p) => p.uri === uri)).diagnostics);
});

test('pulled diagnostics carry the same links and tags', async (t) => {
  const dir = tempConfig(t);
  const client = await LspClient.start(serverJs, { rootPath: dir, capabilities: { textDocument: { diagnostic: {} } } });
  t.after(() => client.close());
  const uri = client.open(path.join(dir, 'nginx.conf'), TEXT);
  checkLinks((await client.request('textDocument/diagnostic', { textDocument: { uri } })).items);
});

test('SARIF: every rule has its page as helpUri', (t) => {
  const dir = tempConfig(t);
  const run = spawnSync(process.execPath, [cliJs, 'check', '--format', 'sarif', 'nginx.conf'], { cwd: dir, encoding: 'utf8' });
  const rules = JSON.parse(run.stdout).runs[0].tool.driver.rules;
  assert.deepEqual(rules.map((r) => r.id), service.RULES.map((r) => r.id));
  for (const r of rules) assert.equal(r.helpUri, page(r.id));
});
