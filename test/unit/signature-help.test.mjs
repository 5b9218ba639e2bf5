// Signature help (the directive's syntax with the argument being typed), and completion and signature
// help through the server: the capabilities, completionItem/resolve, the parameter offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';
import { service } from '../lib/service.mjs';

const CURSOR = '‸';
const serverJs = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

/** Signature help at the cursor, with the active parameter's text and the active signature's label. */
function help(text, rootContexts = ['main']) {
  const offset = text.indexOf(CURSOR);
  const result = service.signatureHelp(service.parseConfig(text.replace(CURSOR, '')), offset, rootContexts);
  if (!result) return undefined;
  const signature = result.signatures[result.activeSignature];
  const parameter = signature.parameters[result.activeParameter];
  return { ...result, label: signature.label, active: parameter && signature.label.slice(parameter.start, parameter.end) };
}

const inLocation = (body) => `events {}\nhttp {\n    server {\n        location / {\n            ${body}\n        }\n    }\n}\n`;

test('the syntax line, with the argument the cursor is in', () => {
  let h = help(inLocation(`add_header ${CURSOR}`));
  assert.equal(h.label, 'add_header name value [always];');
  assert.equal(h.active, 'name');
  assert.equal(help(inLocation(`add_header X-Frame-Options ${CURSOR}`)).active, 'value');
  assert.equal(help(inLocation(`add_header X-Frame-Options DENY ${CURSOR}`)).active, '[always]');
  assert.equal(help(inLocation(`add_header X-Frame-Options DE${CURSOR}NY;`)).active, 'value', 'inside a word');
  h = help(inLocation(`proxy_next_upstream error http_502 ${CURSOR}`));
  assert.match(h.label, /^proxy_next_upstream error \| timeout \| .* \| off \.\.\.;$/);
  assert.equal(h.active, 'error | timeout | denied | invalid_header | http_500 | http_502 | http_503 | http_504 | http_403 | http_404 '
    + '| http_429 | non_idempotent | off', 'a repeated argument stays active');
  assert.match(h.signatures[0].documentation,
    /Default: `error timeout` · \[nginx\.org documentation\]\(https:\/\/nginx\.org\/.*#proxy_next_upstream\)/);
});

test('the parameter a typed keyword belongs to; the module of the context', () => {
  const listen = (args) => help(`events {}\nhttp {\n    server {\n        listen ${args}\n    }\n}\n`);
  assert.equal(listen(`443 ${CURSOR}`).active, '[default_server]', 'the first optional parameter');
  assert.equal(listen(`443 reuse${CURSOR}`).active, '[reuseport]');
  assert.equal(listen(`443 backlog=5${CURSOR}`).active, '[backlog=number]');
  assert.equal(listen(`${CURSOR}`).active, 'address[:port]');
  const stream = help(`events {}\nstream {\n    server {\n        listen 12345;\n        proxy_pass ${CURSOR}\n    }\n}\n`);
  assert.equal(stream.label, 'proxy_pass address;');
  assert.equal(help(inLocation(`proxy_pass ${CURSOR}`)).label, 'proxy_pass URL;');
});

test('several syntax lines: the one the typed arguments fit', () => {
  const h = help(inLocation(`access_log off ${CURSOR}`));
  assert.equal(h.signatures.length, 2);
  assert.equal(h.label, 'access_log path [format [buffer=size] [gzip[=]] [flush=time] [if=condition]];',
    'off takes nothing more: the path line is the one with a second argument');
  const cache = help(`events {}\nhttp {\n    ssl_session_cache shared:SSL:10m ${CURSOR}\n}\n`);
  assert.equal(cache.label, 'ssl_session_cache off | none | [builtin[:size]] [shared:name:size];');
  const ret = help(`events {}\nhttp {\n    server {\n        return ${CURSOR}\n    }\n}\n`);
  assert.deepEqual(ret.signatures.map((s) => s.label), ['return code [text];', 'return code URL;', 'return URL;']);
  assert.equal(ret.active, 'code');
});

test('none at a directive name, after the statement, in a comment, or for a directive the reference lacks', () => {
  assert.equal(help(inLocation(`proxy_pa${CURSOR}`)), undefined);
  assert.equal(help(inLocation(`proxy_pass http://a;${CURSOR}`)), undefined);
  assert.equal(help(inLocation(`proxy_pass http://a; # note ${CURSOR}`)), undefined);
  assert.equal(help(inLocation(`lua_code_cache ${CURSOR}`)), undefined);
  assert.equal(help(inLocation(`no_such_directive ${CURSOR}`)), undefined);
});

// ---------------------------------------------------------------- through the server

/** A temporary workspace holding nginx.conf, removed after the test. */
function workspace(t, text) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-complete-')));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const CAPS = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } } },
    signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
  },
};

test('the server: completion in a location, its documentation on resolve, signature help with offsets', async (t) => {
  const text = 'events {}\nhttp {\n    upstream app { server 127.0.0.1:9000; }\n    server {\n        listen 8080;\n'
    + '        location / {\n            prox\n            proxy_pass http://\n            add_header X-A 1 \n        }\n    }\n}\n';
  const dir = workspace(t, text);
  const client = await LspClient.start(serverJs, { capabilities: CAPS, rootPath: dir });
  t.after(() => client.close());
  const capabilities = client.initializeResult.capabilities;
  assert.equal(capabilities.completionProvider.resolveProvider, true);
  assert.deepEqual(capabilities.signatureHelpProvider.triggerCharacters, [' ']);
  const uri = fileUri(path.join(dir, 'nginx.conf'));
  client.open(uri, text);
  const lines = text.split('\n');
  const at = (needle) => {
    const line = lines.findIndex((l) => l.includes(needle));
    return { line, character: lines[line].indexOf(needle) + needle.length };
  };
  const items = await client.request('textDocument/completion', { textDocument: { uri }, position: at('prox') });
  const pass = items.find((i) => i.label === 'proxy_pass');
  assert.ok(pass, 'proxy_pass offered in the location');
  assert.equal(items.some((i) => i.label === 'proxy_ssl'), false, 'a stream directive offered in a location');
  assert.equal(pass.detail, 'proxy_pass URL;');
  assert.equal(pass.documentation, undefined, 'documentation is left for resolve');
  assert.deepEqual(pass.textEdit.range, { start: { line: at('prox').line, character: 12 }, end: at('prox') });
  const resolved = await client.request('completionItem/resolve', pass);
  assert.equal(resolved.documentation.kind, 'markdown');
  assert.match(resolved.documentation.value, /proxy_pass URL;[\s\S]*Context: location[\s\S]*ngx_http_proxy_module\.html#proxy_pass/);

  const upstreams = await client.request('textDocument/completion', { textDocument: { uri }, position: at('http://') });
  assert.deepEqual(upstreams.map((i) => i.label), ['app']);

  const signature = await client.request('textDocument/signatureHelp', { textDocument: { uri }, position: at('X-A 1 ') });
  assert.equal(signature.signatures[signature.activeSignature].label, 'add_header name value [always];');
  assert.deepEqual(signature.signatures[0].parameters.map((p) => p.label), [[11, 15], [16, 21], [22, 30]]);
  assert.equal(signature.activeParameter, 2);
});
