/**
 * The LSP edge: language-service results (offsets, plain records) become LSP data (line/character
 * positions, kinds, code actions) here and nowhere else, for the server and the CLI alike.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, CompletionList, Diagnostic, DiagnosticSeverity, DiagnosticTag,
  DocumentHighlight, DocumentHighlightKind, DocumentLink, DocumentSymbol, FoldingRange, Hover, InlayHint, InsertTextFormat, Location,
  LocationLink, MarkupKind, Range, SignatureHelp, SymbolInformation, SymbolKind, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionDocumentationRef, CompletionEntry, ContextKey, DefinitionAnswer, DiagnosticRef, DocumentLinkEntry, FileEdit, Finding, Highlight,
  HoverResult, InlayHintEntry, NavigationRange, OffsetRange, OutlineSymbol, QuickFix, Rule, RuleSettings, Severity,
  SignatureHelpResult, WorkspaceSymbolEntry, effectiveSeverity, expandSnippet, ruleById, ruleDocsUrl,
} from '../service/nginx';
import type { Refactoring } from './modes/mode';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SEVERITY_NAME: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** Most diagnostics published for one file. */
export const MAX_DIAGNOSTICS = 1000;

const SYMBOL_KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  namespace: SymbolKind.Namespace, module: SymbolKind.Module, class: SymbolKind.Class,
  function: SymbolKind.Function, variable: SymbolKind.Variable, field: SymbolKind.Field,
};

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  directive: CompletionItemKind.Keyword, variable: CompletionItemKind.Variable, annotation: CompletionItemKind.Property,
  value: CompletionItemKind.Value, snippet: CompletionItemKind.Snippet, file: CompletionItemKind.File, folder: CompletionItemKind.Folder,
  reference: CompletionItemKind.Reference,
};

/** The command our VS Code client registers to insert edits with tab stops (client/src/extension.ts). */
export const INSERT_SNIPPET_COMMAND = 'nginx-ls.insertSnippet';

/**
 * The local path a `file:` URI names; undefined for other schemes and for file URIs that name no
 * path here (a host, as a Windows UNC path `file://server/share/…` on POSIX; an encoded slash).
 */
export function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * The file a document URI names; documents without a local file (untitled:, other schemes, file URIs
 * with no local path) get a path of their own that no file has, and are analysed as untitled buffers.
 */
export function filePath(uri: string): string {
  return localPath(uri) ?? `/untitled/${encodeURIComponent(uri)}`;
}

/** The URI of a file as an analysis names it: the inverse of filePath (an untitled document gets its own URI back). */
export function fileUri(file: string): string {
  return file.startsWith('/untitled/') ? decodeURIComponent(file.slice('/untitled/'.length)) : pathToFileURL(file).href;
}

/** Documents for positions in files that are not open, by path; made once per text (a line table is their cost). */
const textDocuments = new Map<string, TextDocument>();

/** A document over a file's text (another file of a configuration), for its line/character positions. */
export function documentOfText(file: string, text: string): TextDocument {
  const known = textDocuments.get(file);
  if (known && known.getText() === text) return known;
  if (textDocuments.size >= 256) textDocuments.clear();
  const document = TextDocument.create(fileUri(file), 'nginx', 0, text);
  textDocuments.set(file, document);
  return document;
}

/** The document positions in a file are read from; undefined for a file whose text is unknown. */
export type DocumentOf = (file: string) => TextDocument | undefined;

export function toRange(document: TextDocument, range: OffsetRange): Range {
  return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

const TAG: Record<NonNullable<Rule['tags']>[number], DiagnosticTag> = {
  deprecated: DiagnosticTag.Deprecated, unnecessary: DiagnosticTag.Unnecessary,
};

/**
 * What of a finding's data an editor is sent: all but what only the hover reads (`exploit`, `effective`),
 * which the hover takes from the analysis. The data comes back only with code actions, whose fixes never
 * read those; and one `effective` list (the servers sharing a socket) can make most of a large file's
 * publication: 640 KB and 13 ms of JSON on every keystroke in the 50,000-line bench config.
 */
function withoutHoverData(data: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!('exploit' in data) && !('effective' in data)) return data;
  const { exploit: _exploit, effective: _effective, ...rest } = data;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * The findings of one file as LSP diagnostics, with rule severities applied and "off" rules dropped.
 * Each carries the link to its rule's page (`codeDescription`) and the rule's tags. Both are sent
 * whatever the client declares (`codeDescriptionSupport`, `tagSupport`): LSP clients ignore
 * properties they do not know, and the CLI's JSON and SARIF read the same diagnostics (`forEditor`:
 * the data without what only the hover reads).
 */
export function toDiagnostics(findings: readonly Finding[], document: TextDocument, settings: RuleSettings,
  forEditor = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const severity = effectiveSeverity(f, settings);
    if (!severity) continue;
    const diagnostic: Diagnostic = {
      range: toRange(document, f), severity: SEVERITY[severity], code: f.code, source: 'nginx-ls', message: f.message,
    };
    const rule = ruleById(f.code);
    if (rule) diagnostic.codeDescription = { href: ruleDocsUrl(rule.id) };
    if (rule?.tags) diagnostic.tags = rule.tags.map((t) => TAG[t]);
    const data = f.data && forEditor ? withoutHoverData(f.data) : f.data;
    if (data) diagnostic.data = data;
    out.push(diagnostic);
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (out.length <= MAX_DIAGNOSTICS) return out;
  // A file that is not nginx at all can yield one problem per character; the first ones tell the story.
  const shown = out.slice(0, MAX_DIAGNOSTICS);
  shown.push({ range: out[MAX_DIAGNOSTICS].range, severity: DiagnosticSeverity.Information, source: 'nginx-ls', code: 'syntax',
    message: `${out.length - MAX_DIAGNOSTICS} more problems are not shown` });
  return shown;
}

export function toHover(result: HoverResult | undefined, document: TextDocument): Hover | null {
  return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(document, result) } : null;
}

/** Hints inside `range` (the part of the document the editor shows), padded off the path they follow. */
export function toInlayHints(entries: readonly InlayHintEntry[], document: TextDocument, range: Range): InlayHint[] {
  const start = document.offsetAt(range.start), end = document.offsetAt(range.end);
  return entries.filter((e) => e.offset >= start && e.offset <= end)
    .map((e) => ({ position: document.positionAt(e.offset), label: e.label, tooltip: e.tooltip, paddingLeft: true }));
}

export function toDocumentSymbols(symbols: readonly OutlineSymbol[], document: TextDocument): DocumentSymbol[] {
  const convert = (s: OutlineSymbol): DocumentSymbol => ({
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(document, s.range),
    selectionRange: toRange(document, s.selection),
    children: s.children.map(convert),
  });
  return symbols.map(convert);
}

/** Blocks as line spans; the closing line stays visible, so a block on one or two lines does not fold. */
export function toFoldingRanges(ranges: readonly OffsetRange[], document: TextDocument): FoldingRange[] {
  return ranges
    .map((r) => ({ startLine: document.positionAt(r.start).line, endLine: document.positionAt(r.end).line - 1 }))
    .filter((r) => r.endLine > r.startLine);
}

/**
 * A documentation lookup named by the item's label: a directive's name is its label, a variable's its
 * label after the `$`. One such reference serves a whole list (`CompletionList.itemDefaults.data`).
 */
export type LabelDocumentationRef = { byLabel: 'directive'; context?: ContextKey } | { byLabel: 'variable' };

/** What a completion item carries for completionItem/resolve: the mode that made it and what to look up, if anything. */
export interface CompletionItemData { mode: string; documentation?: CompletionDocumentationRef | LabelDocumentationRef }

/** What the client takes as `CompletionList.itemDefaults` (LSP 3.17; VS Code lists all three). */
export interface CompletionDefaultsSupport { editRange: boolean; insertTextFormat: boolean; data: boolean }

/** The client's `completionList.itemDefaults` capability as the defaults this server uses. */
export function completionDefaultsSupport(names: readonly string[] | undefined): CompletionDefaultsSupport {
  const listed = new Set(names ?? []);
  return { editRange: listed.has('editRange'), insertTextFormat: listed.has('insertTextFormat'), data: listed.has('data') };
}

/** The entry's documentation reference by its label where the label names it, for data a list can share. */
function byLabel(c: CompletionEntry): CompletionDocumentationRef | LabelDocumentationRef | undefined {
  const ref = c.documentation;
  if (!ref) return undefined;
  if ('directive' in ref) return ref.directive === c.label ? { byLabel: 'directive', context: ref.context } : ref;
  return `$${ref.variable}` === c.label ? { byLabel: 'variable' } : ref;
}

/** The value most of `values` share (compared by `key`), with its key; undefined for an empty list. */
function mostCommon<T>(values: readonly T[], key: (value: T) => string) {
  const counts = new Map<string, number>();
  let best: { value: T; key: string; count: number } | undefined;
  for (const value of values) {
    const k = key(value);
    const count = (counts.get(k) ?? 0) + 1;
    counts.set(k, count);
    if (count > (best?.count ?? 0)) best = { value, key: k, count };
  }
  return best;
}

/**
 * Snippet entries keep their tab stops for clients that take snippets; others get the default text.
 * Documentation that needs looking up is left for completionItem/resolve (`data`): a list of a few
 * hundred directives is sent without it.
 *
 * For a client that takes `itemDefaults` (`defaults`), what most items share is said once for the
 * list: the range they replace (an item then carries `textEditText` only where its text is not its
 * label), the insert format, and the data for resolve (a directive list's `{ byLabel, context }`).
 * At `proxy_pass http://` in the 50,000-line bench config that is 734 items in 53 KB instead of 155.
 */
export function toCompletionItems(entries: readonly CompletionEntry[], document: TextDocument, snippetSupport: boolean,
  mode = 'nginx', defaults?: CompletionDefaultsSupport): CompletionItem[] | CompletionList {
  const format = (c: CompletionEntry) => (c.snippet && snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText);
  const newText = (c: CompletionEntry) => (c.snippet && !snippetSupport ? expandSnippet(c.insertText) : c.insertText);
  // Entries of one list mostly replace the same word: each range is converted once.
  const ranges = new Map<string, Range>();
  const rangeOf = (c: CompletionEntry): Range => {
    const key = `${c.start}:${c.end}`;
    let range = ranges.get(key);
    if (!range) ranges.set(key, (range = toRange(document, c)));
    return range;
  };
  const withDetails = (item: CompletionItem, c: CompletionEntry): CompletionItem => {
    if (c.detail !== undefined) item.detail = c.detail;
    if (c.filterText) item.filterText = c.filterText;
    if (c.markdown) item.documentation = { kind: MarkupKind.Markdown, value: c.markdown };
    return item;
  };
  if (!defaults || !(defaults.editRange || defaults.insertTextFormat || defaults.data)) {
    return entries.map((c) => {
      const item = withDetails({ label: c.label, kind: COMPLETION_KIND[c.kind] }, c);
      item.insertTextFormat = format(c);
      item.textEdit = { range: rangeOf(c), newText: newText(c) };
      if (c.documentation) item.data = { mode, documentation: c.documentation } satisfies CompletionItemData;
      return item;
    });
  }
  const itemDefaults: NonNullable<CompletionList['itemDefaults']> = {};
  const sharedRange = defaults.editRange ? mostCommon(entries, (c) => `${c.start}:${c.end}`) : undefined;
  if (sharedRange) itemDefaults.editRange = rangeOf(sharedRange.value);
  const sharedFormat = defaults.insertTextFormat ? mostCommon(entries.map(format), String) : undefined;
  if (sharedFormat) itemDefaults.insertTextFormat = sharedFormat.value;
  const data = entries.map((c): CompletionItemData | undefined => {
    const documentation = byLabel(c);
    return documentation && { mode, documentation };
  });
  const dataKeys = data.map((d) => (d ? JSON.stringify(d) : ''));
  const sharedData = defaults.data ? mostCommon(dataKeys, String) : undefined;
  if (sharedData?.key) itemDefaults.data = data[dataKeys.indexOf(sharedData.key)];
  const items = entries.map((c, i) => {
    const item = withDetails({ label: c.label, kind: COMPLETION_KIND[c.kind] }, c);
    if (!sharedFormat || format(c) !== sharedFormat.value) item.insertTextFormat = format(c);
    const text = newText(c);
    if (sharedRange && c.start === sharedRange.value.start && c.end === sharedRange.value.end) {
      if (text !== c.label) item.textEditText = text;
    } else {
      item.textEdit = { range: rangeOf(c), newText: text };
    }
    if (sharedData) {
      // An item's own data replaces the list's whole (no merge): one without documentation says so with `{ mode }`.
      if (dataKeys[i] !== sharedData.key) item.data = data[i] ?? { mode } satisfies CompletionItemData;
    } else if (c.documentation) {
      item.data = { mode, documentation: c.documentation } satisfies CompletionItemData;
    }
    return item;
  });
  return { isIncomplete: false, itemDefaults, items };
}

/**
 * The item with the documentation its data refers to, looked up by `lookup` (the mode's). The data is
 * the item's own or, from a client that took `itemDefaults`, the list's (the client puts it on the item).
 */
export function withDocumentation(item: CompletionItem, lookup: (ref: CompletionDocumentationRef) => string | undefined): CompletionItem {
  const data = item.data as Partial<CompletionItemData> | undefined;
  const ref = data?.documentation;
  let resolved: CompletionDocumentationRef | undefined;
  if (ref && 'byLabel' in ref) {
    resolved = ref.byLabel === 'directive' ? { directive: item.label, context: ref.context }
      : item.label.startsWith('$') ? { variable: item.label.slice(1) } : undefined;
  } else {
    resolved = ref;
  }
  const markdown = resolved && lookup(resolved);
  return markdown ? { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } } : item;
}

/**
 * Signature help with each parameter as offsets into its signature's label, for clients that take
 * offsets (`labelOffsetSupport`); others get the parameter's text, which may occur in the label twice.
 */
export function toSignatureHelp(result: SignatureHelpResult | undefined, labelOffsets: boolean): SignatureHelp | null {
  if (!result) return null;
  return {
    signatures: result.signatures.map((s) => ({
      label: s.label,
      documentation: { kind: MarkupKind.Markdown, value: s.documentation },
      parameters: s.parameters.map((p) => ({ label: labelOffsets ? [p.start, p.end] as [number, number] : s.label.slice(p.start, p.end) })),
    })),
    activeSignature: result.activeSignature,
    activeParameter: result.activeParameter < 0 ? undefined : result.activeParameter,
  };
}

/** Edits by offsets as LSP text edits. */
export function toTextEdits(edits: readonly (OffsetRange & { newText: string })[], document: TextDocument): TextEdit[] {
  return edits.map((e) => ({ range: toRange(document, e), newText: e.newText }));
}

/** A diagnostic the client sends back with a code-action request, by offsets; undefined for others' diagnostics. */
export function toDiagnosticRef(diagnostic: Diagnostic, document: TextDocument): DiagnosticRef | undefined {
  if (diagnostic.source !== 'nginx-ls' || typeof diagnostic.code !== 'string') return undefined;
  const data = diagnostic.data as Record<string, unknown> | undefined;
  return { code: diagnostic.code, start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end), data };
}

/**
 * The quick fixes for the client's diagnostics. A fix with tab stops goes through the client's
 * snippet command when it has one (LSP 3.17 code actions cannot carry tab stops), else as plain edits.
 */
export function toCodeActions(document: TextDocument, diagnostics: readonly Diagnostic[], fixesFor: (ref: DiagnosticRef) => QuickFix[],
  snippetCommand: boolean): CodeAction[] {
  const toEdit = (e: OffsetRange & { newText: string }): TextEdit => ({ range: toRange(document, e), newText: e.newText });
  const out: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const ref = toDiagnosticRef(diagnostic, document);
    if (!ref) continue;
    for (const fix of fixesFor(ref)) {
      const { title, isPreferred } = fix;
      const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred };
      if (fix.snippetEdits && snippetCommand) {
        const edits = fix.snippetEdits.map(toEdit);
        action.command = { title: fix.title, command: INSERT_SNIPPET_COMMAND, arguments: [document.uri, edits] };
      } else {
        action.edit = { changes: { [document.uri]: fix.edits.map(toEdit) } };
      }
      out.push(action);
    }
  }
  return out;
}

/** The server command that opens a file a code action wrote (window/showDocument). */
export const SHOW_DOCUMENT_COMMAND = 'nginx-ls.showDocument';
/** The client command that opens an unsaved document with the given text and language (client/src/extension.ts). */
export const OPEN_UNTITLED_COMMAND = 'nginx-ls.openUntitled';

/**
 * A computed document as a code action: an unsaved document where the client can open one (and the
 * setting asks for it), else a file written beside the source and then shown; undefined for a
 * client that can do neither.
 */
export function toRefactoringAction(refactoring: Refactoring, output: 'untitled' | 'files',
  client: { untitledCommand: boolean; createFiles: boolean; showDocument: boolean }): CodeAction | undefined {
  const { title, text, language, file } = refactoring;
  const kind = CodeActionKind.RefactorRewrite;
  if (output === 'untitled' && client.untitledCommand) {
    return { title, kind, command: { title, command: OPEN_UNTITLED_COMMAND, arguments: [text, language] } };
  }
  if (!client.createFiles) return undefined;
  const uri = fileUri(file);
  const action: CodeAction = {
    title, kind,
    edit: {
      documentChanges: [
        { kind: 'create', uri, options: { overwrite: true } },
        { textDocument: { uri, version: null }, edits: [{ range: Range.create(0, 0, 0, 0), newText: text }] },
      ],
    },
  };
  if (client.showDocument) action.command = { title, command: SHOW_DOCUMENT_COMMAND, arguments: [uri] };
  return action;
}

/**
 * Definitions as LocationLinks for clients that take them (the origin range makes the editor
 * underline `backend` in `http://backend/`, and the statement is what its peek shows), else as Locations.
 */
export function toDefinitions(answer: DefinitionAnswer, origin: TextDocument, documentOf: DocumentOf, links: boolean):
  LocationLink[] | Location[] {
  const out: (LocationLink | Location)[] = [];
  for (const target of answer.targets) {
    const document = documentOf(target.file);
    const uri = document?.uri ?? fileUri(target.file);
    const range = document ? toRange(document, target.range) : Range.create(0, 0, 0, 0);
    if (!links) { out.push({ uri, range }); continue; }
    out.push({
      originSelectionRange: toRange(origin, answer.origin), targetUri: uri, targetSelectionRange: range,
      targetRange: document ? toRange(document, target.statement) : range,
    });
  }
  return out as LocationLink[] | Location[];
}

export function toLocations(ranges: readonly NavigationRange[], documentOf: DocumentOf): Location[] {
  const out: Location[] = [];
  for (const r of ranges) {
    const document = documentOf(r.file);
    if (document) out.push({ uri: document.uri, range: toRange(document, r) });
  }
  return out;
}

export function toDocumentHighlights(highlights: readonly Highlight[], document: TextDocument): DocumentHighlight[] {
  return highlights.map((h) => ({ range: toRange(document, h), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

/** Edits across files: one entry per file, in `changes` (which every client that renames takes). */
export function toWorkspaceEdit(edits: readonly FileEdit[], documentOf: DocumentOf): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) {
    const document = documentOf(e.file);
    if (!document) continue;
    (changes[document.uri] ??= []).push({ range: toRange(document, e), newText: e.newText });
  }
  return { changes };
}

export function toDocumentLinks(links: readonly DocumentLinkEntry[], document: TextDocument): DocumentLink[] {
  return links.map((l) => ({ range: toRange(document, l), target: fileUri(l.target), tooltip: l.target }));
}

const WORKSPACE_SYMBOL_KIND: Record<WorkspaceSymbolEntry['kind'], SymbolKind> = {
  server: SymbolKind.Class, upstream: SymbolKind.Module, location: SymbolKind.Function,
};

export function toWorkspaceSymbols(entries: readonly WorkspaceSymbolEntry[], documentOf: DocumentOf): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const e of entries) {
    const document = documentOf(e.file);
    if (document) {
      const location = { uri: document.uri, range: toRange(document, e) };
      out.push({ name: e.name, kind: WORKSPACE_SYMBOL_KIND[e.kind], containerName: e.container, location });
    }
  }
  return out;
}
