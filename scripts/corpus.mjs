// Local robustness run (not part of CI: the corpus is not ours to ship): analyses every file under
// a folder of real configs, each top-level folder as its own workspace, and lists the errors found.
// usage: node scripts/corpus.mjs ../shared/corpus [--all]
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ConfigWorkspace, effectiveSeverity } = require('../dist/service.js');
const { NodeHost } = require('../dist/node-host.js');

// Absolute, as the server and the CLI give paths: the workspace resolves includes against them.
const root = resolve(process.argv[2] ?? '../shared/corpus');
const showAll = process.argv.includes('--all');
const listFiles = (dir) => readdirSync(dir).flatMap((e) => {
  const p = join(dir, e);
  const s = statSync(p);
  return s.isDirectory() ? listFiles(p) : s.isFile() && !/\.(json|md|txt)$|LICENSE|README/.test(e) ? [p] : [];
});
let files = 0, withErrors = 0, errors = 0;
const byCode = {};
for (const top of readdirSync(root).sort()) {
  const dir = join(root, top);
  if (!statSync(dir).isDirectory()) continue;
  const all = listFiles(dir);
  const ws = new ConfigWorkspace(new NodeHost());
  ws.setCandidates(all);
  for (const file of all) {
    files++;
    const analysis = ws.analysisFor(file);
    const found = analysis.findings.filter((f) => f.file === file && effectiveSeverity(f) === 'error');
    if (found.length) {
      withErrors++;
      errors += found.length;
      const text = analysis.files.get(file)?.text ?? '';
      for (const f of found) {
        byCode[f.code] = (byCode[f.code] ?? 0) + 1;
        if (showAll || !/broken|missing-|bad-args|spelling|premature|invalid-map/.test(file)) {
          const line = text.slice(0, f.start).split('\n').length;
          console.log(`${file}:${line}: [${f.code}] ${f.message}`);
        }
      }
    }
  }
}
console.log(`${files} files, ${withErrors} with errors, ${errors} errors`, byCode);
