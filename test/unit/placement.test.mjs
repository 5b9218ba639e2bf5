// nginx-ls/placement (server/src/lsp/placement.ts) over a real LSP connection to dist/server.js: the
// main configuration an open file is analysed in and the include chain that leads to it, which the
// VS Code client shows in its language status item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');

const FILES = {
  'nginx.conf': 'events {}\nhttp {\n    # sites\n    include sites/*.conf;\n}\n',
  'sites/app.conf': 'server {\n    listen 80;\n    include snippets/app-locations.conf;\n}\n',
  'snippets/app-locations.conf': 'location / { return 200; }\n',
  'loose.conf': 'location /x { return 204; }\n',
};

async function workspace(t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-placement-')));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const client = await LspClient.start(serverJs, { rootPath: dir });
  t.after(() => client.close());
  const placement = (name) => {
    const file = path.join(dir, name);
    client.open(file, FILES[name]);
    return client.request('nginx-ls/placement', { uri: fileUri(file) });
  };
  return { dir, client, placement };
}

test('placement: a file two includes deep names its main config and each include on the way', async (t) => {
  const { dir, placement } = await workspace(t);
  assert.deepEqual(await placement('snippets/app-locations.conf'), {
    kind: 'included',
    main: fileUri(path.join(dir, 'nginx.conf')),
    chain: [
      { uri: fileUri(path.join(dir, 'nginx.conf')), line: 3 },
      { uri: fileUri(path.join(dir, 'sites/app.conf')), line: 2 },
    ],
  });
});

test('placement: the main config is "main", a file nothing includes is "standalone", both with no chain', async (t) => {
  const { dir, placement } = await workspace(t);
  assert.deepEqual(await placement('nginx.conf'), { kind: 'main', main: fileUri(path.join(dir, 'nginx.conf')), chain: [] });
  assert.deepEqual(await placement('loose.conf'), { kind: 'standalone', main: fileUri(path.join(dir, 'loose.conf')), chain: [] });
});

test('placement: null for a document that is not open or not nginx, and the server lives on', async (t) => {
  const { dir, client } = await workspace(t);
  assert.equal(await client.request('nginx-ls/placement', { uri: fileUri(path.join(dir, 'nginx.conf')) }), null, 'not open');
  const yaml = path.join(dir, 'ingress.yaml');
  client.open(yaml, 'apiVersion: networking.k8s.io/v1\nkind: Ingress\n', { languageId: 'yaml' });
  assert.equal(await client.request('nginx-ls/placement', { uri: fileUri(yaml) }), null, 'YAML');
  const untitled = 'untitled:Untitled-1';
  // As VS Code names it (no "//", which the test client's open() would take for a path).
  const text = 'server { listen 80; }\n';
  client.notify('textDocument/didOpen', { textDocument: { uri: untitled, languageId: 'nginx', version: 1, text } });
  assert.deepEqual(await client.request('nginx-ls/placement', { uri: untitled }), { kind: 'standalone', main: untitled, chain: [] });
});
