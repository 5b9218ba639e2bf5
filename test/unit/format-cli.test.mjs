// `nginx-ls format`: in place, or with --check only listing what would change; directories searched
// as `check` searches them; files with syntax errors left alone; bytes that are not UTF-8 kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (cwd, ...args) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'format', ...args], { cwd, encoding: 'utf8' });

const MESSY = 'http { server { listen 80;   server_name a; } }\n';
const NEAT = 'http {\n    server {\n        listen 80;\n        server_name a;\n    }\n}\n';
// koi8-r bytes in a comment and a value: not UTF-8.
const KOI8 = Buffer.concat([Buffer.from('# '), Buffer.from([0xf0, 0xd2, 0xc9]), Buffer.from('\nhttp {\ncharset koi8-r;  set $a "'),
  Buffer.from([0xc1, 0xc2]), Buffer.from('";\n}\n')]);

function workspace(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-format-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name, content) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  };
  write('nginx.conf', MESSY);
  write('conf.d/neat.conf', NEAT);
  write('conf.d/koi8.conf', KOI8);
  write('conf.d/broken.conf', 'server {\n  listen 80;\n');
  write('k8s/ingress.yaml', 'kind:   Ingress\n');
  return { dir, read: (name) => fs.readFileSync(path.join(dir, name)) };
}

test('--check lists the files that would change and exits 1; nothing is written', (t) => {
  const { dir, read } = workspace(t);
  const run = cli(dir, '--check', '.');
  assert.equal(run.status, 1);
  assert.deepEqual(run.stdout.trim().split('\n'), ['conf.d/koi8.conf', 'nginx.conf']);
  assert.match(run.stderr, /conf.d\/broken.conf: not formatted: syntax error at 3:1: unexpected end of file, expecting "}"/);
  assert.match(run.stderr, /2 files would be reformatted, 1 file not formatted/);
  assert.equal(read('nginx.conf').toString(), MESSY);
  assert.deepEqual(read('conf.d/koi8.conf'), KOI8);
  assert.equal(cli(dir, '--check', 'conf.d/neat.conf').status, 0, 'a formatted file passes --check');
});

test('without --check the files are rewritten in place, other bytes kept; YAML is not touched', (t) => {
  const { dir, read } = workspace(t);
  const run = cli(dir);
  assert.equal(run.status, 1, 'a file with syntax errors was left alone');
  assert.equal(read('nginx.conf').toString(), NEAT);
  const koi8 = read('conf.d/koi8.conf');
  assert.deepEqual(koi8, Buffer.concat([Buffer.from('# '), Buffer.from([0xf0, 0xd2, 0xc9]),
    Buffer.from('\nhttp {\n    charset koi8-r;\n    set $a "'), Buffer.from([0xc1, 0xc2]), Buffer.from('";\n}\n')]));
  assert.equal(read('conf.d/broken.conf').toString(), 'server {\n  listen 80;\n');
  assert.equal(read('k8s/ingress.yaml').toString(), 'kind:   Ingress\n');
  fs.rmSync(path.join(dir, 'conf.d/broken.conf'));
  const again = cli(dir, '--check');
  assert.equal(again.status, 0, again.stdout + again.stderr);
  assert.equal(again.stdout, '');
});

test('indentation options and usage errors', (t) => {
  const { dir, read } = workspace(t);
  assert.equal(cli(dir, '--use-tabs', 'nginx.conf').status, 0);
  assert.equal(read('nginx.conf').toString(), NEAT.replaceAll('    ', '\t'));
  assert.equal(cli(dir, '--tab-size', '2', 'nginx.conf').status, 0);
  assert.equal(read('nginx.conf').toString(), NEAT.replaceAll('    ', '  '));
  assert.equal(cli(dir, '--tab-size', 'x').status, 2);
  assert.equal(cli(dir, '--frobnicate').status, 2);
  assert.equal(cli(dir, 'missing.conf').status, 2);
});
