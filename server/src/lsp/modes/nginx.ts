/**
 * The nginx mode: configs analysed as a workspace (a partial file inside the main config that
 * includes it), through the nginx half of the language service.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalysisOptions, ConfigAnalysis, ConfigHost, ConfigWorkspace, Effective, PERMISSIVE_CONTEXTS, certificateExpiryHints, completions,
  declaredContexts, dumpFoldingRanges, dumpOutline, embeddedAt, foldingRanges, hover, lineOf, looksLikeDump, outline, quickFixes,
  shifted,
} from '../../service/nginx';
import { filePath } from '../convert';
import type { LanguageMode } from './mode';

export interface NginxMode extends LanguageMode {
  /** Settings-derived options for every analysis. */
  configure(options: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays' | 'prefix' | 'flavor' | 'nginxVersion'>): void;
  /** The analysis a file is seen in (its main configuration's), for where-is-this-file answers. */
  analysisFor(file: string): ConfigAnalysis;
  /** Whether the file is a main configuration or included by one (a `.conf` file that is not nginx is neither). */
  inConfiguration(file: string): boolean;
}

export function nginxMode(host: ConfigHost): NginxMode {
  const workspace = new ConfigWorkspace(host);
  /**
   * Analyses are cached until something changes; certificates in them are judged at the time the
   * cache was last emptied, which is when the server reads the clock for them. (Setting the
   * workspace's settings empties its cache, so this is done only where it is emptied anyway.)
   */
  const judgeFromNow = (options = workspace.settings): void => {
    workspace.settings = { ...options, now: new Date() };
  };

  /** The parsed tree of an open document, parsed once per version through the workspace cache. */
  function treeOf(document: TextDocument) {
    const file = filePath(document.uri);
    const cached = workspace.cache.get(file);
    if (cached && cached.text === document.getText()) return cached;
    return workspace.analysisFor(file).files.get(file);
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
    configure: (options) => judgeFromNow(options),
    analysisFor: (file) => workspace.analysisFor(file),
    inConfiguration: (file) => workspace.mainOf(file) !== undefined,
    setCandidates: (files) => workspace.setCandidates(files),
    addCandidate: (file) => workspace.addCandidate(file),
    invalidate() {
      judgeFromNow();
      workspace.invalidate();
    },
    diagnose(document) {
      const file = filePath(document.uri);
      return workspace.analysisFor(file).findings.filter((f) => f.file === file);
    },
    hover(document, offset, now) {
      const file = filePath(document.uri);
      const analysis = workspace.analysisFor(file);
      const ofFile = <T extends { file: string }>(list: readonly T[], f: string) => list.filter((x) => x.file === f);
      if (analysis.dump) {
        const d = inDump(analysis, document, offset);
        if (!d?.tree) return undefined;
        const found = hover(d.tree, d.local, ofFile(d.inner.tlsSites, d.file), d.describe, ofFile(d.inner.certificateUses, d.file), now,
          ofFile(d.inner.findings, d.file));
        return found && d.shift(found);
      }
      const tree = treeOf(document);
      if (!tree) return undefined;
      return hover(tree, offset, ofFile(analysis.tlsSites, file), describeSetting(analysis), ofFile(analysis.certificateUses, file), now,
        ofFile(analysis.findings, file));
    },
    symbols(document) {
      const dump = dumpAnalysisOf(document);
      if (dump?.dump) return dumpOutline(dump.dump);
      const tree = treeOf(document);
      return tree ? outline(tree) : [];
    },
    folding(document) {
      const dump = dumpAnalysisOf(document);
      const dumpTree = dump?.files.get(dump.main);
      if (dump?.dump && dumpTree) return dumpFoldingRanges(dump.dump, dumpTree);
      const tree = treeOf(document);
      return tree ? foldingRanges(tree) : [];
    },
    quickFixes,
    completion(document, offset) {
      const file = filePath(document.uri);
      const analysis = workspace.analysisFor(file);
      if (analysis.dump) {
        const d = inDump(analysis, document, offset);
        const contexts = d && d.inner.placements.get(d.file)?.contexts;
        return d?.tree && contexts ? completions(d.tree, d.local, contexts).map(d.shift) : [];
      }
      const tree = treeOf(document);
      if (!tree) return [];
      const placement = analysis.placements.get(file);
      return completions(tree, offset, placement?.contexts ?? declaredContexts(tree.text) ?? PERMISSIVE_CONTEXTS);
    },
    inlayHints(document, now) {
      const file = filePath(document.uri);
      const analysis = workspace.analysisFor(file);
      const dump = analysis.dump;
      if (dump) {
        return dump.files.flatMap((f) => certificateExpiryHints(dump.analysis.certificateUses.filter((u) => u.file === f.path), now)
          .map((h) => ({ ...h, offset: h.offset + f.start })));
      }
      return certificateExpiryHints(analysis.certificateUses.filter((u) => u.file === file), now);
    },
  };
}
