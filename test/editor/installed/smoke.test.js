// The .vsix as a user installs it: it activates from its install folder, which holds no
// node_modules, and the libraries it loads on first use (the nginx reference for directive hovers,
// the certificate reader) work from the chunks it ships. The workspace is a copy of examples/.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID, workspaceUri, waitForDiagnostics, describeDiagnostics, codeOf, hoverText } = require('../suite/helpers');

describe('installed .vsix', function () {
  const shop = () => workspaceUri('nginx', 'conf.d', 'shop.conf');
  let document;

  before(async function () {
    document = await vscode.workspace.openTextDocument(shop());
    await vscode.window.showTextDocument(document);
  });

  it('activates from the extensions folder, with no node_modules and no source maps', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const installed = process.env.NGINX_LS_INSTALLED_EXTENSIONS;
    assert.ok(installed, 'test/editor/run.mjs sets NGINX_LS_INSTALLED_EXTENSIONS');
    assert.strictEqual(path.dirname(extension.extensionPath), installed);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
    const shipped = fs.readdirSync(extension.extensionPath, { recursive: true }).map(String);
    assert.deepStrictEqual(shipped.filter((f) => f.includes('node_modules') || f.endsWith('.map')), []);
  });

  it('reports the expired certificate and the key that does not match it', async function () {
    const list = await waitForDiagnostics(shop(), (l) => l.some((d) => codeOf(d) === 'cert-key-mismatch'),
      'cert-key-mismatch on shop.conf');
    const certificates = list.filter((d) => codeOf(d).startsWith('cert-')).map((d) => [codeOf(d), d.range.start.line]);
    assert.deepStrictEqual(certificates.sort(), [['cert-expired', 6], ['cert-key-mismatch', 7], ['cert-name-mismatch', 2]],
      describeDiagnostics(list));
    const expired = list.find((d) => codeOf(d) === 'cert-expired');
    assert.match(expired.message, /^certificate 1 \("CN=shop\.example\.com"\) expired on 2024-01-01/);
  });

  it('hovers a certificate path with what the certificate holds', async function () {
    const text = document.getText();
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', shop(),
      document.positionAt(text.indexOf('certs/shop-chain.pem') + 3));
    const shown = hoverText(hovers);
    // The verdict first (what the certificate findings say), then what the file holds.
    assert.match(shown, /^\*\*Certificate 1 expired \d+ days ago\*\* · \*\*Key does not match/, shown.slice(0, 400));
    assert.match(shown, /\n\*\*ssl_certificate\*\* `certs\/shop-chain\.pem`/, shown.slice(0, 400));
    assert.match(shown, /\*\*1\.\*\* \*\*Subject\*\*: CN=shop\.example\.com/, shown.slice(0, 400));
    assert.match(shown, /\*\*Key\*\*: RSA 2048 · leaf/, shown.slice(0, 600));
  });

  it('hovers a directive with the nginx reference', async function () {
    const text = document.getText();
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', shop(),
      document.positionAt(text.indexOf('try_files') + 2));
    const shown = hoverText(hovers);
    assert.match(shown, /^\*\*try_files\*\* \(ngx_http_core_module\)/, shown.slice(0, 400));
    assert.match(shown, /^try_files file \.\.\. uri;$/m, shown.slice(0, 400));
  });
});
