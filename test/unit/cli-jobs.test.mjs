// `nginx-ls check --jobs N`: a tree checked on several threads prints byte for byte what one thread
// prints, in every format, and exits the same; both print what the one-thread loop (`check`, the way
// ConfigWorkspace decides who owns each file) gives in the test's process; the CLI's own
// offset-to-position conversion agrees with TextDocument's on every kind of line break.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { generateTree } = require('../../bench/gen-tree.cjs');
const { TextDocument } = require('vscode-languageserver-textdocument');
const reference = require('../../dist/cli-check.js');

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-jobs-')));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const cli = (cwd, ...args) => spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', ...args], { cwd, encoding: 'utf8' });
const NOW = '2026-12-01';

/** What the one-thread loop prints for the nginx files under `folder`, relative to `cwd` as the CLI is run. */
function referenceOutput(cwd, folder, format) {
  const files = reference.findConfigFiles([folder], 20000);
  const reports = reference.check(files, { now: new Date(NOW), flavor: 'auto', suppress: true, rules: {} });
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return reference.composeOutput(reports.map((r) => reference.reportPart(r, format)), format);
  } finally {
    process.chdir(before);
  }
}

test('a tree of 161 configs: --jobs 1, 3, 2 and the default print what the one-thread loop gives, in every format', () => {
  const tree = path.join(scratch, 'tree');
  const files = generateTree(tree, 160);
  assert.equal(files, 161);
  const outputs = {};
  for (const format of ['text', 'json', 'sarif']) {
    const one = cli(tree, '.', '--format', format, '--jobs', '1', '--now', NOW);
    assert.equal(one.status, 1, one.stderr);
    assert.equal(one.stderr, '');
    assert.ok(one.stdout === referenceOutput(tree, tree, format), `${format} --jobs 1: output differs from the one-thread loop`);
    for (const jobs of format === 'json' ? [['--jobs', '3'], ['--jobs=2'], []] : [['--jobs', '3']]) {
      const many = cli(tree, '.', '--format', format, '--now', NOW, ...jobs);
      assert.equal(many.stderr, '', `${format} ${jobs.join(' ')}`);
      assert.equal(many.status, one.status, `${format} ${jobs.join(' ')}`);
      assert.ok(many.stdout === one.stdout, `${format} ${jobs.join(' ')}: output differs from --jobs 1`);
    }
    outputs[format] = one.stdout;
  }
  // What the output holds: every file once (the shared file every site includes too), the
  // servers' findings from their sites' main configs, and the snippets nothing includes, each on its own.
  assert.match(outputs.text, /\d+ findings in 161 files\n$/);
  assert.match(outputs.text, /^sites\/00003\/snippets\/headers\.conf:3:6: error \[directive-args\] invalid value "maybe"/m);
  assert.match(outputs.text, /^sites\/00015\/conf\.d\/app1\.conf:15:19: warning \[tls-legacy-protocol\]/m);
  assert.doesNotMatch(outputs.text, /directive-context/, 'server blocks are checked inside their main config\'s http block');
  const json = JSON.parse(outputs.json);
  assert.equal(json.filter((f) => f.code === 'unknown-directive').length, 16 * 2, 'proxy_buffer_sise in app2 and app6 of each site');
  assert.equal(JSON.parse(outputs.sarif).runs[0].results.length, json.length);
});

test('files whose main config lies above the folder checked: the same with threads as without', () => {
  const site = path.join(scratch, 'above');
  fs.mkdirSync(path.join(site, 'servers'), { recursive: true });
  fs.writeFileSync(path.join(site, 'nginx.conf'), `events {}\nhttp {\n    include ${site}/servers/*.conf;\n}\n`);
  for (let i = 0; i < 120; i++) {
    fs.writeFileSync(path.join(site, 'servers', `s${i}.conf`),
      `server {\n    listen 80;\n    server_name s${i}.example;\n${i % 5 === 0 ? '    servr x;\n' : ''}}\n`);
  }
  for (const format of ['text', 'json', 'sarif']) {
    const one = cli(site, 'servers', '--format', format, '--jobs', '1', '--now', NOW);
    const three = cli(site, 'servers', '--format', format, '--jobs', '3', '--now', NOW);
    assert.equal(three.status, one.status);
    const loop = referenceOutput(site, path.join(site, 'servers'), format);
    assert.ok(one.stdout === loop, `${format}: output differs from the one-thread loop`);
    assert.ok(three.stdout === one.stdout, `${format}: output differs from --jobs 1`);
  }
  const text = cli(site, 'servers', '--jobs', '3').stdout;
  // Seen inside nginx.conf's http block (found above the folder), so "server" is where it may be.
  assert.doesNotMatch(text, /directive-context/);
  assert.equal(text.match(/unknown-directive/g)?.length, 24);
});

test('files a folder walk finds are read with no stat first: an empty one and one over 8 MB are told apart as with a stat', () => {
  // A main config including every file of conf.d: the oversized one is reported where it is included.
  const make = (name, servers) => {
    const site = path.join(scratch, name);
    fs.mkdirSync(path.join(site, 'conf.d'), { recursive: true });
    fs.writeFileSync(path.join(site, 'nginx.conf'), `events {}\nhttp {\n    include ${site}/conf.d/*.conf;\n}\n`);
    fs.writeFileSync(path.join(site, 'conf.d', 'big.conf'), `${'#'.repeat(8 * 1024 * 1024)}\nservr x;\n`);
    fs.writeFileSync(path.join(site, 'conf.d', 'empty.conf'), '');
    for (let i = 0; i < servers; i++) {
      fs.writeFileSync(path.join(site, 'conf.d', `s${i}.conf`), `server {\n    listen 80;\n${i % 5 === 0 ? '    servr x;\n' : ''}}\n`);
    }
    return site;
  };
  // Threads (120 files) and the one-thread loop (3 files).
  for (const site of [make('reads-threads', 120), make('reads-loop', 1)]) {
    const loop = referenceOutput(site, site, 'text');
    assert.match(loop, /conf\.d\/big\.conf": it is too large/);
    assert.match(loop, /\d+ findings in \d+ files/);
    for (const jobs of ['1', '3']) {
      const run = cli(site, '.', '--jobs', jobs, '--now', NOW);
      // The oversized file itself is not checked: said on stderr, with exit 2, the rest reported as ever.
      const big = path.join(site, 'conf.d', 'big.conf');
      assert.equal(run.stderr, `nginx-ls: ${big}: not checked: it is too large to check (${fs.statSync(big).size} bytes; the limit is 8388608)\n`);
      assert.equal(run.status, 2);
      assert.ok(run.stdout === loop, `${path.basename(site)} --jobs ${jobs}: output differs from the stat-first loop:\n${run.stdout}`);
    }
    // Named on the command line, the files are read as the editor reads them (stat first).
    const named = cli(site, 'nginx.conf', 'conf.d/big.conf', 'conf.d/empty.conf', '--now', NOW);
    assert.match(named.stdout, /big\.conf": it is too large/);
    assert.match(named.stderr, /big\.conf: not checked: it is too large/);
  }
});

test('a file given or found that cannot be read is said on stderr and exits 2, never left out silently', () => {
  const folder = path.join(scratch, 'unreadable');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'huge.conf'), `events {}\n${'# filler\n'.repeat(1024 * 1024)}`);
  fs.writeFileSync(path.join(folder, 'ok.conf'), 'events {}\nhttp { servr x; }\n');
  // YAML with no Ingress is not reported at all, on purpose; one too large to read is said.
  fs.writeFileSync(path.join(folder, 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
  const yaml = cli(folder, 'configmap.yaml', '--now', NOW);
  assert.deepEqual([yaml.status, yaml.stderr], [0, '']);
  fs.writeFileSync(path.join(folder, 'huge.yaml'), `kind: Ingress\n${'# filler\n'.repeat(1024 * 1024)}`);
  const hugeYaml = cli(folder, 'huge.yaml', '--now', NOW);
  assert.equal(hugeYaml.status, 2);
  assert.match(hugeYaml.stderr, /huge\.yaml: not checked: it is too large to check/);
  fs.rmSync(path.join(folder, 'huge.yaml'));
  for (const args of [['.'], ['huge.conf', 'ok.conf'], ['huge.conf']]) {
    const run = cli(folder, ...args, '--now', NOW);
    assert.equal(run.status, 2, `${args.join(' ')}: exit ${run.status}`);
    const size = fs.statSync(path.join(folder, 'huge.conf')).size;
    assert.equal(run.stderr, `nginx-ls: ${path.join(folder, 'huge.conf')}: not checked: it is too large to check (${size} bytes; the limit is 8388608)\n`);
    if (args.includes('huge.conf') && args.length === 1) assert.equal(run.stdout, '0 findings in 0 files\n');
    else assert.match(run.stdout, /ok\.conf:2:8: error \[unknown-directive\][\s\S]*1 finding in 1 file/);
  }
});

test('--jobs takes a whole number of threads, 1 or more; anything else exits 2', () => {
  const conf = path.join(scratch, 'one.conf');
  fs.writeFileSync(conf, 'events {}\n');
  assert.equal(cli(scratch, conf, '--jobs', '1').status, 0);
  for (const bad of [['--jobs', '0'], ['--jobs', '-2'], ['--jobs', 'many'], ['--jobs=1.5'], ['--jobs']]) {
    const run = cli(scratch, conf, ...bad);
    assert.equal(run.status, 2, `${bad.join(' ')}: exit ${run.status}`);
    assert.match(run.stderr, /invalid --jobs/);
    assert.equal(run.stdout, '');
  }
});

test('positions after CRLF, CR and LF line breaks are the ones TextDocument gives', () => {
  const text = 'events {}\r\nhttp {\r    server {\n        listen 80;\r\n\r        servr x;\r\n    }\r}\r\n';
  const conf = path.join(scratch, 'breaks.conf');
  fs.writeFileSync(conf, text);
  const [finding] = JSON.parse(cli(scratch, conf, '--format', 'json').stdout);
  assert.equal(finding.code, 'unknown-directive');
  const document = TextDocument.create('file:///breaks.conf', 'nginx', 0, text);
  const start = text.indexOf('servr');
  assert.deepEqual(finding.range, { start: document.positionAt(start), end: document.positionAt(start + 'servr'.length) });
  assert.deepEqual(finding.range.start, { line: 5, character: 8 });
});

test('positions in a file with line feeds only (found without a regular expression) are the ones TextDocument gives', () => {
  const text = 'events {}\nhttp {\n    server {\n\n        servr x;\n    }\n    servr y;\n}\nservr z;';
  const conf = path.join(scratch, 'feeds.conf');
  fs.writeFileSync(conf, text);
  const findings = JSON.parse(cli(scratch, conf, '--format', 'json').stdout).filter((f) => f.code === 'unknown-directive');
  const document = TextDocument.create('file:///feeds.conf', 'nginx', 0, text);
  assert.deepEqual(findings.map((f) => f.range.start), ['servr x', 'servr y', 'servr z'].map((w) => document.positionAt(text.indexOf(w))));
  assert.deepEqual(findings.map((f) => f.range.start.line), [4, 6, 8]);
});

test('a check expands include globs from the folders its walk listed: a file written after the walk is not included', () => {
  const site = path.join(scratch, 'listed');
  fs.mkdirSync(path.join(site, 'conf.d'), { recursive: true });
  const main = path.join(site, 'nginx.conf');
  const kept = path.join(site, 'conf.d', 'a.conf');
  const late = path.join(site, 'conf.d', 'b.conf');
  fs.writeFileSync(main, 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  fs.writeFileSync(kept, 'server {\n    listen 80;\n}\n');
  const listings = new Map();
  assert.deepEqual(reference.findConfigFiles([site], 20000, undefined, listings).sort(), [kept, main]);
  assert.ok(listings.has(path.join(site, 'conf.d')), 'the walk keeps what conf.d holds');
  fs.writeFileSync(late, 'server {\n    lisen 80;\n}\n');
  const settings = { now: new Date(NOW), flavor: 'auto', suppress: true, rules: {} };
  const named = new Set([main]);
  // With the walk's listings the glob matches what the walk saw (no second listing of conf.d) ...
  assert.deepEqual(reference.check([main], settings, named, listings).map((r) => r.file), [kept, main]);
  // ... and without them it lists the folder as it is now, the late file and its finding included.
  const fresh = reference.check([main], settings, named);
  assert.deepEqual(fresh.map((r) => r.file), [kept, late, main]);
  assert.deepEqual(fresh.find((r) => r.file === late).diagnostics.map((d) => d.code), ['unknown-directive']);
});
