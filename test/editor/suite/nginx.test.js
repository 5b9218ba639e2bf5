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
    // Exactly one diagnostic: the misspelling, as an error over "servr".
    assert.strictEqual(list.length, 1, h.describeDiagnostics(list));
    const [d] = list;
    const start = positionOf(doc, 'servr');
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [start.line, start.character, start.line, start.character + 5]);
    assert.strictEqual(d.message, 'unknown directive "servr"; did you mean "server"?');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.source, 'nginx-ls');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await h.screenshot('problems', '.markers-panel .monaco-list-row');
    // The quick fix VS Code offers on it: rename to "server".
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range);
    const titles = (actions || []).map((a) => a.title);
    assert.deepStrictEqual(titles, ['Change to "server"'], JSON.stringify(titles));
    const [fix] = actions;
    assert.strictEqual(fix.isPreferred, true);
    const edits = fix.edit.get(uri);
    assert.deepStrictEqual(edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]),
      [[start.line, start.character, start.character + 5, 'server']]);
    // For a picture: the quick-fix menu on the misspelling.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === doc, 'broken.nginx is not the active editor');
    editor.selection = new vscode.Selection(start, start);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await h.screenshot('quick-fix', '.action-widget');
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  it('(c) reports a directive typed into the document and clears it on undo', async function () {
    const { uri, doc, editor } = await open('nginx.conf');
    const original = doc.getText();
    // The server's own answer for the document as opened: nginx.conf is clean. (What VS Code
    // shows right after opening proves nothing: it is empty before any analysis too.)
    const api = await h.activeApi();
    const report = await h.withTimeout(
      api.languageClient.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri.toString() } }),
      15_000,
      'textDocument/diagnostic for nginx.conf',
    );
    assert.deepStrictEqual(report.items, [], `nginx.conf should be clean: ${JSON.stringify(report.items)}`);

    const root = positionOf(doc, 'root /var/www/html;');
    const insertAt = new vscode.Position(root.line, 0);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, insertAt, '            bogus_directive on;\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    assert.match(doc.getText(), /bogus_directive on;/);

    const inserted = await h.waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => h.codeOf(d) === 'unknown-directive' && d.range.start.line === insertAt.line),
      'unknown-directive on the inserted line',
    );
    assert.deepStrictEqual(
      inserted.map((d) => [h.codeOf(d), d.range.start.line, d.range.start.character, d.range.end.character]),
      [['unknown-directive', insertAt.line, 12, 27]],
      h.describeDiagnostics(inserted),
    );
    await h.screenshot('edited');

    await vscode.window.showTextDocument(editor.document, { preview: false });
    await vscode.commands.executeCommand('undo');
    await h.waitFor(() => doc.getText() === original, 'the undo to restore the text', 10_000, [
      (cb) => vscode.workspace.onDidChangeTextDocument(cb),
    ]);
    // It was there (seen above), so its going away is the server's analysis of the undone text.
    await h.waitForDiagnostics(uri, (ds) => ds.length === 0, "the inserted directive's diagnostic to go away after undo");
    // Leave the fixture as it was for the following tests (the file on disk is never saved).
    if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('(d) hover on a directive shows its syntax', async function () {
    const { uri, doc, editor } = await open('nginx.conf');
    const pos = positionOf(doc, 'server_name').translate(0, 3);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, pos);
    const text = hoverText(hovers);
    assert.strictEqual(hovers.length, 1, `expected one hover, got ${hovers.length}: ${text.slice(0, 400)}`);
    assert.ok(
      text.startsWith('**server_name** (ngx_http_core_module)\n\n```nginx\nserver_name name ...;\n```'),
      `hover does not start with the name, module and syntax "server_name name ...;": ${text.slice(0, 400)}`,
    );
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.showHover');
    await h.screenshot('hover', '.monaco-hover:not(.hidden) .hover-contents');
  });

  it('(e) document symbols: events, http > server example.com > location /', async function () {
    const { uri } = await open('nginx.conf');
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
    // The whole outline, as a tree: [depth, name, detail].
    const tree = (list, depth = 0) => list.flatMap((s) => [[depth, s.name, s.detail || ''], ...tree(s.children || [], depth + 1)]);
    assert.deepStrictEqual(tree(symbols || []), [
      [0, 'events', ''],
      [0, 'http', ''],
      [1, 'server example.com', '8080'],
      [2, 'location /', ''],
    ]);
  });
});
