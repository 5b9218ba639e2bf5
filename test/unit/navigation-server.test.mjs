// Navigation through dist/server.js over LSP: definition (LocationLinks or Locations, as the client
// takes them), references, rename across files (from the open buffers), prepareRename refusals with
// their reason, document highlights, document links and workspace symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');

/** What VS Code declares for navigation: definitions as links, prepareRename. */
const EDITOR_CAPS = {
  textDocument: {
    definition: { linkSupport: true },
    rename: { prepareSupport: true },
    documentLink: { tooltipSupport: true },
  },
  workspace: { symbol: {} },
};
/** A client that takes only Locations. */
const PLAIN_CAPS = { textDocument: { definition: { linkSupport: false } } };

const FILES = {
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/upstreams.conf': '# upstreams\nupstream backend {\n    server 127.0.0.1:8080;\n}\n',
  'conf.d/site.conf': [
    'server {',
    '    listen 443 ssl;',
    '    server_name api.example.com;',
    '    ssl_certificate certs/site.crt;',
    '    ssl_certificate_key certs/site.key;',
    '    set $tenant "t1";',
    '    location / {',
    '        proxy_pass http://backend/;',
    '        add_header X-Tenant "$tenant $host";',
    '    }',
    '}',
    '',
  ].join('\n'),
  'certs/site.crt': 'not a real certificate\n',
  'certs/site.key': 'not a real key\n',
};

function tempDir(t, files) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-nav-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startClient(t, capabilities, dir) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = await LspClient.start(serverJs, { capabilities, rootPath: dir });
  t.after(() => client.close());
  return client;
}

/** Line/character of `needle` in `text`, plus `delta` characters. */
function positionOf(text, needle, delta = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const range = (text, needle, length = needle.length, delta = 0) => {
  const start = positionOf(text, needle, delta);
  return { start, end: { line: start.line, character: start.character + length } };
};

/** An open site.conf in a workspace holding FILES; its URI, and a request helper at a needle. */
async function openSite(t, capabilities, siteText = FILES['conf.d/site.conf']) {
  const dir = tempDir(t, FILES);
  const client = await startClient(t, capabilities, dir);
  const uri = client.open(path.join(dir, 'conf.d/site.conf'), siteText);
  const ask = (method, needle, delta = 1, extra = {}) =>
    client.request(method, { textDocument: { uri }, position: positionOf(siteText, needle, delta), ...extra });
  return { dir, client, uri, ask, uriOf: (name) => fileUri(path.join(dir, name)) };
}

test('the server offers definition, references, highlights, rename with prepare, document links and workspace symbols', async (t) => {
  const { client } = await openSite(t, EDITOR_CAPS);
  const caps = client.initializeResult.capabilities;
  assert.equal(caps.definitionProvider, true);
  assert.equal(caps.referencesProvider, true);
  assert.equal(caps.documentHighlightProvider, true);
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  assert.deepEqual(caps.documentLinkProvider, { resolveProvider: false });
  assert.equal(caps.workspaceSymbolProvider, true);
});

test('definition across an include: a LocationLink for a client that takes them, a Location otherwise', async (t) => {
  const site = FILES['conf.d/site.conf'];
  const upstreams = FILES['conf.d/upstreams.conf'];
  const linked = await openSite(t, EDITOR_CAPS);
  const links = await linked.ask('textDocument/definition', 'backend/');
  assert.deepEqual(links, [{
    originSelectionRange: range(site, 'backend/', 7),
    targetUri: linked.uriOf('conf.d/upstreams.conf'),
    targetSelectionRange: range(upstreams, 'backend'),
    targetRange: { start: { line: 1, character: 0 }, end: { line: 3, character: 1 } },
  }]);
  const plain = await openSite(t, PLAIN_CAPS);
  assert.deepEqual(await plain.ask('textDocument/definition', 'backend/'),
    [{ uri: plain.uriOf('conf.d/upstreams.conf'), range: range(upstreams, 'backend') }]);
  // Nothing to go to from a built-in variable.
  assert.equal(await plain.ask('textDocument/definition', '$host'), null);
});

test('definition of an include glob lists every file; document links open include and certificate paths', async (t) => {
  const dir = tempDir(t, FILES);
  const client = await startClient(t, PLAIN_CAPS, dir);
  const main = FILES['nginx.conf'];
  const mainUri = client.open(path.join(dir, 'nginx.conf'), main);
  const position = positionOf(main, 'conf.d', 2);
  const targets = await client.request('textDocument/definition', { textDocument: { uri: mainUri }, position });
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  assert.deepEqual(targets, ['conf.d/site.conf', 'conf.d/upstreams.conf'].map((f) => ({ uri: fileUri(path.join(dir, f)), range: zero })));
  // A glob with several matches has no link (its definition lists them); the certificate paths of site.conf do.
  assert.deepEqual(await client.request('textDocument/documentLink', { textDocument: { uri: mainUri } }), []);
  const site = FILES['conf.d/site.conf'];
  const siteUri = client.open(path.join(dir, 'conf.d/site.conf'), site);
  const links = await client.request('textDocument/documentLink', { textDocument: { uri: siteUri } });
  assert.deepEqual(links.map((l) => [l.range, l.target]), [
    [range(site, 'certs/site.crt'), fileUri(path.join(dir, 'certs/site.crt'))],
    [range(site, 'certs/site.key'), fileUri(path.join(dir, 'certs/site.key'))],
  ]);
});

test('references and highlights of a variable', async (t) => {
  const site = FILES['conf.d/site.conf'];
  const { ask, uri } = await openSite(t, EDITOR_CAPS);
  const refs = await ask('textDocument/references', '$tenant "', 2, { context: { includeDeclaration: true } });
  assert.deepEqual(refs, [{ uri, range: range(site, '$tenant "', 6, 1) }, { uri, range: range(site, '$tenant $host', 6, 1) }]);
  const marks = await ask('textDocument/documentHighlight', '$tenant $host', 3);
  assert.deepEqual(marks, [{ range: range(site, '$tenant "', 7), kind: 3 }, { range: range(site, '$tenant $host', 7), kind: 2 }]);
});

test('rename of an upstream edits the open buffer (unsaved edits included) and the file on disk', async (t) => {
  const { client, uri, uriOf } = await openSite(t, EDITOR_CAPS);
  // An unsaved edit adds a second use: the rename must see the buffer, not the disk.
  const edited = FILES['conf.d/site.conf'].replace('    }\n}', '    }\n    location /v2/ { proxy_pass http://backend/v2/; }\n}');
  client.change(uri, [{ text: edited }]);
  const position = positionOf(edited, 'backend/v2', 3);
  const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri }, position });
  assert.deepEqual(prepared, { range: range(edited, 'backend/v2', 7), placeholder: 'backend' });
  const edit = await client.request('textDocument/rename', { textDocument: { uri }, position, newName: 'app_servers' });
  const upstreams = FILES['conf.d/upstreams.conf'];
  assert.deepEqual(edit, {
    changes: {
      [uri]: [
        { range: range(edited, 'backend/;', 7), newText: 'app_servers' },
        { range: range(edited, 'backend/v2', 7), newText: 'app_servers' },
      ],
      [uriOf('conf.d/upstreams.conf')]: [{ range: range(upstreams, 'backend'), newText: 'app_servers' }],
    },
  });
});

test('prepareRename refuses a built-in variable and a directive name with the reason; rename refuses a bad name', async (t) => {
  const { client, uri, ask } = await openSite(t, EDITOR_CAPS);
  const site = FILES['conf.d/site.conf'];
  const refusal = async (needle, delta) => {
    const position = positionOf(site, needle, delta);
    const answer = await client.requestSettled('textDocument/prepareRename', { textDocument: { uri }, position });
    assert.ok(answer.error, `${needle}: ${JSON.stringify(answer)}`);
    return answer.error.message;
  };
  assert.match(await refusal('$host', 2), /"\$host" is a built-in variable of nginx: it cannot be renamed/);
  assert.match(await refusal('add_header', 2), /"add_header" is a directive name/);
  const bad = await client.requestSettled('textDocument/rename', {
    textDocument: { uri }, position: positionOf(site, '$tenant "', 2), newName: 'two words',
  });
  assert.match(bad.error?.message ?? '', /no variable name/);
  assert.equal((await ask('textDocument/prepareRename', '$tenant "', 2)).placeholder, 'tenant');
});

test('workspace symbols: server names, upstreams and named locations of files that are not open', async (t) => {
  const more = 'server {\n    server_name shop.example.com;\n    location @fallback { return 503; }\n}\n';
  const dir = tempDir(t, { ...FILES, 'conf.d/more.conf': more });
  const client = await startClient(t, EDITOR_CAPS, dir);
  // No document is open: the server finds the workspace's files from its root.
  const symbols = await client.request('workspace/symbol', { query: 'example' });
  assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.containerName, s.location.uri, s.location.range.start.line]).sort(), [
    ['api.example.com', 5, 'server', fileUri(path.join(dir, 'conf.d/site.conf')), 2],
    ['shop.example.com', 5, 'server', fileUri(path.join(dir, 'conf.d/more.conf')), 1],
  ]);
  const all = await client.request('workspace/symbol', { query: '' });
  assert.deepEqual(all.map((s) => s.name).sort(), ['@fallback', 'api.example.com', 'backend', 'shop.example.com']);
});
