// The server's life in the editor: it starts only when a document needs it, the language status item
// says where a file is analysed, and after the client gives up on a crashing server its notification
// restarts it. Named to run first (index.js adds the files in name order): the light-start test needs
// a session in which no nginx document has been opened yet.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

/** The nginx-ls servers this extension host started: its child processes running dist/server.js. */
function serverProcesses() {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table.split('\n').map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m) => m && Number(m[2]) === process.pid && /dist[/\\]server\.js/.test(m[3]))
    .map((m) => Number(m[1]));
}

async function open(...segments) {
  const uri = h.workspaceUri(...segments);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return { uri, doc };
}

/** Resolves with the API once the extension is active, without waiting for a server. */
async function activatedApi() {
  const ext = h.findExtension();
  assert.ok(ext, `extension ${h.EXTENSION_ID} is not loaded`);
  await h.waitFor(() => ext.isActive, `activation of ${ext.id}`, 30_000);
  return ext.exports;
}

function waitForState(api, state, ms = 20_000) {
  const what = () => `server state "${state}" (now "${api.serverState()}")`;
  return h.waitFor(() => api.serverState() === state, what(), ms, [api.onDidChangeServerState]);
}

describe('nginx-ls server lifecycle', function () {
  it('(l1) opening only a Deployment activates the extension and starts no server, even after an edit', async function () {
    const already = vscode.workspace.textDocuments.filter((d) => d.languageId === 'nginx').map((d) => d.uri.path);
    assert.deepStrictEqual(already, [], 'an nginx document was open before this test: it must run first in a fresh session');
    const { doc } = await open('k8s', 'deployment.yaml');
    assert.strictEqual(doc.languageId, 'yaml');
    const api = await activatedApi();
    assert.strictEqual(api.serverState(), 'not started');
    assert.strictEqual(api.languageClient, undefined);
    assert.deepStrictEqual(serverProcesses(), []);
    // A change is checked too; one that does not declare an Ingress leaves the server off.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '# kind: Ingress (a comment, not a kind)\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
    assert.strictEqual(api.serverState(), 'not started');
    assert.deepStrictEqual(serverProcesses(), []);
    assert.deepStrictEqual(await api.languageStatus(), {
      text: 'nginx-ls: not started',
      detail: 'starts with an nginx file or a Kubernetes Ingress, Gateway API or F5 NGINX manifest',
      severity: vscode.LanguageStatusSeverity.Information,
    });
    // Back to the text on disk (tls.test.js reads this file as it is there), and saved so no prompt stays open.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(doc.uri, new vscode.Range(0, 0, 1, 0));
    assert.ok(await vscode.workspace.applyEdit(undo), 'applyEdit (undo) failed');
    await doc.save();
    // The saved state reaches the extension host a moment after save() resolves on a busy machine.
    await h.waitFor(() => !doc.isDirty, 'the Deployment saved', 10_000, [vscode.workspace.onDidSaveTextDocument]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.strictEqual(api.serverState(), 'not started');
  });

  it('(l2) opening an Ingress starts the server, which reports on it', async function () {
    const { uri } = await open('k8s', 'ingress.yaml');
    const api = await activatedApi();
    await waitForState(api, 'running');
    await api.ready;
    assert.strictEqual(serverProcesses().length, 1, 'one server process');
    await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'ingress-deprecated-api'), 'ingress-deprecated-api');
  });

  it('(l3) the language status names the main configuration and the include that brings a file in', async function () {
    await open('site', 'conf.d', 'app.conf');
    const api = await activatedApi();
    // The item asks the server on each change of editor; its answer settles languageStatus().
    const deadline = Date.now() + 20_000;
    let status = await api.languageStatus();
    while (/: (running|starting)$/.test(status.text) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await api.languageStatus();
    }
    assert.deepStrictEqual(status, {
      text: 'nginx-ls: in nginx.conf', detail: 'included by site/nginx.conf:5', severity: vscode.LanguageStatusSeverity.Information,
    });
    await open('site', 'nginx.conf');
    assert.deepStrictEqual(await api.languageStatus(), {
      text: 'nginx-ls: main configuration', detail: 'site/nginx.conf', severity: vscode.LanguageStatusSeverity.Information,
    });
  });

  it('(l4) a crash restarts the server, no stray lines; after 5, "Restart nginx-ls" in its notification works', async function () {
    this.timeout(120_000);
    const { uri } = await open('broken.nginx');
    const api = await activatedApi();
    await h.waitForDiagnostics(uri, (ds) => ds.some((d) => h.codeOf(d) === 'unknown-directive'), 'unknown-directive before the crashes');
    await vscode.commands.executeCommand('notifications.clearAll');
    for (let crash = 1; crash <= 5; crash++) {
      await waitForState(api, 'running');
      const [pid] = serverProcesses();
      assert.ok(pid, `no server process before crash ${crash}`);
      process.kill(pid, 'SIGKILL');
      if (crash < 5) {
        await h.waitFor(() => serverProcesses().some((p) => p !== pid) && api.serverState() === 'running', `restart after crash ${crash}`)
          .catch((e) => assert.fail(`${e.message}; state ${api.serverState()}; output:\n${api.outputText()}`));
      }
    }
    await waitForState(api, 'crashed');
    assert.deepStrictEqual(serverProcesses(), []);
    const output = api.outputText();
    assert.match(output, /stopped unexpectedly \(4 of 5 allowed in 3 minutes\); restarting it/);
    assert.match(output, /crashed 5 times in 3 minutes and was not restarted/);
    const stray = output.split('\n').filter((line) => /^\s*(true|false)\s*$/.test(line));
    assert.deepStrictEqual(stray, [], `stray lines in the output channel:\n${output}`);
    const shown = await api.languageStatus();
    assert.strictEqual(shown.text, 'nginx-ls: crashed');
    assert.strictEqual(shown.severity, vscode.LanguageStatusSeverity.Error);
    await h.screenshot('crashed-notification', '.notification-toast');
    // The newest notification's first button: "Restart nginx-ls".
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    await waitForState(api, 'running');
    await api.ready;
    assert.strictEqual(serverProcesses().length, 1);
    const report = await h.withTimeout(
      api.languageClient.sendRequest('textDocument/diagnostic', { textDocument: { uri: uri.toString() } }),
      15_000, 'textDocument/diagnostic after the restart',
    );
    assert.deepStrictEqual(report.items.map((d) => d.code), ['unknown-directive']);
  });

  it('(l5) "nginx-ls: Restart Server" replaces the running server with a new one', async function () {
    const api = await activatedApi();
    await waitForState(api, 'running');
    const before = serverProcesses();
    assert.strictEqual(before.length, 1);
    await vscode.commands.executeCommand('nginx-ls.restartServer');
    assert.strictEqual(api.serverState(), 'running');
    const after = serverProcesses();
    assert.strictEqual(after.length, 1, JSON.stringify(after));
    assert.notStrictEqual(after[0], before[0]);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['nginx-ls.restartServer', 'nginx-ls.showOutput', 'nginx-ls.checkWorkspace']) assert.ok(commands.includes(id), id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
