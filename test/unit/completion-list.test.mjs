// Completion lists through the server for a client that takes `CompletionList.itemDefaults` (LSP 3.17,
// VS Code): what the items share is said once, and the list the client makes of it (defaults put on
// each item that lacks the property) is the one a client without the capability gets, resolve included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const serverJs = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

const COMPLETION = { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } } };
/** What VS Code declares (vscode-languageclient's completion feature). */
const VSCODE_DEFAULTS = ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'];
const PLAIN = { textDocument: { completion: COMPLETION } };
const withDefaults = (names) => ({ textDocument: { completion: { ...COMPLETION, completionList: { itemDefaults: names } } } });

const UPSTREAMS = Array.from({ length: 40 }, (_, i) => `    upstream app${i} { server 127.0.0.1:${9000 + i}; }\n`).join('');
const TEXT = `events {}\nhttp {\n${UPSTREAMS}    map $uri $mine { default 1; }\n    server {\n        listen 8080;\n`
  + '        location / {\n            prox\n            proxy_pass http://\n            add_header X-A $\n'
  + '            \n        }\n    }\n}\n';
const LINES = TEXT.split('\n');
/** The position just after `needle` on the first line holding it. */
function at(needle) {
  const line = LINES.findIndex((l) => l.includes(needle));
  return { line, character: LINES[line].indexOf(needle) + needle.length };
}
/** Directives, snippets and all (an empty line in the location); the directive being typed; upstreams; variables. */
const PLACES = [{ line: at('add_header X-A $').line + 1, character: 12 }, at('prox'), at('http://'), at('X-A $')];

async function server(t, capabilities) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-completion-list-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), TEXT);
  const client = await LspClient.start(serverJs, { capabilities, rootPath: dir });
  t.after(() => client.close());
  const uri = fileUri(path.join(dir, 'nginx.conf'));
  client.open(uri, TEXT);
  return { client, complete: (position) => client.request('textDocument/completion', { textDocument: { uri }, position }) };
}

/** The items as a client reads a list with defaults (the LSP spec; vscode-languageclient's protocolConverter). */
function applyDefaults(list) {
  if (Array.isArray(list)) return list;
  const defaults = list.itemDefaults ?? {};
  return list.items.map(({ textEditText, ...item }) => {
    const out = { ...item };
    if (!out.textEdit && defaults.editRange) out.textEdit = { range: defaults.editRange, newText: textEditText ?? item.label };
    if (out.insertTextFormat === undefined && defaults.insertTextFormat !== undefined) out.insertTextFormat = defaults.insertTextFormat;
    if (out.data === undefined && defaults.data !== undefined) out.data = defaults.data;
    return out;
  });
}

const withoutData = ({ data: _data, ...item }) => item;

test('with itemDefaults the list says the range, format and data once, and reads as the list without them', async (t) => {
  const [plain, compact] = await Promise.all([server(t, PLAIN), server(t, withDefaults(VSCODE_DEFAULTS))]);
  for (const position of PLACES) {
    const old = await plain.complete(position);
    const list = await compact.complete(position);
    assert.ok(Array.isArray(old), 'a client without the capability gets the items as before');
    assert.ok(old.length > 0, `nothing offered at ${JSON.stringify(position)}`);
    assert.equal(list.isIncomplete, false);
    assert.ok(list.itemDefaults.editRange && list.itemDefaults.insertTextFormat !== undefined, JSON.stringify(list.itemDefaults));
    const read = applyDefaults(list);
    assert.deepEqual(read.map(withoutData), old.map(withoutData), `the items at ${JSON.stringify(position)}`);
    // What the items share is not repeated on each.
    assert.equal(list.items.filter((i) => i.textEdit).length, 0, 'an item carries the range the list gives');
    assert.equal(list.items.filter((i) => i.insertTextFormat !== undefined).length,
      old.filter((i) => i.insertTextFormat !== list.itemDefaults.insertTextFormat).length);
    assert.ok(JSON.stringify(list).length < 0.75 * JSON.stringify(old).length, `${JSON.stringify(list).length} bytes`);
  }
  const directives = await compact.complete(PLACES[0]);
  assert.ok(directives.itemDefaults.data, 'a list of directives shares its data');
  assert.ok(directives.items.some((i) => i.data === undefined) && directives.items.some((i) => i.data !== undefined),
    'the snippets carry their own data');
  const upstreams = await compact.complete(at('http://'));
  assert.equal(upstreams.itemDefaults.data, undefined, 'upstream names have nothing to resolve');
  assert.deepEqual(upstreams.items[0], { label: 'app0', kind: 18, detail: 'upstream app0' });
});

test('completionItem/resolve documents an item whose data came from the list as it documents the item of a plain list', async (t) => {
  const [plain, compact] = await Promise.all([server(t, PLAIN), server(t, withDefaults(VSCODE_DEFAULTS))]);
  let documented = 0;
  for (const position of PLACES) {
    const old = await plain.complete(position);
    const read = applyDefaults(await compact.complete(position));
    // A few of each list: the first, a directive, a variable, a snippet, the last.
    const picks = new Set([0, old.length - 1, old.findIndex((i) => i.label === 'proxy_pass'), old.findIndex((i) => i.label === '$uri'),
      old.findIndex((i) => i.label === '$mine'), old.findIndex((i) => i.kind === 15)].filter((i) => i >= 0));
    for (const i of picks) {
      const expected = await plain.client.request('completionItem/resolve', old[i]);
      const resolved = await compact.client.request('completionItem/resolve', read[i]);
      assert.deepEqual(resolved.documentation, expected.documentation, old[i].label);
      if (expected.documentation) documented++;
    }
  }
  assert.ok(documented >= 3, `${documented} items documented`);
});

test('only the defaults the client lists are used', async (t) => {
  const { complete } = await server(t, withDefaults(['editRange']));
  const list = await complete(PLACES[0]);
  assert.deepEqual(Object.keys(list.itemDefaults), ['editRange']);
  assert.ok(list.items.every((i) => i.insertTextFormat !== undefined));
  const pass = list.items.find((i) => i.label === 'proxy_pass');
  assert.deepEqual(pass.data, { mode: 'nginx', documentation: { directive: 'proxy_pass', context: 'http>location' } });
  const none = await server(t, withDefaults(['commitCharacters']));
  assert.ok(Array.isArray(await none.complete(PLACES[0])), 'none of the defaults this server uses: the plain list');
});
