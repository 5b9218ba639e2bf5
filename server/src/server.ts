/**
 * The language server: LSP in, language service calls out. Every handler is wrapped in `runSafe`,
 * so an exception becomes an error response and the server lives on.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationToken, CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, Connection, InsertTextFormat, Diagnostic, DidChangeConfigurationNotification, DocumentDiagnosticReportKind,
  FoldingRange, Hover, InitializeParams, InitializeResult, MarkupKind, ProposedFeatures, ResponseError, SymbolKind,
  DocumentSymbol, TextDocumentSyncKind, TextDocuments, createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost, findConfigFiles, isYamlPath } from './node-host';
import {
  ConfigWorkspace, OutlineSymbol, PERMISSIVE_CONTEXTS, RuleSettings, completions, declaredContexts,
  expandSnippet, foldingRanges, hover, outline, quickFixes, CompletionEntry,
} from './service/nginx';
import type * as Ingress from './service/ingress';

/**
 * The Ingress half of the service, loaded with the YAML parser on the first YAML document. It is a
 * bundle of its own (dist/ingress.js), so that starting the server does not compile a third more code.
 */
let ingressModule: typeof Ingress | undefined;
function ingress(): typeof Ingress {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ingressModule ??= require('./ingress.js') as typeof Ingress);
}
import { toDiagnostics } from './edge';

interface Settings {
  rules: RuleSettings;
  pathMappings?: Record<string, string>;
  certificates?: { expiryWarningDays?: number };
}

const SYMBOL_KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  namespace: SymbolKind.Namespace, module: SymbolKind.Module, class: SymbolKind.Class,
  function: SymbolKind.Function, variable: SymbolKind.Variable, field: SymbolKind.Field,
};

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const host = new NodeHost();
  const workspace = new ConfigWorkspace(host);
  workspace.clock = () => new Date();
  let manifestWorkspace: Ingress.ManifestWorkspace | undefined;
  let yamlFiles: string[] = [];
  /** Created on first use, so a workspace without YAML never loads the YAML parser. */
  const manifests = (): Ingress.ManifestWorkspace => {
    if (!manifestWorkspace) {
      manifestWorkspace = new (ingress().ManifestWorkspace)(host);
      manifestWorkspace.setCandidates(yamlFiles);
    }
    return manifestWorkspace;
  };
  let settings: Settings = { rules: {} };
  let pullDiagnostics = false;
  let configurationRequests = false;
  let snippetSupport = false;
  /** The client runs `nginx-ls.insertSnippet` for quick fixes with tab stops (our VS Code client does). */
  let snippetCommand = false;
  const pending = new Map<string, NodeJS.Timeout>();
  /** The version each document was opened with. */
  const openedVersions = new Map<string, number>();

  function runSafe<T>(name: string, token: CancellationToken | undefined, work: () => T, fallback: T): T | ResponseError<any> {
    if (token?.isCancellationRequested) return fallback;
    try {
      return work();
    } catch (e) {
      const err = e as Error;
      connection.console.error(`nginx-ls: ${name} failed: ${err.stack ?? err.message}`);
      return new ResponseError(-32603, `nginx-ls: ${name} failed: ${err.message}`);
    }
  }

  const isYaml = (document: TextDocument): boolean => document.languageId === 'yaml' || isYamlPath(document.uri);
  const handled = (document: TextDocument): boolean => document.languageId === 'nginx' || isYaml(document);
  const filePath = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : `/untitled/${encodeURIComponent(uri)}`);

  function diagnose(document: TextDocument): Diagnostic[] {
    if (isYaml(document)) {
      const result = manifests().analyze(filePath(document.uri));
      return result ? toDiagnostics(result.analysis.findings, document, settings.rules) : [];
    }
    if (document.languageId !== 'nginx') return [];
    const file = filePath(document.uri);
    const analysis = workspace.analysisFor(file);
    return toDiagnostics(analysis.findings.filter((f) => f.file === file), document, settings.rules);
  }

  /** Push mode: publish for the version analysed, and only if it is still the current one. */
  function publish(document: TextDocument): void {
    const version = document.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = diagnose(document);
    } catch (e) {
      connection.console.error(`nginx-ls: diagnostics failed: ${(e as Error).stack}`);
      return;
    }
    const current = documents.get(document.uri);
    if (!current || current.version !== version) return;
    void connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
  }

  function schedule(document: TextDocument, delay: number): void {
    clearTimeout(pending.get(document.uri));
    pending.set(document.uri, setTimeout(() => {
      pending.delete(document.uri);
      const current = documents.get(document.uri);
      if (current) publish(current);
    }, delay));
  }

  /** Something other documents may depend on changed: every open document is diagnosed again. */
  function refreshAll(): void {
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const d of documents.all()) schedule(d, 50);
  }

  let workspaceRoots: string[] = [];

  function applySettings(value: Partial<Settings> | undefined): void {
    settings = { rules: (value?.rules ?? {}) as RuleSettings, pathMappings: value?.pathMappings, certificates: value?.certificates };
    const folder = workspaceRoots[0] ?? '';
    const mappings = Object.entries(settings.pathMappings ?? {})
      .filter(([from, to]) => typeof from === 'string' && typeof to === 'string')
      .map(([from, to]): [string, string] => [from, to.replace(/\$\{workspaceFolder\}/g, folder)]);
    const days = settings.certificates?.expiryWarningDays;
    workspace.settings = { pathMappings: mappings, expiryWarningDays: typeof days === 'number' && days >= 0 ? days : 30 };
  }

  async function loadSettings(): Promise<void> {
    if (!configurationRequests) return;
    applySettings(await connection.workspace.getConfiguration('nginx-ls'));
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    // Clients that can pull (VS Code) ask when they need diagnostics; others (Neovim 0.7) get pushes.
    pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
    configurationRequests = caps.workspace?.configuration === true;
    const roots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.rootUri ? [params.rootUri] : [])
      .filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    workspaceRoots = [...new Set(roots)];
    workspace.setCandidates(findConfigFiles(workspaceRoots));
    yamlFiles = findConfigFiles(workspaceRoots, 5000, isYamlPath);
    const init = params.initializationOptions as (Partial<Settings> & { snippetCommand?: boolean }) | undefined;
    applySettings(init);
    snippetCommand = init?.snippetCommand === true;
    snippetSupport = caps.textDocument?.completion?.completionItem?.snippetSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ['$', '/', '"'] },
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: true, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'nginx-ls' },
    };
  });

  connection.onInitialized(() => {
    if (configurationRequests) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nginx-ls' }).catch(() => undefined);
      void loadSettings().then(refreshAll, () => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    if (configurationRequests) void loadSettings().then(refreshAll, () => undefined);
    else {
      applySettings((change.settings as { 'nginx-ls'?: Partial<Settings> } | undefined)?.['nginx-ls']);
      refreshAll();
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) if (change.uri.startsWith('file:')) host.invalidate(fileURLToPath(change.uri));
    workspace.invalidate();
    manifestWorkspace?.invalidate();
    refreshAll();
  });

  documents.onDidOpen(({ document }) => {
    if (!handled(document)) return;
    openedVersions.set(document.uri, document.version);
    const file = filePath(document.uri);
    host.overlay.set(file, document.getText());
    if (isYaml(document)) manifests().addCandidate(file); else workspace.addCandidate(file);
    if (!pullDiagnostics) schedule(document, 0);
  });

  documents.onDidChangeContent(({ document }) => {
    if (!handled(document)) return;
    // TextDocuments reports the opening text as a change too; onDidOpen has handled that one, and
    // debouncing it would hold the first diagnostics back.
    if (openedVersions.get(document.uri) === document.version) return;
    host.overlay.set(filePath(document.uri), document.getText());
    // Includes may have changed, and other open files may be part of the same configuration.
    if (isYaml(document)) manifests().invalidate(); else workspace.invalidate();
    if (pullDiagnostics) return;
    schedule(document, 150);
    for (const other of documents.all()) if (other.uri !== document.uri) schedule(other, 300);
  });

  documents.onDidClose(({ document }) => {
    openedVersions.delete(document.uri);
    host.overlay.delete(filePath(document.uri));
    // The file reads from disk again: analyses that used the buffer are stale.
    if (isYaml(document)) manifestWorkspace?.invalidate(); else workspace.invalidate();
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    if (handled(document)) refreshAll(); // documents that include it see the disk's text again
  });

  connection.languages.diagnostics.on((params, token) => runSafe('diagnostics', token, () => {
    const document = documents.get(params.textDocument.uri);
    return { kind: DocumentDiagnosticReportKind.Full, items: document ? diagnose(document) : [] } as const;
  }, { kind: DocumentDiagnosticReportKind.Full, items: [] } as const));

  connection.onHover((params, token) => runSafe('hover', token, (): Hover | null => {
    const document = documents.get(params.textDocument.uri);
    if (document && isYaml(document)) {
      const yaml = manifests().analyze(filePath(document.uri));
      const result = yaml && ingress().ingressHover(yaml.manifests, yaml.analysis, document.offsetAt(params.position));
      return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: { start: document.positionAt(result.start), end: document.positionAt(result.end) } } : null;
    }
    if (!document || document.languageId !== 'nginx') return null;
    const tree = treeOf(document);
    if (!tree) return null;
    const file = filePath(document.uri);
    const analysis = workspace.analysisFor(file);
    const sites = analysis.tlsSites.filter((s) => s.file === file);
    const certificates = analysis.certificateUses.filter((u) => u.file === file);
    const result = hover(tree, document.offsetAt(params.position), sites, describeSetting, certificates, new Date());
    if (!result) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: result.markdown },
      range: { start: document.positionAt(result.start), end: document.positionAt(result.end) },
    };
  }, null));

  connection.onDocumentSymbol((params, token) => runSafe('symbols', token, (): DocumentSymbol[] => {
    const document = documents.get(params.textDocument.uri);
    const tree = document && treeOf(document);
    if (!tree || !document) return [];
    const convert = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      detail: s.detail,
      kind: SYMBOL_KIND[s.kind],
      range: { start: document.positionAt(s.range.start), end: document.positionAt(s.range.end) },
      selectionRange: { start: document.positionAt(s.selection.start), end: document.positionAt(s.selection.end) },
      children: s.children.map(convert),
    });
    return outline(tree).map(convert);
  }, []));

  connection.onFoldingRanges((params, token) => runSafe('folding', token, (): FoldingRange[] => {
    const document = documents.get(params.textDocument.uri);
    const tree = document && treeOf(document);
    if (!tree || !document) return [];
    return foldingRanges(tree)
      .map((r) => ({ startLine: document.positionAt(r.start).line, endLine: document.positionAt(r.end).line - 1 }))
      .filter((r) => r.endLine > r.startLine);
  }, []));

  function describeSetting(e: { setting?: { file: string; directive: { start: number } } }): string {
    if (!e.setting) return 'nginx default';
    const text = host.readConfig(e.setting.file);
    const line = text.kind === 'text' ? text.text.slice(0, e.setting.directive.start).split('\n').length : 0;
    return `${path.basename(e.setting.file)}:${line}`;
  }

  connection.onCodeAction((params, token) => runSafe('code actions', token, (): CodeAction[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !handled(document)) return [];
    const text = document.getText();
    const fixesFor = isYaml(document) ? ingress().ingressQuickFixes : quickFixes;
    const out: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'nginx-ls' || typeof diagnostic.code !== 'string') continue;
      const ref = { code: diagnostic.code, start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end), data: diagnostic.data as Record<string, unknown> | undefined };
      for (const fix of fixesFor(text, ref)) {
        const toLsp = (e: { start: number; end: number; newText: string }) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.newText });
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred };
        if (fix.snippetEdits && snippetCommand) {
          action.command = { title: fix.title, command: 'nginx-ls.insertSnippet', arguments: [document.uri, fix.snippetEdits.map(toLsp)] };
        } else {
          action.edit = { changes: { [document.uri]: fix.edits.map(toLsp) } };
        }
        out.push(action);
      }
    }
    return out;
  }, []));

  connection.onCompletion((params, token) => runSafe('completion', token, (): CompletionItem[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const offset = document.offsetAt(params.position);
    let entries: CompletionEntry[];
    if (isYaml(document)) {
      const parsed = manifests().manifests(filePath(document.uri));
      entries = parsed ? ingress().ingressCompletions(parsed, offset) : [];
    } else {
      const tree = treeOf(document);
      if (!tree) return [];
      const file = filePath(document.uri);
      const placement = workspace.analysisFor(file).placements.get(file);
      entries = completions(tree, offset, placement?.contexts ?? declaredContexts(tree.text) ?? PERMISSIVE_CONTEXTS);
    }
    return entries.map((c) => ({
      label: c.label,
      kind: c.kind === 'directive' ? CompletionItemKind.Keyword : c.kind === 'variable' ? CompletionItemKind.Variable
        : c.kind === 'annotation' ? CompletionItemKind.Property : c.kind === 'value' ? CompletionItemKind.Value : CompletionItemKind.Snippet,
      detail: c.detail,
      insertTextFormat: c.snippet && snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: {
        range: { start: document.positionAt(c.start), end: document.positionAt(c.end) },
        newText: c.snippet && !snippetSupport ? expandSnippet(c.insertText) : c.insertText,
      },
    }));
  }, []));

  /** The parsed tree of an open document, parsed once per version through the workspace cache. */
  function treeOf(document: TextDocument) {
    if (document.languageId !== 'nginx') return undefined;
    const file = filePath(document.uri);
    const cached = workspace.cache.get(file);
    if (cached && cached.text === document.getText()) return cached;
    return workspace.analysisFor(file).files.get(file);
  }

  documents.listen(connection);
  connection.listen();
}

// Keep the process alive whatever a handler or a file does; the error is logged, not fatal.
process.on('uncaughtException', (e) => console.error(`nginx-ls: uncaught ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => console.error(`nginx-ls: unhandled rejection ${String(e)}`));

startServer(createConnection(ProposedFeatures.all));
