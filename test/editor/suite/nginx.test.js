// In-editor tests of nginx-ls: a real VS Code (code-server or @vscode/test-electron) with the
// extension under development loaded. Every wait is on an editor event, bounded in time.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');
const { positionOf, hoverText } = h;

async function open(name) {
  const uri = h.workspaceUri(name);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { uri, doc, editor };
}



function flattenSymbols(symbols, out = []) {
  for (const s of symbols || []) {
    out.push(s);
    if (s.children) flattenSymbols(s.children, out);
  }
  return out;
}

describe('nginx-ls in a real editor', function () {
  before(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('(a) opens nginx.conf as language "nginx" and activates the extension', async function () {
    const { doc } = await open('nginx.conf');
    assert.strictEqual(doc.languageId, 'nginx');
    const api = await h.activeApi();
    assert.ok(api, 'activate() returned no API object');
    assert.ok(api.ready && typeof api.ready.then === 'function', 'the API has no `ready` promise');
    await api.ready;
  });

  it('(b) publishes unknown-directive for a misspelt "server"', async function () {
    const { uri, doc } = await open('broken.nginx');
    assert.strictEqual(doc.languageId, 'nginx');
    const line = positionOf(doc, 'servr').line;
    const list = await h.waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => h.codeOf(d) === 'unknown-directive' && d.range.start.line === line),
      'an unknown-directive diagnostic on "servr"',
    );
    const d = list.find((x) => h.codeOf(x) === 'unknown-directive' && x.range.start.line === line);
    assert.match(d.message, /server/, `message does not suggest "server": ${d.message}`);
    assert.strictEqual(d.source, 'nginx-ls');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await h.screenshot('problems', '.markers-panel .monaco-list-row');
    // Best effort, for a picture only: the quick-fix menu on the misspelling.
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const pos = positionOf(doc, 'servr');
      editor.selection = new vscode.Selection(pos, pos);
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range);
      if (actions && actions.length) {
        await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
        await vscode.commands.executeCommand('editor.action.quickFix');
        await h.screenshot('quick-fix', '.action-widget');
        await vscode.commands.executeCommand('hideCodeActionWidget');
      }
    }
  });

  it('(c) reports a directive typed into the document and clears it on undo', async function () {
    const { uri, doc, editor } = await open('nginx.conf');
    const original = doc.getText();
    const baseline = await h.waitForDiagnostics(uri, () => true, 'the first diagnostics');
    const codesBefore = baseline.map(h.codeOf).sort();
    assert.ok(!baseline.some((d) => h.codeOf(d) === 'unknown-directive'), `nginx.conf should be clean: ${h.describeDiagnostics(baseline)}`);

    const root = positionOf(doc, 'root /var/www/html;');
    const insertAt = new vscode.Position(root.line, 0);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, insertAt, '            bogus_directive on;\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    assert.match(doc.getText(), /bogus_directive on;/);

    await h.waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => h.codeOf(d) === 'unknown-directive' && d.range.start.line === insertAt.line),
      'unknown-directive on the inserted line',
    );
    await h.screenshot('edited');

    await vscode.window.showTextDocument(editor.document, { preview: false });
    await vscode.commands.executeCommand('undo');
    await h.waitFor(() => doc.getText() === original, 'the undo to restore the text', 10_000, [
      (cb) => vscode.workspace.onDidChangeTextDocument(cb),
    ]);
    await h.waitForDiagnostics(
      uri,
      (ds) => !ds.some((d) => h.codeOf(d) === 'unknown-directive') && ds.map(h.codeOf).sort().join() === codesBefore.join(),
      'the inserted directive\'s diagnostic to go away after undo',
    );
    // Leave the fixture as it was for the following tests (the file on disk is never saved).
    if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('(d) hover on a directive shows its syntax', async function () {
    const { uri, doc, editor } = await open('nginx.conf');
    const pos = positionOf(doc, 'server_name').translate(0, 3);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos);
    const text = hoverText(hovers);
    assert.ok(text.length > 0, 'no hover for server_name');
    assert.match(text, /server_name\W+name/, `hover does not show the syntax "server_name name ...": ${text.slice(0, 400)}`);
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.showHover');
    await h.screenshot('hover', '.monaco-hover:not(.hidden) .hover-contents');
  });

  it('(e) document symbols contain "server" and "location /"', async function () {
    const { uri } = await open('nginx.conf');
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
    const names = flattenSymbols(symbols).map((s) => `${s.name}${s.detail ? ` [${s.detail}]` : ''}`);
    const all = flattenSymbols(symbols);
    assert.ok(all.some((s) => /^server\b/.test(s.name)), `no "server" symbol in ${JSON.stringify(names)}`);
    assert.ok(
      all.some((s) => /^location\s+\/$/.test(s.name.trim()) || (s.name === 'location' && (s.detail || '').trim() === '/')),
      `no "location /" symbol in ${JSON.stringify(names)}`,
    );
  });
});
