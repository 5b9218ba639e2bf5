// In-editor tests of issue 13's editor side: an `nginx -T` output saved under a name that says
// nothing opens as nginx by its first line and is checked as the configuration it holds, findings on
// its own lines; hover on a finding explains it (the exploit, the settings in effect and where each
// was set); an unused suppression is faded and removed by its quick fix. Every wait is on an editor
// event, bounded in time.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('nginx-ls: nginx -T dumps, explaining hovers and suppressions in a real editor', function () {
  after(async function () {
    for (const doc of vscode.workspace.textDocuments) {
      if (!doc.isDirty || doc.uri.scheme !== 'file') continue;
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('(s1) a dump opens as nginx, with its findings on its lines and a hover that explains them', async function () {
    const uri = h.workspaceUri('incident', 'nginx-T.out');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.strictEqual(doc.languageId, 'nginx', 'the first line ("nginx: the configuration file … syntax is ok") makes it nginx');
    const pass = h.positionOf(doc, 'https://pay.example.com');
    const list = await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'tls-upstream-unverified'),
      'tls-upstream-unverified in the dump');
    assert.deepStrictEqual(list.map((d) => [h.codeOf(d), d.range.start.line, d.range.start.character]).sort(),
      [['suppression-unused', 15, 27], ['tls-upstream-unverified', pass.line, pass.character]]);
    const hovers = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pass.translate(0, 3))), 15_000, 'hover');
    const text = h.hoverText(hovers);
    assert.match(text, /\*\*Exploit\*\*: a man-in-the-middle between nginx and pay\.example\.com/);
    assert.match(text, /\| proxy_ssl_verify \| off \| nginx default \|/);
  });

  it('(s2) an unused suppression is faded, and its quick fix removes it', async function () {
    const uri = h.workspaceUri('incident', 'nginx-T.out');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const list = await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'suppression-unused'), 'suppression-unused');
    const unused = list.find((d) => h.codeOf(d) === 'suppression-unused');
    assert.deepStrictEqual(unused.tags, [vscode.DiagnosticTag.Unnecessary]);
    const actions = await h.withTimeout(Promise.resolve(vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', uri, unused.range, vscode.CodeActionKind.QuickFix.value)), 15_000, 'code actions');
    const remove = (actions || []).find((a) => a.title === 'Remove this unused suppression');
    assert.ok(remove, JSON.stringify((actions || []).map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(remove.edit), 'applyEdit failed');
    assert.ok(!doc.getText().includes('nginx-ls: ignore'), doc.getText());
    await h.waitForDiagnostics(uri, (ds) => !ds.some((d) => h.codeOf(d) === 'suppression-unused'), 'the hint gone after the fix');
  });
});
