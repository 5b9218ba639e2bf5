/**
 * The certificates, keys and CA files a configuration names, as read (certificate-files.ts):
 * missing, unreadable, expired, expiring, not yet valid, a key that does not match its
 * certificate, server names the certificate does not cover, chains out of order, non-CA
 * certificates in CA files.
 *
 * The Ingress secrets family reports cert-unreadable and cert-expired on the ca.crt of a Secret
 * through reportNoCertificate and reportExpiredCaBundle below: these rules are this family's alone.
 */
import type { Finding } from '../../finding';
import type { RuleId } from '../../rules';
import type { NginxFamily } from '../context';
import { CertificateUse, shownPath } from '../certificate-files';
import {
  CertificateInfo, certificateCovers, chainOrderProblem, chainReaches, daysBetween, isoDate, servedChain, signedBy,
} from '../certificates';
import { BlockSettings, Describe, Effective, TlsServer, TlsSite, effective, siteSettings } from '../inheritance';
import type { Word } from '../syntax';
import { insertSettings } from '../text-edits';

export const family: NginxFamily = {
  name: 'certificates',
  rules: [
    'cert-not-found', 'cert-unreadable', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring', 'cert-key-mismatch',
    'cert-name-mismatch', 'cert-chain-order', 'cert-not-ca', 'cert-chain-incomplete', 'cert-chain-untrusted', 'cert-weak-key',
    'cert-weak-signature', 'cert-ca-as-server', 'cert-must-staple',
  ],
  end: (c) => {
    const servers = c.facts.servers.filter((s) => s.module === 'http');
    const found = checkCertificates(c.facts.certificateUses, servers, c.options);
    found.push(...checkInDepth(c.facts.certificateUses, c.facts.servers, c.facts.tlsSites, c.describe));
    for (const r of found) c.report(r.file, r.start, r.end, r.code as RuleId, r.message, r.data, r.severity);
  },
  fixes: {
    // In the block of the certificate (a server's own `ssl_stapling off` there is turned on instead).
    'cert-must-staple': (site) => {
      if (site.directive.name.value !== 'ssl_certificate') return [];
      const edits = insertSettings(site, site.directive, site.parents, [['ssl_stapling', 'on']]);
      return edits ? [{ title: 'Staple OCSP responses (ssl_stapling on)', edits, isPreferred: true }] : [];
    },
  },
};

interface CertificateOptions {
  now: Date | undefined;
  expiryWarningDays: number;
}

/** A server block's certificate uses and server names, for the name check. */
interface ServerNames {
  names: { file: string; word: Word }[];
  chain: readonly BlockSettings[];
}

/** Records a conclusion on the use, for its hover (problems first, each said once). */
function verdict(use: CertificateUse, text: string, problem = true): void {
  const list = (use.verdicts ??= []);
  if (list.some((v) => v.text === text)) return;
  list.splice(problem ? list.filter((v) => v.problem).length : list.length, 0, { text, problem });
}

function checkCertificates(uses: readonly CertificateUse[], servers: readonly ServerNames[], options: CertificateOptions): Finding[] {
  const out: Finding[] = [];
  const report = (use: CertificateUse, code: RuleId, message: string) =>
    out.push({ file: use.file, start: use.word.start, end: use.word.end, code, message });
  for (const use of uses) use.verdicts = undefined; // judged afresh by this analysis
  for (const use of uses) {
    if (use.status === 'missing') {
      report(use, 'cert-not-found', `${use.kind === 'key' ? 'key' : 'file'} "${use.resolved}" not found: nginx refuses to start`);
      verdict(use, 'not found: nginx refuses to start');
    }
    if (use.status === 'unreadable') {
      report(use, 'cert-unreadable', `cannot read "${use.resolved}": ${use.reason}`);
      verdict(use, `unreadable: ${use.reason}`);
    }
    if (use.status !== 'read' || !use.contents) continue;
    const contents = use.contents;
    if (contents.kind === 'unreadable') {
      report(use, 'cert-unreadable', `${shownPath(use.word.value)} is ${contents.reason}`);
      verdict(use, `unreadable: ${contents.reason}`);
      continue;
    }
    if (use.kind === 'certificate' || use.kind === 'ca') {
      if (contents.kind !== 'certificates') {
        report(use, 'cert-unreadable', `${shownPath(use.word.value)} holds a private key, not a certificate`);
        verdict(use, 'a private key, not a certificate');
        continue;
      }
      if (options.now) checkValidity(use, contents.certificates, options.now, options.expiryWarningDays, report);
      if (use.kind === 'certificate') {
        const order = chainOrderProblem(contents.certificates);
        if (order) {
          report(use, 'cert-chain-order', order);
          verdict(use, 'chain out of order');
        }
      } else {
        const notCa = contents.certificates.filter((c) => !c.isCA);
        if (notCa.length) {
          const which = `"${notCa[0].subject}"${notCa.length > 1 ? ` and ${notCa.length - 1} more` : ''}`;
          report(use, 'cert-not-ca', `${which} in this CA file ${notCa.length > 1 ? 'are not CA certificates' : 'is not a CA certificate'}`
            + ' (no CA basic constraint): it cannot sign the certificates it is meant to verify');
          verdict(use, notCa.length > 1 ? `${notCa.length} certificates are not CAs` : `not a CA: "${notCa[0].subject}"`);
        }
      }
    }
    if (use.kind === 'key') {
      const key = contents.kind === 'key' ? contents.key : contents.key;
      if (!key) {
        report(use, 'cert-unreadable', `${shownPath(use.word.value)} holds certificates but no private key`);
        verdict(use, 'no private key in this file');
        continue;
      }
      const paired = pairCertificate(use, uses);
      const leaf = paired?.contents?.kind === 'certificates' ? paired.contents.certificates[0] : undefined;
      if (paired && leaf && key.spki) {
        use.pairedWith = paired;
        use.keyMatches = leaf.spki.equals(key.spki);
        if (!use.keyMatches) {
          const certificate = `${shownPath(paired.word.value)} (${leaf.keyDescription}, "${leaf.subject}")`;
          const keyName = key.description ? `${key.description} key` : 'key';
          report(use, 'cert-key-mismatch', `this ${keyName} does not match the certificate ${certificate}: TLS handshakes will fail`);
          verdict(use, `does not match the certificate ${shownPath(paired.word.value)}`);
          verdict(paired, `key does not match: ${shownPath(use.word.value)}`);
        } else {
          verdict(use, `matches the certificate ${shownPath(paired.word.value)}`, false);
        }
      }
    }
  }
  for (const server of servers) checkServerNames(server, uses, out);
  return out;
}

/** How the functions below report: the caller places the finding. */
export type ReportAt = (code: RuleId, message: string) => void;

/**
 * cert-unreadable for certificates held elsewhere than in a file nginx names: `holder` (say
 * `ca.crt of Secret "ns/name"`) holds no certificate.
 */
export function reportNoCertificate(holder: string, report: ReportAt): void {
  report('cert-unreadable', `${holder} holds no certificate`);
}

/**
 * cert-expired for a CA bundle held elsewhere than in a file nginx names, when every certificate in
 * it has expired (one expired root among many breaks nothing). `owner` says where the bundle is
 * held (`Secret "ns/name"`).
 */
export function reportExpiredCaBundle(certificates: readonly CertificateInfo[], now: Date, owner: string, report: ReportAt): void {
  const expired = certificates.filter((c) => c.notAfter < now);
  if (expired.length === 0 || expired.length !== certificates.length) return;
  const first = expired[0];
  report('cert-expired', `the CA certificate "${first.subject}" in ${owner} expired on ${isoDate(first.notAfter)}, `
    + `${daysBetween(first.notAfter, now)} days ago`);
}

/**
 * cert-not-ca for a CA bundle held elsewhere than in a file nginx names (a Secret's or ConfigMap's
 * ca.crt): a certificate in it without the CA basic constraint cannot sign what it is meant to verify.
 */
export function reportNotCaInBundle(certificates: readonly CertificateInfo[], owner: string, report: ReportAt): void {
  const notCa = certificates.filter((c) => !c.isCA);
  if (notCa.length === 0) return;
  const which = `"${notCa[0].subject}"${notCa.length > 1 ? ` and ${notCa.length - 1} more` : ''}`;
  report('cert-not-ca', `${which} in ${owner} ${notCa.length > 1 ? 'are not CA certificates' : 'is not a CA certificate'}`
    + ' (no CA basic constraint): it cannot sign the certificates it is meant to verify');
}

function checkValidity(use: CertificateUse, certs: readonly CertificateInfo[], now: Date, expiryWarningDays: number,
  report: (use: CertificateUse, code: RuleId, message: string) => void): void {
  const label = (c: CertificateInfo, i: number) =>
    (certs.length > 1 ? `certificate ${i + 1} ("${c.subject}")` : `the certificate ("${c.subject}")`);
  // In a CA bundle one expired root among many breaks nothing; flag it when every one has expired.
  const relevant = use.kind === 'ca' && certs.length > 1 ? (certs.every((c) => c.notAfter < now) ? [certs[0]] : []) : certs;
  // Which certificate of several a verdict is about ("certificate 2 expired …").
  const which = (c: CertificateInfo) => (certs.length > 1 ? `certificate ${certs.indexOf(c) + 1} ` : '');
  const expired = relevant.findIndex((c) => c.notAfter < now);
  if (expired >= 0) {
    const c = relevant[expired];
    const days = daysBetween(c.notAfter, now);
    report(use, 'cert-expired', `${label(c, certs.indexOf(c))} expired on ${isoDate(c.notAfter)}, ${days} days ago`);
    verdict(use, `${which(c)}expired ${days} days ago`);
    return;
  }
  const early = relevant.findIndex((c) => c.notBefore > now);
  if (early >= 0) {
    const c = relevant[early];
    report(use, 'cert-not-yet-valid', `${label(c, certs.indexOf(c))} is not valid before ${isoDate(c.notBefore)}`);
    verdict(use, `${which(c)}not yet valid: valid from ${isoDate(c.notBefore)}, in ${daysBetween(now, c.notBefore)} days`);
    return;
  }
  const first = [...relevant].sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime())[0];
  if (!first) return;
  const days = daysBetween(now, first.notAfter);
  if (days < expiryWarningDays) {
    report(use, 'cert-expiring', `${label(first, certs.indexOf(first))} expires on ${isoDate(first.notAfter)}, in ${days} days`);
    verdict(use, `${which(first)}expires in ${days} days`);
  } else {
    verdict(use, `valid, expires in ${days} days`, false);
  }
}

/** Certificate uses grouped by the block that sets them, once per analysis's list (a filter of the whole list per server is quadratic). */
const usesByBlock = new WeakMap<readonly CertificateUse[], Map<CertificateUse['block'], CertificateUse[]>>();

/** The uses set in `block`, in the list's order. */
function usesIn(uses: readonly CertificateUse[], block: CertificateUse['block']): readonly CertificateUse[] {
  let byBlock = usesByBlock.get(uses);
  if (!byBlock) {
    byBlock = new Map();
    for (const use of uses) {
      const list = byBlock.get(use.block);
      if (list) list.push(use); else byBlock.set(use.block, [use]);
    }
    usesByBlock.set(uses, byBlock);
  }
  return byBlock.get(block) ?? [];
}

/** The certificate directive a key belongs with: same block, same position; else the nearest certificate in effect. */
function pairCertificate(key: CertificateUse, uses: readonly CertificateUse[]): CertificateUse | undefined {
  const certName = key.directive.name.value.replace(/_key$/, '');
  for (let i = key.chain.length - 1; i >= 0; i--) {
    const candidates = usesIn(uses, key.chain[i]).filter((u) => u.directive.name.value === certName);
    if (candidates.length) return candidates.find((u) => u.index === key.index) ?? candidates[0];
  }
  return undefined;
}

function checkServerNames(server: ServerNames, uses: readonly CertificateUse[], out: Finding[]): void {
  if (server.names.length === 0) return;
  let certs: CertificateUse[] = [];
  for (let i = server.chain.length - 1; i >= 0 && certs.length === 0; i--) {
    certs = usesIn(uses, server.chain[i]).filter((u) => u.directive.name.value === 'ssl_certificate');
  }
  const leaves = certs.map((u) => (u.contents?.kind === 'certificates' ? u.contents.certificates[0] : undefined));
  if (leaves.length === 0 || leaves.some((l) => !l)) return; // nothing read to compare with
  for (const { file, word } of server.names) {
    const name = word.value;
    if (name === '' || name === '_' || name.startsWith('~') || name.includes('$') || name === 'localhost') continue;
    const host = name.startsWith('.') ? name.slice(1) : name;
    const covered = host.startsWith('*.')
      ? leaves.some((l) => l!.dnsNames.includes(host.toLowerCase()))
      : host.endsWith('.*') ? true : leaves.some((l) => certificateCovers(l!, host));
    if (!covered) {
      verdict(certs[0], `does not cover ${name}`);
      const names = leaves[0]!.dnsNames.length ? leaves[0]!.dnsNames.join(', ') : `CN=${leaves[0]!.commonName ?? '?'}`;
      out.push({ file, start: word.start, end: word.end, code: 'cert-name-mismatch',
        message: `the certificate ${shownPath(certs[0].word.value)} does not cover "${name}" (it covers ${names}): `
          + `clients will reject it` });
    }
  }
}

/** The certificates a use's file holds, when it was read and holds some. */
function certificatesOf(use: CertificateUse | undefined): CertificateInfo[] | undefined {
  return use?.status === 'read' && use.contents?.kind === 'certificates' ? use.contents.certificates : undefined;
}

/** `{ name, value, where }` for data.effective: the values a verdict rests on and where each was set. */
function effectiveEntry(name: string, e: Effective, describe: Describe): { name: string; value: string; where: string } {
  return { name, value: e.value, where: describe(e) };
}

const WEAK_HASHES: ReadonlySet<string> = new Set(['SHA-1', 'MD5', 'MD2', 'MD4']);
/** Key types whose strength is their modulus size; EC and EdDSA keys of any curve OpenSSL loads are strong enough. */
const MODULUS_KEYS: ReadonlySet<string> = new Set(['rsa', 'rsa-pss', 'dsa']);

/**
 * The certificate files looked at in depth: the chain a server sends (complete, leading to the CA the
 * configuration trusts for it), weak keys and signatures, a CA certificate served as a server's own,
 * and must-staple certificates without stapling.
 */
function checkInDepth(uses: readonly CertificateUse[], servers: readonly TlsServer[], sites: readonly TlsSite[],
  describe: Describe): Finding[] {
  const out: Finding[] = [];
  const report = (use: CertificateUse, code: RuleId, message: string, verdictText: string, data?: Record<string, unknown>,
    severity?: Finding['severity']) => {
    out.push({ file: use.file, start: use.word.start, end: use.word.end, code, message, ...(data && { data }),
      ...(severity && { severity }) });
    verdict(use, verdictText);
  };
  const anchors = uses.filter((u) => u.kind === 'ca').flatMap((u) => (certificatesOf(u) ?? []).map((certificate) => ({ certificate, u })))
    .filter((a) => a.certificate.selfSigned);
  for (const use of uses) {
    const certs = certificatesOf(use);
    if (use.kind !== 'certificate' || !certs?.length) continue;
    const label = (c: CertificateInfo) => (certs.length > 1 ? `certificate ${certs.indexOf(c) + 1} ("${c.subject}")` : `"${c.subject}"`);
    const weakKey = certs.find((c) => MODULUS_KEYS.has(c.keyType) && c.keyBits !== undefined && c.keyBits < 2048);
    if (weakKey) {
      report(use, 'cert-weak-key', `${label(weakKey)} has a ${weakKey.keyDescription} key: under 2048 bits, browsers reject it and `
        + 'nginx with OpenSSL at security level 2 (the Debian and Ubuntu default) refuses to load it ("ee key too small")',
      `weak key: ${weakKey.keyDescription}`);
    }
    const weakSignature = certs.find((c) => !c.selfSigned && c.signatureHash !== undefined && WEAK_HASHES.has(c.signatureHash));
    if (weakSignature) {
      report(use, 'cert-weak-signature', `${label(weakSignature)} is signed with ${weakSignature.signatureHash}: clients reject it `
        + 'and nginx with OpenSSL at security level 2 refuses to load it ("ca md too weak"); have it reissued with SHA-256',
      `signed with ${weakSignature.signatureHash}`);
    }
    if (use.directive.name.value !== 'ssl_certificate') continue; // what follows is about a server's own certificate
    const leaf = certs[0];
    // A self-signed CA served as itself (what `openssl req -x509` makes by default) works wherever it is trusted at all: clients
    // that pin or trust it take it as its own anchor. A leaf placed after its CA is cert-chain-order's finding.
    if (leaf.isCA && !leaf.selfSigned && !chainOrderProblem(certs)) {
      report(use, 'cert-ca-as-server', `"${leaf.subject}" is a CA certificate (basicConstraints CA:TRUE), served as this server's `
        + 'certificate: clients reject it (Firefox: MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY); the first certificate of the file '
        + 'must be the server\'s own (leaf) certificate', 'a CA certificate served as the server certificate');
    }
    if (leaf.isCA) continue; // its chain and the rest are about a leaf that is not there
    const chain = servedChain(certs);
    const last = chain.links[chain.links.length - 1];
    const anchor = last.selfSigned ? undefined : anchors.find((a) => signedBy(last, a.certificate));
    if (anchor) use.trustAnchor = { certificate: anchor.certificate, holder: anchor.u.word.value };
    if (!chain.complete && !anchor) {
      const fetched = leaf.caIssuersUrl
        ? `browsers fetch it from ${leaf.caIssuersUrl}, but curl, Java, Go, Python and Android clients fail `
          + '("unable to get local issuer certificate")'
        : 'clients that do not hold it fail ("unable to get local issuer certificate") unless it is a root they trust';
      report(use, 'cert-chain-incomplete', `the chain is incomplete: "${leaf.subject}" was issued by "${leaf.issuer}", which is not `
        + `in the file; ${fetched}. Append the intermediate certificate (for Let's Encrypt, use fullchain.pem)`,
      'chain incomplete: issuer missing',
      { exploit: `curl https://${leaf.dnsNames[0]?.replace(/^\*\./, 'www.') ?? leaf.commonName ?? 'host'}/ `
        + '→ curl: (60) SSL certificate problem: unable to get local issuer certificate' },
      leaf.caIssuersUrl ? undefined : 'information');
    }
  }
  // Only what the files hold makes these worth a look: most configurations have no must-staple
  // certificate, and no upstream whose name is one of their own servers'.
  if (uses.some((u) => certificatesOf(u)?.[0]?.mustStaple)) for (const server of servers) checkMustStaple(server, uses, describe, report);
  if (sites.length && uses.some((u) => u.status === 'read')) {
    const byName = new Map<string, TlsServer[]>();
    for (const server of servers) {
      for (const { word } of server.names) {
        const name = word.value.toLowerCase();
        const list = byName.get(name);
        if (!list) byName.set(name, [server]); else if (!list.includes(server)) list.push(server);
      }
    }
    for (const site of sites) checkUpstreamTrust(site, uses, byName, describe, report);
  }
  return out;
}

type DepthReport = (use: CertificateUse, code: RuleId, message: string, verdictText: string, data?: Record<string, unknown>,
  severity?: Finding['severity']) => void;

/** The ssl_certificate uses in effect in a server: those of the nearest level that sets any. */
function serverCertificates(server: TlsServer, uses: readonly CertificateUse[]): CertificateUse[] {
  for (let i = server.chain.length - 1; i >= 0; i--) {
    const here = usesIn(uses, server.chain[i]).filter((u) => u.directive.name.value === 'ssl_certificate');
    if (here.length) return here;
  }
  return [];
}

/** cert-must-staple: a certificate that demands a stapled OCSP response in a server that staples none. */
function checkMustStaple(server: TlsServer, uses: readonly CertificateUse[], describe: Describe, report: DepthReport): void {
  const stapling = effective(server.chain, 'ssl_stapling', 'off');
  if (stapling.value.toLowerCase() === 'on') return;
  for (const use of serverCertificates(server, uses)) {
    const leaf = certificatesOf(use)?.[0];
    if (!leaf?.mustStaple || use.verdicts?.some((v) => v.text.startsWith('must-staple'))) continue;
    const name = server.names[0]?.word.value;
    report(use, 'cert-must-staple', `"${leaf.subject}" is a must-staple certificate (TLS feature status_request), but ssl_stapling is `
      + `${stapling.value} in ${name ? `server ${name}` : 'this server'} (${describe(stapling)}): Firefox refuses the connection `
      + 'without a stapled OCSP response; set "ssl_stapling on;" with a resolver', 'must-staple without ssl_stapling',
    { effective: [effectiveEntry('ssl_stapling', stapling, describe)] });
  }
}

/**
 * cert-chain-untrusted: an upstream over TLS, verified against a CA file, whose server is one of this
 * configuration's own servers (its name a server_name here): that server's certificate must lead to
 * the CA file. Other upstreams' certificates are not in the workspace, so nothing is known of them.
 */
function checkUpstreamTrust(site: TlsSite, uses: readonly CertificateUse[], serversByName: ReadonlyMap<string, TlsServer[]>,
  describe: Describe, report: DepthReport): void {
  const settings = siteSettings(site);
  const name = (settings.name.value || site.host).replace(/:\d+$/, '').toLowerCase();
  for (const server of serversByName.get(name) ?? []) {
    checkClientCertificate(site, settings, server, uses, describe, report);
    if (settings.verify.value.toLowerCase() !== 'on' || !settings.trusted.setting) continue;
    const trustedUse = uses.find((u) => u.directive === settings.trusted.setting!.directive);
    const trusted = certificatesOf(trustedUse);
    if (!trustedUse || !trusted?.length) continue;
    for (const certificateUse of serverCertificates(server, uses)) {
      const certs = certificatesOf(certificateUse);
      if (!certs?.length || chainReaches(servedChain(certs).links, trusted)) continue;
      const verdictText = `the chain of ${shownPath(certificateUse.word.value)} does not lead here`;
      if (trustedUse.verdicts?.some((v) => v.text === verdictText)) continue;
      report(trustedUse, 'cert-chain-untrusted', `the upstream ${name} is served here with ${shownPath(certificateUse.word.value)} `
        + `("${certs[0].subject}", issued by "${certs[0].issuer}"), whose chain leads to no certificate of this CA file: `
        + `${site.family.prefix}_ssl_verify fails every request with 502 ("upstream SSL certificate verify error")`,
      verdictText, {
        effective: [
          effectiveEntry(`${site.family.prefix}_ssl_verify`, settings.verify, describe),
          effectiveEntry(`${site.family.prefix}_ssl_trusted_certificate`, settings.trusted, describe),
          effectiveEntry(`${site.family.prefix}_ssl_name`, { value: name, setting: settings.name.setting }, describe),
        ],
      });
    }
  }
}

/**
 * cert-chain-untrusted the other way round: the upstream is one of this configuration's servers and
 * verifies client certificates against a CA file; the client certificate this site presents
 * (`proxy_ssl_certificate`) must lead to it, or that server answers 400 ("The SSL certificate error").
 */
function checkClientCertificate(site: TlsSite, settings: ReturnType<typeof siteSettings>, server: TlsServer,
  uses: readonly CertificateUse[], describe: Describe, report: DepthReport): void {
  const verifyClient = effective(server.chain, 'ssl_verify_client', 'off');
  if (verifyClient.value.toLowerCase() !== 'on' || !settings.certificate.setting) return;
  const caSetting = effective(server.chain, 'ssl_client_certificate', '');
  const clientUse = uses.find((u) => u.directive === settings.certificate.setting!.directive);
  const caUse = caSetting.setting && uses.find((u) => u.directive === caSetting.setting!.directive);
  const client = certificatesOf(clientUse), ca = certificatesOf(caUse);
  if (!clientUse || !caUse || !client?.length || !ca?.length || chainReaches(servedChain(client).links, ca)) return;
  const verdictText = `does not lead to ${shownPath(caUse.word.value)}, which the upstream verifies clients with`;
  if (clientUse.verdicts?.some((v) => v.text === verdictText)) return;
  report(clientUse, 'cert-chain-untrusted', `this client certificate ("${client[0].subject}", issued by "${client[0].issuer}") does not `
    + `lead to ${shownPath(caUse.word.value)}, the CA file the upstream ${server.names[0]?.word.value ?? ''} verifies clients with: `
    + 'it answers every request with 400 ("The SSL certificate error")', verdictText, {
    effective: [
      effectiveEntry('ssl_verify_client', verifyClient, describe),
      effectiveEntry('ssl_client_certificate', caSetting, describe),
      effectiveEntry(`${site.family.prefix}_ssl_certificate`, settings.certificate, describe),
    ],
  });
}
