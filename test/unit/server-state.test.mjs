// What the server keeps between requests, driven over stdio (test/lib/lsp-client.mjs): code actions
// asked with diagnostics published before the last edits, buffers that differ from the disk when
// they are opened, and what a closed document leaves behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileUri } from '../lib/lsp-client.mjs';
import { startServer, tempWorkspace } from '../lib/workspace.mjs';

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

const workspace = (t, files) => tempWorkspace(t, files, 'nginx-ls-state-');

const start = (t, options) => startServer(t, serverJs, options);

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

test('published diagnostics leave out what only the hover reads; the hover and the quick fix still have it', async (t) => {
  const client = await start(t, { capabilities: PUSH_CAPS });
  const file = path.join(os.tmpdir(), 'nginx-ls-state-hover-data.conf');
  const text = 'events {}\nhttp {\n    server {\n        listen 8080;\n        location /admin/ {\n            allow 10.0.0.0/8;\n'
    + '        }\n    }\n}\n';
  const uri = client.open(file, text);
  const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.diagnostics.length > 0);
  const open = published.diagnostics.find((d) => d.code === 'access-allow-without-deny');
  assert.ok(open, JSON.stringify(published.diagnostics));
  assert.equal(open.data?.exploit, undefined);
  assert.equal(open.data?.effective, undefined);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: open.range.start });
  assert.match(hover?.contents.value ?? '', /\*\*Exploit\*\*: `GET \/admin\/ from 203\.0\.113\.7/);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri }, range: open.range, context: { diagnostics: [open] },
  });
  assert.ok(actions.some((a) => a.kind === 'quickfix'), JSON.stringify(actions));
});

// ---- buffers that differ from the disk when they are opened (hot exit, a file rewritten outside the editor) ----

const MAIN = 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n';
const MAIN_BUFFER = 'events {}\nhttp {\n    include conf.d/*.conf;\n    gzipp on;\n}\n';
const SITE = 'server {\n    listn 80;\n    location / {\n        autoindex off;\n    }\n}\n';
const SITE_BUFFER = 'server {\n    listen 80;\n    location / {\n        autoindex on;\n    }\n}\n';
/** The words the diagnostics of a document are about (`"listn"` → listn), sorted. */
const subjects = (diagnostics) => diagnostics.map((d) => `${d.code}:${/"([^"]+)"/.exec(d.message)?.[1] ?? ''}`).sort();

/** The diagnostics of an open document at `version`, pulled or as pushed. */
async function diagnosticsOf(client, uri, pull, version = 1) {
  if (pull) return (await client.request('textDocument/diagnostic', { textDocument: { uri } })).items;
  return (await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === version)).diagnostics;
}

/** A workspace whose check has gone over every file (the main config analysed from the disk) before anything opens. */
async function checkedWorkspace(t, files, pull) {
  const dir = workspace(t, files);
  const client = await start(t, { rootPath: dir, capabilities: pull ? PULL_CAPS : PUSH_CAPS });
  if (pull) await client.request('workspace/diagnostic', { previousResultIds: [] });
  else await client.waitForNotification(PUBLISH, (p) => p.uri === fileUri(path.join(dir, 'conf.d/site.conf')));
  return { dir, client };
}

for (const pull of [false, true]) {
  for (const order of ['main config first', 'included file first']) {
    test(`buffers that differ from the disk get their own findings, ${order} (${pull ? 'pull' : 'push'})`, async (t) => {
      const { dir, client } = await checkedWorkspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE }, pull);
      const opening = [['nginx.conf', MAIN_BUFFER], ['conf.d/site.conf', SITE_BUFFER]];
      if (order !== 'main config first') opening.reverse();
      const found = {};
      for (const [name, text] of opening) {
        found[name] = subjects(await diagnosticsOf(client, client.open(path.join(dir, name), text), pull));
      }
      assert.deepEqual(found['nginx.conf'], ['unknown-directive:gzipp']);
      assert.deepEqual(found['conf.d/site.conf'], ['autoindex-on:']);
      const hover = await client.request('textDocument/hover', {
        textDocument: { uri: fileUri(path.join(dir, 'conf.d/site.conf')) }, position: { line: 3, character: 20 },
      });
      assert.match(hover?.contents.value ?? '', /listing/, 'the hover explains the finding of the buffer');
    });
  }

  test(`a file rewritten on disk unannounced, then opened as it now is, gets the findings of that text (${pull ? 'pull' : 'push'})`,
    async (t) => {
      const { dir, client } = await checkedWorkspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE }, pull);
      // No didChangeWatchedFiles: the client watches other files, or the change comes before the watcher reports it.
      fs.writeFileSync(path.join(dir, 'conf.d/site.conf'), SITE_BUFFER);
      const uri = client.open(path.join(dir, 'conf.d/site.conf'), SITE_BUFFER);
      assert.deepEqual(subjects(await diagnosticsOf(client, uri, pull)), ['autoindex-on:']);
    });

  test(`an Ingress buffer that differs from the disk gets its own findings (${pull ? 'pull' : 'push'})`, async (t) => {
    const ingress = (value) => ['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', '  annotations:',
      `    nginx.ingress.kubernetes.io/proxy-ssl-verify: "${value}"`, '    nginx.ingress.kubernetes.io/proxy-ssl-secret: "default/ca"',
      'spec:', '  rules: []', ''].join('\n');
    const dir = workspace(t, { 'k8s/ingress.yaml': ingress('maybe') });
    const client = await start(t, { rootPath: dir, capabilities: pull ? PULL_CAPS : PUSH_CAPS });
    if (pull) await client.request('workspace/diagnostic', { previousResultIds: [] });
    else await client.waitForNotification(PUBLISH, (p) => p.uri === fileUri(path.join(dir, 'k8s/ingress.yaml')));
    const uri = client.open(path.join(dir, 'k8s/ingress.yaml'), ingress('sometimes'), { languageId: 'yaml' });
    const messages = (await diagnosticsOf(client, uri, pull)).map((d) => d.message).join('\n');
    assert.match(messages, /"sometimes"/);
    assert.doesNotMatch(messages, /"maybe"/);
  });
}

// ---- what closing releases ----

/** Opens `count` distinct files (a small server block each), has each analysed, and closes them. */
async function openAndClose(client, dir, from, count) {
  for (let i = from; i < from + count; i += 100) {
    const uris = [];
    for (let j = i; j < Math.min(i + 100, from + count); j++) {
      const text = `server {\n    listen ${8000 + (j % 1000)};\n    server_name s${j}.test;\n}\n`;
      uris.push(client.open(path.join(dir, `site-${j}.conf`), text));
    }
    for (const uri of uris) await client.request('textDocument/diagnostic', { textDocument: { uri } });
    for (const uri of uris) client.closeDocument(uri);
  }
}

test('opening and closing 3,000 distinct files leaves the retained entries and the heap where they started', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { rootPath: dir, capabilities: PULL_CAPS });
  await client.request('workspace/diagnostic', { previousResultIds: [] });
  // A first round loads what the server loads on first use (the reference text, the rule tables).
  await openAndClose(client, dir, 0, 200);
  const before = await client.request('nginx-ls/retained', null);
  await openAndClose(client, dir, 200, 3000);
  const after = await client.request('nginx-ls/retained', null, { timeout: 20_000 });
  assert.deepEqual(after.entries, before.entries);
  const grown = after.heapUsed - before.heapUsed;
  assert.ok(grown < 4 * 1024 * 1024, `the heap grew by ${(grown / 1048576).toFixed(1)} MB over 3,000 files opened and closed`);
});

test('5 s after the last document closes the server collects garbage (once); a document opened before cancels it', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { capabilities: PULL_CAPS });
  const main = client.open(path.join(dir, 'nginx.conf'), MAIN);
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
  client.closeDocument(main);
  client.closeDocument(site);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // Opened again, and still open 5.5 s after the first close: no collection while a document is open.
  const again = client.open(path.join(dir, 'nginx.conf'), MAIN);
  await client.request('textDocument/diagnostic', { textDocument: { uri: again } });
  await new Promise((resolve) => setTimeout(resolve, 4500));
  assert.equal((await client.request('nginx-ls/retained', null)).idleCollections, 0);
  client.closeDocument(again);
  await new Promise((resolve) => setTimeout(resolve, 6500));
  assert.equal((await client.request('nginx-ls/retained', null)).idleCollections, 1);
});

// ---- typing ----

test('after an edit the typed document is published before the other files of its configuration are checked again', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { rootPath: dir, capabilities: PUSH_CAPS });
  const main = client.open(path.join(dir, 'nginx.conf'), MAIN);
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.waitForNotification(PUBLISH, (p) => p.uri === main && p.version === 1);
  await client.waitForNotification(PUBLISH, (p) => p.uri === site && p.version === 1);
  const mark = client.mark;
  const version = client.change(site, [{ range: range(1, 4, 9), text: 'listen' }]);
  await client.waitForNotification(PUBLISH, (p) => p.uri === main, { since: mark });
  const order = client.received.slice(mark).filter((e) => e.message.method === PUBLISH).map((e) => e.message.params);
  assert.equal(order[0].uri, site);
  assert.equal(order[0].version, version);
  assert.deepEqual(subjects(order[0].diagnostics), []);
});

test('hover and completion right after an edit of a large file answer without analysing it again', async (t) => {
  const site = Array.from({ length: 1500 }, (_, i) => `    location /p${i}/ {\n        proxy_pass http://10.0.0.${i % 250}:80;\n    }\n`);
  const text = `events {}\nhttp {\n    server {\n        listen 80;\n${site.join('')}    }\n}\n`;
  assert.ok(text.length > 64 * 1024);
  const dir = workspace(t, { 'nginx.conf': text });
  // No workspace folder and no settings to load: nothing but the requests below analyses.
  const client = await start(t, { capabilities: { textDocument: PULL_CAPS.textDocument } });
  const uri = client.open(path.join(dir, 'nginx.conf'), text);
  await client.request('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal((await client.request('nginx-ls/retained', null)).entries['nginx.analyses'], 1);
  client.change(uri, [{ range: range(0, 0, 0), text: '# a comment\n' }]);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 10 } });
  assert.match(hover?.contents.value ?? '', /proxy_pass/);
  const completion = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 12 } });
  assert.ok((completion.items ?? completion).some((item) => item.label === 'proxy_pass'));
  assert.equal((await client.request('nginx-ls/retained', null)).entries['nginx.analyses'], 0, 'an analysis was made for the requests');
  const pulled = await client.request('textDocument/diagnostic', { textDocument: { uri } });
  assert.deepEqual(pulled.items, []);
});

/** A config of more than 64 KB (above that a hover answers from the last analysis) with an upstream over TLS at the end. */
function largeTlsConfig() {
  const sites = Array.from({ length: 1500 }, (_, i) => `    location /p${i}/ {\n        proxy_pass http://10.0.0.${i % 250}:80;\n    }\n`);
  const text = `events {}\nhttp {\n    server {\n        listen 80;\n${sites.join('')}`
    + '        location /pay/ {\n            proxy_pass https://pay.internal;\n        }\n    }\n}\n';
  const line = text.slice(0, text.indexOf('proxy_pass https://')).split('\n').length - 1;
  return { text, line };
}

/** A server with the large config open and analysed once; `made`: the analyses it has made by then. */
async function openLargeTlsConfig(t) {
  const { text, line } = largeTlsConfig();
  const dir = workspace(t, { 'nginx.conf': text });
  const client = await start(t, { capabilities: { textDocument: PULL_CAPS.textDocument } });
  const uri = client.open(path.join(dir, 'nginx.conf'), text);
  await client.request('textDocument/diagnostic', { textDocument: { uri } });
  const made = (await client.request('nginx-ls/retained', null)).analysesMade;
  return { client, uri, line, made };
}

test('a hover right after an edit of a large file answers from the last analysis, its range moved into the new text', async (t) => {
  const { client, uri, line, made } = await openLargeTlsConfig(t);
  // Two lines added above, one of them joining the first line: lines below move down by two.
  client.change(uri, [{ range: range(0, 9, 9), text: ' # two\n# lines\n' }]);
  const at = { line: line + 2, character: 14 };
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: at });
  // The analysis' TLS facts (not only the reference text): the last analysis answered, not a fresh parse alone.
  assert.match(hover?.contents.value ?? '', /TLS to `https:\/\/pay\.internal`/);
  assert.deepEqual(hover.range, range(line + 2, 12, 22));
  const completion = await client.request('textDocument/completion', {
    textDocument: { uri }, position: { line: line + 2, character: 17 },
  });
  const items = completion.items ?? completion;
  const entry = items.find((item) => item.label === 'proxy_pass');
  assert.ok(entry, 'proxy_pass is offered');
  assert.deepEqual(entry.textEdit?.range ?? entry.textEdit?.replace, range(line + 2, 12, 17));
  assert.equal((await client.request('nginx-ls/retained', null)).analysesMade, made, 'an analysis was made for the requests');
  // On the line typed in, the buffer is read as it is now.
  const typed = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
  assert.equal(typed, null);
  const first = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
  assert.match(first?.contents.value ?? '', /events/);
  assert.deepEqual(first.range, range(0, 0, 6));
});

test('between two places of a large file edited since its last analysis, a hover still answers from that analysis', async (t) => {
  const { client, uri, line, made } = await openLargeTlsConfig(t);
  const { text } = largeTlsConfig();
  const lastLine = text.split('\n').length - 1;
  // Above and below the TLS upstream: compared as texts, the two would make one region covering it.
  client.change(uri, [{ range: range(0, 0, 0), text: '# top\n' }]);
  client.change(uri, [{ range: range(lastLine + 1, 0, 0), text: '# end\n' }]);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: line + 1, character: 14 } });
  assert.match(hover?.contents.value ?? '', /TLS to `https:\/\/pay\.internal`/);
  assert.deepEqual(hover.range, range(line + 1, 12, 22));
  assert.equal((await client.request('nginx-ls/retained', null)).analysesMade, made, 'an analysis was made for the hover');
});

test('completion on a line just typed in a large file reads that line, in the blocks around it, without an analysis', async (t) => {
  const { client, uri, line, made } = await openLargeTlsConfig(t);
  // A new line in the last location, below its proxy_pass.
  client.change(uri, [{ range: range(line, 44, 44), text: '\n            proxy_ssl_v' }]);
  const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: line + 1, character: 23 } });
  const labels = (items.items ?? items).map((item) => item.label);
  assert.ok(labels.includes('proxy_ssl_verify'), labels.join(' '));
  const verify = (items.items ?? items).find((item) => item.label === 'proxy_ssl_verify');
  assert.deepEqual(verify.textEdit?.range ?? verify.textEdit?.replace, range(line + 1, 12, 23));
  // In a location: directives of the http level alone are not offered.
  const block = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: line + 1, character: 12 } });
  const names = (block.items ?? block).map((item) => item.label);
  assert.ok(names.includes('proxy_pass') && !names.includes('proxy_cache_path'), names.join(' '));
  assert.equal((await client.request('nginx-ls/retained', null)).analysesMade, made, 'an analysis was made for the requests');
});
