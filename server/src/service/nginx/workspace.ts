/**
 * Which configuration does a file belong to? A workspace holds main configs (files with a top-level
 * `http`, `events`, `stream` or `mail` block, or named nginx.conf) and partial files they include.
 * A partial file is analysed inside the main config that includes it, in the context of the
 * `include`; a file no main config includes is analysed on its own, permissively. An `nginx -T`
 * dump is a configuration of its own: the files it embeds (dump.ts).
 */
import * as path from 'node:path/posix';
import type { Finding } from '../finding';
import { ConfigDump, dumpHost, readDump } from './dump';
import { PERMISSIVE_CONTEXTS, declaredContexts, parseConfig } from './load';
import { AnalysisOptions, ConfigAnalysis, analyzeConfig } from './walk';
import { ConfigHost } from '../host';
import { ConfigFile, lineOf } from './syntax';

/**
 * How far above a file nobody includes its main config is looked for: its own folder and this many
 * above (conf.d/app/site.conf → ../../nginx.conf is two).
 */
const UPWARD_LEVELS = 4;

const MAIN_MARKERS = new Set(['http', 'events', 'stream', 'mail', 'worker_processes', 'user', 'pid', 'load_module']);

/**
 * A main config has main-level blocks (`http`, `events`, …). A file named nginx.conf is one too,
 * unless it starts with `server` or `location` blocks: then it is a snippet someone named so.
 */
export function looksLikeMainConfig(file: string, tree: ConfigFile): boolean {
  const top = tree.children.filter((n) => n.kind === 'directive').map((n) => n.name.value);
  if (top.some((name) => MAIN_MARKERS.has(name))) return true;
  return path.basename(file) === 'nginx.conf' && !top.some((name) => SNIPPET_MARKERS.has(name));
}

/** What the workspace's settings give every analysis. */
export type WorkspaceOptions = Pick<AnalysisOptions, 'expiryWarningDays' | 'pathMappings' | 'now' | 'prefix' | 'flavor' | 'nginxVersion'
  | 'suppress' | 'rules' | 'findingData'>;

const SNIPPET_MARKERS = new Set(['server', 'location', 'upstream', 'map', 'if', 'root', 'listen', 'proxy_pass']);

/**
 * Analyses an `nginx -T` dump as the whole configuration it holds: its first file is the main one,
 * and the prefix is that file's folder (where nginx resolved relative includes). The findings are
 * mapped onto `file`, the dump; places named in messages give the dumped file's line and the dump's.
 * Certificates are read through `host`, as for any configuration (with `pathMappings`).
 */
export function analyzeDump(file: string, text: string, dump: ConfigDump, host: ConfigHost, options: AnalysisOptions = {}): ConfigAnalysis {
  const byPath = new Map(dump.files.map((f) => [f.path, f]));
  const analysis = analyzeConfig(dump.main, dumpHost(dump, text, host), {
    ...options, rootContexts: ['main'], standalone: false, enclosedBy: undefined, cache: undefined, prefix: path.dirname(dump.main),
    dumpLines: new Map(dump.files.map((f) => [f.path, lineOf(text, f.start)])),
  });
  const toDump = (findings: readonly Finding[]): Finding[] => findings.flatMap((f) => {
    const embedded = byPath.get(f.file);
    return embedded ? [{ ...f, file, start: embedded.start + f.start, end: embedded.start + f.end }] : [];
  });
  // Before the first file stand only nginx's own lines: blanked, the dump reads as one configuration.
  const first = dump.files[0].marker;
  const virtualText = text.slice(0, first).replace(/[^\n]/g, ' ') + text.slice(first);
  return {
    main: file, prefix: analysis.prefix, files: new Map([[file, parseConfig(virtualText)]]),
    placements: new Map([[file, { file, contexts: ['main'] }]]), findings: toDump(analysis.findings),
    suppressed: toDump(analysis.suppressed), tlsSites: [], certificateUses: [], dump: { ...dump, analysis },
    // Navigation and completion in a dump ask the embedded files' analysis (dump.analysis); these are its facts.
    includes: new Map(), unreadIncludes: analysis.unreadIncludes, flavors: analysis.flavors, loadedModules: analysis.loadedModules,
    target: analysis.target,
    definedVariables: analysis.definedVariables, upstreams: analysis.upstreams,
  };
}

export class ConfigWorkspace {
  /** Parsed files by path, reused while their text is unchanged. */
  readonly cache = new Map<string, ConfigFile>();
  private options: WorkspaceOptions = {};
  /** Analyses by main config (or by a file nothing includes), valid until something changes (invalidate). */
  private readonly analyses = new Map<string, ConfigAnalysis>();
  /** How many analyses were made (not taken from the cache): for tests that a request answered without one. */
  analysesMade = 0;

  /**
   * Settings-derived options for every analysis (certificate expiry window, path mappings) and the
   * time certificates are judged at: the service reads no clock, so without `now` it judges none.
   */
  get settings(): WorkspaceOptions {
    return this.options;
  }

  set settings(value: WorkspaceOptions) {
    this.options = value;
    this.analyses.clear();
  }
  /** Every candidate, sorted: the workspace's files, the files opened beside them, the nginx.conf files found upward. */
  private candidates: string[] = [];
  /** The candidates from the workspace (setCandidates) and found upward: they stay when a document closes. */
  private readonly kept = new Set<string>();
  /** Whether a candidate is a main config (or a dump), by path: only a change of that file can change it. */
  private readonly mainness = new Map<string, boolean>();
  private owner: Map<string, string> | undefined;
  /** Files whose folders were searched upward for a main config since the last change. */
  private readonly searchedUpward = new Set<string>();

  constructor(private readonly host: ConfigHost) {}

  /** The nginx files of the workspace; any of them may be a main config. */
  setCandidates(files: readonly string[]): void {
    this.candidates = [...new Set(files)].sort();
    this.kept.clear();
    for (const file of this.candidates) this.kept.add(file);
    this.invalidate();
  }

  /** A file the editor opened joins the candidates until `forget` (files of the workspace stay for good). */
  addCandidate(file: string, kept = false): void {
    if (kept) this.kept.add(file);
    if (this.isCandidate(file)) return;
    this.candidates.push(file);
    this.candidates.sort();
    this.owner = undefined;
  }

  /**
   * A closed document: the workspace forgets what it kept for it (its parse, its standalone analysis,
   * its place among the candidates unless the workspace itself has the file), so that opening and
   * closing many files leaves the workspace as it was. Its text is the disk's again: see `changed`.
   */
  forget(file: string): void {
    this.cache.delete(file);
    if (!this.kept.has(file)) {
      const at = this.candidates.indexOf(file);
      if (at >= 0) this.candidates.splice(at, 1);
    }
    this.changed(file);
  }

  /** Call when any file changes: includes, texts and certificates may all be different now. */
  invalidate(): void {
    this.owner = undefined;
    this.analyses.clear();
    this.searchedUpward.clear();
    this.mainness.clear();
  }

  /**
   * One file's text may differ from what the analyses read (an edit, a buffer opened or closed):
   * the analyses that read another text of it, or tried to include it, are dropped; the others stay,
   * so an edit re-analyses only the configuration it is part of. Who includes whom is worked out again.
   */
  changed(file: string): void {
    // Read only when another configuration read the file: the server's buffers join their pieces to
    // be read whole, which on a large file typed into would cost a copy of it on every keystroke.
    let text: string | undefined | null = null;
    const current = (): string | undefined => {
      if (text === null) {
        const read = this.host.readConfig(file);
        text = read.kind === 'text' ? read.text : undefined;
      }
      return text;
    };
    for (const [key, analysis] of this.analyses) {
      const seen = analysis.files.get(file);
      if (key === file || (seen ? seen.text !== current() : triedToInclude(analysis, file))) this.analyses.delete(key);
    }
    this.mainness.delete(file);
    this.owner = undefined;
    this.searchedUpward.clear();
  }

  /** How many paths the workspace holds something for (parses, analyses, candidates): for tests of what closing releases. */
  retained(): { parsed: number; analyses: number; candidates: number } {
    return { parsed: this.cache.size, analyses: this.analyses.size, candidates: this.candidates.length };
  }

  /** The analysis that covers `file`: its main config's, or its own when nothing includes it. */
  analysisFor(file: string): ConfigAnalysis {
    const main = this.mainOf(file);
    return main ? this.analysisOfMain(main) : this.standaloneAnalysis(file);
  }

  /**
   * `file` analysed as its own configuration, as `analysisFor` does for a file nothing includes (cached
   * the same way). With `analysisOfMain` and `isMainConfig`, what lets a caller spread the analyses
   * of a workspace over threads (the CLI's `--jobs`).
   */
  standaloneAnalysis(file: string): ConfigAnalysis {
    let analysis = this.analyses.get(file);
    if (!analysis) {
      const tree = this.parse(file);
      analysis = this.dumpAnalysis(file, tree)
        ?? analyzeConfig(file, this.host, { ...this.options, ...this.standaloneOptions(file, tree) });
      this.analyses.set(file, analysis);
      this.analysesMade++;
    }
    return analysis;
  }

  /** The analysis of `file` when its text (`tree`, as read) is an `nginx -T` dump. */
  private dumpAnalysis(file: string, tree: ConfigFile | undefined): ConfigAnalysis | undefined {
    const dump = tree && readDump(tree.text);
    return dump && analyzeDump(file, tree!.text, dump, this.host, this.options);
  }

  /** The main config that includes `file` (or `file` itself when it is one). */
  mainOf(file: string): string | undefined {
    if (!this.owner) this.owner = this.buildOwners();
    return this.owner.get(file) ?? this.mainFoundUpward(file);
  }

  /**
   * A file no candidate includes may still have a main config: one outside the folders the
   * candidates came from (the editor's root is conf.d/, or the file's own folder, or there is no
   * root). Its relative paths resolve against that main config's folder, not its own, so the
   * nginx.conf files in its folder and a few above become candidates too.
   */
  private mainFoundUpward(file: string): string | undefined {
    if (this.searchedUpward.has(file)) return undefined;
    this.searchedUpward.add(file);
    const added = this.mainsAbove(file);
    if (added.length === 0) return undefined;
    this.candidates.push(...added);
    for (const found of added) this.kept.add(found);
    this.candidates.sort();
    // Analyses of the mains already known stay valid: a new candidate changes only who owns what.
    this.owner = undefined;
    return this.mainOf(file);
  }

  /** The nginx.conf files above `file` that are not candidates: what asking for its main config would add. */
  mainsAbove(file: string): string[] {
    return this.host.findUpward(file, 'nginx.conf', UPWARD_LEVELS).filter((f) => !this.isCandidate(f));
  }

  /** A binary search: the candidates are kept sorted, and a check of many loose files asks this of each. */
  private isCandidate(file: string): boolean {
    let low = 0;
    let high = this.candidates.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.candidates[middle] < file) low = middle + 1;
      else high = middle;
    }
    return this.candidates[low] === file;
  }

  /**
   * Every nginx file of the workspace, parsed: the candidates, and every file their main configs
   * include (which may lie outside the workspace folders). For workspace-wide answers (symbols).
   */
  parsedFiles(): Map<string, ConfigFile> {
    if (!this.owner) this.owner = this.buildOwners();
    const out = new Map<string, ConfigFile>();
    for (const file of this.candidates) {
      const tree = this.parse(file);
      if (tree) out.set(file, tree);
    }
    for (const main of new Set(this.owner.values())) {
      for (const [file, tree] of this.analysisOfMain(main).files) if (!out.has(file)) out.set(file, tree);
    }
    return out;
  }

  /** The analysis of a main config (one `isMainConfig` accepts), cached until something changes. */
  analysisOfMain(main: string): ConfigAnalysis {
    let analysis = this.analyses.get(main);
    if (!analysis) {
      analysis = this.dumpAnalysis(main, this.parse(main)) ?? analyzeConfig(main, this.host, { ...this.options, cache: this.cache });
      this.analyses.set(main, analysis);
      this.analysesMade++;
    }
    return analysis;
  }

  private standaloneOptions(file: string, tree: ConfigFile | undefined): AnalysisOptions {
    const declared = tree ? declaredContexts(tree.text) : undefined;
    if (!declared && tree && looksLikeMainConfig(file, tree)) return { cache: this.cache };
    return { cache: this.cache, rootContexts: declared ?? PERMISSIVE_CONTEXTS, standalone: declared === undefined };
  }

  private parse(file: string): ConfigFile | undefined {
    const read = this.host.readConfig(file);
    if (read.kind !== 'text') return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.text === read.text) return cached;
    const tree = parseConfig(read.text);
    this.cache.set(file, tree);
    return tree;
  }

  /** Whether `file` is analysed as a main config: it looks like one, or it is an `nginx -T` dump. */
  isMainConfig(file: string): boolean {
    // Remembered per file (forgotten when it changes): every edit asks it of every candidate.
    let main = this.mainness.get(file);
    if (main === undefined) {
      const tree = this.parse(file);
      main = tree !== undefined && (looksLikeMainConfig(file, tree) || readDump(tree.text) !== undefined);
      this.mainness.set(file, main);
    }
    return main;
  }

  private buildOwners(): Map<string, string> {
    const owners = new Map<string, string>();
    const mains = this.candidates.filter((f) => this.isMainConfig(f));
    for (const main of mains) {
      owners.set(main, main);
      const analysis = this.analysisOfMain(main);
      for (const file of analysis.placements.keys()) if (!owners.has(file)) owners.set(file, main);
    }
    return owners;
  }
}

/** Whether an include of the analysis names `file`, which was missing or unreadable then (a file not in the analysis). */
function triedToInclude(analysis: ConfigAnalysis, file: string): boolean {
  return analysis.unreadIncludes.has(file);
}
