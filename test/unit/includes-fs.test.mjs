// Includes against the real file system (NodeHost): globs relative to the prefix, FIFOs, devices,
// directories, oversized files and symlink loops each end in a diagnostic, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tempWorkspace } from '../lib/workspace.mjs';

const require = createRequire(import.meta.url);
const { analyzeConfig } = require('../../dist/service.js');
const { NodeHost } = require('../../dist/node-host.js');

const workspace = (t, files) => tempWorkspace(t, files, 'nginx-ls-inc-');

const codesAt = (analysis, file) => analysis.findings.filter((f) => f.file === file).map((f) => f.code);

test('a glob in an included file resolves against the prefix, not the including file', (t) => {
  const dir = workspace(t, {
    'nginx.conf': 'events {}\nhttp { include sites/*.conf; }\n',
    'sites/a.conf': 'include snippets/*.conf;\n',
    'snippets/s.conf': 'server { listen 80; }\n',
    'sites/snippets/wrong.conf': 'this is not nginx;\n',
  });
  const analysis = analyzeConfig(path.join(dir, 'nginx.conf'), new NodeHost());
  assert.deepEqual(analysis.findings.map((f) => f.code), []);
  assert.ok(analysis.files.has(path.join(dir, 'snippets/s.conf')));
  assert.ok(!analysis.files.has(path.join(dir, 'sites/snippets/wrong.conf')));
});

test('a FIFO, a device, a directory and an oversized file are refused with a diagnostic, promptly', (t) => {
  const dir = workspace(t, { 'nginx.conf': 'events {}\nhttp {\n  include pipe.conf;\n  include /dev/zero;\n  include dir.conf;\n'
    + '  include big.conf;\n}\n' });
  assert.equal(spawnSync('mkfifo', [path.join(dir, 'pipe.conf')]).status, 0);
  fs.mkdirSync(path.join(dir, 'dir.conf'));
  fs.writeFileSync(path.join(dir, 'big.conf'), '#'.repeat(9 * 1024 * 1024));
  // In a child process with a timeout: a read of the FIFO would block forever.
  const script = `const {analyzeConfig}=require(${JSON.stringify(path.resolve('dist/service.js'))});`
    + `const {NodeHost}=require(${JSON.stringify(path.resolve('dist/node-host.js'))});
    const a=analyzeConfig(${JSON.stringify(path.join(dir, 'nginx.conf'))}, new NodeHost()); `
    + 'console.log(JSON.stringify(a.findings.map(f=>[f.code,f.message])));';
  const run = spawnSync(process.execPath, ['-e', script], { timeout: 10_000, encoding: 'utf8' });
  assert.equal(run.status, 0, `analysis did not finish: ${run.error ?? run.stderr}`);
  const findings = JSON.parse(run.stdout);
  const messages = findings.filter(([code]) => code === 'include-unreadable').map(([, m]) => m).join('\n');
  assert.match(messages, /pipe\.conf": it is a FIFO/);
  assert.match(messages, /\/dev\/zero": it is a device/);
  assert.match(messages, /dir\.conf": it is a directory/);
  assert.match(messages, /big\.conf": it is too large/);
});

test('a symlink loop under a glob does not trap the expansion', (t) => {
  const dir = workspace(t, {
    'nginx.conf': 'events {}\nhttp { include conf.d/*/*.conf; }\n', 'conf.d/a/site.conf': 'server { listen 80; }\n'
  });
  fs.symlinkSync(path.join(dir, 'conf.d'), path.join(dir, 'conf.d/loop'));
  const started = Date.now();
  const analysis = analyzeConfig(path.join(dir, 'nginx.conf'), new NodeHost());
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(codesAt(analysis, path.join(dir, 'nginx.conf')), []);
  assert.ok(analysis.files.has(path.join(dir, 'conf.d/a/site.conf')));
});

test('an include cycle through real files is reported, not followed', (t) => {
  const dir = workspace(t, {
    'nginx.conf': 'events {}\nhttp { include a.conf; }\n', 'a.conf': 'include b.conf;\n', 'b.conf': 'include a.conf;\n'
  });
  const analysis = analyzeConfig(path.join(dir, 'nginx.conf'), new NodeHost());
  assert.deepEqual(codesAt(analysis, path.join(dir, 'b.conf')), ['include-cycle']);
});

test('a missing absolute include under the prefix is an error; elsewhere on the server only a warning', (t) => {
  // The prefix is the configuration's own tree, which the workspace holds: nginx refuses both.
  const dir = workspace(t, { 'nginx.conf': 'events {}\nhttp {\n}\n' });
  fs.writeFileSync(path.join(dir, 'nginx.conf'),
    `events {}\nhttp {\n    include ${dir}/sites/missing.conf;\n    include /etc/nginx-ls-test/elsewhere.conf;\n}\n`);
  const analysis = analyzeConfig(path.join(dir, 'nginx.conf'), new NodeHost());
  const found = analysis.findings.map((f) => [f.code, f.severity ?? 'error']);
  assert.deepEqual(found, [['include-not-found', 'error'], ['include-not-found', 'warning']]);
});

test('listDirectory (path completion): files, folders, a link to a folder as a folder, open buffers, a missing folder empty', (t) => {
  const dir = workspace(t, { 'conf.d/a.conf': 'x', 'conf.d/sub/b.conf': 'x', 'mime.types': 'x' });
  fs.symlinkSync(path.join(dir, 'conf.d'), path.join(dir, 'linked'));
  fs.symlinkSync(path.join(dir, 'mime.types'), path.join(dir, 'types-link'));
  const host = new NodeHost();
  host.overlay.set(path.join(dir, 'conf.d', 'unsaved.conf'), 'server {}');
  assert.deepEqual(host.listDirectory(dir), [
    { name: 'conf.d', directory: true }, { name: 'linked', directory: true }, { name: 'mime.types', directory: false },
    { name: 'types-link', directory: false },
  ]);
  assert.deepEqual(host.listDirectory(path.join(dir, 'conf.d') + '/'), [
    { name: 'a.conf', directory: false }, { name: 'sub', directory: true }, { name: 'unsaved.conf', directory: false },
  ]);
  assert.deepEqual(host.listDirectory(path.join(dir, 'nowhere')), []);
  assert.deepEqual(host.listDirectory(path.join(dir, 'mime.types')), [], 'a file is no folder');
});

test('NodeHost.glob: regular files and links to them match; folders, FIFOs and dangling links do not', (t) => {
  const dir = workspace(t, {
    'conf.d/a.conf': '', 'conf.d/sub.conf/inner.conf': '', 'elsewhere/target.conf': '', 'conf.d/.hidden.conf': '',
  });
  fs.symlinkSync(path.join(dir, 'elsewhere/target.conf'), path.join(dir, 'conf.d/link.conf'));
  fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'conf.d/folder-link.conf'));
  fs.symlinkSync(path.join(dir, 'nowhere.conf'), path.join(dir, 'conf.d/dangling.conf'));
  spawnSync('mkfifo', [path.join(dir, 'conf.d/pipe.conf')]);
  const host = new NodeHost();
  assert.deepEqual(host.glob(`${dir}/conf.d/*.conf`), ['a.conf', 'link.conf'].map((f) => path.join(dir, 'conf.d', f)));
  // A wildcard folder: folders and links to folders are entered, files are not.
  assert.deepEqual(host.glob(`${dir}/*/*.conf`),
    ['conf.d/a.conf', 'conf.d/link.conf', 'elsewhere/target.conf'].map((f) => path.join(dir, f)));
  assert.deepEqual(host.glob(`${dir}/conf.d/*/inner.conf`), [path.join(dir, 'conf.d/sub.conf/inner.conf')]);
  assert.deepEqual(host.glob(`${dir}/conf.d/folder-link.conf/*.conf`), [path.join(dir, 'conf.d/folder-link.conf/target.conf')]);
  // A folder that does not exist before "..": nothing, as the kernel resolves the path (not "elsewhere/*").
  assert.deepEqual(host.glob(`${dir}/missing/../elsewhere/*.conf`), []);
  assert.deepEqual(host.glob(`${dir}/conf.d/../elsewhere/*.conf`), [path.join(dir, 'elsewhere/target.conf')]);
  assert.deepEqual(host.glob(`${dir}/conf.d/a.conf/*.conf`), []);
  assert.deepEqual(host.glob(`${dir}/absent/*.conf`), []);
});
