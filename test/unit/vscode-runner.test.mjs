// test/vscode/run.mjs (`npm run test:vscode`): where VS Code cannot be downloaded it must stop within
// seconds, not hang on the download, and point to `npm run test:editor`. The update server is
// replaced by an address nothing answers on, so this holds the same on machines with internet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('test:vscode: the package script runs test/vscode/run.mjs after a build', () => {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(scripts['test:vscode'], 'npm run build --silent && node test/vscode/run.mjs');
});

test('test:vscode: with the update server unreachable it exits 1 within 20 s and names npm run test:editor', async (t) => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-vscode-cache-'));
  t.after(() => fs.rmSync(cache, { recursive: true, force: true }));
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(root, 'test/vscode/run.mjs')], {
    cwd: root,
    // 10.255.255.1 is routed nowhere: a connection there hangs (or fails at once), as a download does offline.
    env: { ...process.env, VSCODE_TEST_CACHE_PATH: cache, VSCODE_TEST_UPDATE_URL: 'https://10.255.255.1/api/releases/stable' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = await new Promise((resolve) => child.on('exit', (...result) => resolve(result)));
  clearTimeout(killer);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s:\n${output}`);
  assert.equal(code, 1, output);
  assert.match(output, /FAILED: cannot download VS Code [\d.]+: 10\.255\.255\.1 is unreachable/);
  assert.match(output, /Run `npm run test:editor` instead/);
  assert.deepEqual(fs.readdirSync(cache), [], 'nothing downloaded');
});
