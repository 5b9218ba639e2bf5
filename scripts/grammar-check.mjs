// Compares the TextMate grammar with the parser over every nginx file under the given folders
// (../shared/corpus by default): where they disagree on comments, strings, terminators, braces,
// directive names or Lua bodies, an editor colours the file otherwise than nginx reads it. In a file
// with syntax problems only the part before the first problem is compared (test/lib/grammar.mjs).
//
//   node scripts/grammar-check.mjs [folders…]
//
// Prints the number of files and of files that disagree (with the first disagreement of each), and
// exits 1 when any does. Run `npm run build` first (it uses dist/service.js).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { disagreements, loadGrammar } from '../test/lib/grammar.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const service = createRequire(import.meta.url)(join(root, 'dist/service.js'));
const folders = process.argv.slice(2);
if (folders.length === 0) folders.push(resolve(root, '../shared/corpus'));

/** Files that are not nginx configuration: licences, notes, JSON expectations, certificates, manifests. */
const NOT_NGINX = /\.(json|md|txt|pem|crt|key|ya?ml|ts|mjs)$|(^|\/)(LICENSE|README)[^/]*$/;

function filesUnder(folder) {
  const out = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (!NOT_NGINX.test(path)) out.push(path);
  }
  return out;
}

const grammar = await loadGrammar();
let files = 0, withProblems = 0;
const failures = [];
for (const folder of folders) {
  if (!existsSync(folder)) {
    console.error(`no such folder: ${folder}`);
    process.exit(2);
  }
  for (const file of filesUnder(folder)) {
    files++;
    const result = disagreements(grammar, service.parse, readFileSync(file, 'utf8'));
    if (!result.parsedCleanly) withProblems++;
    const first = result.disagreements[0];
    if (first) failures.push(`${relative(process.cwd(), file)}:${first.line}: ${first.what} ${JSON.stringify(first.token)}`);
  }
}
console.log(`${files} files (${withProblems} with syntax problems, compared up to the first), ${failures.length} disagree`);
for (const line of failures) console.log(`  ${line}`);
process.exit(failures.length ? 1 : 0);
