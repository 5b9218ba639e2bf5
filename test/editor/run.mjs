// Runs test/editor/suite in a real VS Code: code-server (VS Code 1.100.3 for the web, installed
// by scripts/install-code-server.sh) with its workbench in Debian's headless Chromium, driven by
// playwright-core. This is what @vscode/test-electron's runTests() does on a machine that can
// download VS Code; see shared/REAL-EDITOR.md.
//
//   node test/editor/run.mjs            (npm run test:editor builds dist/ first)
//
// Two phases: the suite against the extension in this folder (the Extension Development Host), then
// a smoke suite (test/editor/installed/) against the packaged .vsix, installed with
// `code-server --install-extension` as a user installs it, in a copy of examples/ (npm run
// test:editor builds the package first).
//
// Environment: CODE_SERVER (path to the code-server binary), CHROMIUM (browser binary),
// EDITOR_TEST_TIMEOUT_MS (overall limit per phase, default 5 min), EDITOR_TEST_GREP (mocha --grep;
// runs the first phase only), EDITOR_TESTS_INDEX and EDITOR_EXTENSION_PATH (another suite or
// extension, to try the harness; first phase only), EDITOR_VSIX and EDITOR_WORKSPACE (a .vsix to
// install and a folder to open instead of test/editor/workspace: how the second phase runs).
// Exit code: 0 when every phase passed, 1 on a failure, a timeout or when a tool is missing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUIET_WORKBENCH } from './code-server-settings.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const codeServer =
  process.env.CODE_SERVER || path.join(repo, '.vscode-test/code-server/node_modules/.bin/code-server');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const overallMs = Number(process.env.EDITOR_TEST_TIMEOUT_MS) || 5 * 60_000;
const shotsDir = path.join(repo, '.vscode-test/screenshots');
const extensionPath = path.resolve(process.env.EDITOR_EXTENSION_PATH || repo);
const testsIndex = path.resolve(process.env.EDITOR_TESTS_INDEX || path.join(here, 'suite/index.js'));
const vsix = process.env.EDITOR_VSIX ? path.resolve(process.env.EDITOR_VSIX) : undefined;
const workspaceSource = path.resolve(process.env.EDITOR_WORKSPACE || path.join(here, 'workspace'));
const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const packaged = path.join(repo, `nginx-ls-${version}.vsix`);

function log(msg) {
  process.stdout.write(`[editor] ${msg}\n`);
}

function missing(what, how) {
  console.error(`[editor] ${what} is not installed: ${how}`);
  console.error('[editor] The real-editor tests cannot run here (CI installs both: see .ci/run).');
  process.exit(1);
}

if (!fs.existsSync(codeServer)) missing(`code-server (${codeServer})`, 'run `bash scripts/install-code-server.sh`');
if (!fs.existsSync(chromiumPath)) missing(`Chromium (${chromiumPath})`, 'run `apt-get install -y chromium`');
if (vsix && !fs.existsSync(vsix)) missing(vsix, 'run `npm run package`');
if (!vsix && !fs.existsSync(path.join(extensionPath, 'dist/extension.js'))) missing('dist/extension.js', 'run `npm run build`');

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  missing('playwright-core', 'run `npm ci`');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHttp(url, child, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

function killGroup(child, signal) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole group: code-server, its extension host, the server
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

async function stopCodeServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await Promise.race([exited, sleep(8000)]);
  clearTimeout(t);
  killGroup(child, 'SIGKILL');
}

const started = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-editor-'));
const folder = path.join(tmp, 'workspace');
const userData = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const shotRequests = path.join(tmp, 'screenshot-requests');
const suiteLog = path.join(tmp, 'suite.log');
fs.cpSync(workspaceSource, folder, { recursive: true });
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(extensionsDir, { recursive: true });
fs.mkdirSync(shotRequests, { recursive: true });
fs.mkdirSync(shotsDir, { recursive: true });
// This run's only (the second phase keeps the first one's).
if (!vsix) for (const f of fs.readdirSync(shotsDir)) if (f.endsWith('.png')) fs.rmSync(path.join(shotsDir, f));
fs.writeFileSync(suiteLog, '');
// Its own config file, so ~/.config/code-server/config.yaml (password, bind address) plays no part.
fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\ncert: false\n');
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(QUIET_WORKBENCH, null, 2));

let server;
let browser;
let page;
let exitCode = 1;
let shooting = Promise.resolve();
let shotCount = vsix ? 50 : 0;

async function screenshot(name, waitSelector) {
  if (!page) return;
  const file = path.join(shotsDir, `${String(++shotCount).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
  shooting = shooting.then(async () => {
    try {
      if (waitSelector) {
        await page
          .waitForSelector(waitSelector, { state: 'visible', timeout: 5_000 })
          .catch(() => log(`screenshot ${name}: "${waitSelector}" did not show within 5 s`));
      }
      await page.screenshot({ path: file, timeout: 10_000 });
      log(`screenshot ${path.relative(repo, file)}`);
    } catch (e) {
      log(`screenshot ${name} failed: ${e.message.split('\n')[0]}`);
    }
  });
  return shooting;
}

// The suite (extension host, a Node process under code-server) asks for a screenshot by writing
// `<name>.request` (holding an optional CSS selector to wait for) into
// $NGINX_LS_SCREENSHOT_REQUESTS; the runner answers with `<name>.done`.
let polling = true;
async function pollShotRequests() {
  while (polling) {
    let names = [];
    try {
      names = fs.readdirSync(shotRequests).filter((f) => f.endsWith('.request'));
    } catch {
      /* removed in cleanup */
    }
    for (const f of names) {
      const name = f.slice(0, -'.request'.length);
      let selector = '';
      try {
        fs.renameSync(path.join(shotRequests, f), path.join(shotRequests, `${name}.taking`));
        selector = fs.readFileSync(path.join(shotRequests, `${name}.taking`), 'utf8').trim();
      } catch {
        continue;
      }
      await screenshot(name, selector || undefined);
      try {
        fs.writeFileSync(path.join(shotRequests, `${name}.done`), '');
      } catch {
        /* ignore */
      }
    }
    await sleep(100);
  }
}

// Prints what the suite writes to $NGINX_LS_EDITOR_LOG (mocha's spec report) as it comes.
let suiteLogOffset = 0;
function drainSuiteLog() {
  let fd;
  try {
    fd = fs.openSync(suiteLog, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > suiteLogOffset) {
      const buf = Buffer.alloc(size - suiteLogOffset);
      fs.readSync(fd, buf, 0, buf.length, suiteLogOffset);
      suiteLogOffset = size;
      process.stdout.write(buf);
    }
  } catch {
    /* not there */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
const tail = setInterval(drainSuiteLog, 200);

const onSignal = (sig) => {
  log(`${sig}: stopping`);
  killGroup(server, 'SIGKILL');
  browser?.close().catch(() => undefined);
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const remote = `vscode-remote://127.0.0.1:${port}`;

  if (vsix) {
    log(`installing ${path.relative(repo, vsix)}`);
    await new Promise((resolve, reject) => {
      const install = spawn(codeServer, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userData],
        { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
      let output = '';
      install.stdout.on('data', (d) => (output += d));
      install.stderr.on('data', (d) => (output += d));
      install.on('error', reject);
      install.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`--install-extension exited ${code}: ${output}`))));
    });
  }
  log(`code-server on ${base}, workspace ${folder}`);
  server = spawn(
    codeServer,
    [
      '--config', path.join(tmp, 'config.yaml'),
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      folder,
    ],
    {
      cwd: tmp,
      detached: true, // own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NGINX_LS_SCREENSHOT_REQUESTS: shotRequests,
        NGINX_LS_EDITOR_LOG: suiteLog,
        NGINX_LS_INSTALLED_EXTENSIONS: extensionsDir,
        EDITOR_TEST_GREP: process.env.EDITOR_TEST_GREP ?? '',
        // Keep the editor's own Node (code-server runs on this node) from inheriting test flags.
        NODE_OPTIONS: '',
      },
    },
  );
  const serverLog = fs.createWriteStream(path.join(shotsDir, 'code-server.log'));
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  await waitForHttp(`${base}/healthz`, server, 60_000);
  log(`code-server ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();

  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(Number(code));
  });

  // The workbench's console (the extension host's included, mixed with the workbench's own
  // noise) goes to a file; the suite's report comes through $NGINX_LS_EDITOR_LOG instead.
  const consoleLog = fs.createWriteStream(path.join(shotsDir, 'browser-console.log'));
  page.on('console', (msg) => {
    consoleLog.write(`[${msg.type()}] ${msg.text().replace(/%c\s*/g, '').replace(/ color: #[0-9a-f]+ /i, ' ')}\n`);
  });
  page.on('pageerror', (err) => log(`page error: ${err.message.split('\n')[0]}`));

  const payload = [
    ['extensionDevelopmentPath', remote + extensionPath],
    ['extensionTestsPath', remote + testsIndex],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  pollShotRequests();
  await page.goto(url);
  page
    .waitForSelector('.monaco-workbench', { timeout: 60_000 })
    .then(() => log(`workbench loaded after ${((Date.now() - started) / 1000).toFixed(1)} s`))
    .catch(() => polling && log('workbench did not appear within 60 s'));

  const remaining = overallMs - (Date.now() - started);
  let timer;
  const timedOut = new Promise((r) => (timer = setTimeout(() => r('timeout'), remaining)));
  const serverDied = new Promise((r) => server.once('exit', (c, s) => r(`code-server exited (${c ?? s})`)));
  const result = await Promise.race([exited, timedOut, serverDied]);
  clearTimeout(timer);
  drainSuiteLog();
  if (typeof result === 'number') {
    exitCode = result;
    log(`suite finished with exit code ${result} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    exitCode = 1;
    log(`FAILED: ${result === 'timeout' ? `no result within ${overallMs / 1000} s` : result}`);
    log(`code-server log: ${path.relative(repo, path.join(shotsDir, 'code-server.log'))}`);
  }
  // The client starts the server with a code cache in the extension's storage; after a run as
  // long as the first phase the server has written it there (the smoke phase is too short).
  const storage = path.join(userData, 'User/globalStorage/nginx-ls.nginx-ls');
  const caches = fs.existsSync(storage) ? fs.readdirSync(storage).filter((f) => f.endsWith('.v8cache')) : [];
  if (caches.length === 1) log(`code cache written in the extension's storage: ${caches[0]}`);
  else if (exitCode === 0 && !vsix) {
    exitCode = 1;
    log(`FAILED: expected one code cache in ${storage}, found ${JSON.stringify(caches)}`);
  }
  await screenshot(exitCode === 0 ? 'end' : 'end-failed');
} catch (e) {
  exitCode = 1;
  log(`FAILED: ${e.stack || e}`);
  await screenshot('error');
} finally {
  clearInterval(tail);
  drainSuiteLog();
  polling = false;
  await shooting.catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await stopCodeServer(server);
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}

// The second phase, in a process of its own (a fresh code-server, user data and extensions folder).
const firstPhaseOnly = vsix || process.env.EDITOR_TESTS_INDEX || process.env.EDITOR_EXTENSION_PATH || process.env.EDITOR_TEST_GREP;
if (!firstPhaseOnly) {
  log(`second phase: the packaged extension ${path.relative(repo, packaged)}, installed`);
  const second = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      EDITOR_VSIX: packaged,
      EDITOR_WORKSPACE: path.join(repo, 'examples'),
      EDITOR_TESTS_INDEX: path.join(here, 'installed/index.js'),
      EDITOR_EXTENSION_PATH: path.join(here, 'installed'),
    },
  });
  const secondCode = await new Promise((resolve) => second.on('exit', (code) => resolve(code ?? 1)));
  exitCode = exitCode || secondCode;
}
process.exit(exitCode);
