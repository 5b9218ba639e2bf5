/**
 * The symbol index navigation answers from (navigation.ts): every name a configuration defines and
 * every place that uses one, found the way nginx finds them, across includes. Built by a walk of
 * the expanded tree the analysis loaded (its files, and the files each `include` brought in), once
 * per analysis and only when navigation first asks: diagnostics never pay for it.
 *
 * How nginx resolves each kind of name (measured with `nginx -t` where nginx checks it):
 * - upstreams, by the host of `proxy_pass http://name/…` and the other `*_pass` directives (a
 *   stream `proxy_pass name`), case-insensitively, http's apart from stream's;
 * - variables, defined by `set`, `map`, `geo`, `split_clients`, `perl_set`, `js_set`… or a named
 *   regex capture, case-insensitively, http's apart from stream's; `$1`…`$9` are the groups of the
 *   nearest regex that has that many;
 * - named locations (`@name`), within their server, case-sensitively;
 * - shared memory zones (`limit_req_zone`, `limit_conn_zone`, the `*_cache_path` keys zones, which
 *   every `*_cache` shares), case-sensitively; log formats, case-insensitively, per module.
 */
import type { ConfigAnalysis } from './walk';
import { CAPTURING, DEFINES, ENTRY_BLOCKS, NO_VARIABLES, foreignCodeArgument, locationMatch } from './knowledge';
import type { OffsetRange } from './locate';
import { type ConfigFile, type Directive, type Node, type Word, sliceInterned } from './syntax';

export type NavKind = 'upstream' | 'variable' | 'named-location' | 'zone' | 'log-format' | 'capture';

/** One occurrence of a name: where it is defined or used. */
export interface NavSite extends OffsetRange {
  file: string;
  /** Where the cursor finds it: the name with its sigil (`$name`, `${name}`, `@name`). `start`/`end` are the name alone. */
  hitStart: number;
  hitEnd: number;
  symbol: NavSymbol;
  definition: boolean;
  /** A definition's whole statement (the `upstream` block, the `set` line; a capture's regex), for the editor's peek. */
  statement?: OffsetRange;
}

export interface NavSymbol {
  kind: NavKind;
  /** Where the name is looked up: `http`, `stream`, `http cache` (a zone family), a server for a named location. */
  space: string;
  /** The name as its first definition writes it (`backend`, `limit`, `fallback` for `@fallback`, `1` for `$1`). */
  name: string;
  /** `http`, `stream` or `mail`: where names of this kind are looked up. */
  module: Module;
  definitions: NavSite[];
  references: NavSite[];
}

/** A path in the configuration that names files: an include pattern, a certificate or key. */
export interface FileLink extends OffsetRange {
  kind: 'include' | 'certificate';
  /** The files it names, in nginx's order; a glob names every match. */
  targets: readonly string[];
}

export interface NavigationIndex {
  readonly analysis: ConfigAnalysis;
  /** Every site of a file, ordered by `hitStart`. */
  readonly sites: ReadonlyMap<string, readonly NavSite[]>;
  /** Every link of a file, ordered by `start`. */
  readonly links: ReadonlyMap<string, readonly FileLink[]>;
  /** Symbols by symbolKey(kind, space, name). */
  readonly symbols: ReadonlyMap<string, NavSymbol>;
}

export type Module = 'http' | 'stream' | 'mail';

const indexes = new WeakMap<ConfigAnalysis, NavigationIndex>();

/** The index of an analysis, built on first use and kept as long as the analysis is. */
export function navigationIndex(analysis: ConfigAnalysis): NavigationIndex {
  let index = indexes.get(analysis);
  if (!index) indexes.set(analysis, (index = new IndexBuilder(analysis).build()));
  return index;
}

/** The directives that pass requests to an upstream, with the schemes their URL may start with. */
const PASSES: ReadonlyMap<string, { schemes: readonly string[]; schemeRequired: boolean }> = new Map([
  ['proxy_pass', { schemes: ['http://', 'https://'], schemeRequired: true }],
  ['grpc_pass', { schemes: ['grpc://', 'grpcs://'], schemeRequired: false }],
  ['uwsgi_pass', { schemes: ['uwsgi://', 'suwsgi://'], schemeRequired: false }],
  ['fastcgi_pass', { schemes: [], schemeRequired: false }],
  ['scgi_pass', { schemes: [], schemeRequired: false }],
  ['memcached_pass', { schemes: [], schemeRequired: false }],
]);

/** The directives that use a cache zone; any `*_cache_path` may define it (they share ngx_http_file_cache). */
const CACHE_USES: ReadonlySet<string> = new Set(['proxy_cache', 'fastcgi_cache', 'uwsgi_cache', 'scgi_cache']);
const CACHE_PATHS: ReadonlySet<string> = new Set(['proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path']);

/** Which argument of a directive may name a location (`@name`). */
const NAMED_LOCATION_USES: ReadonlyMap<string, 'last' | 'first'> = new Map([
  ['try_files', 'last'], ['error_page', 'last'], ['post_action', 'first'], ['echo_exec', 'first'],
]);

/**
 * Names whose directives define something navigation knows, or (a `*_pass` to `$variable`) say what
 * a map's values are. Most directives are none of these: one lookup skips them.
 */
const DEFINING: ReadonlySet<string> = new Set([
  ...DEFINES.keys(), ...CAPTURING, ...PASSES.keys(), 'upstream', 'location', 'limit_req_zone', 'limit_conn_zone', ...CACHE_PATHS,
  'log_format',
]);

/** Names whose directives use an upstream, a named location, a zone or a log format by name. */
const NAME_USING: ReadonlySet<string> = new Set([
  ...PASSES.keys(), 'limit_req', 'limit_conn', ...CACHE_USES, 'access_log', ...NAMED_LOCATION_USES.keys(),
]);

const IF_REGEX_OPERATORS: ReadonlySet<string> = new Set(['~', '~*', '!~', '!~*']);
const NAMED_CAPTURE = /\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']/g;
const DOLLAR = 0x24, LBRACE = 0x7b, RBRACE = 0x7d, TILDE = 0x7e;

/** Blocks and includes nest no deeper (the walk's own bound on blocks is the same). */
const MAX_DEPTH = 500;

/** A regular expression whose groups `$1`…`$9` may refer to. */
interface RegexSite { file: string; word: Word; groups: number }

interface Scope {
  module: Module;
  /** The `server` block named locations are looked up in (undefined outside one). */
  server: Directive | undefined;
  /** The entry block (`map`, `geo`, …) the statements are entries of. */
  entries: string | undefined;
  /** In a `map` whose variable a `*_pass` takes as its host: its values name upstreams (`module\0variable`). */
  passMap?: string;
  /** The regexes of the enclosing blocks (location, if, server_name), outermost first. */
  regexes: readonly RegexSite[];
}

/**
 * Two walks of the expanded tree: the first records every definition, the second every use of a
 * defined name (uses of names nothing defines, most of them built-in variables, cost no allocation).
 */
class IndexBuilder {
  private readonly sites = new Map<string, NavSite[]>();
  private readonly links = new Map<string, FileLink[]>();
  private readonly symbols = new Map<string, NavSymbol>();
  /** Variables a `*_pass` takes as its whole host (`proxy_pass http://$pool`), as `module\0name` (lowercased). */
  private readonly passVariables = new Set<string>();
  /** Lowercased names of the variables something defines, in any module: most uses are of others. */
  private readonly definedVariables = new Set<string>();
  /** The variable symbols of each module by lowercased name (the hot lookups, without building a key). */
  private readonly variables: Record<Module, Map<string, NavSymbol>> = { http: new Map(), stream: new Map(), mail: new Map() };
  private readonly linked = new Set<Directive>();
  private readonly serverIds = new Map<Directive, number>();
  /** Named locations by name, whatever their server: an http-level `error_page` may lead to any. */
  private readonly namedLocations = new Map<string, NavSymbol[]>();
  private readonly includeStack: string[] = [];
  private uses = false;
  private file = '';
  private text = '';

  constructor(private readonly analysis: ConfigAnalysis) {}

  build(): NavigationIndex {
    const { main } = this.analysis;
    const tree = this.analysis.files.get(main);
    if (tree) {
      const contexts = this.analysis.placements.get(main)?.contexts ?? ['main'];
      const module: Module = contexts.every((c) => c.startsWith('stream')) ? 'stream'
        : contexts.every((c) => c.startsWith('mail')) ? 'mail' : 'http';
      for (const uses of [false, true]) {
        this.uses = uses;
        this.includeStack.push(main);
        this.walkFile(main, tree, { module, server: undefined, entries: undefined, regexes: [] }, 0);
        this.includeStack.pop();
      }
    }
    for (const use of this.analysis.certificateUses) {
      // Only a file that was read: a directory or a FIFO is nothing to open.
      if (!use.resolved || use.resolved === 'data:' || use.status !== 'read') continue;
      const tree = this.analysis.files.get(use.file);
      const range = tree && unquoted(tree.text, use.word);
      if (range) this.addLink(use.file, { ...range, kind: 'certificate', targets: [use.resolved] });
    }
    for (const list of this.sites.values()) this.settle(list);
    for (const list of this.links.values()) list.sort((a, b) => a.start - b.start);
    return { analysis: this.analysis, sites: this.sites, links: this.links, symbols: this.symbols };
  }

  /**
   * Orders a file's sites and drops repeats (a file included twice in one place is walked twice),
   * then hands each to its symbol.
   */
  private settle(list: NavSite[]): void {
    list.sort((a, b) => a.hitStart - b.hitStart || a.start - b.start);
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const site = list[i];
      let repeat = false;
      for (let j = kept - 1; j >= 0 && list[j].hitStart === site.hitStart; j--) {
        if (list[j].symbol === site.symbol && list[j].start === site.start) { repeat = true; break; }
      }
      if (repeat) continue;
      list[kept++] = site;
      (site.definition ? site.symbol.definitions : site.symbol.references).push(site);
    }
    list.length = kept;
  }

  private walkFile(file: string, tree: ConfigFile, scope: Scope, depth: number): void {
    const outerFile = this.file, outerText = this.text;
    this.file = file;
    this.text = tree.text;
    this.walk(tree.children, scope, depth);
    this.file = outerFile;
    this.text = outerText;
  }

  private walk(nodes: readonly Node[], scope: Scope, depth: number): void {
    let regexes = scope.regexes;
    for (const node of nodes) {
      if (node.kind !== 'directive' || node.name.value === '') continue;
      const name = node.name.value;
      if (name === 'include') {
        this.include(node, regexes === scope.regexes ? scope : { ...scope, regexes }, depth);
        continue;
      }
      if (scope.entries) {
        this.entry(node, scope);
        continue;
      }
      // A rewrite's groups are what `$1` means in its replacement and in the statements after it.
      if (name === 'rewrite' && node.args.length > 0 && this.uses) regexes = [...regexes, this.regexSite(node.args[0])];
      if (this.uses) this.directiveUses(node, regexes, scope);
      else if (DEFINING.has(name)) this.directiveDefinitions(node, scope);
      if (node.block && !node.block.raw && depth < MAX_DEPTH) this.walk(node.block.children, this.inside(node, scope, regexes), depth + 1);
    }
  }

  /** The scope of a block's contents. */
  private inside(d: Directive, scope: Scope, regexes: readonly RegexSite[]): Scope {
    const name = d.name.value;
    if (ENTRY_BLOCKS.has(name)) {
      const target = name === 'map' ? d.args[1]?.value : undefined;
      const key = target && `${scope.module}\0${variableName(target).toLowerCase()}`;
      return { ...scope, entries: name, regexes, passMap: key && this.passVariables.has(key) ? key : undefined };
    }
    if (name === 'http' || name === 'stream' || name === 'mail') {
      return { module: name, server: undefined, entries: undefined, regexes: [] };
    }
    const own = this.uses ? this.blockRegexes(d) : [];
    const inner = own.length ? [...regexes, ...own] : regexes;
    if (name === 'server') return { ...scope, server: d, regexes: inner };
    return inner === scope.regexes ? scope : { ...scope, regexes: inner };
  }

  /** The regexes a block matches with: a regex location's, an `if`'s, a server's regex names. */
  private blockRegexes(d: Directive): RegexSite[] {
    const name = d.name.value;
    if (name === 'location') {
      const { modifier } = locationMatch(d);
      if (modifier !== '~' && modifier !== '~*') return [];
      const word = d.args[d.args.length >= 2 ? 1 : 0];
      return word ? [this.regexSite(word)] : [];
    }
    if (name === 'if') {
      const at = d.args.findIndex((a) => IF_REGEX_OPERATORS.has(a.value));
      return at >= 0 && d.args[at + 1] ? [this.regexSite(d.args[at + 1])] : [];
    }
    if (name === 'server') {
      const out: RegexSite[] = [];
      for (const child of d.block?.children ?? []) {
        if (child.kind !== 'directive' || child.name.value !== 'server_name') continue;
        for (const w of child.args) if (w.value.startsWith('~')) out.push(this.regexSite(w));
      }
      return out;
    }
    return [];
  }

  private regexSite(word: Word): RegexSite {
    return { file: this.file, word, groups: captureGroups(word.value) };
  }

  private include(d: Directive, scope: Scope, depth: number): void {
    const targets = this.analysis.includes.get(d);
    const arg = d.args[0];
    if (arg && targets && !this.linked.has(d)) {
      this.linked.add(d);
      const range = unquoted(this.text, arg);
      if (range) this.addLink(this.file, { ...range, kind: 'include', targets });
    }
    if (!targets || depth >= MAX_DEPTH) return;
    for (const target of targets) {
      const tree = this.analysis.files.get(target);
      if (!tree || this.includeStack.includes(target)) continue;
      this.includeStack.push(target);
      this.walkFile(target, tree, scope, depth + 1);
      this.includeStack.pop();
    }
  }

  /** A statement of a `map`, `geo`, … block: a key and a value, not a directive. */
  private entry(d: Directive, scope: Scope): void {
    const key = d.name;
    if (scope.entries === 'geoip2' && key.value.charCodeAt(0) === DOLLAR) {
      if (!this.uses) this.defineVariable(key, d, scope);
      return;
    }
    if (scope.entries !== 'map') return;
    // A regex key defines its named captures, and `$1` in the value is its group.
    const regex = key.value.charCodeAt(0) === TILDE;
    if (!this.uses) {
      if (regex) this.namedCaptures(key, scope);
      return;
    }
    const regexes = regex ? [...scope.regexes, this.regexSite(key)] : scope.regexes;
    for (const arg of d.args) this.scanVariables(arg, scope, regexes);
    // `proxy_pass http://$name` looks the value up among the upstreams first (then as a host name).
    const value = d.args[0];
    if (scope.passMap && value && !value.value.includes('$') && key.value !== 'hostnames' && key.value !== 'volatile') {
      this.use(symbolKey('upstream', scope.module, value.value), value, 0, value.value.length);
    }
  }

  private directiveDefinitions(d: Directive, scope: Scope): void {
    const name = d.name.value;
    if (PASSES.has(name)) {
      // Only a host made of one variable matters here (most name an upstream or an address).
      if (!d.args[0]?.value.includes('$')) return;
      const host = passHost(name, d.args[0].value, scope.module === 'stream');
      const variable = host && /^\$(?:\{\w+\}|\w+)$/.test(host.name) ? variableName(host.name) : undefined;
      if (variable) this.passVariables.add(`${scope.module}\0${variable.toLowerCase()}`);
      return;
    }
    const defined = DEFINES.get(name)?.(d.args);
    if (defined && defined.value.charCodeAt(0) === DOLLAR) this.defineVariable(defined, d, scope);
    if (CAPTURING.has(name)) for (const arg of d.args) this.namedCaptures(arg, scope);
    const first = d.args[0];
    if (!first) return;
    const module = scope.module;
    if (name === 'upstream' && d.block) {
      this.define('upstream', module, first.value, module, first, 0, first.value.length, d);
    } else if (name === 'location' && first.value.startsWith('@')) {
      this.define('named-location', this.serverScope(scope), first.value.slice(1), module, first, 1, first.value.length, d, 1);
    } else if (name === 'limit_req_zone' || name === 'limit_conn_zone' || CACHE_PATHS.has(name)) {
      const param = CACHE_PATHS.has(name) ? 'keys_zone=' : 'zone=';
      const family = CACHE_PATHS.has(name) ? 'cache' : name.slice(0, -5);
      const word = d.args.find((a) => a.value.startsWith(param));
      if (!word) return;
      const zone = word.value.slice(param.length).split(':')[0];
      this.define('zone', `${module} ${family}`, zone, module, word, param.length, param.length + zone.length, d);
    } else if (name === 'log_format') {
      this.define('log-format', module, first.value, module, first, 0, first.value.length, d);
    }
  }

  private directiveUses(d: Directive, regexes: readonly RegexSite[], scope: Scope): void {
    const name = d.name.value;
    const args = d.args;
    if (args.length === 0) return;
    if (NAME_USING.has(name)) this.nameUses(d, scope);
    if (NO_VARIABLES.has(name)) return;
    const defined = DEFINES.get(name)?.(args);
    const code = foreignCodeArgument(name);
    const ifRegex = name === 'if' ? args.findIndex((a) => IF_REGEX_OPERATORS.has(a.value)) + 1 : -1;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === defined || i === code || !arg.value.includes('$')) continue;
      // Where `$` is a regex anchor it is no variable: a rewrite's regex, an if's, `~regex` arguments.
      if (name === 'rewrite' ? i === 0 : name === 'if' ? i === ifRegex && ifRegex > 0 : arg.value.charCodeAt(0) === TILDE) continue;
      this.scanVariables(arg, scope, regexes);
    }
  }

  /** The upstreams, named locations, zones and log formats a directive uses. */
  private nameUses(d: Directive, scope: Scope): void {
    const name = d.name.value;
    const args = d.args;
    const first = args[0];
    const module = scope.module;
    if (PASSES.has(name)) {
      const host = upstreamHost(name, first.value, module === 'stream');
      if (host) this.use(symbolKey('upstream', module, host.name), first, host.at, host.at + host.name.length);
    } else if (name === 'limit_req' || name === 'limit_conn' || CACHE_USES.has(name)) {
      const word = name === 'limit_req' ? args.find((a) => a.value.startsWith('zone=')) : first;
      const skip = name === 'limit_req' ? 5 : 0;
      if (!word || word.value.includes('$') || word.value === 'off') return;
      const family = CACHE_USES.has(name) ? 'cache' : name;
      this.use(symbolKey('zone', `${module} ${family}`, word.value.slice(skip)), word, skip, word.value.length);
    } else if (name === 'access_log') {
      const format = args[1];
      if (!format || first.value === 'off' || format.value.includes('=') || format.value.includes('$')) return;
      this.use(symbolKey('log-format', module, format.value), format, 0, format.value.length);
    } else {
      const which = NAMED_LOCATION_USES.get(name);
      const word = which === 'last' ? args[args.length - 1] : which === 'first' ? first : undefined;
      if (!word || !word.value.startsWith('@') || word.value.length < 2) return;
      const location = word.value.slice(1);
      if (scope.server) {
        this.use(symbolKey('named-location', this.serverScope(scope), location), word, 1, word.value.length, 1);
      } else {
        // Outside a server (an error_page at http level), each server that inherits it looks in its own.
        for (const symbol of this.namedLocations.get(location) ?? []) this.useSymbol(symbol, word, 1, word.value.length, 1);
      }
    }
  }

  /** Named locations are looked up in their server; a file outside one (a snippet analysed alone) has its own. */
  private serverScope(scope: Scope): string {
    if (!scope.server) return `file:${this.file}`;
    let id = this.serverIds.get(scope.server);
    if (id === undefined) this.serverIds.set(scope.server, (id = this.serverIds.size + 1));
    return `server:${id}`;
  }

  /**
   * Records a definition of `name` in `space`, found in `word` between the value offsets `from` and
   * `to`; the cursor also finds it `sigil` characters before (the `@` of `@name`).
   */
  private define(
    kind: NavKind, space: string, name: string, module: Module, word: Word, from: number, to: number, d: Directive, sigil = 0,
  ): void {
    const range = nameRange(this.text, word, from, to);
    if (!range) return;
    const key = symbolKey(kind, space, name);
    let symbol = this.symbols.get(key);
    if (!symbol) {
      symbol = { kind, space, name: word.value.slice(from, to), module, definitions: [], references: [] };
      this.symbols.set(key, symbol);
      if (kind === 'named-location') {
        const same = this.namedLocations.get(name);
        if (same) same.push(symbol); else this.namedLocations.set(name, [symbol]);
      }
    }
    this.addSite({
      file: this.file, start: range.start, end: range.end, hitStart: range.start - sigil, hitEnd: range.end, symbol, definition: true,
      statement: d,
    });
  }

  /** Records a use of a defined name (a `proxy_pass` host that no upstream names is a host, not a use). */
  private use(key: string, word: Word, from: number, to: number, sigil = 0): void {
    const symbol = this.symbols.get(key);
    if (symbol) this.useSymbol(symbol, word, from, to, sigil);
  }

  private useSymbol(symbol: NavSymbol, word: Word, from: number, to: number, sigil: number): void {
    const range = nameRange(this.text, word, from, to);
    if (!range) return;
    const { start, end } = range;
    this.addSite({ file: this.file, start, end, hitStart: start - sigil, hitEnd: end, symbol, definition: false });
  }

  private defineVariable(word: Word, d: Directive, scope: Scope): void {
    const text = this.text;
    const braced = text.charCodeAt(word.start + 1) === LBRACE && text.charCodeAt(word.end - 1) === RBRACE;
    const start = word.start + (braced ? 2 : 1);
    const end = braced ? word.end - 1 : word.end;
    if (text.charCodeAt(word.start) !== DOLLAR || !isVariableName(text, start, end)) return;
    this.variableDefinition(sliceInterned(text, start, end), start, word.start, scope, d);
  }

  /** The named groups of a regex argument: each defines a variable (`(?<name>…)`, `(?P<name>…)`, `(?'name'…)`). */
  private namedCaptures(word: Word, scope: Scope): void {
    if (!word.value.includes('(?')) return;
    const raw = this.text.slice(word.start, word.end);
    for (const m of raw.matchAll(NAMED_CAPTURE)) {
      const start = word.start + m.index + m[0].length - 1 - m[1].length;
      this.variableDefinition(m[1], start, start, scope, word);
    }
  }

  private variableDefinition(name: string, start: number, hitStart: number, scope: Scope, statement: OffsetRange): void {
    const folded = hasUpperCase(name) ? name.toLowerCase() : name;
    const table = this.variables[scope.module];
    let symbol = table.get(folded);
    if (!symbol) {
      symbol = { kind: 'variable', space: scope.module, name, module: scope.module, definitions: [], references: [] };
      table.set(folded, symbol);
      this.symbols.set(symbolKey('variable', scope.module, name), symbol);
      this.definedVariables.add(folded);
    }
    const end = start + name.length;
    this.addSite({ file: this.file, start, end, hitStart, hitEnd: end, symbol, definition: true, statement });
  }

  /** `$name`, `${name}` and `$1`…`$9` in an argument, as nginx's script compiler reads them. */
  private scanVariables(word: Word, scope: Scope, regexes: readonly RegexSite[]): void {
    const text = this.text;
    const end = word.end;
    for (let p = text.indexOf('$', word.start); p >= 0 && p < end - 1; p = text.indexOf('$', p + 1)) {
      const next = text.charCodeAt(p + 1);
      if (next >= 0x31 && next <= 0x39) {
        this.captureUse(next - 0x30, p, regexes);
        continue;
      }
      const braced = next === LBRACE;
      let q = braced ? p + 2 : p + 1;
      const nameStart = q;
      while (q < end && isNameChar(text.charCodeAt(q))) q++;
      if (q === nameStart || (braced && text.charCodeAt(q) !== RBRACE)) continue;
      const name = sliceInterned(text, nameStart, q);
      const folded = hasUpperCase(name) ? name.toLowerCase() : name;
      if (!this.definedVariables.has(folded)) continue;
      const symbol = this.variables[scope.module].get(folded);
      const hitEnd = braced ? q + 1 : q;
      if (symbol) this.addSite({ file: this.file, start: nameStart, end: q, hitStart: p, hitEnd, symbol, definition: false });
    }
  }

  /** `$n`: the nearest regex with n groups defines it (the statement's own, a rewrite before it, an enclosing block's). */
  private captureUse(n: number, at: number, regexes: readonly RegexSite[]): void {
    let regex: RegexSite | undefined;
    for (let i = regexes.length - 1; i >= 0 && !regex; i--) if (regexes[i].groups >= n) regex = regexes[i];
    if (!regex) return;
    const space = `${regex.file}:${regex.word.start}`;
    const key = symbolKey('capture', space, String(n));
    let symbol = this.symbols.get(key);
    if (!symbol) {
      symbol = { kind: 'capture', space, name: String(n), module: 'http', definitions: [], references: [] };
      this.symbols.set(key, symbol);
      const { start, end } = regex.word;
      this.addSite({ file: regex.file, start, end, hitStart: start, hitEnd: end, symbol, definition: true, statement: regex.word });
    }
    this.addSite({ file: this.file, start: at, end: at + 2, hitStart: at, hitEnd: at + 2, symbol, definition: false });
  }

  private addSite(site: NavSite): void {
    let list = this.sites.get(site.file);
    if (!list) this.sites.set(site.file, (list = []));
    list.push(site);
  }

  private addLink(file: string, link: FileLink): void {
    let list = this.links.get(file);
    if (!list) this.links.set(file, (list = []));
    if (!list.some((l) => l.start === link.start)) list.push(link);
  }
}

/**
 * The key of a symbol: its kind, where it is looked up, and its name as nginx compares it (lowercased
 * where nginx ignores case). Names may hold any character but NUL, so NUL separates the parts.
 */
export function symbolKey(kind: NavKind, space: string, name: string): string {
  const folded = kind === 'upstream' || kind === 'variable' || kind === 'log-format' ? name.toLowerCase() : name;
  return `${kind}\0${space}\0${folded}`;
}

/**
 * The upstream name in a `*_pass` URL, and where it starts in the value: `backend` in
 * `http://backend/api`, `grpcs://backend`, `backend:9000`. Undefined for unix sockets, IPv6
 * addresses and hosts made of variables.
 */
export function upstreamHost(directive: string, url: string, stream: boolean): { name: string; at: number } | undefined {
  const host = passHost(directive, url, stream);
  return host && !host.name.includes('$') ? host : undefined;
}

/** The host part of a `*_pass` URL as written, variables included; undefined for unix sockets and IPv6 addresses. */
function passHost(directive: string, url: string, stream: boolean): { name: string; at: number } | undefined {
  let at = 0;
  if (!stream) {
    const pass = PASSES.get(directive);
    if (!pass) return undefined;
    let scheme = '';
    for (const s of pass.schemes) if (startsWithIgnoringCase(url, s)) scheme = s;
    if (!scheme && pass.schemeRequired) return undefined;
    at = scheme.length;
  } else if (directive !== 'proxy_pass') {
    return undefined;
  }
  if (url.startsWith('unix:', at) || url.charCodeAt(at) === 0x5b /* [ */) return undefined;
  let end = at;
  for (let c = url.charCodeAt(end); end < url.length && c !== 0x2f && c !== 0x3a && c !== 0x3f; c = url.charCodeAt(++end));
  const name = url.slice(at, end);
  return name ? { name, at } : undefined;
}

/** Whether `text` starts with the lowercase `prefix`, in any case. */
function startsWithIgnoringCase(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if ((text.charCodeAt(i) | 0x20) !== prefix.charCodeAt(i)) return false;
  return true;
}

/** `$x`, `${x}` → `x`. */
function variableName(value: string): string {
  return value.replace(/^\$\{?|\}$/g, '');
}

/** How many groups `$1`… may refer to: every `(` that is not `(?…`, except named groups, which count. */
export function captureGroups(regex: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; if (regex[i + 1] === ']') i++; continue; }
    if (c !== '(') continue;
    if (regex[i + 1] !== '?') count++;
    else if (/^\?(P?<[A-Za-z_]|')/.test(regex.slice(i + 1, i + 5))) count++;
  }
  return count;
}

/**
 * The offsets of value[from, to) in the text of `word`: the same for an unquoted word, one more for a
 * quoted one. Undefined when escapes make the written text differ from the value.
 */
function nameRange(text: string, word: Word, from: number, to: number): OffsetRange | undefined {
  const quote = text.charCodeAt(word.start);
  const quoted = (quote === 0x22 || quote === 0x27) && word.end - word.start >= 2 && text.charCodeAt(word.end - 1) === quote;
  const start = word.start + (quoted ? 1 : 0);
  const end = quoted ? word.end - 1 : word.end;
  if (end - start !== word.value.length || text.slice(start, end) !== word.value) return undefined;
  return { start: start + from, end: start + to };
}

/** A word's range without its quotes. */
function unquoted(text: string, word: Word): OffsetRange | undefined {
  return nameRange(text, word, 0, word.value.length) ?? { start: word.start, end: word.end };
}

/** Whether text[start, end) is a variable name. */
function isVariableName(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (!isNameChar(text.charCodeAt(i))) return false;
  return true;
}

function hasUpperCase(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** `[A-Za-z0-9_]`: the characters of a variable name. */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}
