// Navigation in a real editor, through the VS Code API: go to definition from a proxy_pass in one
// file to the upstream block in the file beside it that the main configuration also includes, and
// rename of that upstream across both files (and a refused rename, with nginx-ls's reason).
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

async function openSite() {
  const uri = h.workspaceUri('nav', 'conf.d', 'site.conf');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  await h.activeApi();
  return { uri, doc };
}

/** The position `delta` characters into the `occurrence`-th `needle` of a document. */
function inside(doc, needle, delta, occurrence = 0) {
  return h.positionOf(doc, needle, occurrence).translate(0, delta);
}

/** [file name, line, start character, end character] of a range in a document. */
const where = (uri, range) => [uri.path.split('/').pop(), range.start.line, range.start.character, range.end.character];

describe('nginx-ls navigation', function () {
  it('(n1) go to definition leads from proxy_pass to the upstream block in another included file', async function () {
    const { uri, doc } = await openSite();
    const definitions = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', uri, inside(doc, 'backend', 3));
    assert.strictEqual(definitions.length, 1, JSON.stringify(definitions));
    const [link] = definitions;
    // VS Code asks for links: the target, the name in it, the whole block, and the word the cursor is on.
    assert.deepStrictEqual(where(link.targetUri, link.targetSelectionRange), ['upstreams.conf', 1, 9, 16]);
    assert.deepStrictEqual([link.targetRange.start.line, link.targetRange.end.line], [1, 3]);
    const origin = h.positionOf(doc, 'backend');
    assert.deepStrictEqual(where(uri, link.originSelectionRange), ['site.conf', origin.line, origin.character, origin.character + 7]);
    const target = await vscode.workspace.openTextDocument(link.targetUri);
    assert.strictEqual(target.getText(link.targetSelectionRange), 'backend');
  });

  it('(n2) rename of the upstream edits both files; renaming a built-in variable is refused with the reason', async function () {
    const { uri, doc } = await openSite();
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', uri, inside(doc, 'backend', 2, 1),
      'app_servers');
    const changes = edit.entries().map(([u, edits]) => [u.path.split('/').pop(), edits.map((e) => [e.range.start.line, e.newText])]);
    changes.sort((a, b) => a[0].localeCompare(b[0]));
    const uses = [h.positionOf(doc, 'backend').line, h.positionOf(doc, 'backend', 1).line];
    assert.deepStrictEqual(changes, [
      ['site.conf', uses.map((line) => [line, 'app_servers'])],
      ['upstreams.conf', [[1, 'app_servers']]],
    ]);
    // The editor applies it: every edit replaces exactly "backend".
    for (const [u, edits] of edit.entries()) {
      const d = await vscode.workspace.openTextDocument(u);
      for (const e of edits) assert.strictEqual(d.getText(e.range), 'backend');
    }
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', uri, inside(doc, '$host', 2), 'x')),
      /"\$host" is a built-in variable of nginx/,
    );
  });
});
