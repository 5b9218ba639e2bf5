// In-editor test of the certificate expiry inlay hints: a certificate made at test time with the
// openssl CLI (in the suite's copy of the workspace), a configuration naming it, and the hints VS
// Code gets from the server for the document.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const DAY = 86_400_000;

describe('nginx-ls inlay hints in a real editor', function () {
  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('(i) "expires in N days" after a certificate path, none after its key', async function () {
    const folder = path.join(h.workspaceUri().fsPath, 'inlay-hints');
    fs.mkdirSync(folder, { recursive: true });
    const cert = path.join(folder, 'site.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', path.join(folder, 'site.key'), '-out', cert, '-days', '23', '-subj', '/CN=inlay.example.test',
      '-addext', 'subjectAltName=DNS:inlay.example.test'], { stdio: 'pipe' });
    const notAfter = new Date(execFileSync('openssl', ['x509', '-in', cert, '-noout', '-enddate'], { encoding: 'utf8' })
      .trim().replace(/^notAfter=/, ''));
    const text = 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name inlay.example.test;\n'
      + '        ssl_certificate site.pem;\n        ssl_certificate_key site.key;\n    }\n}\n';
    const file = path.join(folder, 'nginx.conf');
    fs.writeFileSync(file, text);

    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await h.activeApi();
    // The analysis has read the certificate once cert-expiring (23 days < 30) is published.
    await h.waitForDiagnostics(uri, (list) => list.some((d) => h.codeOf(d) === 'cert-expiring'), 'cert-expiring');

    const before = Date.now();
    const hints = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, doc.lineCount, 0))),
      15_000, 'vscode.executeInlayHintProvider');
    const afterwards = Date.now();
    const labels = (hints || []).map((hint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('')));
    const expected = [before, afterwards].map((now) => `expires in ${Math.floor((notAfter.getTime() - now) / DAY)} days`);
    assert.strictEqual(labels.length, 1, `one hint (the certificate, not its key): ${JSON.stringify(labels)}`);
    assert.ok(expected.includes(labels[0]), `${labels[0]} is not one of ${expected}`);
    const end = h.positionOf(doc, 'site.pem').translate(0, 'site.pem'.length);
    assert.ok(hints[0].position.isEqual(end), `the hint stands after the path: ${JSON.stringify(hints[0].position)}`);
    await h.screenshot('inlay-hint', '.monaco-editor .inlay-hint, .monaco-editor [class*="dyn-rule"]');
  });
});
