// Workspace diagnostics over stdio (test/lib/lsp-client.mjs): files that were never opened get their
// problems by workspace/diagnostic (pull clients) or publishDiagnostics (push clients), bounded by
// nginx-ls.workspaceDiagnostics.maxFiles, off with nginx-ls.workspaceDiagnostics.enabled, kept
// current on file changes, and checked without holding up requests about the open document.
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
const WATCHED = 'workspace/didChangeWatchedFiles';
const CHANGED = 2;
const CREATED = 1;
const DELETED = 3;

const PUSH_CAPS = {
  textDocument: { publishDiagnostics: { versionSupport: true } },
  workspace: { configuration: true, workspaceFolders: true },
  window: { workDoneProgress: true },
};
const PULL_CAPS = {
  textDocument: { ...PUSH_CAPS.textDocument, diagnostic: { dynamicRegistration: false } },
  workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
};

/** A main config, a partial file it includes with a typo, an Ingress with two problems (and the retirement note), a Deployment, an INI file. */
const WORKSPACE = {
  'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
  'conf.d/site.conf': 'server {\n    listn 80;\n}\n',
  'other.conf': '[main]\nkey = value\n',
  'k8s/ingress.yaml': [
    'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', '  annotations:',
    '    nginx.ingress.kubernetes.io/proxy-ssl-verify: "maybe"', 'spec:', '  rules: []', '',
  ].join('\n'),
  'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
};

const range = (line, from, to) => ({ start: { line, character: from }, end: { line, character: to } });
/** Every diagnostic links to its rule's page (docs/rules/<id>.md). */
const docs = (code) => ({ href: `https://github.com/nginx-ls/nginx-ls/blob/main/docs/rules/${code}.md` });
const SITE_DIAGNOSTICS = [{
  range: range(1, 4, 9), severity: 1, code: 'unknown-directive', codeDescription: docs('unknown-directive'), source: 'nginx-ls',
  message: 'unknown directive "listn"; did you mean "listen"?',
  data: { suggestion: 'listen' },
}];
const INGRESS_DIAGNOSTICS = [
  {
    range: range(1, 0, 13), severity: 3, code: 'ingress-nginx-retired', codeDescription: docs('ingress-nginx-retired'),
    source: 'nginx-ls', data: { controller: 'ingress-nginx' },
    message: 'ingress-nginx reads this Ingress (its annotations are all nginx.ingress.kubernetes.io/*), and it was retired on '
      + '2026-03-24: no releases and no security fixes since (last release v1.15.1). Plan a move to Gateway API or to another '
      + 'controller (F5 NGINX Ingress Controller reads nginx.org/* annotations); nginx-ls.ingress.retirementNotice: false hides this note',
  },
  {
    range: range(5, 4, 48), severity: 2, code: 'ingress-proxy-ssl-ignored', codeDescription: docs('ingress-proxy-ssl-ignored'),
    source: 'nginx-ls',
    message: '"proxy-ssl-verify" is ignored: ingress-nginx applies proxy-ssl-* annotations only together with proxy-ssl-secret',
  },
  {
    range: range(5, 50, 57), severity: 2, code: 'ingress-annotation-value', codeDescription: docs('ingress-annotation-value'),
    source: 'nginx-ls',
    message: '"maybe" is not one of "on", "off"; the controller uses "off" instead and only logs it',
  },
];

function tempDir(t, files = {}) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-wsdiag-')));
  write(dir, files);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

async function startClient(t, options) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = await LspClient.start(serverJs, options);
  t.after(() => client.close());
  return client;
}

const settings = (workspaceDiagnostics) => ({ 'nginx-ls': { workspaceDiagnostics } });

/** workspace/diagnostic with the result ids the client holds (`held`: uri → resultId). */
const pullWorkspace = (client, held = new Map(), timeout = 10_000) => client.request('workspace/diagnostic',
  { previousResultIds: [...held].map(([uri, value]) => ({ uri, value })) }, { timeout });

/** The full reports of a workspace answer by URI, and the result ids it leaves the client holding. */
function reportsOf(answer, held = new Map()) {
  const full = new Map();
  for (const item of answer.items) {
    if (item.kind === 'full') full.set(item.uri, item.items);
    if (item.resultId === undefined) held.delete(item.uri); else held.set(item.uri, item.resultId);
  }
  return full;
}

test('pull client: workspace/diagnostic reports the exact problems of files never opened, and nothing for other files', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({}) });
  assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });

  const answer = await pullWorkspace(client);
  const full = reportsOf(answer);
  // The Deployment has no Ingress, the INI file is no nginx configuration, nginx.conf has no problem.
  assert.deepEqual([...full.keys()].sort(), [fileUri(path.join(dir, 'conf.d/site.conf')), fileUri(path.join(dir, 'k8s/ingress.yaml'))]);
  assert.deepEqual(full.get(fileUri(path.join(dir, 'conf.d/site.conf'))), SITE_DIAGNOSTICS);
  assert.deepEqual(full.get(fileUri(path.join(dir, 'k8s/ingress.yaml'))), INGRESS_DIAGNOSTICS);
  for (const item of answer.items) assert.equal(item.version, null, `${item.uri} is not open: no version`);
});

test('pull client: a file changed on disk is reported again; unchanged files are not; a deleted one is cleared', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({}) });
  const held = new Map();
  reportsOf(await pullWorkspace(client), held);
  const site = fileUri(path.join(dir, 'conf.d/site.conf'));
  const ingress = fileUri(path.join(dir, 'k8s/ingress.yaml'));
  assert.deepEqual([...held.keys()].sort(), [site, ingress]);

  // Asked again with nothing changed, the server holds the answer (a long poll) until a change.
  const next = pullWorkspace(client, held);
  write(dir, { 'conf.d/site.conf': 'server {\n    listen 80;\n    servr_name a;\n}\n' });
  client.notify(WATCHED, { changes: [{ uri: site, type: CHANGED }] });
  const afterEdit = await next;
  const full = reportsOf(afterEdit, held);
  assert.deepEqual([...full.keys()], [site], 'only the changed file is reported in full');
  assert.deepEqual(full.get(site).map((d) => [d.code, d.range.start.line]), [['unknown-directive', 2]]);
  assert.deepEqual(afterEdit.items.filter((i) => i.kind === 'unchanged').map((i) => i.uri), [ingress]);

  // A new file joins; a deleted one is cleared.
  write(dir, { 'conf.d/new.conf': 'server {\n    listen 8080;\n    locaton / {}\n}\n' });
  fs.rmSync(path.join(dir, 'k8s/ingress.yaml'));
  const created = fileUri(path.join(dir, 'conf.d/new.conf'));
  client.notify(WATCHED, { changes: [{ uri: created, type: CREATED }, { uri: ingress, type: DELETED }] });
  const afterCreate = reportsOf(await pullWorkspace(client, held), held);
  assert.deepEqual(afterCreate.get(ingress), [], 'the deleted manifest is cleared');
  assert.deepEqual(afterCreate.get(created).map((d) => d.code), ['unknown-directive']);
  assert.ok(!afterCreate.has(site), 'the unchanged site is not sent again');
});

test('pull client: an open document is left to its buffer, and reported from disk again once closed', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({}) });
  const held = new Map();
  reportsOf(await pullWorkspace(client), held);
  const site = fileUri(path.join(dir, 'conf.d/site.conf'));

  client.open(path.join(dir, 'conf.d/site.conf'), 'server {\n    listen 80;\n}\n');
  const buffer = await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
  assert.deepEqual(buffer.items, [], 'the open buffer is valid');
  // A pass runs after the open; the answer that follows it says nothing about the open file.
  const whileOpen = await pullWorkspace(client, new Map());
  assert.ok(!whileOpen.items.some((i) => i.uri === site), JSON.stringify(whileOpen.items));

  client.closeDocument(site);
  // The pull a client makes after closing shows the disk, as the workspace report that follows does.
  const closed = await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
  assert.deepEqual(closed.items, SITE_DIAGNOSTICS);
  const afterClose = reportsOf(await pullWorkspace(client, held), held);
  assert.deepEqual(afterClose.get(site), SITE_DIAGNOSTICS);
});

test('pull client: maxFiles bounds the files checked (the first ones by path)', async (t) => {
  const files = {};
  for (const name of ['a', 'b', 'c', 'd', 'e']) files[`conf.d/${name}.conf`] = 'server {\n    listn 80;\n}\n';
  const dir = tempDir(t, files);
  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({ maxFiles: 3 }) });
  const full = reportsOf(await pullWorkspace(client));
  assert.deepEqual([...full.keys()].map((uri) => path.basename(uri)).sort(), ['a.conf', 'b.conf', 'c.conf']);
});

test('pull client: turned off, nothing is reported, and what was reported is cleared', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const off = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({ enabled: false }) });
  await off.waitForServerRequest('workspace/configuration');
  assert.deepEqual(await pullWorkspace(off), { items: [] });

  const client = await startClient(t, { capabilities: PULL_CAPS, rootPath: dir, settings: settings({ enabled: true }) });
  const held = new Map();
  reportsOf(await pullWorkspace(client), held);
  assert.equal(held.size, 2);
  const next = pullWorkspace(client, held);
  client.settings = settings({ enabled: false });
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const cleared = reportsOf(await next, held);
  assert.deepEqual([...cleared.values()], [[], []], 'both files are cleared');
  assert.deepEqual(await pullWorkspace(client, held), { items: [] });
});

test('push client: files never opened get their problems published after initialize, and again when they change', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: settings({}) });
  assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
  const site = fileUri(path.join(dir, 'conf.d/site.conf'));
  const ingress = fileUri(path.join(dir, 'k8s/ingress.yaml'));

  const sitePublished = await client.waitForNotification(PUBLISH, (p) => p.uri === site);
  assert.deepEqual(sitePublished, { uri: site, diagnostics: SITE_DIAGNOSTICS });
  const ingressPublished = await client.waitForNotification(PUBLISH, (p) => p.uri === ingress);
  assert.deepEqual(ingressPublished.diagnostics, INGRESS_DIAGNOSTICS);
  await client.waitForNotification('$/progress', (p) => p.value?.kind === 'end');
  const published = new Set(client.notifications(PUBLISH).map((p) => path.relative(dir, fileURLToPath(p.uri))));
  assert.deepEqual([...published].sort(), ['conf.d/site.conf', 'k8s/ingress.yaml']);

  const mark = client.mark;
  write(dir, { 'conf.d/site.conf': 'server {\n    listen 80;\n}\n' });
  client.notify(WATCHED, { changes: [{ uri: site, type: CHANGED }] });
  const fixed = await client.waitForNotification(PUBLISH, (p) => p.uri === site, { since: mark });
  assert.deepEqual(fixed.diagnostics, []);
});

test('push client: turned off, nothing is published until it is turned on', async (t) => {
  const dir = tempDir(t, WORKSPACE);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: settings({ enabled: false }) });
  await client.waitForServerRequest('workspace/configuration');
  // An open document's diagnostics still come, and the server has had time for a pass by then.
  const opened = client.open(path.join(dir, 'nginx.conf'), WORKSPACE['nginx.conf']);
  await client.waitForNotification(PUBLISH, (p) => p.uri === opened);
  await client.request('textDocument/hover', { textDocument: { uri: opened }, position: { line: 0, character: 0 } });
  assert.deepEqual(client.notifications(PUBLISH).map((p) => p.uri), [opened]);
  assert.deepEqual(client.notifications('$/progress'), [], 'no pass ran');

  client.settings = settings({ enabled: true });
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const site = fileUri(path.join(dir, 'conf.d/site.conf'));
  assert.deepEqual((await client.waitForNotification(PUBLISH, (p) => p.uri === site)).diagnostics, SITE_DIAGNOSTICS);
});

test('a workspace of 2,000 configurations is checked in slices: the open document is answered while the pass runs', async (t) => {
  const files = {};
  const COUNT = 2000;
  for (let i = 0; i < COUNT; i++) {
    files[`conf.d/site${String(i).padStart(4, '0')}.conf`] =
      `server {\n    listen 80;\n    server_name s${i}.example.com;\n` +
      `    location / { proxy_pass http://127.0.0.1:${8000 + i}; }\n    servr {}\n}\n`;
  }
  const dir = tempDir(t, files);
  const client = await startClient(t, { capabilities: PUSH_CAPS, rootPath: dir, settings: settings({ maxFiles: COUNT }) });
  const isBackground = (p) => p.uri.includes('/conf.d/site');
  // The pass has begun and published some files.
  await client.waitForNotification('$/progress', (p) => p.value?.kind === 'begin', { timeout: 20_000 });
  await client.waitForNotification(PUBLISH, isBackground, { timeout: 20_000 });

  const open = path.join(dir, 'open.nginx');
  const uri = client.open(open, 'events {}\nhttp { servr {} }\n');
  const ownPublish = await client.waitForNotification(PUBLISH, (p) => p.uri === uri, { timeout: 20_000 });
  assert.deepEqual(ownPublish.diagnostics.map((d) => d.code), ['unknown-directive']);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
  assert.match(hover.contents.value, /http/);
  const answeredAt = client.mark;
  const backgroundBefore = client.notifications(PUBLISH, isBackground).length;

  await client.waitForNotification('$/progress', (p) => p.value?.kind === 'end', { timeout: 60_000 });
  const backgroundAll = client.notifications(PUBLISH, isBackground);
  assert.ok(backgroundBefore < COUNT, `the open document was answered only after the whole pass (${backgroundBefore} files before it)`);
  assert.ok(client.received.slice(answeredAt).some((e) => e.message.method === PUBLISH && isBackground(e.message.params)),
    'the pass went on after the open document was answered');
  assert.equal(new Set(backgroundAll.map((p) => p.uri)).size, COUNT, 'every generated file was published');
  assert.ok(backgroundAll.every((p) => p.diagnostics.length === 1 && p.diagnostics[0].code === 'unknown-directive'));
});
