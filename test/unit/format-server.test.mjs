// Formatting through dist/server.js over stdio: the capabilities a client is given (static, or
// registered dynamically for nginx documents only), and document, range and on-type requests
// answered with LSP edits by line and character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const FOUR_SPACES = { tabSize: 4, insertSpaces: true };

/** What VS Code advertises for formatting: every request registered dynamically. */
const DYNAMIC = {
  textDocument: {
    formatting: { dynamicRegistration: true },
    rangeFormatting: { dynamicRegistration: true },
    onTypeFormatting: { dynamicRegistration: true },
  },
};

async function startClient(t, options = {}) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = await LspClient.start(serverJs, options);
  t.after(() => client.close());
  return client;
}

/** LSP edits applied to a text (sorted from the end, as a client applies them). */
function apply(text, edits) {
  const lines = text.split('\n');
  const offset = (p) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((out, e) => out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end)), text);
}

test('a client without dynamic registration gets the static capabilities; YAML gets no edits', async (t) => {
  const client = await startClient(t);
  const caps = client.initializeResult.capabilities;
  assert.equal(caps.documentFormattingProvider, true);
  assert.equal(caps.documentRangeFormattingProvider, true);
  assert.deepEqual(caps.documentOnTypeFormattingProvider, { firstTriggerCharacter: '}', moreTriggerCharacter: [';'] });
  const text = 'http {\nserver { listen 80; }\n}\n';
  const uri = client.open('/tmp/nginx-ls-format/nginx.conf', text);
  const edits = await client.request('textDocument/formatting', { textDocument: { uri }, options: FOUR_SPACES });
  assert.equal(apply(text, edits), 'http {\n    server {\n        listen 80;\n    }\n}\n');
  const yaml = client.open('/tmp/nginx-ls-format/ingress.yaml', 'kind:   Ingress\n', { languageId: 'yaml' });
  assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri: yaml }, options: FOUR_SPACES }), []);
});

test('VS Code registers formatting dynamically, for nginx documents alone', async (t) => {
  const client = await startClient(t, { capabilities: DYNAMIC });
  const caps = client.initializeResult.capabilities;
  assert.equal(caps.documentFormattingProvider, undefined);
  assert.equal(caps.documentOnTypeFormattingProvider, undefined);
  const methods = new Set();
  for (let i = 0; i < 3; i++) {
    const request = await client.waitForServerRequest('client/registerCapability',
      (p) => p.registrations.some((r) => r.method.includes('ormatting') && !methods.has(r.method)));
    for (const r of request.registrations.filter((x) => x.method.includes('ormatting'))) {
      methods.add(r.method);
      assert.deepEqual(r.registerOptions.documentSelector.map((s) => s.language), ['nginx', 'nginx'], r.method);
      if (r.method === 'textDocument/onTypeFormatting') assert.equal(r.registerOptions.firstTriggerCharacter, '}');
    }
  }
  assert.deepEqual([...methods].sort(), ['textDocument/formatting', 'textDocument/onTypeFormatting', 'textDocument/rangeFormatting']);
});

test('range and on-type formatting by line and character', async (t) => {
  const client = await startClient(t);
  const text = 'http {\nserver {\nlisten 80;\nroot   /srv;\n}\n}\n';
  const uri = client.open('/tmp/nginx-ls-format/range.conf', text);
  const range = await client.request('textDocument/rangeFormatting',
    { textDocument: { uri }, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 2 } }, options: FOUR_SPACES });
  assert.equal(apply(text, range), 'http {\nserver {\nlisten 80;\n        root /srv;\n}\n}\n');
  const onType = await client.request('textDocument/onTypeFormatting',
    { textDocument: { uri }, position: { line: 4, character: 1 }, ch: '}', options: { tabSize: 2, insertSpaces: true } });
  assert.equal(apply(text, onType), 'http {\n  server {\n    listen 80;\n    root /srv;\n  }\n}\n');
  const broken = client.open('/tmp/nginx-ls-format/broken.conf', 'http {\nserver {\n');
  assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri: broken }, options: FOUR_SPACES }), []);
});
