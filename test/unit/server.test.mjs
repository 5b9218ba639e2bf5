// dist/server.js over stdio, driven by a real LSP client (test/lib/lsp-client.mjs): push and pull
// diagnostics, version handling, settings, includes across files, editor features, and a server
// that survives bad requests and pathological documents. Every wait is on a message, with a timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// NGINX_LS_SERVER runs the suite against another build of the server (e.g. a deliberately broken one).
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const PUBLISH = 'textDocument/publishDiagnostics';

/** What Neovim 0.7 advertises that matters here: no `textDocument.diagnostic`, so it needs pushes. */
const PUSH_CAPS = {
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  workspace: { configuration: true, workspaceFolders: true },
};

/** A pull client (VS Code): it asks for diagnostics with textDocument/diagnostic. */
const PULL_CAPS = {
  textDocument: { ...PUSH_CAPS.textDocument, diagnostic: { dynamicRegistration: false } },
  workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
};

const TYPO = 'events {}\nhttp { servr {} }';

/** A temporary folder holding `files` (relative path → text), removed after the test. */
function tempDir(t, files = {}) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-server-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A started client, closed after the test. A client with workspace/configuration is returned once
 * the server has asked for the settings and read the answer (a round trip later), so no publish or
 * refresh from the initial settings load can land in the middle of a test.
 */
async function startClient(t, options) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = await LspClient.start(serverJs, options);
  t.after(() => client.close());
  if (options.capabilities?.workspace?.configuration) {
    await client.waitForServerRequest('workspace/configuration');
    await hoverAt(client, 'untitled:settled', { line: 0, character: 0 });
  }
  return client;
}

/** Line/character of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function positionOf(text, needle, delta = 0, nth = 0) {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const codes = (diagnostics) => diagnostics.map((d) => d.code);
const flatten = (symbols) => symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
const pull = (client, uri) => client.request('textDocument/diagnostic', { textDocument: { uri } });
const hoverAt = (client, uri, position) => client.request('textDocument/hover', { textDocument: { uri }, position });

test('push client: an unknown directive is published with "did you mean" and the document version', async (t) => {
  const dir = tempDir(t, { 'nginx.conf': TYPO });
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined, 'no pull provider for a push-only client');

  const uri = client.open(path.join(dir, 'nginx.conf'), TYPO, { version: 7 });
  // The workspace check may publish the file from disk before it opens (without a version).
  const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version !== undefined);
  assert.equal(published.version, 7);
  const typo = published.diagnostics.find((d) => d.code === 'unknown-directive');
  assert.ok(typo, `no unknown-directive in ${JSON.stringify(published.diagnostics)}`);
  assert.match(typo.message, /did you mean "server"/);
  assert.equal(typo.source, 'nginx-ls');
  assert.equal(typo.severity, 1);
  assert.deepEqual(typo.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } });
});

test('push client: superseded versions are never published after a newer one was sent', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const uri = client.open(path.join(dir, 'nginx.conf'), TYPO);
  await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === 1);

  // Which version was the newest sent when each message arrived: `sent[i]` went out at mark `sent[i].mark`.
  const sent = [];
  const change = (changes) => sent.push({ mark: client.mark, version: client.change(uri, changes) });
  const start = client.mark;
  // In one tick: servr → servx (v2) → serv (v3) → server (v4), as incremental edits.
  change([{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } }, text: 'servx' }]);
  change([{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } }, text: '' }]);
  change([{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 11 } }, text: 'er' }]);
  assert.deepEqual(sent.map((s) => s.version), [2, 3, 4]);
  const v4 = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === 4, { since: start });
  assert.deepEqual(v4.diagnostics, [], 'v4 ("server") is valid');

  // A stray v2/v3 publish could only come from a timer; v5's debounced publish gives them time to show.
  change([{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 13 } }, text: 'servr' }]);
  const v5 = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === 5, { since: start });
  assert.deepEqual(codes(v5.diagnostics), ['unknown-directive']);

  const published = client.received.slice(start).filter((e) => e.message.method === PUBLISH && e.message.params.uri === uri);
  for (const e of published) {
    const newest = Math.max(...sent.filter((s) => s.mark <= e.seq).map((s) => s.version));
    assert.equal(e.message.params.version, newest, `publish #${e.seq} carries v${e.message.params.version} after v${newest} was sent`);
  }
  // The server's document is the result of the incremental edits.
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(flatten(symbols).map((s) => s.name), ['events', 'http']);
});

test('pull client: textDocument/diagnostic answers, nothing is pushed, settings trigger a refresh', async (t) => {
  const dir = tempDir(t, { 'nginx.conf': TYPO });
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: { 'nginx-ls': { rules: {} } } });
  assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });

  const uri = client.open(path.join(dir, 'nginx.conf'), TYPO);
  const report = await pull(client, uri);
  assert.equal(report.kind, 'full');
  const typo = report.items.find((d) => d.code === 'unknown-directive');
  assert.ok(typo, `no unknown-directive in ${JSON.stringify(report.items)}`);
  assert.match(typo.message, /did you mean "server"/);
  assert.equal(typo.severity, 1);
  // A push on open is scheduled at once; one more round trip lets it arrive if it exists.
  await hoverAt(client, uri, { line: 0, character: 1 });
  assert.deepEqual(client.notifications(PUBLISH), [], 'a pull client must not receive pushes');

  // A settings change asks the client to pull again (workspace/diagnostic/refresh), with the new severity.
  client.settings = { 'nginx-ls': { rules: { 'unknown-directive': 'warning' } } };
  const mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForServerRequest('workspace/diagnostic/refresh', undefined, { since: mark });
  const warned = await pull(client, uri);
  assert.deepEqual(warned.items.map((d) => [d.code, d.severity]), [['unknown-directive', 2]]);

  client.change(uri, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } }, text: 'server' }]);
  assert.deepEqual((await pull(client, uri)).items, [], 'the pull reflects the edit');
  assert.deepEqual(await pull(client, fileUri(path.join(dir, 'never-opened.conf'))), { kind: 'full', items: [] });
  assert.deepEqual(client.notifications(PUBLISH), [], 'a pull client must not receive pushes');
});

/**
 * Opens nginx.conf (TYPO) and a second file, fixes the typo in nginx.conf, then waits `QUIET_MS`
 * (well past the 150 ms / 300 ms push debounce); returns every publish that arrived since the edit.
 */
const QUIET_MS = 600;
async function publishesAfterEdit(t, capabilities) {
  const dir = tempDir(t, { 'nginx.conf': TYPO, 'other.conf': 'events {}\n' });
  const client = await startClient(t, { capabilities, rootPath: dir, settings: { 'nginx-ls': { rules: {} } } });
  const uri = client.open(path.join(dir, 'nginx.conf'), TYPO);
  const other = client.open(path.join(dir, 'other.conf'), 'events {}\n');
  // Both opens are handled (and their pushes, if any, sent) before the answers to these requests.
  await hoverAt(client, uri, { line: 0, character: 1 });
  await hoverAt(client, other, { line: 0, character: 1 });
  const mark = client.mark;
  const version = client.change(uri, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } }, text: 'server' }]);
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const after = client.received.slice(mark).filter((e) => e.message.method === PUBLISH).map((e) => e.message.params);
  return { client, uri, other, version, after };
}

test(`pull client: no push after an edit either, in ${QUIET_MS} ms (in which a push client gets one)`, async (t) => {
  // The control: the same steps and the same wait bring a push client the edit's diagnostics.
  const push = await publishesAfterEdit(t, PUSH_CAPS);
  const edited = push.after.filter((p) => p.uri === push.uri);
  assert.deepEqual(edited.map((p) => [p.version, p.diagnostics]), [[push.version, []]],
    'a push client gets the edited version, once, clean');
  assert.ok(push.after.some((p) => p.uri === push.other), 'a push client gets the other open file again too');

  const pull = await publishesAfterEdit(t, PULL_CAPS);
  assert.equal(pull.version, push.version);
  assert.deepEqual(pull.after, [], 'a pull client must not receive pushes after an edit');
  assert.deepEqual(pull.client.notifications(PUBLISH), [], 'nor at any time before');
  // The edit did reach the server: a pull sees it.
  const report = await pull.client.request('textDocument/diagnostic', { textDocument: { uri: pull.uri } });
  assert.deepEqual(report.items, []);
});

test('handler isolation: bad requests get null, [] or an error, and the server lives on', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const text = 'events {}\nhttp {\n    server {\n        location / {\n'
    + '            proxy_pass http://127.0.0.1:8080;\n        }\n    }\n}\n';
  const uri = client.open(path.join(dir, 'nginx.conf'), text);
  const unknown = fileUri(path.join(dir, 'never-opened.conf'));
  const td = (u) => ({ textDocument: { uri: u } });

  assert.equal(await hoverAt(client, unknown, { line: 0, character: 0 }), null);
  assert.equal(await hoverAt(client, 'untitled:Untitled-1', { line: 0, character: 0 }), null);
  assert.deepEqual(await client.request('textDocument/documentSymbol', td(unknown)), []);
  assert.deepEqual(await client.request('textDocument/foldingRange', td(unknown)), []);
  // Past the end of the document or of a line: nothing there. Before its start: clamped to 0:0.
  for (const position of [{ line: 99999, character: 99999 }, { line: 3, character: 99999 }]) {
    assert.deepEqual(await client.requestSettled('textDocument/hover', { ...td(uri), position }), { result: null },
      JSON.stringify(position));
  }
  const clamped = await client.requestSettled('textDocument/hover', { ...td(uri), position: { line: -1, character: -5 } });
  assert.match(clamped.result?.contents?.value ?? '', /^\*\*events\*\*/, JSON.stringify(clamped));
  // Params the handler cannot use: the throw becomes an error response (runSafe), not a crash.
  const broken = await client.requestSettled('textDocument/hover', {});
  assert.equal(broken.error?.code, -32603, JSON.stringify(broken));
  assert.match(broken.error.message, /hover failed/);
  assert.equal((await client.requestSettled('nginx-ls/noSuchMethod', {})).error?.code, -32601);
  client.change(unknown, [{ text: 'http {' }]); // a change for a document never opened
  client.notify('textDocument/didClose', td(unknown));

  const hover = await hoverAt(client, uri, positionOf(text, 'proxy_pass', 2));
  assert.match(hover?.contents?.value ?? '', /proxy_pass/, 'hover still works after the bad requests');
  assert.equal(client.exited, false);
});

test('pathological documents: the server answers and publishes within seconds', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const text = 'events {}\nhttp {\n    server {\n        location / {\n'
    + '            proxy_pass http://127.0.0.1:8080;\n        }\n    }\n}\n';
  const uri = client.open(path.join(dir, 'nginx.conf'), text);
  // Each with what it must give exactly: symbols, folding ranges, diagnostics by code.
  const documents = {
    'nested-braces.conf': ['{'.repeat(100_000), 0, 0, { syntax: 1001 }],
    'long-line.conf': [`events {}\nhttp { server_name ${'a'.repeat(2 * 1024 * 1024)} }\n`, 2, 0, { 'directive-context': 1, syntax: 1 }],
    'binary.conf': [Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256)).toString('latin1') + '\0{\0}\0;',
      0, 201, { 'unknown-directive': 1, syntax: 258 }],
    'lua.conf': ['events {}\nhttp {\n    server {\n        location / {\n            content_by_lua_block {\n'
      + '                local s = "{" -- }\n', 2, 4, { syntax: 5 }],
  };
  for (const [name, [body, symbolCount, foldCount, byCode]] of Object.entries(documents)) {
    const started = Date.now();
    const doc = client.open(path.join(dir, name), body);
    const answers = await Promise.all(['textDocument/documentSymbol', 'textDocument/foldingRange'].map((method) =>
      client.requestSettled(method, { textDocument: { uri: doc } }, { timeout: 10_000 })));
    assert.deepEqual(answers.map((a) => a.result?.length ?? a), [symbolCount, foldCount], `${name}: symbols, folding ranges`);
    const published = await client.waitForNotification(PUBLISH, (p) => p.uri === doc, { timeout: 10_000 });
    const counted = {};
    for (const d of published.diagnostics) counted[d.code] = (counted[d.code] ?? 0) + 1;
    assert.deepEqual(counted, byCode, `${name}: diagnostics by code`);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'proxy_pass', 2) },
      { timeout: 5000 });
    assert.match(hover?.contents?.value ?? '', /proxy_pass/, `hover after ${name}`);
    assert.ok(Date.now() - started < 12_000, `${name} took ${Date.now() - started} ms`);
  }
  const lua = client.notifications(PUBLISH, (p) => p.uri.endsWith('/lua.conf')).at(-1);
  assert.ok(lua.diagnostics.some((d) => d.code === 'syntax'), 'an unterminated lua block is a syntax error');
});

test('hover, document symbols and folding ranges', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const text = [
    'events {}', //                                                         0
    'http {', //                                                            1
    '    server {', //                                                      2
    '        listen 80;', //                                                3
    '        server_name example.com;', //                                  4
    '        location /api/ {', //                                          5
    '            proxy_pass http://backend;', //                            6
    '            proxy_set_header X-Client-Cert $ssl_client_escaped_cert;', // 7
    '        }', //                                                         8
    '    }', //                                                             9
    '    upstream backend {', //                                            10
    '        server 127.0.0.1:8080;', //                                    11
    '    }', //                                                             12
    '}', //                                                                 13
    '',
  ].join('\n');
  const uri = client.open(path.join(dir, 'nginx.conf'), text);

  const directive = await hoverAt(client, uri, positionOf(text, 'proxy_pass', 3));
  assert.equal(directive.contents.kind, 'markdown');
  assert.match(directive.contents.value, /proxy_pass/);
  assert.match(directive.contents.value, /nginx\.org/);
  assert.deepEqual(directive.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 22 } });
  const variable = await hoverAt(client, uri, positionOf(text, '$ssl_client_escaped_cert', 5));
  assert.match(variable?.contents?.value ?? '', /ssl_client_escaped_cert/);
  assert.equal(await hoverAt(client, uri, positionOf(text, 'example.com', 0)), null, 'no hover on a plain argument');

  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  const names = flatten(symbols).map((s) => s.name);
  for (const name of ['http', 'server example.com', 'location /api/', 'upstream backend'])
    assert.ok(names.includes(name), `${name} not in ${names}`);
  const server = flatten(symbols).find((s) => s.name === 'server example.com');
  assert.deepEqual(server.children.map((s) => s.name), ['location /api/'], 'the location is nested in its server');
  assert.deepEqual([server.range.start.line, server.range.end.line], [2, 9]);

  const folds = await client.request('textDocument/foldingRange', { textDocument: { uri } });
  const spans = folds.map((f) => [f.startLine, f.endLine]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(spans, [[1, 12], [2, 8], [5, 7], [10, 11]]);
});

test('settings: nginx-ls.rules from workspace/configuration and from didChangeConfiguration', async (t) => {
  const dir = tempDir(t);
  const text = 'events {}\nhttp { servr {} listen 80; }\n';
  const file = path.join(dir, 'nginx.conf');
  const configured = (rules) => ({ 'nginx-ls': { rules } });

  // Client with workspace/configuration: the server asks; the answer wins from the first publish.
  const asking = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: configured({ 'unknown-directive': 'off' }) });
  assert.ok(asking.received.some((e) => e.kind === 'request' && e.message.params.items?.some((i) => i.section === 'nginx-ls')));
  const uri = asking.open(file, text);
  const off = await asking.waitForNotification(PUBLISH, (p) => p.uri === uri);
  assert.deepEqual(codes(off.diagnostics), ['directive-context'], '"off" drops the rule, and only it');

  asking.settings = configured({ 'unknown-directive': 'warning' });
  let mark = asking.mark;
  asking.notify('workspace/didChangeConfiguration', { settings: null });
  const warned = await asking.waitForNotification(PUBLISH, (p) => p.uri === uri && codes(p.diagnostics).includes('unknown-directive'),
    { since: mark });
  assert.equal(warned.diagnostics.find((d) => d.code === 'unknown-directive').severity, 2);
  assert.equal(warned.diagnostics.find((d) => d.code === 'directive-context').severity, 1);

  asking.settings = configured({ 'unknown-directive': 'off', 'directive-context': 'hint' });
  mark = asking.mark;
  asking.notify('workspace/didChangeConfiguration', { settings: null });
  const again = await asking.waitForNotification(PUBLISH, (p) => p.uri === uri && !codes(p.diagnostics).includes('unknown-directive'),
    { since: mark });
  assert.deepEqual(again.diagnostics.map((d) => [d.code, d.severity]), [['directive-context', 4]]);

  // Client without workspace/configuration: settings come in the notification itself.
  const telling = await startClient(t, { capabilities: { ...PUSH_CAPS, workspace: {} }, rootPath: dir });
  const told = telling.open(file, text);
  const initial = await telling.waitForNotification(PUBLISH, (p) => p.uri === told);
  assert.equal(initial.diagnostics.find((d) => d.code === 'unknown-directive')?.severity, 1);
  mark = telling.mark;
  telling.notify('workspace/didChangeConfiguration', { settings: configured({ 'unknown-directive': 'warning' }) });
  const pushed = await telling.waitForNotification(PUBLISH, (p) => p.uri === told, { since: mark });
  assert.equal(pushed.diagnostics.find((d) => d.code === 'unknown-directive')?.severity, 2);
  assert.equal(telling.received.some((e) => e.message.method === 'workspace/configuration'), false);
});

test('settings: a rule off by default is reported once nginx-ls.rules names a severity for it, and gone again with "off"', async (t) => {
  const dir = tempDir(t);
  const text = 'events {}\nhttp {\n    server_tokens off;\n    server { listen 80; location ~ /admin { proxy_pass http://127.0.0.1:8081; } }\n}\n';
  const file = path.join(dir, 'nginx.conf');
  const configured = (rules) => ({ 'nginx-ls': { rules } });
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: configured({}) });
  const uri = client.open(file, text);
  const first = await client.waitForNotification(PUBLISH, (p) => p.uri === uri);
  assert.deepEqual(codes(first.diagnostics), [], 'location-regex-unanchored is off by default');

  client.settings = configured({ 'location-regex-unanchored': 'hint' });
  let mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const on = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.diagnostics.length > 0, { since: mark });
  assert.deepEqual(on.diagnostics.map((d) => [d.code, d.severity]), [['location-regex-unanchored', 4]]);

  client.settings = configured({ 'location-regex-unanchored': 'off' });
  mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const off = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.diagnostics.length === 0, { since: mark });
  assert.deepEqual(codes(off.diagnostics), []);
});

test('settings: nginx-ls.nginx.version sets the target release', async (t) => {
  const dir = tempDir(t);
  const text = 'events {}\nhttp { server { listen 80; http2 on; } }\n';
  const file = path.join(dir, 'nginx.conf');
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: { 'nginx-ls': { nginx: { version: '1.22' } } } });
  const uri = client.open(file, text);
  const old = await client.waitForNotification(PUBLISH, (p) => p.uri === uri);
  assert.deepEqual(codes(old.diagnostics), ['directive-version']);
  assert.match(old.diagnostics[0].message, /needs nginx 1\.25\.1 or later \(target 1\.22\)/);

  // An unreadable value is the newest stable release, as when unset.
  client.settings = { 'nginx-ls': { nginx: { version: 'latest' } } };
  const mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const newest = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.diagnostics.length === 0, { since: mark });
  assert.deepEqual(newest.diagnostics, []);
});

test('includes: a partial file is checked in the context of the include that brings it in', async (t) => {
  const site = 'server {\n    listen 80;\n    location / {\n    }\n}\n';
  const dir = tempDir(t, {
    'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    'conf.d/site.conf': site,
    'conf.d/stray.conf': 'location /stray/ {\n}\n',
  });
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const read = (name) => fs.readFileSync(path.join(dir, name), 'utf8');
  const publishedFor = async (c, file, text) => {
    const uri = c.open(file, text);
    return (await c.waitForNotification(PUBLISH, (p) => p.uri === uri)).diagnostics;
  };

  assert.deepEqual(await publishedFor(client, path.join(dir, 'conf.d/site.conf'), site), [], 'server blocks belong in http');
  const stray = await publishedFor(client, path.join(dir, 'conf.d/stray.conf'), read('conf.d/stray.conf'));
  assert.deepEqual(codes(stray), ['directive-context'], '"location" is not allowed at http level');
  assert.deepEqual(stray[0].range.start, { line: 0, character: 0 });
  assert.deepEqual(await publishedFor(client, path.join(dir, 'nginx.conf'), read('nginx.conf')), [], 'the glob matches');

  // The same file where no main config includes it: analysed on its own, permissively.
  const alone = tempDir(t, { 'sites/site.conf': site });
  const lonely = await startClient(t, { capabilities: PUSH_CAPS, rootPath: alone });
  const diagnostics = await publishedFor(lonely, path.join(alone, 'sites/site.conf'), site);
  assert.deepEqual(codes(diagnostics).filter((c) => c === 'directive-context'), []);
});

test('hover links core directives to ngx_core_module.html', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const text = 'worker_processes 2;\nevents {\n    worker_connections 512;\n}\n';
  const uri = client.open(path.join(dir, 'nginx.conf'), text);
  for (const [word, page] of [
    ['worker_processes', 'ngx_core_module'], ['events', 'ngx_core_module'], ['worker_connections', 'ngx_core_module']
  ]) {
    const hover = await hoverAt(client, uri, positionOf(text, word, 1));
    const link = /\[nginx\.org documentation\]\(([^)]*)\)/.exec(hover?.contents?.value ?? '')?.[1];
    assert.equal(link, `https://nginx.org/en/docs/${page}.html#${word}`, word);
  }
});

test('document symbols and folding ranges for 20k nested blocks answer, bounded in depth', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const uri = client.open(path.join(dir, 'deep.conf'), 'location / {\n'.repeat(20_000));
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } }, { timeout: 10_000 });
  assert.equal(symbols.length, 1);
  let depth = 0;
  for (let s = symbols[0]; s; s = s.children?.[0]) {
    depth++;
    assert.ok((s.children ?? []).length <= 1);
  }
  const folds = await client.request('textDocument/foldingRange', { textDocument: { uri } }, { timeout: 10_000 });
  // Outline and folding stop at a fixed depth (the outermost block and 200 levels inside it)
  // rather than recursing 20k frames deep; every fold runs to the end of the file.
  assert.equal(depth, 201, 'symbol depth');
  assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), Array.from({ length: 201 }, (_, i) => [i, 19_999]));
});

test('a file of 100k braces publishes a bounded number of diagnostics', async (t) => {
  const dir = tempDir(t);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const uri = client.open(path.join(dir, 'braces.conf'), '{'.repeat(100_000));
  // What is tested is the bound, not the speed (that is the bench's): a machine busy with other runs gets time.
  const { diagnostics } = await client.waitForNotification(PUBLISH, (p) => p.uri === uri, { timeout: 30_000 });
  // 200 001 problems: the first 1000 shown, then one note for the other 199 001.
  assert.equal(diagnostics.length, 1001);
  assert.ok(diagnostics.slice(0, 1000).every((d) => d.code === 'syntax' && d.severity === 1));
  assert.deepEqual(diagnostics[1000], {
    range: { start: { line: 0, character: 500 }, end: { line: 0, character: 501 } },
    severity: 3, source: 'nginx-ls', code: 'syntax', message: '199001 more problems are not shown',
  });
});

test('closing an edited, unsaved include brings back the analysis of the disk text for the files that use it', async (t) => {
  const dir = tempDir(t, {
    'nginx.conf': 'events {}\nhttp {\n    include maps.conf;\n    server { listen 80; return 200 $tenant; }\n}\n',
    'maps.conf': 'map $host $tenant { default a; }\n',
  });
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const main = client.open(path.join(dir, 'nginx.conf'), fs.readFileSync(path.join(dir, 'nginx.conf'), 'utf8'));
  assert.deepEqual((await client.waitForNotification(PUBLISH, (p) => p.uri === main)).diagnostics, []);
  const maps = client.open(path.join(dir, 'maps.conf'), fs.readFileSync(path.join(dir, 'maps.conf'), 'utf8'));
  // The map is deleted in the buffer only: the main config now uses an undefined variable.
  let mark = client.mark;
  client.change(maps, [{ text: '# no map\n' }]);
  const broken = await client.waitForNotification(PUBLISH, (p) => p.uri === main && p.diagnostics.length > 0, { since: mark });
  assert.deepEqual(codes(broken.diagnostics), ['unknown-variable']);
  // Closed without saving: the file on disk still defines $tenant.
  mark = client.mark;
  client.closeDocument(maps);
  const healed = await client.waitForNotification(PUBLISH, (p) => p.uri === main, { since: mark });
  assert.deepEqual(healed.diagnostics, []);
});

test('push client: an Ingress manifest gets its diagnostics from the Ingress bundle, loaded on the first YAML document', async (t) => {
  const manifest = [
    'apiVersion: networking.k8s.io/v1beta1',
    'kind: Ingress',
    'metadata:',
    '  name: web',
    '  annotations:',
    '    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"',
    'spec:',
    '  backend:',
    '    serviceName: web',
    '    servicePort: 443',
    '',
  ].join('\n');
  const dir = tempDir(t, { 'ingress.yaml': manifest });
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const uri = client.open(path.join(dir, 'ingress.yaml'), manifest, { languageId: 'yaml' });
  const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri);
  const codes = published.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('ingress-deprecated-api'), `got ${JSON.stringify(codes)}`);
  assert.ok(codes.includes('ingress-backend-tls-unverified'), `got ${JSON.stringify(codes)}`);
});

test('--code-cache: the server keeps V8 code for its bundle in the folder, starts from it, and drops a cache a start died with',
  async (t) => {
  const dir = tempDir(t, { 'nginx.conf': TYPO });
  const cacheDir = path.join(dir, 'cache');
  const start = async () => {
    const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, args: ['--stdio', `--code-cache=${cacheDir}`] });
    const uri = client.open(path.join(dir, 'nginx.conf'), TYPO);
    const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['unknown-directive']);
    return client;
  };
  const files = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);
  const until = async (what, ok) => {
    const deadline = Date.now() + 10_000;
    while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(ok(), `${what}; the folder holds ${JSON.stringify(files())}`);
  };
  const settle = () => new Promise((r) => setTimeout(r, 3500)); // the server settles 3 s after starting

  await start();
  await until('no code cache written', () => files().some((f) => f.endsWith('.v8cache')));
  const [name] = files();
  const cacheFile = path.join(cacheDir, name);
  assert.ok(fs.statSync(cacheFile).size > 10_000);
  assert.equal(fs.statSync(cacheFile).mode & 0o077, 0, 'the cache is private to its owner');

  // V8 accepts the cache: a second server starts from it, does not write it again, and removes its marker.
  const written = fs.statSync(cacheFile).mtimeMs;
  await start();
  await settle();
  assert.equal(fs.statSync(cacheFile).mtimeMs, written, 'the cache was rejected and written again');
  assert.deepEqual(files(), [name]);

  // A server stopped in order soon after its start (before it settles) leaves the cache trusted.
  const brief = await start();
  await brief.close();
  assert.deepEqual(files(), [name], 'an orderly exit left its marker behind');

  // A marker left by a start that died: the cache is not trusted, the server starts without it and writes a new one.
  fs.writeFileSync(`${cacheFile}.starting`, '');
  await start();
  await until('the cache was not dropped and written again', () => fs.existsSync(cacheFile) && fs.statSync(cacheFile).mtimeMs !== written);
  await until('a marker was left behind', () => files().length === 1);

  // V8 rejects a cache with a damaged header: the server starts normally and writes a good one.
  fs.writeFileSync(cacheFile, Buffer.alloc(4096, 0xab));
  const last = await start();
  await until('the damaged cache was not replaced', () => fs.statSync(cacheFile).size > 10_000);
  assert.equal(last.stderr, '');
});

test('settings: nginx-ls.ingress.controller and retirementNotice change what an Ingress gets; a snippet finding has its fix', async (t) => {
  const yaml = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n'
    + '    nginx.ingress.kubernetes.io/server-snippet: "location /a/ { proxy_pass https://10.0.0.9; }"\nspec:\n  ingressClassName: nginx\n';
  const dir = tempDir(t, { 'ingress.yaml': yaml });
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: { 'nginx-ls': { rules: {} } } });
  const uri = client.open(path.join(dir, 'ingress.yaml'), yaml, { languageId: 'yaml' });
  const codes = async () => (await pull(client, uri)).items.map((d) => d.code).sort();
  // The snippet is also what a conversion cannot carry over (the hint of ingress-conversion-loss).
  assert.deepEqual(await codes(),
    ['ingress-conversion-loss', 'ingress-nginx-retired', 'ingress-snippet-disabled', 'tls-upstream-unverified']);

  const unverified = (await pull(client, uri)).items.find((d) => d.code === 'tls-upstream-unverified');
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri }, range: unverified.range, context: { diagnostics: [unverified] },
  });
  const edit = actions.find((a) => /system CA bundle/.test(a.title))?.edit?.changes?.[uri]?.[0];
  assert.ok(edit, `no fix among ${actions.map((a) => a.title).join(' | ')}`);
  assert.match(edit.newText, /^ proxy_ssl_verify on; /, 'the settings join the quoted line');

  client.settings = { 'nginx-ls': { rules: {}, ingress: { controller: 'f5-nginx', retirementNotice: false } } };
  const mark = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForServerRequest('workspace/diagnostic/refresh', undefined, { since: mark });
  assert.deepEqual(await codes(), ['ingress-annotation-other-controller'], 'F5\'s controller ignores the snippet');

  client.settings = { 'nginx-ls': { rules: {}, ingress: { controller: 'ingress-nginx', retirementNotice: false } } };
  const again = client.mark;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  await client.waitForServerRequest('workspace/diagnostic/refresh', undefined, { since: again });
  assert.deepEqual(await codes(), ['ingress-conversion-loss', 'ingress-snippet-disabled', 'tls-upstream-unverified']);
});
