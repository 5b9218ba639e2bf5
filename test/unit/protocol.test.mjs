// The wire and the protocol's rules, against dist/server.js over stdio: a broken frame ends the
// process with a failure code (so the client starts a new server), malformed JSON gets -32700,
// requests before initialize -32002 and after shutdown -32600, positions that are not integers
// -32602; documents whose URI names no local file are analysed as untitled buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const PUSH_CAPS = { textDocument: { publishDiagnostics: { versionSupport: true } } };
const TYPO = 'events {}\nhttp {\n    servr {}\n    server {\n        listen 80;\n    }\n}\n';

/** A client whose server has not been initialized yet; killed after the test. */
function rawClient(t) {
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const client = new LspClient(serverJs, { capabilities: PUSH_CAPS });
  t.after(() => client.close({ timeout: 1000 }));
  return client;
}

async function started(t, capabilities = PUSH_CAPS) {
  const client = await LspClient.start(serverJs, { capabilities });
  t.after(() => client.close({ timeout: 1000 }));
  return client;
}

const write = (client, text) => client.process.stdin.write(Buffer.from(text, 'utf8'));
const frame = (message) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  return `Content-Length: ${body.length}\r\n\r\n${body}`;
};

/** Waits for the server to exit; fails after `timeout` ms. */
async function exitOf(client, timeout = 5000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the server is still running after ${timeout} ms${client.stderrTail()}`)), timeout);
  });
  try {
    return await Promise.race([client.exitPromise, late]);
  } finally {
    clearTimeout(timer);
  }
}

for (const [name, broken] of [
  ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}'],
  ['a Content-Length that is not a number', 'Content-Length: twelve\r\n\r\n{"jsonrpc":"2"}'],
  ['a Content-Length longer than its body, then the next message', `Content-Length: 60\r\n\r\n{}${frame({ id: 99, method: 'shutdown' })}`
    + frame({ id: 100, method: 'shutdown' })],
]) {
  test(`framing: ${name} ends the process with code 1 and says why on stderr`, async (t) => {
    const client = await started(t);
    const symbols = client.request('textDocument/documentSymbol', { textDocument: { uri: 'untitled:a' } });
    write(client, broken);
    assert.deepEqual(await symbols, [], 'the request before the break is answered');
    const exit = await exitOf(client);
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(client.stderr, /nginx-ls: protocol stream broken \(.+\); exiting/);
  });
}

// vscode-languageserver did this for stdio before the gate; kept here since the gate now owns the transport.
test('framing: a Content-Length longer than its body, then the end of the input, ends the process with code 1', async (t) => {
  const client = await started(t);
  write(client, 'Content-Length: 500\r\n\r\n{"jsonrpc":"2.0"');
  client.process.stdin.end();
  assert.deepEqual(await exitOf(client), { code: 1, signal: null });
});

test('framing: a Content-Length longer than its body, then silence: the process ends with code 1 after two 10 s timeouts',
  async (t) => {
    const client = await started(t);
    write(client, 'Content-Length: 500\r\n\r\n{"jsonrpc":"2.0"');
    const exit = await exitOf(client, 30000);
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(client.stderr, /a message still incomplete after 20000 ms/);
  });

test('malformed JSON: -32700 with id null, and the server goes on answering', async (t) => {
  const client = await started(t);
  const parseError = client.waitFor('response', undefined, (params, entry) => entry.message.error?.code === -32700);
  write(client, 'Content-Length: 9\r\n\r\n{"id": 1,');
  await parseError;
  const answered = client.received.find((e) => e.message.error?.code === -32700).message;
  assert.equal(answered.id, null);
  assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: 'untitled:a' } }), []);
  // A JSON value that is no JSON-RPC message is an invalid request.
  const invalid = client.waitFor('response', undefined, (params, entry) => entry.message.error?.code === -32600);
  write(client, 'Content-Length: 5\r\n\r\n[1,2]');
  await invalid;
  assert.equal(client.exited, false);
});

test('before initialize: requests get -32002, notifications (didOpen) are ignored', async (t) => {
  const client = rawClient(t);
  const uri = 'untitled:early';
  const early = await client.requestSettled('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.equal(early.error?.code, -32002, JSON.stringify(early));
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nginx', version: 1, text: TYPO } });
  await client.initialize();
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols, [], 'the document opened before initialize is not known');
  assert.deepEqual(client.notifications('textDocument/publishDiagnostics'), []);
});

test('after shutdown: requests get -32600, and exit ends the process with code 0', async (t) => {
  const client = await started(t);
  assert.equal(await client.request('shutdown', null), null);
  const late = await client.requestSettled('textDocument/documentSymbol', { textDocument: { uri: 'untitled:a' } });
  assert.equal(late.error?.code, -32600, JSON.stringify(late));
  client.notify('exit');
  assert.deepEqual(await exitOf(client), { code: 0, signal: null });
});

test('positions: a fractional line or character gets -32602; negative and past-the-end ones are clamped; no range holds null',
  async (t) => {
    const client = await started(t);
    const uri = client.open('untitled:positions', TYPO);
    await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri);
    const at = (position) => ({ textDocument: { uri }, position });
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/definition']) {
      for (const position of [{ line: 1.5, character: 0 }, { line: 2, character: 0.25 }, { line: '2', character: 4 }]) {
        const answer = await client.requestSettled(method, at(position));
        assert.equal(answer.error?.code, -32602, `${method} ${JSON.stringify(position)}: ${JSON.stringify(answer)}`);
      }
      for (const position of [{ line: -3, character: 2 }, { line: 2, character: -1 }, { line: 2 ** 40, character: 2 ** 40 }]) {
        const answer = await client.requestSettled(method, at(position));
        assert.equal(answer.error, undefined, `${method} ${JSON.stringify(position)}: ${JSON.stringify(answer)}`);
        assert.doesNotMatch(JSON.stringify(answer.result), /null,|"(line|character)":null/, method);
      }
    }
    const range = { start: { line: 2, character: 4.5 }, end: { line: 2, character: 9 } };
    const actions = await client.requestSettled('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
    assert.equal(actions.error?.code, -32602);
  });

for (const uri of ['file://server/share/nginx.conf', 'file:///etc/nginx%2Fnginx.conf', 'vscode-vfs://github/acme/site/nginx.conf']) {
  test(`odd URIs: ${uri} is analysed as an untitled document, and every feature answers`, async (t) => {
    const client = await started(t);
    client.open(uri, TYPO);
    const pushed = await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri);
    assert.ok(pushed.diagnostics.some((d) => d.code === 'unknown-directive'), JSON.stringify(pushed));
    const textDocument = { uri };
    const position = { line: 2, character: 6 };
    const hover = await client.request('textDocument/hover', { textDocument, position: { line: 4, character: 10 } });
    assert.match(hover?.contents?.value ?? '', /listen/);
    const completion = await client.request('textDocument/completion', { textDocument, position });
    assert.ok((Array.isArray(completion) ? completion : completion.items).length > 0);
    const symbols = await client.request('textDocument/documentSymbol', { textDocument });
    assert.ok(symbols.length > 0);
    assert.ok((await client.request('textDocument/foldingRange', { textDocument })).length > 0);
    const diagnostics = pushed.diagnostics.filter((d) => d.code === 'unknown-directive');
    const range = diagnostics[0].range;
    const actions = await client.request('textDocument/codeAction', { textDocument, range, context: { diagnostics } });
    assert.ok(actions.length > 0, 'the "did you mean" fix is offered');
    const options = { tabSize: 4, insertSpaces: true };
    await client.request('textDocument/formatting', { textDocument, options });
    const all = { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } };
    await client.request('textDocument/inlayHint', { textDocument, range: all });
    await client.request('textDocument/documentLink', { textDocument });
    client.change(uri, [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } }, text: 'server' }]);
    const fixed = await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 2);
    assert.ok(!fixed.diagnostics.some((d) => d.code === 'unknown-directive'), JSON.stringify(fixed));
    client.closeDocument(uri);
    await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    assert.doesNotMatch(client.stderr, /failed/);
  });
}

test('the test client: a server that never answers initialize is killed, so a failed start leaves nothing running', async (t) => {
  const dir = fs.mkdtempSync(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-')), 'mute-'));
  t.after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  const mute = path.join(dir, 'mute-server.js');
  const pidFile = path.join(dir, 'pid');
  // Reads whatever comes and never answers.
  fs.writeFileSync(mute, `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
process.stdin.resume(); setInterval(() => {}, 1000);\n`);
  await assert.rejects(LspClient.start(mute, { capabilities: PUSH_CAPS }), /initialize .*no response/);
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  for (let i = 0; i < 50 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(alive(), false, `the mute server (pid ${pid}) is still running`);
});
