// Section 7 of the bench (bench/README.md): the real server over stdio as an editor drives it. Typing
// (keystroke → diagnostics), hover and completion while idle and right after a keystroke, and the
// memory of 1,000 configs open and then closed; each without V8 options and with
// --max-semi-space-size=64, and with a code cache folder as the VS Code client passes one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { LspClient } from '../test/lib/lsp-client.mjs';

const require = createRequire(import.meta.url);
const { generateConfig } = require('./gen-config.cjs');

const PUBLISH = 'textDocument/publishDiagnostics';
/** What VS Code declares for completion (vscode-languageclient): snippets, resolve, and the list's item defaults. */
const COMPLETION_CAPS = {
  completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
  completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
};
const PUSH_CAPS = { textDocument: { publishDiagnostics: { versionSupport: true }, completion: COMPLETION_CAPS } };
const SEMI_SPACE = '--max-semi-space-size=64';
/** How long the server is left idle after closing everything, for the last memory reading. */
const IDLE_MS = 12_000;
/** Time between keystrokes: a fast typist (~8 keys a second). */
const KEY_GAP_MS = 120;
/** Keystrokes typed at once after the first diagnostics of an opened file, timed apart from the rest: V8's code is cold then. */
const KEYS_RIGHT_AFTER_OPENING = 3;
/**
 * Then the user reads for this long before typing the timed keystrokes: V8 optimises the analysis
 * over its first runs (on the main thread, and on the analysis thread, which warms up in the
 * background after a large file's first analysis, server/src/lsp/analysis-thread.ts).
 */
const READING_MS = 2000;

const now = () => process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
const percentile = (xs, share) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(share * xs.length) - 1)];
const sleep = (delay) => new Promise((resolve) => setTimeout(resolve, delay));
const fmt = (x) => (x === undefined ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

/** Resident memory of a process in MB (Linux: /proc), undefined elsewhere. */
function rssOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb && Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The server's own full GC (nginx-ls/retained), before a memory reading; a build without it is read as it is. */
async function settle(client) {
  await client.requestSettled('nginx-ls/retained', null, { timeout: 180_000 }).catch(() => undefined);
}

function row(label, xs, target, note = '') {
  const p95 = percentile(xs, 0.95);
  const verdict = target ? (target.ok(p95) ? 'PASS' : 'MISS') : '';
  const sorted = [...xs].sort((a, b) => a - b);
  console.log(`  ${pad(label, 50)}${lpad(fmt(sorted[Math.floor((sorted.length - 1) / 2)]), 9)}${lpad(fmt(p95), 9)}`
    + `${lpad(fmt(sorted[0]), 9)}${lpad(xs.length, 5)}  ${pad(target?.text ?? '', 10)}${pad(verdict, 5)}${note}`);
}

/**
 * A server with one generated config of `lines` lines open: `keystrokes` edits typed into a
 * `server_name` (a character added, then removed), each timed to the diagnostics of its version.
 */
async function typing(serverJs, nodeArgs, dir, lines, keystrokes, places) {
  const text = generateConfig(lines);
  const marker = 'server_name app1.example.com';
  return typingInto(serverJs, nodeArgs, path.join(dir, `typing-${lines}`), text, marker, 'server_name app1'.length + 4, keystrokes, places);
}

/** The server as the VS Code client starts it (`--code-cache`), its cache filled by an untimed first start. */
async function startServer(serverJs, nodeArgs, cacheDir, folder) {
  const args = ['--stdio', `--code-cache=${cacheDir}`];
  if (!fs.existsSync(cacheDir)) {
    // The server writes its cache 3 s after it starts (server/src/start.ts).
    const first = await LspClient.start(serverJs, { nodeArgs, args, capabilities: PUSH_CAPS, rootPath: folder });
    await sleep(3500);
    await first.close();
  }
  return LspClient.start(serverJs, { nodeArgs, args, capabilities: PUSH_CAPS, rootPath: folder });
}

/** The same in a given config: the keystrokes go `inMarker` characters into the first `marker`. */
async function typingInto(serverJs, nodeArgs, folder, text, marker, inMarker, keystrokes, places) {
  const file = path.join(folder, 'nginx.conf');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(file, text);
  const client = await startServer(serverJs, nodeArgs, path.join(path.dirname(folder), `code-cache-${nodeArgs.length}`), folder);
  try {
    const uri = client.open(file, text);
    await client.waitForNotification(PUBLISH, (p) => p.uri === uri, { timeout: 180_000 });
    const offset = text.indexOf(marker);
    const lineOf = text.slice(0, offset).split('\n').length - 1;
    const at = (character) => ({ line: lineOf, character });
    const column = offset - text.lastIndexOf('\n', offset) - 1 + inMarker;
    let typed = 0;
    const type = async (count) => {
      const latencies = [];
      for (let i = 0; i < count; i++, typed++) {
        await sleep(KEY_GAP_MS);
        const add = typed % 2 === 0;
        const started = now();
        const version = client.change(uri, [add ? { range: { start: at(column), end: at(column) }, text: 'x' }
          : { range: { start: at(column), end: at(column + 1) }, text: '' }]);
        await client.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === version, { timeout: 60_000, since: client.mark - 1 });
        latencies.push(ms(started, now()));
      }
      return latencies;
    };
    const afterOpening = await type(KEYS_RIGHT_AFTER_OPENING);
    await sleep(READING_MS);
    const latencies = await type(keystrokes);
    return { afterOpening, latencies, ...(await requestsWhileTyping(client, uri, text, places)) };
  } finally {
    await client.close();
  }
}

/** Hover and completion at places over the file, idle and each right after a keystroke (before its diagnostics). */
async function requestsWhileTyping(client, uri, text, count) {
  const places = [];
  for (let i = text.indexOf('proxy_pass http://'); i >= 0 && places.length < count; i = text.indexOf('proxy_pass http://', i + 1)) {
    const before = text.slice(0, i);
    places.push({ line: before.split('\n').length - 1, character: i - before.lastIndexOf('\n') - 1 });
  }
  const hoverIdle = [];
  const completionIdle = [];
  const hoverTyping = [];
  const completionTyping = [];
  const timed = async (into, method, position) => {
    const started = now();
    await client.request(method, { textDocument: { uri }, position }, { timeout: 180_000 });
    into.push(ms(started, now()));
  };
  for (const p of places) {
    await timed(hoverIdle, 'textDocument/hover', { line: p.line, character: p.character + 2 });
    await timed(completionIdle, 'textDocument/completion', { line: p.line, character: p.character + 'proxy_pass http://'.length });
  }
  // A keystroke at the end of the file's first line, then at once the request, as an editor asks while typing.
  let added = false;
  for (const p of places) {
    for (const [into, method, position] of [[hoverTyping, 'textDocument/hover', { line: p.line, character: p.character + 2 }],
      [completionTyping, 'textDocument/completion', { line: p.line, character: p.character + 'proxy_pass http://'.length }]]) {
      client.change(uri, [added ? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }
        : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }]);
      added = !added;
      await timed(into, method, position);
      await sleep(KEY_GAP_MS);
    }
  }
  return { hoverIdle, completionIdle, hoverTyping, completionTyping };
}

/** RSS at start, with `count` generated configs open (each a main config of ~150 lines), and after closing them all. */
async function manyOpen(serverJs, nodeArgs, dir, count) {
  const folder = path.join(dir, `many-${nodeArgs.length}`);
  fs.mkdirSync(folder, { recursive: true });
  const text = generateConfig(150);
  const client = await LspClient.start(serverJs, { nodeArgs, capabilities: PUSH_CAPS });
  try {
    await settle(client);
    const start = rssOf(client.process.pid);
    const uris = [];
    for (let i = 0; i < count; i++) {
      const uri = client.open(path.join(folder, `site-${i}`, 'nginx.conf'), text.replace('app0', `site${i}app`));
      uris.push(uri);
      if (i % 50 === 49 || i === count - 1) await client.waitForNotification(PUBLISH, (p) => p.uri === uri, { timeout: 180_000 });
    }
    await settle(client);
    const open = rssOf(client.process.pid);
    for (const uri of uris) client.closeDocument(uri);
    const last = uris[uris.length - 1];
    await client.waitForNotification(PUBLISH, (p) => p.uri === last && p.diagnostics.length === 0, { timeout: 180_000 });
    await settle(client);
    await sleep(500);
    const closed = rssOf(client.process.pid);
    // V8 gives pages back on its own once the process is idle (its memory reducer starts ~8 s after a full GC).
    await sleep(IDLE_MS);
    return { start, open, closed, idle: rssOf(client.process.pid) };
  } finally {
    await client.close();
  }
}

export async function serverSession({ dist, tmp, largeFile }) {
  const serverJs = path.join(dist, 'server.js');
  console.log('');
  console.log('7. The server over stdio as an editor drives it (push diagnostics; generated configs), times in ms');
  console.log(`  ${pad('', 50)}${lpad('median', 9)}${lpad('p95', 9)}${lpad('min', 9)}${lpad('runs', 5)}  ${pad('target', 10)}`);
  for (const [flags, label] of [[[], 'without V8 options (as the client starts it)'], [[SEMI_SPACE], SEMI_SPACE]]) {
    console.log(`  ${label}`);
    const small = await typing(serverJs, flags, tmp, 5000, 30, 30);
    row('keystroke -> diagnostics, 5,000 lines', small.latencies, { text: 'p95 < 50', ok: (x) => x < 50 });
    const large = await typing(serverJs, flags, tmp, 50000, 20, 20);
    row('keystroke -> diagnostics, 50,000 lines', large.latencies, { text: 'p95 < 250', ok: (x) => x < 250 });
    for (const [name, r] of [['5,000', small], ['50,000', large]]) {
      row(`  the ${KEYS_RIGHT_AFTER_OPENING} keys right after opening, ${name} lines`, r.afterOpening, undefined,
        `then ${READING_MS / 1000} s reading before the keys above`);
    }
    // The real large file (section 1's): where the semi-space decides, a parse keeping every object it makes.
    const real = await typingInto(serverJs, flags, path.join(tmp, `typing-real-${flags.length}`), fs.readFileSync(largeFile, 'utf8'),
      'location = /api/example/1/0/11', 'location = /api/example'.length, 20, 0);
    row(`keystroke -> diagnostics, ${path.basename(largeFile)}`, real.latencies, undefined, 'section 1\'s 1.33 MB file');
    const fast = { text: 'p95 < 10', ok: (x) => x < 10 };
    for (const [name, r] of [['5,000', small], ['50,000', large]]) {
      row(`hover, ${name} lines`, r.hoverIdle, fast);
      row(`hover right after a keystroke, ${name} lines`, r.hoverTyping, fast);
      row(`completion, ${name} lines`, r.completionIdle, fast);
      row(`completion right after a keystroke, ${name} lines`, r.completionTyping, fast);
    }
    const memory = await manyOpen(serverJs, flags, tmp, 1000).catch((e) => {
      console.log(`  RSS with 1,000 configs: not measured (${e.message.split('\n')[0]})`);
      return undefined;
    });
    if (!memory) continue;
    const mb = (x) => (x === undefined ? '-' : `${x.toFixed(0)} MB`);
    const openOk = memory.open < 150;
    const closedOk = memory.closed - memory.start < 10;
    console.log(`  ${pad('RSS: start / 1,000 configs open / all closed', 50)}${lpad(mb(memory.start), 9)}${lpad(mb(memory.open), 9)}`
      + `${lpad(mb(memory.closed), 9)}       open < 150 MB ${openOk ? 'PASS' : 'MISS'}, closed within 10 MB ${closedOk ? 'PASS' : 'MISS'}`);
    const idleOk = memory.idle - memory.start < 10;
    console.log(`  ${pad(`RSS: all closed, then ${IDLE_MS / 1000} s idle`, 50)}${lpad(mb(memory.idle), 9)}${' '.repeat(25)}`
      + `within 10 MB ${idleOk ? 'PASS' : 'MISS'}`);
  }
}
