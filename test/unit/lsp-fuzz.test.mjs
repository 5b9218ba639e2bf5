// A slice of the LSP fuzzer (test/lib/lsp-fuzz.mjs; npm run fuzz runs it longer): a fixed seed,
// the repository's own texts only (no local corpus), so every machine runs the same bursts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { burstSeed, fuzzInputs, generateBurst, runFuzz } from '../lib/lsp-fuzz.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const inputs = fuzzInputs(root, null);
const SEED = 20261202;
const CASES = 400;
/** The same with the server under test analysing on its analysis thread (server/src/lsp/analysis-thread.ts). */
const OFF_THREAD_CASES = 200;

test('the fuzzer\'s bursts are reproducible from their seed, and cover every request, raw bytes, CRLF and both languages', () => {
  assert.ok(inputs.some((i) => i.languageId === 'yaml') && inputs.some((i) => i.languageId === 'nginx'));
  assert.deepEqual(generateBurst(burstSeed(SEED, 3), inputs, 40), generateBurst(burstSeed(SEED, 3), inputs, 40));
  const bursts = Array.from({ length: 60 }, (_, i) => generateBurst(burstSeed(SEED, i), inputs, 40));
  const steps = bursts.flatMap((b) => b.steps);
  const requests = new Set(steps.filter((s) => s.request).map((s) => s.request));
  for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/foldingRange',
    'textDocument/codeAction', 'textDocument/formatting']) assert.ok(requests.has(method), method);
  assert.ok(steps.some((s) => s.raw), 'invalid UTF-8 bytes');
  assert.ok(steps.some((s) => s.changes?.some((c) => c.text.includes('\r\n'))), 'CRLF');
  assert.ok(steps.some((s) => s.changes?.length > 1), 'several changes in one notification');
  assert.ok(steps.some((s) => s.changes?.some((c) => !c.range)), 'the whole text replaced');
  assert.ok(bursts.some((b) => b.languageId === 'yaml'), 'an Ingress manifest');
});

test(`fuzz slice: ${CASES} random edits with requests between; answers, last-version diagnostics equal a fresh server's`, async () => {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const lines = [];
  const result = await runFuzz({ serverJs, seed: SEED, cases: CASES, inputs, log: (line) => lines.push(line), minimizeBudget: 40 });
  assert.equal(result.failure, undefined,
    `${lines.join('\n')}\nminimal burst: ${JSON.stringify(result.failure?.minimal ?? result.failure?.burst)}`);
  assert.ok(result.edits >= CASES);
});

test(`fuzz slice on the analysis thread: ${OFF_THREAD_CASES} random edits; its diagnostics equal a fresh server's on its main thread`,
  async () => {
    const lines = [];
    const result = await runFuzz({
      serverJs, seed: SEED + 1, cases: OFF_THREAD_CASES, inputs, log: (line) => lines.push(line), minimizeBudget: 40, offThread: true,
    });
    assert.equal(result.failure, undefined,
      `${lines.join('\n')}\nminimal burst: ${JSON.stringify(result.failure?.minimal ?? result.failure?.burst)}`);
    assert.ok(result.edits >= OFF_THREAD_CASES);
  });
