// Workspace diagnostics in a real editor: a file that was never opened shows its problem, which the
// server reports through LSP 3.17 workspace diagnostics (vscode-languageclient pulls them).
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('nginx-ls workspace diagnostics', function () {
  it('(w) shows the problem of a file that was never opened', async function () {
    const uri = h.workspaceUri('never-opened.nginx');
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()),
      'never-opened.nginx is open: the test would prove nothing',
    );
    // The extension may not be active yet when this test runs alone (EDITOR_TEST_GREP): no nginx document opened it.
    const ext = h.findExtension();
    assert.ok(ext, `extension ${h.EXTENSION_ID} is not loaded`);
    await ext.activate();
    await h.activeApi();
    const list = await h.waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => h.codeOf(d) === 'unknown-directive'),
      'unknown-directive in the never-opened file',
    );
    assert.strictEqual(list.length, 1, h.describeDiagnostics(list));
    const [d] = list;
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [5, 8, 5, 13]);
    assert.strictEqual(d.message, 'unknown directive "listn"; did you mean "listen"?');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(
      !vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri.toString()),
      'the file was opened while waiting: the diagnostic may have come from the buffer',
    );
  });
});
