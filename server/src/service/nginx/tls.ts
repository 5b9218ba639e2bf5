/**
 * TLS to upstreams and from clients. nginx's `proxy_pass https://…` does not verify the upstream's
 * certificate unless `proxy_ssl_verify on` is in effect, and nothing else says so. This pass takes
 * the TLS use sites the analysis walk recorded (each with the chain of blocks around it) and works
 * out the settings in effect there the way nginx merges them: the nearest level that sets a
 * directive wins (http → server → location → nested location → if).
 */
import { Directive, Word } from './syntax';
import type { Finding } from '../finding';

/** A directive as set somewhere, and the file it is in. */
export interface Setting { directive: Directive; file: string }

/** What one block sets directly (its own directives and those of files it includes). */
export type BlockSettings = Map<string, Setting>;

/** The directive families that configure TLS to an upstream. */
export interface Family {
  /** Directive prefix: `proxy_ssl_`, `grpc_ssl_`, `uwsgi_ssl_`. */
  prefix: 'proxy' | 'grpc' | 'uwsgi';
  /** The directive that names the upstream. */
  pass: string;
  scheme: string;
}

export const FAMILIES: readonly Family[] = [
  { prefix: 'proxy', pass: 'proxy_pass', scheme: 'https://' },
  { prefix: 'grpc', pass: 'grpc_pass', scheme: 'grpcs://' },
  { prefix: 'uwsgi', pass: 'uwsgi_pass', scheme: 'suwsgi://' },
];

/** Directive names whose effective value this pass needs; the walk records only these. */
export const TLS_SETTINGS: ReadonlySet<string> = new Set([
  ...FAMILIES.flatMap((f) => ['verify', 'trusted_certificate', 'server_name', 'name', 'certificate', 'certificate_key', 'protocols', 'ciphers', 'verify_depth']
    .map((s) => `${f.prefix}_ssl_${s}`)),
  'proxy_ssl', 'ssl_certificate', 'ssl_certificate_key', 'ssl_verify_client', 'ssl_client_certificate', 'ssl_trusted_certificate',
]);

/** A TLS upstream: a proxy_pass/grpc_pass/uwsgi_pass to a TLS scheme, or a stream proxy_pass with proxy_ssl on. */
export interface TlsSite {
  file: string;
  directive: Directive;
  family: Family;
  /** The settings of each enclosing block, outermost first. */
  chain: readonly BlockSettings[];
  /** Host part of the URL (the upstream group name when one is defined). */
  host: string;
  isUpstreamGroup: boolean;
  stream: boolean;
}

/** A server block that may terminate TLS: the certificate checks are made per server. */
export interface TlsServer {
  file: string;
  directive: Directive;
  chain: readonly BlockSettings[];
  /** `ssl` words of its `listen` directives. */
  sslListens: { file: string; word: Word }[];
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

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(:\d+)?$/;

/** Effective TLS settings at a site, with their origins, for hover and for the checks. */
export function siteSettings(site: TlsSite): Record<string, Effective> {
  const p = `${site.family.prefix}_ssl_`;
  const get = (name: string, fallback: string) => effective(site.chain, p + name, fallback);
  return {
    verify: get('verify', 'off'),
    trusted: get('trusted_certificate', ''),
    serverName: get('server_name', 'off'),
    name: get('name', ''),
    protocols: get('protocols', 'TLSv1.2 TLSv1.3'),
    ciphers: get('ciphers', 'DEFAULT'),
    certificate: get('certificate', ''),
    certificateKey: get('certificate_key', ''),
    verifyDepth: get('verify_depth', '1'),
  };
}

export function checkSites(sites: readonly TlsSite[], describe: Describe): Finding[] {
  const out: Finding[] = [];
  for (const site of sites) {
    const s = siteSettings(site);
    const p = `${site.family.prefix}_ssl_`;
    const target = site.directive.args[0] ?? site.directive.name;
    const what = site.stream ? `stream proxy_pass to "${target.value}" with proxy_ssl on` : `${site.family.pass} to "${target.value}"`;
    const verifyOn = s.verify.value.toLowerCase() === 'on';
    if (!verifyOn) {
      out.push({
        file: site.file, start: target.start, end: target.end, code: 'tls-upstream-unverified',
        message: `${what} does not verify the upstream's certificate: ${p}verify is off (${describe(s.verify)}). `
          + `Add "${p}verify on;" and "${p}trusted_certificate <CA file>;" to trust only certificates signed by that CA.`,
        data: {
          family: site.family.prefix,
          ...(s.verify.setting ? { offAt: { file: site.file === s.verify.setting.file ? 'same' : s.verify.setting.file, start: s.verify.setting.directive.start, end: s.verify.setting.directive.end } } : {}),
          hasTrusted: s.trusted.value !== '',
        },
      });
    } else {
      if (s.trusted.value === '') {
        out.push({
          file: site.file, start: target.start, end: target.end, code: 'tls-verify-without-trusted-ca',
          message: `${p}verify is on (${describe(s.verify)}) but no ${p}trusted_certificate is in effect here: nginx refuses to start ("no ${p}trusted_certificate for ${p}verify")`,
          data: { family: site.family.prefix },
        });
      }
      // Only a literal host name: for an upstream group the name checked is the group's own.
      const hostName = !site.isUpstreamGroup && !IP_LITERAL.test(site.host) && !site.host.includes('$') && !site.host.startsWith('unix:');
      if (hostName && s.serverName.value.toLowerCase() !== 'on') {
        out.push({
          file: site.file, start: target.start, end: target.end, code: 'tls-upstream-no-sni',
          message: `${p}server_name is off (${describe(s.serverName)}): no SNI is sent to "${site.host}", and upstreams hosting several names may present the wrong certificate. Add "${p}server_name on;".`,
          data: { family: site.family.prefix },
        });
      }
    }
    if (s.certificate.setting && s.certificateKey.value === '') {
      const d = s.certificate.setting.directive;
      out.push({
        file: s.certificate.setting.file, start: d.name.start, end: d.end, code: 'tls-certificate-without-key',
        message: `${p}certificate is set but no ${p}certificate_key is in effect: nginx refuses to start`,
      });
    }
  }
  return out;
}

/** Server-side checks: a certificate without its key, client verification without a CA, `listen … ssl` without a certificate. */
export function checkServers(servers: readonly TlsServer[], describe: Describe): Finding[] {
  const out: Finding[] = [];
  for (const server of servers) {
    const cert = effective(server.chain, 'ssl_certificate', '');
    const key = effective(server.chain, 'ssl_certificate_key', '');
    if (cert.setting && !key.setting) {
      const d = cert.setting.directive;
      out.push({ file: cert.setting.file, start: d.name.start, end: d.end, code: 'tls-certificate-without-key',
        message: `ssl_certificate is set but no ssl_certificate_key is in effect for this server: nginx refuses to start` });
    }
    if (!cert.setting && server.sslListens.length > 0) {
      // nginx names the server block; so does this, since that is where the certificate goes.
      const name = server.directive.name;
      out.push({ file: server.file, start: name.start, end: name.end, code: 'tls-listen-without-certificate',
        message: `this server listens with "ssl" but no "ssl_certificate" is in effect: add ssl_certificate and ssl_certificate_key (nginx refuses to start)` });
    }
    if (server.module !== 'http' || !cert.setting) continue; // nginx only insists where TLS is set up
    const verify = effective(server.chain, 'ssl_verify_client', 'off');
    const mode = verify.value.toLowerCase();
    if ((mode === 'on' || mode === 'optional') && verify.setting) {
      const ca = effective(server.chain, 'ssl_client_certificate', '');
      const trusted = effective(server.chain, 'ssl_trusted_certificate', '');
      if (!ca.setting && !trusted.setting) {
        const d = verify.setting.directive;
        out.push({ file: verify.setting.file, start: d.name.start, end: d.end, code: 'tls-client-verify-without-ca',
          message: `ssl_verify_client ${mode} (${describe(verify)}) needs the CA that signs client certificates: add "ssl_client_certificate <CA file>;" (nginx refuses to start without it)` });
      }
    }
  }
  return out;
}

const LEGACY = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

/** `tls-legacy-protocol` on each legacy token of a *_protocols directive. */
export function legacyProtocols(d: Directive): Word[] {
  return d.args.filter((a) => LEGACY.has(a.value));
}

export const PROTOCOL_DIRECTIVES: ReadonlySet<string> = new Set(['ssl_protocols', 'proxy_ssl_protocols', 'grpc_ssl_protocols', 'uwsgi_ssl_protocols']);
export const CIPHER_DIRECTIVES: ReadonlySet<string> = new Set(['ssl_ciphers', 'proxy_ssl_ciphers', 'grpc_ssl_ciphers', 'uwsgi_ssl_ciphers']);

/** Weak classes of cipher suites, the OpenSSL words that enable them, and the words that remove them. */
const WEAK_CLASSES: { name: string; enabledBy: RegExp; removedBy: readonly string[] }[] = [
  { name: 'NULL (no encryption)', enabledBy: /^(e?NULL|COMPLEMENTOFALL)$|(^|-)NULL(-|$)/, removedBy: ['NULL', 'eNULL'] },
  { name: 'EXPORT', enabledBy: /^(EXPORT(40|56)?|EXP)$|^EXP-/, removedBy: ['EXPORT', 'EXP'] },
  { name: 'RC4', enabledBy: /^(RC4|ALL)$|RC4/, removedBy: ['RC4'] },
  { name: 'DES', enabledBy: /^(DES|LOW)$|^DES-CBC-|-DES-CBC-/, removedBy: ['DES', 'LOW'] },
  { name: '3DES', enabledBy: /^(3DES|ALL|MEDIUM)$|DES-CBC3/, removedBy: ['3DES', 'DES'] },
  { name: 'MD5', enabledBy: /^(MD5|ALL)$|-MD5$/, removedBy: ['MD5'] },
  { name: 'anonymous (no authentication)', enabledBy: /^(aNULL|ADH|AECDH|ALL|HIGH|MEDIUM)$|^(ADH|AECDH)-/, removedBy: ['aNULL', 'ADH', 'AECDH'] },
];

/** The weak classes an OpenSSL cipher string enables; empty when it is fine. */
export function weakCipherClasses(cipherString: string): string[] {
  const tokens = cipherString.split(/[:, ]+/).filter(Boolean);
  const removed = new Set(tokens.filter((t) => t.startsWith('!')).map((t) => t.slice(1)));
  const enabling = tokens.filter((t) => !t.startsWith('!') && !t.startsWith('-') && !t.startsWith('@'))
    .map((t) => t.replace(/^\+/, ''));
  const found: string[] = [];
  for (const cls of WEAK_CLASSES) {
    if (cls.removedBy.some((r) => removed.has(r))) continue;
    if (enabling.some((t) => t.split('+').some((part) => cls.enabledBy.test(part)))) found.push(cls.name);
  }
  return found;
}
