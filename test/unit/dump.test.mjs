// `nginx -T` dumps: read back into their files, analysed as the whole configuration they hold, and
// each finding put on the dump's line. The hand-made dump of test/fixtures/dumps/ is a fixture case
// too (its findings are annotated inline); here a real `nginx -T` output is compared with the
// analysis of the files it was made from: the same findings, each on the line the file's line became.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { service } from '../lib/service.mjs';
import { unavailable } from '../lib/tools.mjs';

const require = createRequire(import.meta.url);
const { NodeHost } = require('../../dist/node-host.js');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = path.join(ROOT, 'test/fixtures/dumps/nginx-T.txt');

const STATUS = 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n'
  + 'nginx: configuration file /etc/nginx/nginx.conf test is successful\n';
const MAIN_TEXT = 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n';
const SITE_TEXT = 'server {\n    listen 8080;\n    location / { proxy_pass https://10.0.0.1; }\n}\n';
const dumpOf = (files) => files.map(([file, text]) => `# configuration file ${file}:\n${text}\n`).join('');
const DUMP = STATUS + dumpOf([['/etc/nginx/nginx.conf', MAIN_TEXT], ['/etc/nginx/conf.d/site.conf', SITE_TEXT]]);

test('a dump is split into the files nginx printed, each with its exact text', () => {
  const dump = service.readDump(DUMP);
  assert.equal(dump.main, '/etc/nginx/nginx.conf');
  assert.deepEqual(dump.files.map((f) => [f.path, DUMP.slice(f.start, f.end)]),
    [['/etc/nginx/nginx.conf', MAIN_TEXT], ['/etc/nginx/conf.d/site.conf', SITE_TEXT]]);
  assert.equal(DUMP.slice(dump.files[1].marker).split('\n')[0], '# configuration file /etc/nginx/conf.d/site.conf:');
});

test('a file without a final newline, CRLF line ends, warnings before the dump and a file printed twice', () => {
  const crlf = '2026/12/01 10:00:00 [warn] 12#12: "ssl_stapling" ignored, issuer certificate not found\r\n'
    + STATUS.replace(/\n/g, '\r\n')
    + '# configuration file /etc/nginx/nginx.conf:\r\nevents {}\r\nhttp { include a.conf; include a.conf; }\r\n'
    + '# configuration file /etc/nginx/a.conf:\r\nserver_tokens off;\r\n# configuration file /etc/nginx/a.conf:\r\nignored;\r\n';
  const dump = service.readDump(crlf);
  assert.deepEqual(dump.files.map((f) => [f.path, crlf.slice(f.start, f.end)]),
    [['/etc/nginx/nginx.conf', 'events {}\r\nhttp { include a.conf; include a.conf; }'], ['/etc/nginx/a.conf', 'server_tokens off;']]);
  const noFinalNewline = '# configuration file /etc/nginx/nginx.conf:\nevents {}\n';
  assert.equal(noFinalNewline.slice(service.readDump(noFinalNewline).files[0].start, service.readDump(noFinalNewline).files[0].end),
    'events {}');
});

test('what is not a dump: a configuration, a marker after other text, a relative path', () => {
  assert.equal(service.readDump(MAIN_TEXT), undefined);
  assert.equal(service.readDump(`events {}\n${DUMP}`), undefined);
  assert.equal(service.readDump('# configuration file nginx.conf:\nevents {}\n'), undefined);
  assert.equal(service.readDump(''), undefined);
  assert.equal(service.readDump('nginx: [emerg] unknown directive "x" in /etc/nginx/nginx.conf:3\n'), undefined);
});

test('findings are mapped onto the dump, includes resolve to the embedded files, places name the dump line', () => {
  const host = service.memoryHost({ '/work/dump.txt': DUMP });
  const analysis = service.analyzeDump('/work/dump.txt', DUMP, service.readDump(DUMP), host);
  assert.deepEqual(analysis.findings.map((f) => [f.file, DUMP.slice(f.start, f.end), f.code]),
    [['/work/dump.txt', 'https://10.0.0.1', 'tls-upstream-unverified']]);
  assert.deepEqual([...analysis.files.keys()], ['/work/dump.txt']);
  assert.deepEqual([...analysis.placements.keys()], ['/work/dump.txt']);
  assert.deepEqual([...analysis.dump.analysis.files.keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/site.conf']);
  const lines = DUMP.split('\n');
  const line = service.lineOf(DUMP, analysis.findings[0].start);
  assert.match(lines[line - 1], /proxy_pass https:\/\/10\.0\.0\.1/);
});

test('in a workspace, a dump is its own configuration: it claims none of the real files at the paths it names', () => {
  const files = {
    '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    '/etc/nginx/conf.d/site.conf': 'server {\n    listen 80;\n    location / { proxy_pass http://app; }\n}\n',
    '/work/incident/nginx-T.conf': DUMP,
  };
  const workspace = new service.ConfigWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  assert.equal(workspace.mainOf('/etc/nginx/conf.d/site.conf'), '/etc/nginx/nginx.conf');
  assert.equal(workspace.mainOf('/work/incident/nginx-T.conf'), '/work/incident/nginx-T.conf');
  assert.deepEqual(workspace.analysisFor('/etc/nginx/conf.d/site.conf').findings.map((f) => f.code), []);
  const dump = workspace.analysisFor('/work/incident/nginx-T.conf');
  assert.deepEqual(dump.findings.map((f) => [f.file, f.code]), [['/work/incident/nginx-T.conf', 'tls-upstream-unverified']]);
});

test('a dump nothing else knows of (an open buffer of its own) is analysed as a dump too', () => {
  const workspace = new service.ConfigWorkspace(service.memoryHost({ '/tmp/paste.nginx': DUMP }));
  const analysis = workspace.analysisFor('/tmp/paste.nginx');
  assert.ok(analysis.dump);
  assert.deepEqual(analysis.findings.map((f) => f.code), ['tls-upstream-unverified']);
});

test('the CLI checks a dump as its configuration, with findings on the dump\'s lines; --no-suppress shows what is hidden', () => {
  const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  const run = cli(FIXTURE, '--format', 'json');
  const found = JSON.parse(run.stdout).map((f) => [path.basename(f.file), f.range.start.line + 1, f.code]);
  assert.deepEqual(found, [
    ['nginx-T.txt', 24, 'tls-upstream-unverified'], ['nginx-T.txt', 31, 'unknown-variable'], ['nginx-T.txt', 41, 'duplicate-location'],
  ]);
  const text = cli(FIXTURE);
  assert.match(text.stdout, /^3 findings in 1 file \(1 suppressed by "# nginx-ls: ignore" comments; --no-suppress shows them\)$/m);
  const all = JSON.parse(cli(FIXTURE, '--format', 'json', '--no-suppress').stdout);
  assert.deepEqual(all.map((f) => [f.range.start.line + 1, f.code]),
    [[24, 'tls-upstream-unverified'], [29, 'tls-upstream-unverified'], [31, 'unknown-variable'], [41, 'duplicate-location']]);
});

// ---- a real nginx -T ---------------------------------------------------------------------------

/** nginx, run as the oracle test runs it: in private mount and network namespaces, tmpfs over the dirs it writes. */
function nginxSandbox() {
  const which = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' });
  const nginx = which.status === 0 ? which.stdout.trim().split('\n')[0] : '';
  if (!nginx) return { reason: 'nginx not installed' };
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((p) => fs.existsSync(p));
  if (!unshare) return { reason: 'unshare (util-linux) not found' };
  const v = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
  const dirs = new Set();
  for (const m of `${v.stdout}${v.stderr}`.matchAll(/--(http-[a-z]+-temp-path|http-log-path|error-log-path|lock-path)=(\/\S+)/g)) {
    if (fs.existsSync(path.dirname(m[2]))) dirs.add(fs.realpathSync(path.dirname(m[2])));
  }
  return { nginx, unshare, dirs: [...dirs] };
}

const SANDBOX_SH = 'while [ "$1" != -- ]; do mount -t tmpfs -o mode=0755 nginx-ls-dump "$1" || exit 97; shift; done; shift; exec "$@" 2>&1';

/** `nginx -T -c conf 2>&1` in the sandbox: what a user saves when asked for the configuration. */
function nginxDump(sandbox, prefix, conf) {
  const asRoot = process.getuid?.() === 0;
  return spawnSync(sandbox.unshare, [
    ...(asRoot ? [] : ['--user', '--map-root-user']), '--mount', '--propagation', 'private', '--net',
    'sh', '-c', SANDBOX_SH, 'sh', ...sandbox.dirs, '--',
    sandbox.nginx, '-T', '-p', prefix + path.sep, '-e', 'stderr', '-c', conf,
    '-g', `pid ${path.join(prefix, 'nginx.pid')};${asRoot ? '' : ' user root;'}`,
  ], { encoding: 'utf8', timeout: 10_000 });
}

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-dump-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a real nginx -T output: the same findings as the files it was made from, each on the line its file line became', (t) => {
  const sandbox = nginxSandbox();
  if (sandbox.reason) return unavailable(t, sandbox.reason);
  if (sandbox.dirs.some((d) => (tmp + path.sep).startsWith(d + path.sep))) {
    return unavailable(t, 'the temporary folder is under a folder nginx writes into (a tmpfs there would hide it)');
  }
  const files = {
    'nginx.conf': 'events {}\nhttp {\n    include mime.types;\n    ssl_protocols TLSv1 TLSv1.2;\n    include conf.d/*.conf;\n}\n',
    'mime.types': 'types {\n    text/html html;\n}\n',
    'conf.d/a-shop.conf': 'server {\n    listen 8080;\n    location /pay/ {\n        proxy_pass https://10.0.0.5;\n    }\n'
      + '    include snippets/api.conf;\n}\n',
    'conf.d/b-admin.conf': 'server {\n    listen 8081;\n    location / {\n'
      + '        # nginx-ls: ignore tls-upstream-unverified -- the admin backend is on loopback\n'
      + '        proxy_pass https://127.0.0.1:9443;\n    }\n    location /old/ {\n        # nginx-ls: ignore tls-weak-cipher\n'
      + '        proxy_ssl_ciphers RC4:HIGH;\n        proxy_pass https://127.0.0.1:9444;\n    }\n}\n',
    'snippets/api.conf': 'location /api/ {\n    grpc_ssl_verify off;\n    grpc_pass grpcs://10.0.0.9:50051;\n}\n',
  };
  const prefix = path.join(tmp, 'etc-nginx');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(prefix, name)), { recursive: true });
    fs.writeFileSync(path.join(prefix, name), text);
  }
  const conf = path.join(prefix, 'nginx.conf');
  const run = nginxDump(sandbox, prefix, conf);
  if (run.status === 97) return unavailable(t, `cannot sandbox nginx: ${run.stdout}${run.stderr}`);
  assert.equal(run.status, 0, `nginx -T failed: ${run.stdout}${run.stderr}`);
  const text = run.stdout;
  assert.match(text, /^nginx: the configuration file .* syntax is ok$/m);
  const dumpFile = path.join(tmp, 'nginx-T.txt');
  fs.writeFileSync(dumpFile, text);

  const host = new NodeHost();
  const fromFiles = new service.ConfigWorkspace(host);
  fromFiles.setCandidates(Object.keys(files).map((f) => path.join(prefix, f)));
  const expected = fromFiles.analysisFor(conf);
  const dump = service.readDump(text);
  assert.deepEqual(dump.files.map((f) => path.relative(prefix, f.path)).sort(), Object.keys(files).sort());
  const fromDump = new service.ConfigWorkspace(host);
  fromDump.setCandidates([dumpFile]);
  const actual = fromDump.analysisFor(dumpFile);

  // Where each file's line 1 is in the dump; a finding at file:line must stand at dump line first + line - 1.
  const firstLine = new Map(dump.files.map((f) => [f.path, service.lineOf(text, f.start)]));
  const place = (f, fileText) => ({ line: service.lineOf(fileText, f.start), column: f.start - fileText.lastIndexOf('\n', f.start - 1) });
  const want = expected.findings.map((f) => {
    const p = place(f, expected.files.get(f.file).text);
    return `${firstLine.get(f.file) + p.line - 1}:${p.column} ${f.code}: ${f.message}`;
  }).sort();
  const got = actual.findings.map((f) => {
    const p = place(f, text);
    return `${p.line}:${p.column} ${f.code}: ${f.message.replace(/, dump line \d+/g, '')}`;
  }).sort();
  assert.deepEqual(got, want);
  const codes = actual.findings.map((f) => f.code).sort();
  assert.deepEqual(codes, ['suppression-without-reason', 'tls-legacy-protocol', ...Array(3).fill('tls-upstream-unverified')]);
  assert.deepEqual(actual.suppressed.map((f) => f.code).sort(), ['tls-upstream-unverified', 'tls-weak-cipher']);
  // A setting is named by its file's line and the dump's.
  const grpc = actual.findings.find((f) => f.message.includes('grpcs://'));
  const verifyLine = firstLine.get(path.join(prefix, 'snippets/api.conf')) + 1;
  assert.match(grpc.message, new RegExp(`grpc_ssl_verify is off \\(set at snippets/api\\.conf:2, dump line ${verifyLine}\\)`));
  assert.match(text.split('\n')[verifyLine - 1], /grpc_ssl_verify off;/);
});
