#!/usr/bin/env node
// npm run fuzz -- [--cases N] [--seed N] [--replay FILE]: the language server driven by random
// incremental edits with editor requests in between (test/lib/lsp-fuzz.mjs). A case is one edit.
// A failure prints the seed, what failed, and a minimal burst written to a file that --replay runs.
// NGINX_LS_SERVER tests another build; NGINX_LS_CORPUS adds a folder of configurations to the inputs.
// --off-thread: the server under test analyses nginx documents on its analysis thread (after the first
// analysis of each), the reference on its main thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzInputs, runBurst, runFuzz, startPair } from '../test/lib/lsp-fuzz.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (line) => process.stderr.write(`fuzz: ${line}\n`);

if (!fs.existsSync(serverJs)) {
  log(`${serverJs} is missing: run npm run build first`);
  process.exit(2);
}

const offThread = args.includes('--off-thread');
const replay = option('--replay');
if (replay) {
  const burst = JSON.parse(fs.readFileSync(replay, 'utf8'));
  const pair = await startPair(serverJs, { offThread });
  const failed = await (await runBurst(pair, burst, 0));
  await pair.close();
  if (!failed) {
    log(`the burst in ${replay} passes`);
    process.exit(0);
  }
  log(`the burst in ${replay} fails:\n  ${failed.failures.join('\n  ')}`);
  process.exit(1);
}

const cases = Number(option('--cases') ?? 1000);
const seed = Number(option('--seed') ?? Math.floor(Math.random() * 2 ** 31));
const inputs = fuzzInputs(root);
log(`seed ${seed}, ${cases} cases, ${inputs.length} input texts (${inputs.filter((i) => i.languageId === 'yaml').length} Ingress)`
  + `${offThread ? ', analyses on the analysis thread' : ''}`);
const started = Date.now();
const result = await runFuzz({ serverJs, seed, cases, inputs, log, offThread });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (!result.failure) {
  log(`${result.edits} cases in ${result.bursts} bursts passed in ${seconds} s (seed ${seed})`);
  process.exit(0);
}
const { index, minimal, burst } = result.failure;
const file = path.join(os.tmpdir(), `nginx-ls-fuzz-${seed}-${index}.json`);
fs.writeFileSync(file, JSON.stringify(minimal ?? burst, null, 1));
log(`FAILED: seed ${seed}, burst ${index}, after ${result.edits} cases (${seconds} s)`);
log(minimal ? `minimal reproduction (${minimal.steps.length} of ${burst.steps.length} steps, from ${burst.input}): ${file}`
  : `the burst passes on fresh servers: it depends on the bursts before it; rerun with --seed ${seed} --cases ${result.edits}`);
log(`replay: node scripts/fuzz.mjs --replay ${file}${offThread ? ' --off-thread' : ''}`);
process.exit(1);
