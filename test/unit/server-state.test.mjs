// What the server keeps between requests, driven over stdio (test/lib/lsp-client.mjs): code actions
// asked with diagnostics published before the last edits, buffers that differ from the disk when
// they are opened, and what a closed document leaves behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const PUBLISH = 'textDocument/publishDiagnostics';
const PUSH_CAPS = {
  textDocument: { publishDiagnostics: { versionSupport: true } },
  workspace: { configuration: true, workspaceFolders: true },
};
const PULL_CAPS = {
  textDocument: { ...PUSH_CAPS.textDocument, diagnostic: { dynamicRegistration: false } },
  workspace: { ...PUSH_CAPS.workspace, diagnostics: { refreshSupport: true } },
};

function workspace(t, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-state-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function start(t, options) {
  const client = await LspClient.start(serverJs, options);
  t.after(() => client.close());
  return client;
}

const range = (line, from, to) => ({ start: { line, character: from }, end: { line, character: to } });

test('a code action asked with a diagnostic published before the last edit answers without an error', async (t) => {
  const client = await start(t, { capabilities: PUSH_CAPS });
  const file = path.join(os.tmpdir(), 'nginx-ls-state-stale-action.conf');
  const text = 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_protocols TLSv1 TLSv1.2;\n    }\n}\n';
  const uri = client.open(file, text);
  const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.diagnostics.length > 0);
  const legacy = published.diagnostics.find((d) => d.code === 'tls-legacy-protocol');
  assert.ok(legacy, JSON.stringify(published.diagnostics));
  // The user has deleted the arguments since: the range now lands on `ssl_protocols;`.
  client.change(uri, [{ range: range(4, 22, 35), text: '' }]);
  const actions = await client.requestSettled('textDocument/codeAction', {
    textDocument: { uri }, range: legacy.range, context: { diagnostics: [legacy] },
  });
  assert.deepEqual(actions, { result: [] });
});
