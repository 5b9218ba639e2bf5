/**
 * Argument values nginx checks when it loads a configuration: sizes, times and numbers, keywords,
 * addresses, `if` conditions, regular expressions, and the entries of `map`, `geo` and
 * `split_clients`. Arguments holding variables are not checked: nginx evaluates those per request.
 */
import { type CheckContext, type DirectiveCheck, type EndContext, type NginxFamily, upstreamKey } from '../context';
import { isFixedVariable, type ValueKind } from '../knowledge';
import type { Directive, Word } from '../syntax';
import { variableName } from './variables';

type Check = DirectiveCheck;

const literal = (w: Word): boolean => !w.value.includes('$');

function invalid(c: CheckContext, w: Word, message: string): void {
  c.report(w.start, w.end, 'invalid-value', message);
}

/** An IPv4 or IPv6 address with an optional prefix length within range. */
export function checkCidr(value: string): string | undefined {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined) return `invalid network "${value}"`;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const v6 = !v4 && /^[0-9a-fA-F:.]+$/.test(address) && address.includes(':');
  if (!v4 && !v6) return `invalid address "${value}"`;
  if (v4 && v4.slice(1).some((o) => Number(o) > 255)) return `invalid address "${value}"`;
  if (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > (v4 ? 32 : 128))) return `invalid network "${value}"`;
  return undefined;
}

const HTTP_METHODS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'OPTIONS', 'PROPFIND', 'PROPPATCH', 'LOCK', 'UNLOCK', 'PATCH'
]);
const SSL_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
const UPSTREAM_SERVER_FLAGS = new Set(['backup', 'down', 'resolve', 'drain']);
const UPSTREAM_SERVER_PARAMS: Record<string, (v: string) => boolean> = {
  weight: (v) => /^\d+$/.test(v) && Number(v) >= 1,
  max_conns: (v) => /^\d+$/.test(v),
  max_fails: (v) => /^\d+$/.test(v),
  fail_timeout: (v) => /^(\d+(ms|[yMwdhms])?)+$/.test(v),
  slow_start: (v) => /^(\d+(ms|[yMwdhms])?)+$/.test(v),
  service: () => true,
  route: () => true,
};

function checkProtocols(d: Directive, c: CheckContext): void {
  for (const a of d.args)
    if (literal(a) && !SSL_PROTOCOLS.has(a.value))
      invalid(c, a, `invalid value "${a.value}" in "${d.name.value}": use TLSv1.2 and TLSv1.3`);
}

function checkRange(min: number, max: number): Check {
  return (d, c) => {
    const a = d.args[0];
    if (a && literal(a) && (!/^\d+$/.test(a.value) || Number(a.value) < min || Number(a.value) > max)) {
      invalid(c, a, `value "${a.value}" must be between ${min} and ${max} in "${d.name.value}"`);
    }
  };
}

/** Balanced parentheses and brackets, as PCRE requires; other regex syntax is PCRE's and not re-checked here. */
export function checkRegexShape(source: string): string | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') { inClass = true; if (source[i + 1] === ']') i++; continue; }
    if (ch === '(') depth++;
    else if (ch === ')') { depth--; if (depth < 0) return 'unmatched closing parenthesis'; }
  }
  if (inClass) return 'missing terminating ] for character class';
  if (depth > 0) return 'missing closing parenthesis';
  return undefined;
}

function checkRegexWord(c: CheckContext, w: Word | undefined): void {
  if (!w) return;
  const problem = checkRegexShape(w.value);
  if (problem) c.report(w.start, w.end, 'regex-invalid', `regular expression "${w.value}" cannot compile: ${problem}`);
}

function checkVariableName(c: CheckContext, w: Word | undefined): void {
  if (w && !/^\$[A-Za-z0-9_]+$/.test(w.value) && !/^\$\{[A-Za-z0-9_]+\}$/.test(w.value)) {
    const why = w.value.startsWith('$') ? 'only letters, digits and "_" may follow "$"' : 'it must start with "$"';
    invalid(c, w, `invalid variable name "${w.value}": ${why}`);
  }
}

/** The `rate=` of a limit_req_zone (a zone's name is the names family's). */
function checkRate(): Check {
  return (d, c) => {
    const rate = d.args.find((a) => a.value.startsWith('rate='));
    if (rate && !/^rate=\d+r\/[sm]$/.test(rate.value))
      invalid(c, rate, `invalid rate "${rate.value.slice(5)}": use a number of requests per second or minute, such as 10r/s`);
  };
}

const CHECKS: Record<string, Check> = {
  allow: (d, c) => {
    const a = d.args[0];
    if (a && a.value !== 'all' && !a.value.startsWith('unix:') && literal(a)) {
      const problem = checkCidr(a.value);
      if (problem) invalid(c, a, problem);
    }
  },
  error_page: (d, c) => {
    for (const a of d.args.slice(0, -1)) {
      if (a.value.startsWith('=') || !literal(a)) continue;
      if (!/^\d+$/.test(a.value) || Number(a.value) < 300 || Number(a.value) > 599)
        invalid(c, a, `value "${a.value}" must be between 300 and 599`);
    }
  },
  expires: (d, c) => {
    const args = d.args;
    if (args.length === 0) return;
    const last = args[args.length - 1];
    if (args.length === 2 && args[0].value !== 'modified') {
      invalid(c, args[0], `invalid value "${args[0].value}": only "modified" may come before the time`); return;
    }
    // A time holding a variable is evaluated per request (ngx_http_headers_expires).
    if (!literal(last)) return;
    if (['epoch', 'max', 'off'].includes(last.value) && args.length === 1) return;
    if (!/^[@+-]?(\d+(ms|[yMwdhms])?)+$/.test(last.value))
      invalid(c, last, `invalid value "${last.value}" in "expires": use a time (1h, -1, @15h30m), epoch, max or off`);
  },
  gzip_comp_level: checkRange(1, 9),
  limit_except: (d, c) => {
    for (const a of d.args) if (!HTTP_METHODS.has(a.value.toUpperCase())) invalid(c, a, `invalid method "${a.value}"`);
  },
  limit_req_zone: checkRate(),
  limit_conn_zone: checkRate(),
  log_format: (d, c) => {
    const name = d.args[0];
    if (name && (name.value === 'combined' || !c.define('log_format', name.value, name)))
      invalid(c, name, `duplicate "log_format" name "${name.value}"`);
  },
  map: (d, c) => checkVariableName(c, d.args[1]),
  set: (d, c) => {
    const variable = d.args[0];
    checkVariableName(c, variable);
    // Only http is checked: the stream module has other variables under some of the same names.
    if (!variable || !c.contexts[0]?.startsWith('http')) return;
    if (!isFixedVariable(variable.value)) return;
    const name = variableName(variable.value);
    invalid(c, variable, `the duplicate "${name}" variable: "$${name}" is built in and cannot be set; use a variable of your own`);
  },
  location: (d, c) => {
    const regex = d.args.length === 2 && (d.args[0].value === '~' || d.args[0].value === '~*') ? d.args[1]
      : d.args.length === 1 && d.args[0].value.startsWith('~') ? { ...d.args[0], value: d.args[0].value.replace(/^~\*?/, '') } : undefined;
    checkRegexWord(c, regex);
  },
  rewrite: (d, c) => {
    checkRegexWord(c, d.args[0]);
    const flag = d.args[2];
    if (flag && !['last', 'break', 'redirect', 'permanent'].includes(flag.value))
      invalid(c, flag, `invalid parameter "${flag.value}": use last, break, redirect or permanent`);
  },
  return: (d, c) => {
    const first = d.args[0];
    // A stream return sends its one argument, any text, to the client (ngx_stream_return_module).
    if (!first || !literal(first) || c.contexts.some((x) => x.startsWith('stream'))) return;
    if (/^\d+$/.test(first.value)) {
      if (Number(first.value) > 999) invalid(c, first, `invalid return code "${first.value}"`);
      return;
    }
    if (d.args.length === 2 || !/^(https?:\/\/|\$scheme)/.test(first.value)) invalid(c, first, `invalid return code "${first.value}"`);
  },
  proxy_pass: (d, c) => {
    const url = d.args[0];
    if (c.contexts.some((x) => x.startsWith('stream'))) return; // stream  proxy_pass takes host:port
    // With a variable anywhere nginx parses the URL per request and checks nothing at load time.
    if (url && literal(url) && !/^https?:\/\//i.test(url.value)) {
      invalid(c, url, `invalid URL prefix in "${url.value}": use http:// or https://`);
    }
  },
  if: (d, c) => {
    const condition = checkIfCondition(d.args.map((a) => a.value));
    if (condition) c.report(d.name.start, d.args.length ? d.args[d.args.length - 1].end : d.name.end, 'if-condition', condition);
    const op = d.args.findIndex((a) => /^!?~\*?$/.test(a.value));
    const operand = d.args[op + 1];
    if (op < 0 || !operand) return;
    const source = operand === d.args[d.args.length - 1] ? operand.value.replace(/\)$/, '') : operand.value;
    checkRegexWord(c, { ...operand, value: source });
  },
  ssl_protocols: checkProtocols,
  proxy_ssl_protocols: checkProtocols,
  grpc_ssl_protocols: checkProtocols,
  uwsgi_ssl_protocols: checkProtocols,
  worker_processes: (d, c) => {
    const a = d.args[0];
    if (a && a.value !== 'auto' && !/^\d+$/.test(a.value))
      invalid(c, a, `invalid value "${a.value}" in "worker_processes": use a number or auto`);
  },
  server: (d, c) => {
    if (c.parents[c.parents.length - 1]?.name.value !== 'upstream') return;
    for (const a of d.args.slice(1)) {
      const eq = a.value.indexOf('=');
      const ok = eq < 0 ? UPSTREAM_SERVER_FLAGS.has(a.value)
        : (Object.hasOwn(UPSTREAM_SERVER_PARAMS, a.value.slice(0, eq))
          && UPSTREAM_SERVER_PARAMS[a.value.slice(0, eq)](a.value.slice(eq + 1)));
      if (!ok) invalid(c, a, `invalid parameter "${a.value}"`);
    }
  },
};
CHECKS.deny = CHECKS.allow;
// fastcgi_pass and the like take host:port or unix:path: a bare path is taken for a host name.
for (const pass of ['fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']) CHECKS[pass] = checkSocketPath;

function checkSocketPath(d: Directive, c: CheckContext): void {
  const address = d.args[0];
  if (address && literal(address) && address.value.startsWith('/'))
    invalid(c, address, `invalid host in upstream "${address.value}": a unix socket is written "unix:${address.value}"`);
}

/** resolver: an IPv6 address needs brackets (`[::1]`), or its last part is read as a port. */
function checkResolver(d: Directive, c: CheckContext): void {
  for (const a of d.args) {
    if (a.value.includes('=') || a.value.startsWith('[') || !literal(a)) continue;
    if (a.value.indexOf(':') !== a.value.lastIndexOf(':'))
      invalid(c, a, `invalid port in resolver "${a.value}": write an IPv6 address in brackets, [${a.value}]`);
  }
}
CHECKS.resolver = checkResolver;

/** A stream proxy_pass names an upstream group or a host with its port (ngx_stream_proxy_pass). */
function checkStreamPassPorts(c: EndContext): void {
  for (const site of c.facts.streamPasses) {
    const url = site.directive.args[0];
    if (!url || !literal(url) || url.value.startsWith('unix:') || /:\d+$/.test(url.value)) continue;
    if (c.facts.upstreams.has(upstreamKey('stream', url.value))) continue;
    c.report(site.file, url.start, url.end, 'invalid-value',
      `no port in upstream "${url.value}": give the port (${url.value}:PORT) or define upstream ${url.value}`);
  }
}

/** lua_shared_dict zones are named once (ngx_http_lua_shared_dict: "is already defined"). */
function checkSharedDict(d: Directive, c: CheckContext): void {
  const name = d.args[0];
  if (name && d.args.length === 2 && !c.define('lua_shared_dict', name.value, name))
    invalid(c, name, `lua_shared_dict "${name.value}" is already defined`);
}

export const family: NginxFamily = {
  name: 'values',
  rules: ['invalid-value', 'if-condition', 'regex-invalid'],
  directives: CHECKS,
  // ngx_lua's directives get no value checks from the walk (they are not nginx's): this one is checked as written.
  asWritten: { lua_shared_dict: checkSharedDict },
  blockEnd: { map: checkEntries, geo: checkEntries, split_clients: checkEntries },
  end: (c) => { if (!c.options.standalone) checkStreamPassPorts(c); },
};

/** Sizes, times and numbers, for the directives whose kind knowledge.ts knows (valueKindOf). */
export function checkValueKind(d: Directive, kind: ValueKind, c: CheckContext): void {
  d.args.forEach((arg, i) => {
    if (arg.value.includes('$') || arg.value === 'off' || arg.value.includes('=')) return;
    const check = kind === 'size' ? checkSize : kind === 'time' ? checkTime : kind === 'number' ? checkNumber
      : i === 0 ? checkNumber : checkSize;
    if (kind === 'number' && (arg.value === 'auto' || d.name.value === 'keepalive_requests' && arg.value === 'off')) return;
    const problem = check(arg.value);
    if (problem) c.report(arg.start, arg.end, 'invalid-value', `${problem} in "${d.name.value}" directive`);
  });
}

/** ngx_parse_size / ngx_parse_offset: digits with an optional k, m or g. */
function checkSize(value: string): string | undefined {
  return /^\d+[kKmMgG]?$/.test(value) ? undefined : `"${value}" is not a size (such as 512, 16k, 10m or 1g)`;
}

/** ngx_parse_time: number-unit pairs in descending order (`1h30m`); a bare number is seconds. */
function checkTime(value: string): string | undefined {
  const order = ['y', 'M', 'w', 'd', 'h', 'm', 's', 'ms'];
  const parts = value.match(/\d+(ms|[yMwdhms])?/g);
  if (!parts || parts.join('') !== value) return `"${value}" is not a time (such as 30s, 5m or 1h30m)`;
  let last = -1;
  for (let i = 0; i < parts.length; i++) {
    const unit = parts[i].replace(/^\d+/, '');
    if (unit === '') {
      if (i !== parts.length - 1) return `"${value}" is not a time`;
      continue;
    }
    const rank = order.indexOf(unit);
    if (rank <= last) return `"${value}" is not a time: units must go from largest to smallest, once each`;
    last = rank;
  }
  return undefined;
}

function checkNumber(value: string): string | undefined {
  return /^\d+$/.test(value) ? undefined : `"${value}" is not a number`;
}

/**
 * Checks the arguments of `if`, joined as nginx reads them (ngx_http_rewrite_if_condition).
 * Returns an error message or undefined.
 */
function checkIfCondition(args: readonly string[]): string | undefined {
  if (args.length === 0) return 'invalid condition: "if" needs a condition in parentheses';
  const values = [...args];
  const joined = args.join(' ');
  if (!values[0].startsWith('(')) return `invalid condition "${joined}": it must start with "("`;
  let cur = 0;
  if (values[0] === '(') cur = 1; else values[0] = values[0].slice(1);
  let last = values.length - 1;
  if (!values[last].endsWith(')')) return `invalid condition "${joined}": it must end with ")"`;
  if (values[last] === ')') last--; else values[last] = values[last].slice(0, -1);
  if (cur > last) return `invalid condition "${joined}"`;
  const first = values[cur];
  if (first.length > 1 && first.startsWith('$')) {
    if (cur !== last && cur + 2 !== last) return `invalid condition "${joined}"`;
    if (cur === last) return undefined;
    const op = values[cur + 1];
    if (['=', '!=', '~', '~*', '!~', '!~*'].includes(op)) return undefined;
    return `unexpected "${op}" in condition`;
  }
  if ((first.length === 2 && first[0] === '-') || (first.length === 3 && first.startsWith('!-'))) {
    if (cur + 1 !== last) return `invalid condition "${joined}"`;
    const test = first[first.length - 1];
    return 'fdex'.includes(test) ? undefined : `invalid condition "${joined}": unknown test "${first}"`;
  }
  return `invalid condition "${joined}"`;
}

/**
 * Checks the entries of a `map`, `geo` or `split_clients` block (which are not directives): entry
 * shape, duplicate keys, networks, percentages.
 */
function checkEntries(block: Directive, c: CheckContext): void {
  const kind = block.name.value;
  const entries = block.block!.children.filter((n): n is Directive => n.kind === 'directive');
  const seen = new Set<string>();
  let percent = 0;
  for (const e of entries) {
    const words = [e.name, ...e.args];
    if (e.block) continue;
    if (kind === 'map') {
      const key = e.name.value;
      if (['hostnames', 'volatile'].includes(key) && words.length === 1) continue;
      if (key === 'include') continue;
      if (words.length !== 2) {
        c.report(e.name.start, words[words.length - 1].end, 'invalid-value',
          `invalid number of the map parameters: an entry is a key and a value`);
        continue;
      }
      if (seen.has(key)) c.report(e.name.start, e.name.end, 'invalid-value', `conflicting parameter "${key}": this key is already mapped`);
      seen.add(key);
    } else if (kind === 'geo') {
      const key = e.name.value;
      if (['ranges', 'delete', 'include', 'proxy_recursive'].includes(key) || key === 'default' || key === 'proxy') {
        if (key === 'proxy' && e.args[0]) { const p = checkCidr(e.args[0].value); if (p) invalid(c, e.args[0], p); }
        continue;
      }
      if (words.length !== 2) continue;
      if (key.includes('-') && !key.includes('/')) continue; // a range (with "ranges")
      const problem = checkCidr(key);
      if (problem) invalid(c, e.name, problem);
    } else if (kind === 'split_clients') {
      const m = /^(\d+(?:\.\d+)?)%$/.exec(e.name.value);
      if (m) {
        percent += Number(m[1]);
        // nginx notices at the closing brace; the entry that tips it over is where to fix it.
        if (percent > 100 && percent - Number(m[1]) <= 100)
          c.report(e.name.start, block.end, 'invalid-value', `percent total is greater than 100% (${percent}%)`);
      } else if (e.name.value !== '*') invalid(c, e.name, `invalid percent value "${e.name.value}"`);
    }
  }
}
