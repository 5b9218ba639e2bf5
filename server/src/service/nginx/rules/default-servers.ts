/**
 * Which server answers a request for a name no server lists. nginx picks the server marked
 * `default_server` on the address and port the request came in on, else the first server in the
 * configuration that listens there (`80`, `*:80` and `0.0.0.0:80` are one socket; `[::]:80` is
 * another; a `quic` listen is a UDP socket of its own). `server_name _` makes no server the
 * default. With TLS the default server also hands its certificate, and so its names, to any client
 * that asks for another name, unless it rejects the handshake (`ssl_reject_handshake on`).
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { EndContext, FixSite, NginxFamily } from '../context';
import { type TlsServer, effective } from '../inheritance';
import { type NginxVersion, versionAtLeast } from '../knowledge';
import type { Directive } from '../syntax';
import { children, lineIndent } from '../text-edits';
import { listenAddressKey } from './listen';

/** Stream servers share a socket (and have names) from this release; before it nginx refuses a second one. */
const STREAM_VIRTUAL_SERVERS: NginxVersion = [1, 25, 5];
/** The release that added ssl_reject_handshake (http). */
const REJECT_HANDSHAKE: NginxVersion = [1, 19, 4];

export const family: NginxFamily = {
  name: 'default-servers',
  rules: ['default-server-implicit'],
  end: (c) => {
    if (c.options.standalone) return; // servers in files this one does not see may share its sockets
    checkSockets(c);
  },
  fixes: { 'default-server-implicit': fixDefaultServer },
};

interface Socket {
  key: string;
  address: string;
  servers: TlsServer[];
  marked: TlsServer | undefined;
  ssl: boolean;
}

function checkSockets(c: EndContext): void {
  const sockets = new Map<string, Socket>();
  const streamShares = versionAtLeast(c.options.target, STREAM_VIRTUAL_SERVERS);
  const canReject = versionAtLeast(c.options.target, REJECT_HANDSHAKE);
  for (const server of c.facts.servers) {
    if (server.module === 'mail' || (server.module === 'stream' && !streamShares)) continue;
    const listens = server.listens.length || server.module !== 'http' ? server.listens
      : [{ address: '*:80', ssl: false, isDefault: false, udp: false }];
    for (const listen of listens) {
      const key: string = `${server.module} ${listen.address}${listen.udp ? ' udp' : ''}`;
      let socket = sockets.get(key);
      if (!socket) sockets.set(key, (socket = { key, address: listen.address, servers: [], marked: undefined, ssl: false }));
      // A server's listens are met together: one that lists a socket twice is its last server already.
      if (socket.servers[socket.servers.length - 1] !== server) socket.servers.push(server);
      if (listen.isDefault) socket.marked ??= server;
      socket.ssl ||= listen.ssl;
    }
  }
  // One finding per implicit default server, naming every socket it is the default of.
  const implicit = new Map<TlsServer, Socket[]>();
  const unrejected = new Map<TlsServer, Socket[]>();
  for (const socket of sockets.values()) {
    if (socket.servers.length < 2) continue;
    const first = socket.marked ?? socket.servers[0];
    if (!socket.marked && !refuses(first)) push(implicit, first, socket);
    if (socket.ssl && first.module === 'http' && canReject && !rejectsHandshake(first)) push(unrejected, first, socket);
  }
  for (const [server, list] of implicit) {
    const at = listenOf(server, list[0]);
    const others = list[0].servers.filter((s) => s !== server).length;
    c.report(at.file, at.start, at.end, 'default-server-implicit',
      `no server is marked default_server on ${addresses(list)}: requests for names no server lists (or with no Host) reach this one, `
        + `the first of ${others + 1} listening there; say which with "default_server" here or on a catch-all server`,
      () => ({
        sockets: list.map((s) => ({ address: s.address, ssl: s.ssl, quic: s.key.endsWith(' udp') })),
        exploit: `GET / with "Host: unknown.example" on ${list[0].address} → answered by this server`,
        effective: list.flatMap((s) => listedServers(s, c)),
      }));
  }
  for (const [server, list] of unrejected) {
    if (implicit.has(server)) continue; // one finding per listen: the implicit default says more
    const at = listenOf(server, list[0]);
    const reject = effective(server.chain, 'ssl_reject_handshake', 'off');
    c.report(at.file, at.start, at.end, 'default-server-implicit',
      `this default server on ${addresses(list)} completes the TLS handshake for any name a client asks for, showing its `
        + 'certificate to scanners of the address; a catch-all default server with "ssl_reject_handshake on;" refuses them',
      { effective: [{ name: 'ssl_reject_handshake', value: reject.value, where: c.describe(reject) }] }, 'hint');
  }
}

/**
 * The hover's rows for the servers on a socket: the first few, then one row that counts the rest (a
 * generated config may put a thousand servers on one port; a table that long explains nothing).
 */
const LISTED_SERVERS = 5;

function listedServers(socket: Socket, c: EndContext): { name: string; value: string; where: string }[] {
  const rows = socket.servers.slice(0, LISTED_SERVERS).map((x) => ({
    name: 'server', value: names(x), where: `listening on ${socket.address} at ${c.where({ directive: x.directive, file: x.file })}`,
  }));
  const more = socket.servers.length - LISTED_SERVERS;
  if (more > 0) rows.push({ name: 'server', value: `… and ${more} more`, where: `listening on ${socket.address}` });
  return rows;
}

function push(map: Map<TlsServer, Socket[]>, server: TlsServer, socket: Socket): void {
  const list = map.get(server);
  if (list) list.push(socket); else map.set(server, [socket]);
}

function addresses(list: readonly Socket[]): string {
  return list.map((s) => s.address + (s.key.endsWith(' udp') ? ' (quic)' : '')).join(' and ');
}

function names(server: TlsServer): string {
  return server.names.map((n) => n.word.value).join(' ') || '""';
}

/** A server that answers everything with an error or by closing the connection: a catch-all by position. */
function refuses(server: TlsServer): boolean {
  if (rejectsHandshake(server)) return true;
  const own = server.chain[server.chain.length - 1].get('return');
  const code = own?.directive.args[0]?.value;
  return code !== undefined && /^\d+$/.test(code) && Number(code) >= 400;
}

function rejectsHandshake(server: TlsServer): boolean {
  return effective(server.chain, 'ssl_reject_handshake', 'off').value.toLowerCase() === 'on';
}

/** Where to point: the server's listen for the socket, or the server itself when it has none (`*:80`). */
function listenOf(server: TlsServer, socket: Socket): { file: string; start: number; end: number } {
  const listen = server.listens.find((l) => l.address === socket.address);
  if (listen) return { file: listen.file, start: listen.word.start, end: listen.word.end };
  return { file: server.file, start: server.directive.name.start, end: server.directive.name.end };
}

interface SocketData { address: string; ssl: boolean; quic: boolean }

function fixDefaultServer(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const sockets = Array.isArray(diagnostic.data?.sockets) ? diagnostic.data.sockets as SocketData[] : undefined;
  if (!sockets?.length) return [];
  const server = site.directive.name.value === 'server' ? site.directive : site.parents[site.parents.length - 1];
  if (server?.name.value !== 'server' || !server.block) return [];
  const quic = (d: Directive) => d.args.some((a, i) => i > 0 && a.value === 'quic');
  const listens = children(server, site.tree).filter((d) => d.name.value === 'listen' && d.args[0]
    && sockets.some((s) => s.address === listenAddressKey(d.args[0].value) && s.quic === quic(d)));
  const fixes: QuickFix[] = [];
  if (listens.length) {
    const edits: TextEdit[] = listens.map((d) => ({ start: d.args[0].end, end: d.args[0].end, newText: ' default_server' }));
    fixes.push({ title: 'Make this server the default (default_server)', edits, isPreferred: true });
  }
  const tcp = sockets.filter((s) => !s.quic);
  if (tcp.length) fixes.push(catchAll(site, server, tcp));
  return fixes;
}

/** A catch-all server before this one: the default for the sockets, answering nothing. */
function catchAll(site: FixSite, server: Directive, sockets: readonly SocketData[]): QuickFix {
  const indent = lineIndent(site.text, server.start);
  const inner = `${indent}    `;
  const ssl = sockets.some((s) => s.ssl);
  const lines = [
    ...sockets.map((s) => `listen ${s.address.replace(/^\*:/, '')}${s.ssl ? ' ssl' : ''} default_server;`),
    'server_name _;',
    ...(ssl ? ['ssl_reject_handshake on;'] : []),
    'return 444;',
  ];
  return {
    title: `Add a catch-all default server that ${ssl ? 'rejects the TLS handshake' : 'closes the connection (return 444)'}`,
    edits: [{
      start: server.start, end: server.start, newText: `server {\n${lines.map((l) => inner + l).join('\n')}\n${indent}}\n${indent}`,
    }],
  };
}
