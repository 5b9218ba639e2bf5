/**
 * The language server: LSP in, language-mode calls out. `startServer` registers every handler once;
 * each is a few lines inside `runSafe` (requests) or `guard` (notifications, document events), so a
 * failing feature answers with an error and the server lives on. Which language a document is
 * decides its mode (./modes), and ./convert.ts turns the answers into LSP data.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind, Connection, Diagnostic, DidChangeConfigurationNotification, DocumentDiagnosticReportKind, InitializeParams,
  FileChangeType, InitializeResult, TextDocumentSyncKind, TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost, findConfigFiles, isNginxPath, isYamlPath } from '../node-host';
import { RuleSettings } from '../service/nginx';
import {
  CompletionDefaultsSupport, CompletionItemData, SHOW_DOCUMENT_COMMAND, completionDefaultsSupport, filePath, localPath, toCodeActions,
  toRefactoringAction, toCompletionItems, toDiagnostics, toDocumentSymbols, toFoldingRanges, toHover,
  toInlayHints, toSignatureHelp, withDocumentation,
} from './convert';
import { AnalysisThread, Diagnosis, LIKELY_EXPENSIVE_CHARS } from './analysis-thread';
import { dynamicFormatting, formattingCapabilities, registerFormatting, registerFormattingWithClient } from './formatting';
import { LanguageMode, getLanguageModes } from './modes/language-modes';
import { NAVIGATION_CAPABILITIES, registerNavigation } from './navigation';
import { registerRetained } from './debug';
import { idleCollector } from './memory';
import { PieceDocument, lengthOf } from './piece-document';
import { registerPlacement } from './placement';
import { diagnosticsPusher, editDelay } from './push';
import { WarmUp } from './warm-up';
import { workspaceRootsOf } from './roots';
import { runners } from './runner';
import { ConvertSettings, Settings, resolveSettings } from './settings';
import { WorkspaceDiagnostics } from './workspace-diagnostics';

/** What the client can do, from `initialize`. */
interface ClientSupport {
  /** Clients that can pull (VS Code) ask when they need diagnostics; others (Neovim 0.7) get pushes. */
  pullDiagnostics: boolean;
  configurationRequests: boolean;
  /** Registering for didChangeConfiguration unasked makes clients that cannot (Emacs eglot) warn on every connect. */
  configurationRegistration: boolean;
  snippets: boolean;
  /** What completion lists may say once for all their items (`completionList.itemDefaults`, LSP 3.17): a third of the bytes. */
  completionDefaults: CompletionDefaultsSupport;
  /** The client runs `nginx-ls.insertSnippet` for quick fixes with tab stops (our VS Code client does). */
  snippetCommand: boolean;
  /** The client shows progress the server starts (window/workDoneProgress/create). */
  workDoneProgress: boolean;
  /** The client asks for inlay hints again when told to (a renewed certificate, a setting turned off). */
  inlayHintRefresh: boolean;
  /** Definitions as LocationLinks (with the origin range and the defining statement) rather than Locations. */
  definitionLinks: boolean;
  /** Signature parameters may be given as offsets into the label (unambiguous when a word occurs twice). */
  signatureLabelOffsets: boolean;
  /** The client registers formatting dynamically, for nginx documents alone (./formatting.ts). */
  dynamicFormatting: boolean;
  /** The client runs `nginx-ls.openUntitled` to open an unsaved document (our VS Code client does). */
  untitledCommand: boolean;
  /** Workspace edits may create files (the "Convert to …" actions write beside the source), and the server may open them. */
  createFiles: boolean;
  showDocument: boolean;
}

/** Options any client may send in `initialize` (our VS Code client sends only `snippetCommand`). */
type InitializationOptions = Settings & { snippetCommand?: boolean; untitledCommand?: boolean };

/** `bundle`: the script the analysis thread runs (the server bundle; ./main.ts passes its own file). */
export function startServer(connection: Connection, bundle: string): void {
  // The analysis thread gets each buffer's edits as this thread applies them (./analysis-thread.ts).
  // Documents in pieces (./piece-document.ts): an edit of a large file copies a piece, not the file.
  const documents = new TextDocuments<PieceDocument>({
    create: PieceDocument.create,
    update(document, changes, version) {
      analysisThread.edited(document.uri, changes);
      return PieceDocument.update(document, changes, version);
    },
  });
  const host = new NodeHost();
  const modes = getLanguageModes(host);
  const { runSafe, guard } = runners(connection.console);
  const client: ClientSupport = {
    pullDiagnostics: false, configurationRequests: false, configurationRegistration: false, snippets: false,
    completionDefaults: completionDefaultsSupport(undefined), snippetCommand: false,
    workDoneProgress: false, inlayHintRefresh: false, definitionLinks: false, signatureLabelOffsets: false,
    dynamicFormatting: false, untitledCommand: false, createFiles: false, showDocument: false,
  };
  let rules: RuleSettings = {};
  let inlayHints = { certificateExpiry: true };
  let convertSettings: ConvertSettings = { output: 'untitled' };
  let workspaceRoots: string[] = [];
  /** The version each document was opened with. */
  const openedVersions = new Map<string, number>();

  /** An open document the server handles, with its mode. */
  const handled = (uri: string): { document: TextDocument; mode: LanguageMode } | undefined => {
    const document = documents.get(uri);
    const mode = document && modes.modeFor(document);
    return document && mode && { document, mode };
  };
  const diagnose = (document: TextDocument): Diagnostic[] => {
    const mode = modes.modeFor(document);
    return mode ? toDiagnostics(mode.diagnose(document), document, rules, true) : [];
  };
  /** Large configurations are analysed on it after their first analysis (./analysis-thread.ts). */
  const analysisThread = new AnalysisThread(bundle, host.overlay, connection.console);
  /** A few extra analyses after the first diagnostics, while the user reads: the code is optimised before the first keystroke. */
  const warmUp = new WarmUp((uri) => modes.nginx.warmUp(filePath(uri)), (uri) => documents.get(uri));
  /** What the last analysis of each open document cost, in ms, on whichever thread made it. */
  const costs = new Map<string, number>();
  /** An open document's diagnostics, made here or on the analysis thread by what its last analysis cost. */
  const diagnoseOpen = (document: TextDocument): Diagnosis | Promise<Diagnosis> => {
    const nginx = modes.modeFor(document) === modes.nginx;
    // Only while it is open: an answer may come back from the analysis thread after the document closed.
    const isOpen = (): boolean => documents.get(document.uri) !== undefined;
    const here = (): Diagnosis => {
      const started = performance.now();
      const diagnostics = diagnose(document);
      const costMs = performance.now() - started;
      if (isOpen()) costs.set(document.uri, costMs);
      if (nginx && isOpen()) analysisThread.analysedOnMainThread(document.uri, costMs);
      if (nginx && isOpen() && !analysisThread.isExpensive(document.uri)) warmUp.analysed(document, costMs);
      if (nginx) modes.nginx.preloadReference();
      return { diagnostics, costMs };
    };
    if (!nginx || !analysisThread.takes(document.uri)) return here();
    // The thread failing (undefined) leaves the document to this one.
    return analysisThread.diagnose(document.uri).then((d) => {
      if (!d) return here();
      if (isOpen()) costs.set(document.uri, d.costMs);
      return d;
    });
  };
  const delayAfterEdit = (uri: string): number => editDelay(costs.get(uri), analysisThread.takes(uri));
  const pusher = diagnosticsPusher(connection, documents, diagnoseOpen, delayAfterEdit, connection.console);
  /** A full collection once nothing has been open for a while, which an idle V8 would not make. */
  const idle = idleCollector(() => {
    analysisThread.stop();
    modes.nginx.releaseReference();
  });
  /** Paths of the open documents the server handles: the workspace check leaves them to the buffer. */
  const openFiles = new Set<string>();

  /** A file as it is on disk, seen as a document of its language; undefined for files that get no diagnostics. */
  function diagnoseOnDisk(file: string): Diagnostic[] | undefined {
    const read = host.readConfig(file);
    if (read.kind !== 'text') return undefined;
    const yaml = isYamlPath(file);
    // Only YAML that names a kind nginx-ls checks gets findings: other YAML costs no parse (nor loading the Ingress half).
    if (yaml && !/\b(Ingress|Gateway|BackendTLSPolicy|HTTPRoute|GRPCRoute|Policy)\b/.test(read.text)) return undefined;
    // A `.conf` file is nginx when the editor would open it as nginx, or when a configuration includes it.
    if (!yaml && !isNginxPath(file) && !modes.nginx.inConfiguration(file)) return undefined;
    return diagnose(TextDocument.create(pathToFileURL(file).href, yaml ? 'yaml' : 'nginx', 0, read.text));
  }

  const workspaceDiagnostics = new WorkspaceDiagnostics({
    diagnose: diagnoseOnDisk,
    isOpen: (file) => openFiles.has(file),
    publish: (uri, diagnostics) => {
      if (!client.pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics });
    },
    createProgress: () => (client.workDoneProgress ? connection.window.createWorkDoneProgress() : undefined),
    log: connection.console,
  });

  /** Files created or deleted on disk join or leave the workspace. */
  function updateWorkspaceFiles(file: string, created: boolean): void {
    const yaml = isYamlPath(file);
    if (!yaml && !file.endsWith('.conf') && !isNginxPath(file)) return;
    if (!created) return workspaceDiagnostics.removed(file);
    workspaceDiagnostics.added(file);
    (yaml ? modes.ingress : modes.nginx).addCandidate(file, true);
    if (!yaml) analysisThread.addCandidate(file, true);
  }

  /** Something other documents may depend on changed: every open document is diagnosed again. */
  function refreshAll(): void {
    workspaceDiagnostics.restart();
    if (client.pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const d of documents.all()) pusher.schedule(d, 50);
    if (client.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  function applySettings(value: Settings | undefined): void {
    const settings = resolveSettings(value, workspaceRoots[0] ?? '');
    rules = settings.rules;
    inlayHints = settings.inlayHints;
    convertSettings = settings.convert;
    modes.nginx.configure(settings.analysis);
    analysisThread.configure(settings.analysis, settings.rules);
    modes.ingress.configure(settings.ingress);
    workspaceDiagnostics.configure(settings.workspaceDiagnostics);
  }

  async function loadSettings(): Promise<void> {
    if (client.configurationRequests) applySettings(await connection.workspace.getConfiguration('nginx-ls'));
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    client.pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
    client.configurationRequests = caps.workspace?.configuration === true;
    client.configurationRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    client.snippets = caps.textDocument?.completion?.completionItem?.snippetSupport === true;
    client.completionDefaults = completionDefaultsSupport(caps.textDocument?.completion?.completionList?.itemDefaults);
    const init = params.initializationOptions as InitializationOptions | undefined;
    client.snippetCommand = init?.snippetCommand === true;
    client.untitledCommand = init?.untitledCommand === true;
    client.createFiles = caps.workspace?.workspaceEdit?.documentChanges === true
      && (caps.workspace.workspaceEdit.resourceOperations ?? []).includes('create');
    client.showDocument = caps.window?.showDocument?.support === true;
    client.workDoneProgress = caps.window?.workDoneProgress === true;
    client.inlayHintRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    client.definitionLinks = caps.textDocument?.definition?.linkSupport === true;
    client.signatureLabelOffsets =
      caps.textDocument?.signatureHelp?.signatureInformation?.parameterInformation?.labelOffsetSupport === true;
    client.dynamicFormatting = dynamicFormatting(caps);
    workspaceRoots = workspaceRootsOf(params, (message) => connection.console.warn(`nginx-ls: ${message}`));
    const nginxFiles = findConfigFiles(workspaceRoots);
    const yamlFiles = findConfigFiles(workspaceRoots, 5000, isYamlPath);
    modes.nginx.setCandidates(nginxFiles);
    analysisThread.setCandidates(nginxFiles);
    modes.ingress.setCandidates(yamlFiles);
    workspaceDiagnostics.setFiles([...nginxFiles, ...yamlFiles]);
    // Clients without workspace/configuration (or before it answers) may send settings here.
    applySettings(init);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        // Refactorings: "Convert to Gateway API / F5 NGINX Ingress Controller" on an Ingress.
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        // Opens the file a conversion wrote (window/showDocument), run after its edit is applied.
        executeCommandProvider: { commands: [SHOW_DOCUMENT_COMMAND] },
        // Documentation is resolved per item: a list of directives would otherwise carry hundreds of pages.
        completionProvider: { triggerCharacters: ['$', '/', '"'], resolveProvider: true },
        // A space after a directive's name or argument starts (and moves) the argument shown.
        signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: [' '] },
        inlayHintProvider: true,
        ...NAVIGATION_CAPABILITIES,
        ...formattingCapabilities(client.dynamicFormatting),
        // Other open files can change a file's diagnostics (includes), hence interFileDependencies.
        // Workspace diagnostics: files that are not open (./workspace-diagnostics.ts; turned off by a setting, not here).
        diagnosticProvider: client.pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: true } : undefined,
      },
      serverInfo: { name: 'nginx-ls' },
    };
  });

  connection.onInitialized(guard('initialized', () => {
    if (client.dynamicFormatting) registerFormattingWithClient(connection);
    // The workspace check starts once the settings are in (they may turn it off).
    if (!client.configurationRequests) return workspaceDiagnostics.start();
    if (client.configurationRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nginx-ls' }).catch(() => undefined);
    }
    void loadSettings().then(() => {
      workspaceDiagnostics.start();
      refreshAll();
    }, () => workspaceDiagnostics.start());
  }));

  connection.onDidChangeConfiguration(guard('configuration', (change) => {
    if (client.configurationRequests) {
      void loadSettings().then(refreshAll, () => undefined);
    } else {
      applySettings((change.settings as { 'nginx-ls'?: Settings } | undefined)?.['nginx-ls']);
      refreshAll();
    }
  }));

  connection.onDidChangeWatchedFiles(guard('watched files', (params) => {
    const changed: string[] = [];
    for (const change of params.changes) {
      const file = localPath(change.uri);
      if (file === undefined) continue;
      host.invalidate(file);
      changed.push(file);
      if (change.type !== FileChangeType.Changed) updateWorkspaceFiles(file, change.type === FileChangeType.Created);
    }
    for (const mode of modes.all()) mode.invalidate();
    analysisThread.invalidate(changed);
    refreshAll();
  }));

  documents.onDidOpen(guard('open', ({ document }) => {
    idle.opened();
    const mode = modes.modeFor(document);
    if (!mode) return;
    openedVersions.set(document.uri, document.version);
    host.overlay.set(filePath(document.uri), document);
    if (mode === modes.nginx) {
      analysisThread.opened(document.uri, filePath(document.uri));
      if (lengthOf(document) >= LIKELY_EXPENSIVE_CHARS) analysisThread.openedLarge(document.uri);
    }
    mode.addCandidate(filePath(document.uri));
    // Analyses made before (from the disk, which the workspace check reads before anything opens, or
    // from an earlier buffer) are dropped when they read another text of this file.
    mode.changed(filePath(document.uri));
    openFiles.add(filePath(document.uri));
    workspaceDiagnostics.opened(filePath(document.uri));
    // The buffer may differ from the disk, and the files that include it see the buffer.
    workspaceDiagnostics.restart(300);
    if (!client.pullDiagnostics) pusher.schedule(document, 0);
  }));

  documents.onDidChangeContent(guard('change', ({ document }) => {
    const mode = modes.modeFor(document);
    // TextDocuments reports the opening text as a change too; onDidOpen has handled that one, and
    // debouncing it would hold the first diagnostics back.
    if (!mode || openedVersions.get(document.uri) === document.version) return;
    host.overlay.set(filePath(document.uri), document);
    // The configurations that read this file are analysed again (their other open files with them).
    mode.changed(filePath(document.uri));
    // Debounced well beyond the open document's own diagnostics: typing does not restart the pass on every key.
    workspaceDiagnostics.restart(500);
    if (client.pullDiagnostics) return;
    // The document being typed first, after a wait that fits its analysis; the other open documents
    // (files of the same configuration among them) once it is published.
    pusher.scheduleEdit(document, () => {
      for (const other of documents.all()) if (other.uri !== document.uri) pusher.schedule(other, 300);
    });
  }));

  documents.onDidClose(guard('close', ({ document }) => {
    if (documents.all().length === 0) idle.nothingOpen();
    openedVersions.delete(document.uri);
    openFiles.delete(filePath(document.uri));
    costs.delete(document.uri);
    if (host.overlay.delete(filePath(document.uri))) analysisThread.closed(document.uri, filePath(document.uri));
    if (!client.pullDiagnostics) pusher.clear(document.uri);
    const mode = modes.modeFor(document);
    if (!mode) return;
    // The file reads from disk again: analyses that used the buffer are stale, and documents that include it see the disk's text.
    mode.forget(filePath(document.uri));
    refreshAll();
  }));

  connection.languages.diagnostics.on((params, token) => runSafe('diagnostics', token, () => {
    const document = documents.get(params.textDocument.uri);
    const report = (items: Diagnostic[]) => ({ kind: DocumentDiagnosticReportKind.Full, items } as const);
    // A document the client pulls after closing it shows what the workspace check sees on disk.
    if (!document) return report(workspaceDiagnostics.diagnoseClosed(params.textDocument.uri) ?? []);
    const diagnosis = diagnoseOpen(document);
    return diagnosis instanceof Promise ? diagnosis.then((d) => report(d.diagnostics)) : report(diagnosis.diagnostics);
  }, { kind: DocumentDiagnosticReportKind.Full, items: [] } as const));

  connection.languages.diagnostics.onWorkspace((params, token) => runSafe('workspace diagnostics', token,
    () => workspaceDiagnostics.pull(params, token), Promise.resolve({ items: [] })));

  connection.onHover((params, token) => runSafe('hover', token, () => {
    const target = handled(params.textDocument.uri);
    if (!target) return null;
    const { document, mode } = target;
    return toHover(mode.hover(document, document.offsetAt(params.position), new Date()), document);
  }, null));

  connection.onDocumentSymbol((params, token) => runSafe('symbols', token, () => {
    const target = handled(params.textDocument.uri);
    return target ? toDocumentSymbols(target.mode.symbols(target.document), target.document) : [];
  }, []));

  connection.onFoldingRanges((params, token) => runSafe('folding', token, () => {
    const target = handled(params.textDocument.uri);
    return target ? toFoldingRanges(target.mode.folding(target.document), target.document) : [];
  }, []));

  connection.onCodeAction((params, token) => runSafe('code actions', token, () => {
    const target = handled(params.textDocument.uri);
    if (!target) return [];
    const text = target.document.getText();
    const fixes = toCodeActions(target.document, params.context.diagnostics, (ref) => target.mode.quickFixes(text, ref), client.snippetCommand);
    const only = params.context.only;
    if (!target.mode.refactorings || (only && !only.some((kind) => CodeActionKind.RefactorRewrite.startsWith(kind)))) return fixes;
    const offset = target.document.offsetAt(params.range.start);
    const refactorings = target.mode.refactorings(target.document, offset, { sharedGateway: convertSettings.sharedGateway });
    return [...fixes, ...refactorings.flatMap((r) => toRefactoringAction(r, convertSettings.output, client) ?? [])];
  }, []));

  connection.onExecuteCommand((params, token) => runSafe('execute command', token, async () => {
    const [uri] = params.arguments ?? [];
    if (params.command === SHOW_DOCUMENT_COMMAND && typeof uri === 'string' && client.showDocument) {
      await connection.window.showDocument({ uri, takeFocus: true });
    }
    return null;
  }, null));

  connection.onCompletion((params, token) => runSafe('completion', token, () => {
    const target = handled(params.textDocument.uri);
    if (!target) return [];
    const { document, mode } = target;
    const entries = mode.completion(document, document.offsetAt(params.position));
    return toCompletionItems(entries, document, client.snippets, mode.id, client.completionDefaults);
  }, []));

  connection.languages.inlayHint.on((params, token) => runSafe('inlay hints', token, () => {
    const target = handled(params.textDocument.uri);
    if (!target || !inlayHints.certificateExpiry) return [];
    return toInlayHints(target.mode.inlayHints(target.document, new Date()), target.document, params.range);
  }, []));

  connection.onCompletionResolve((item, token) => runSafe('completion resolve', token, () => {
    const mode = modes.all().find((m) => m.id === (item.data as Partial<CompletionItemData> | undefined)?.mode);
    return mode ? withDocumentation(item, (ref) => mode.completionDocumentation(ref)) : item;
  }, item));

  connection.onSignatureHelp((params, token) => runSafe('signature help', token, () => {
    const target = handled(params.textDocument.uri);
    if (!target) return null;
    const { document, mode } = target;
    return toSignatureHelp(mode.signatureHelp(document, document.offsetAt(params.position)), client.signatureLabelOffsets);
  }, null));

  registerPlacement(connection, documents, modes.nginx, runSafe);
  registerRetained(connection, () => ({
    documents: documents.all().length, overlay: host.overlay.size, openFiles: openFiles.size, openedVersions: openedVersions.size,
    costs: costs.size, analysisThread: analysisThread.running ? 1 : 0,
    ...Object.fromEntries(modes.all().flatMap((m) => Object.entries(m.retained()).map(([kind, n]) => [`${m.id}.${kind}`, n]))),
  }), () => ({ analysesMade: modes.nginx.analysesMade(), idleCollections: idle.collections }), runSafe);
  registerNavigation(connection, documents, modes.nginx, runSafe, () => client.definitionLinks);
  registerFormatting(connection, documents, modes, runSafe);

  documents.listen(connection);
  connection.listen();
}
