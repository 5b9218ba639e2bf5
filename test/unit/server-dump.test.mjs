// Through the LSP server (dist/server.js, driven by test/lib/lsp-client.mjs): an `nginx -T` dump
// opened in the editor gets its configuration's diagnostics on its own lines, and hover, symbols,
// folding, completion and quick fixes answer inside the files it embeds; suppression comments hide
// what they name whatever the rule's severity setting, and their own hints follow nginx-ls.rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = path.join(root, 'dist/server.js');
const PUBLISH = 'textDocument/publishDiagnostics';
const CAPS = {
  textDocument: {
    publishDiagnostics: { versionSupport: true },
    hover: { contentFormat: ['markdown'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    completion: { completionItem: { snippetSupport: false } },
  },
  workspace: { configuration: true, workspaceFolders: true },
};

function tempDir(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-dump-server-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startClient(t, dir, rules = {}) {
  const client = await LspClient.start(serverJs, { capabilities: CAPS, rootPath: dir, settings: { 'nginx-ls': { rules } } });
  t.after(() => client.close());
  await client.waitForServerRequest('workspace/configuration');
  return client;
}

/** Line/character of `needle` in `text`, plus `delta` characters. */
function positionOf(text, needle, delta = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const DUMP = [
  'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok', //    0
  'nginx: configuration file /etc/nginx/nginx.conf test is successful', // 1
  '# configuration file /etc/nginx/nginx.conf:', //                        2
  'events {}', //                                                          3
  'http {', //                                                             4
  '    include conf.d/*.conf;', //                                         5
  '}', //                                                                  6
  '', //                                                                   7
  '# configuration file /etc/nginx/conf.d/pay.conf:', //                   8
  'server {', //                                                           9
  '    listen 8080;', //                                                   10
  '    proxy_ssl_verify off;', //                                          11
  '    location /pay/ {', //                                               12
  '        proxy_pass https://pay.example.com;', //                        13
  '    }', //                                                              14
  '}', //                                                                  15
  '', //                                                                   16
].join('\n');

test('a dump in the editor: diagnostics on its lines, hover, symbols, folding, completion and a quick fix inside its files',
  async (t) => {
    const dir = tempDir(t);
    const client = await startClient(t, dir);
    const uri = client.open(path.join(dir, 'nginx-T.conf'), DUMP);
    const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['tls-upstream-unverified', 13, 19]]);
    assert.match(published.diagnostics[0].message, /set at conf\.d\/pay\.conf:3, dump line 12\)/);

    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(DUMP, 'https://pay', 4) });
    assert.deepEqual(hover.range, { start: { line: 13, character: 19 }, end: { line: 13, character: 42 } });
    assert.match(hover.contents.value, /\*\*Exploit\*\*: a man-in-the-middle/);
    assert.match(hover.contents.value, /\| proxy_ssl_verify \| off \| set at conf\.d\/pay\.conf:3, dump line 12 \|/);
    assert.match(hover.contents.value, /\| proxy_ssl_verify \| off \| pay\.conf:3, dump line 12 \|/,
      'the TLS table names the dump line too');
    const directive = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(DUMP, 'listen', 2) });
    assert.deepEqual(directive.range, { start: { line: 10, character: 4 }, end: { line: 10, character: 10 } });
    assert.match(directive.contents.value, /\*\*listen\*\*/);

    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line, s.range.end.line]),
      [['/etc/nginx/nginx.conf', 2, 6], ['/etc/nginx/conf.d/pay.conf', 8, 15]]);
    const server = symbols[1].children[0];
    assert.deepEqual([server.name, server.range.start.line, server.children[0].name, server.children[0].range.start.line],
      ['server', 9, 'location /pay/', 12]);

    const folds = await client.request('textDocument/foldingRange', { textDocument: { uri } });
    const spans = folds.map((f) => [f.startLine, f.endLine]);
    for (const span of [[2, 5], [8, 14], [9, 14], [12, 13]]) assert.ok(spans.some((s) => s[0] === span[0] && s[1] === span[1]), `${span}`);

    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 10, character: 4 } });
    const listenItem = items.find((i) => i.label === 'listen');
    assert.ok(listenItem, 'server-level directives are offered inside the embedded server');
    assert.equal(listenItem.textEdit.range.start.line, 10);

    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri }, range: published.diagnostics[0].range, context: { diagnostics: published.diagnostics },
    });
    const fix = actions.find((a) => /system CA bundle/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const edits = fix.edit.changes[uri];
    assert.ok(edits.every((e) => e.range.start.line >= 9 && e.range.start.line <= 15), 'the edits land in the embedded file');
  });

test('suppressions: hidden whatever the rule\'s severity setting; their hints follow nginx-ls.rules', async (t) => {
  const dir = tempDir(t);
  const text = 'events {}\nhttp {\n    server {\n        listen 8080;\n        location / {\n'
    + '            # nginx-ls: ignore tls-upstream-unverified\n            proxy_pass https://10.0.0.1;\n        }\n'
    + '        # nginx-ls: ignore tls-upstream-no-sni -- nothing here\n        location /b/ { return 204; }\n    }\n}\n';
  const file = path.join(dir, 'nginx.conf');
  const raised = await startClient(t, dir, { 'tls-upstream-unverified': 'error' });
  const uri = raised.open(file, text);
  const first = await raised.waitForNotification(PUBLISH, (p) => p.uri === uri);
  assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [['suppression-without-reason', 4, 5], ['suppression-unused', 4, 8]]);
  assert.deepEqual(first.diagnostics[1].tags, [1], 'an unused suppression is marked unnecessary (faded)');

  const quiet = await startClient(t, dir, { 'suppression-unused': 'off', 'suppression-without-reason': 'information' });
  const uri2 = quiet.open(file, text);
  const second = await quiet.waitForNotification(PUBLISH, (p) => p.uri === uri2);
  assert.deepEqual(second.diagnostics.map((d) => [d.code, d.severity]), [['suppression-without-reason', 3]]);
});
