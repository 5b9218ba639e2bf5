/**
 * Loads a configuration the way nginx does (the main file, then every include in place, relative to
 * the configuration prefix) and checks it. The walk visits the expanded tree once: an included
 * file's directives are checked in the block and context of the `include` that brought them in, so
 * a `conf.d/site.conf` included inside `http {}` may hold `server` blocks.
 */
import * as path from 'node:path/posix';
import { ConfigHost, hasGlob } from '../host';
import {
  ContextKey, DirectiveVariant, allowedIn, argCountFits, childContext, closestDirectiveName, describeArgs,
  ENTRY_BLOCKS, directiveVariants, isUncheckedContext, unknownModuleStem,
} from './knowledge';
import { Finding, Severity, printable } from '../finding';
import { RuleId } from '../rules';
import { ConfigFile, Directive, Node, Word, isLuaBlockDirective, parse, sliceInterned } from './syntax';
import { checkIfCondition, checkListen, checkNumber, checkSize, checkTime } from './values';
import { isBuiltinVariable } from './docs';
import {
  BlockSettings, CIPHER_DIRECTIVES, Effective, FAMILIES, PROTOCOL_DIRECTIVES, Setting, TLS_SETTINGS, TlsServer, TlsSite,
  checkServers, checkSites, effective, legacyProtocols, weakCipherClasses,
} from './tls';
import { CertificateUse, TLS_FILE_DIRECTIVES, checkCertificates } from './certcheck';
import { CheckContext, DIRECTIVE_CHECKS, NameKind, UNDEFINED_NAME, checkEntries } from './checks';

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
  /** "Now" for certificate validity (tests fix it). */
  now?: Date;
  /** `nginx-ls.certificates.expiryWarningDays`: how early an expiring certificate is flagged. */
  expiryWarningDays?: number;
  /** `nginx-ls.pathMappings`: server path prefixes and where they live in the workspace. */
  pathMappings?: readonly [string, string][];
}

export interface ConfigAnalysis {
  main: string;
  /** The configuration prefix: relative paths in includes and certificates resolve against it. */
  prefix: string;
  files: Map<string, ConfigFile>;
  placements: Map<string, FilePlacement>;
  findings: Finding[];
  /** Every TLS upstream use, with the settings in effect there (for hover). */
  tlsSites: TlsSite[];
  /** Every certificate, key or CA path, resolved and read (for hover). */
  certificateUses: CertificateUse[];
}

/** Contexts for a file that no configuration includes: anything that may stand at any level. */
export const PERMISSIVE_CONTEXTS: readonly ContextKey[] = [
  'main', 'http', 'http>server', 'http>location', 'stream', 'stream>server', 'mail', 'mail>server', 'events',
];

const MAGIC_CONTEXT = /^#\s*nginx-ls:\s*context\s*=\s*([a-z>]+)/m;

/** The contexts named by a `# nginx-ls: context=http` comment, if the file has one. */
export function declaredContexts(text: string): ContextKey[] | undefined {
  const match = MAGIC_CONTEXT.exec(text.slice(0, 4096));
  if (!match) return undefined;
  const name = match[1];
  const map: Record<string, string> = { server: 'http>server', location: 'http>location', upstream: 'http>upstream' };
  return [map[name] ?? name];
}

export function parseConfig(text: string): ConfigFile {
  return parse(text, { isDirectiveName: (name) => directiveVariants(name) !== undefined });
}

/** Analyses the configuration whose main file is `main`. */
export function analyzeConfig(main: string, host: ConfigHost, options: AnalysisOptions = {}): ConfigAnalysis {
  return new Analysis(main, host, options).run();
}

/** What a directive name means in a set of contexts; the same for every occurrence, so worked out once. */
interface Resolution {
  /** The contexts that are checked (not map bodies or unknown blocks). */
  checked: readonly ContextKey[];
  variants: readonly DirectiveVariant[] | undefined;
  /** Variants allowed in one of the checked contexts. */
  fitting: readonly DirectiveVariant[];
  /** The checked contexts it is allowed in. */
  contexts: readonly ContextKey[];
  /** The contexts of its block's children (interned, so they key this cache too). */
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
  facts: NameFacts;
}

/**
 * What the walk needs to know about a directive name, independent of where it stands. Worked out
 * once per name: a large config repeats a few dozen names tens of thousands of times, and one
 * lookup per directive is cheaper than one per question.
 */
interface NameFacts {
  /** The argument naming the variable this directive defines (`set $x …`). */
  define: ((args: readonly Word[]) => Word | undefined) | undefined;
  /** Its arguments may hold regular expressions with named captures, which define variables. */
  capturing: boolean;
  /** Which arguments may hold variables: none, all but a leading regex, all but an `if` regex, or the usual rule (checkVariables). */
  variableArgs: 'none' | 'all-but-first' | 'if' | 'default';
  valueKind: ValueKind;
  singleBlock: boolean;
  repeatable: boolean;
  singleMultiArg: boolean;
  check: ((d: Directive, c: CheckContext) => void) | undefined;
  tlsRelevant: boolean;
  luaBlock: boolean;
}

const nameFacts = new Map<string, NameFacts>();

function factsOf(name: string): NameFacts {
  let facts = nameFacts.get(name);
  if (facts) return facts;
  facts = {
    define: DEFINES.get(name),
    capturing: CAPTURING.has(name) || name.startsWith('~'),
    variableArgs: NO_VARIABLES.has(name) ? 'none' : name === 'rewrite' ? 'all-but-first' : name === 'if' ? 'if' : 'default',
    valueKind: computeValueKind(name),
    singleBlock: SINGLE_BLOCKS.has(name),
    repeatable: REPEATABLE.has(name),
    singleMultiArg: SINGLE_MULTI_ARG.has(name),
    check: DIRECTIVE_CHECKS.get(name),
    tlsRelevant: TLS_RELEVANT.has(name),
    luaBlock: isLuaBlockDirective(name),
  };
  if (nameFacts.size > 10_000) nameFacts.clear(); // a bound, whatever files are thrown at it
  nameFacts.set(name, facts);
  return facts;
}

const resolutions = new WeakMap<readonly ContextKey[], Map<string, Resolution>>();
const internedContexts = new Map<string, readonly ContextKey[]>();

function intern(contexts: ContextKey[]): readonly ContextKey[] {
  const key = contexts.join('|');
  let known = internedContexts.get(key);
  if (!known) internedContexts.set(key, (known = contexts));
  return known;
}

const ARG_COUNTS_KNOWN = 8;

/** `[...chain, last]`, without the iterator a spread goes through. */
function extended<T>(chain: readonly T[], last: T): T[] {
  const out = new Array<T>(chain.length + 1);
  for (let i = 0; i < chain.length; i++) out[i] = chain[i];
  out[chain.length] = last;
  return out;
}

function someFits(variants: readonly DirectiveVariant[], count: number): boolean {
  for (const v of variants) if (argCountFits(v, count)) return true;
  return false;
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
  // A `*_by_lua_block` table entry counts the Lua body as an argument.
  const counts = (shaped: readonly DirectiveVariant[]): boolean[] =>
    Array.from({ length: ARG_COUNTS_KNOWN }, (_, n) => someFits(shaped, n + (facts.luaBlock ? 1 : 0)));
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
    facts,
  };
  if (byName.size > 10_000) byName.clear();
  byName.set(name, r);
  return r;
}

/** Per-block state: what nginx remembers about the block it is filling. */
interface BlockState {
  /** Directives nginx accepts once per block, by name; created on the first one (most blocks have few). */
  seen: Map<string, Directive> | undefined;
  /** TLS-related directives this block sets, for inheritance. */
  settings: BlockSettings;
  listens?: Map<string, Directive>;
  /** Non-regex locations by modifier ("" for none or "^~", which nginx treats alike), then by match. */
  locations?: Map<string, Map<string, Directive>>;
  /** Set on a `server` block: what the TLS checks need of it. */
  server?: TlsServer;
  /** How many of each certificate/key directive this block has so far (nginx pairs them by position). */
  tlsFileCount: ReadonlyMap<string, number>;
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
}

function newState(): BlockState {
  return { seen: undefined, settings: new Map(), tlsFileCount: EMPTY_COUNTS };
}

/** Shared until a block has a certificate directive (most never do). */
const EMPTY_COUNTS: ReadonlyMap<string, number> = new Map();

interface VariableUse { file: string; start: number; end: number; name: string }

const REMOVED_ADVICE = new Map([
  ['ssl', '"ssl" was removed in nginx 1.25.1 (deprecated since 1.15.0): add "ssl" to the "listen" directive instead'],
]);

/** Deeper nesting is not analysed (nginx configs nest a handful of levels; recursion must stay bounded). */
const MAX_DEPTH = 500;

/** Files nginx packages install beside nginx.conf. */
const SHIPPED_WITH_NGINX = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf',
  'proxy_params', 'fastcgi-php.conf', 'snakeoil.conf',
]);

/** Directives whose second and later repetitions in one block nginx accepts. */
const REPEATABLE = new Set([
  'include', 'ssl_certificate', 'ssl_certificate_key', 'load_module', 'env', 'allow', 'deny', 'server',
  'set_real_ip_from', 'debug_connection', 'proxy_hide_header', 'proxy_pass_header', 'fastcgi_hide_header',
  'fastcgi_pass_header', 'uwsgi_hide_header', 'uwsgi_pass_header', 'scgi_hide_header', 'scgi_pass_header',
  'grpc_hide_header', 'grpc_pass_header', 'mirror', 'js_import', 'js_path', 'js_preload_object', 'perl_modules', 'perl_require',
  'ssl_session_ticket_key', 'thread_pool', 'ssl_stapling_file', 'lua_shared_dict', 'error_log', 'access_log',
  'image_filter', 'real_ip_header', 'ssl_ecdh_curve', 'ssl_dhparam', 'resolver', 'zone', 'ssl_password_file',
  'proxy_ssl_password_file', 'ssl_conf_command', 'more_set_headers', 'more_clear_headers', 'more_set_input_headers',
  'more_clear_input_headers', 'geoip_proxy', 'geoip2_proxy', 'add_header', 'add_trailer',
]);

/** Blocks nginx accepts once in their parent. */
const SINGLE_BLOCKS = new Set(['http', 'events', 'stream', 'mail', 'types']);

/** The second of these in one block is refused ("is duplicate"), beyond single-value directives. */
const SINGLE_MULTI_ARG = new Set(['keepalive_timeout', 'try_files', 'expires', 'user', 'root', 'alias', 'log_not_found', 'rewrite_log']);

type ValueKind = 'size' | 'time' | 'number' | 'count-size' | undefined;
/** Sizes, times and numbers, by directive (worked out once per name, in factsOf). */
function computeValueKind(name: string): ValueKind {
  if (/_buffers$/.test(name) || name === 'large_client_header_buffers') return 'count-size';
  if (/(_buffer_size|_busy_buffers_size|_max_body_size|_max_temp_file_size|_temp_file_write_size|_max_chunk|_min_length)$/.test(name)
    || ['postpone_output', 'limit_rate_after', 'directio_alignment', 'read_ahead', 'send_lowat', 'slice'].includes(name)) return 'size';
  if (/_hash_(max|bucket)_size$/.test(name) || /_tries$/.test(name)
    || ['worker_connections', 'worker_rlimit_nofile', 'keepalive_requests', 'max_ranges', 'open_file_cache_min_uses', 'ssl_verify_depth',
      'proxy_ssl_verify_depth', 'grpc_ssl_verify_depth', 'uwsgi_ssl_verify_depth'].includes(name)) return 'number';
  if ((/_timeout$/.test(name) && name !== 'ssl_session_timeout_off') || ['lingering_time', 'keepalive_time', 'open_file_cache_valid', 'auth_delay',
    'send_timeout', 'proxy_cache_lock_age', 'fastcgi_cache_lock_age', 'resolver_timeout'].includes(name)) return 'time';
  return undefined;
}

/** Directives whose `$` is a regex anchor or literal in every argument, not a variable. */
const NO_VARIABLES = new Set(['location', 'server_name', 'valid_referers', 'fastcgi_split_path_info', 'gzip_disable', 'ssi_types', 'log_format_escape']);

/** Directives that define the variable named by one of their arguments. */
const DEFINES = new Map<string, (args: readonly Word[]) => Word | undefined>(Object.entries({
  set: (a) => a[0],
  map: (a) => a[1],
  split_clients: (a) => a[1],
  geo: (a) => a[a.length - 1],
  js_set: (a) => a[0],
  perl_set: (a) => a[0],
  set_by_lua: (a) => a[0],
  set_by_lua_block: (a) => a[0],
  set_by_lua_file: (a) => a[0],
  auth_request_set: (a) => a[0],
  auth_jwt_claim_set: (a) => a[0],
  auth_jwt_header_set: (a) => a[0],
  set_secure_link: (a) => a[0],
  js_var: (a) => a[0],
  geoip2: () => undefined,
} satisfies Record<string, (args: readonly Word[]) => Word | undefined>));

/** Every directive name recordTls looks at; everything else returns at once. */
const TLS_RELEVANT: ReadonlySet<string> = new Set([...TLS_SETTINGS, ...PROTOCOL_DIRECTIVES, ...CIPHER_DIRECTIVES, ...TLS_FILE_DIRECTIVES.keys(),
  'server_name', 'listen', ...FAMILIES.map((f) => f.pass)]);

const CAPTURING = new Set(['location', 'server_name', 'if', 'rewrite', 'fastcgi_split_path_info', 'proxy_redirect', 'valid_referers']);

const DOLLAR = 0x24, TILDE = 0x7e, LBRACE = 0x7b, RBRACE = 0x7d;

/** `[A-Za-z0-9_]`: the characters of a variable name. */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** `$x`, `${x}` → `x`. */
function variableName(value: string): string {
  let start = 0;
  let end = value.length;
  if (value.charCodeAt(0) === DOLLAR) start = value.charCodeAt(1) === LBRACE ? 2 : 1;
  if (end > start && value.charCodeAt(end - 1) === RBRACE) end--;
  return start === 0 && end === value.length ? value : sliceInterned(value, start, end);
}
const NAMED_CAPTURE = /\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']/g;

class Analysis {
  private readonly files = new Map<string, ConfigFile>();
  private readonly placements = new Map<string, FilePlacement>();
  private readonly findings: Finding[] = [];
  /** Findings by file and start offset, to say each thing once. */
  private readonly findingKeys = new Map<string, Map<number, Finding[]>>();
  private readonly prefix: string;
  /** Files being expanded right now, for cycle detection. */
  private readonly includeStack: string[] = [];
  private readonly definedVariables = new Set<string>();
  private readonly variableUses: VariableUse[] = [];
  private readonly upstreams = new Map<string, Directive>();
  private readonly tlsSites: TlsSite[] = [];
  private readonly streamPasses: TlsSite[] = [];
  private readonly servers: TlsServer[] = [];
  private readonly certificateUses: CertificateUse[] = [];
  private readonly definedNames = new Map<NameKind, Set<string>>();
  private readonly nameUses: { kind: NameKind; name: string; file: string; word: Word }[] = [];
  /** Modules loaded by `load_module` that nginx-ls has no table for, and how often their directives appear. */
  private readonly unknownModules: { stem: string; file: string; word: Word; uses: number }[] = [];
  /** `listen … default_server` addresses across all http servers. */
  private readonly defaultServers = new Map<string, Directive>();

  constructor(private readonly main: string, private readonly host: ConfigHost, private readonly options: AnalysisOptions) {
    this.prefix = path.dirname(main);
  }

  run(): ConfigAnalysis {
    const tree = this.load(this.main);
    const contexts = intern([...(this.options.rootContexts ?? ['main'])]);
    if (typeof tree !== 'string') {
      this.placements.set(this.main, { file: this.main, contexts });
      this.includeStack.push(this.main);
      const state = newState();
      this.walk(this.main, tree.children, { contexts, resolutions: resolutionsIn(contexts), parents: [], state, chain: [state.settings] });
      this.includeStack.pop();
    }
    this.checkTls();
    for (const m of this.unknownModules) {
      const which = m.uses === 0 ? 'directives named' : m.uses === 1 ? 'its 1 directive named' : `its ${m.uses} directives named`;
      this.report(m.file, m.word.start, m.word.end, 'module-unknown',
        `nginx-ls does not know the directives of this module: ${which} "${m.stem}…" ${m.uses === 1 ? 'is' : 'are'} not checked`);
    }
    const certificateOptions = {
      now: this.options.now ?? new Date(),
      expiryWarningDays: this.options.expiryWarningDays ?? 30,
      pathMappings: [...(this.options.pathMappings ?? [])].sort((a, b) => b[0].length - a[0].length),
    };
    for (const r of checkCertificates(this.certificateUses, this.servers.filter((s) => s.module === 'http'), this.host, this.prefix, certificateOptions)) {
      this.report(r.file, r.start, r.end, r.code as RuleId, r.message, r.data, r.severity);
    }
    if (!this.options.standalone) {
      this.reportUnknownVariables();
      this.reportUndefinedNames();
    }
    const rootContexts = this.options.rootContexts ?? ['main'];
    // Only a config declared main (`# nginx-ls: context=main`) or that looks whole (it has http,
    // stream or mail), and that includes nothing that could hold the events block, lacks one.
    const top = typeof tree === 'string' ? [] : tree.children.filter((n): n is Directive => n.kind === 'directive');
    if (typeof tree !== 'string' && rootContexts.length === 1 && rootContexts[0] === 'main' && !this.options.standalone
      && (this.options.rootContexts !== undefined || top.some((d) => d.name.value === 'http' || d.name.value === 'stream' || d.name.value === 'mail'))
      && !top.some((d) => d.name.value === 'events' || d.name.value === 'include')) {
      this.report(this.main, 0, 0, 'events-missing', 'no "events" section in configuration: nginx refuses to start without "events {}"');
    }
    return { main: this.main, prefix: this.prefix, files: this.files, placements: this.placements, findings: this.findings, tlsSites: this.tlsSites, certificateUses: this.certificateUses };
  }

  private load(file: string): ConfigFile | string {
    const known = this.files.get(file);
    if (known) return known;
    const read = this.host.readConfig(file);
    switch (read.kind) {
      case 'text': {
        const cached = this.options.cache?.get(file);
        const tree = cached && cached.text === read.text ? cached : parseConfig(read.text);
        this.options.cache?.set(file, tree);
        this.files.set(file, tree);
        for (const p of tree.problems) this.report(file, p.start, p.end, 'syntax', p.message);
        return tree;
      }
      case 'missing': return 'no such file';
      case 'not-regular': return `it is ${read.what}, not a regular file`;
      case 'too-large': return `it is too large to read (${read.size} bytes)`;
      case 'error': return read.message;
    }
  }

  private report(file: string, start: number, end: number, code: RuleId, message: string, data?: Record<string, unknown>, severity?: Severity): void {
    // A file included in several places is walked once per include; say each thing once.
    let byStart = this.findingKeys.get(file);
    if (!byStart) this.findingKeys.set(file, (byStart = new Map()));
    const earlier = byStart.get(start);
    if (earlier?.some((f) => f.code === code && f.message === printable(message))) return;
    const finding: Finding = { file, start, end, code, message: printable(message) };
    if (data) finding.data = data;
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
    if (facts.define || facts.capturing || name.charCodeAt(0) === DOLLAR) this.collectDefinitions(d, scope, facts);
    const checked = resolved.checked;
    if (checked.length === 0) {
      this.walkEntries(file, d, scope);
      return;
    }
    const variants = resolved.variants;
    if (!variants) {
      const module = this.unknownModuleOf(name);
      if (module) {
        module.uses++;
        return;
      }
      const guess = closestDirectiveName(name);
      this.report(file, d.name.start, d.name.end, 'unknown-directive',
        `unknown directive "${name}"${guess ? `; did you mean "${guess}"?` : ''}`, guess ? { suggestion: guess } : undefined);
      return;
    }
    const fitting = resolved.fitting;
    if (fitting.length === 0) {
      this.report(file, d.name.start, d.name.end, 'directive-context',
        `"${name}" directive is not allowed here (${describeContexts(checked)}); it belongs in ${describeContexts(variants.flatMap((v) => v.contexts))}`);
      return;
    }
    const contexts = resolved.contexts;
    if (fitting[0].origin === 'removed') {
      this.report(file, d.name.start, d.end, 'directive-removed', REMOVED_ADVICE.get(name) ?? `"${name}" was removed from nginx`);
    }
    // A statement the file or a forgotten ";" cut short has its syntax error already; its arguments are not judged.
    const ended = d.semicolon !== undefined || d.block !== undefined;
    const wellFormed = ended && (d.block !== undefined
      ? this.checkShape(file, d, resolved.asBlock, resolved.flagBlock, resolved.countsBlock, facts)
      : this.checkShape(file, d, resolved.asSimple, resolved.flagSimple, resolved.countsSimple, facts));
    if (fitting[0].origin === 'nginx') this.checkVariables(file, d, scope, facts);
    this.checkDuplicate(file, d, scope, fitting[0], facts);
    // With the wrong number of arguments nginx stops there; checking each one would only repeat it.
    if (wellFormed) {
      this.checkSpecific(file, d, scope, contexts);
      if (facts.check && fitting[0].origin === 'nginx') facts.check(d, this.checkContext(file, scope, contexts));
    }
    if (facts.tlsRelevant) this.recordTls(file, d, scope, resolved.inStream);

    if (name === 'include') {
      this.include(file, d, scope);
      return;
    }
    if (d.block && !d.block.raw && scope.parents.length >= MAX_DEPTH) {
      this.report(file, d.block.open, d.block.open + 1, 'syntax', `blocks nested more than ${MAX_DEPTH} deep: the rest is not analysed`);
      return;
    }
    if (d.block && !d.block.raw) {
      const childContexts = resolved.childContexts;
      const state = newState();
      if (name === 'server' && !contexts.some((c) => c.endsWith('upstream'))) {
        const module = contexts.includes('stream') ? 'stream' : contexts.includes('mail') ? 'mail' : 'http';
        state.server = { file, directive: d, chain: extended(scope.chain, state.settings), sslListens: [], names: [], module };
        this.servers.push(state.server);
      }
      scope.parents.push(d);
      this.walk(file, d.block.children, {
        contexts: childContexts, resolutions: resolutionsIn(childContexts), parents: scope.parents, state, chain: extended(scope.chain, state.settings),
      });
      scope.parents.pop();
      this.afterBlock(file, d, state, contexts, scope);
    }
  }

  private unknownModuleOf(name: string): { stem: string; uses: number } | undefined {
    for (const m of this.unknownModules) if (name.startsWith(m.stem)) return m;
    return undefined;
  }

  /** Records what the TLS pass needs: settings by block, upstream use sites, listen … ssl. */
  private recordTls(file: string, d: Directive, scope: Scope, stream: boolean): void {
    const name = d.name.value;
    if (TLS_SETTINGS.has(name) && !scope.state.settings.has(name)) scope.state.settings.set(name, { directive: d, file });
    if (PROTOCOL_DIRECTIVES.has(name)) {
      for (const w of legacyProtocols(d)) {
        this.report(file, w.start, w.end, 'tls-legacy-protocol', `${w.value} is obsolete and insecure (RFC 8996 deprecates TLS 1.0 and 1.1): use TLSv1.2 and TLSv1.3`, { directive: name });
      }
    }
    if (CIPHER_DIRECTIVES.has(name) && d.args.length === 1 && !d.args[0].value.includes('$')) {
      const weak = weakCipherClasses(d.args[0].value);
      if (weak.length) {
        this.report(file, d.args[0].start, d.args[0].end, 'tls-weak-cipher',
          `this cipher string enables ${weak.join(', ')} suites${weak.some((w) => w.startsWith('anonymous')) ? ' (add "!aNULL")' : ''}; "HIGH:!aNULL:!MD5" is a safe start`);
      }
    }
    if (name === 'server_name' && scope.state.server) for (const w of d.args) scope.state.server.names.push({ file, word: w });
    const fileKind = TLS_FILE_DIRECTIVES.get(name);
    if (fileKind && d.args[0]) {
      const index = scope.state.tlsFileCount.get(name) ?? 0;
      if (scope.state.tlsFileCount === EMPTY_COUNTS) scope.state.tlsFileCount = new Map();
      (scope.state.tlsFileCount as Map<string, number>).set(name, index + 1);
      this.certificateUses.push({ file, directive: d, word: d.args[0], kind: fileKind, block: scope.state.settings, index, chain: scope.chain });
    }
    if (name === 'listen' && scope.state.server) {
      const ssl = d.args.find((a, i) => i > 0 && a.value === 'ssl');
      if (ssl) scope.state.server.sslListens.push({ file, word: ssl });
    }
    const url = d.args[0]?.value;
    if (!url) return;
    const family = familyOf(name);
    if (!family) return;
    if (stream) {
      if (name === 'proxy_pass') this.streamPasses.push({ file, directive: d, family, chain: scope.chain, host: url, isUpstreamGroup: false, stream: true });
      return;
    }
    if (url.length < family.scheme.length || url.slice(0, family.scheme.length).toLowerCase() !== family.scheme) return;
    const host = url.slice(family.scheme.length).split('/')[0];
    this.tlsSites.push({ file, directive: d, family, chain: scope.chain, host, isUpstreamGroup: false, stream: false });
  }

  /** Runs the TLS checks once the whole configuration has been walked. */
  private checkTls(): void {
    for (const site of this.streamPasses) {
      if (effective(site.chain, 'proxy_ssl', 'off').value.toLowerCase() === 'on') this.tlsSites.push(site);
    }
    for (const site of this.tlsSites) {
      const bare = site.host.replace(/:\d+$/, '');
      site.isUpstreamGroup = this.upstreams.has(`${site.stream ? 'stream' : 'http'}:${bare}`);
    }
    const describe = (e: Effective) => (e.setting ? `set at ${this.where(e.setting)}` : this.options.standalone ? `nginx default, unless ${this.options.enclosedBy ?? 'a file that includes this one'} sets it` : 'nginx default');
    const reports = [...checkSites(this.tlsSites, describe), ...checkServers(this.servers, describe)];
    for (const r of reports) {
      // Without the including config, what it may set at the http or server level is unknown.
      if (this.options.standalone && r.code !== 'tls-upstream-unverified' && r.code !== 'tls-upstream-no-sni') continue;
      this.report(r.file, r.start, r.end, r.code as RuleId, r.message, r.data, r.severity);
    }
  }

  /** "conf.d/site.conf:12" for a setting, relative to the prefix. */
  private where(setting: Setting): string {
    const text = this.files.get(setting.file)?.text ?? '';
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < setting.directive.start; i = text.indexOf('\n', i + 1)) line++;
    return `${path.relative(this.prefix, setting.file) || path.basename(setting.file)}:${line}`;
  }

  /** The entries of map, types, geo, …: not directives, but they may use and define variables. */
  private walkEntries(file: string, d: Directive, scope: Scope): void {
    this.checkVariables(file, d, scope, factsOf(d.name.value));
    if (d.name.value === 'include' && d.args.length === 1) this.include(file, d, scope);
    if (d.block && !d.block.raw) {
      scope.parents.push(d);
      this.walk(file, d.block.children, { contexts: scope.contexts, resolutions: scope.resolutions, parents: scope.parents, state: newState(), chain: scope.chain });
      scope.parents.pop();
    }
  }

  /** `shaped`: the fitting variants that are blocks (for a directive with a block) or not. */
  private checkShape(file: string, d: Directive, shaped: readonly DirectiveVariant[], flagOnly: boolean, counts: readonly boolean[], facts: NameFacts): boolean {
    const name = d.name.value;
    const isBlock = d.block !== undefined;
    if (shaped.length === 0) {
      if (isBlock) this.report(file, d.name.start, d.name.end, 'directive-block', `"${name}" directive is not terminated by ";" (it takes no block)`);
      else this.report(file, d.name.start, d.end, 'directive-block', `"${name}" directive has no opening "{"`);
      return false;
    }
    // A `*_by_lua_block` table entry counts the Lua body as an argument.
    const count = d.args.length + (facts.luaBlock ? 1 : 0);
    if (!(d.args.length < ARG_COUNTS_KNOWN ? counts[d.args.length] : someFits(shaped, count))) {
      const end = d.args.length ? d.args[d.args.length - 1].end : d.name.end;
      this.report(file, d.name.start, end, 'directive-args',
        `invalid number of arguments in "${name}" directive: ${d.args.length} given, ${describeArgs(shaped[0])} expected`);
      return false;
    }
    if (flagOnly && d.args.length === 1) {
      const value = d.args[0].value.toLowerCase();
      if (value !== 'on' && value !== 'off') {
        this.report(file, d.args[0].start, d.args[0].end, 'directive-args',
          `invalid value "${d.args[0].value}" in "${name}" directive, it must be "on" or "off"`);
      }
    }
    if (facts.valueKind && shaped[0].origin === 'nginx') this.checkValues(file, d, facts.valueKind);
    return true;
  }

  private checkValues(file: string, d: Directive, kind: ValueKind): void {
    d.args.forEach((arg, i) => {
      if (arg.value.includes('$') || arg.value === 'off' || arg.value.includes('=')) return;
      const check = kind === 'size' ? checkSize : kind === 'time' ? checkTime : kind === 'number' ? checkNumber
        : i === 0 ? checkNumber : checkSize;
      if (kind === 'number' && (arg.value === 'auto' || d.name.value === 'keepalive_requests' && arg.value === 'off')) return;
      const problem = check(arg.value);
      if (problem) this.report(file, arg.start, arg.end, 'invalid-value', `${problem} in "${d.name.value}" directive`);
    });
  }

  private checkDuplicate(file: string, d: Directive, scope: Scope, variant: DirectiveVariant, facts: NameFacts): void {
    const name = d.name.value;
    if (facts.singleBlock && d.block) {
      const first = scope.state.seen?.get(name);
      if (first) this.report(file, d.name.start, d.name.end, 'directive-duplicate', `"${name}" directive is duplicate`);
      else (scope.state.seen ??= new Map()).set(name, d);
      return;
    }
    if ((name === 'root' || name === 'alias') && scope.state.seen?.has(name === 'root' ? 'alias' : 'root')) {
      this.report(file, d.name.start, d.name.end, 'directive-duplicate',
        `"${name}" directive is duplicate, "${name === 'root' ? 'alias' : 'root'}" directive was specified earlier`);
      return;
    }
    if (variant.origin !== 'nginx' || d.block || facts.repeatable) return;
    const single = variant.args.length === 1 && (variant.args[0] === 'flag' || variant.args[0] === '1');
    if (!single && !facts.singleMultiArg) return;
    const first = scope.state.seen?.get(name);
    if (!first) {
      (scope.state.seen ??= new Map()).set(name, d);
      return;
    }
    this.report(file, d.name.start, d.name.end, 'directive-duplicate', `"${name}" directive is duplicate`);
  }

  private checkSpecific(file: string, d: Directive, scope: Scope, contexts: readonly ContextKey[]): void {
    const name = d.name.value;
    const args = d.args;
    switch (name) {
      case 'if': {
        const problem = checkIfCondition(args.map((a) => a.value));
        if (problem) this.report(file, d.name.start, args.length ? args[args.length - 1].end : d.name.end, 'if-condition', problem);
        break;
      }
      case 'listen': {
        if (args.length === 0) break;
        const module = contexts[0].startsWith('stream') ? 'stream' : contexts[0].startsWith('mail') ? 'mail' : 'http';
        const { address, problem } = checkListen(args.map((a) => a.value), module);
        if (problem) {
          const arg = args[problem.argIndex];
          this.report(file, arg.start, arg.end, 'listen-address', problem.message);
        } else if (address && module === 'http') {
          const listens = (scope.state.listens ??= new Map());
          if (listens.has(address)) this.report(file, args[0].start, args[0].end, 'listen-address', `a duplicate listen ${address}`);
          else listens.set(address, d);
          const flag = args.find((a) => a.value === 'default_server' || a.value === 'default');
          if (flag) {
            if (this.defaultServers.has(address)) this.report(file, flag.start, flag.end, 'listen-address', `a duplicate default server for ${address}`);
            else this.defaultServers.set(address, d);
          }
        }
        break;
      }
      case 'location':
        this.checkLocation(file, d, scope);
        break;
      case 'load_module': {
        const stem = unknownModuleStem(args[0].value);
        if (stem && !this.unknownModules.some((m) => m.stem === stem)) this.unknownModules.push({ stem, file, word: args[0], uses: 0 });
        break;
      }
      case 'proxy_pass':
        this.checkProxyPassUri(file, d, scope);
        break;
      case 'upstream': {
        if (args.length !== 1 || !contexts.includes('http') && !contexts.includes('stream')) break;
        const key = `${contexts.includes('stream') ? 'stream' : 'http'}:${args[0].value}`;
        const other = this.upstreams.get(key);
        if (other && other !== d) this.report(file, args[0].start, args[0].end, 'duplicate-upstream', `duplicate upstream "${args[0].value}"`);
        else this.upstreams.set(key, d);
        break;
      }
    }
  }

  private checkLocation(file: string, d: Directive, scope: Scope): void {
    const args = d.args;
    let modifier = '';
    let match: string;
    if (args.length === 2) {
      modifier = args[0].value;
      match = args[1].value;
      if (!['=', '~', '~*', '^~'].includes(modifier)) {
        this.report(file, args[0].start, args[0].end, 'location-modifier', `invalid location modifier "${modifier}"; use =, ~, ~*, ^~ or none`);
        return;
      }
    } else if (args.length === 1) {
      ({ modifier, match } = splitModifier(args[0].value));
    } else return;
    const parent = scope.parents[scope.parents.length - 1];
    if (parent?.name.value === 'location') {
      const p = locationMatch(parent);
      if (modifier === '@') this.report(file, d.name.start, d.name.end, 'location-nesting', `named location "@${match}" can be on the server level only`);
      else if (p.modifier === '=') this.report(file, d.name.start, d.name.end, 'location-nesting', `location "${match}" cannot be inside the exact location "${p.match}"`);
      else if (p.modifier === '@') this.report(file, d.name.start, d.name.end, 'location-nesting', `location "${match}" cannot be inside the named location "@${p.match}"`);
      else if (modifier !== '~' && modifier !== '~*' && !match.startsWith(p.match)) {
        this.report(file, d.name.start, d.name.end, 'location-nesting', `location "${match}" is outside location "${p.match}"`);
      }
    }
    if (modifier === '~' || modifier === '~*') return; // regex locations may repeat
    const kind = modifier === '^~' ? '' : modifier;
    const locations = (scope.state.locations ??= new Map());
    let byMatch = locations.get(kind);
    if (!byMatch) locations.set(kind, (byMatch = new Map()));
    if (byMatch.has(match)) {
      this.report(file, args[args.length - 1].start, args[args.length - 1].end, 'duplicate-location', `duplicate location "${modifier === '@' ? '@' : ''}${match}"`);
    } else byMatch.set(match, d);
  }

  private checkProxyPassUri(file: string, d: Directive, scope: Scope): void {
    const url = d.args[0]?.value;
    if (!url || url.includes('$')) return;
    const scheme = url.indexOf('://');
    if (scheme < 0 || url.indexOf('/', scheme + 3) < 0) return; // no URI part: the common case, no regex
    const m = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url);
    if (!m || m[1] === undefined) return;
    const where = this.forbiddenUriPlace(scope);
    if (where) {
      this.report(file, d.args[0].start, d.args[0].end, 'proxy-pass-uri',
        `"proxy_pass" cannot have URI part ("${m[1]}") ${where}; drop it or rewrite the URI`);
    }
  }

  private forbiddenUriPlace(scope: Scope): string | undefined {
    for (let i = scope.parents.length - 1; i >= 0; i--) {
      const p = scope.parents[i];
      const name = p.name.value;
      if (name === 'if') return 'inside "if" statement';
      if (name === 'limit_except') return 'inside "limit_except" block';
      if (name === 'location') {
        const { modifier } = locationMatch(p);
        if (modifier === '~' || modifier === '~*') return 'in location given by regular expression';
        if (modifier === '@') return 'inside named location';
        return undefined;
      }
    }
    return undefined;
  }

  private afterBlock(file: string, d: Directive, state: BlockState, contexts: readonly ContextKey[], scope: Scope): void {
    if (d.name.value === 'upstream' && (contexts.includes('http') || contexts.includes('stream'))) {
      const hasServer = state.seen?.has('server') || this.blockHasServer(d);
      // nginx names the closing brace; the whole (empty) block is marked.
      if (!hasServer) this.report(file, d.name.start, d.end, 'upstream-empty', `no servers are inside upstream "${d.args[0]?.value ?? ''}"`);
    }
    if (ENTRY_BLOCKS.has(d.name.value)) checkEntries(d, this.checkContext(file, scope, contexts));
  }

  /** The context the directive checks report through: one object, re-aimed before each check (checks run synchronously). */
  private readonly checks: AimedChecks = {
    file: '',
    parents: [],
    contexts: [],
    report: (start, end, code, message, severity) => this.report(this.checks.file, start, end, code, message, undefined, severity),
    define: (kind, name) => {
      let set = this.definedNames.get(kind);
      if (!set) this.definedNames.set(kind, (set = new Set()));
      if (set.has(name)) return false;
      set.add(name);
      return true;
    },
    use: (kind, name, word) => { this.nameUses.push({ kind, name, file: this.checks.file, word }); },
  };

  private checkContext(file: string, scope: Scope, contexts: readonly ContextKey[]): CheckContext {
    const c = this.checks;
    c.file = file;
    c.parents = scope.parents;
    c.contexts = contexts;
    return c;
  }

  private reportUndefinedNames(): void {
    for (const use of this.nameUses) {
      if (this.definedNames.get(use.kind)?.has(use.name)) continue;
      const { code, message } = UNDEFINED_NAME[use.kind];
      this.report(use.file, use.word.start, use.word.end, code, message(use.name));
    }
  }

  private blockHasServer(d: Directive): boolean {
    const hasIn = (nodes: readonly Node[], depth: number): boolean => nodes.some((n) => {
      if (n.kind !== 'directive') return false;
      if (n.name.value === 'server') return true;
      if (n.name.value === 'include' && depth < 8) {
        return this.includeTargets(n).some((target) => {
          const tree = this.files.get(target);
          return tree !== undefined && hasIn(tree.children, depth + 1);
        });
      }
      return false;
    });
    return hasIn(d.block?.children ?? [], 0);
  }

  private includeTargets(d: Directive): string[] {
    const arg = d.args[0];
    if (!arg || arg.value.includes('$')) return [];
    const target = path.resolve(this.prefix, arg.value);
    return hasGlob(target) ? this.host.glob(target) : [target];
  }

  private include(file: string, d: Directive, scope: Scope): void {
    const arg = d.args[0];
    if (!arg || d.args.length !== 1) return;
    const pattern = path.resolve(this.prefix, arg.value);
    const targets = hasGlob(pattern) ? this.host.glob(pattern) : [pattern];
    if (targets.length === 0) return; // nginx accepts a glob that matches nothing
    for (const target of targets) {
      if (this.includeStack.includes(target)) {
        const chain = [...this.includeStack.slice(this.includeStack.indexOf(target)), target].map((f) => path.relative(this.prefix, f) || f);
        this.report(file, arg.start, arg.end, 'include-cycle', `include cycle: ${chain.join(' → ')}`);
        continue;
      }
      if (this.includeStack.length > 64) {
        this.report(file, arg.start, arg.end, 'include-cycle', 'includes nested more than 64 deep');
        continue;
      }
      const tree = this.load(target);
      // A file no configuration includes has no known prefix: its relative includes cannot be resolved.
      if (typeof tree === 'string' && this.options.standalone && !path.isAbsolute(arg.value)) continue;
      if (typeof tree === 'string') {
        if (tree === 'no such file') this.reportMissingInclude(file, arg, target);
        else this.report(file, arg.start, arg.end, 'include-unreadable', `cannot include "${target}": ${tree}`, { target });
        continue;
      }
      if (!this.placements.has(target)) this.placements.set(target, { file: target, contexts: scope.contexts, includedFrom: { file, directive: d } });
      this.includeStack.push(target);
      this.walk(target, tree.children, scope);
      this.includeStack.pop();
    }
  }

  /**
   * nginx refuses a missing include, but the workspace is often not the server: files nginx ships
   * (mime.types, fastcgi_params…) and absolute paths elsewhere on the server are graded lower.
   */
  private reportMissingInclude(file: string, arg: Word, target: string): void {
    if (SHIPPED_WITH_NGINX.has(path.basename(target))) {
      this.report(file, arg.start, arg.end, 'include-not-found',
        `"${arg.value}" is not in the workspace; nginx packages ship it, so it is probably on the server`, { target }, 'information');
    } else if (path.isAbsolute(arg.value)) {
      this.report(file, arg.start, arg.end, 'include-not-found',
        `included file "${target}" not found on this machine (nginx refuses to start if it is missing on the server too)`, { target }, 'warning');
    } else {
      this.report(file, arg.start, arg.end, 'include-not-found', `included file "${target}" not found`, { target });
    }
  }

  private collectDefinitions(d: Directive, scope: Scope, facts: NameFacts): void {
    const word = facts.define?.(d.args);
    if (word) this.definedVariables.add(variableName(word.value));
    const name = d.name.value;
    if (name.charCodeAt(0) === DOLLAR && scope.parents[scope.parents.length - 1]?.name.value === 'geoip2') this.definedVariables.add(name.slice(1));
    // Named captures come from regular expressions: location, server_name, if, rewrite, map keys.
    if (!facts.capturing) return;
    for (let i = -1; i < d.args.length; i++) {
      const value = i < 0 ? name : d.args[i].value;
      if (!value.includes('(?')) continue;
      for (const m of value.matchAll(NAMED_CAPTURE)) this.definedVariables.add(m[1]);
    }
  }

  /** Records the variables the arguments use, to be checked once every definition is known. */
  private checkVariables(file: string, d: Directive, scope: Scope, facts: NameFacts): void {
    if (this.options.standalone || facts.variableArgs === 'none') return;
    const args = d.args;
    const parent = scope.parents[scope.parents.length - 1];
    const parentName = parent?.name.value;
    const keyed = parentName === 'map' || parentName === 'geo' || parentName === 'split_clients';
    let defined: Word | undefined;
    let ifRegex = -1;
    let text: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!arg.value.includes('$')) continue;
      if (text === undefined) {
        // Worked out only for the directives that use a variable, most do not.
        text = this.textOf(file);
        defined = facts.define?.(args);
        if (facts.variableArgs === 'if') ifRegex = args.findIndex((a) => /^!?~\*?$/.test(a.value)) + 1;
      }
      if (arg === defined) continue;
      // Where `$` is a regex anchor or part of a map key, it is no variable.
      if (facts.variableArgs === 'all-but-first' ? i === 0
        : facts.variableArgs === 'if' ? i === ifRegex && ifRegex > 0
          : keyed ? i === 0 : arg.value.charCodeAt(0) === TILDE) continue;
      this.scanVariables(file, text, arg.start, arg.end);
    }
  }

  /** The text of a loaded file; the last one is remembered (directives come file by file). */
  private textOf(file: string): string {
    if (file !== this.lastTextFile) {
      this.lastTextFile = file;
      this.lastText = this.files.get(file)!.text;
    }
    return this.lastText;
  }

  private lastTextFile: string | undefined;
  private lastText = '';

  /** Finds `$name` and `${name}` in text[start, end) (the raw argument, quotes included). */
  private scanVariables(file: string, text: string, start: number, end: number): void {
    let unclosedReported = false;
    for (let p = text.indexOf('$', start); p >= 0 && p < end - 1; p = text.indexOf('$', p + 1)) {
      const next = text.charCodeAt(p + 1);
      if (next === LBRACE) {
        let q = p + 2;
        while (q < end && isNameChar(text.charCodeAt(q))) q++;
        if (q < end && text.charCodeAt(q) === RBRACE) {
          if (q > p + 2) this.useVariable(file, p, q + 1, sliceInterned(text, p + 2, q));
        } else if (!unclosedReported) {
          unclosedReported = true;
          this.report(file, p, q, 'unknown-variable', `the closing bracket in "${text.slice(p + 2, q)}" variable is missing`);
        }
      } else if (isNameChar(next) && !(next >= 0x30 && next <= 0x39)) {
        let q = p + 2;
        while (q < end && isNameChar(text.charCodeAt(q))) q++;
        this.useVariable(file, p, q, sliceInterned(text, p + 1, q));
      }
    }
  }

  private useVariable(file: string, start: number, end: number, name: string): void {
    // Built-in variables need no definition: only the others wait for the end of the walk.
    if (!isBuiltinVariable(name)) this.variableUses.push({ file, start, end, name });
  }

  private reportUnknownVariables(): void {
    for (const use of this.variableUses) {
      if (this.definedVariables.has(use.name) || isBuiltinVariable(use.name)) continue;
      this.report(use.file, use.start, use.end, 'unknown-variable', `unknown "${use.name}" variable`);
    }
  }
}

function familyOf(pass: string): (typeof FAMILIES)[number] | undefined {
  for (const f of FAMILIES) if (f.pass === pass) return f;
  return undefined;
}

interface AimedChecks extends CheckContext {
  file: string;
  parents: readonly Directive[];
  contexts: readonly ContextKey[];
}

export function locationMatch(d: Directive): { modifier: string; match: string } {
  if (d.args.length >= 2) return { modifier: d.args[0].value, match: d.args[1].value };
  return splitModifier(d.args[0]?.value ?? '');
}

/** `=/x` → `=` and `/x`: a modifier written without a space. */
function splitModifier(value: string): { modifier: string; match: string } {
  const first = value.charCodeAt(0);
  const modifier = first === TILDE ? (value.charCodeAt(1) === 0x2a /* * */ ? '~*' : '~') : first === 0x3d /* = */ ? '=' : first === 0x40 /* @ */ ? '@' : '';
  return { modifier, match: modifier ? value.slice(modifier.length) : value };
}

function describeContexts(contexts: readonly string[]): string {
  const names = [...new Set(contexts.map((c) => (c === 'direct' ? 'main' : c === 'any' ? 'any block' : c.split('>').pop()!)))];
  return names.map((n) => `"${n}"`).join(', ');
}
