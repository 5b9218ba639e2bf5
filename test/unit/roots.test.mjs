// Roots: whatever root a client sends (none, one that is no usable path, the file's own folder),
// relative paths in a partial file resolve against the nginx prefix (the folder of the main config
// that includes it, or nginx-ls.prefix), never against the editor's root. dist/server.js over stdio,
// driven by the test LSP client; the configuration is test/lib/partial-config.mjs (conf.d/site.conf
// included by ../nginx.conf, certificates named relative to nginx.conf's folder). The CLI, run on the
// partial file alone, finds the same main config. Also: the server registers didChangeConfiguration
// dynamically only for clients that support it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';
import { SITE, SITE_CODES, writePartialConfig } from '../lib/partial-config.mjs';
import { service } from '../lib/service.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const PUBLISH = 'textDocument/publishDiagnostics';
/** A push client without workspace/configuration: nothing but the roots decides the analysis. */
const PUSH_CAPS = { textDocument: { publishDiagnostics: { versionSupport: true } } };

/** A client that sends `roots` (rootUri, workspaceFolders, rootPath) in initialize exactly as given. */
class RootsClient extends LspClient {
  constructor(roots, options) {
    super(serverJs, options);
    this.roots = roots;
  }

  async initialize() {
    this.initializeResult = await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'nginx-ls-roots-test' },
      rootUri: null,
      capabilities: this.capabilities,
      initializationOptions: this.initializationOptions,
      ...this.roots,
    });
    this.notify('initialized', {});
    return this.initializeResult;
  }
}

function tempDir(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-roots-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startWithRoots(t, roots, options = { capabilities: PUSH_CAPS }) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = new RootsClient(roots, options);
  t.after(() => client.close());
  await client.initialize();
  return client;
}

/** Opens `file` with `text` and returns the first diagnostics pushed for it. */
async function openAndWait(client, file, text) {
  const uri = client.open(file, text);
  return (await client.waitForNotification(PUBLISH, (p) => p.uri === uri)).diagnostics;
}

/** The findings the analysis inside nginx.conf gives, each with its message checked against the files it names. */
function assertAnalysedInMain(diagnostics, why) {
  const summary = diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n');
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), SITE_CODES, `${why}\n${summary}`);
  const byCode = new Map(diagnostics.map((d) => [d.code, d]));
  assert.match(byCode.get('cert-name-mismatch').message, /does not cover "www\.other\.test"/);
  assert.match(byCode.get('cert-key-mismatch').message, /does not match the certificate "certs\/site\.pem"/);
  assert.deepEqual(byCode.get('cert-key-mismatch').range.start, { line: 4, character: 24 }, 'on the key path');
}

test('no root (no rootUri, no workspaceFolders): conf.d/site.conf is analysed in ../nginx.conf', async (t) => {
  const files = writePartialConfig(tempDir(t));
  const client = await startWithRoots(t, { rootUri: null, workspaceFolders: null });
  assertAnalysedInMain(await openAndWait(client, files.site, SITE), 'certificates resolve against the folder of nginx.conf');
});

test('per-file root (the conf.d folder, as Neovim and eglot pick): relative certificates resolve against ../', async (t) => {
  const files = writePartialConfig(tempDir(t));
  const rootUri = fileUri(files.confD);
  const client = await startWithRoots(t, { rootUri, workspaceFolders: [{ uri: rootUri, name: 'conf.d' }] });
  assertAnalysedInMain(await openAndWait(client, files.site, SITE), 'no cert-not-found under conf.d/certs/');
});

test('a root URI with a relative path (file://main/examples): the server starts, says why it ignores it, and works', async (t) => {
  const files = writePartialConfig(tempDir(t));
  const bad = 'file://main/examples';
  const client = await startWithRoots(t, { rootUri: bad, workspaceFolders: [{ uri: bad, name: 'examples' }], rootPath: 'main/examples' });
  assert.equal(client.initializeResult.serverInfo?.name, 'nginx-ls', 'initialize answered');
  const logged = await client.waitForNotification('window/logMessage', (p) => p.message.includes(bad));
  assert.match(logged.message, /ignoring the workspace root "file:\/\/main\/examples"/);
  assertAnalysedInMain(await openAndWait(client, files.site, SITE), 'the file is analysed in its main config');
  // The same file at the top-level folder's root gives the same: the fix is not about which root.
  const top = await startWithRoots(t, { rootUri: fileUri(path.dirname(files.main)) });
  assertAnalysedInMain(await openAndWait(top, files.site, SITE), 'root at the main config\'s folder');
});

test('nginx-ls.prefix: relative paths resolve against the setting, from workspace/configuration or initializationOptions', async (t) => {
  // nginx started with -c conf/nginx.conf -p <dir>: the certificates live in <dir>/certs, not in conf/certs.
  const dir = tempDir(t);
  const files = writePartialConfig(dir);
  fs.mkdirSync(path.join(dir, 'conf'));
  const main = path.join(dir, 'conf/nginx.conf');
  const text = `events {}\nhttp {\n${SITE.replace(/^/gm, '    ').trimEnd()}\n}\n`;
  fs.writeFileSync(main, text);
  fs.rmSync(files.main);
  const rootUri = fileUri(dir);
  const codes = (diagnostics) => diagnostics.map((d) => d.code).sort();

  const unset = await startWithRoots(t, { rootUri });
  assert.deepEqual(codes(await openAndWait(unset, main, text)), ['cert-not-found', 'cert-not-found'], 'conf/certs/ does not exist');

  const viaConfiguration = await startWithRoots(t, { rootUri }, {
    capabilities: { ...PUSH_CAPS, workspace: { configuration: true } },
    settings: { 'nginx-ls': { prefix: '${workspaceFolder}' } },
  });
  await viaConfiguration.waitForServerRequest('workspace/configuration');
  // A round trip after the request: the answer has been read before the document opens.
  await viaConfiguration.request('textDocument/hover', { textDocument: { uri: 'untitled:x' }, position: { line: 0, character: 0 } });
  assert.deepEqual(codes(await openAndWait(viaConfiguration, main, text)), SITE_CODES);

  const viaInitialization = await startWithRoots(t, { rootUri }, { capabilities: PUSH_CAPS, initializationOptions: { prefix: '.' } });
  assert.deepEqual(codes(await openAndWait(viaInitialization, main, text)), SITE_CODES, 'a relative prefix is taken from the root');
});

test('the CLI run inside conf.d/ on site.conf alone checks it in ../nginx.conf too', (t) => {
  const files = writePartialConfig(tempDir(t));
  const run = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', 'site.conf', '--format', 'json'], {
    cwd: files.confD,
    encoding: 'utf8',
  });
  assert.equal(run.status, 1, `cert-key-mismatch is an error\n${run.stderr}`);
  const findings = JSON.parse(run.stdout);
  assert.deepEqual(findings.filter((f) => f.file === files.site).map((f) => f.code).sort(), SITE_CODES, run.stdout);
  assert.deepEqual(findings.filter((f) => f.file !== files.site), [], 'nothing to report in nginx.conf');
});

test('a lone file finds its main config in its folder and up to 4 above, not further (ConfigWorkspace over a memory host)', () => {
  const site = 'server { listen 443 ssl; ssl_certificate certs/a.pem; ssl_certificate_key certs/a.key; }\n';
  const nested = (levels) => `/srv/${Array.from({ length: levels }, (_, i) => `d${i}`).join('/')}/site.conf`;
  for (const [levels, found] of [[0, true], [1, true], [4, true], [5, false]]) {
    const file = nested(levels).replace('//', '/');
    const files = { '/srv/nginx.conf': 'events {}\nhttp { include */*/*/*/*/site.conf; include */*/*/*/site.conf; include */*/*/site.conf;'
      + ' include */*/site.conf; include */site.conf; include site.conf; }\n', [file]: site };
    const workspace = new service.ConfigWorkspace(service.memoryHost(files));
    workspace.setCandidates([file]);
    assert.equal(workspace.mainOf(file), found ? '/srv/nginx.conf' : undefined, `${file}, ${levels} folders below nginx.conf`);
    const codes = workspace.analysisFor(file).findings.filter((f) => f.file === file).map((f) => f.code);
    // Inside nginx.conf, certs/a.pem means /srv/certs/a.pem; standalone, the folder of the file.
    const resolved = workspace.analysisFor(file).certificateUses.map((u) => u.resolved);
    assert.deepEqual(resolved, found ? ['/srv/certs/a.pem', '/srv/certs/a.key'] : [path.posix.join(path.posix.dirname(file), 'certs/a.pem'),
      path.posix.join(path.posix.dirname(file), 'certs/a.key')], `${levels} levels`);
    assert.ok(codes.includes('cert-not-found'), 'the certificates exist nowhere in this host');
  }
});

test('didChangeConfiguration is registered dynamically only for a client that says it supports that', async (t) => {
  const registrations = (client, before) => client.received.slice(0, before)
    .filter((e) => e.kind === 'request' && e.message.method === 'client/registerCapability')
    .flatMap((e) => e.message.params.registrations.map((r) => r.method));
  /** Index of the server's workspace/configuration request, which it sends right after any registration. */
  const configurationRequestAt = async (client) => {
    await client.waitForServerRequest('workspace/configuration');
    return client.received.findIndex((e) => e.kind === 'request' && e.message.method === 'workspace/configuration');
  };
  // eglot 1.9 and Neovim 0.7 advertise workspace/configuration but no didChangeConfiguration.dynamicRegistration.
  const eglotLike = await startWithRoots(t, { rootUri: null }, { capabilities: { workspace: { configuration: true } } });
  assert.deepEqual(registrations(eglotLike, await configurationRequestAt(eglotLike)), []);

  const vscodeLike = await startWithRoots(t, { rootUri: null }, {
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
  });
  assert.deepEqual(registrations(vscodeLike, await configurationRequestAt(vscodeLike)), ['workspace/didChangeConfiguration']);
});
