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
import { CertificateInfo, certificateCovers, chainOrderProblem, daysBetween, isoDate } from '../certificates';
import type { BlockSettings } from '../inheritance';
import type { Word } from '../syntax';

export const family: NginxFamily = {
  name: 'certificates',
  rules: [
    'cert-not-found', 'cert-unreadable', 'cert-expired', 'cert-not-yet-valid', 'cert-expiring', 'cert-key-mismatch',
    'cert-name-mismatch', 'cert-chain-order', 'cert-not-ca',
  ],
  end: (c) => {
    const servers = c.facts.servers.filter((s) => s.module === 'http');
    for (const r of checkCertificates(c.facts.certificateUses, servers, c.options)) {
      c.report(r.file, r.start, r.end, r.code as RuleId, r.message, r.data, r.severity);
    }
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

/** The certificate directive a key belongs with: same block, same position; else the nearest certificate in effect. */
function pairCertificate(key: CertificateUse, uses: readonly CertificateUse[]): CertificateUse | undefined {
  const certName = key.directive.name.value.replace(/_key$/, '');
  for (let i = key.chain.length - 1; i >= 0; i--) {
    const candidates = uses.filter((u) => u.block === key.chain[i] && u.directive.name.value === certName);
    if (candidates.length) return candidates.find((u) => u.index === key.index) ?? candidates[0];
  }
  return undefined;
}

function checkServerNames(server: ServerNames, uses: readonly CertificateUse[], out: Finding[]): void {
  if (server.names.length === 0) return;
  let certs: CertificateUse[] = [];
  for (let i = server.chain.length - 1; i >= 0 && certs.length === 0; i--) {
    certs = uses.filter((u) => u.block === server.chain[i] && u.directive.name.value === 'ssl_certificate');
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
