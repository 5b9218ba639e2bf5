/**
 * What nginx knows about its directives: where each may stand, how many arguments it takes, whether
 * it opens a block. The table is generated from the nginx source (scripts/gen-directives.mjs) and
 * extended with NGINX Plus and common third-party modules (lua, njs, headers-more, geoip2, otel,
 * brotli, upload-progress), so OpenResty and distribution configs are understood rather than flagged.
 */
import table from './data/directives.json';
import { type Directive, type Word, ownCopy } from './syntax';
import modules from './data/modules.json';
import fixedVariables from './data/fixed-variables.json';

/** A context key as in the nginx source tables: `main`, `http`, `http>server`, `http>location>if`, … */
export type ContextKey = string;

/** The http and the stream modules keep separate variables (`$request_uri` is unknown in stream). */
export type VariableArea = 'http' | 'stream';

export type DirectiveOrigin =
  'nginx' | 'removed' | 'nginx-plus' | 'lua' | 'njs' | 'headers-more' | 'geoip2' | 'otel' | 'brotli' | 'upload-progress'
  | OpenRestyModule;

/**
 * OpenResty's bundled modules besides ngx_lua (data/openresty.json, scripts/gen-openresty.mjs; stream-lua's
 * directives there count as the lua module's).
 */
export type OpenRestyModule = 'echo' | 'memc' | 'srcache' | 'set-misc' | 'redis2' | 'drizzle' | 'rds-json' | 'rds-csv' | 'xss'
  | 'coolkit' | 'form-input' | 'encrypted-session' | 'array-var' | 'redis';

/** Which nginx the configuration is written for: it decides which modules are built in. */
export type Flavor = 'nginx' | 'openresty' | 'plus';
/** `nginx-ls.nginx.flavor`; `auto` is OpenResty when the configuration uses Lua, NGINX Plus when it uses Plus directives. */
export type FlavorSetting = Flavor | 'auto';

export function isFlavor(value: unknown): value is FlavorSetting {
  return value === 'auto' || value === 'nginx' || value === 'openresty' || value === 'plus';
}

/**
 * The modules only some flavors build in: where each is built in, and the files `load_module` loads
 * them from otherwise (NGINX Plus has none: its directives need NGINX Plus). Every other origin counts
 * as built in whatever the flavor: nginx's own modules, and the third-party modules distributions
 * ship as packages (njs, headers-more, geoip2, otel, brotli, upload-progress), as before.
 */
export const FLAVOR_MODULES: ReadonlyMap<DirectiveOrigin, { title: string; builtInto: Flavor; files: readonly string[] }> = new Map([
  ['nginx-plus', { title: 'NGINX Plus', builtInto: 'plus', files: [] }],
  ['lua', { title: 'the lua module', builtInto: 'openresty', files: ['ngx_http_lua_module', 'ngx_stream_lua_module'] }],
  ['echo', { title: 'the echo module', builtInto: 'openresty', files: ['ngx_http_echo_module'] }],
  ['memc', { title: 'the memc module', builtInto: 'openresty', files: ['ngx_http_memc_module'] }],
  ['srcache', { title: 'the srcache module', builtInto: 'openresty', files: ['ngx_http_srcache_filter_module'] }],
  ['set-misc', { title: 'the set-misc module', builtInto: 'openresty', files: ['ngx_http_set_misc_module'] }],
  ['redis2', { title: 'the redis2 module', builtInto: 'openresty', files: ['ngx_http_redis2_module'] }],
  // OpenResty builds drizzle in only when configured --with-http_drizzle_module; its README says so.
  ['drizzle', { title: 'the drizzle module', builtInto: 'openresty', files: ['ngx_http_drizzle_module'] }],
  ['rds-json', { title: 'the rds-json module', builtInto: 'openresty', files: ['ngx_http_rds_json_filter_module'] }],
  ['rds-csv', { title: 'the rds-csv module', builtInto: 'openresty', files: ['ngx_http_rds_csv_filter_module'] }],
  ['xss', { title: 'the xss module', builtInto: 'openresty', files: ['ngx_http_xss_filter_module'] }],
  ['coolkit', { title: 'the coolkit module', builtInto: 'openresty', files: ['ngx_coolkit_module'] }],
  ['form-input', { title: 'the form-input module', builtInto: 'openresty', files: ['ngx_http_form_input_module'] }],
  ['encrypted-session', { title: 'the encrypted-session module', builtInto: 'openresty', files: ['ngx_http_encrypted_session_module'] }],
  ['array-var', { title: 'the array-var module', builtInto: 'openresty', files: ['ngx_http_array_var_module'] }],
  ['redis', { title: 'the redis module', builtInto: 'openresty', files: ['ngx_http_redis_module'] }],
] satisfies [DirectiveOrigin, { title: string; builtInto: Flavor; files: string[] }][]);

/**
 * The flavors a configuration is checked for: the setting, or with `auto` stock nginx plus the ones
 * its directives show. OpenResty is told by ngx_lua (lua_package_path, *_by_lua*), which stock nginx
 * never has without load_module; NGINX Plus by its directives.
 */
export function configFlavors(
  setting: FlavorSetting, needs: readonly { origin: DirectiveOrigin }[], loadedModules: ReadonlySet<string>,
): Flavor[] {
  if (setting !== 'auto') return [setting];
  const found: Flavor[] = ['nginx'];
  // OpenResty is told by ngx_lua (lua_package_path, *_by_lua*), which stock nginx never has without load_module;
  // with the lua module loaded (Debian's libnginx-mod-http-lua) it is stock nginx, whose other modules need loading too.
  const luaLoaded = FLAVOR_MODULES.get('lua')!.files.some((f) => loadedModules.has(f));
  if (!luaLoaded && needs.some((n) => n.origin === 'lua')) found.push('openresty');
  if (needs.some((n) => n.origin === 'nginx-plus')) found.push('plus');
  return found;
}

/** Whether a module's directives (and variables) exist for these flavors, or because `load_module` loads it. */
export function originAvailable(origin: DirectiveOrigin, flavors: readonly Flavor[], loadedModules: ReadonlySet<string>): boolean {
  const module = FLAVOR_MODULES.get(origin);
  return !module || flavors.includes(module.builtInto) || module.files.some((f) => loadedModules.has(f));
}

/** The name of the module file `load_module` loads (`modules/ngx_http_echo_module.so` → `ngx_http_echo_module`). */
export function moduleFileStem(modulePath: string): string {
  return modulePath.slice(modulePath.lastIndexOf('/') + 1).replace(/\.so$/, '');
}

/** Directives that put servers into an upstream group: nginx's `server`, drizzle's `drizzle_server`. */
export const UPSTREAM_SERVERS: readonly string[] = ['server', 'drizzle_server'];

export interface DirectiveVariant {
  contexts: readonly ContextKey[];
  /** Accepted argument counts: `"0"`…`"7"`, `"1+"`, `"2+"`, `"any"`, `"flag"` (on|off). */
  args: readonly string[];
  block: boolean;
  origin: DirectiveOrigin;
}

interface RawVariant { c: string[]; a: string[]; b: number; s: string }

const variants = new Map<string, DirectiveVariant[]>();
for (const [name, list] of Object.entries(table as Record<string, RawVariant[]>)) {
  variants.set(name, list.map((v) => ({
    contexts: v.c,
    args: v.a,
    block: v.b === 1,
    origin: v.s as DirectiveOrigin,
  })));
}

export function directiveVariants(name: string): readonly DirectiveVariant[] | undefined {
  return variants.get(name);
}

export function allDirectiveNames(): IterableIterator<string> {
  return variants.keys();
}

/**
 * Blocks whose body is a list of key/value entries rather than directives (`map`, `types`, …):
 * their lines are not checked as directives.
 */
export const ENTRY_BLOCKS: ReadonlySet<string> = new Set([
  'map', 'types', 'geo', 'split_clients', 'match', 'charset_map', 'geoip2',
]);

/** The context key for the children of block directive `name` opened in context `parent`. */
export function childContext(parent: ContextKey, name: string): ContextKey {
  if (ENTRY_BLOCKS.has(name)) return `entries:${name}`;
  if (name === 'location') return 'http>location';
  if (name === 'if') return parent === 'http>server' ? 'http>server>if' : 'http>location>if';
  if (name === 'limit_except') return 'http>location>limit_except';
  if (parent === 'main') return name;
  return `${parent}>${name}`;
}

/** True when a context holds entries or belongs to a block this table does not describe. */
export function isUncheckedContext(context: ContextKey): boolean {
  return context.startsWith('entries:') || !KNOWN_CONTEXTS.has(context);
}

const KNOWN_CONTEXTS: ReadonlySet<string> = new Set([
  'main', 'events', 'http', 'http>server', 'http>location', 'http>server>if', 'http>location>if',
  'http>location>limit_except', 'http>upstream', 'stream', 'stream>server', 'stream>upstream',
  'mail', 'mail>server',
]);

const insideBlock = new Map<string, readonly ContextKey[]>();

/**
 * The checked contexts a block of this name can open, wherever it stands (`server` → http>server,
 * stream>server, mail>server); empty for entry blocks and blocks the table does not describe.
 */
export function contextsInside(block: string): readonly ContextKey[] {
  let inside = insideBlock.get(block);
  if (!inside) {
    const found = new Set<ContextKey>();
    for (const parent of ['main', ...KNOWN_CONTEXTS]) {
      if (!directiveVariants(block)?.some((v) => v.block && allowedIn(v, parent))) continue;
      const child = childContext(parent, block);
      if (!isUncheckedContext(child)) found.add(child);
    }
    insideBlock.set(block, (inside = [...found]));
  }
  return inside;
}

/** Whether a variant may stand in a context. `any` (include) fits everywhere, `direct` is main. */
export function allowedIn(variant: DirectiveVariant, context: ContextKey): boolean {
  for (const c of variant.contexts) {
    if (c === context || c === 'any' || (c === 'direct' && context === 'main')) return true;
  }
  return false;
}

/** Whether `count` arguments fit a variant's argument spec (a flag is checked for on/off elsewhere). */
export function argCountFits(variant: DirectiveVariant, count: number): boolean {
  for (const spec of variant.args) {
    if (spec === 'any') return true;
    if (spec === 'flag') { if (count === 1) return true; continue; }
    if (spec.endsWith('+')) { if (count >= Number(spec.slice(0, -1))) return true; continue; }
    if (count === Number(spec)) return true;
  }
  return false;
}

/** A human description of an argument spec: "1 or 2 arguments", "on or off", … */
export function describeArgs(variant: DirectiveVariant): string {
  const specs = variant.args;
  if (specs.includes('flag')) return '"on" or "off"';
  if (specs.includes('any')) return 'any number of arguments';
  const parts = specs.map((s) => (s.endsWith('+') ? `${s.slice(0, -1)} or more` : s));
  const last = parts.pop()!;
  const list = parts.length ? `${parts.join(', ')} or ${last}` : last;
  return `${list} argument${last === '1' && parts.length === 0 ? '' : 's'}`;
}

/**
 * For a dynamic module's file (`modules/ngx_http_f5_metrics_module.so`) that is not one whose
 * directives the table holds, the stem its directives are usually named after (`f5_metrics`).
 * Undefined for known modules and for file names that do not follow nginx's pattern.
 */
export function unknownModuleStem(modulePath: string): string | undefined {
  const file = modulePath.slice(modulePath.lastIndexOf('/') + 1);
  if (!file.endsWith('.so') || KNOWN_MODULES.has(file.slice(0, -3))) return undefined;
  const match = /^ngx_(?:(?:http|stream|mail)_)?([a-z0-9_]+?)(?:_filter)?_module\.so$/.exec(file);
  return match?.[1];
}

const KNOWN_MODULES: ReadonlySet<string> = new Set(modules as string[]);

/** The closest of `candidates` to `word` within a small edit distance (longer words allow more), for "did you mean". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = editDistance(word, candidate, bestDistance);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment), stopping early once past `ceiling`. */
function editDistance(a: string, b: string, ceiling: number): number {
  const rows = a.length + 1, cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const cur = new Array<number>(cols);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= ceiling) return ceiling;
    prevPrev = prev;
    prev = cur;
  }
  return prev[cols - 1];
}

// What nginx does with particular directives, beyond the table: worked out once per name by the walk.

/** Directives whose second and later repetitions in one block nginx accepts. */
export const REPEATABLE = new Set([
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
export const SINGLE_BLOCKS = new Set(['http', 'events', 'stream', 'mail', 'types']);

/** The second of these in one block is refused ("is duplicate"), beyond single-value directives. */
export const SINGLE_MULTI_ARG = new Set([
  'keepalive_timeout', 'try_files', 'expires', 'user', 'root', 'alias', 'log_not_found', 'rewrite_log'
]);

export type ValueKind = 'size' | 'time' | 'number' | 'count-size' | undefined;
/** Sizes, times and numbers, by directive (worked out once per name, in factsOf). */
export function valueKindOf(name: string): ValueKind {
  if (/_buffers$/.test(name) || name === 'large_client_header_buffers') return 'count-size';
  if (/(_buffer_size|_busy_buffers_size|_max_body_size|_max_temp_file_size|_temp_file_write_size|_max_chunk|_min_length)$/.test(name)
    || ['postpone_output', 'limit_rate_after', 'directio_alignment', 'read_ahead', 'send_lowat', 'slice'].includes(name)) return 'size';
  if (/_hash_(max|bucket)_size$/.test(name) || /_tries$/.test(name)
    || ['worker_connections', 'worker_rlimit_nofile', 'keepalive_requests', 'max_ranges', 'open_file_cache_min_uses', 'ssl_verify_depth',
      'proxy_ssl_verify_depth', 'grpc_ssl_verify_depth', 'uwsgi_ssl_verify_depth'].includes(name)) return 'number';
  if ((/_timeout$/.test(name) && name !== 'ssl_session_timeout_off')
    || ['lingering_time', 'keepalive_time', 'open_file_cache_valid', 'auth_delay',
    'send_timeout', 'proxy_cache_lock_age', 'fastcgi_cache_lock_age', 'resolver_timeout'].includes(name)) return 'time';
  return undefined;
}

/** Directives whose `$` is a regex anchor or literal in every argument, not a variable. */
export const NO_VARIABLES = new Set([
  'location', 'server_name', 'valid_referers', 'fastcgi_split_path_info', 'gzip_disable', 'ssi_types', 'log_format_escape'
]);

/**
 * The argument that holds code in another language, whose `$` belongs to that language
 * (`perl 'sub { my $r = shift; … }'`, `perl_set $x 'sub { … }'`, `content_by_lua 'ngx.re.match(s, "^a$")'`).
 * nginx passes it to the interpreter as written (ngx_http_perl_module, ngx_http_lua_module): -1 for none.
 */
export function foreignCodeArgument(name: string): number {
  if (name === 'perl') return 0;
  if (name === 'perl_set' || name === 'set_by_lua') return 1; // after the variable it defines
  return name.endsWith('_by_lua') ? 0 : -1;
}

/**
 * The http variables nginx defines and `set` cannot change (data/fixed-variables.json, generated from
 * the nginx source by scripts/gen-fixed-variables.mjs): `set $scheme …` is refused ("the duplicate … variable").
 */
const FIXED_VARIABLES: ReadonlySet<string> = new Set(fixedVariables as string[]);
const fixedByWord = new Map<string, boolean>();

/**
 * Whether `set` refuses the variable a word names (`$scheme`, `${Scheme}`); nginx compares variable
 * names without regard to case. Memoised by the word as written: a large configuration sets the same
 * few names thousands of times, and slicing and lower-casing each one showed in the walk's profile.
 */
export function isFixedVariable(word: string): boolean {
  let fixed = fixedByWord.get(word);
  if (fixed === undefined) {
    fixed = FIXED_VARIABLES.has(word.replace(/^\$\{?|\}$/g, '').toLowerCase());
    if (fixedByWord.size > 10_000) fixedByWord.clear();
    fixedByWord.set(ownCopy(word), fixed);
  }
  return fixed;
}

/** Directives that define the variable named by one of their arguments. */
export const DEFINES = new Map<string, (args: readonly Word[]) => Word | undefined>(Object.entries({
  set: (a) => a[0],
  map: (a) => a[1],
  split_clients: (a) => a[1],
  geo: (a) => a[a.length - 1],
  js_set: (a) => a[0],
  perl_set: (a) => a[0],
  set_by_lua: (a) => a[0],
  set_by_lua_block: (a) => a[0],
  set_by_lua_file: (a) => a[0],
  lua_add_variable: (a) => a[0], // stream-lua: a variable Lua code sets (ngx.var.name = …)
  auth_request_set: (a) => a[0],
  auth_jwt_claim_set: (a) => a[0],
  auth_jwt_header_set: (a) => a[0],
  set_secure_link: (a) => a[0],
  js_var: (a) => a[0],
  geoip2: () => undefined,
  ...Object.fromEntries(namesOfOrigin('set-misc').map((name) => [name, firstIfVariable])),
  set_form_input: firstIfVariable,
  set_form_input_multi: firstIfVariable,
  set_encrypt_session: firstIfVariable,
  set_decrypt_session: firstIfVariable,
  ...Object.fromEntries(namesOfOrigin('array-var').map((name) => [name, arrayTarget])),
} satisfies Record<string, (args: readonly Word[]) => Word | undefined>));

/** The directives a module adds (its origin in the table), read once for DEFINES. */
function namesOfOrigin(origin: DirectiveOrigin): string[] {
  return [...variants].filter(([, list]) => list.some((v) => v.origin === origin)).map(([name]) => name);
}

/**
 * The NDK-based `set_*` directives (set-misc, form-input, encrypted-session) set the variable they start
 * with (`set_quote_sql_str $quoted $raw`, `set_decrypt_session $raw $cookie_s`).
 */
function firstIfVariable(args: readonly Word[]): Word | undefined {
  return args[0]?.value.startsWith('$') ? args[0] : undefined;
}

/** array-var's directives define the variable of their `to=$array` argument; without one they work in place. */
function arrayTarget(args: readonly Word[]): Word | undefined {
  const to = args.find((a) => a.value.startsWith('to=$'));
  return to && { start: to.start + 3, end: to.end, value: to.value.slice(3) };
}

/** Directives whose arguments may hold regular expressions with named captures (which define variables). */
export const CAPTURING = new Set([
  'location', 'server_name', 'if', 'rewrite', 'fastcgi_split_path_info', 'proxy_redirect', 'valid_referers'
]);


/** A location's modifier and match, whichever way it is written (`~ \.php$`, `=/x`). */
export function locationMatch(d: Directive): { modifier: string; match: string } {
  if (d.args.length >= 2) return { modifier: d.args[0].value, match: d.args[1].value };
  return splitModifier(d.args[0]?.value ?? '');
}

/** `=/x` → `=` and `/x`: a modifier written without a space. */
export function splitModifier(value: string): { modifier: string; match: string } {
  const first = value.charCodeAt(0);
  const modifier = first === 0x7e /* ~ */ ? (value.charCodeAt(1) === 0x2a /* * */ ? '~*' : '~')
    : first === 0x3d /* = */ ? '=' : first === 0x40 /* @ */ ? '@' : '';
  return { modifier, match: modifier ? value.slice(modifier.length) : value };
}


/**
 * The nginx release a configuration is written for (`nginx-ls.nginx.version`): "1.22", "1.25.1".
 * Numbers compare part by part; a missing part is 0, so "1.22" is 1.22.0.
 */
export type NginxVersion = readonly [number, number, number];

/** The newest stable branch: the default target. */
export const NEWEST_STABLE = '1.28';

/** "1.25.1" → [1, 25, 1]; undefined for anything else (the caller keeps its default). */
export function parseNginxVersion(text: unknown): NginxVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function versionAtLeast(version: NginxVersion, since: NginxVersion): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== since[i]) return version[i] > since[i];
  return true;
}

export function formatVersion(version: NginxVersion): string {
  return version[2] === 0 ? `${version[0]}.${version[1]}` : version.join('.');
}

/**
 * Syntax newer than some supported nginx: a directive, or a parameter of one, and the open-source
 * release that first accepts it. Source: nginx's CHANGES, as nginx/nginx.org keeps them in
 * text/en/CHANGES-1.28 (commit e2baee716581440496717f4ec539e31b074ca02f: 1.23.0 to 1.28.2) and
 * text/en/CHANGES-1.30 (commit 923844f8172bd8668784e278c3ee782f14ae0754: 1.29.0 to 1.30.0); each entry
 * below is a "Feature:" line there. The HTTP/3 directives come with 1.25.0's "experimental HTTP/3
 * support"; stream's server_name and ssl_reject_handshake with 1.25.5's "virtual servers in the stream
 * module". The 1.22 boundary is checked against Debian's nginx 1.22.1: `nginx -t` refuses each of these
 * (test/oracle/version-*.conf holds the first ones). `contexts` narrows an entry to some contexts
 * (`ssl_reject_handshake` is old in http, new in stream). Left out: what NGINX Plus had before
 * open-source nginx (1.29.6's `sticky` and the `route` and `drain` parameters of `server`), which a
 * release number of open-source nginx does not tell; and 1.29.8's `max_headers`, which Debian's 1.22.1
 * accepts (its FIX-HTTP2bomb patch backports the directive).
 */
export interface VersionedSyntax {
  directive: string;
  /** A parameter of the directive: its first word before "=" ("resolve", "quic"). */
  parameter?: string;
  /**
   * The contexts it applies to ("stream", "http>upstream" and what they enclose), named in messages as
   * `where` ("stream", "upstream"); absent for every context.
   */
  contexts?: readonly string[];
  where?: string;
  since: string;
  /** NGINX Plus had it before open-source nginx did: with flavor "plus" the target release does not matter. */
  inPlus?: true;
}

const STREAM = ['stream'];
const UPSTREAMS = ['http>upstream', 'stream>upstream'];

const VERSIONED_SYNTAX: readonly VersionedSyntax[] = [
  { directive: 'http2', since: '1.25.1' },
  { directive: 'listen', parameter: 'quic', since: '1.25.0' },
  { directive: 'http3', since: '1.25.0' },
  { directive: 'http3_hq', since: '1.25.0' },
  { directive: 'http3_max_concurrent_streams', since: '1.25.0' },
  { directive: 'http3_stream_buffer_size', since: '1.25.0' },
  { directive: 'quic_active_connection_id_limit', since: '1.25.0' },
  { directive: 'quic_bpf', since: '1.25.0' },
  { directive: 'quic_gso', since: '1.25.0' },
  { directive: 'quic_host_key', since: '1.25.0' },
  { directive: 'quic_retry', since: '1.25.0' },
  // Virtual servers in the stream module: server_name and ssl_reject_handshake there.
  { directive: 'server_name', contexts: STREAM, where: 'stream', since: '1.25.5' },
  { directive: 'ssl_reject_handshake', contexts: STREAM, where: 'stream', since: '1.25.5' },
  // Re-resolving upstream servers, an NGINX Plus feature until open-source 1.27.3.
  { directive: 'server', parameter: 'resolve', contexts: UPSTREAMS, where: 'upstream', since: '1.27.3', inPlus: true },
  { directive: 'resolver', contexts: UPSTREAMS, where: 'upstream', since: '1.27.3', inPlus: true },
  { directive: 'resolver_timeout', contexts: UPSTREAMS, where: 'upstream', since: '1.27.3', inPlus: true },
  { directive: 'early_hints', since: '1.29.0' },
  { directive: 'resolver', parameter: 'ipv4', since: '1.23.1' },
  // 1.25.5: the ngx_stream_pass_module, and listen parameters the stream module lacked.
  { directive: 'pass', since: '1.25.5' },
  { directive: 'listen', parameter: 'deferred', contexts: STREAM, where: 'stream', since: '1.25.5' },
  { directive: 'listen', parameter: 'accept_filter', contexts: STREAM, where: 'stream', since: '1.25.5' },
  { directive: 'listen', parameter: 'setfib', contexts: STREAM, where: 'stream', since: '1.25.5' },
  // 1.27.2: client certificate validation with OCSP and OCSP stapling in the stream module.
  ...['ssl_ocsp', 'ssl_ocsp_cache', 'ssl_ocsp_responder', 'ssl_stapling', 'ssl_stapling_file', 'ssl_stapling_responder',
    'ssl_stapling_verify'].map((directive) => ({ directive, contexts: STREAM, where: 'stream', since: '1.27.2' })),
  { directive: 'proxy_pass_trailers', since: '1.27.2' },
  ...['ssl_object_cache_inheritable', 'ssl_certificate_cache', 'proxy_ssl_certificate_cache', 'grpc_ssl_certificate_cache',
    'uwsgi_ssl_certificate_cache', 'keepalive_min_timeout'].map((directive) => ({ directive, since: '1.27.4' })),
  { directive: 'ssl_certificate_compression', since: '1.29.1' },
  { directive: 'add_header_inherit', since: '1.29.3' },
  { directive: 'add_trailer_inherit', since: '1.29.3' },
  { directive: 'ssl_ech_file', since: '1.29.4' },
  { directive: 'listen', parameter: 'multipath', since: '1.29.7' },
  { directive: 'keepalive', parameter: 'local', contexts: UPSTREAMS, where: 'upstream', since: '1.29.7' },
];

/** An entry with its release parsed once, not per directive checked. */
export interface VersionedEntry extends VersionedSyntax { release: NginxVersion }

const versionedByDirective = new Map<string, VersionedEntry[]>();
for (const entry of VERSIONED_SYNTAX) {
  const parsed = { ...entry, release: parseNginxVersion(entry.since)! };
  const list = versionedByDirective.get(entry.directive);
  if (list) list.push(parsed); else versionedByDirective.set(entry.directive, [parsed]);
}

/** The version-dependent entries of a directive name, if any. */
export function versionedSyntaxOf(name: string): readonly VersionedEntry[] | undefined {
  return versionedByDirective.get(name);
}

/**
 * The TLS protocols nginx enables when `ssl_protocols` (and `proxy_ssl_protocols`, `grpc_…`,
 * `uwsgi_…`, the stream and mail ones) is not set. Before 1.23.4: TLSv1 TLSv1.1 TLSv1.2 (Debian's
 * 1.22.1 source, ngx_http_ssl_module.c and ngx_http_proxy_module.c); TLSv1.3 joined the default in
 * 1.23.4 ("Change: now TLSv1.3 protocol is enabled by default."); TLSv1 and TLSv1.1 left it in 1.27.3
 * ("Change: now TLSv1 and TLSv1.1 protocols are disabled by default."), both in nginx's CHANGES as
 * nginx/nginx.org text/en/CHANGES-1.28 keeps them (commit e2baee716581440496717f4ec539e31b074ca02f).
 */
export function defaultTlsProtocols(version: NginxVersion): string {
  if (!versionAtLeast(version, [1, 23, 4])) return 'TLSv1 TLSv1.1 TLSv1.2';
  if (!versionAtLeast(version, [1, 27, 3])) return 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3';
  return 'TLSv1.2 TLSv1.3';
}
