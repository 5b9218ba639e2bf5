/**
 * Configuration levels and what is in effect at each. nginx merges a module's settings level by
 * level (http → server → location → nested location → `if`, and `limit_except`; stream → server):
 * a plain setting is inherited until a level sets its own, and a list a level may repeat
 * (`add_header`, `proxy_set_header`, `allow`/`deny`, …) is inherited whole, only by a level that has
 * none of its own. The walk records every level with the chain of settings around it; the
 * header-inheritance and access rules judge them at the end, when every level is complete (a setting
 * written after a nested block still belongs to its level).
 */
import { type BlockSettings, type Effective, type Setting, type TlsServer, effective } from './inheritance';
import type { Directive } from './syntax';

/**
 * Directives whose every occurrence a level records, in order, by the key of their list. nginx keeps
 * `allow` and `deny` in one list (their order decides).
 */
export const LISTED: ReadonlyMap<string, string> = new Map([
  ['add_header', 'add_header'], ['add_trailer', 'add_trailer'], ['more_set_headers', 'more_set_headers'],
  ['proxy_set_header', 'proxy_set_header'], ['grpc_set_header', 'grpc_set_header'],
  ['proxy_hide_header', 'proxy_hide_header'], ['proxy_pass_header', 'proxy_pass_header'],
  ['fastcgi_param', 'fastcgi_param'], ['uwsgi_param', 'uwsgi_param'], ['scgi_param', 'scgi_param'],
  ['allow', 'allow'], ['deny', 'allow'],
  ['return', 'return'], ['rewrite', 'rewrite'], ['map', 'map'], ['geo', 'geo'],
  ['limit_req_zone', 'limit_req_zone'], ['limit_conn_zone', 'limit_conn_zone'],
]);

/** The key of the one list `allow` and `deny` share. */
export const ACCESS_LIST = 'allow';

/** Directives that authenticate a request in the access phase; `off` (where they take it) turns them off. */
export const AUTH_DIRECTIVES: readonly string[] = [
  'auth_basic', 'auth_request', 'auth_jwt', 'auth_oidc', 'access_by_lua', 'access_by_lua_block', 'access_by_lua_file',
];

/**
 * Directives that give a location's content instead of the files under its root. They are not
 * inherited: each applies to the level it is written in.
 */
export const CONTENT_HANDLERS: readonly string[] = [
  'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'empty_gif', 'stub_status', 'api',
  'perl', 'js_content', 'content_by_lua', 'content_by_lua_block', 'content_by_lua_file', 'echo',
];

/** Plain settings a level records (its first occurrence) for the rules that judge levels, besides the TLS ones. */
export const LEVEL_SETTINGS: ReadonlySet<string> = new Set([
  'add_header_inherit', 'add_trailer_inherit', 'satisfy', 'autoindex', 'internal', ...AUTH_DIRECTIVES, ...CONTENT_HANDLERS,
]);

export type LevelKind = 'http' | 'server' | 'location' | 'if' | 'limit_except' | 'stream' | 'stream-server';

/** A block nginx merges settings into, as the walk met it (a file included twice gives two levels). */
export interface Level {
  kind: LevelKind;
  file: string;
  /** The block directive (`location /x`, `if (…)`, `server`). */
  directive: Directive;
  /** The settings of every enclosing block, outermost first, ending with this level's own. */
  chain: readonly BlockSettings[];
  /** The level around it; undefined at the top (http, stream, or a block at the top of a file read alone). */
  parent: Level | undefined;
  /** The server it is in (itself for a server); undefined above servers. */
  server: TlsServer | undefined;
  /** Some level stands inside it (a location in a server, an if in a location): it has something to pass on. */
  enclosing: boolean;
}

/** The kind of level a block opens, or undefined when it opens none. */
export function levelKindOf(name: string, contexts: readonly string[]): LevelKind | undefined {
  switch (name) {
    case 'http': return 'http';
    case 'stream': return 'stream';
    case 'location': return 'location';
    case 'if': return 'if';
    case 'limit_except': return 'limit_except';
    case 'server':
      if (contexts.includes('http')) return 'server';
      return contexts.includes('stream') ? 'stream-server' : undefined;
    default: return undefined;
  }
}

/** A level's own settings. */
export function own(level: Level): BlockSettings {
  return level.chain[level.chain.length - 1];
}

const NONE: readonly Setting[] = [];

/** The directives of a list a block itself holds (through its includes), in order. */
export function ownList(settings: BlockSettings, key: string): readonly Setting[] {
  return settings.get(key)?.list ?? NONE;
}

/** A list in effect: the nearest level's own, whole; `at` is its index in the chain, -1 for none. */
export interface EffectiveList { list: readonly Setting[]; at: number }

export function effectiveList(chain: readonly BlockSettings[], key: string): EffectiveList {
  for (let i = chain.length - 1; i >= 0; i--) {
    const list = chain[i].get(key)?.list;
    if (list) return { list, at: i };
  }
  return { list: NONE, at: -1 };
}

/** Whether a setting in effect is on: present and not `off`. */
export function isOn(e: Effective): boolean {
  return e.setting !== undefined && e.value.toLowerCase() !== 'off';
}

/** What the access rules in effect at a level make of a client. */
export interface Access {
  /** The allow/deny rules in effect (the nearest level's list, whole), in order. */
  rules: EffectiveList;
  /**
   * What the rules decide for a client they do not name, over IPv4 and over IPv6: the first rule
   * for `all` (or `0.0.0.0/0`, `::/0`) wins; none matching lets it through (the access module declines).
   */
  others: { v4: 'allow' | 'deny' | 'none'; v6: 'allow' | 'deny' | 'none' };
  satisfy: Effective;
  /** The authentication directives in effect (not off). */
  auth: { name: string; effective: Effective }[];
}

/** The access rules, `satisfy` and authentication in effect at the end of a chain. */
export function accessAt(chain: readonly BlockSettings[]): Access {
  const rules = effectiveList(chain, ACCESS_LIST);
  const auth: Access['auth'] = [];
  for (const name of AUTH_DIRECTIVES) {
    const e = effective(chain, name, 'off');
    if (isOn(e)) auth.push({ name, effective: e });
  }
  const others = { v4: decide(rules.list, '0.0.0.0/0'), v6: decide(rules.list, '::/0') };
  return { rules, others, satisfy: effective(chain, 'satisfy', 'all'), auth };
}

function decide(rules: readonly Setting[], everyone: string): 'allow' | 'deny' | 'none' {
  for (const r of rules) {
    const address = r.directive.args[0]?.value;
    if (address === 'all' || address === everyone) return r.directive.name.value === 'allow' ? 'allow' : 'deny';
  }
  return 'none';
}

/**
 * Whether a client the rules do not name, with no credentials, gets through. With `satisfy any` a
 * module that declines (no rule names the client) lets the next decide: authentication still asks.
 */
export function admitsAnyone(access: Access, overIpv6: boolean): boolean {
  const any = access.satisfy.value.toLowerCase() === 'any';
  const open = access.auth.length === 0;
  const passes = (o: 'allow' | 'deny' | 'none') => (any ? o === 'allow' || (o === 'none' && open) : o !== 'deny' && open);
  return passes(access.others.v4) || (overIpv6 && passes(access.others.v6));
}

/** Whether a server listens on IPv6 (`[::]:80`, `[2001:db8::1]:443`). */
export function listensOnIpv6(server: TlsServer | undefined): boolean {
  return server !== undefined && server.listens.some((l) => l.address.startsWith('['));
}

/** Whether every address a server listens on is a unix socket or loopback: nothing outside the host reaches it. */
export function hostOnly(server: TlsServer | undefined): boolean {
  if (!server || server.listens.length === 0) return false; // no listen: *:80
  return server.listens.every((l) => l.address.startsWith('unix:') || /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):/.test(l.address));
}

/** The levels inside `outer` (below it in the tree), including itself. */
export function isWithin(level: Level, outer: Level): boolean {
  for (let l: Level | undefined = level; l; l = l.parent) if (l === outer) return true;
  return false;
}
