// In-editor tests of nginx-ls's TLS quick fixes (nginx) and of Kubernetes Ingress manifests
// (YAML). Every wait is on an editor event (or a language-server roundtrip), bounded in time.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');
const { positionOf, hoverText } = h;

const SYSTEM_CA = '/etc/ssl/certs/ca-certificates.crt';
const PRIVATE_CA = '/etc/nginx/certs/upstream-ca.pem';

async function open(...segments) {
  const uri = h.workspaceUri(...segments);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { uri, doc, editor };
}



const codes = (list) => list.map(h.codeOf);
const unverified = (list) => list.find((d) => h.codeOf(d) === 'tls-upstream-unverified');

/** The nginx-ls quick fixes VS Code offers at `range`. */
async function quickFixes(uri, range) {
  const actions = await h.withTimeout(
    Promise.resolve(vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)),
    15_000,
    'vscode.executeCodeActionProvider',
  );
  return actions || [];
}

function pick(actions, titlePart) {
  const action = actions.find((a) => a.title.includes(titlePart));
  assert.ok(action, `no code action titled "…${titlePart}…" in ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

/** What a user's click does: the action's edit, then its command. */
async function apply(action) {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit failed for "${action.title}"`);
  if (action.command) {
    const result = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand(action.command.command, ...(action.command.arguments || []))),
      10_000,
      `command ${action.command.command}`,
    );
    if (action.command.command === 'nginx-ls.insertSnippet')
      assert.strictEqual(result, true, 'nginx-ls.insertSnippet did not apply its edit');
  }
}

const onTextChange = (cb) => vscode.workspace.onDidChangeTextDocument(cb);

/** The lines the fix must add under `proxy_pass`, each indented like it (the location's body). */
function expectedLines(indent, ca) {
  return [`${indent}proxy_ssl_verify on;`, `${indent}proxy_ssl_trusted_certificate ${ca};`, `${indent}proxy_ssl_server_name on;`];
}

describe('nginx-ls TLS quick fixes and Ingress manifests in a real editor', function () {
  /** tls/nginx.conf as first read, shared by (f) and (g). */
  let tls;

  before(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    // Nothing is saved: put every fixture back as it is on disk.
    for (const doc of vscode.workspace.textDocuments) {
      if (!doc.isDirty || doc.uri.scheme !== 'file') continue;
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('(f) fixes tls-upstream-unverified with the system CA bundle', async function () {
    const { uri, doc, editor } = await open('tls', 'nginx.conf');
    assert.strictEqual(doc.languageId, 'nginx');
    await h.activeApi();
    const original = doc.getText();
    const passPos = positionOf(doc, 'proxy_pass');
    const indent = doc.lineAt(passPos.line).text.slice(0, passPos.character);
    tls = { uri, original, indent };

    const list = await h.waitForDiagnostics(uri, (ds) => !!unverified(ds), 'a tls-upstream-unverified diagnostic');
    assert.deepStrictEqual(codes(list), ['tls-upstream-unverified'], h.describeDiagnostics(list));
    const d = unverified(list);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, `severity ${d.severity}: ${h.describeDiagnostics([d])}`);
    assert.strictEqual(d.range.start.line, passPos.line, 'the diagnostic is not on the proxy_pass line');

    const actions = await quickFixes(uri, d.range);
    assert.deepStrictEqual(actions.map((a) => a.title), [
      'Verify https://10.0.0.5 with the system CA bundle',
      'Verify https://10.0.0.5 with a private CA (fill in its path)',
    ]);
    const system = pick(actions, 'system CA bundle');

    // For the picture: the quick-fix menu with the cursor on the diagnostic.
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await h.screenshot('tls-quick-fix', '.action-widget');
    await vscode.commands.executeCommand('hideCodeActionWidget');

    await apply(system);
    // The warning was there (seen above): its going away is the analysis of the fixed text.
    const after = await h.waitForDiagnostics(uri, (ds) => ds.length === 0, 'every diagnostic to go away after the system-CA fix');
    const text = doc.getText();
    for (const line of expectedLines(indent, SYSTEM_CA)) {
      assert.ok(text.split('\n').includes(line), `no line ${JSON.stringify(line)} in:\n${text}`);
    }
    assert.ok(
      text.includes(`proxy_pass https://10.0.0.5;\n${expectedLines(indent, SYSTEM_CA).join('\n')}\n`),
      `the settings are not right under proxy_pass:\n${text}`,
    );
    assert.deepStrictEqual(after, []);
    await h.screenshot('tls-fixed');
  });

  it('(g) undoes the fix and applies the private-CA snippet (nginx-ls.insertSnippet)', async function () {
    assert.ok(tls, '(f) did not get far enough to record the original text');
    const { uri, original, indent } = tls;
    const { doc } = await open('tls', 'nginx.conf');
    assert.notStrictEqual(doc.getText(), original, '(f) left its fix in the document');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('undo');
    await h.waitFor(() => doc.getText() === original, 'the undo to restore the original text', 10_000, [onTextChange]);
    const list = await h.waitForDiagnostics(uri, (ds) => !!unverified(ds), 'tls-upstream-unverified to come back after undo');
    assert.deepStrictEqual(codes(list), ['tls-upstream-unverified'], h.describeDiagnostics(list));
    const d = unverified(list);

    const actions = await quickFixes(uri, d.range);
    const privateCa = pick(actions, 'private CA');
    assert.ok(privateCa.command, `the private-CA action has no command: ${JSON.stringify(privateCa)}`);
    assert.strictEqual(privateCa.command.command, 'nginx-ls.insertSnippet');
    assert.ok(!privateCa.edit, 'the private-CA action carries an edit besides its snippet command');

    await apply(privateCa);
    await h.waitFor(() => doc.getText().includes(PRIVATE_CA), 'the snippet to be inserted', 10_000, [onTextChange]);
    const text = doc.getText();
    for (const line of expectedLines(indent, PRIVATE_CA)) {
      assert.ok(text.split('\n').includes(line), `no line ${JSON.stringify(line)} in:\n${text}`);
    }
    assert.ok(!text.includes('${1'), `snippet syntax left in the text:\n${text}`);
    // The snippet leaves the CA path selected for the user to type over.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === doc, 'tls/nginx.conf is not the active editor');
    assert.strictEqual(doc.getText(editor.selection), PRIVATE_CA, 'the snippet does not select the CA path (its tab stop)');
    // The warning was there (seen above): every diagnostic goes away with the private-CA fix (its
    // placeholder is an absolute path this machine lacks, with no path mapping: not reported).
    await h.waitForDiagnostics(uri, (ds) => ds.length === 0, 'every diagnostic to go away after the private-CA fix');
    await h.screenshot('tls-private-ca');
    await vscode.commands.executeCommand('leaveSnippet');
  });

  it('(h) diagnoses and hovers a v1beta1 Ingress, and stays silent on a Deployment', async function () {
    const { uri, doc } = await open('k8s', 'ingress.yaml');
    assert.strictEqual(doc.languageId, 'yaml');
    const api = await h.activeApi();

    const list = await h.waitForDiagnostics(
      uri,
      (ds) => ['ingress-deprecated-api', 'ingress-annotation-type'].every((c) => codes(ds).includes(c)),
      'ingress-deprecated-api and ingress-annotation-type',
    );
    // Its annotations are all ingress-nginx's: the controller's retirement is noted on the kind line; the hint: Gateway
    // API cannot forward the client certificate (the conversion would lose it).
    assert.deepStrictEqual(codes(list).sort(),
      ['ingress-annotation-type', 'ingress-conversion-loss', 'ingress-deprecated-api', 'ingress-nginx-retired'],
      h.describeDiagnostics(list));
    const deprecated = list.find((d) => h.codeOf(d) === 'ingress-deprecated-api');
    const typed = list.find((d) => h.codeOf(d) === 'ingress-annotation-type');
    const retired = list.find((d) => h.codeOf(d) === 'ingress-nginx-retired');
    assert.strictEqual(retired.range.start.line, positionOf(doc, 'kind: Ingress').line);
    assert.strictEqual(retired.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(deprecated.range.start.line, positionOf(doc, 'networking.k8s.io/v1beta1').line);
    assert.strictEqual(typed.range.start.line, positionOf(doc, 'auth-tls-pass-certificate-to-upstream').line);
    assert.strictEqual(typed.severity, vscode.DiagnosticSeverity.Error);

    const keyPos = positionOf(doc, 'auth-tls-pass-certificate-to-upstream').translate(0, 5);
    const hovers = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeHoverProvider', uri, keyPos)),
      15_000,
      'hover on the annotation key',
    );
    const text = hoverText(hovers);
    assert.match(text, /ssl-client-cert/, `the annotation hover does not mention ssl-client-cert: ${text.slice(0, 400)}`);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === doc, 'ingress.yaml is not the active editor');
    editor.selection = new vscode.Selection(keyPos, keyPos);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('editor.action.showHover');
    await h.screenshot('ingress-hover', '.monaco-hover:not(.hidden) .hover-contents');

    // The Deployment carries the same annotation. VS Code pulls diagnostics, so the server's own
    // answer for it is what proves it silent (an empty Problems list right after opening would
    // prove nothing: it is empty before any analysis too).
    const dep = await open('k8s', 'deployment.yaml');
    assert.strictEqual(dep.doc.languageId, 'yaml');
    const client = api.languageClient;
    assert.ok(client.initializeResult.capabilities.diagnosticProvider, 'VS Code is a pull client: the server must offer pull diagnostics');
    const pullDeployment = async () =>
      (await h.withTimeout(
        client.sendRequest('textDocument/diagnostic', { textDocument: { uri: dep.uri.toString() } }),
        15_000,
        'textDocument/diagnostic for the Deployment',
      )).items;
    assert.deepStrictEqual(await pullDeployment(), [], 'the server reports on the Deployment');
    const depHover = await h.withTimeout(
      Promise.resolve(
        vscode.commands.executeCommand('vscode.executeHoverProvider', dep.uri,
          positionOf(dep.doc, 'auth-tls-pass-certificate-to-upstream').translate(0, 5)),
      ),
      15_000,
      'hover on the Deployment',
    );
    assert.deepStrictEqual(depHover, [], `the Deployment got a hover: ${hoverText(depHover).slice(0, 200)}`);

    // The positive control, in the same document: made an Ingress, the annotation is reported, in
    // the editor too; made a Deployment again, the report goes away.
    const header = new vscode.Range(1, 0, 3, 0);
    const deploymentHeader = dep.doc.getText(header);
    assert.strictEqual(deploymentHeader, 'apiVersion: apps/v1\nkind: Deployment\n');
    const replaceHeader = async (text) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(dep.uri, header, text);
      assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    };
    await replaceHeader('apiVersion: networking.k8s.io/v1\nkind: Ingress\n');
    const asIngress = await h.waitForDiagnostics(dep.uri, (ds) => ds.length > 0,
      'ingress-annotation-type once the Deployment is made an Ingress');
    const annotationLine = positionOf(dep.doc, 'auth-tls-pass-certificate-to-upstream').line;
    assert.deepStrictEqual(
      asIngress.map((d) => [h.codeOf(d), d.range.start.line]).sort(),
      [['ingress-annotation-type', annotationLine], ['ingress-conversion-loss', annotationLine],
        ['ingress-nginx-retired', positionOf(dep.doc, 'kind: Ingress').line]],
      h.describeDiagnostics(asIngress),
    );
    await replaceHeader(deploymentHeader);
    await h.waitForDiagnostics(dep.uri, (ds) => ds.length === 0, 'the report to go away once it is a Deployment again');
    assert.deepStrictEqual(await pullDeployment(), []);
    // The Ingress keeps its own.
    assert.ok(codes(h.ours(uri)).includes('ingress-annotation-type'), 'the Ingress lost its diagnostics');
    await h.screenshot('ingress-deployment');
  });

  it('(i) "Convert to Gateway API" on an Ingress opens the converted YAML as an unsaved document', async function () {
    const { uri, doc } = await open('k8s', 'ingress.yaml');
    await h.waitForDiagnostics(uri, (ds) => codes(ds).includes('ingress-conversion-loss'), 'ingress-conversion-loss');
    const at = positionOf(doc, 'kind: Ingress');
    const actions = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at),
        vscode.CodeActionKind.RefactorRewrite.value)),
      15_000,
      'vscode.executeCodeActionProvider (refactor.rewrite)',
    );
    assert.deepStrictEqual((actions || []).map((a) => a.title).filter((t) => t.startsWith('Convert to')),
      ['Convert to Gateway API', 'Convert to F5 NGINX Ingress Controller']);
    const convert = pick(actions, 'Convert to Gateway API');
    assert.strictEqual(convert.command.command, 'nginx-ls.openUntitled');
    await apply(convert);
    const editor = await h.waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.isUntitled && e.document.getText().includes('kind: HTTPRoute') ? e : undefined;
    }, 'the converted YAML in an unsaved editor', 15_000, [vscode.window.onDidChangeActiveTextEditor]);
    assert.strictEqual(editor.document.languageId, 'yaml');
    const text = editor.document.getText();
    assert.match(text, /^# Converted by nginx-ls from Ingress default\/pay \(ingress\.yaml\)/);
    assert.match(text, /NOT CARRIED OVER: nginx\.ingress\.kubernetes\.io\/auth-tls-pass-certificate-to-upstream/);
    await h.screenshot('ingress-convert');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('(j) fixes tls-upstream-unverified inside a snippet annotation, in the block scalar with its indentation', async function () {
    const { uri, doc } = await open('k8s', 'snippet-ingress.yaml');
    await h.activeApi();
    const passPos = positionOf(doc, 'proxy_pass');
    const indent = doc.lineAt(passPos.line).text.slice(0, passPos.character);
    const list = await h.waitForDiagnostics(uri, (ds) => !!unverified(ds), 'tls-upstream-unverified in the server-snippet');
    const d = unverified(list);
    assert.strictEqual(d.range.start.line, passPos.line, h.describeDiagnostics([d]));
    const actions = await quickFixes(uri, d.range);
    await apply(pick(actions, 'system CA bundle'));
    await h.waitForDiagnostics(uri, (ds) => !unverified(ds), 'tls-upstream-unverified to go away after the fix');
    const text = doc.getText();
    assert.ok(
      text.includes(`proxy_pass https://10.0.0.9:8443;\n${expectedLines(indent, SYSTEM_CA).join('\n')}\n      }\n`),
      `the settings are not right under proxy_pass, in the block:\n${text}`,
    );
    assert.ok(text.includes('nginx.ingress.kubernetes.io/server-snippet: |\n'), 'the block scalar lost its style');
  });

  it('(k) a Gateway API route to a TLS port without a BackendTLSPolicy: warned, and the quick fix writes the policy', async function () {
    const { uri, doc } = await open('k8s', 'route.yaml');
    assert.strictEqual(doc.languageId, 'yaml');
    const list = await h.waitForDiagnostics(uri, (ds) => codes(ds).includes('gateway-backend-tls-missing'), 'gateway-backend-tls-missing');
    assert.deepStrictEqual(codes(list), ['gateway-backend-tls-missing'], h.describeDiagnostics(list));
    const missing = list[0];
    assert.strictEqual(missing.range.start.line, positionOf(doc, '- name: api').line);
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Warning);
    // The Service is read from service.yaml, a file never opened: its port name goes into the policy.
    assert.match(missing.message, /appProtocol https/);
    const fix = pick(await quickFixes(uri, missing.range), 'Create a BackendTLSPolicy for Service shop/api');
    await apply(fix);
    assert.match(doc.getText(), /kind: BackendTLSPolicy[\s\S]*sectionName: https/);
    await h.waitForDiagnostics(uri, (ds) => !codes(ds).includes('gateway-backend-tls-missing'), 'the warning to go away after the fix');
    await h.screenshot('gateway-backend-tls');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
