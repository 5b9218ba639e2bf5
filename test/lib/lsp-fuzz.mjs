// The server driven as an editor drives it, at random but reproducibly: bursts of incremental edits
// of real texts (the rule cases, the fixtures, examples/, a local corpus; Ingress manifests), with
// pastes of other files, quotes, braces, `#`, CRLF, lone surrogates and invalid UTF-8 bytes, and
// hover, completion, symbols, folding, code actions (with the diagnostics last published, stale as
// an editor's are), formatting and more asked in between. After each burst: the server is alive,
// every request was answered without an error and without a null position, the last diagnostics
// published belong to the last version and equal those a second server publishes for the final
// text opened whole. A failing burst is cut down to a minimal one, replayable on its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './lsp-client.mjs';
import { random } from './random.mjs';

const PUBLISH = 'textDocument/publishDiagnostics';
/** What a push client (Neovim) advertises: the server pushes diagnostics, with the document version. */
const CAPABILITIES = {
  textDocument: {
    publishDiagnostics: { versionSupport: true, relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    completion: { completionItem: { snippetSupport: true } },
  },
};
/** What VS Code adds that changes answers: completion lists that say their items' shared fields once (LSP 3.17). */
const VSCODE_CAPABILITIES = {
  textDocument: {
    ...CAPABILITIES.textDocument,
    completion: { ...CAPABILITIES.textDocument.completion, completionList: { itemDefaults: ['editRange', 'insertTextFormat', 'data'] } },
  },
};
const MAX_INPUT_BYTES = 200_000;
/** A raw byte run in an edit's text is marked by this (never in generated text), replaced by bytes on the wire. */
const RAW_MARK = '\u0001RAW\u0001';

/**
 * The texts bursts start from: every rule case and fixture, examples/, and the corpus folder if
 * there is one (`/work/shared/corpus` or NGINX_LS_CORPUS). YAML only where it declares an Ingress.
 */
export function fuzzInputs(root, corpus = process.env.NGINX_LS_CORPUS ?? '/work/shared/corpus') {
  const folders = [path.join(root, 'server/src/service'), path.join(root, 'test/fixtures'), path.join(root, 'examples')];
  if (corpus && fs.existsSync(corpus)) folders.push(corpus);
  const inputs = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.isFile()) {
        const yaml = /\.ya?ml$/.test(entry.name);
        if (!yaml && !/\.conf$|^nginx|\.nginx$/.test(entry.name)) continue;
        if (fs.statSync(file).size > MAX_INPUT_BYTES) continue;
        const text = fs.readFileSync(file, 'utf8');
        if (yaml && !/^kind:\s*Ingress\b/m.test(text)) continue;
        inputs.push({ name: path.relative(root, file), languageId: yaml ? 'yaml' : 'nginx', text });
      }
    }
  };
  for (const folder of folders) if (fs.existsSync(folder)) visit(folder);
  return inputs;
}

const pick = (next, list) => list[Math.floor(next() * list.length)];
const NGINX_BITS = [
  '{', '}', ';', '"', "'", '#', '# comment\n', '\\', '$', '${', '$host', '\n', '\r\n', '\r', '\t', ' ', '    ', 'server {\n',
  'location / {',
  'http {', 'events {}', 'include conf.d/*.conf;', 'proxy_pass http://backend;', 'listen 443 ssl;', 'ssl_protocols TLSv1;',
  'add_header X-A b;', 'if ($host = a) {', 'map $host $x {', 'upstream backend {', 'servr', 'content_by_lua_block {', '~*', '^~',
  '\u0000', '\ufffd', '\ud800', '\udc00', '😀', 'é', '\u2028', '"unterminated', "'\\'", '{{{', '}}}', ';;;',
];
const YAML_BITS = [
  ':', ': ', '- ', '  ', '\n', '\r\n', '"', "'", '#', '|', '|-\n', '>', '{', '}', '[', ']', '&a', '*a', '!!str', '---\n', '...\n',
  'nginx.ingress.kubernetes.io/', 'configuration-snippet: |\n  proxy_pass http://x;\n', 'kind: Ingress\n', 'tls:\n', '\t', '\ufffd',
  '\ud800', '😀',
];
/** Invalid UTF-8 byte runs (each starts and ends a sequence on its own, so its decoding does not depend on its neighbours). */
const RAW_RUNS = [[0xff], [0xc3, 0x28], [0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xfe, 0xfe]];

/** Text that edit inserts: a bit of syntax, a paste from another input, a run of invalid bytes, or nothing (a deletion). */
function insertion(next, yaml, inputs) {
  const r = next();
  if (r < 0.2) return { text: '' };
  if (r < 0.3) {
    const other = pick(next, inputs).text;
    const start = Math.floor(next() * other.length);
    return { text: other.slice(start, start + Math.floor(next() * 400)) };
  }
  if (r < 0.35) {
    const raw = pick(next, RAW_RUNS);
    // The server decodes what it reads as UTF-8 with replacement, as Buffer does here.
    return { text: `x${Buffer.from(raw).toString('utf8')}x`, raw };
  }
  let text = '';
  const bits = yaml ? YAML_BITS : NGINX_BITS;
  for (let i = 1 + Math.floor(next() * 3); i > 0; i--) text += pick(next, bits);
  return { text };
}

/** A random range of the document: mostly short, near where the last edit was, sometimes anywhere or all of it. */
function randomRange(next, document, near) {
  const length = document.getText().length;
  if (next() < 0.01) return { start: document.positionAt(0), end: document.positionAt(length) };
  const start = next() < 0.6 ? Math.min(length, Math.max(0, near + Math.floor((next() - 0.5) * 80))) : Math.floor(next() * (length + 1));
  const span = next() < 0.5 ? 0 : Math.floor(next() * (next() < 0.9 ? 12 : 600));
  return { start: document.positionAt(start), end: document.positionAt(Math.min(length, start + span)) };
}

const REQUESTS = [
  'textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeAction',
  'textDocument/formatting', 'textDocument/rangeFormatting', 'textDocument/onTypeFormatting', 'textDocument/signatureHelp',
  'textDocument/inlayHint', 'textDocument/documentLink', 'textDocument/definition', 'textDocument/documentHighlight',
];

/**
 * One burst, generated from its own seed: the input it starts from, and its steps (edits with their
 * ranges as positions, requests with theirs), computed on a model of the document as the server has it.
 */
export function generateBurst(seed, inputs, edits) {
  const next = random(seed);
  const input = pick(next, inputs);
  const yaml = input.languageId === 'yaml';
  const document = TextDocument.create('model:', input.languageId, 1, input.text);
  const steps = [];
  let near = Math.floor(next() * input.text.length);
  for (let i = 0; i < edits; i++) {
    const r = next();
    if (r < 0.02) {
      // The whole text replaced (a client without incremental sync, a revert): by another file's, or by this one with CRLF.
      const text = next() < 0.5 ? pick(next, inputs).text : document.getText().replace(/\r?\n/g, '\r\n');
      steps.push({ changes: [{ text }] });
      TextDocument.update(document, [{ text }], document.version + 1);
      near = Math.floor(next() * text.length);
    } else {
      // Mostly one change; sometimes several in one notification, as multi-cursor typing sends them, each on the text the previous left.
      const changes = [];
      let raw;
      for (let n = r < 0.1 ? 2 + Math.floor(next() * 3) : 1; n > 0; n--) {
        const range = randomRange(next, document, near);
        const inserted = insertion(next, yaml, inputs);
        // Raw bytes go on the wire for a lone change; among several, their decoded text does.
        if (inserted.raw && changes.length === 0 && n === 1) raw = inserted.raw;
        const { text } = inserted;
        changes.push({ range, text });
        TextDocument.update(document, [{ range, text }], document.version + 1);
        near = document.offsetAt(range.start) + text.length;
      }
      steps.push(raw ? { changes, raw } : { changes });
    }
    while (next() < 0.35) {
      const method = pick(next, REQUESTS);
      const position = document.positionAt(next() < 0.7 ? near : Math.floor(next() * (document.getText().length + 1)));
      steps.push({ request: method, position, range: randomRange(next, document, near), ch: pick(next, [';', '}', '\n']) });
    }
  }
  return { seed, input: input.name, languageId: input.languageId, text: input.text, steps };
}

/** The params of a request step (code actions get the diagnostics last published: stale, as an editor sends them). */
function paramsOf(step, uri, published) {
  const textDocument = { uri };
  const options = { tabSize: 4, insertSpaces: true };
  switch (step.request) {
    case 'textDocument/documentSymbol': case 'textDocument/foldingRange': case 'textDocument/documentLink':
      return { textDocument };
    case 'textDocument/codeAction':
      return { textDocument, range: step.range, context: { diagnostics: published, only: undefined } };
    case 'textDocument/formatting': return { textDocument, options };
    case 'textDocument/rangeFormatting': return { textDocument, range: step.range, options };
    case 'textDocument/onTypeFormatting': return { textDocument, position: step.position, ch: step.ch, options };
    case 'textDocument/inlayHint': return { textDocument, range: step.range };
    default: return { textDocument, position: step.position };
  }
}

/** A didChange; one whose only change carries raw bytes is written as a frame of our own, Content-Length counting bytes. */
function sendChange(client, uri, version, changes, raw) {
  if (!raw) {
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return;
  }
  const body = JSON.stringify({
    jsonrpc: '2.0', method: 'textDocument/didChange',
    params: { textDocument: { uri, version }, contentChanges: [{ range: changes[0].range, text: `x${RAW_MARK}x` }] },
  });
  const mark = JSON.stringify(RAW_MARK).slice(1, -1);
  const at = body.indexOf(mark);
  const bytes = Buffer.concat([Buffer.from(body.slice(0, at)), Buffer.from(raw), Buffer.from(body.slice(at + mark.length))]);
  client.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]));
}

const NULL_POSITION = /"(line|character)":(null|-)/;

/**
 * Starts the two servers a run needs: the one under test and the one that sees each final text whole.
 * `offThread`: the one under test analyses every nginx document on its analysis thread after the
 * first analysis (server/src/lsp/analysis-thread.ts), the reference on its main thread; it is also
 * started as VS Code starts it (completion item defaults), the other slice as Neovim.
 */
export async function startPair(serverJs, { offThread = false } = {}) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-fuzz-')));
  const options = { capabilities: CAPABILITIES, rootPath: dir };
  const subjectOptions = offThread
    ? { ...options, capabilities: VSCODE_CAPABILITIES, env: { ...process.env, NGINX_LS_OFF_THREAD_FROM_MS: '0' } } : options;
  const [subject, reference] = await Promise.all([LspClient.start(serverJs, subjectOptions), LspClient.start(serverJs, options)]);
  return {
    dir, subject, reference,
    // On the analysis thread, pauses let analyses run between edits, so that the thread gets edits to
    // apply to a text it holds (without them a burst's edits all arrive before its one analysis): after
    // the first edit longer than the server's wait for a document it has not analysed yet (150 ms).
    editPauseMs: offThread ? [200, 5] : undefined,
    async close() {
      await Promise.all([subject.close(), reference.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one burst on the pair. Resolves once the server under test is done with it, with a promise
 * of the verdict (undefined when every check holds, or what failed) that the comparison on the
 * reference server settles. `id` makes the document's path (a file in the pair's empty folder) distinct per burst.
 */
export async function runBurst(pair, burst, id, timeout = 10000) {
  const { subject, reference } = pair;
  const uri = pathToFileURL(path.join(pair.dir, `fuzz-${id}.${burst.languageId === 'yaml' ? 'yaml' : 'conf'}`)).href;
  const since = subject.mark;
  const pending = [];
  let version = 1;
  let published = [];
  const onPublish = (params) => { if (params.uri === uri) published = params.diagnostics; };
  subject.open(uri, burst.text, { languageId: burst.languageId });
  let text = burst.text;
  const model = TextDocument.create(uri, burst.languageId, 1, text);
  for (const step of burst.steps) {
    if (subject.exited) break;
    if (step.changes) {
      version++;
      sendChange(subject, uri, version, step.changes, step.raw);
      TextDocument.update(model, step.changes, version);
      if (pair.editPauseMs) await new Promise((resolve) => setTimeout(resolve, pair.editPauseMs[version === 2 ? 0 : 1]));
      continue;
    }
    for (const e of subject.received.slice(since)) if (e.message.method === PUBLISH) onPublish(e.message.params);
    const params = paramsOf(step, uri, published);
    pending.push(subject.requestSettled(step.request, params, { timeout }).then(
      (answer) => ({ step: step.request, params, answer }),
      (e) => ({ step: step.request, params, answer: { error: { message: String(e.message ?? e) } } })));
  }
  subject.versions.set(uri, version);
  text = model.getText();
  const failures = [];
  for (const { step, params, answer } of await Promise.all(pending)) {
    if (answer.error) failures.push(`${step} answered with an error: ${answer.error.message} (params ${clip(params)})`);
    else if (NULL_POSITION.test(JSON.stringify(answer.result) ?? '')) {
      failures.push(`${step} answered a null or negative position: ${clip(answer.result)}`);
    }
  }
  if (subject.exited) return { failures: [...failures, `the server exited: ${subject.stderrTail()}`], uri, text };
  let last;
  try {
    last = await subject.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === version, { since, timeout });
  } catch (e) {
    failures.push(`no diagnostics published for the last version ${version}: ${e.message}`);
  }
  subject.closeDocument(uri);
  // The comparison with a fresh analysis runs on the other server while this one goes on with the next burst.
  return (async () => {
    const fresh = reference.mark;
    reference.open(uri, text, { languageId: burst.languageId });
    let expected;
    try {
      expected = await reference.waitForNotification(PUBLISH, (p) => p.uri === uri && p.version === 1, { since: fresh, timeout });
    } catch (e) {
      failures.push(`the reference server published nothing for the final text: ${e.message}`);
    }
    reference.closeDocument(uri);
    if (last && expected && !isDeepStrictEqual(last.diagnostics, expected.diagnostics)) {
      failures.push(`the diagnostics of the last version differ from a fresh analysis of its text:\n  published ${
        clip(last.diagnostics, 2000)}\n  fresh     ${clip(expected.diagnostics, 2000)}`);
    }
    // Closing publishes an empty list (no version); before it, nothing may have followed the last version's diagnostics.
    const lastAt = subject.received.findIndex((e) => e.message.params === last);
    const stale = subject.received.slice(lastAt + 1).find((e) => e.message.method === PUBLISH && e.message.params.uri === uri
      && e.message.params.version !== undefined);
    if (last && stale) failures.push(`a publication for version ${stale.message.params.version} came after the last version ${version}`);
    return failures.length ? { failures, uri, text } : undefined;
  })();
}

const clip = (value, max = 400) => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > max ? `${json.slice(0, max)}…` : json;
};

/** Seeds of the bursts of a run: derived from the run's seed, so burst `i` can be replayed alone. */
export const burstSeed = (seed, i) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) | 0;

/**
 * Cuts a failing burst down: drops runs of steps (halves, then quarters, … single steps) while the
 * burst still fails on a fresh pair of servers. Returns the smallest failing burst found, or
 * undefined when the burst passes on fresh servers (its failure depends on what ran before it).
 */
export async function minimize(serverJs, burst, budget = 200, pairOptions = {}) {
  let tries = 0;
  const fails = async (candidate) => {
    tries++;
    const pair = await startPair(serverJs, pairOptions);
    try {
      return (await (await runBurst(pair, candidate, 0, 5000))) !== undefined;
    } finally {
      await pair.close();
    }
  };
  if (!(await fails(burst))) return undefined;
  let current = burst;
  for (let chunk = Math.ceil(current.steps.length / 2); chunk >= 1 && tries < budget; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    for (let at = 0; at < current.steps.length && tries < budget;) {
      const candidate = { ...current, steps: [...current.steps.slice(0, at), ...current.steps.slice(at + chunk)] };
      if (await fails(candidate)) current = candidate;
      else at += chunk;
    }
  }
  return current;
}

/** Edits (didChange notifications) in a burst: 5 to 85, from its seed. */
const editsOf = (seed) => 5 + ((seed >>> 0) % 81);

/**
 * A run: bursts on one pair of servers until `cases` edits were made. Resolves with the counts, or
 * with the first failure: its burst (seed and index), what failed, and the burst cut down to a
 * minimal one on fresh servers (`minimal`, undefined when it passes alone).
 */
export async function runFuzz({ serverJs, seed, cases, inputs, log = () => undefined, minimizeBudget = 200, offThread = false }) {
  const pair = await startPair(serverJs, { offThread });
  let edits = 0;
  let bursts = 0;
  const started = Date.now();
  let verdicts = [];
  /** The first failed burst among those whose comparison is still running. */
  const settle = async () => {
    for (const { i, burst, verdict } of verdicts) {
      const failed = await verdict;
      if (failed) return { i, burst, failed };
    }
    verdicts = [];
    return undefined;
  };
  let failure;
  try {
    for (let i = 0; edits < cases && !failure; i++) {
      const burst = generateBurst(burstSeed(seed, i), inputs, Math.min(editsOf(burstSeed(seed, i)), cases - edits));
      verdicts.push({ i, burst, verdict: await runBurst(pair, burst, i) });
      edits += burst.steps.filter((s) => s.changes).length;
      bursts++;
      if (verdicts.length > 4) failure = await settle();
      if (bursts % 50 === 0) log(`${edits} cases, ${bursts} bursts, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    failure ??= await settle();
  } finally {
    await pair.close();
  }
  if (failure) {
    const { i, burst, failed } = failure;
    log(`burst ${i} (seed ${burst.seed}, from ${burst.input}) failed:\n  ${failed.failures.join('\n  ')}`);
    log('cutting it down on fresh servers…');
    const minimal = await minimize(serverJs, burst, minimizeBudget, { offThread });
    return { edits, bursts, failure: { index: i, burst, failures: failed.failures, minimal } };
  }
  return { edits, bursts };
}
