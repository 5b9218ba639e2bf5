// Formatting in a real editor: "Format Document" finds nginx-ls as the formatter of nginx documents
// (the issue: "There is no formatter for 'nginx' files installed"). That YAML gets no formatter from
// nginx-ls is the registration's document selector, checked in test/unit/format-server.test.mjs.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const MESSY = 'http { server { listen 80;   server_name example.com; # managed by Certbot\nlocation / { return 200 "${host}"; } } }\n';
const NEAT = [
  'http {',
  '    server {',
  '        listen 80;',
  '        server_name example.com; # managed by Certbot',
  '        location / {',
  '            return 200 "${host}";',
  '        }',
  '    }',
  '}',
  '',
].join('\n');

/**
 * The formatting edits VS Code's providers give for a document, once nginx-ls has registered its
 * provider (it does so after the handshake, a moment after the client is ready): re-asked on a
 * short tick, bounded in time.
 */
async function formattingEdits(uri, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const edits = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', uri, { tabSize: 4, insertSpaces: true });
    if (edits && edits.length) return edits;
    if (Date.now() > deadline) throw new Error(`no formatting edits for ${uri} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('formatting in a real editor', function () {
  it('(fmt) "Format Document" lays out an nginx document, comments and ${…} kept', async function () {
    const doc = await vscode.workspace.openTextDocument({ language: 'nginx', content: MESSY });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.options = { tabSize: 4, insertSpaces: true };
    await h.activeApi();
    await formattingEdits(doc.uri);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    await h.waitFor(() => doc.getText() === NEAT, `the formatted text; now:\n${doc.getText()}`, 10_000,
      [vscode.workspace.onDidChangeTextDocument]);
    // Formatting again changes nothing.
    const again = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true });
    assert.deepStrictEqual(again || [], []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
