/**
 * What the walk hands to rule families, and what a family may register. Rules import this module,
 * never the walk (walk.ts) or the loader (load.ts): they see one directive and the context it
 * stands in, or at the end the facts the whole configuration gave.
 */
import type { FindingData, Severity } from '../finding';
import type { FixProvider, RuleFamily } from '../family';
import type { RuleId } from '../rules';
import type { ContextKey, DirectiveOrigin, DirectiveVariant, FlavorSetting, NginxVersion, ValueKind, VersionedEntry } from './knowledge';
import type { Comment, ConfigFile, Directive, Word } from './syntax';
import type { BlockSettings, Effective, Setting, TlsPassFamily, TlsServer, TlsSite } from './inheritance';
import type { CertificateUse, TlsFileKind } from './certificate-files';
import type { Level } from './levels';

/** Names a directive defines and others use: shared memory zones, log formats. */
export type NameKind = 'limit_req_zone' | 'limit_conn_zone' | 'log_format' | 'lua_shared_dict';

/**
 * What the walk needs to know about a directive name, independent of where it stands. Worked out
 * once per name: a large config repeats a few dozen names tens of thousands of times, and one
 * lookup per directive is cheaper than one per question.
 */
export interface NameFacts {
  /** The argument naming the variable this directive defines (`set $x …`). */
  define: ((args: readonly Word[]) => Word | undefined) | undefined;
  /** Its arguments may hold regular expressions with named captures, which define variables. */
  capturing: boolean;
  /** Which arguments may hold variables: none, all but a leading regex, all but an `if` regex, or the usual rule. */
  variableArgs: 'none' | 'all-but-first' | 'if' | 'default';
  /** The argument holding Perl or Lua code (knowledge.ts foreignCodeArgument), -1 for none. */
  codeArgument: number;
  valueKind: ValueKind;
  singleBlock: boolean;
  repeatable: boolean;
  singleMultiArg: boolean;
  /** The families' checks for this name (rules/index.ts), merged into one function each. */
  check: DirectiveCheck | undefined;
  checkAsWritten: DirectiveCheck | undefined;
  checkBlockEnd: BlockEndCheck | undefined;
  /** What the walk records of it for the TLS inheritance (inheritance.ts) and the levels (levels.ts); most names: nothing. */
  record: RecordPlan | undefined;
}

/**
 * What the walk records of a directive name, worked out once per name: a directive of a large file then
 * pays for what it is, not for a lookup in every table that might hold it.
 */
export interface RecordPlan {
  /** Its first occurrence in a block is a setting of that block. */
  setting: boolean;
  /** The key of the list its lines join (`deny` joins `allow`'s), for the names levels.ts lists. */
  listKey: string | undefined;
  /** For certificate, key and CA paths: what the file is. */
  fileKind: TlsFileKind | undefined;
  /** For proxy_pass, grpc_pass, uwsgi_pass: the TLS family its URL may name. */
  passFamily: TlsPassFamily | undefined;
}

/** What a directive name means in a set of contexts; the same for every occurrence, so worked out once. */
export interface Resolution {
  /** The contexts that are checked (not map bodies or unknown blocks). */
  checked: readonly ContextKey[];
  variants: readonly DirectiveVariant[] | undefined;
  /** Variants allowed in one of the checked contexts. */
  fitting: readonly DirectiveVariant[];
  /** The checked contexts it is allowed in. */
  contexts: readonly ContextKey[];
  /** The contexts of its block's children (interned, so they key the resolution cache too). */
  childContexts: readonly ContextKey[];
  /** The fitting variants that open a block, and those that do not. */
  asBlock: readonly DirectiveVariant[];
  asSimple: readonly DirectiveVariant[];
  /** Whether every fitting block (or simple) variant takes only an on/off flag. */
  flagBlock: boolean;
  flagSimple: boolean;
  /** Whether a fitting block (or simple) variant takes n arguments, for n below ARG_COUNTS_KNOWN. */
  countsBlock: readonly boolean[];
  countsSimple: readonly boolean[];
  /** It stands in a stream context. */
  inStream: boolean;
  /** The module a flavor must build in (or load) for every fitting variant; undefined when every nginx has one. */
  moduleNeeded: DirectiveOrigin | undefined;
  /** Its syntax that depends on the nginx release, judged against the target per occurrence. */
  versioned: readonly VersionedEntry[] | undefined;
  facts: NameFacts;
}

/** Argument counts below this are looked up in Resolution.counts*; larger ones are worked out. */
export const ARG_COUNTS_KNOWN = 8;

/** Per-block state: what nginx remembers about the block it is filling. */
export interface BlockState {
  /** Directives nginx accepts once per block, by name; created on the first one (most blocks have few). */
  seen: Map<string, Directive> | undefined;
  /** TLS-related directives this block sets, for inheritance. */
  settings: BlockSettings;
  listens?: Map<string, Directive>;
  /** Non-regex locations by modifier ("" for none or "^~", which nginx treats alike), then by match. */
  locations?: Map<string, Map<string, Directive>>;
  /** How many `server` directives an `upstream` block holds (its own and those of files it includes). */
  servers?: number;
  /** Set on a `server` block: what the TLS checks need of it. */
  server?: TlsServer;
  /** How many of each certificate/key directive this block has so far (nginx pairs them by position). */
  tlsFileCount: ReadonlyMap<string, number>;
}

export interface VariableUse {
  file: string;
  start: number;
  end: number;
  name: string;
  /** The module area it is used in: whose variables it must be among, and "did you mean" proposes. */
  area: 'http' | 'stream';
}

/** An unknown directive name, and the contexts it stands in, for "did you mean" once the flavor is known. */
export interface UnknownDirective { file: string; word: Word; contexts: readonly ContextKey[] }

/** A `load_module` of a module without a directive table, and how often its directives appear. */
export interface UnknownModule { stem: string; file: string; word: Word; uses: number }

/**
 * A directive of a module only some flavors build in, judged at the end (when `auto` knows the flavor);
 * `stream` when it stands in the stream module (stream-lua is a module file of its own).
 */
export interface ModuleNeed { origin: DirectiveOrigin; file: string; word: Word; stream: boolean }

/**
 * How an upstream group is looked up in ConfigFacts.upstreams: the groups of http and of stream are
 * apart (the same name may stand in both), and nginx compares names without regard to case
 * (ngx_http_upstream_add, ngx_stream_upstream_add).
 */
export function upstreamKey(module: 'http' | 'stream', name: string): string {
  return `${module}:${name.toLowerCase()}`;
}

/** A directive kept for an end-of-walk check, with the blocks around it. */
export interface PlacedDirective {
  file: string;
  directive: Directive;
  /** The enclosing block directives, outermost first (include boundaries are transparent); a copy. */
  parents: readonly Directive[];
}

/** A directive a rule judges at the end of the walk, once every definition it depends on is known. */
export interface PlacedSite extends PlacedDirective { code: RuleId }

/**
 * Where variables get their values, and the directives that pass request data on: what the
 * request-data and CORS families (rules/request-data.ts, rules/cors.ts; request-flow.ts) collect
 * during the walk and judge at its end.
 */
export interface RequestFlowFacts {
  /** `set` directives whose value uses a variable, by the variable they set (lower case, without `$`). */
  sets: Map<string, PlacedDirective[]>;
  /** `map` blocks, by the variable they define (lower case, without `$`). */
  maps: Map<string, PlacedDirective[]>;
  /** Locations marked `internal`. */
  internal: Set<Directive>;
  sites: PlacedSite[];
  /** The blocks whose responses carry `Access-Control-Allow-Credentials: true` (undefined: a file's top level), with the directive. */
  credentialBlocks: Map<Directive | undefined, PlacedDirective>;
}

/** What the whole configuration collects while it is walked; the end-of-walk checks read it. */
export interface ConfigFacts {
  /** By upstreamKey. */
  upstreams: Map<string, Directive>;
  /** `listen … default_server` addresses across all http servers. */
  defaultServers: Map<string, Directive>;
  /** Stream listen sockets, for a target release whose stream servers cannot share one. */
  streamSockets: Set<string>;
  unknownModules: UnknownModule[];
  /** The module files `load_module` loads (`ngx_http_echo_module`). */
  loadedModules: Set<string>;
  /** Directives of modules only some flavors build in; with `auto`, the flavor is told from them. */
  moduleNeeds: ModuleNeed[];
  definedVariables: Set<string>;
  variableUses: VariableUse[];
  /** Directive names nginx does not know: reported at the end, with a suggestion valid for the flavor. */
  unknownDirectives: UnknownDirective[];
  definedNames: Map<NameKind, Set<string>>;
  nameUses: { kind: NameKind; name: string; file: string; word: Word }[];
  tlsSites: TlsSite[];
  /** Stream proxy_pass sites: TLS sites only where proxy_ssl is on, which is known at the end. */
  streamPasses: TlsSite[];
  servers: TlsServer[];
  certificateUses: CertificateUse[];
  requestFlow: RequestFlowFacts;
  // Collected for the regex, resolver, hygiene and advisories families.
  /** Capture groups that can be in effect where $1…$9 are used, and those uses (rules/regex.ts). */
  captures: CaptureFacts;
  /** Upstream host names written as names, which nginx resolves once at start (rules/resolver.ts). */
  upstreamHosts: { file: string; word: Word; host: string; stream: boolean; inUpstream: boolean }[];
  /** try_files directives and the settings around them (rules/hygiene.ts). */
  tryFiles: { file: string; word: Word; chain: readonly BlockSettings[] }[];
  /** worker_rlimit_nofile and worker_connections (rules/hygiene.ts). */
  workerLimits: { rlimit?: { file: string; word: Word; value: number }; connections?: number };
  /** The first directive that uses each feature nginx's security advisories name, by feature (rules/advisories.ts). */
  features: Map<string, FeatureUse>;
  /** Every http and stream level (http, server, location, if, limit_except), in the order the walk met them. */
  levels: Level[];
  /**
   * By level setting or list key (levels.ts), the levels that set it themselves, in walk order: a check
   * visits the levels that use what it looks for, not all of them (a large configuration has thousands).
   */
  present: Map<string, Level[]>;
  /** The levels other levels stand in (http, servers, locations with nested ones): those that pass settings on. */
  enclosing: Level[];
}

/** Where a feature is first used: its directive, the word to report on and how to name it ("listen … http2"). */
export interface FeatureUse { file: string; directive: Directive; word: Word; what: string }

/** What decides whether $1…$9 can hold anything where a directive uses them. */
export interface CaptureFacts {
  /**
   * The most capture groups among the regular expressions matched in the rewrite phase of a block
   * (rewrite and if, in the block and its ifs), by the server or location they belong to; a server's
   * entry also counts its server_name regexes and every location, if and rewrite regex inside it.
   */
  groupsIn: Map<Directive, number>;
  /** The most capture groups of any map regex: evaluating a map variable sets $1…$9 too. */
  mapGroups: number;
  uses: CaptureUse[];
  /** The first directive that makes cloned subrequests (slice, *_cache_background_update on). */
  clonedSubrequests?: FeatureUse;
  /** Map regexes with unnamed capture groups (http only). */
  mapPatterns: { file: string; word: Word }[];
  /** The blocks that hold a rewrite whose replacement has "?", with their file (looked at again at the end). */
  blocksWithArgs: Map<Directive, string>;
}

/** A directive that uses $1…$9, with the blocks around it (a copy), judged at the end. */
export interface CaptureUse { file: string; word: Word; highest: number; directive: Directive; parents: readonly Directive[] }

type Report = (start: number, end: number, code: RuleId, message: string, data?: FindingData, severity?: Severity) => void;

/**
 * The one context every directive check reports through. The walk re-aims a single object before
 * each check (checks run synchronously), so a check costs no allocation.
 */
export interface CheckContext {
  readonly file: string;
  /** The enclosing block directives, outermost first (include boundaries are transparent). */
  readonly parents: readonly Directive[];
  /** The contexts the directive stands in (`http>location`, `stream>server`, …). */
  readonly contexts: readonly ContextKey[];
  /** What nginx remembers about the block the directive is in. */
  readonly block: BlockState;
  /** The recorded settings of every enclosing block, outermost first, ending with this block's (inheritance.ts). */
  readonly chain: readonly BlockSettings[];
  readonly facts: ConfigFacts;
  /** A file that no configuration includes: facts only the whole configuration gives are unknown. */
  readonly standalone: boolean;
  /** The nginx release the configuration is judged for (`nginx-ls.nginx.version`). */
  readonly target: NginxVersion;
  /** Which nginx it is written for (`nginx-ls.nginx.flavor`). */
  readonly flavor: FlavorSetting;
  /** The text of the directive's file. */
  text(): string;
  report: Report;
  /** Records a name a directive defines (a zone, a log format); false when it was already defined. */
  define(kind: NameKind, name: string, at: Word): boolean;
  /** Records a use of a name that must be defined somewhere in the configuration. */
  use(kind: NameKind, name: string, at: Word): void;
}

/** What the checks run once the whole configuration has been walked see. */
export interface EndContext {
  readonly main: string;
  /** The main file's tree, when it could be read. */
  readonly mainTree: ConfigFile | undefined;
  /** Every file of the configuration that could be read, parsed. */
  readonly files: ReadonlyMap<string, ConfigFile>;
  readonly prefix: string;
  readonly facts: ConfigFacts;
  readonly options: EndOptions;
  /** Reports in any file of the configuration. */
  report(
    file: string, start: number, end: number, code: RuleId, message: string, data?: FindingData, severity?: Severity
  ): void;
  /** "set at conf.d/site.conf:12", or the nginx default, for messages about inherited settings. */
  describe(e: Effective): string;
  /** "conf.d/site.conf:12" for a setting, relative to the prefix. */
  where(setting: Setting): string;
}

export interface EndOptions {
  /** Contexts of the main file's top level, when given (`['main']` for a real main config). */
  rootContexts?: readonly ContextKey[];
  standalone?: boolean;
  /** The time certificates are judged at; without it their validity is not judged. */
  now: Date | undefined;
  expiryWarningDays: number;
  flavor: FlavorSetting;
  /** The nginx release the configuration is judged for. */
  target: NginxVersion;
  /** Whether the target was set (`nginx-ls.nginx.version`) rather than assumed to be the newest stable. */
  targetGiven: boolean;
}

export type DirectiveCheck = (d: Directive, c: CheckContext) => void;
export type BlockEndCheck = (d: Directive, c: CheckContext, inside: BlockState) => void;
export type EndCheck = (c: EndContext) => void;

/** Where a quick fix starts from: the document, its tree, and the directive the diagnostic is on. */
export interface FixSite {
  text: string;
  tree: ConfigFile;
  directive: Directive;
  /** The enclosing block directives, outermost first. */
  parents: Directive[];
}

/** Where a quick fix for a finding on a comment starts from: the document, its tree, and the comment. */
export interface CommentFixSite {
  text: string;
  tree: ConfigFile;
  comment: Comment;
}

/**
 * A family of nginx rules. The walk finds every check by the directive's name in tables merged
 * once at load (rules/index.ts), in the order the families are listed there.
 */
export interface NginxFamily extends RuleFamily<FixSite> {
  /**
   * Checks by directive name, run when the directive is well formed as nginx's own module defines
   * it (allowed where it stands, the right shape and number of arguments): they judge its arguments.
   */
  directives?: Readonly<Record<string, DirectiveCheck>>;
  /** Checks by directive name, run on every occurrence in a checked context, however it is written. */
  asWritten?: Readonly<Record<string, DirectiveCheck>>;
  /** Checks by block name, run after the block's contents have been walked. */
  blockEnd?: Readonly<Record<string, BlockEndCheck>>;
  /** Run once, after the whole configuration has been walked. */
  end?: EndCheck;
  /** Quick fixes for rules whose findings stand on a comment (suppressions), by rule id. */
  commentFixes?: Partial<Record<RuleId, FixProvider<CommentFixSite>>>;
}
