#!/usr/bin/env node
// nginx-ls benchmark: speed and memory, side by side with peer tools measured in the same run.
// Prints figures and targets (PASS/MISS); never fails on a MISS. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const self = fileURLToPath(import.meta.url);
// Timings call gc() between runs (never inside one), so the bench re-runs itself with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  // --max-semi-space-size=64: the V8 setting the VS Code client starts the server with (the CLI runs without it: section 6).
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const here = path.dirname(self);
const root = path.join(here, '..');
// NGINX_LS_DIST: another build to measure (an earlier commit's dist/), for before/after runs in one session.
const dist = process.env.NGINX_LS_DIST ? path.resolve(process.env.NGINX_LS_DIST) : path.join(root, 'dist');
const service = require(path.join(dist, 'service.js'));
const { NginxParser } = require('nginx-conf');
const { tokenize } = require('./tokenizer.cjs');
const { generateConfig } = require('./gen-config.cjs');
const { generateTree } = require('./gen-tree.cjs');
const { serverSession } = await import('./server-session.mjs');

const CORPUS = process.env.NGINX_LS_CORPUS ?? '/work/shared/corpus';
const LARGE = path.join(CORPUS, 'large', 'controller-generated.conf');
const benchStart = process.hrtime.bigint();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------- helpers
const now = () => process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The value below which `share` of `xs` lie (nearest rank). */
const percentile = (xs, share) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(share * xs.length) - 1)];
const fmtMs = (x) => (x === undefined ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const MB = 1e6;

/**
 * Times `fn` the way the server runs it: a long-lived process that analyses again on every edit.
 * Untimed warm-up calls first (at least `warmup`, and more until ~0.5 s has passed, so that the JIT
 * has finished optimising), then one full GC, then at least `minRuns` timed runs, more while the
 * budget lasts (up to `maxRuns`). No GC is forced between timed runs: the collections the work itself
 * causes fall into the runs that cause them. With `gcEachRun`, a full GC runs before each timed call
 * (outside the timed region); that shows a run on a just-shrunk heap.
 */
function measure(fn, { warmup = 3, warmupMs = 500, minRuns = 5, maxRuns = 40, budgetMs = 1500, gcEachRun = false } = {}) {
  let first;
  const times = [];
  const warmStart = now();
  for (let i = 0; i < warmup || (ms(warmStart, now()) < warmupMs && i < 200); i++) {
    const a = now();
    fn();
    if (i === 0) first = ms(a, now());
  }
  globalThis.gc();
  const start = now();
  while (times.length < maxRuns && (times.length < minRuns || ms(start, now()) < budgetMs)) {
    if (gcEachRun) globalThis.gc();
    const a = now();
    fn();
    times.push(ms(a, now()));
  }
  return {
    median: median(times), min: Math.min(...times), mean: times.reduce((a, b) => a + b, 0) / times.length, runs: times.length, first,
    p95: percentile(times, 0.95),
  };
}

/** The value below which a share `p` of the times fall (nearest rank). */
function nginxConfParse(text) {
  let error, tree;
  try {
    new NginxParser().parse(text, (err, t) => { error = err; tree = t; });
  } catch (e) {
    error = e;
  }
  return { error, tree };
}


const line = (s = '') => console.log(s);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
function timeRow(label, r, target, note = '') {
  const verdict = target ? (target.ok(r.median) ? 'PASS' : 'MISS') : '';
  line(
    `  ${pad(label, 44)}${lpad(fmtMs(r.median), 9)}${lpad(fmtMs(r.min), 9)}${lpad(r.runs, 5)}  ` +
      `${pad(target ? target.text : '', 10)}${pad(verdict, 5)}${note}`
  );
}
const header = () => line(`  ${pad('', 44)}${lpad('median', 9)}${lpad('min', 9)}${lpad('runs', 5)}  ${pad('target', 10)}`);

function firstLine(s) {
  // nginx: "2026/11/25 15:18:39 [emerg] 18900#18900: getpwnam(...) failed in file:2" -> the message.
  const l = (s || '').split('\n').find((x) => x.trim()) ?? '';
  return l.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] \d+#\d+: /, '').replace(/^nginx: (\[\w+\] )?/, '')
    .replaceAll(CORPUS + '/', '').trim();
}

// `node bench/run.mjs 2 4` runs only sections 2 and 4; no argument runs them all.
const only = process.argv.slice(2).filter((a) => /^[1-7]$/.test(a)).map(Number);
const wanted = (n) => only.length === 0 || only.includes(n);
const largeText = fs.readFileSync(LARGE, 'utf8');
const largeBytes = fs.statSync(LARGE).size;
const largeLines = largeText.split('\n').length - 1;
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
line(`nginx-ls bench  (node ${process.version}, ${os.cpus().length} cpus, ${os.cpus()[0]?.model?.trim() ?? '?'}; load average ${load()})`);
if (wanted(1)) section1();
if (wanted(2)) section2();
if (wanted(3)) section3();
if (wanted(4)) await section4();
if (wanted(5)) section5();
if (wanted(6)) section6();
if (wanted(7)) await serverSession({ dist, tmp, largeFile: LARGE });
line('');
line(
  `total bench time ${(ms(benchStart, now()) / 1000).toFixed(1)} s; load average now ${load()} ` +
    '(other processes skew the figures; min is the less noisy one)'
);

// ---------------------------------------------------------------- 1. large file
function section1() {
line('');
line(`1. ${path.relative(CORPUS, LARGE)}: ${(largeBytes / MB).toFixed(2)} MB, ${largeLines} lines   (times in ms)`);
header();

let findingsCount = 0;
// Every check on: the rules off by default (the hygiene hints) too, at their catalog severity.
const everyRule = Object.fromEntries(service.RULES.filter((r) => r.defaultOff).map((r) => [r.id, r.severity]));
const analyzeLarge = () => {
  const r = service.analyzeConfig(LARGE, service.memoryHost({ [LARGE]: largeText }), { rules: everyRule });
  findingsCount = r.findings.length;
};
// A big file takes V8 a few dozen runs to settle (tiering up, the heap growing to its working size):
// a longer warm-up than the default, so that the timed runs see the steady state.
const analyze = measure(analyzeLarge, { warmup: 40, warmupMs: 2000, maxRuns: 60, budgetMs: 2000 });
timeRow('nginx-ls analyzeConfig (parse + analyse, all rules)', analyze, { text: '< 20 ms', ok: (x) => x < 20 },
  `first run ${fmtMs(analyze.first)}; mean ${fmtMs(analyze.mean)} (scavenges land in some runs); ${findingsCount} findings`);
timeRow('  same, full GC before each run', measure(analyzeLarge, { warmup: 1, warmupMs: 0, gcEachRun: true }), undefined,
  'a run on a heap the GC has just shrunk');

// The same file with the lines nginx 1.22 (OSS, no f5 module) rejects removed: see nginxClean().
const cleanPath = path.join(tmp, 'controller-clean.conf');
const cleanInfo = nginxClean(largeText, cleanPath);
let cleanFindings = 0;
const analyzeClean = measure(() => {
  const r = service.analyzeConfig(cleanPath, service.memoryHost({ [cleanPath]: cleanInfo.text }), { rules: everyRule });
  cleanFindings = r.findings.length;
}, { warmup: 40, warmupMs: 2000, maxRuns: 60, budgetMs: 2000 });
timeRow('  same, on the nginx-t-clean copy (*)', analyzeClean, { text: '< 20 ms', ok: (x) => x < 20 }, `${cleanFindings} findings`);
timeRow('nginx-ls parse (syntax only)', measure(() => service.parse(largeText)));
timeRow('nginx-ls parseConfig (parse with recovery)', measure(() => service.parseConfig(largeText)));
navigationRows();
// Formatting as the CLI does it (a parse, then the layout) in VS Code's default style; the file is
// indented with tabs, so every indented line gets an edit. The server reuses the parse it has.
const fourSpaces = { tabSize: 4, insertSpaces: true };
let formatEdits = 0;
timeRow('nginx-ls format (parse + layout, 4 spaces)', measure(() => {
  formatEdits = service.formatDocument(service.parseConfig(largeText), fourSpaces).length;
}, { warmup: 20, warmupMs: 1000 }), { text: '< 30 ms', ok: (x) => x < 30 }, `${formatEdits} edits`);
const largeTree = service.parseConfig(largeText);
timeRow('  layout alone, on a parse already made',
  measure(() => service.formatDocument(largeTree, fourSpaces), { warmup: 20, warmupMs: 1000 }), undefined,
  'what the server adds to the parse it keeps');
timeRow('  layout alone, tabs (the file\'s own style)', measure(() => {
  formatEdits = service.formatDocument(largeTree, { tabSize: 4, insertSpaces: false }).length;
}, { warmup: 20, warmupMs: 1000 }), undefined, `${formatEdits} edits`);
let ncNote = '';
timeRow('nginx-conf NginxParser.parse', measure(() => {
  const { error, tree } = nginxConfParse(largeText);
  ncNote = error ? `failed: ${error.message}` : `${tree.children.length} top-level nodes`;
}), undefined, ncNote);
let tokCount = 0;
timeRow('bare tokenizer (bench/tokenizer.cjs)', measure(() => { tokCount = tokenize(largeText).length; }),
  undefined, `${tokCount} tokens`);

// nginx -t: the whole process, with a prefix holding logs/.
const nginxBin = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
if (nginxBin.error) {
  line('  nginx -t: not measured (nginx not installed)');
} else {
  const prefix = path.join(tmp, 'prefix');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const minimal = path.join(tmp, 'minimal.conf');
  fs.writeFileSync(minimal, 'events { }\n');
  const ngxVersion = firstLine(nginxBin.stderr).replace(/^nginx version: /, '');
  const nginxT = (conf) => {
    let last;
    const r = measure(() => {
      last = spawnSync('nginx', ['-t', '-p', prefix + '/', '-e', path.join(prefix, 'logs', 'error.log'), '-c', conf], { encoding: 'utf8' });
    }, { warmup: 1, warmupMs: 0, minRuns: 5, maxRuns: 10, budgetMs: 1000 });
    const ok = last.status === 0;
    return { r, note: ok ? 'ok' : `failed (${firstLine(last.stderr)})` };
  };
  const orig = nginxT(LARGE);
  timeRow(`nginx -t, original file (${ngxVersion})`, orig.r, undefined, orig.note);
  const clean = nginxT(cleanPath);
  timeRow('nginx -t, nginx-t-clean copy (*)', clean.r, undefined, clean.note);
  const min = nginxT(minimal);
  timeRow('nginx -t, "events {}" only (process floor)', min.r, undefined, min.note);
}
line(crossplaneRow());
line(`  (*) copy with ${cleanInfo.changed} of ${largeLines} lines dropped/rewritten so OSS nginx accepts it: ${cleanInfo.what}`);
}

/**
 * Go to definition and find references on the large file, over its analysis's symbol index: each
 * timed call asks at the next of many positions (every upstream name in a proxy_pass, every use of a
 * user variable), as a user moving around the file would. The index is built on the first request
 * after each edit: its row is the analysis plus the index, beside the analysis alone above.
 */
function navigationRows() {
  const host = service.memoryHost({ [LARGE]: largeText });
  const analysis = service.analyzeConfig(LARGE, host);
  const index = service.navigationIndex(analysis);
  const positions = [];
  for (const m of largeText.matchAll(/proxy_pass https?:\/\/([^/;$]+)/g)) positions.push(m.index + m[0].length - 2);
  for (const m of largeText.matchAll(/\$f5_[a-z_]+/g)) positions.push(m.index + 2);
  let next = 0;
  const at = () => positions[next++ % positions.length];
  const runs = { warmup: 200, minRuns: 500, maxRuns: 5000, budgetMs: 1500 };
  const p95Target = (r) => ({ text: 'p95 < 5ms', ok: () => r.p95 < 5 });
  let targets = 0;
  const definition = measure(() => { targets = Math.max(targets, service.definitions(index, LARGE, at())?.targets.length ?? 0); }, runs);
  timeRow('nginx-ls go to definition (large file)', definition, p95Target(definition),
    `p95 ${fmtMs(definition.p95)}; ${positions.length} positions (upstreams in proxy_pass, $f5_* uses); up to ${targets} targets`);
  let places = 0;
  const refs = measure(() => { places = Math.max(places, service.references(index, LARGE, at(), true).length); }, runs);
  timeRow('nginx-ls find references (large file)', refs, p95Target(refs), `p95 ${fmtMs(refs.p95)}; up to ${places} places each`);
  // Warmed up as long as the analysis row above, so that the two compare.
  const indexed = measure(() => service.navigationIndex(service.analyzeConfig(LARGE, host)),
    { warmup: 40, warmupMs: 2000, maxRuns: 60, budgetMs: 2000 });
  timeRow('  analyzeConfig + navigation index', indexed, undefined,
    `the first navigation after an edit; ${[...index.sites.values()].reduce((n, l) => n + l.length, 0)} sites indexed`);
}

// ---------------------------------------------------------------- 2. corpus throughput
function section2() {
const corpusFiles = listCorpus(CORPUS);
const corpus = corpusFiles.map((f) => ({ file: f, bytes: fs.statSync(f).size, text: fs.readFileSync(f, 'utf8') }));
const corpusBytes = corpus.reduce((n, f) => n + f.bytes, 0);
line('');
line(
  `2. Parse throughput over the corpus: ${corpus.length} files, ${(corpusBytes / MB).toFixed(2)} MB (MB = 10^6 bytes), repeated for ~1 s`
);

// Steady state: one full GC before the measurement, none between passes (GC the work itself
// causes is part of its cost). `gcEachPass` forces one before each pass, outside the timed region.
function throughput(files, fn, { gcEachPass = false } = {}) {
  // Warm-up passes until the JIT has settled (~0.5 s), as in a server that has been running a while.
  const warmStart = now();
  do { for (const f of files) fn(f.text); } while (ms(warmStart, now()) < 500);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  let passes = 0;
  let elapsed = 0;
  let best = Infinity;
  globalThis.gc();
  while (elapsed < 1000 || passes < 2) {
    if (gcEachPass) globalThis.gc();
    const a = now();
    for (const f of files) fn(f.text);
    const t = ms(a, now());
    elapsed += t;
    best = Math.min(best, t);
    passes++;
  }
  return { mbps: (bytes * passes) / MB / (elapsed / 1000), best: bytes / MB / (best / 1000), passes, elapsed };
}
const tpLine = (label, r, target, verdict, note) =>
  line(
    `  ${pad(label, 44)}${lpad(r.mbps.toFixed(1), 9)}${lpad(r.best.toFixed(1), 9)}${lpad(r.passes, 7)}  ` +
      `${pad(target, 10)}${pad(verdict, 5)}${note}`
  );
const ncOk = corpus.filter((f) => !nginxConfParse(f.text).error);
const tpRows = [
  ['nginx-ls parse', throughput(corpus, (t) => service.parse(t)), corpus, true],
  ['nginx-conf NginxParser.parse', throughput(ncOk, (t) => nginxConfParse(t)), ncOk],
  ['bare tokenizer', throughput(corpus, (t) => tokenize(t)), corpus],
];
line(`  ${pad('', 44)}${lpad('MB/s', 9)}${lpad('best', 9)}${lpad('passes', 7)}  ${pad('target', 10)}`);
for (const [label, r, files, targeted] of tpRows) {
  const verdict = targeted ? (r.mbps >= 100 ? 'PASS' : 'MISS') : '';
  const note = files === ncOk
    ? `${ncOk.length}/${corpus.length} files it parses (${corpus.length - ncOk.length} fail)`
    : `${files.length} files`;
  tpLine(label, r, targeted ? '>= 100' : '', verdict, note);
}
{
  const small = corpus.filter((f) => f.file !== LARGE);
  const smallMB = (small.reduce((n, f) => n + f.bytes, 0) / MB).toFixed(2);
  const r = throughput(small, (t) => service.parse(t));
  tpLine('nginx-ls parse, without the large file', r, '', '', `${small.length} files, ${smallMB} MB`);
  const g = throughput(small, (t) => service.parse(t), { gcEachPass: true });
  tpLine('  same, full GC before each pass', g, '', '', 'a drop = optimised parser code lost at GC');
}

}

// ---------------------------------------------------------------- 3. memory
function section3() {
line('');
line('3. Memory retained by the result for the large file (fresh child per tool, heap after full GC)');
for (const [label, kind] of [
  ['nginx-ls analyzeConfig result', 'nginx-ls-analyze'],
  ['nginx-ls parseConfig tree', 'nginx-ls-parse'],
  ['nginx-conf tree', 'nginx-conf'],
]) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', path.join(here, 'memory.cjs'), kind, LARGE], {
    encoding: 'utf8', cwd: root
  });
  if (r.status !== 0) { line(`  ${pad(label, 44)}  failed: ${firstLine(r.stderr)}`); continue; }
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  line(
    `  ${pad(label, 44)}${lpad((m.retainedBytes / MB).toFixed(1), 7)} MB retained   ` +
      `(heap ${(m.heapUsedBytes / MB).toFixed(1)} MB, rss ${(m.rssBytes / MB).toFixed(0)} MB, text ${(largeBytes / MB).toFixed(2)} MB)`
  );
}

}

// ---------------------------------------------------------------- 4. server start to first diagnostics
async function section4() {
const genDir = path.join(tmp, 'site');
fs.mkdirSync(genDir);
const genFile = path.join(genDir, 'nginx.conf');
const genText = generateConfig(5000);
fs.writeFileSync(genFile, genText);
line('');
line(
  `4. Server start to first diagnostics: generated ${genText.split('\n').length - 1}-line nginx.conf ` +
    `(${(genText.length / 1000).toFixed(0)} kB), push mode, times in ms`
);
header();
const nodeBare = await measureAsync(async () => { spawnSync(process.execPath, ["-e", "0"]); }, 9);
const target = { text: '< 300 ms', ok: (x) => x < 300 };
const rows = async (label, args) => {
  const lsp = [];
  for (let i = 0; i < 9; i++) lsp.push(await lspOnce(genFile, { args }));
  const diag = lsp.map((r) => r.diagnostics);
  const init = lsp.map((r) => r.initialized);
  timeRow(label, { median: median(diag), min: Math.min(...diag), runs: lsp.length }, target, `${lsp[0].count} diagnostics`);
  timeRow('  of which spawn -> initialize result', { median: median(init), min: Math.min(...init), runs: lsp.length });
};
// As the VS Code client starts it: with a code cache folder, which the first start fills (the
// server writes it 3 s after starting, so this untimed start is kept alive that long).
const cacheDir = path.join(tmp, 'code-cache');
const cacheArgs = [`--code-cache=${cacheDir}`];
await lspOnce(genFile, { args: cacheArgs, holdMs: 3500 });
const cached = fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((f) => f.endsWith('.v8cache'));
await rows(`spawn -> diagnostics, code cache${cached ? ' (VS Code)' : ' MISSING'}`, cacheArgs);
await rows('spawn -> diagnostics, no code cache', []);
timeRow('node -e 0 (process floor)', nodeBare);
}

// ---------------------------------------------------------------- 5. completion
function section5() {
const file = path.join(tmp, 'completion', 'nginx.conf');
const text = generateConfig(5000);
line('');
line(`5. Completion on the generated ${text.split('\n').length - 1}-line nginx.conf (section 4's), p95 over cursor positions, times in ms`);
line(`  ${pad('', 44)}${lpad('p95', 9)}${lpad('median', 9)}${lpad('min', 9)}${lpad('runs', 5)}  ${pad('target', 10)}`);
// Where a user completes: a directive name in a location, a keyword, a variable after "$", an upstream
// after "http://": in sites spread over the file, so each call finds its place anew.
const positions = [];
const every = (needle, delta) => {
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) positions.push({ offset: i + delta, needle });
};
every('            proxy_read_timeout', '            proxy_re'.length);
every('proxy_http_version 1.1', 'proxy_http_version '.length);
every('proxy_set_header Host $host', 'proxy_set_header Host $h'.length);
every('proxy_pass http://', 'proxy_pass http://'.length);
const host = service.memoryHost({ [file]: text });
const analysis = service.analyzeConfig(file, host);
const tree = analysis.files.get(file);
const options = { rootContexts: ['main'], analysis, host };
let calls = 0;
let entries = 0;
const target = { text: 'p95 < 10', ok: (x) => x < 10 };
const p95Row = (label, r, note, targeted = true) => {
  const verdict = targeted ? (target.ok(r.p95) ? 'PASS' : 'MISS') : '';
  line(`  ${pad(label, 44)}${lpad(fmtMs(r.p95), 9)}${lpad(fmtMs(r.median), 9)}${lpad(fmtMs(r.min), 9)}${lpad(r.runs, 5)}  `
    + `${pad(targeted ? target.text : '', 10)}${pad(verdict, 5)}${note}`);
};
const steady = measure(() => {
  entries += service.completions(tree, positions[calls++ % positions.length].offset, options).length;
}, { warmup: 50, minRuns: 200, maxRuns: 2000, budgetMs: 2000 });
p95Row('completions, analysis cached', steady, `${positions.length} positions, ${Math.round(entries / calls)} entries on average`);
// As the server answers right after a keystroke (server/src/lsp/modes/nginx.ts): the buffer is parsed
// again, and the configuration is seen as the last analysis saw it (the diagnostics that follow the edit
// make the next one).
let edits = 0;
const typedAt = (at) => text.slice(0, at) + 'x' + text.slice(at);
const afterKeystroke = measure(() => {
  const at = positions[edits++ % positions.length].offset;
  service.completions(service.parseConfig(typedAt(at)), at + 1, options);
}, { warmup: 10, minRuns: 60, maxRuns: 400, budgetMs: 3000 });
p95Row('after a keystroke: parse + completions', afterKeystroke, 'the server\'s path: the last analysis, the buffer parsed anew');
// For scale: analysing the changed configuration before completing, which the server leaves to the diagnostics.
const analysed = measure(() => {
  const at = positions[edits++ % positions.length].offset;
  const changed = service.memoryHost({ [file]: typedAt(at) });
  const fresh = service.analyzeConfig(file, changed);
  service.completions(fresh.files.get(file), at + 1, { rootContexts: ['main'], analysis: fresh, host: changed });
}, { warmup: 10, minRuns: 40, maxRuns: 200, budgetMs: 3000 });
p95Row('  same with a full analysis first', analysed, 'not the server\'s path; for scale', false);
const keyword = positions.find((p) => p.needle.startsWith('proxy_http_version'));
const help = measure(() => service.signatureHelp(tree, keyword.offset, ['main']), { minRuns: 200, maxRuns: 2000 });
p95Row('signature help', help, 'proxy_http_version 1.0 | 1.1 | 2;', false);
}

// ---------------------------------------------------------------- 6. the CLI as a whole process
/**
 * `nginx-ls check` as a user runs it (the flags of dist/cli.js's #! line), from spawn to exit, beside
 * a process that only parses the same input with nginx-conf and `nginx -t`: the tools take turns,
 * round after round, so that the load other processes put on the machine falls on all of them alike.
 */
function section6() {
  const cli = path.join(dist, 'cli.js');
  const shebang = fs.readFileSync(cli, 'utf8').split('\n', 1)[0];
  const nodeFlags = shebang.replace(/^#!.*?\bnode\b/, '').trim().split(/\s+/).filter(Boolean);
  const ncParse = path.join(here, 'nginx-conf-parse.cjs');
  const nodeCommand = (...args) => [process.execPath, [...args]];
  const cliCommand = (...args) => nodeCommand(...nodeFlags, cli, 'check', ...args);
  /**
   * Each command once per round, in turn; ms from spawn to exit, and the CPU it took (user + sys, all its
   * threads: the children's times in /proc/self/stat, in clock ticks; Linux only).
   */
  const alternate = (commands, rounds) => {
    const times = commands.map(() => []);
    const cpu = commands.map(() => []);
    const notes = commands.map(() => '');
    for (let round = 0; round < rounds; round++) {
      commands.forEach(([file, args], i) => {
        const before = childrenCpuMs();
        const a = now();
        const r = spawnSync(file, args, { encoding: 'utf8', cwd: tmp, maxBuffer: 1 << 30 });
        times[i].push(ms(a, now()));
        const after = childrenCpuMs();
        if (before !== undefined && after !== undefined) cpu[i].push(after - before);
        if (r.error) notes[i] = `failed: ${r.error.message}`;
        else notes[i] = `exit ${r.status}; ${firstLine(r.stdout.split('\n').filter(Boolean).pop() ?? '') || firstLine(r.stderr)}`;
      });
    }
    return times.map((t, i) => ({
      median: median(t), min: Math.min(...t), runs: t.length, note: notes[i], cpuMin: cpu[i].length ? Math.min(...cpu[i]) : undefined,
    }));
  };

  line('');
  line(`6. The CLI as a whole process (${['node', ...nodeFlags].join(' ')} dist/cli.js check), spawn to exit, tools in turn; times in ms`);
  header();
  const cleanPath = path.join(tmp, 'controller-clean-cli.conf');
  nginxClean(largeText, cleanPath);
  const prefix = path.join(tmp, 'cli-prefix');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const haveNginx = !spawnSync('nginx', ['-v']).error;
  // A first untimed run of each: files in the page cache, the CLI's code cache present.
  const large = [cliCommand(LARGE), nodeCommand(ncParse, LARGE), nodeCommand('-e', '0')];
  if (haveNginx) large.push(['nginx', ['-t', '-p', `${prefix}/`, '-e', path.join(prefix, 'logs', 'error.log'), '-c', cleanPath]]);
  alternate(large, 1);
  const [check, parseOnly, floor, nginxT] = alternate(large, 11);
  const bestOf = (r) => `min ${fmtMs(r.min)}`;
  timeRow(`nginx-ls check, ${path.basename(LARGE)}`, check, { text: '<= nc, 1.5x', ok: () => check.min <= parseOnly.min
    && (!nginxT || check.min <= 1.5 * nginxT.min) }, `${check.note}; ${(check.min / parseOnly.min).toFixed(2)}x nginx-conf`
    + (nginxT ? `, ${(check.min / nginxT.min).toFixed(2)}x nginx -t (mins)` : ''));
  timeRow('node nginx-conf parse only, same file', parseOnly, undefined, `${parseOnly.note}; ${bestOf(parseOnly)}`);
  if (nginxT) timeRow('nginx -t, nginx-t-clean copy (section 1)', nginxT, undefined, nginxT.note);
  else line('  nginx -t: not measured (nginx not installed)');
  timeRow('node -e 0 (process floor)', floor);

  // A tree of 10,000 configs (bench/gen-tree.cjs): one thread on one core (taskset pins the process, its GC and
  // compiler threads too: the literal "1 core"), one thread free to use every core (V8's background threads
  // take ~0.4 of another), a thread per core, and nginx-conf parsing it.
  const tree = path.join(tmp, 'cli-tree');
  const treeFiles = generateTree(tree, 10000);
  const cores = os.availableParallelism();
  const haveTaskset = cores >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const pinned = ([file, args]) => ['taskset', ['-c', '0', file, ...args]];
  const rows = [
    { label: 'nginx-ls check --jobs 1', command: cliCommand('.', '--jobs', '1') },
    ...(haveTaskset ? [{ label: 'same, taskset -c 0 (1 core)', command: pinned(cliCommand('.', '--jobs', '1')) }] : []),
    { label: `nginx-ls check --jobs ${cores} (every core)`, command: cliCommand('.', '--jobs', String(cores)) },
    { label: 'node nginx-conf parse only, same tree', command: nodeCommand(ncParse, tree) },
  ];
  const treeRuns = rows.map(({ command: [file, args] }) => [file, args.map((a) => (a === '.' ? tree : a))]);
  line(`  tree of ${treeFiles} configs (bench/gen-tree.cjs: ${treeFiles / 10 | 0} sites with includes), 3 rounds in turn;`
    + ' CPU: user + sys of all threads, min:');
  const results = alternate(treeRuns, 3);
  const byLabel = new Map(rows.map((row, i) => [row.label, results[i]]));
  const one = byLabel.get(rows[0].label);
  const oneCore = haveTaskset ? byLabel.get(rows[1].label) : undefined;
  const all = byLabel.get(rows[rows.length - 2].label);
  const cpuNote = (r) => (r.cpuMin === undefined ? '' : `CPU ${fmtMs(r.cpuMin)} ms; `);
  timeRow(rows[0].label, one, undefined, `${cpuNote(one)}${one.note}`);
  if (oneCore) timeRow(rows[1].label, oneCore, undefined, `${cpuNote(oneCore)}${oneCore.note}`);
  else line(`  ${cores < 2 ? 'one core: no 1-core row, no target' : '1 core: not measured (no taskset; util-linux)'}`);
  // The target is "with 2 cores than with 1": against the process pinned to one core.
  const speedup = oneCore ? oneCore.min / all.min : undefined;
  timeRow(rows[rows.length - 2].label, all, speedup === undefined ? undefined : { text: '>= 1.7x', ok: () => speedup >= 1.7 },
    `${cpuNote(all)}${speedup === undefined ? '' : `${speedup.toFixed(2)}x faster than on 1 core, `}`
    + `${(one.min / all.min).toFixed(2)}x than --jobs 1 (mins)`);
  const parse = byLabel.get(rows[rows.length - 1].label);
  timeRow(rows[rows.length - 1].label, parse, undefined, `${cpuNote(parse)}${parse.note}`);
}

/** CPU ms (user + sys) of this process's children that have been waited for (Linux); undefined elsewhere. */
function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime) of proc(5), counted from the state (field 3) here; clock ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- pieces

/** The large file with what OSS nginx 1.22 rejects removed, so `nginx -t` reads all of it. */
function nginxClean(text, out) {
  let changed = 0;
  const lines = text.split('\n').flatMap((l) => {
    let m;
    if (/^\s*(user|load_module|f5_metrics\w*|status_zone)\s/.test(l)) { changed++; return []; }
    if ((m = /^(\s*)api\b.*;\s*$/.exec(l))) { changed++; return [`${m[1]}return 204;`]; }
    const moved = l.replace(/^(\s*(?:error_log|pid)\s+)\/var\/\S*\/([^/\s;]+)/, '$1logs/$2');
    if (moved !== l) { changed++; return [moved]; }
    return [l];
  });
  fs.writeFileSync(out, lines.join('\n'));
  return {
    text: lines.join('\n'), changed, what: 'user, load_module, f5_metrics*, status_zone dropped; api -> return; /var paths -> logs/'
  };
}

function crossplaneRow() {
  const probe = spawnSync('python3', ['-c', 'import crossplane'], { encoding: 'utf8' });
  if (probe.error) return '  crossplane: not measured (python3 not installed)';
  if (probe.status !== 0) return '  crossplane: not measured (python module not installed; PyPI unreachable from this machine)';
  const script = `
import crossplane, time, sys, statistics
f = sys.argv[1]
crossplane.parse(f, single=True, check_ctx=False, check_args=False)
ts = []
for _ in range(5):
    a = time.perf_counter(); crossplane.parse(f, single=True, check_ctx=False, check_args=False); ` +
  `ts.append((time.perf_counter() - a) * 1000)
print(statistics.median(ts), min(ts), len(ts))`;
  const r = spawnSync('python3', ['-c', script, LARGE], { encoding: 'utf8' });
  if (r.status !== 0) return `  crossplane: failed (${firstLine(r.stderr)})`;
  const [med, min, runs] = r.stdout.trim().split(/\s+/).map(Number);
  return `  ${pad('crossplane.parse (python, in-process)', 44)}${lpad(fmtMs(med), 9)}${lpad(fmtMs(min), 9)}${lpad(runs, 5)}`;
}

/** Files of the corpus that are configs: everything but json, md and LICENSE files. */
function listCorpus(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listCorpus(p));
    else if (e.isFile() && !/\.(json|md)$/i.test(e.name) && !/^LICEN[CS]E/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

async function measureAsync(fn, runs) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) { const a = now(); await fn(); times.push(ms(a, now())); }
  return { median: median(times), min: Math.min(...times), runs };
}

/**
 * Spawns the server, speaks LSP over stdio (no diagnostic capability, so it pushes), and resolves
 * with ms from spawn to the initialize result and to the first publishDiagnostics for `file`.
 */
function lspOnce(file, { args = [], holdMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const uri = pathToFileURL(file).href;
    const t0 = now();
    // As the client starts it: no V8 options (section 7 measures the semi-space, which it no longer passes).
    const child = spawn(process.execPath, [path.join(dist, 'server.js'), '--stdio', ...args], {
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stderr = '';
    let buf = Buffer.alloc(0);
    let initialized;
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const settle = () => (err ? reject(err) : resolve(value));
      if (child.exitCode !== null || child.signalCode !== null) { settle(); return; }
      child.once('exit', settle);
      // Stopped as an editor stops it: shutdown, then exit; killed only if that does not end it.
      const kill = setTimeout(() => child.kill('SIGTERM'), 2000);
      child.once('exit', () => clearTimeout(kill));
      send({ id: 2, method: 'shutdown' });
    };
    const timer = setTimeout(() => finish(new Error(`no diagnostics after 20 s; stderr: ${stderr.slice(0, 300)}`)), 20000);
    const send = (msg) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
      child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin.write(body);
    };
    const onMessage = (msg) => {
      if (msg.id === 2 && msg.method === undefined) {
        send({ method: 'exit' });
      } else if (msg.id === 1 && msg.method === undefined) {
        initialized = ms(t0, now());
        send({ method: 'initialized', params: {} });
        send({
          method: 'textDocument/didOpen',
          params: { textDocument: { uri, languageId: 'nginx', version: 1, text: fs.readFileSync(file, 'utf8') } }
        });
      } else if (msg.method === 'textDocument/publishDiagnostics' && msg.params?.uri === uri) {
        const result = { initialized, diagnostics: ms(t0, now()), count: msg.params.diagnostics.length };
        if (holdMs) setTimeout(() => finish(undefined, result), holdMs); else finish(undefined, result);
      } else if (msg.method && msg.id !== undefined) {
        // A request from the server: answer it so nothing waits on us.
        const result = msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => null) : null;
        send({ id: msg.id, result });
      }
    };
    child.stdout.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const headerEnd = buf.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const m = /Content-Length: *(\d+)/i.exec(buf.subarray(0, headerEnd).toString('ascii'));
        if (!m) { finish(new Error('bad LSP header from server')); return; }
        const len = Number(m[1]);
        if (buf.length < headerEnd + 4 + len) return;
        const body = buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
        buf = buf.subarray(headerEnd + 4 + len);
        onMessage(JSON.parse(body));
      }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => finish(e));
    child.on('exit', (code) => {
      if (!done) finish(new Error(`server exited (${code}) before diagnostics; stderr: ${stderr.slice(0, 300)}`));
    });
    send({
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: pathToFileURL(path.dirname(file)).href, capabilities: {}, workspaceFolders: null },
    });
  });
}
