// What the two packages ship: the .vsix (the list `vsce ls` packs) and the npm tarball (`npm pack`).
// Both must run with no node_modules, so every chunk a shipped bundle requires has to be shipped
// too; neither may carry source maps, sources, tests or the examples (whose private keys vsce
// refuses). The npm tarball is then installed offline into an empty folder and its CLI run there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
const datesCase = path.join(repo, 'server/src/service/nginx/rules/certificates.cases/dates');

/** Relative `require("./x.js")` calls in a bundle: the chunks it loads at run time. */
function chunksRequired(file) {
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  return [...text.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)].map((m) => `dist/${m[1]}`);
}

/** Files a package must not carry: maps, TypeScript, tests, examples, dependencies, tooling. */
function unwanted(files) {
  return files.filter((f) =>
    /\.(map|ts|mjs|key|pem|crt|vsix|tgz)$/.test(f) ||
    /^(server|client|test|examples|bench|scripts|docs|\.ci|node_modules|\.vscode-test)\//.test(f) ||
    /(^|\/)node_modules\//.test(f));
}

/** Every chunk required by a shipped bundle, missing from the package. */
function missingChunks(files) {
  const shipped = new Set(files);
  return files.filter((f) => /^dist\/[^/]+\.js$/.test(f)).flatMap((f) => chunksRequired(f).filter((c) => !shipped.has(c)));
}

const vsixFiles = () => execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], quiet).trim().split('\n').sort();

test('the .vsix ships the bundles, their chunks and the documents, and no maps, sources, tests or examples', () => {
  const files = vsixFiles();
  assert.deepEqual(unwanted(files), []);
  assert.deepEqual(missingChunks(files), []);
  const required = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'icon.png', 'language-configuration.json',
    'syntaxes/nginx.tmLanguage.json', 'snippets/nginx.json', 'snippets/ingress.json',
    'dist/extension.js', 'dist/server.js', 'dist/server-main.js', 'dist/ingress.js',
    'dist/reference-lib.js', 'dist/x509.js', 'dist/reflect-metadata.js'];
  assert.deepEqual(required.filter((f) => !files.includes(f)), []);
  // The CLI, the bench and test bundles are not what the extension runs.
  assert.deepEqual(files.filter((f) => /^dist\/(cli|service|node-host)\.js$/.test(f)), []);
});

test('the server bundles require the nginx reference and the certificate reader as chunks, on first use', () => {
  assert.deepEqual(chunksRequired('dist/server-main.js').sort(),
    ['dist/ingress.js', 'dist/reference-lib.js', 'dist/reflect-metadata.js', 'dist/x509.js']);
  // The CLI's loader requires nothing; its bundle loads the Ingress half for YAML files only.
  assert.deepEqual(chunksRequired('dist/cli.js'), []);
  assert.deepEqual(chunksRequired('dist/cli-main.js').sort(), ['dist/ingress.js', 'dist/reflect-metadata.js', 'dist/x509.js']);
  // ...and carries none of it itself (the YAML parser, F5's resources), nor the rule pages: every check would load them.
  const cli = fs.readFileSync(path.join(repo, 'dist/cli-main.js'), 'utf8');
  for (const marker of ['YAMLParseError', 'k8s.nginx.org', 'leaf-chain.pem']) assert.ok(!cli.includes(marker), marker);
  assert.ok(fs.readFileSync(path.join(repo, 'dist/ingress.js'), 'utf8').includes('YAMLParseError'));
  // Loaded inside functions, not at the top of the bundle: the start stays light.
  const server = fs.readFileSync(path.join(repo, 'dist/server-main.js'), 'utf8');
  const firstLine = server.split('\n').find((l) => l.includes('require("./reference-lib.js")'));
  assert.match(firstLine, /function\s*\w*\(\)\s*\{\s*return require\("\.\/reference-lib\.js"\)/);
});

test('npm pack: the CLI runs from the tarball installed offline into an empty folder, and so does the server', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-pack-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: the bundles are built by `npm test` already (prepack would build them again).
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], quiet));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(unwanted(files), []);
  assert.deepEqual(missingChunks(files), []);
  assert.ok(files.includes('dist/cli.js') && files.includes('LICENSE') && files.includes('CHANGELOG.md'), files.join(' '));
  // The CLI bundle, and the code cache the build wrote for it (for the Node version that built it).
  assert.ok(files.includes('dist/cli-main.js') && files.some((f) => /^dist\/cli-main-\w+-v[\d.]+-\w+-\w+\.v8cache$/.test(f)), files.join(' '));
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'the tarball installs nothing else');

  // An empty project folder with its own npm cache: --offline proves nothing is fetched.
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.cpSync(datesCase, path.join(project, 'dates'), { recursive: true });
  const install = ['install', path.join(dir, packed.filename), '--offline', '--no-audit', '--no-fund', '--cache', path.join(dir, 'cache')];
  execFileSync(npm, install, { ...quiet, cwd: project });
  assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.')), ['nginx-ls']);

  // What `npx nginx-ls check` runs there. The expired certificate needs the x509 chunk: without it
  // every certificate would be reported unreadable.
  const cli = path.join(project, 'node_modules/.bin/nginx-ls');
  let output = '';
  let status = 0;
  try {
    execFileSync(cli, ['check', 'dates', '--now', '2026-12-01'], { ...quiet, cwd: project });
  } catch (e) {
    ({ stdout: output, status } = e);
  }
  assert.equal(status, 1, 'an error was found');
  const expired = 'dates/nginx.conf:10:25: error [cert-expired] the certificate ("CN=app.example.test, O=nginx-ls cases") '
    + 'expired on 2025-06-01';
  assert.ok(output.split('\n').some((line) => line.startsWith(expired)), output);
  // Three dated leaves, each also alone without its intermediate (cert-chain-incomplete, information), in
  // four TLS servers that send no HSTS (hsts-missing, information).
  assert.match(output, /^10 findings in 1 file$/m);
  assert.doesNotMatch(output, /cert-unreadable|Cannot find module/);

  // The server from the tarball hovers a directive with the nginx reference (the reference-lib chunk).
  const client = await LspClient.start(path.join(project, 'node_modules/nginx-ls/dist/server.js'), { rootPath: project });
  t.after(() => client.close());
  const uri = fileUri(path.join(project, 'nginx.conf'));
  client.open(path.join(project, 'nginx.conf'), 'events {}\nhttp { gzip on; }\n');
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } });
  assert.match(hover.contents.value, /ngx_http_gzip_module/);
});
