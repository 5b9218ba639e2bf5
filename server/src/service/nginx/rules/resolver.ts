/**
 * Names nginx resolves: the DNS servers it asks at run time (resolver-external), upstream names it
 * resolves once at start and never again (upstream-resolved-once, a hint off by default), and OCSP
 * stapling that nginx turns off by itself for a certificate it cannot staple (tls-stapling-ineffective,
 * read from the certificate file).
 *
 * nginx resolves an OCSP responder's name when it loads the configuration and, without a `resolver`,
 * keeps that address (ngx_ssl_stapling_responder, ngx_ssl_ocsp_request: "no resolver defined" is a
 * warning, the request goes to the address found at start): a missing resolver alone does not stop
 * stapling, so it is not reported here.
 */
import type { QuickFix } from '../../family';
import { type CheckContext, type EndContext, type FixSite, type NginxFamily, upstreamKey } from '../context';
import type { CertificateUse } from '../certificate-files';
import type { CertificateInfo } from '../certificates';
import { type BlockSettings, type Effective, effective } from '../inheritance';
import { formatVersion, versionAtLeast } from '../knowledge';
import { type Directive, type Word, ownCopy } from '../syntax';
import { insertSettings } from '../text-edits';

// ---- resolver-external -----------------------------------------------------------------------

/** Where a resolver address points: this host or a private network, or the internet. */
export function resolverScope(address: string): 'private' | 'public' {
  let host = address;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) host = bracketed[1];
  else if (host.indexOf(':') === host.lastIndexOf(':')) host = host.replace(/:\d+$/, '');
  host = host.toLowerCase().replace(/\.$/, '');
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    const isPrivate = a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
      || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
    return isPrivate ? 'private' : 'public';
  }
  if (host.includes(':')) {
    // Loopback, unique local (fc00::/7), link-local (fe80::/10).
    return host === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host) ? 'private' : 'public';
  }
  // A name: one label is looked up in the local search domains; these suffixes never leave the site.
  if (!host.includes('.') || PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return 'private';
  return 'public';
}

const PRIVATE_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'lan', 'home.arpa', 'intranet', 'corp', 'private', 'svc',
  'cluster.local'];

/** The address arguments of a resolver (the others are name=value parameters). */
function resolverAddresses(d: Directive): Word[] {
  return d.args.filter((a) => !a.value.includes('=') && !a.value.includes('$'));
}

function checkResolver(d: Directive, c: CheckContext): void {
  for (const a of resolverAddresses(d)) {
    // An unbracketed IPv6 address is an error the values family reports (invalid port in resolver).
    if (!a.value.startsWith('[') && a.value.indexOf(':') !== a.value.lastIndexOf(':')) continue;
    if (resolverScope(a.value) !== 'public') continue;
    c.report(a.start, a.end, 'resolver-external',
      `"${a.value}" is a DNS server outside this host and its network: nginx asks it by plain UDP, so an attacker who `
        + 'spoofs its answer points the upstreams nginx resolves at run time (proxy_pass with variables, server … resolve) '
        + 'at a host of their choice; use a resolver on this host or network (127.0.0.1, a VPC or cluster resolver)',
      { exploit: `a forged DNS answer from "${a.value}" for the upstream's name (nginx's resolver does no DNSSEC)` });
  }
}

function fixResolver(site: FixSite): QuickFix[] {
  const d = site.directive;
  if (d.name.value !== 'resolver') return [];
  const addresses = resolverAddresses(d);
  if (addresses.length === 0) return [];
  const first = addresses[0], last = addresses[addresses.length - 1];
  // Only the addresses (which come first) are replaced: parameters after them stay.
  if (d.args.indexOf(last) - d.args.indexOf(first) !== addresses.length - 1) return [];
  return [{
    title: 'Use a resolver on this host (127.0.0.1)',
    edits: [{ start: first.start, end: last.end, newText: '127.0.0.1' }],
    snippetEdits: [{ start: first.start, end: last.end, newText: '${1:127.0.0.1}' }],
  }];
}

// ---- upstream-resolved-once ------------------------------------------------------------------

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(:\d+)?$/;

const hosts = new Map<string, string | null>();

/**
 * The host of an upstream address (`http://api.example.com:8080/x` → api.example.com), undefined for
 * unix sockets, variables, addresses and localhost. Memoised: a generated configuration passes to the
 * same few upstreams thousands of times.
 */
function upstreamHost(value: string): string | undefined {
  let host = hosts.get(value);
  if (host === undefined) {
    const own = ownCopy(value);
    host = parseUpstreamHost(own) ?? null;
    if (hosts.size > 10_000) hosts.clear();
    hosts.set(own, host);
  }
  return host ?? undefined;
}

function parseUpstreamHost(value: string): string | undefined {
  if (value.includes('$') || value.startsWith('unix:')) return undefined;
  const hostPort = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0];
  if (hostPort === '' || hostPort.startsWith('unix:') || IP_LITERAL.test(hostPort)) return undefined;
  const host = hostPort.replace(/:\d+$/, '');
  return host.toLowerCase() === 'localhost' ? undefined : host;
}

/**
 * Per analysis (its facts), the last pass target found to name one of its groups: generated
 * configurations repeat it. Weak: a module-level reference to the facts kept the whole last analysis,
 * tree included, alive until the next one.
 */
const knownGroups = new WeakMap<object, string>();

function recordPass(d: Directive, c: CheckContext): void {
  const target = d.args[0];
  if (!target || knownGroups.get(c.facts) === target.value) return;
  const host = upstreamHost(target.value);
  if (!host) return;
  const stream = c.contexts[0]?.startsWith('stream') === true;
  // A group defined above is known now; one defined below is looked up at the end.
  if (c.facts.upstreams.has(groupKey(stream, host))) {
    knownGroups.set(c.facts, target.value);
    return;
  }
  c.facts.upstreamHosts.push({ file: c.file, word: target, host, stream, inUpstream: false });
}

const groupKeys = [new Map<string, string>(), new Map<string, string>()];

/** upstreamKey, memoised by host (a string per proxy_pass otherwise). */
function groupKey(stream: boolean, host: string): string {
  const keys = groupKeys[stream ? 1 : 0];
  let key = keys.get(host);
  if (key === undefined) {
    if (keys.size > 10_000) keys.clear();
    keys.set(host, (key = upstreamKey(stream ? 'stream' : 'http', host)));
  }
  return key;
}

/** `server name …` in an upstream without `resolve` (or `service=`, which implies it). */
function recordUpstreamServer(d: Directive, c: CheckContext): void {
  if (c.parents[c.parents.length - 1]?.name.value !== 'upstream') return;
  const address = d.args[0];
  if (!address || d.args.some((a) => a.value === 'resolve' || a.value.startsWith('service='))) return;
  const host = upstreamHost(address.value);
  // A server of an upstream is never itself a group: the name goes to DNS (or /etc/hosts).
  if (host) c.facts.upstreamHosts.push({ file: c.file, word: address, host, stream: false, inUpstream: true });
}

function judgeUpstreamHosts(c: EndContext): void {
  const resolvable = versionAtLeast(c.options.target, [1, 27, 3]) || c.options.flavor === 'plus';
  for (const use of c.facts.upstreamHosts) {
    const host = use.host;
    if (!use.inUpstream && c.facts.upstreams.has(groupKey(use.stream, host))) continue;
    const remedy = resolvable
      ? `put it in an upstream as "server ${host} resolve;" with a resolver, or pass it through a variable with a resolver`
      : `pass it through a variable with a resolver (upstream "server … resolve" needs nginx 1.27.3; the target is `
        + `${formatVersion(c.options.target)})`;
    c.report(use.file, use.word.start, use.word.end, 'upstream-resolved-once',
      `"${host}" is resolved once, when nginx starts: when its addresses change nginx keeps using the old ones until a reload; ${remedy}`);
  }
}

// ---- tls-stapling-ineffective ----------------------------------------------------------------

/** The uses of the directives named `name` in the block of the chain that sets it (nginx's list there). */
function usesInEffect(chain: readonly BlockSettings[], name: string, uses: readonly CertificateUse[]): CertificateUse[] {
  const e = effective(chain, name, '');
  if (!e.setting) return [];
  const block = chain.find((b) => b.get(name) === e.setting);
  return uses.filter((u) => u.block === block && u.directive.name.value === name);
}

/** The certificates of the CA files nginx puts in the server's store, or undefined when one cannot be read here. */
function storeCertificates(chain: readonly BlockSettings[], uses: readonly CertificateUse[]): CertificateInfo[] | undefined {
  const out: CertificateInfo[] = [];
  for (const name of ['ssl_trusted_certificate', 'ssl_client_certificate']) {
    for (const use of usesInEffect(chain, name, uses)) {
      if (use.status !== 'read' || use.contents?.kind !== 'certificates') return undefined;
      out.push(...use.contents.certificates);
    }
  }
  return out;
}

/** Why nginx declines stapling for a certificate file, as ngx_ssl_stapling_issuer and ngx_ssl_stapling_responder decide. */
function staplingProblem(certs: readonly CertificateInfo[], store: readonly CertificateInfo[] | undefined, responder: Effective):
  { why: string; log: string } | undefined {
  const leaf = certs[0];
  if (!leaf) return undefined;
  const issued = (issuer: CertificateInfo) => issuer.subject === leaf.issuer;
  if (store && !certs.slice(1).some(issued) && !store.some(issued)) {
    return {
      why: `its issuer ("${leaf.issuer}") is neither in the certificate file nor in a CA file nginx loads, so nginx cannot `
        + 'ask for its status',
      log: 'issuer certificate not found',
    };
  }
  const url = responder.setting ? responder.value : leaf.ocspUrls[0];
  if (url === undefined) {
    return {
      why: 'it names no OCSP responder (no OCSP URL in its Authority Information Access)',
      log: 'no OCSP responder URL in the certificate',
    };
  }
  if (!/^http:\/\//i.test(url)) {
    return { why: `its OCSP responder "${url}" is not an http:// URL`, log: `invalid URL prefix in OCSP responder "${url}"` };
  }
  return undefined;
}

function judgeStapling(c: EndContext): void {
  if (c.options.standalone) return;
  const uses = c.facts.certificateUses;
  for (const server of c.facts.servers) {
    if (server.module !== 'http') continue;
    const stapling = effective(server.chain, 'ssl_stapling', 'off');
    if (stapling.value.toLowerCase() !== 'on' || effective(server.chain, 'ssl_stapling_file', '').setting) continue;
    const store = storeCertificates(server.chain, uses);
    const responder = effective(server.chain, 'ssl_stapling_responder', '');
    for (const use of usesInEffect(server.chain, 'ssl_certificate', uses)) {
      if (use.status !== 'read' || use.contents?.kind !== 'certificates') continue;
      const problem = staplingProblem(use.contents.certificates, store, responder);
      if (!problem) continue;
      c.report(use.file, use.word.start, use.word.end, 'tls-stapling-ineffective',
        `ssl_stapling is on (${c.describe(stapling)}) but nginx staples nothing for this certificate: ${problem.why} `
          + `(nginx logs only a warning: "ssl_stapling" ignored, ${problem.log}); turn stapling off, or fix the certificate`,
        {
          effective: [
            { name: 'ssl_stapling', value: stapling.value, where: c.describe(stapling) },
            { name: 'ssl_stapling_responder', value: responder.value, where: c.describe(responder) },
          ],
        });
    }
  }
}

function fixStapling(site: FixSite): QuickFix[] {
  const edits = insertSettings(site, site.directive, site.parents, [['ssl_stapling', 'off']]);
  return edits ? [{ title: 'Turn stapling off here (ssl_stapling off)', edits, isPreferred: true }] : [];
}

export const family: NginxFamily = {
  name: 'resolver',
  rules: ['resolver-external', 'tls-stapling-ineffective', 'upstream-resolved-once'],
  directives: {
    resolver: checkResolver,
    proxy_pass: recordPass, fastcgi_pass: recordPass, uwsgi_pass: recordPass, scgi_pass: recordPass, grpc_pass: recordPass,
    server: recordUpstreamServer,
  },
  end: (c) => {
    judgeStapling(c);
    if (!c.options.standalone) judgeUpstreamHosts(c);
  },
  fixes: { 'resolver-external': fixResolver, 'tls-stapling-ineffective': fixStapling },
};
