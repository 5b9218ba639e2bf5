/**
 * The nginx mode: configs analysed as a workspace (a partial file inside the main config that
 * includes it), through the nginx half of the language service.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalysisOptions, CompletionEntry, ConfigAnalysis, ConfigFile, ConfigHost, ConfigWorkspace, ContextKey, Effective, NavigationIndex,
  PERMISSIVE_CONTEXTS, WorkspaceSymbolEntry, blocksAround, certificateExpiryHints, contextsOf, completionDocumentation, completions,
  declaredContexts,
  dumpFoldingRanges, dumpOutline, embeddedAt, foldingRanges, formatDocument, formatOnType, formatRange, hover, lineOf, looksLikeDump,
  loadReference, unloadReference, navigationIndex, outline, parseConfig, quickFixes, shifted, signatureHelp, workspaceSymbols,
} from '../../service/nginx';
import { filePath } from '../convert';
import { forgetModule } from '../memory';
import { changedSince, lengthOf, textBetween } from '../piece-document';
import { EditMap, editMap, editMapOf, rangeForward } from './edit-map';
import type { LanguageMode } from './mode';

export interface NginxMode extends LanguageMode {
  /** Settings-derived options for every analysis. */
  configure(options: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays' | 'prefix' | 'flavor' | 'nginxVersion' | 'rules'>): void;
  /** The analysis a file is seen in (its main configuration's), for where-is-this-file answers. */
  analysisFor(file: string): ConfigAnalysis;
  /** Whether the file is a main configuration or included by one (a `.conf` file that is not nginx is neither). */
  inConfiguration(file: string): boolean;
  /** What navigation in a document answers from (../navigation.ts): the symbol index of its analysis. */
  navigation(document: TextDocument): DocumentNavigation | undefined;
  /** The server names, upstreams and named locations of the workspace that match `query`, with their files' texts. */
  workspaceSymbols(query: string): { entries: WorkspaceSymbolEntry[]; textOf(file: string): string | undefined };
  /** How many analyses were made since the start (for the `nginx-ls/retained` debug request). */
  analysesMade(): number;
  /**
   * The first diagnostics are out: the nginx reference (hover and completion text) loads soon after,
   * not with the first hover. Only the thread that answers hovers asks (not the analysis thread).
   */
  preloadReference(): void;
  /** Nothing is open: the nginx reference is let go until the next diagnostics. */
  releaseReference(): void;
  /** The file analysed once more, for V8 to optimise the analysis, in a scratch workspace: nothing kept changes (../warm-up.ts). */
  warmUp(file: string): void;
}

export interface DocumentNavigation {
  file: string;
  tree: ConfigFile;
  index: NavigationIndex;
  /** The text of any file of the analysis, as analysed. */
  textOf(file: string): string | undefined;
}

/** Files up to this size are analysed afresh for a hover (a few ms); larger ones answer from the last analysis. */
const QUICK_HOVER_CHARS = 64 * 1024;
/** How long analyses kept across edits may judge certificates at the time they were first made. */
const REJUDGE_AFTER_MS = 3_600_000;

/**
 * The nginx reference (hover and completion text) is loaded once the first diagnostics are out,
 * not by the first hover, which would wait ~60-90 ms for it (bench section 7: hover p95 50-80 ms on
 * the 50,000-line config, all of it the first hover). Two turns of the event loop on: the answer the
 * diagnosis is for is written in a setImmediate queued after this one (vscode-jsonrpc's write lock),
 * whether it is pushed or pulled.
 */
let referenceScheduled = false;
function preloadReference(): void {
  if (referenceScheduled) return;
  referenceScheduled = true;
  setImmediate(() => setImmediate(loadReference));
}

/** The reference is dropped (nothing is open: ~4 MB given back); the next diagnostics load it again. */
function releaseReference(): void {
  unloadReference();
  forgetModule('reference-lib.js');
  referenceScheduled = false;
}

export function nginxMode(host: ConfigHost): NginxMode {
  const workspace = new ConfigWorkspace(host);
  /** The workspace's parsed files for workspace symbols, until something changes. */
  let symbolFiles: Map<string, ConfigFile> | undefined;
  /**
   * Analyses are cached until something changes; certificates in them are judged at the time the
   * cache was last emptied, which is when the server reads the clock for them. (Setting the
   * workspace's settings empties its cache, so this is done only where it is emptied anyway.)
   */
  const judgeFromNow = (options = workspace.settings): void => {
    workspace.settings = { ...options, now: new Date() };
  };

  /**
   * The last analysis made, for completion and signature help while typing: each keystroke empties
   * the workspace's cache, and analysing a large configuration again before every completion would
   * cost more than the answer. The diagnostics that follow each edit make a fresh one; completion
   * meanwhile sees the configuration as it was one edit ago, and the buffer itself as it is now.
   */
  let lastAnalysis: ConfigAnalysis | undefined;
  const analysisOf = (file: string): ConfigAnalysis => (lastAnalysis = workspace.analysisFor(file));
  const editingAnalysis = (file: string): ConfigAnalysis => (lastAnalysis?.files.has(file) ? lastAnalysis : analysisOf(file));

  /** The map between the text the last analysis read of a file and a buffer, for the text and the version it was made for. */
  let lastMap: { analysed: string; document: TextDocument; version: number; map: EditMap } | undefined;
  const mapFor = (analysed: string, document: TextDocument): EditMap => {
    if (lastMap?.analysed === analysed && lastMap.document === document && lastMap.version === document.version) return lastMap.map;
    const changed = changedSince(document, analysed);
    const map = changed ? editMapOf(analysed, changed) : editMap(analysed, document.getText());
    lastMap = { analysed, document, version: document.version, map };
    return map;
  };
  const dropLast = (): void => {
    lastAnalysis = undefined;
    lastMap = undefined;
  };

  /**
   * A large file's last analysis with `offset` moved into the text it read: hover and completion
   * answer from it while the file is typed in (neither analysing nor parsing the buffer again), and
   * their ranges move back into the buffer. Undefined for small files (analysed afresh in a few ms),
   * for dumps, and on the lines edited since that analysis, where the buffer itself must be read.
   */
  function lastAnalysisAt(document: TextDocument, offset: number) {
    const last = largeFileAnalysis(document);
    if (!last) return undefined;
    const { file, analysis, tree, map } = last;
    const local = map.back(offset);
    return local === undefined ? undefined : { file, analysis, tree, offset: local, map };
  }

  /**
   * On the lines of a large file edited since its last analysis, those lines parsed alone (a few
   * characters, where parsing the buffer would cost tens of ms on every key), their top level in the
   * contexts of the blocks around them in that analysis' tree. `shift` moves the fragment's offsets
   * into the buffer's. Undefined elsewhere, and where `lastAnalysisAt` does not apply.
   */
  function editedLinesAt(document: TextDocument, offset: number) {
    const last = largeFileAnalysis(document);
    if (!last) return undefined;
    const { file, analysis, tree, map } = last;
    const edited = map.editedAt(offset);
    if (!edited) return undefined;
    const fragment = parseConfig(textBetween(document, edited.start, edited.end));
    const rootContexts = contextsOf(blocksAround(tree.children, edited.from), rootContextsOf(analysis, file, tree.text));
    return { analysis, fragment, offset: offset - edited.start, rootContexts, shift: edited.start };
  }

  /** A large file's last analysis and how the buffer differs from the text it read (both above). */
  function largeFileAnalysis(document: TextDocument) {
    // The buffer is not read whole here: on a large file that would join its pieces on every keystroke.
    if (lengthOf(document) <= QUICK_HOVER_CHARS) return undefined;
    const file = filePath(document.uri);
    const analysis = editingAnalysis(file);
    const tree = analysis.files.get(file);
    if (!tree || analysis.dump) return undefined;
    return { document, file, analysis, tree, map: mapFor(tree.text, document) };
  }

  /** Whether the lines of a large file edited since its last analysis match `pattern`, as they were or as they are. */
  function editedLinesName(last: { document: TextDocument; tree: ConfigFile; map: EditMap }, pattern: RegExp): boolean {
    return last.map.edited.some((lines) => pattern.test(last.tree.text.slice(lines.from, lines.to))
      || pattern.test(textBetween(last.document, lines.start, lines.end)));
  }

  /** The buffer's tree as it is now, parsed once per text and left where the next analysis finds it. */
  function currentTree(document: TextDocument): ConfigFile {
    const file = filePath(document.uri);
    const text = document.getText();
    const cached = workspace.cache.get(file);
    if (cached && cached.text === text) return cached;
    const tree = parseConfig(text);
    workspace.cache.set(file, tree);
    return tree;
  }

  /**
   * Where a setting in effect comes from, for hovers: "nginx.conf:12" or "nginx default"; in an
   * `nginx -T` dump, "site.conf:12, dump line 40". `dumpLine` is the dump's line of the file's first.
   */
  const describeSetting = (analysis: ConfigAnalysis, dumpLine?: (file: string) => number | undefined) => (e: Effective): string => {
    if (!e.setting) return 'nginx default';
    const text = analysis.files.get(e.setting.file)?.text;
    const line = text === undefined ? 0 : lineOf(text, e.setting.directive.start);
    const first = dumpLine?.(e.setting.file);
    return `${path.basename(e.setting.file)}:${line}${first === undefined ? '' : `, dump line ${first + line - 1}`}`;
  };

  /** The analysis of a document that is an `nginx -T` dump; no other is analysed for asking (outline and folding need no analysis). */
  function dumpAnalysisOf(document: TextDocument): ConfigAnalysis | undefined {
    return looksLikeDump(document.getText()) ? workspace.analysisFor(filePath(document.uri)) : undefined;
  }

  /**
   * An editor feature in an `nginx -T` dump: asked of the embedded file at `offset`, in its own
   * offsets (`local`), and its answer moved back into the dump's (`shift`). Undefined outside a dump.
   */
  function inDump(analysis: ConfigAnalysis, document: TextDocument, offset: number) {
    const dump = analysis.dump;
    const at = dump && embeddedAt(dump, offset);
    if (!dump || !at) return undefined;
    const inner = dump.analysis;
    const text = document.getText();
    return {
      file: at.path, local: offset - at.start, inner, tree: inner.files.get(at.path),
      shift: <T extends { start: number; end: number }>(r: T): T => shifted(r, at.start),
      describe: describeSetting(inner, (file) => {
        const embedded = dump.files.find((f) => f.path === file);
        return embedded && lineOf(text, embedded.start);
      }),
    };
  }

  return {
    id: 'nginx',
    configure(options) {
      dropLast(); // another flavor or release changes what completion may offer at once
      judgeFromNow(options);
    },
    analysisFor: (file) => workspace.analysisFor(file),
    inConfiguration: (file) => workspace.mainOf(file) !== undefined,
    setCandidates(files) {
      symbolFiles = undefined;
      workspace.setCandidates(files);
    },
    addCandidate(file, kept) {
      symbolFiles = undefined;
      workspace.addCandidate(file, kept);
    },
    invalidate() {
      symbolFiles = undefined;
      dropLast(); // a file on disk or a setting changed: not only the buffer being typed
      judgeFromNow();
      workspace.invalidate();
    },
    changed(file) {
      symbolFiles = undefined;
      // Analyses that survive an edit keep the time they judge certificates at; an hour on, all are made again.
      const judgedAt = workspace.settings.now?.getTime() ?? 0;
      if (Date.now() - judgedAt > REJUDGE_AFTER_MS) judgeFromNow();
      workspace.changed(file);
    },
    forget(file) {
      symbolFiles = undefined;
      if (lastAnalysis?.files.has(file)) dropLast();
      workspace.forget(file);
    },
    retained: () => workspace.retained(),
    analysesMade: () => workspace.analysesMade,
    preloadReference,
    releaseReference,
    warmUp(file) {
      const scratch = new ConfigWorkspace(host);
      scratch.settings = workspace.settings;
      scratch.analysisFor(file);
    },
    navigation(document) {
      const file = filePath(document.uri);
      const analysis = workspace.analysisFor(file);
      const tree = analysis.files.get(file);
      if (!tree || tree.text !== document.getText()) return undefined;
      return { file, tree, index: navigationIndex(analysis), textOf: (f) => analysis.files.get(f)?.text };
    },
    workspaceSymbols(query) {
      const files = (symbolFiles ??= workspace.parsedFiles());
      return { entries: workspaceSymbols(files, query), textOf: (f) => files.get(f)?.text };
    },
    diagnose(document) {
      const file = filePath(document.uri);
      return analysisOf(file).findings.filter((f) => f.file === file);
    },
    hover(document, offset, now) {
      const file = filePath(document.uri);
      const ofFile = <T extends { file: string }>(list: readonly T[], f: string) => list.filter((x) => x.file === f);
      const last = lastAnalysisAt(document, offset);
      if (last) {
        const { analysis, tree } = last;
        const found = hover(tree, last.offset, ofFile(analysis.tlsSites, file), describeSetting(analysis),
          ofFile(analysis.certificateUses, file), now, ofFile(analysis.findings, file));
        const moved = found && rangeForward(last.map, found);
        if (!found || moved) return moved;
      }
      const edited = editedLinesAt(document, offset);
      if (edited) {
        // The analysis read other text here: the reference alone, as for a buffer analysed under another text.
        const found = hover(edited.fragment, edited.offset, [], describeSetting(edited.analysis), [], now, []);
        return found && shifted(found, edited.shift);
      }
      if (!looksLikeDump(document.getText())) {
        // A large file is never analysed again for a hover while it is typed in: the last analysis is
        // used with the buffer parsed as it is now. When that analysis read another text of the file,
        // its offsets are off, and the hover gives the reference alone until the diagnostics catch up.
        const tree = currentTree(document);
        const analysis = tree.text.length > QUICK_HOVER_CHARS ? editingAnalysis(file) : analysisOf(file);
        if (analysis.files.get(file)?.text !== tree.text) return hover(tree, offset, [], describeSetting(analysis), [], now, []);
        return hover(tree, offset, ofFile(analysis.tlsSites, file), describeSetting(analysis), ofFile(analysis.certificateUses, file), now,
          ofFile(analysis.findings, file));
      }
      const analysis = workspace.analysisFor(file);
      if (analysis.dump) {
        const d = inDump(analysis, document, offset);
        if (!d?.tree) return undefined;
        const found = hover(d.tree, d.local, ofFile(d.inner.tlsSites, d.file), d.describe, ofFile(d.inner.certificateUses, d.file), now,
          ofFile(d.inner.findings, d.file));
        return found && d.shift(found);
      }
      return hover(currentTree(document), offset, ofFile(analysis.tlsSites, file), describeSetting(analysis),
        ofFile(analysis.certificateUses, file), now, ofFile(analysis.findings, file));
    },
    symbols(document) {
      const dump = dumpAnalysisOf(document);
      if (dump?.dump) return dumpOutline(dump.dump);
      return outline(currentTree(document));
    },
    folding(document) {
      const dump = dumpAnalysisOf(document);
      const dumpTree = dump?.files.get(dump.main);
      if (dump?.dump && dumpTree) return dumpFoldingRanges(dump.dump, dumpTree);
      return foldingRanges(currentTree(document));
    },
    quickFixes,
    completion(document, offset) {
      const file = filePath(document.uri);
      const last = lastAnalysisAt(document, offset);
      if (last) {
        const entries = completions(last.tree, last.offset, {
          rootContexts: rootContextsOf(last.analysis, file, last.tree.text), analysis: last.analysis, host,
          pathMappings: workspace.settings.pathMappings,
        });
        const moved = entries.map((entry) => rangeForward(last.map, entry));
        if (moved.every((entry) => entry !== undefined)) return moved as CompletionEntry[];
      }
      const edited = editedLinesAt(document, offset);
      if (edited) {
        return completions(edited.fragment, edited.offset, {
          rootContexts: edited.rootContexts, analysis: edited.analysis, host, pathMappings: workspace.settings.pathMappings,
        }).map((entry) => shifted(entry, edited.shift));
      }
      const analysis = editingAnalysis(file);
      if (analysis.dump) {
        const d = inDump(analysis, document, offset);
        const contexts = d && d.inner.placements.get(d.file)?.contexts;
        return d?.tree && contexts ? completions(d.tree, d.local, { rootContexts: contexts, analysis: d.inner }).map(d.shift) : [];
      }
      const tree = currentTree(document);
      return completions(tree, offset, {
        rootContexts: rootContextsOf(analysis, file, tree.text), analysis, host, pathMappings: workspace.settings.pathMappings,
      });
    },
    completionDocumentation,
    signatureHelp(document, offset) {
      const last = lastAnalysisAt(document, offset);
      if (last) return signatureHelp(last.tree, last.offset, rootContextsOf(last.analysis, last.file, last.tree.text));
      const edited = editedLinesAt(document, offset);
      if (edited) return signatureHelp(edited.fragment, edited.offset, edited.rootContexts);
      const tree = currentTree(document);
      const file = filePath(document.uri);
      return signatureHelp(tree, offset, rootContextsOf(editingAnalysis(file), file, tree.text));
    },
    inlayHints(document, now) {
      const file = filePath(document.uri);
      // Editors ask again after edits: a large file answers from its last analysis (an analysis of the
      // 50,000-line bench config is ~150 ms, and a hover would wait behind it), each hint moved into the
      // buffer. Only lines that name a certificate (every hinted directive's name says `certificate`)
      // have hints to lose or gain: an edit of those is analysed, as editors ask only once per edit.
      const last = largeFileAnalysis(document);
      if (last && !editedLinesName(last, /certificate/i)) {
        return certificateExpiryHints(last.analysis.certificateUses.filter((u) => u.file === file), now).flatMap((hint) => {
          const offset = last.map.forward(hint.offset);
          return offset === undefined ? [] : [{ ...hint, offset }];
        });
      }
      const analysis = analysisOf(file);
      const dump = analysis.dump;
      if (dump) {
        return dump.files.flatMap((f) => certificateExpiryHints(dump.analysis.certificateUses.filter((u) => u.file === f.path), now)
          .map((h) => ({ ...h, offset: h.offset + f.start })));
      }
      return certificateExpiryHints(analysis.certificateUses.filter((u) => u.file === file), now);
    },
    format(document, options, range) {
      const tree = currentTree(document);
      return range ? formatRange(tree, range, options) : formatDocument(tree, options);
    },
    formatOnType: (document, offset, ch, options) => formatOnType(currentTree(document), offset, ch, options),
  };
}

/** The contexts at the top level of a file: where the configuration includes it, else where it says, else anywhere. */
function rootContextsOf(analysis: ConfigAnalysis, file: string, text: string): readonly ContextKey[] {
  return analysis.placements.get(file)?.contexts ?? declaredContexts(text) ?? PERMISSIVE_CONTEXTS;
}
