// Completion and signature help in a real editor, through the VS Code API: inside a location, the
// directives nginx allows there (none of stream's, none of OpenResty's for stock nginx), their
// documentation resolved on demand, upstream names after "http://", and the syntax of the directive
// whose arguments are typed.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('nginx-ls completion in a real editor', function () {
  let doc;
  before(async function () {
    doc = await vscode.workspace.openTextDocument(h.workspaceUri('complete', 'nginx.conf'));
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.strictEqual(doc.languageId, 'nginx');
    await h.activeApi();
  });

  it('(k) offers the directives of a location, documented on resolve', async function () {
    // The empty line inside "location / {", indented like its neighbours.
    const line = h.positionOf(doc, 'location / {').line + 1;
    assert.strictEqual(doc.lineAt(line).text, '', 'the fixture has no empty line in its location');
    const position = new vscode.Position(line, 0);
    const list = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, position, undefined, 1)),
      20_000, 'vscode.executeCompletionItemProvider');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const wanted of ['proxy_pass', 'proxy_set_header', 'try_files', 'root', 'return']) {
      assert.ok(labels.includes(wanted), `${wanted} is not offered in a location`);
    }
    for (const unwanted of ['proxy_ssl', 'proxy_timeout', 'listen', 'server_name', 'worker_connections', 'content_by_lua_block']) {
      assert.ok(!labels.includes(unwanted), `${unwanted} is offered in a location`);
    }
    const pass = list.items.find((i) => i.label === 'proxy_pass');
    assert.strictEqual(pass.detail, 'proxy_pass URL;');
    assert.strictEqual(pass.kind, vscode.CompletionItemKind.Keyword);
    // The first item was resolved (itemResolveCount 1): its documentation came with completionItem/resolve.
    const first = list.items[0];
    const documentation = typeof first.documentation === 'string' ? first.documentation : first.documentation && first.documentation.value;
    assert.ok(documentation && documentation.includes('https://nginx.org/en/docs/'), `no documentation resolved: ${documentation}`);
    assert.ok(documentation.includes('Default:'), documentation);
  });

  it('(l) offers upstream names after "http://" and shows the syntax of proxy_pass', async function () {
    const afterScheme = h.positionOf(doc, 'http://app_backend').translate(0, 'http://'.length);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, afterScheme);
    assert.deepStrictEqual(list.items.map((i) => i.label), ['app_backend']);
    const help = await vscode.commands.executeCommand('vscode.executeSignatureHelpProvider', doc.uri, afterScheme, ' ');
    assert.ok(help, 'no signature help');
    assert.strictEqual(help.signatures[help.activeSignature].label, 'proxy_pass URL;');
    assert.deepStrictEqual(help.signatures[0].parameters.map((p) => p.label), [[11, 14]]);
    assert.strictEqual(help.activeParameter, 0);
  });
});
