/**
 * The nginx mode: configs analysed as a workspace (a partial file inside the main config that
 * includes it), through the nginx half of the language service.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalysisOptions, ConfigAnalysis, ConfigHost, ConfigWorkspace, Effective, PERMISSIVE_CONTEXTS, certificateExpiryHints, completions,
  declaredContexts, foldingRanges, hover, outline, quickFixes,
} from '../../service/nginx';
import { filePath } from '../convert';
import type { LanguageMode } from './mode';

export interface NginxMode extends LanguageMode {
  /** Settings-derived options for every analysis. */
  configure(options: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays' | 'prefix' | 'flavor' | 'nginxVersion' | 'rules'>): void;
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

  /** Where a setting in effect comes from, for hovers: "nginx.conf:12" or "nginx default". */
  function describeSetting(e: Effective): string {
    if (!e.setting) return 'nginx default';
    const text = host.readConfig(e.setting.file);
    const line = text.kind === 'text' ? text.text.slice(0, e.setting.directive.start).split('\n').length : 0;
    return `${path.basename(e.setting.file)}:${line}`;
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
      const tree = treeOf(document);
      if (!tree) return undefined;
      const file = filePath(document.uri);
      const analysis = workspace.analysisFor(file);
      const sites = analysis.tlsSites.filter((s) => s.file === file);
      const certificates = analysis.certificateUses.filter((u) => u.file === file);
      return hover(tree, offset, sites, describeSetting, certificates, now);
    },
    symbols(document) {
      const tree = treeOf(document);
      return tree ? outline(tree) : [];
    },
    folding(document) {
      const tree = treeOf(document);
      return tree ? foldingRanges(tree) : [];
    },
    quickFixes,
    completion(document, offset) {
      const tree = treeOf(document);
      if (!tree) return [];
      const file = filePath(document.uri);
      const placement = workspace.analysisFor(file).placements.get(file);
      return completions(tree, offset, placement?.contexts ?? declaredContexts(tree.text) ?? PERMISSIVE_CONTEXTS);
    },
    inlayHints(document, now) {
      const file = filePath(document.uri);
      return certificateExpiryHints(workspace.analysisFor(file).certificateUses.filter((u) => u.file === file), now);
    },
  };
}
