/**
 * `listen`: an address and port nginx can bind, parameters its module knows, no address twice in
 * one server, one default server per address.
 */
import type { CheckContext, NginxFamily } from '../context';
import type { Directive } from '../syntax';
import { type NginxVersion, versionAtLeast } from '../knowledge';

export const family: NginxFamily = {
  name: 'listen',
  rules: ['listen-address'],
  directives: { listen: checkListenDirective },
};

function checkListenDirective(d: Directive, c: CheckContext): void {
  const args = d.args;
  if (args.length === 0) return;
  const contexts = c.contexts;
  const module = contexts[0].startsWith('stream') ? 'stream' : contexts[0].startsWith('mail') ? 'mail' : 'http';
  const { address, problem } = checkListen(args.map((a) => a.value), module);
  if (problem) {
    const arg = args[problem.argIndex];
    c.report(arg.start, arg.end, 'listen-address', problem.message);
  } else if (address && module === 'stream' && !versionAtLeast(c.target, STREAM_VIRTUAL_SERVERS)) {
    // Before stream servers had names, an address belonged to one server: any second listen on it is refused.
    const socket = args.some((a) => a.value === 'udp') ? `${address} (udp)` : address;
    const listens = c.facts.streamSockets;
    if (listens.has(socket))
      c.report(args[0].start, args[0].end, 'listen-address', `a duplicate "${address}" address and port pair in stream`);
    else listens.add(socket);
  } else if (address && module !== 'mail') {
    // A quic or udp listen is a UDP socket: it shares its address and port with the TCP one (nginx keys sockets by both).
    const udp = args.some((a) => a.value === 'quic' || a.value === 'udp');
    const socket = udp ? `${address} (${module === 'http' ? 'quic' : 'udp'})` : address;
    const listens = (c.block.listens ??= new Map());
    if (listens.has(socket)) c.report(args[0].start, args[0].end, 'listen-address', `a duplicate listen ${address}`);
    else listens.set(socket, d);
    const flag = args.find((a) => a.value === 'default_server' || (module === 'http' && a.value === 'default'));
    if (flag) {
      const key = module === 'http' ? socket : `stream ${socket}`;
      if (c.facts.defaultServers.has(key))
        c.report(flag.start, flag.end, 'listen-address', `a duplicate default server for ${socket}`);
      else c.facts.defaultServers.set(key, d);
    }
  }
}

/** The release whose stream servers have names (server_name, SNI): several may share an address. */
const STREAM_VIRTUAL_SERVERS: NginxVersion = [1, 25, 5];

const HTTP_LISTEN_FLAGS = new Set([
  'default_server', 'default', 'ssl', 'http2', 'quic', 'proxy_protocol', 'deferred', 'bind', 'reuseport', 'multipath'
]);
const HTTP_LISTEN_PARAMS = new Set(['setfib', 'fastopen', 'backlog', 'rcvbuf', 'sndbuf', 'accept_filter', 'ipv6only', 'so_keepalive']);
// The stream module's listen takes deferred since 1.25.5 and, like mail's, multipath since 1.29.7 (the
// ngx_stream_core_module and ngx_mail_core_module syntax in @nginx/reference-lib; nginx's CHANGES).
const STREAM_LISTEN_FLAGS = new Set(['default_server', 'ssl', 'udp', 'proxy_protocol', 'deferred', 'bind', 'reuseport', 'multipath']);
const STREAM_LISTEN_PARAMS = new Set(['setfib', 'fastopen', 'backlog', 'rcvbuf', 'sndbuf', 'accept_filter', 'ipv6only', 'so_keepalive']);
const MAIL_LISTEN_FLAGS = new Set(['ssl', 'proxy_protocol', 'bind', 'multipath']);
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
  return { address: listenAddressKey(address) };
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
    else if (/^\d+(-\d+)?$/.test(address)) port = address;
  }
  if (port !== undefined) {
    // A range of ports (`8000-8003`) listens on each (ngx_parse_inet_url, u->last_port).
    const range = /^(\d+)(?:-(\d+))?$/.exec(port);
    const ports = range ? [Number(range[1]), Number(range[2] ?? range[1])] : [];
    if (!range || ports.some((n) => n < 1 || n > 65535)) return `invalid port in "${address}" of the "listen" directive`;
    if (ports[0] > ports[1]) return `invalid port range in "${address}" of the "listen" directive`;
  }
  return undefined;
}

/** A listen address as nginx tells addresses apart: `443`, `*:443` and `0.0.0.0:443` are one. */
export function listenAddressKey(address: string): string {
  if (/^\d+(-\d+)?$/.test(address)) return `*:${address}`;
  if (address.startsWith('unix:')) return address;
  if (address.startsWith('[')) return address.includes(']:') ? address : `${address}:80`;
  if (!address.includes(':')) return `${address}:80`;
  if (address.startsWith('0.0.0.0:')) return `*:${address.slice(8)}`;
  return address;
}
