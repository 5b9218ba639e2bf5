/**
 * TLS settings by nginx's inheritance. The walk records, per block, the TLS directives it sets and
 * every TLS use site (an upstream over TLS, a server that terminates TLS) with the chain of blocks
 * around it; the settings in effect at a site are those of the nearest level that sets them
 * (http → server → location → nested location → if). The TLS and certificate rules and the hover
 * read them from here.
 */
import { Directive, Word } from './syntax';

/** A directive as set somewhere, and the file it is in. */
export interface Setting {
  directive: Directive;
  file: string;
  /** On the first directive of a list a block may repeat (levels.ts LISTED): the whole list in order, itself first. */
  list?: Setting[];
}

/** What one block sets directly (its own directives and those of files it includes). */
export type BlockSettings = Map<string, Setting>;

/** The directive families that configure TLS to an upstream. */
export interface TlsPassFamily {
  /** Directive prefix: `proxy_ssl_`, `grpc_ssl_`, `uwsgi_ssl_`. */
  prefix: 'proxy' | 'grpc' | 'uwsgi';
  /** The directive that names the upstream. */
  pass: string;
  scheme: string;
}

export const TLS_PASS_FAMILIES: readonly TlsPassFamily[] = [
  { prefix: 'proxy', pass: 'proxy_pass', scheme: 'https://' },
  { prefix: 'grpc', pass: 'grpc_pass', scheme: 'grpcs://' },
  { prefix: 'uwsgi', pass: 'uwsgi_pass', scheme: 'suwsgi://' },
];

/** Directive names whose effective value this pass needs; the walk records only these. */
export const TLS_SETTINGS: ReadonlySet<string> = new Set([
  ...TLS_PASS_FAMILIES.flatMap((f) => [
    'verify', 'trusted_certificate', 'server_name', 'name', 'certificate', 'certificate_key', 'protocols', 'ciphers', 'verify_depth'
  ]
    .map((s) => `${f.prefix}_ssl_${s}`)),
  'proxy_ssl', 'ssl_certificate', 'ssl_certificate_key', 'ssl_reject_handshake', 'ssl_verify_client', 'ssl_client_certificate',
  'ssl_trusted_certificate', 'ssl_protocols', 'ssl_stapling', 'ssl_stapling_file', 'ssl_stapling_responder',
]);

/** Other settings whose effective value a rule needs, recorded the same way (version-disclosure, try-files-without-cache). */
export const INHERITED_SETTINGS: ReadonlySet<string> = new Set(['server_tokens', 'open_file_cache']);

/** A TLS upstream: a proxy_pass/grpc_pass/uwsgi_pass to a TLS scheme, or a stream proxy_pass with proxy_ssl on. */
export interface TlsSite {
  file: string;
  directive: Directive;
  family: TlsPassFamily;
  /** The settings of each enclosing block, outermost first. */
  chain: readonly BlockSettings[];
  /** Host part of the URL (the upstream group name when one is defined). */
  host: string;
  isUpstreamGroup: boolean;
  stream: boolean;
  /** The protocols the target nginx enables when no *_ssl_protocols is in effect (knowledge.ts defaultTlsProtocols). */
  defaultProtocols: string;
}

/** A server block that may terminate TLS: the certificate checks are made per server. */
export interface TlsServer {
  file: string;
  directive: Directive;
  chain: readonly BlockSettings[];
  /** `ssl` words of its `listen` directives. */
  sslListens: { file: string; word: Word }[];
  /**
   * Its `listen` addresses in order (normalised: `443` and `0.0.0.0:443` are `*:443`), with their ssl and
   * default_server flags, whether the socket is UDP (`quic`, stream `udp`), and where the address is written.
   */
  listens: { address: string; ssl: boolean; isDefault: boolean; udp: boolean; file: string; word: Word }[];
  /** Arguments of its `server_name` directives. */
  names: { file: string; word: Word }[];
  module: 'http' | 'stream' | 'mail';
}

export interface Effective {
  value: string;
  /** Where it was set; absent for the nginx default. */
  setting?: Setting;
}

export function effective(chain: readonly BlockSettings[], name: string, fallback: string): Effective {
  for (let i = chain.length - 1; i >= 0; i--) {
    const s = chain[i].get(name);
    if (s) return { value: s.directive.args.map((a) => a.value).join(' '), setting: s };
  }
  return { value: fallback };
}


/** Where a setting came from, for messages: "conf.d/x.conf:12" or "nginx default". */
export type Describe = (e: Effective) => string;

/** Effective TLS settings at a site, with their origins, for hover and for the checks. */
export function siteSettings(site: TlsSite): Record<string, Effective> {
  const p = `${site.family.prefix}_ssl_`;
  const get = (name: string, fallback: string) => effective(site.chain, p + name, fallback);
  return {
    verify: get('verify', 'off'),
    trusted: get('trusted_certificate', ''),
    serverName: get('server_name', 'off'),
    name: get('name', ''),
    protocols: get('protocols', site.defaultProtocols),
    ciphers: get('ciphers', 'DEFAULT'),
    certificate: get('certificate', ''),
    certificateKey: get('certificate_key', ''),
    verifyDepth: get('verify_depth', '1'),
  };
}
