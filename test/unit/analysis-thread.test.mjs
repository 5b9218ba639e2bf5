// The analysis thread (server/src/lsp/analysis-thread.ts), driven over stdio: servers started with
// NGINX_LS_OFF_THREAD_FROM_MS=0 send every nginx document there after its first analysis, and
// are compared with a server that analyses on its main thread (the default for small files). Then its
// main-thread side alone, with workers that fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tempWorkspace } from '../lib/workspace.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const PUBLISH = 'textDocument/publishDiagnostics';
const PUSH_CAPS = { textDocument: { publishDiagnostics: { versionSupport: true } } };
const PULL_CAPS = { textDocument: { ...PUSH_CAPS.textDocument, diagnostic: { dynamicRegistration: false } } };
const OFF_THREAD = { ...process.env, NGINX_LS_OFF_THREAD_FROM_MS: '0' };

const MAIN = 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n';
const SITE = 'server {\n    listen 80;\n    server_name app.example.com;\n    location / {\n        root /srv;\n    }\n}\n';

const workspace = (t, files) => tempWorkspace(t, files, 'nginx-ls-thread-');

const start = (t, options) => startServer(t, serverJs, options);

const retained = (client) => client.request('nginx-ls/retained', null);
const at = (line, character) => ({ line, character });

/**
 * Edits `uri` (a comment line added at the top, published each time) until the main thread has made
 * no analysis for two edits in a row: the analysis thread takes the document.
 * Returns the edits it took; fails after 30.
 */
async function untilOffThread(client, uri) {
  let quiet = 0;
  for (let edits = 1; edits <= 30; edits++) {
    const before = (await retained(client)).analysesMade;
    const version = client.change(uri, [{ range: { start: at(0, 0), end: at(0, 0) }, text: '# warming\n' }]);
    await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === version, { since: client.mark - 1 });
    quiet = (await retained(client)).analysesMade === before ? quiet + 1 : 0;
    if (quiet === 2) return edits;
  }
  assert.fail('the main thread analysed every edit: the analysis thread never took the document');
}

/** What a server on its main thread publishes for these texts opened as they are (the reference). */
async function referenceDiagnostics(t, dir, texts) {
  const reference = await start(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const uris = Object.entries(texts).map(([name, text]) => reference.open(path.join(dir, name), text));
  const out = {};
  for (const [i, name] of Object.keys(texts).entries()) {
    out[name] = (await reference.waitForNotification(PUBLISH, (p) => p.uri === uris[i] && p.version === 1)).diagnostics;
  }
  return out;
}

test('typed on the analysis thread: the main thread analyses nothing, and each version\'s diagnostics equal a main-thread analysis', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { capabilities: PUSH_CAPS, rootPath: dir, env: OFF_THREAD });
  const main = client.open(path.join(dir, 'nginx.conf'), MAIN);
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.waitForNotification(PUBLISH, (p) => p.uri === site && p.version === 1);
  const warmingEdits = await untilOffThread(client, main);
  assert.equal((await retained(client)).entries.analysisThread, 1);
  const made = (await retained(client)).analysesMade;

  // The included file gains an upstream over TLS that is never verified, and a second listen.
  const typed = 'server {\n    listen 80;\n    listen 80;\n    server_name app.example.com;\n'
    + '    location / {\n        proxy_pass https://backend.internal;\n    }\n}\n';
  const version = client.change(site, [{ text: typed }]);
  const published = await client.waitForNotification(PUBLISH, (p) => p.uri === site && p.version === version, { since: client.mark - 1 });
  // Hover and completion meanwhile answer on the main thread, without an analysis of their own for the small file's config.
  const hover = await client.request('textDocument/hover', { textDocument: { uri: site }, position: at(5, 10) });
  assert.match(hover?.contents.value ?? '', /TLS to `https:\/\/backend\.internal`/);
  assert.equal((await retained(client)).analysesMade, made + 1, 'the hover of a small file analyses it afresh, once');

  const mainText = '# warming\n'.repeat(warmingEdits) + MAIN;
  const expected = await referenceDiagnostics(t, dir, { 'nginx.conf': mainText, 'conf.d/site.conf': typed });
  assert.ok(expected['conf.d/site.conf'].length >= 2, JSON.stringify(expected['conf.d/site.conf']));
  assert.deepEqual(published.diagnostics, expected['conf.d/site.conf']);
});

test('from its first expensive analysis on, a document is analysed on the analysis thread, even while that thread warms up', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN });
  const client = await start(t, { capabilities: PUSH_CAPS, rootPath: dir, env: OFF_THREAD });
  const uri = client.open(path.join(dir, 'nginx.conf'), MAIN);
  await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === 1);
  const made = (await retained(client)).analysesMade;
  // The first keystrokes: the main thread stays free for hover and completion (it used to analyse
  // them itself until the thread had made its warm-up runs, about a second's worth).
  for (const [i, text] of ['events {}\nhttp {\n    lisen 80;\n}\n', MAIN].entries()) {
    const version = client.change(uri, [{ text }]);
    const published = await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === version, { since: client.mark - 1 });
    assert.deepEqual(published.diagnostics.map((d) => d.code), i === 0 ? ['unknown-directive'] : []);
  }
  assert.equal((await retained(client)).analysesMade, made, 'the main thread analysed a keystroke');
});

test('a buffer of 400,000 characters or more starts the analysis thread as it opens, before its first analysis is done', async (t) => {
  const dir = workspace(t, {});
  const client = await start(t, { capabilities: PUSH_CAPS, rootPath: dir });
  const small = client.open(path.join(dir, 'small.conf'), MAIN);
  await client.waitForNotification(PUBLISH, (p) => p.uri === small);
  assert.equal((await retained(client)).entries.analysisThread, 0, 'a small buffer leaves it unstarted');
  const comment = `# ${'x'.repeat(78)}\n`;
  const large = client.open(path.join(dir, 'large.conf'), comment.repeat(Math.ceil(400_000 / comment.length)) + MAIN);
  // Asked in the same turn as the opening: the thread is already there.
  assert.equal((await retained(client)).entries.analysisThread, 1);
  await client.waitForNotification(PUBLISH, (p) => p.uri === large);
});

/** The nice value of each thread of a process (Linux: /proc/PID/task/TID/stat, the 19th field). */
function threadNiceValues(pid) {
  return Object.fromEntries(fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  }));
}

test('the analysis thread runs at nice 5, the main thread as started: answers get a core before analyses', {
  skip: !fs.existsSync('/proc/thread-self') && 'per-thread priorities are read from Linux\'s /proc',
}, async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { capabilities: PUSH_CAPS, rootPath: dir, env: OFF_THREAD });
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.waitForNotification(PUBLISH, (p) => p.uri === site && p.version === 1);
  await untilOffThread(client, site);
  const pid = client.process.pid;
  const nice = threadNiceValues(pid);
  assert.equal(nice[String(pid)], 0, 'the main thread keeps its priority');
  assert.equal(Object.values(nice).filter((n) => n === 5).length, 1, `one thread at nice 5: ${JSON.stringify(nice)}`);
});

test('pulled diagnostics come from the analysis thread too, and equal a main-thread analysis', async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { capabilities: PULL_CAPS, rootPath: dir, env: OFF_THREAD });
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
  // Warm-up: pulls after edits until the main thread stops analysing.
  let quiet = 0;
  let text = SITE;
  for (let i = 0; i < 30 && quiet < 2; i++) {
    const before = (await retained(client)).analysesMade;
    text = `# ${i}\n${text}`;
    client.change(site, [{ text }]);
    await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
    quiet = (await retained(client)).analysesMade === before ? quiet + 1 : 0;
  }
  assert.equal(quiet, 2, 'the main thread analysed every pull');
  text += 'server {\n    listen 80;\n    location / {\n        proxy_pass https://backend.internal;\n    }\n}\n';
  client.change(site, [{ text }]);
  const pulled = await client.request('textDocument/diagnostic', { textDocument: { uri: site } });
  const expected = await referenceDiagnostics(t, dir, { 'conf.d/site.conf': text });
  assert.ok(pulled.items.length > 0);
  assert.deepEqual(pulled.items, expected['conf.d/site.conf']);
});

test('once nothing has been open for a while the analysis thread ends and the reference is let go; both come back with the next document',
  async (t) => {
  const dir = workspace(t, { 'nginx.conf': MAIN, 'conf.d/site.conf': SITE });
  const client = await start(t, { capabilities: PUSH_CAPS, rootPath: dir, env: OFF_THREAD });
  const site = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.waitForNotification(PUBLISH, (p) => p.uri === site && p.version === 1);
  await untilOffThread(client, site);
  client.closeDocument(site);
  await new Promise((resolve) => setTimeout(resolve, 6500));
  const idle = await retained(client);
  assert.equal(idle.idleCollections, 1);
  assert.equal(idle.entries.analysisThread, 0, 'the thread still runs with nothing open');
  const again = client.open(path.join(dir, 'conf.d/site.conf'), SITE);
  await client.waitForNotification(PUBLISH, (p) => p.uri === again && p.version === 1, { since: client.mark - 1 });
  const warmingLines = await untilOffThread(client, again);
  assert.equal((await retained(client)).entries.analysisThread, 1);
  // The reference, dropped from the module cache with nothing open, loads again.
  const hover = await client.request('textDocument/hover', { textDocument: { uri: again }, position: at(1 + warmingLines, 6) });
  assert.match(hover?.contents.value ?? '', /\*\*listen\*\*[\s\S]*address/);
});

// The main thread's side alone (dist/analysis-thread.js), its worker started on scripts that fail.
const { AnalysisThread } = createRequire(import.meta.url)('../../dist/analysis-thread.js');

/** An AnalysisThread whose worker runs `bundle`, with what it logs; the document below costs it 100 ms. */
function failingThread(t, bundle) {
  // The worker does not hold the process (the server's connection does): this test's timer does.
  const alive = setInterval(() => undefined, 1000);
  t.after(() => clearInterval(alive));
  const logged = [];
  const thread = new AnalysisThread(bundle, new Map([['/w/nginx.conf', { getText: () => MAIN }]]), { error: (line) => logged.push(line) });
  thread.opened('file:///w/nginx.conf', '/w/nginx.conf');
  thread.analysedOnMainThread('file:///w/nginx.conf', 100);
  return { thread, logged };
}

test('a worker that cannot start leaves every analysis to the main thread, and says so', async (t) => {
  const { thread, logged } = failingThread(t, path.join(root, 'no-such-bundle.js'));
  // Asked while the warm-up waits: the answer is "make it yourself" (undefined), not a hang.
  assert.equal(await thread.diagnose('file:///w/nginx.conf'), undefined);
  assert.equal(thread.takes('file:///w/nginx.conf'), false);
  assert.equal(thread.running, false);
  assert.match(logged.join('\n'), /analysis thread failed: .*no-such-bundle[\s\S]*analysing on the main thread from now on/);
  // Later expensive documents stay on the main thread too.
  thread.analysedOnMainThread('file:///w/other.conf', 500);
  assert.equal(thread.running, false);
});

test('a worker that exits in the middle of an analysis leaves it to the main thread', async (t) => {
  const dir = tempWorkspace(t, { 'exits.js': "require('node:worker_threads').parentPort.on('message', (m) => { if (m.kind === 'diagnose') process.exit(3); });\n" });
  const { thread, logged } = failingThread(t, path.join(dir, 'exits.js'));
  assert.equal(await thread.diagnose('file:///w/nginx.conf'), undefined);
  assert.equal(thread.takes('file:///w/nginx.conf'), false);
  assert.match(logged.join('\n'), /analysis thread exited with code 3; analysing on the main thread from now on/);
});
