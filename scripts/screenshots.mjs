// Takes the README's pictures (docs/images/*.png) from the real workbench as a user sees it: the
// packaged .vsix installed into code-server with --install-extension, a copy of examples/ opened
// with no extensionDevelopmentPath (so no "[Extension Development Host]" in the title), Debian's
// Chromium at 1400×900 driven by playwright-core with the keyboard.
//
//   npm run package && node scripts/screenshots.mjs
//
// Needs what the editor suite needs (scripts/install-code-server.sh, /usr/bin/chromium).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { QUIET_WORKBENCH } from '../test/editor/code-server-settings.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const codeServer = process.env.CODE_SERVER || path.join(repo, '.vscode-test/code-server/node_modules/.bin/code-server');
const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const vsix = path.join(repo, `nginx-ls-${version}.vsix`);
const images = path.join(repo, 'docs/images');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-shots-'));
const folder = path.join(tmp, 'examples');
const userData = path.join(tmp, 'user-data');
const extensions = path.join(tmp, 'extensions');
fs.cpSync(path.join(repo, 'examples'), folder, { recursive: true });
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(images, { recursive: true });
fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\ncert: false\n');
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({
  ...QUIET_WORKBENCH,
  // Only what the pictures show: no minimap or title-bar extras beside the editor.
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
}));

const port = await new Promise((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = srv.address();
    srv.close(() => resolve(free));
  });
});
const env = { ...process.env, NODE_OPTIONS: '' };
execFileSync(codeServer, ['--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData],
  { env, stdio: 'ignore' });
const server = spawn(codeServer, [
  '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
  '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check',
  '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', folder,
], { cwd: tmp, detached: true, stdio: 'ignore', env });

let browser;
try {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(200);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await sleep(3000); // the welcome notifications settle

  const press = async (...keys) => { for (const k of keys) await page.keyboard.press(k); };
  const command = async (name) => {
    await press('F1');
    await page.keyboard.type(name);
    await sleep(400);
    await press('Enter');
    await sleep(500);
  };
  const open = async (file) => {
    await press('Control+P');
    await page.keyboard.type(file);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${file}"]`, { timeout: 20_000 });
    await press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 10_000 });
  };
  const goTo = async (line, column) => {
    await press('Control+G');
    await page.keyboard.type(`${line}:${column}`);
    await press('Enter');
    await sleep(300);
  };
  const shot = async (name) => {
    const file = path.join(images, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`${path.relative(repo, file)}: ${fs.statSync(file).size} bytes`);
  };
  const hover = async () => {
    await command('Show or Focus Hover');
    await page.waitForSelector('.monaco-hover:not(.hidden)', { state: 'visible', timeout: 10_000 });
    await sleep(500);
  };

  await command('Notifications: Clear All Notifications');
  await open('shop.conf');
  await page.waitForSelector('.squiggly-error', { timeout: 30_000 }); // the server has answered
  await sleep(1000);

  await goTo(17, 22); // proxy_pass https://payments;
  await hover();
  await shot('hover-proxy-pass');
  await press('Escape');

  await goTo(7, 30); // ssl_certificate certs/shop-chain.pem;
  await hover();
  await shot('hover-certificate');
  await press('Escape');

  await goTo(17, 22); // proxy_pass https://payments;
  await press('Control+.');
  await page.waitForSelector('.action-widget', { state: 'visible', timeout: 10_000 });
  await sleep(500);
  await shot('quick-fix');
  await press('Escape');

  await command('View: Focus Problems (Errors, Warnings, Infos)');
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 10_000 });
  await sleep(1000);
  await shot('problems');
} catch (e) {
  const pages = browser?.contexts()[0]?.pages() ?? [];
  if (pages[0]) await pages[0].screenshot({ path: path.join(os.tmpdir(), 'nginx-ls-screenshots-failed.png') }).catch(() => undefined);
  throw e;
} finally {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}
