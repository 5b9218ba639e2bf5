// The "Convert to …" code actions over LSP: offered on an Ingress (not elsewhere, not when only quick
// fixes are asked for), as the client command that opens an unsaved document, or as a workspace
// edit creating the file beside the source (then shown), by nginx-ls.convert.output and by what the
// client can do; the shared-Gateway variant when nginx-ls.convert.sharedGateway names one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient, fileUri } from '../lib/lsp-client.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverJs = path.join(root, 'dist/server.js');
const SEED = fs.readFileSync(path.join(root, 'test/conversion/seed/input.yaml'), 'utf8');
const PULL = { textDocument: { diagnostic: {} } };
const FILES = { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } }, window: { showDocument: { support: true } } };

async function start(t, { capabilities = PULL, initializationOptions } = {}) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-convert-')));
  const file = path.join(dir, 'ingress.yaml');
  fs.writeFileSync(file, SEED);
  const client = await LspClient.start(serverJs, { rootPath: dir, capabilities, initializationOptions });
  t.after(async () => { await client.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  const uri = client.open(file, SEED, { languageId: 'yaml' });
  const actionsAt = (line, only) => client.request('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: [], ...(only && { only }) },
  });
  return { client, dir, file, uri, actionsAt };
}

const refactorings = (actions) => actions.filter((a) => a.kind === 'refactor.rewrite');

test('an unsaved document through the client command, for each target', async (t) => {
  const { actionsAt } = await start(t, { initializationOptions: { untitledCommand: true } });
  const actions = refactorings(await actionsAt(5));
  assert.deepEqual(actions.map((a) => a.title), ['Convert to Gateway API', 'Convert to F5 NGINX Ingress Controller']);
  const [gateway, f5] = actions;
  assert.equal(gateway.command.command, 'nginx-ls.openUntitled');
  assert.equal(gateway.command.arguments[1], 'yaml');
  assert.equal(gateway.command.arguments[0],
    fs.readFileSync(path.join(root, 'test/conversion/seed/gateway-api.yaml'), 'utf8').replace('Ingress shop/shop', 'Ingress shop/shop (ingress.yaml)'));
  assert.match(f5.command.arguments[0], /kind: Policy\n[\s\S]*ingressMTLS:/);
  // Not on the Secret document, and not when only quick fixes are asked for.
  assert.deepEqual(refactorings(await actionsAt(SEED.split('\n').findIndex((l) => l === 'kind: Secret'))), []);
  assert.deepEqual(refactorings(await actionsAt(5, ['quickfix'])), []);
  assert.equal(refactorings(await actionsAt(5, ['refactor'])).length, 2);
});

test('files beside the source: a workspace edit that creates them, then the server shows them', async (t) => {
  // Settings in initializationOptions: this client answers no workspace/configuration.
  const { client, dir, actionsAt } = await start(t, {
    capabilities: { ...PULL, ...FILES },
    initializationOptions: { untitledCommand: true, convert: { output: 'files', sharedGateway: 'infra/edge' } },
  });
  const actions = refactorings(await actionsAt(5));
  assert.deepEqual(actions.map((a) => a.title), ['Convert to Gateway API',
    'Convert to Gateway API (routes for the shared Gateway infra/edge)', 'Convert to F5 NGINX Ingress Controller']);
  const f5 = actions[2];
  const target = fileUri(path.join(dir, 'ingress.f5.yaml'));
  assert.deepEqual(f5.edit.documentChanges[0], { kind: 'create', uri: target, options: { overwrite: true } });
  assert.match(f5.edit.documentChanges[1].edits[0].newText, /^# Converted by nginx-ls from Ingress shop\/shop \(ingress\.yaml\)/);
  assert.deepEqual(f5.command, { title: f5.title, command: 'nginx-ls.showDocument', arguments: [target] });
  assert.match(actions[1].edit.documentChanges[1].edits[0].newText, /# Merge into the shared Gateway infra\/edge/);
  let shown;
  client.handlers.set('window/showDocument', (params) => { shown = params; return { success: true }; });
  await client.request('workspace/executeCommand', { command: 'nginx-ls.showDocument', arguments: [target] });
  assert.deepEqual(shown, { uri: target, takeFocus: true });
});

test('a client that can neither open an unsaved document nor create files is offered no conversion', async (t) => {
  const { actionsAt } = await start(t);
  assert.deepEqual(refactorings(await actionsAt(5)), []);
});
