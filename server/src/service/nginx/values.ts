/**
 * Argument value grammars nginx checks when it loads a configuration: sizes, times, numbers,
 * `listen` addresses, `if` conditions. Each check returns an error message, or undefined when the
 * value is one nginx accepts. Arguments containing variables are not checked (nginx evaluates them
 * per request).
 */

/** ngx_parse_size / ngx_parse_offset: digits with an optional k, m or g. */
export function checkSize(value: string): string | undefined {
  return /^\d+[kKmMgG]?$/.test(value) ? undefined : `"${value}" is not a size (such as 512, 16k, 10m or 1g)`;
}

/** ngx_parse_time: number-unit pairs in descending order (`1h30m`); a bare number is seconds. */
export function checkTime(value: string): string | undefined {
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

export function checkNumber(value: string): string | undefined {
  return /^\d+$/.test(value) ? undefined : `"${value}" is not a number`;
}

const HTTP_LISTEN_FLAGS = new Set(['default_server', 'default', 'ssl', 'http2', 'quic', 'proxy_protocol', 'deferred', 'bind', 'reuseport', 'multipath']);
const HTTP_LISTEN_PARAMS = new Set(['setfib', 'fastopen', 'backlog', 'rcvbuf', 'sndbuf', 'accept_filter', 'ipv6only', 'so_keepalive']);
const STREAM_LISTEN_FLAGS = new Set(['default_server', 'ssl', 'udp', 'proxy_protocol', 'bind', 'reuseport']);
const STREAM_LISTEN_PARAMS = new Set(['setfib', 'fastopen', 'backlog', 'rcvbuf', 'sndbuf', 'accept_filter', 'ipv6only', 'so_keepalive']);
const MAIL_LISTEN_FLAGS = new Set(['ssl', 'proxy_protocol', 'bind']);
const MAIL_LISTEN_PARAMS = new Set(['backlog', 'rcvbuf', 'sndbuf', 'ipv6only', 'so_keepalive']);

export interface ListenProblem { argIndex: number; message: string }

/**
 * Checks a `listen` directive's arguments (address first, then parameters) for the module given.
 * Returns the normalised address (for duplicate detection) and any problem.
 */
export function checkListen(args: readonly string[], module: 'http' | 'stream' | 'mail'): { address?: string; problem?: ListenProblem } {
  const address = args[0];
  const problem = checkListenAddress(address);
  if (problem) return { problem: { argIndex: 0, message: problem } };
  const flags = module === 'http' ? HTTP_LISTEN_FLAGS : module === 'stream' ? STREAM_LISTEN_FLAGS : MAIL_LISTEN_FLAGS;
  const params = module === 'http' ? HTTP_LISTEN_PARAMS : module === 'stream' ? STREAM_LISTEN_PARAMS : MAIL_LISTEN_PARAMS;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    if (eq < 0 ? flags.has(key) : params.has(key)) continue;
    return { problem: { argIndex: i, message: `invalid parameter "${arg}" in "listen"` } };
  }
  return { address: normaliseListenAddress(address) };
}

function checkListenAddress(address: string): string | undefined {
  if (address.startsWith('unix:')) return address.length > 5 ? undefined : 'no path in the unix domain socket';
  let port: string | undefined;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return `invalid IPv6 address in "${address}"`;
    const rest = address.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return `invalid address "${address}"`;
    port = rest ? rest.slice(1) : undefined;
  } else {
    const colon = address.lastIndexOf(':');
    if (colon >= 0) port = address.slice(colon + 1);
    else if (/^\d+$/.test(address)) port = address;
  }
  if (port !== undefined) {
    if (!/^\d+$/.test(port)) return `invalid port in "${address}" of the "listen" directive`;
    const n = Number(port);
    if (n < 1 || n > 65535) return `invalid port in "${address}" of the "listen" directive`;
  }
  return undefined;
}

function normaliseListenAddress(address: string): string {
  if (/^\d+$/.test(address)) return `*:${address}`;
  if (address.startsWith('unix:')) return address;
  if (address.startsWith('[')) return address.includes(']:') ? address : `${address}:80`;
  if (!address.includes(':')) return `${address}:80`;
  if (address.startsWith('0.0.0.0:')) return `*:${address.slice(8)}`;
  return address;
}

/**
 * Checks the arguments of `if`, joined as nginx reads them (ngx_http_rewrite_if_condition).
 * Returns an error message or undefined.
 */
export function checkIfCondition(args: readonly string[]): string | undefined {
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
