// Local formatter run (not part of CI: the corpus is not ours to ship): formats every file under a
// folder of real configs in three indentation styles and checks each result: only whitespace between
// tokens changed, formatting again changes nothing, a file with syntax errors gets no edits; then
// formats ranges and on-type positions (a few per file, the same every run) and checks that they keep
// the tokens and to their lines, and lead to the whole-file result. Prints the counts; exit 1 on a failure.
// usage: npm run build && node scripts/format-corpus.mjs [../shared/corpus]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { service } from '../test/lib/service.mjs';
import { random } from '../test/lib/random.mjs';
import { STYLES, applyEdits, documentProblems, rangeProblems } from '../test/lib/format-check.mjs';

const root = resolve(process.argv[2] ?? '../shared/corpus');
const listFiles = (dir) => readdirSync(dir).sort().flatMap((e) => {
  const p = join(dir, e);
  const s = statSync(p);
  return s.isDirectory() ? listFiles(p) : s.isFile() && !/\.(json|md|txt)$|LICENSE|README/.test(e) ? [p] : [];
});

const RANGES_PER_FILE = 8;
const ON_TYPE_PER_FILE = 8;
let files = 0, broken = 0, changed = 0, ranges = 0, onType = 0, bytes = 0;
const failures = [];
for (const file of listFiles(root)) {
  const text = readFileSync(file, 'utf8');
  files++;
  bytes += text.length;
  const tree = service.parseConfig(text);
  if (tree.problems.length) broken++;
  for (const style of STYLES) failures.push(...documentProblems(text, style).map((p) => `${file} ${JSON.stringify(style)}: ${p}`));
  if (service.formatText(text, STYLES[0]) !== text) changed++;
  if (tree.problems.length || text.length > 200_000) continue;
  const next = random(files);
  for (let i = 0; i < RANGES_PER_FILE; i++) {
    const a = Math.floor(next() * (text.length + 1));
    const b = Math.min(text.length, a + Math.floor(next() * 400));
    const style = STYLES[i % STYLES.length];
    ranges++;
    failures.push(...rangeProblems(text, { start: a, end: b }, style).map((p) => `${file} ${JSON.stringify(style)}: ${p}`));
  }
  const ends = [...text.matchAll(/[;}]/g)].map((m) => m.index);
  for (let i = 0; i < Math.min(ON_TYPE_PER_FILE, ends.length); i++) {
    const at = ends[Math.floor(next() * ends.length)];
    onType++;
    const after = applyEdits(text, service.formatOnType(tree, at + 1, text[at], STYLES[0]));
    const difference = service.tokenDifference(text, after);
    if (difference) failures.push(`${file}: on-type at ${at}: token ${difference.index} changed`);
  }
}
for (const f of failures) console.log(f);
console.log(`${files} files (${(bytes / 1e6).toFixed(2)} MB) in ${STYLES.length} styles: ${changed} reformatted in 4 spaces, `
  + `${files - changed - broken} already formatted, ${broken} with syntax errors (left alone); `
  + `${ranges} ranges, ${onType} on-type positions; ${failures.length} failures`);
process.exitCode = failures.length ? 1 : 0;
