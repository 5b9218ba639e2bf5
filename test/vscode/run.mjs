// Runs test/editor/suite in desktop VS Code through @vscode/test-electron's runTests(), for machines
// that can download VS Code (a laptop, a CI runner with internet; on Linux without a display, under
// xvfb-run). Where the download is impossible it says so within seconds and points to
// `npm run test:editor`, the same suite in code-server, which needs no download.
//
//   node test/vscode/run.mjs            (npm run test:vscode builds dist/ first)
//
// Environment: VSCODE_TEST_VERSION (default 1.100.3, the VS Code that code-server 4.100.3 bundles),
// VSCODE_TEST_CACHE_PATH (where downloads are kept, default .vscode-test/), VSCODE_TEST_UPDATE_URL
// (the update server probed before downloading), EDITOR_TEST_GREP (mocha --grep).
// Exit code: the suite's (0 = every test passed), 1 when VS Code cannot be had or started.
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const version = process.env.VSCODE_TEST_VERSION || '1.100.3';
const cachePath = path.resolve(process.env.VSCODE_TEST_CACHE_PATH || path.join(repo, '.vscode-test'));
const updateUrl = process.env.VSCODE_TEST_UPDATE_URL || 'https://update.code.visualstudio.com/api/releases/stable';
const PROBE_MS = 5000;

function log(msg) {
  process.stdout.write(`[vscode] ${msg}\n`);
}

function fail(why) {
  console.error(`[vscode] FAILED: ${why}`);
  console.error('[vscode] Run `npm run test:editor` instead: the same suite in code-server, which needs no download.');
  process.exit(1);
}

/** Resolves when the update server answers at all (any HTTP status), rejects on error or after PROBE_MS. */
function probe(url) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'HEAD' }, (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode);
    });
    // A whole-request limit: the socket's own timeout does not cover the DNS lookup, which is where
    // a machine without a resolver for the outside world waits longest.
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${PROBE_MS / 1000} s`)), PROBE_MS);
    request.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    request.end();
  });
}

/** A VS Code of this version downloaded before: runTests uses it without asking the network. */
function cached() {
  try {
    return fs.readdirSync(cachePath).some((name) => name.startsWith('vscode-') && name.endsWith(version));
  } catch {
    return false;
  }
}

if (!fs.existsSync(path.join(repo, 'dist/extension.js'))) fail('dist/extension.js is missing: run `npm run build`');

let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch (e) {
  fail(`@vscode/test-electron cannot be loaded (${e.message}); run \`npm ci\``);
}

if (!cached()) {
  const host = new URL(updateUrl).host;
  log(`VS Code ${version} is not in ${path.relative(repo, cachePath) || cachePath}: checking that ${host} answers`);
  try {
    await probe(updateUrl);
  } catch (e) {
    fail(`cannot download VS Code ${version}: ${host} is unreachable (${e.message})`);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-vscode-'));
const folder = path.join(tmp, 'workspace');
fs.cpSync(path.join(repo, 'test/editor/workspace'), folder, { recursive: true });
let exitCode = 1;
try {
  await runTests({
    version,
    cachePath,
    // An idle timeout on the download itself, should the server stall after the probe.
    timeout: 30_000,
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'test/editor/suite/index.js'),
    launchArgs: [
      folder,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir', path.join(tmp, 'user-data'),
    ],
    extensionTestsEnv: { EDITOR_TEST_GREP: process.env.EDITOR_TEST_GREP ?? '' },
  });
  exitCode = 0;
} catch (e) {
  console.error(`[vscode] FAILED: ${e?.message ?? e}`);
  if (!cached()) console.error('[vscode] VS Code could not be downloaded: `npm run test:editor` runs the same suite in code-server.');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(exitCode);
