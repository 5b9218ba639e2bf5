/**
 * TLS to upstreams and from clients. nginx's `proxy_pass https://…` does not verify the upstream's
 * certificate unless `proxy_ssl_verify on` is in effect, and nothing else says so. At the end of
 * the walk these rules take the TLS use sites it recorded (inheritance.ts) and judge the settings in
 * effect there; protocols and ciphers are judged where they are written.
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { Finding } from '../../finding';
import { type CheckContext, type FixSite, type NginxFamily, upstreamKey } from '../context';
import { Describe, TlsServer, TlsSite, effective, siteSettings } from '../inheritance';
import { NginxVersion, defaultTlsProtocols, formatVersion } from '../knowledge';
import { findAt } from '../locate';
import type { Directive, Word } from '../syntax';
import { children, insertSettings, lineIndent } from '../text-edits';

/** The CA bundle Debian, Ubuntu and Alpine install (ca-certificates). */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PRIVATE_CA_PLACEHOLDER = '/etc/nginx/certs/upstream-ca.pem';

/**
 * Whether a finding says an upstream's certificate is never verified (tls-upstream-unverified): the
 * Ingress snippets family drops it where the controller verifies the backend for the snippet.
 */
export function isUnverifiedUpstream(finding: Pick<Finding, 'code'>): boolean {
  return finding.code === 'tls-upstream-unverified';
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(:\d+)?$/;

export const family: NginxFamily = {
  name: 'tls',
  rules: [
    'tls-upstream-unverified', 'tls-verify-without-trusted-ca', 'tls-certificate-without-key', 'tls-client-verify-without-ca',
    'tls-listen-without-certificate', 'tls-legacy-protocol', 'tls-weak-cipher', 'tls-upstream-no-sni', 'tls-protocols-default',
  ],
  asWritten: {
    ssl_protocols: checkProtocols, proxy_ssl_protocols: checkProtocols, grpc_ssl_protocols: checkProtocols,
    uwsgi_ssl_protocols: checkProtocols,
    ssl_ciphers: checkCiphers, proxy_ssl_ciphers: checkCiphers, grpc_ssl_ciphers: checkCiphers, uwsgi_ssl_ciphers: checkCiphers,
  },
  end: (c) => {
    const facts = c.facts;
    for (const site of facts.streamPasses) {
      if (effective(site.chain, 'proxy_ssl', 'off').value.toLowerCase() === 'on') facts.tlsSites.push(site);
    }
    for (const site of facts.tlsSites) {
      const bare = site.host.replace(/:\d+$/, '');
      site.isUpstreamGroup = facts.upstreams.has(upstreamKey(site.stream ? 'stream' : 'http', bare));
    }
    const found: Finding[] = [];
    checkSites(facts.tlsSites, c.describe, found);
    checkServers(facts.servers, c.describe, found);
    checkDefaultProtocols(facts.servers, c.options.target, found);
    for (const r of found) {
      // Without the including config, what it may set at the http or server level is unknown.
      if (c.options.standalone && r.code !== 'tls-upstream-unverified' && r.code !== 'tls-upstream-no-sni') continue;
      c.report(r.file, r.start, r.end, r.code as 'tls-upstream-unverified', r.message, r.data, r.severity);
    }
  },
  fixes: {
    'tls-upstream-unverified': fixUnverified,
    'tls-verify-without-trusted-ca': (site) => {
      const family = passFamily(site.directive);
      const fix = insertSettings(site, site.directive, site.parents, [[`${family}_ssl_trusted_certificate`, SYSTEM_CA_BUNDLE]]);
      return fix ? [{ title: `Trust the system CA bundle (${family}_ssl_trusted_certificate)`, edits: fix, isPreferred: true }] : [];
    },
    'tls-upstream-no-sni': (site) => {
      const family = passFamily(site.directive);
      const fix = insertSettings(site, site.directive, site.parents, [[`${family}_ssl_server_name`, 'on']]);
      return fix ? [{ title: `Send SNI (${family}_ssl_server_name on)`, edits: fix, isPreferred: true }] : [];
    },
    'tls-protocols-default': (site) => {
      // On a `listen … ssl`: the protocols come from the target's default, so the fix sets them in the server.
      const fix = insertSettings(site, site.directive, site.parents, [['ssl_protocols', 'TLSv1.2 TLSv1.3']]);
      return fix ? [{ title: 'Use TLSv1.2 and TLSv1.3 only (ssl_protocols)', edits: fix, isPreferred: true }] : [];
    },
    'tls-legacy-protocol': (site, diagnostic) => {
      const directive = site.directive;
      // A diagnostic published before the last edits may land on a directive that lists the protocol no more.
      if (!directive.args.some((a) => a.start === diagnostic.start && a.end === diagnostic.end)) return [];
      const first = directive.args[0];
      const last = directive.args[directive.args.length - 1];
      return [{
        title: 'Use TLSv1.2 and TLSv1.3 only', edits: [{ start: first.start, end: last.end, newText: 'TLSv1.2 TLSv1.3' }], isPreferred: true
      }];
    },
  },
};

function checkProtocols(d: Directive, c: CheckContext): void {
  for (const w of legacyProtocols(d)) {
    c.report(w.start, w.end, 'tls-legacy-protocol',
      `${w.value} is obsolete and insecure (RFC 8996 deprecates TLS 1.0 and 1.1): use TLSv1.2 and TLSv1.3`, { directive: d.name.value });
  }
}

function checkCiphers(d: Directive, c: CheckContext): void {
  if (d.args.length !== 1 || d.args[0].value.includes('$')) return;
  const weak = weakCipherClasses(d.args[0].value);
  if (weak.length) {
    c.report(d.args[0].start, d.args[0].end, 'tls-weak-cipher',
      `this cipher string enables ${weak.join(', ')} suites${weak.some((w) => w.startsWith('anonymous')) ? ' (add "!aNULL")' : ''}; `
        + '"HIGH:!aNULL:!MD5" is a safe start');
  }
}

function checkSites(sites: readonly TlsSite[], describe: Describe, out: Finding[]): void {
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
          ...(s.verify.setting ? {
            offAt: {
              file: site.file === s.verify.setting.file ? 'same' : s.verify.setting.file,
              start: s.verify.setting.directive.start, end: s.verify.setting.directive.end
            }
          } : {}),
          hasTrusted: s.trusted.value !== '',
          exploit: `a man-in-the-middle between nginx and ${site.host} that presents any certificate (self-signed, expired, `
            + 'for another name) is accepted, and receives every request proxied there',
          effective: [
            { name: `${p}verify`, value: s.verify.value, where: describe(s.verify) },
            { name: `${p}trusted_certificate`, value: s.trusted.value, where: describe(s.trusted) },
          ],
        },
      });
    } else {
      if (s.trusted.value === '') {
        out.push({
          file: site.file, start: target.start, end: target.end, code: 'tls-verify-without-trusted-ca',
          message: `${p}verify is on (${describe(s.verify)}) but no ${p}trusted_certificate is in effect here: `
            + `nginx refuses to start ("no ${p}trusted_certificate for ${p}verify")`,
          data: { family: site.family.prefix },
        });
      }
      // Only a literal host name: for an upstream group the name checked is the group's own.
      const hostName = !site.isUpstreamGroup && !IP_LITERAL.test(site.host) && !site.host.includes('$') && !site.host.startsWith('unix:');
      if (hostName && s.serverName.value.toLowerCase() !== 'on') {
        out.push({
          file: site.file, start: target.start, end: target.end, code: 'tls-upstream-no-sni',
          message: `${p}server_name is off (${describe(s.serverName)}): no SNI is sent to "${site.host}", `
            + `and upstreams hosting several names may present the wrong certificate. Add "${p}server_name on;".`,
          data: { family: site.family.prefix },
        });
      }
    }
    // An empty certificate means none: it turns off one set above.
    if (s.certificate.setting && s.certificate.value !== '' && s.certificateKey.value === '') {
      const d = s.certificate.setting.directive;
      out.push({
        file: s.certificate.setting.file, start: d.name.start, end: d.end, code: 'tls-certificate-without-key',
        message: `${p}certificate is set but no ${p}certificate_key is in effect: nginx refuses to start`,
      });
    }
  }
}

/** Server-side checks: a certificate without its key, client verification without a CA, `listen … ssl` without a certificate. */
function checkServers(servers: readonly TlsServer[], describe: Describe, out: Finding[]): void {
  const needsCertificate = httpServersNeedingCertificate(servers);
  for (const server of servers) {
    const cert = effective(server.chain, 'ssl_certificate', '');
    const key = effective(server.chain, 'ssl_certificate_key', '');
    if (cert.setting && !key.setting) {
      const d = cert.setting.directive;
      out.push({ file: cert.setting.file, start: d.name.start, end: d.end, code: 'tls-certificate-without-key',
        message: `ssl_certificate is set but no ssl_certificate_key is in effect for this server: nginx refuses to start` });
    }
    if (!cert.setting && (server.module === 'http' ? needsCertificate.has(server) : server.sslListens.length > 0)) {
      // Where nginx points: the server block in http (where the certificate goes), the "listen … ssl"
      // line in stream and mail (ngx_stream_ssl_module names the listen directive).
      const at = server.module !== 'http' && server.sslListens.length > 0 ? server.sslListens[0]
        : { file: server.file, word: server.directive.name };
      const why = server.sslListens.length > 0 ? 'this server listens with "ssl"'
        : 'this server is the default server of an address another server listens on with "ssl"';
      out.push({ file: at.file, start: at.word.start, end: at.word.end, code: 'tls-listen-without-certificate',
        message: `${why} but no "ssl_certificate" is in effect: `
          + 'add ssl_certificate and ssl_certificate_key (nginx refuses to start)' });
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
          message: `ssl_verify_client ${mode} (${describe(verify)}) needs the CA that signs client certificates: `
            + 'add "ssl_client_certificate <CA file>;" (nginx refuses to start without it)' });
      }
    }
  }
}

/**
 * The http servers nginx refuses to start without a certificate (ngx_http_ssl_init): on each address
 * some `listen … ssl` makes TLS, the default server (marked default_server, else the first to listen
 * there) needs one, unless it has `ssl_reject_handshake on`; then every other server there needs one
 * or rejects handshakes too. Stream and mail servers need one wherever they listen with ssl.
 */
function httpServersNeedingCertificate(servers: readonly TlsServer[]): Set<TlsServer> {
  const byAddress = new Map<string, { servers: TlsServer[]; ssl: boolean; marked?: TlsServer }>();
  for (const server of servers) {
    if (server.module !== 'http') continue;
    // A server without listen listens on *:80 (or *:8000 without root): it can still be the default there.
    for (const listen of server.listens.length ? server.listens : [{ address: '*:80', ssl: false, isDefault: false }]) {
      let entry = byAddress.get(listen.address);
      if (!entry) byAddress.set(listen.address, (entry = { servers: [], ssl: false }));
      if (!entry.servers.includes(server)) entry.servers.push(server);
      entry.ssl ||= listen.ssl;
      if (listen.isDefault) entry.marked ??= server;
    }
  }
  const hasCertificate = (s: TlsServer) => effective(s.chain, 'ssl_certificate', '').setting !== undefined;
  const rejects = (s: TlsServer) => effective(s.chain, 'ssl_reject_handshake', 'off').value.toLowerCase() === 'on';
  const out = new Set<TlsServer>();
  for (const entry of byAddress.values()) {
    const first = entry.marked ?? entry.servers[0];
    if (!entry.ssl || hasCertificate(first)) continue;
    if (!rejects(first)) { out.add(first); continue; }
    for (const s of entry.servers) if (!hasCertificate(s) && !rejects(s)) out.add(s);
  }
  return out;
}

const LEGACY = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

/**
 * A server that terminates TLS with no ssl_protocols in effect gets the target release's default,
 * which enables TLSv1 and TLSv1.1 before nginx 1.27.3 (knowledge.ts defaultTlsProtocols; CHANGES of
 * 1.27.3: "now TLSv1 and TLSv1.1 protocols are disabled by default"): said once per server, on its
 * first `listen … ssl`. Hardening, not an exploit a configuration opens by itself, so information
 * (tls-protocols-default), where writing the protocols out is a warning (tls-legacy-protocol).
 */
function checkDefaultProtocols(servers: readonly TlsServer[], target: NginxVersion, out: Finding[]): void {
  const legacy = defaultTlsProtocols(target).split(' ').filter((p) => LEGACY.has(p));
  if (legacy.length === 0) return;
  for (const server of servers) {
    const listen = server.sslListens[0];
    if (!listen || effective(server.chain, 'ssl_protocols', '').setting) continue;
    out.push({
      file: listen.file, start: listen.word.start, end: listen.word.end, code: 'tls-protocols-default',
      message: `no ssl_protocols is in effect, and nginx ${formatVersion(target)} enables ${legacy.join(' and ')} by default `
        + '(until 1.27.3; RFC 8996 deprecates them): add "ssl_protocols TLSv1.2 TLSv1.3;"',
      data: { effective: [{ name: 'ssl_protocols', value: defaultTlsProtocols(target), where: `nginx ${formatVersion(target)} default` }] },
    });
  }
}

/** `tls-legacy-protocol` on each legacy token of a *_protocols directive. */
function legacyProtocols(d: Directive): Word[] {
  return d.args.filter((a) => LEGACY.has(a.value));
}


/** Weak classes of cipher suites, the OpenSSL words that enable them, and the words that remove them. */
const WEAK_CLASSES: { name: string; enabledBy: RegExp; removedBy: readonly string[] }[] = [
  { name: 'NULL (no encryption)', enabledBy: /^(e?NULL|COMPLEMENTOFALL)$|(^|-)NULL(-|$)/, removedBy: ['NULL', 'eNULL'] },
  { name: 'EXPORT', enabledBy: /^(EXPORT(40|56)?|EXP)$|^EXP-/, removedBy: ['EXPORT', 'EXP'] },
  { name: 'RC4', enabledBy: /^(RC4|ALL)$|RC4/, removedBy: ['RC4'] },
  { name: 'DES', enabledBy: /^(DES|LOW)$|^DES-CBC-|-DES-CBC-/, removedBy: ['DES', 'LOW'] },
  { name: '3DES', enabledBy: /^(3DES|ALL|MEDIUM)$|DES-CBC3/, removedBy: ['3DES', 'DES'] },
  { name: 'MD5', enabledBy: /^(MD5|ALL)$|-MD5$/, removedBy: ['MD5'] },
  {
    name: 'anonymous (no authentication)',
    enabledBy: /^(aNULL|ADH|AECDH|ALL|HIGH|MEDIUM)$|^(ADH|AECDH)-/,
    removedBy: ['aNULL', 'ADH', 'AECDH']
  },
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

/** `proxy`, `grpc` or `uwsgi`: the directive family of a pass directive. */
function passFamily(pass: Directive): string {
  return pass.name.value.replace(/_pass$/, '');
}

function fixUnverified(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const { text, directive: pass, parents } = site;
  const family = passFamily(pass);
  const p = `${family}_ssl_`;
  const fixes: QuickFix[] = [];
  const system = insertSettings(site, pass, parents,
    [[`${p}verify`, 'on'], [`${p}trusted_certificate`, SYSTEM_CA_BUNDLE], [`${p}server_name`, 'on']]);
  if (system)
    fixes.push({ title: `Verify ${pass.args[0]?.value ?? 'the upstream'} with the system CA bundle`, edits: system, isPreferred: true });
  const privateCa = insertSettings(site, pass, parents,
    [[`${p}verify`, 'on'], [`${p}trusted_certificate`, PRIVATE_CA_PLACEHOLDER], [`${p}server_name`, 'on']]);
  const privateSnippet = insertSettings(site, pass, parents,
    [[`${p}verify`, 'on'], [`${p}trusted_certificate`, `\${1:${PRIVATE_CA_PLACEHOLDER}}`], [`${p}server_name`, 'on']]);
  if (privateCa) fixes.push({
    title: `Verify ${pass.args[0]?.value ?? 'the upstream'} with a private CA (fill in its path)`,
    edits: privateCa,
    snippetEdits: privateSnippet
  });

  // Where "…_ssl_verify off" is written out in this document, offer to turn that one on.
  const offAt = diagnostic.data?.offAt as { file: string; start: number; end: number } | undefined;
  if (offAt?.file === 'same') {
    const off = findAt(site.tree.children, offAt.start);
    if (off && off.directive.name.value === `${p}verify` && off.directive.args[0]) {
      const arg = off.directive.args[0];
      const edits: TextEdit[] = [{ start: arg.start, end: arg.end, newText: 'on' }];
      const trustedAbove = [...off.parents, undefined].some((block) =>
        children(block, site.tree).some((d) => d.name.value === `${p}trusted_certificate`));
      if (!trustedAbove) {
        const indent = lineIndent(text, off.directive.start);
        edits.push({
          start: off.directive.end, end: off.directive.end, newText: `\n${indent}${p}trusted_certificate ${SYSTEM_CA_BUNDLE};`
        });
      }
      fixes.push({ title: `Change "${p}verify off" to on`, edits });
    }
  }
  return fixes;
}
