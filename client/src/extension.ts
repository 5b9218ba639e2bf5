// The VS Code side of nginx-ls: starts dist/server.js when a document needs it and forwards documents
// to it. It knows nothing about nginx; every language feature lives in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, LanguageClient, LanguageClientOptions, ServerOptions,
  State, TransportKind,
} from 'vscode-languageclient/node';

/** Where the server is: never started (no document needed it yet), or the language client's state. */
export type ServerState = 'not started' | 'starting' | 'running' | 'stopped' | 'crashed';

/** Returned by `activate`, so an in-editor test can `await api.ready` before it asserts. */
export interface NginxLsApi {
  /** Undefined until a document needs the server. */
  readonly languageClient: LanguageClient | undefined;
  /** Settles when the latest start (or restart) of the client settles; pending until the first start. */
  readonly ready: Promise<void>;
  serverState(): ServerState;
  readonly onDidChangeServerState: vscode.Event<ServerState>;
  /** What the client wrote to its "nginx-ls" output channel in this session (the last 256 KB). */
  outputText(): string;
  /** The language status item as shown now, once its latest update has settled. */
  languageStatus(): Promise<{ text: string; detail: string | undefined; severity: vscode.LanguageStatusSeverity }>;
}

/** The client gives up after this many crashes within CRASH_WINDOW_MS, as vscode-languageclient's default handler does. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60_000;
/** How much of a YAML document is searched for `kind: Ingress`: a manifest states its kind near the top. */
const KIND_SCAN_CHARS = 256 * 1024;
/**
 * The Kubernetes kinds that make nginx-ls start for a YAML document: those that get findings (an
 * Ingress, a Gateway API Gateway, BackendTLSPolicy, HTTPRoute or GRPCRoute, and F5 NGINX Ingress
 * Controller's Policy, told from other CRDs named Policy by its API group). A Secret, ConfigMap or
 * Service matters only to those, and the server reads them from disk once it runs.
 */
const STARTING_KIND = /^[ \t]*kind[ \t]*:[ \t]*(["']?)(Ingress|Gateway|BackendTLSPolicy|HTTPRoute|GRPCRoute)\1[ \t]*(#.*)?$/m;
const NIC_POLICY = /^[ \t]*kind[ \t]*:[ \t]*(["']?)Policy\1[ \t]*(#.*)?$/m;

const RESTART = 'Restart nginx-ls';
const SHOW_OUTPUT = 'Show Output';

/** Does this document need the server? nginx files always; YAML only when it declares a kind nginx-ls checks. */
export function needsServer(document: vscode.TextDocument): boolean {
  if (document.languageId === 'nginx') return document.uri.scheme === 'file' || document.uri.scheme === 'untitled';
  if (document.languageId !== 'yaml' || document.uri.scheme !== 'file') return false;
  const end = document.positionAt(KIND_SCAN_CHARS);
  const head = document.getText(new vscode.Range(new vscode.Position(0, 0), end));
  return STARTING_KIND.test(head) || (NIC_POLICY.test(head) && head.includes('k8s.nginx.org/'));
}

/** An output channel that keeps what it was given, so a test can read what the user would see. */
function recordingChannel(name: string): { channel: vscode.OutputChannel; text(): string } {
  const inner = vscode.window.createOutputChannel(name);
  let text = '';
  const keep = (value: string): void => {
    text = (text + value).slice(-256 * 1024);
  };
  const channel: vscode.OutputChannel = {
    get name() {
      return inner.name;
    },
    append: (value) => (keep(value), inner.append(value)),
    appendLine: (value) => (keep(`${value}\n`), inner.appendLine(value)),
    replace: (value) => ((text = ''), keep(value), inner.replace(value)),
    clear: () => ((text = ''), inner.clear()),
    show: (preserveFocus?: unknown) => inner.show(preserveFocus === true),
    hide: () => inner.hide(),
    dispose: () => inner.dispose(),
  };
  return { channel, text: () => text };
}

/**
 * vscode-languageclient 9.0.1 logs an automatic restart as `info(message, !handled)`: the flag lands in
 * the `data` argument, and the output channel shows a line "true" after the message. Here the flag
 * goes where it was meant to go.
 */
class NginxLanguageClient extends LanguageClient {
  override info(message: string, data?: unknown, showNotification?: boolean): void {
    if (typeof data === 'boolean') super.info(message, undefined, data);
    else super.info(message, data, showNotification);
  }
}

/**
 * Restarts a crashed server until MAX_CRASHES crashes within CRASH_WINDOW_MS, then stops restarting and
 * says so in a notification that offers the restart (the default handler offers nothing, and the
 * Problems panel would go empty until the window is reloaded).
 */
class CrashHandler implements ErrorHandler {
  private crashes: number[] = [];
  gaveUp = false;

  constructor(private readonly onGiveUp: (message: string) => void) {}

  reset(): void {
    this.crashes = [];
    this.gaveUp = false;
  }

  /**
   * A transport error means the server is gone or going, and its exit reaches `closed()`, which
   * restarts it. The default handler shuts the client down after three errors instead: a crash that
   * meets a few pending writes ("Channel closed") then stops the client for good, with no restart and
   * no notification that offers one. Logged in the output channel, with no notification per error.
   */
  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS).concat(now);
    if (this.crashes.length < MAX_CRASHES) {
      const count = `${this.crashes.length} of ${MAX_CRASHES} allowed in 3 minutes`;
      return { action: CloseAction.Restart, message: `The nginx-ls server stopped unexpectedly (${count}); restarting it.`, handled: true };
    }
    this.gaveUp = true;
    const message = `The nginx-ls server crashed ${MAX_CRASHES} times in 3 minutes and was not restarted: `
      + 'its diagnostics are gone until it runs again.';
    this.onGiveUp(message);
    return { action: CloseAction.DoNotRestart, message, handled: true };
  }
}

type LspRange = { start: { line: number; character: number }; end: { line: number; character: number } };

/** The answer of the server's `nginx-ls/placement` request (server/src/lsp/placement.ts). */
interface Placement {
  kind: 'main' | 'included' | 'standalone';
  main: string;
  chain: { uri: string; line: number }[];
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): NginxLsApi {
  const output = recordingChannel('nginx-ls');
  context.subscriptions.push(output.channel);
  const stateChanged = new vscode.EventEmitter<ServerState>();
  context.subscriptions.push(stateChanged);
  let resolveFirstStart: () => void = () => undefined;
  let ready = new Promise<void>((resolve) => (resolveFirstStart = resolve));

  const crashes = new CrashHandler((message) => {
    void vscode.window.showErrorMessage(message, RESTART, SHOW_OUTPUT).then((choice) => {
      if (choice === RESTART) void vscode.commands.executeCommand('nginx-ls.restartServer');
      else if (choice === SHOW_OUTPUT) output.channel.show(true);
    });
  });

  function serverState(): ServerState {
    if (!client) return 'not started';
    switch (client.state) {
      case State.Starting: return 'starting';
      case State.Running: return 'running';
      default: return crashes.gaveUp ? 'crashed' : 'stopped';
    }
  }

  /** Creates and starts the client the first time a document needs it; later calls return it. */
  function ensureClient(): LanguageClient {
    if (client) return client;
    client = createClient(context, output.channel, crashes);
    context.subscriptions.push(client.onDidChangeState(() => {
      stateChanged.fire(serverState());
    }));
    watchers.forEach((w) => w.dispose());
    const started = client.start();
    // The client already reports a failed start in its output channel; this only keeps an
    // unawaited rejection from being logged twice as "unhandled".
    started.catch(() => undefined);
    started.then(resolveFirstStart, resolveFirstStart);
    ready = started;
    stateChanged.fire(serverState());
    return client;
  }

  async function restart(): Promise<void> {
    crashes.reset();
    if (!client) {
      ensureClient();
      return ready;
    }
    // restart() stops a running client first; a stopped one (given up after crashes) just starts.
    ready = client.state === State.Running ? client.restart() : client.start();
    ready.catch(() => undefined);
    stateChanged.fire(serverState());
    return ready;
  }

  const watchers: vscode.Disposable[] = [
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (needsServer(document)) ensureClient();
    }),
    // A new YAML file becomes an Ingress as it is typed.
    vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (document.languageId === 'yaml' && needsServer(document)) ensureClient();
    }),
  ];
  context.subscriptions.push({ dispose: () => watchers.forEach((w) => w.dispose()) });

  const status = statusItem(() => client, serverState);
  context.subscriptions.push(
    status,
    stateChanged.event(() => void status.update()),
    vscode.window.onDidChangeActiveTextEditor(() => void status.update()),
    // An edit can change which config includes a file; asked again when the user stops typing.
    vscode.workspace.onDidSaveTextDocument(() => void status.update()),
    vscode.commands.registerCommand('nginx-ls.restartServer', restart),
    vscode.commands.registerCommand('nginx-ls.showOutput', () => output.channel.show(true)),
    vscode.commands.registerCommand('nginx-ls.checkWorkspace', async () => {
      // The server checks the workspace's configurations in the background once it runs (workspace
      // diagnostics), but it starts only for a document that needs it: this starts it without one,
      // has every open document pulled again, and shows the Problems panel.
      const languageClient = ensureClient();
      await ready;
      // The same as the server's workspace/diagnostic/refresh: VS Code pulls every open document again.
      const diagnostics = languageClient.getFeature('textDocument/diagnostic');
      const provider = vscode.workspace.textDocuments.map((d) => diagnostics?.getProvider(d)).find((p) => p !== undefined);
      provider?.onDidChangeDiagnosticsEmitter.fire();
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
    // LSP 3.17 code actions cannot carry tab stops; the server sends them through this command.
    vscode.commands.registerCommand('nginx-ls.insertSnippet', (uri: string, edits: { range: LspRange; newText: string }[]) => {
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
    // An unsaved document has no URI the server could create: the "Convert to …" actions open their YAML through this.
    vscode.commands.registerCommand('nginx-ls.openUntitled', async (content: string, language: string) => {
      const document = await vscode.workspace.openTextDocument({ content, language });
      await vscode.window.showTextDocument(document, { preview: false });
    }),
    // Once trusted, the workspace's pathMappings apply: a restart reads every setting afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client) void restart();
    }),
  );

  if (vscode.workspace.textDocuments.some(needsServer)) ensureClient();
  void status.update();

  return {
    get languageClient() {
      return client;
    },
    get ready() {
      return ready;
    },
    serverState,
    onDidChangeServerState: stateChanged.event,
    outputText: output.text,
    languageStatus: () => status.shown(),
  };
}

function createClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel, errorHandler: ErrorHandler): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // No V8 options: large configurations are analysed on the server's analysis thread, which has the
  // large young generation they need (server/src/lsp/analysis-thread.ts); the 64 MB semi-spaces the
  // whole process had before cost ~25 MB RSS with 1,000 small configs open (bench section 7).
  // V8 keeps the server's compiled code in the extension's private storage: later starts skip compiling it.
  const args = [`--code-cache=${context.globalStorageUri.fsPath}`];
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, args },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
    outputChannel,
    errorHandler,
    // No `trusted` flag: with one the server could only drop pathMappings wholesale, since
    // workspace/configuration does not say where a value comes from. VS Code does the precise thing
    // already: in an untrusted workspace it withholds the workspace value of the restricted
    // nginx-ls.pathMappings (package.json `restrictedConfigurations`) and keeps the user's.
    initializationOptions: { snippetCommand: true, untitledCommand: true },
  };
  // The id 'nginx-ls' makes the client read the `nginx-ls.trace.server` setting.
  return new NginxLanguageClient('nginx-ls', 'nginx-ls', serverOptions, clientOptions);
}

/**
 * The language status item of nginx and YAML documents: the server's state and, for an nginx file,
 * the main configuration it is analysed in, with the include chain in its detail (the hover).
 */
function statusItem(currentClient: () => LanguageClient | undefined, serverState: () => ServerState) {
  const item = vscode.languages.createLanguageStatusItem('nginx-ls.status', [{ language: 'nginx' }, { language: 'yaml' }]);
  item.name = 'nginx-ls';
  let generation = 0;
  let latest = Promise.resolve();
  const relative = (uri: string): string => {
    const parsed = vscode.Uri.parse(uri);
    return parsed.scheme === 'file' ? vscode.workspace.asRelativePath(parsed, false) : parsed.path;
  };

  function update(): Promise<void> {
    latest = refresh();
    return latest;
  }

  async function refresh(): Promise<void> {
    const asked = ++generation;
    const state = serverState();
    item.busy = state === 'starting';
    item.severity = state === 'crashed' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.command = state === 'crashed' || state === 'stopped'
      ? { title: 'Restart', command: 'nginx-ls.restartServer' }
      : { title: 'Show Output', command: 'nginx-ls.showOutput' };
    const document = vscode.window.activeTextEditor?.document;
    const languageClient = currentClient();
    if (state !== 'running' || !languageClient || document?.languageId !== 'nginx') {
      item.text = `nginx-ls: ${state}`;
      item.detail = state === 'not started'
        ? 'starts with an nginx file or a Kubernetes Ingress, Gateway API or F5 NGINX manifest' : undefined;
      return;
    }
    let placement: Placement | null = null;
    try {
      placement = await languageClient.sendRequest<Placement | null>('nginx-ls/placement', { uri: document.uri.toString() });
    } catch {
      // A server without the request, or one that stopped meanwhile: the state alone is shown.
    }
    if (asked !== generation) return;
    if (!placement) {
      item.text = 'nginx-ls: running';
      item.detail = undefined;
      return;
    }
    const main = path.posix.basename(vscode.Uri.parse(placement.main).path);
    if (placement.kind === 'included') {
      item.text = `nginx-ls: in ${main}`;
      const steps = placement.chain.map((step) => `${relative(step.uri)}:${step.line + 1}`);
      item.detail = `included by ${[...steps].reverse().join(' ← ')}`;
    } else if (placement.kind === 'main') {
      item.text = 'nginx-ls: main configuration';
      item.detail = relative(placement.main);
    } else {
      item.text = 'nginx-ls: standalone';
      item.detail = 'no main configuration in the workspace includes this file';
    }
  }

  return {
    update,
    async shown() {
      await latest;
      return { text: item.text, detail: item.detail, severity: item.severity };
    },
    dispose: () => item.dispose(),
  };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
