// Proves that a change left behaviour alone: builds an earlier commit of nginx-ls in a temporary
// worktree, runs its CLI and this tree's CLI over the same inputs (../shared/corpus, examples/, every
// rule case and fixture, every oracle config) as `check --format json` with the clock pinned, and
// compares the outputs byte for byte, with file paths relative to the input.
//
//   node scripts/compare-engines.mjs <base-commit> [--keep DIR]
//
// Exits 1 and prints the first differing lines when any output differs. Run `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';

const NOW = '2026-12-01T00:00:00Z';
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const [base, ...rest] = process.argv.slice(2);
if (!base) {
  console.error('usage: node scripts/compare-engines.mjs <base-commit> [--keep DIR]');
  process.exit(2);
}
const keepAt = rest[0] === '--keep' ? resolve(rest[1]) : undefined;

/** Every input, as [label, working folder, path given to the CLI]. */
function inputs() {
  const out = [];
  const corpus = resolve(root, '../shared/corpus');
  if (existsSync(corpus)) out.push(['corpus', corpus, '.']);
  out.push(['examples', join(root, 'examples'), '.']);
  out.push(['oracle', join(root, 'test/oracle'), '.']);
  for (const folder of caseFolders()) {
    for (const entry of readdirSync(folder).sort()) {
      const full = join(folder, entry);
      // A case is a file, or a folder of files analysed together.
      out.push([relative(root, full), statSync(full).isDirectory() ? full : folder, statSync(full).isDirectory() ? '.' : entry]);
    }
  }
  return out;
}

/** Folders whose entries are cases: every `*.cases` folder under server/src, and test/fixtures/<area>. */
function caseFolders() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (!statSync(full).isDirectory()) continue;
      if (entry.endsWith('.cases')) found.push(full); else walk(full);
    }
  };
  walk(join(root, 'server/src'));
  const fixtures = join(root, 'test/fixtures');
  if (existsSync(fixtures))
    for (const area of readdirSync(fixtures)) if (statSync(join(fixtures, area)).isDirectory()) found.push(join(fixtures, area));
  return found.sort();
}

function run(cli, cwd, target) {
  const result = spawnSync(process.execPath, [cli, 'check', target, '--format', 'json', '--fail-on', 'none', '--now', NOW], {
    cwd, encoding: 'utf8', maxBuffer: 1 << 30
  });
  if (result.status !== 0) return `exit ${result.status}\n${result.stderr}`;
  // Paths relative to the input's folder, so the two runs compare whatever their checkout.
  const findings = JSON.parse(result.stdout).map((f) => ({ ...f, file: relative(cwd, f.file) }));
  return JSON.stringify(findings, null, 1);
}

const work = mkdtempSync(join(tmpdir(), 'nginx-ls-base-'));
try {
  execFileSync('git', ['worktree', 'add', '--detach', work, base], { cwd: root, stdio: 'ignore' });
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: work, stdio: 'inherit' });
  let differing = 0;
  let files = 0;
  let findings = 0;
  for (const [label, cwd, target] of inputs()) {
    const before = run(join(work, 'dist/cli.js'), cwd, target);
    const after = run(join(root, 'dist/cli.js'), cwd, target);
    const list = JSON.parse(after.startsWith('exit') ? '[]' : after);
    findings += list.length;
    files += new Set(list.map((f) => f.file)).size;
    if (keepAt) {
      mkdirSync(keepAt, { recursive: true });
      writeFileSync(join(keepAt, `${label.replace(/[/]/g, '__')}.before.json`), before);
      writeFileSync(join(keepAt, `${label.replace(/[/]/g, '__')}.after.json`), after);
    }
    if (before === after) continue;
    differing++;
    const a = before.split('\n');
    const b = after.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    console.log(`DIFFERS ${label} (${a.length} vs ${b.length} lines), first at line ${at + 1}:\n  before: ${a[at]}\n  after:  ${b[at]}`);
  }
  console.log(`${inputs().length} inputs, ${findings} findings in ${files} files; ${differing} differ from ${basename(base)}`);
  process.exitCode = differing ? 1 : 0;
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', work], { cwd: root, stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
}
