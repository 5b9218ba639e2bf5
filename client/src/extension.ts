// The VS Code side of nginx-ls: starts dist/server.js and forwards documents to it.
// It knows nothing about nginx; every language feature lives in the server.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

/** Returned by `activate`, so an in-editor test can `await api.ready` before it asserts. */
export interface NginxLsApi {
  readonly languageClient: LanguageClient;
  /** Settles when the latest `start()` (or restart) of the client settles. */
  readonly ready: Promise<void>;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): NginxLsApi {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // A larger young generation: a parse keeps every object it makes, and small semi-spaces make
  // the garbage collector copy the tree over and over (measured on a 1.33 MB config: analysis
  // 21 ms at 32 MB, 16 ms at 64 MB). V8 grows the young generation only under sustained
  // allocation, so small configs never use it.
  const execArgv = ['--max-semi-space-size=64'];
  // V8 keeps the server's compiled code in the extension's private storage: later starts skip compiling it.
  const args = [`--code-cache=${context.globalStorageUri.fsPath}`];
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args, options: { execArgv } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'nginx', scheme: 'file' },
      { language: 'nginx', scheme: 'untitled' },
      // The server stays silent on YAML that is not a Kubernetes Ingress.
      { language: 'yaml', scheme: 'file' },
    ],
    synchronize: {
      configurationSection: 'nginx-ls',
      // Includes and certificates can change on disk under an open config.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{conf,nginx,crt,pem,key,cer,der,yaml,yml}'),
        vscode.workspace.createFileSystemWatcher('**/nginx.conf'),
      ],
    },
    outputChannelName: 'nginx-ls',
    // No `trusted` flag: with one the server could only drop pathMappings wholesale, since
    // workspace/configuration does not say where a value comes from. VS Code does the precise thing
    // already: in an untrusted workspace it withholds the workspace value of the restricted
    // nginx-ls.pathMappings (package.json `restrictedConfigurations`) and keeps the user's.
    initializationOptions: { snippetCommand: true },
  };

  // The id 'nginx-ls' makes the client read the `nginx-ls.trace.server` setting.
  const languageClient = new LanguageClient('nginx-ls', 'nginx-ls', serverOptions, clientOptions);
  client = languageClient;
  let ready = languageClient.start();
  // The client already reports a failed start in its output channel; this only keeps an
  // unawaited rejection from being logged twice as "unhandled".
  ready.catch(() => undefined);

  context.subscriptions.push(
    // LSP 3.17 code actions cannot carry tab stops; the server sends them through this command.
    vscode.commands.registerCommand('nginx-ls.insertSnippet', (
      uri: string,
      edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]
    ) => {
      const edit = new vscode.WorkspaceEdit();
      edit.set(vscode.Uri.parse(uri), edits.map((e) => {
        const snippet = new vscode.SnippetTextEdit(
          new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
          new vscode.SnippetString(e.newText),
        );
        // The server already wrote the indentation; VS Code must not add the line's on top.
        snippet.keepWhitespace = true;
        return snippet;
      }));
      return vscode.workspace.applyEdit(edit);
    }),
    // Once trusted, the workspace's pathMappings apply: a restart reads every setting afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      ready = languageClient.restart();
      ready.catch(() => undefined);
    }),
  );

  return {
    languageClient,
    get ready() {
      return ready;
    },
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
