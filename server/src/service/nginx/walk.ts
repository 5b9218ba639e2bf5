/**
 * Analyses a configuration the way nginx loads it: the main file, then every include in place. The
 * walk visits the expanded tree once: an included file's directives are checked in the block and
 * context of the `include` that brought them in, so a `conf.d/site.conf` included inside `http {}`
 * may hold `server` blocks. It keeps the scopes, the caches and the one check context; what is wrong
 * and how to say it is the rule families' (rules/), which it finds in tables by directive name.
 */
import * as path from 'node:path/posix';
import { Finding, FindingData, Severity, printable } from '../finding';
import { ConfigHost } from '../host';
import { RULES_OFF_BY_DEFAULT, RuleId, RuleSettings, rulesTurnedOn } from '../rules';
import { resolveCertificateUses, CertificateUse, TLS_FILE_DIRECTIVES } from './certificate-files';
import {
  ARG_COUNTS_KNOWN, BlockState, CheckContext, ConfigFacts, EndContext, NameFacts, NameKind, RecordPlan, Resolution,
} from './context';
import { BlockSettings, Effective, INHERITED_SETTINGS, Setting, TLS_PASS_FAMILIES, TLS_SETTINGS, TlsSite } from './inheritance';
import {
  CAPTURING, ContextKey, DEFINES, DirectiveVariant, Flavor, FlavorSetting, foreignCodeArgument, NO_VARIABLES, REPEATABLE, SINGLE_BLOCKS,
  SINGLE_MULTI_ARG, NEWEST_STABLE, NginxVersion, allowedIn, childContext, configFlavors, defaultTlsProtocols, directiveVariants,
  isUncheckedContext, parseNginxVersion, valueKindOf, versionedSyntaxOf,
} from './knowledge';
import type { ConfigDump } from './dump';
import { LEVEL_SETTINGS, LISTED, type Level, levelKindOf } from './levels';
import { ConfigLoader } from './load';
import { checkDuplicate, checkPlacement, checkShape, moduleNeededBy, someFits } from './rules/directives';
import { AS_WRITTEN_CHECKS, BLOCK_END_CHECKS, DIRECTIVE_CHECKS, END_CHECKS } from './rules/index';
import { mayInclude, reportIncludeFailure } from './rules/includes';
import { listenAddressKey } from './rules/listen';
import { settleSuppressions } from './rules/suppressions';
import { reportParseProblems, reportTooDeep } from './rules/syntax';
import { checkValueKind } from './rules/values';
import { collectDefinitions, collectUses, mayDefine } from './rules/variables';
import { Block, ConfigFile, Directive, Node, lineAt, lineStarts, ownCopy } from './syntax';

/** Where a file sits in the configuration: the contexts at its top level. */
export interface FilePlacement {
  file: string;
  contexts: readonly ContextKey[];
  /** The include that brought it in; absent for the main file. */
  includedFrom?: { file: string; directive: Directive };
}

export interface AnalysisOptions {
  /** Contexts of the main file's top level; `['main']` for a real main config. */
  rootContexts?: readonly ContextKey[];
  /**
   * A file that no configuration includes: it is checked without the facts only the whole
   * configuration gives (variables set elsewhere, upstreams defined elsewhere).
   */
  standalone?: boolean;
  /** What may enclose a standalone file and set what it inherits, for messages ("a file that includes this one"). */
  enclosedBy?: string;
  /** Parsed files from earlier runs, reused when their text is unchanged. Owned by the caller. */
  cache?: Map<string, ConfigFile>;
  /** The time certificates are judged at. The service reads no clock: the caller passes it. */
  now?: Date;
  /** `nginx-ls.certificates.expiryWarningDays`: how early an expiring certificate is flagged. */
  expiryWarningDays?: number;
  /** `nginx-ls.pathMappings`: server path prefixes and where they live in the workspace. */
  pathMappings?: readonly [string, string][];
  /** `nginx-ls.prefix`: the configuration prefix, when it is not the main file's folder (the folder of `nginx -c`'s file). */
  prefix?: string;
  /** `nginx-ls.nginx.flavor`: which nginx (and so which modules are built in); `auto` by default. */
  flavor?: FlavorSetting;
  /**
   * `nginx-ls.nginx.version`: the nginx release the configuration is written for ("1.22", "1.25.1");
   * newer syntax is an error and defaults follow it. Absent or unreadable: the newest stable.
   */
  nginxVersion?: string;
  /**
   * Whether `# nginx-ls: ignore <rule> -- <reason>` comments hide the findings they name (true unless
   * false: the CLI's --no-suppress shows everything). The comments are judged either way.
   */
  suppress?: boolean;
  /** For the files of an `nginx -T` dump: the dump's line each file's first line is, so places name both. */
  dumpLines?: ReadonlyMap<string, number>;
  /**
   * False: findings carry no `data` (what hover and quick fixes read), and rules skip making what
   * costs (`FindingData` functions). `nginx-ls check` prints none of it.
   */
  findingData?: boolean;
  /**
   * `nginx-ls.rules`: the rules off by default (rules.ts defaultOff) report findings only where a
   * severity turns them on; other settings are applied where findings are shown (effectiveSeverity).
   */
  rules?: RuleSettings;
}

/** An `nginx -T` dump's files and the analysis of the configuration they make (workspace.ts analyzeDump). */
export interface DumpAnalysis extends ConfigDump {
  /** The configuration as nginx read it: findings and sites by offsets in each embedded file's own text. */
  analysis: ConfigAnalysis;
}

export interface ConfigAnalysis {
  main: string;
  /** The configuration prefix: relative paths in includes and certificates resolve against it. */
  prefix: string;
  files: Map<string, ConfigFile>;
  placements: Map<string, FilePlacement>;
  findings: Finding[];
  /** Findings a suppression comment hid (not in `findings`). */
  suppressed: Finding[];
  /** Every TLS upstream use, with the settings in effect there (for hover). */
  tlsSites: TlsSite[];
  /** Every certificate, key or CA path, resolved and read (for hover). */
  certificateUses: CertificateUse[];
  /** The files each `include` brought in, in nginx's order (a glob's every match), for navigation. */
  includes: Map<Directive, string[]>;
  /** Include targets that could not be read (missing, unreadable): a buffer opened for one of them changes the analysis. */
  unreadIncludes: ReadonlySet<string>;
  /** The flavors it is checked for (`auto` resolved), the modules `load_module` loads, the target release. */
  flavors: readonly Flavor[];
  loadedModules: ReadonlySet<string>;
  target: NginxVersion;
  /** Every variable the configuration defines (`set`, `map`, `geo`, named captures, …), without `$`. */
  definedVariables: ReadonlySet<string>;
  /** The upstream groups, by `http:name` and `stream:name`. */
  upstreams: ReadonlyMap<string, Directive>;
  /**
   * Set when `main` is an `nginx -T` dump: its files and their analysis. `findings` are then mapped
   * onto the dump; `files` holds the dump alone, parsed with nginx's status lines blanked.
   */
  dump?: DumpAnalysis;
}

/** Analyses the configuration whose main file is `main`. */
export function analyzeConfig(main: string, host: ConfigHost, options: AnalysisOptions = {}): ConfigAnalysis {
  return new Analysis(main, host, options).run();
}

const nameFacts = new Map<string, NameFacts>();

function factsOf(name: string): NameFacts {
  let facts = nameFacts.get(name);
  if (facts) return facts;
  facts = {
    define: DEFINES.get(name),
    capturing: CAPTURING.has(name) || name.startsWith('~'),
    variableArgs: NO_VARIABLES.has(name) ? 'none' : name === 'rewrite' ? 'all-but-first' : name === 'if' ? 'if' : 'default',
    codeArgument: foreignCodeArgument(name),
    valueKind: valueKindOf(name),
    singleBlock: SINGLE_BLOCKS.has(name),
    repeatable: REPEATABLE.has(name),
    singleMultiArg: SINGLE_MULTI_ARG.has(name),
    check: DIRECTIVE_CHECKS.get(name),
    checkAsWritten: AS_WRITTEN_CHECKS.get(name),
    checkBlockEnd: BLOCK_END_CHECKS.get(name),
    record: recordPlanOf(name),
  };
  if (nameFacts.size > 10_000) nameFacts.clear(); // a bound, whatever files are thrown at it
  nameFacts.set(ownCopy(name), facts);
  return facts;
}

/** Settings a block records (their first occurrence) for the TLS checks and the rules that judge levels (levels.ts). */
const RECORDED_SETTINGS: ReadonlySet<string> = new Set([...TLS_SETTINGS, ...INHERITED_SETTINGS, ...LEVEL_SETTINGS]);

/** What the walk records of `name` (record), or undefined for the names it records nothing of. */
function recordPlanOf(name: string): RecordPlan | undefined {
  const plan: RecordPlan = {
    setting: RECORDED_SETTINGS.has(name),
    listKey: LISTED.get(name),
    fileKind: TLS_FILE_DIRECTIVES.get(name),
    passFamily: TLS_PASS_FAMILIES.find((f) => f.pass === name),
  };
  const recorded = plan.setting || plan.listKey || plan.fileKind || plan.passFamily || name === 'server_name' || name === 'listen';
  return recorded ? plan : undefined;
}

const resolutions = new WeakMap<readonly ContextKey[], Map<string, Resolution>>();
const internedContexts = new Map<string, readonly ContextKey[]>();

function intern(contexts: ContextKey[]): readonly ContextKey[] {
  const key = contexts.join('|');
  let known = internedContexts.get(key);
  if (!known) internedContexts.set(key, (known = contexts));
  return known;
}

/** `[...chain, last]`, without the iterator a spread goes through. */
function extended<T>(chain: readonly T[], last: T): T[] {
  const out = new Array<T>(chain.length + 1);
  for (let i = 0; i < chain.length; i++) out[i] = chain[i];
  out[chain.length] = last;
  return out;
}

/** The resolution cache for directives standing in these (interned) contexts. */
function resolutionsIn(scopeContexts: readonly ContextKey[]): Map<string, Resolution> {
  let byName = resolutions.get(scopeContexts);
  if (!byName) resolutions.set(scopeContexts, (byName = new Map()));
  return byName;
}

// The lookup is kept apart from the computation: a function whose locals a closure captures
// allocates a context on every call, even when it returns from the cache at once.
function resolveDirective(byName: Map<string, Resolution>, scopeContexts: readonly ContextKey[], name: string): Resolution {
  return byName.get(name) ?? computeResolution(byName, scopeContexts, name);
}

function computeResolution(byName: Map<string, Resolution>, scopeContexts: readonly ContextKey[], name: string): Resolution {
  const checked = scopeContexts.filter((c) => !isUncheckedContext(c));
  const variants = directiveVariants(name);
  const fitting = variants ? variants.filter((v) => checked.some((c) => allowedIn(v, c))) : [];
  const contexts = checked.filter((c) => fitting.some((v) => allowedIn(v, c)));
  const facts = factsOf(name);
  const asBlock = fitting.filter((v) => v.block);
  const asSimple = fitting.filter((v) => !v.block);
  const counts = (shaped: readonly DirectiveVariant[]): boolean[] =>
    Array.from({ length: ARG_COUNTS_KNOWN }, (_, n) => someFits(shaped, n));
  const flagOnly = (shaped: readonly DirectiveVariant[]): boolean => shaped.length > 0 && shaped.every((v) => v.args.includes('flag'));
  const r: Resolution = {
    checked, variants, fitting, contexts,
    childContexts: intern([...new Set(contexts.map((c) => childContext(c, name)))]),
    asBlock,
    asSimple,
    flagBlock: flagOnly(asBlock),
    flagSimple: flagOnly(asSimple),
    countsBlock: counts(asBlock),
    countsSimple: counts(asSimple),
    inStream: contexts.some((c) => c.startsWith('stream')),
    moduleNeeded: moduleNeededBy(fitting),
    versioned: versionedSyntaxOf(name),
    facts,
  };
  if (byName.size > 10_000) byName.clear();
  byName.set(ownCopy(name), r);
  return r;
}

interface Scope {
  contexts: readonly ContextKey[];
  /** resolutionsIn(contexts), looked up once per block rather than once per directive. */
  resolutions: Map<string, Resolution>;
  /** The enclosing block directives, outermost first (include boundaries are transparent). */
  parents: Directive[];
  state: BlockState;
  /** The settings of every enclosing block, outermost first, ending with this block's. */
  chain: readonly BlockSettings[];
  /** The innermost level (levels.ts) around it. */
  level: Level | undefined;
}

function newState(): BlockState {
  return { seen: undefined, settings: new Map(), tlsFileCount: EMPTY_COUNTS };
}

/** Shared until a block has a certificate directive (most never do). */
const EMPTY_COUNTS: ReadonlyMap<string, number> = new Map();

/** Deeper nesting is not analysed (nginx configs nest a handful of levels; recursion must stay bounded). */
const MAX_DEPTH = 500;

/** The check context, re-aimed before each check: its fields are written by the walk. */
interface AimedContext extends CheckContext {
  file: string;
  parents: readonly Directive[];
  contexts: readonly ContextKey[];
  block: BlockState;
  chain: readonly BlockSettings[];
}

class Analysis {
  private readonly loader: ConfigLoader;
  private readonly placements = new Map<string, FilePlacement>();
  private readonly findings: Finding[] = [];
  /** Findings by file and start offset, to say each thing once. */
  private readonly findingKeys = new Map<string, Map<number, Finding[]>>();
  private readonly prefix: string;
  /** The nginx release the configuration is judged for. */
  private readonly target: NginxVersion;
  private readonly defaultProtocols: string;
  /** The one context every check reports through (aim). */
  private readonly context: AimedContext;
  /** The rules off by default that the settings turn on. */
  private readonly turnedOn: ReadonlySet<string>;
  /** Files being expanded right now, for cycle detection. */
  private readonly includeStack: string[] = [];
  private readonly includes = new Map<Directive, string[]>();
  private readonly unreadIncludes = new Set<string>();
  /** Line starts per file, for the places messages name (`where`). */
  private readonly lineStarts = new Map<string, number[]>();
  /** Each file's name relative to the prefix, for `where`: path.relative costs more than the rest of a place. */
  private readonly shownNames = new Map<string, string>();
  private readonly facts: ConfigFacts = {
    upstreams: new Map(),
    defaultServers: new Map(),
    streamSockets: new Set(),
    unknownModules: [],
    loadedModules: new Set(),
    moduleNeeds: [],
    definedVariables: new Set(),
    variableUses: [],
    unknownDirectives: [],
    definedNames: new Map(),
    nameUses: [],
    tlsSites: [],
    streamPasses: [],
    servers: [],
    certificateUses: [],
    requestFlow: { sets: new Map(), maps: new Map(), internal: new Set(), sites: [], credentialBlocks: new Map() },
    captures: { groupsIn: new Map(), mapGroups: 0, uses: [], mapPatterns: [], blocksWithArgs: new Map() },
    upstreamHosts: [],
    tryFiles: [],
    workerLimits: {},
    features: new Map(),
    levels: [],
    present: new Map(),
    enclosing: [],
  };

  constructor(private readonly main: string, private readonly host: ConfigHost, private readonly options: AnalysisOptions) {
    this.prefix = options.prefix ?? path.dirname(main);
    this.target = parseNginxVersion(options.nginxVersion) ?? parseNginxVersion(NEWEST_STABLE)!;
    this.defaultProtocols = defaultTlsProtocols(this.target);
    this.turnedOn = rulesTurnedOn(options.rules);
    this.loader = new ConfigLoader(host, this.prefix, options.cache);
    this.context = {
      file: '',
      parents: [],
      contexts: [],
      block: newState(),
      chain: [],
      facts: this.facts,
      standalone: this.options.standalone === true,
      target: this.target,
      flavor: this.options.flavor ?? 'auto',
      text: () => this.textOf(this.context.file),
      report: (start, end, code, message, data, severity) => this.report(this.context.file, start, end, code, message, data, severity),
      define: (kind: NameKind, name: string) => {
        let set = this.facts.definedNames.get(kind);
        if (!set) this.facts.definedNames.set(kind, (set = new Set()));
        if (set.has(name)) return false;
        set.add(name);
        return true;
      },
      use: (kind, name, word) => { this.facts.nameUses.push({ kind, name, file: this.context.file, word }); },
    };
  }

  run(): ConfigAnalysis {
    const contexts = intern([...(this.options.rootContexts ?? ['main'])]);
    const state = newState();
    const rootScope: Scope = {
      contexts, resolutions: resolutionsIn(contexts), parents: [], state, chain: [state.settings], level: undefined,
    };
    const loaded = this.load(this.main, rootScope);
    const mainTree = 'tree' in loaded ? loaded.tree : undefined;
    if (mainTree) {
      this.placements.set(this.main, { file: this.main, contexts });
      this.includeStack.push(this.main);
      this.walk(this.main, mainTree.children, rootScope);
      this.includeStack.pop();
    }
    const mappings = [...(this.options.pathMappings ?? [])].sort((a, b) => b[0].length - a[0].length);
    resolveCertificateUses(this.facts.certificateUses, this.host, this.prefix, mappings);
    const end: EndContext = {
      main: this.main,
      mainTree,
      files: this.loader.files,
      prefix: this.prefix,
      facts: this.facts,
      options: {
        rootContexts: this.options.rootContexts,
        standalone: this.options.standalone,
        now: this.options.now,
        expiryWarningDays: this.options.expiryWarningDays ?? 30,
        flavor: this.options.flavor ?? 'auto',
        target: this.target,
        targetGiven: parseNginxVersion(this.options.nginxVersion) !== undefined,
      },
      report: (file, start, end, code, message, data, severity) => this.report(file, start, end, code, message, data, severity),
      describe: (e: Effective) => (e.setting ? `set at ${this.where(e.setting)}`
        : this.options.standalone ? `nginx default, unless ${this.options.enclosedBy ?? 'a file that includes this one'} sets it`
        : 'nginx default'),
      where: (setting) => this.where(setting),
    };
    for (const check of END_CHECKS) check(end);
    const facts = this.facts;
    // Suppression comments apply to what every family reported, in one place.
    const suppressed = settleSuppressions(this.loader.files, this.findings, this.options.suppress !== false,
      this.options.standalone !== true, (file, start, end, code, message, data) => this.report(file, start, end, code, message, data));
    return {
      main: this.main, prefix: this.prefix, files: this.loader.files, placements: this.placements, findings: this.findings, suppressed,
      tlsSites: facts.tlsSites, certificateUses: facts.certificateUses, includes: this.includes, unreadIncludes: this.unreadIncludes,
      flavors: configFlavors(end.options.flavor, facts.moduleNeeds, facts.loadedModules), loadedModules: facts.loadedModules,
      target: this.target, definedVariables: facts.definedVariables, upstreams: facts.upstreams,
    };
  }

  /** Loads a file; a file loaded for the first time has its parse problems reported. */
  private load(file: string, scope: Scope) {
    const loaded = this.loader.load(file);
    if ('tree' in loaded && loaded.first) reportParseProblems(loaded.tree, this.aim(file, scope, scope.contexts));
    return loaded;
  }

  private report(
    file: string, start: number, end: number, code: RuleId, message: string, data?: FindingData, severity?: Severity
  ): void {
    if (RULES_OFF_BY_DEFAULT.has(code) && !this.turnedOn.has(code)) return;
    // A file included in several places is walked once per include; say each thing once.
    let byStart = this.findingKeys.get(file);
    if (!byStart) this.findingKeys.set(file, (byStart = new Map()));
    const earlier = byStart.get(start);
    const text = printable(message);
    if (earlier?.some((f) => f.code === code && f.message === text)) return;
    const finding: Finding = { file, start, end, code, message: text };
    if (data && this.options.findingData !== false) finding.data = typeof data === 'function' ? data() : data;
    if (severity) finding.severity = severity;
    this.findings.push(finding);
    if (earlier) earlier.push(finding); else byStart.set(start, [finding]);
  }

  private walk(file: string, nodes: readonly Node[], scope: Scope): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.kind === 'directive') this.visit(file, node, scope);
    }
  }

  private visit(file: string, d: Directive, scope: Scope): void {
    const name = d.name.value;
    if (name === '') return; // a block opened with no name: the parser reported it
    const resolved = resolveDirective(scope.resolutions, scope.contexts, name);
    const facts = resolved.facts;
    if (mayDefine(name, facts)) collectDefinitions(d, facts, this.aim(file, scope, scope.contexts));
    if (resolved.checked.length === 0) {
      this.walkEntries(file, d, scope);
      return;
    }
    const contexts = resolved.contexts;
    const c = this.aim(file, scope, contexts);
    if (!checkPlacement(d, resolved, c)) return;
    // A statement the file or a forgotten ";" cut short has its syntax error already; its arguments are not judged.
    const ended = d.semicolon !== undefined || d.block !== undefined;
    const wellFormed = ended && checkShape(d, resolved, c);
    const shaped = d.block !== undefined ? resolved.asBlock : resolved.asSimple;
    if (wellFormed && facts.valueKind && shaped[0].origin === 'nginx') checkValueKind(d, facts.valueKind, c);
    const origin = resolved.fitting[0].origin;
    if (origin === 'nginx') collectUses(d, facts, c);
    checkDuplicate(d, resolved, c);
    // With the wrong number of arguments nginx stops there; checking each one would only repeat it.
    if (wellFormed && facts.check && origin === 'nginx') facts.check(d, c);
    if (facts.checkAsWritten) facts.checkAsWritten(d, c);
    if (facts.record) this.record(facts.record, file, d, scope, resolved.inStream, wellFormed);

    if (name === 'include') {
      this.include(file, d, scope);
      return;
    }
    if (d.block && !d.block.raw && scope.parents.length >= MAX_DEPTH) {
      reportTooDeep(d, MAX_DEPTH, c);
      return;
    }
    if (d.block && !d.block.raw) this.enterBlock(file, d, d.block, scope, resolved);
  }

  /**
   * Walks a block's contents in a scope of its own, and records the server or level it makes. Apart from
   * visit, which runs for every directive: kept small, V8 optimises visit with its checks inlined.
   */
  private enterBlock(file: string, d: Directive, block: Block, scope: Scope, resolved: Resolution): void {
    const name = d.name.value;
    const contexts = resolved.contexts;
    const childContexts = resolved.childContexts;
    const state = newState();
    const chain = extended(scope.chain, state.settings);
    if (name === 'server' && !contexts.some((x) => x.endsWith('upstream'))) {
      const module = contexts.includes('stream') ? 'stream' : contexts.includes('mail') ? 'mail' : 'http';
      state.server = { file, directive: d, chain, sslListens: [], listens: [], names: [], module };
      this.facts.servers.push(state.server);
    }
    const kind = levelKindOf(name, contexts);
    let level = scope.level;
    if (kind) {
      level = { kind, file, directive: d, chain, parent: scope.level, server: state.server ?? scope.level?.server, enclosing: false };
      if (scope.level && !scope.level.enclosing) {
        scope.level.enclosing = true;
        this.facts.enclosing.push(scope.level);
      }
      this.facts.levels.push(level);
    }
    scope.parents.push(d);
    this.walk(file, block.children, {
      contexts: childContexts, resolutions: resolutionsIn(childContexts), parents: scope.parents, state, chain, level,
    });
    scope.parents.pop();
    const checkBlockEnd = resolved.facts.checkBlockEnd;
    if (checkBlockEnd) checkBlockEnd(d, this.aim(file, scope, contexts), state);
  }

  /** The one check context, aimed at a directive's file and place (checks run synchronously). */
  private aim(file: string, scope: Scope, contexts: readonly ContextKey[]): AimedContext {
    const c = this.context;
    c.file = file;
    c.parents = scope.parents;
    c.contexts = contexts;
    c.block = scope.state;
    c.chain = scope.chain;
    return c;
  }

  private include(file: string, d: Directive, scope: Scope): void {
    const arg = d.args[0];
    if (!arg || d.args.length !== 1) return;
    const targets = this.loader.includeTargets(arg.value);
    if (targets.length === 0) return; // nginx accepts a glob that matches nothing
    for (const target of targets) {
      if (!mayInclude(target, this.includeStack, this.prefix, arg, this.aim(file, scope, scope.contexts))) continue;
      const loaded = this.load(target, scope);
      if ('failure' in loaded) {
        this.unreadIncludes.add(target);
        // A file no configuration includes has no known prefix: its relative includes cannot be resolved.
        if (this.options.standalone && !path.isAbsolute(arg.value)) continue;
        reportIncludeFailure(target, loaded.failure, arg, this.aim(file, scope, scope.contexts), this.prefix);
        continue;
      }
      if (!this.placements.has(target))
        this.placements.set(target, { file: target, contexts: scope.contexts, includedFrom: { file, directive: d } });
      this.recordInclude(d, target);
      this.includeStack.push(target);
      this.walk(target, loaded.tree.children, scope);
      this.includeStack.pop();
    }
  }

  /** Notes a level that sets `key` itself (not a block inside it that is no level, such as an upstream). */
  private present(key: string, level: Level | undefined, settings: BlockSettings): void {
    if (!level || level.chain[level.chain.length - 1] !== settings) return;
    const levels = this.facts.present.get(key);
    if (levels) levels.push(level); else this.facts.present.set(key, [level]);
  }

  /** A file an include brought in (a file included in several places is walked, and recorded, once per place). */
  private recordInclude(d: Directive, target: string): void {
    const targets = this.includes.get(d);
    if (!targets) this.includes.set(d, [target]);
    else if (!targets.includes(target)) targets.push(target);
  }

  /**
   * Records what the TLS rules, the rules that judge levels and the hover need: settings and lists by
   * block, upstream use sites, listen … ssl.
   */
  private record(plan: RecordPlan, file: string, d: Directive, scope: Scope, stream: boolean, wellFormed: boolean): void {
    const name = d.name.value;
    const state = scope.state;
    const settings = state.settings;
    if (plan.setting && !settings.has(name)) {
      settings.set(name, { directive: d, file });
      this.present(name, scope.level, settings);
    }
    // A list line nginx refuses (wrong arguments) has its error; it is not judged as part of the list.
    const listKey = plan.listKey;
    if (listKey !== undefined && wellFormed) {
      const first = settings.get(listKey);
      if (first) (first.list ??= [first]).push({ directive: d, file });
      else {
        const setting: Setting = { directive: d, file };
        setting.list = [setting];
        settings.set(listKey, setting);
        this.present(listKey, scope.level, settings);
      }
    }
    const fileKind = plan.fileKind;
    if (fileKind && d.args[0]) {
      const index = state.tlsFileCount.get(name) ?? 0;
      if (state.tlsFileCount === EMPTY_COUNTS) state.tlsFileCount = new Map();
      (state.tlsFileCount as Map<string, number>).set(name, index + 1);
      this.facts.certificateUses.push({
        file, directive: d, word: d.args[0], kind: fileKind, block: settings, index, chain: scope.chain
      });
    }
    const server = state.server;
    if (server && name === 'server_name') for (const w of d.args) server.names.push({ file, word: w });
    if (server && name === 'listen') {
      const ssl = d.args.find((a, i) => i > 0 && a.value === 'ssl');
      if (ssl) server.sslListens.push({ file, word: ssl });
      const isDefault = d.args.some((a, i) => i > 0 && (a.value === 'default_server' || a.value === 'default'));
      const udp = d.args.some((a, i) => i > 0 && (a.value === 'quic' || a.value === 'udp'));
      if (d.args[0]) {
        const address = listenAddressKey(d.args[0].value);
        server.listens.push({ address, ssl: ssl !== undefined, isDefault, udp, file, word: d.args[0] });
      }
    }
    const family = plan.passFamily;
    const url = d.args[0]?.value;
    if (!family || !url) return;
    if (stream) {
      if (name === 'proxy_pass') this.facts.streamPasses.push({
        file, directive: d, family, chain: scope.chain, host: url, isUpstreamGroup: false, stream: true,
        defaultProtocols: this.defaultProtocols,
      });
      return;
    }
    if (!startsWithIgnoringCase(url, family.scheme)) return;
    const host = url.slice(family.scheme.length).split('/')[0];
    this.facts.tlsSites.push({ file, directive: d, family, chain: scope.chain, host, isUpstreamGroup: false, stream: false,
      defaultProtocols: this.defaultProtocols,
    });
  }

  /** "conf.d/site.conf:12" for a setting, relative to the prefix; in a dump, "conf.d/site.conf:12, dump line 40". */
  private where(setting: Setting): string {
    let starts = this.lineStarts.get(setting.file);
    if (!starts) this.lineStarts.set(setting.file, starts = lineStarts(this.loader.files.get(setting.file)?.text ?? ''));
    const line = lineAt(starts, setting.directive.start);
    let name = this.shownNames.get(setting.file);
    if (name === undefined) {
      this.shownNames.set(setting.file, name = path.relative(this.prefix, setting.file) || path.basename(setting.file));
    }
    const place = `${name}:${line}`;
    const first = this.options.dumpLines?.get(setting.file);
    return first === undefined ? place : `${place}, dump line ${first + line - 1}`;
  }

  /** The entries of map, types, geo, …: not directives, but they may use and define variables. */
  private walkEntries(file: string, d: Directive, scope: Scope): void {
    collectUses(d, factsOf(d.name.value), this.aim(file, scope, scope.contexts));
    if (d.name.value === 'include' && d.args.length === 1) this.include(file, d, scope);
    if (d.block && !d.block.raw) {
      scope.parents.push(d);
      this.walk(file, d.block.children, {
        contexts: scope.contexts, resolutions: scope.resolutions, parents: scope.parents, state: newState(), chain: scope.chain,
        level: scope.level,
      });
      scope.parents.pop();
    }
  }

  /** The text of a loaded file; the last one is remembered (directives come file by file). */
  private textOf(file: string): string {
    if (file !== this.lastTextFile) {
      this.lastTextFile = file;
      this.lastText = this.loader.files.get(file)!.text;
    }
    return this.lastText;
  }

  private lastTextFile: string | undefined;
  private lastText = '';
}

/** Whether `text` starts with `prefix` (lower case) in any case, without a copy of either. */
function startsWithIgnoringCase(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== prefix.charCodeAt(i) && !(c >= 0x41 && c <= 0x5a && (c | 0x20) === prefix.charCodeAt(i))) return false;
  }
  return true;
}
