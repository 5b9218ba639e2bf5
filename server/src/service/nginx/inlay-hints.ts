/**
 * Inlay hints: how long each certificate a configuration names stays valid, written after its path
 * ("expires in 23 days", "expired 12 days ago"). Judged at the caller's `now`: the service reads no
 * clock. Only certificates that were read and parsed get one; keys, CRLs and password files never do,
 * and nothing but dates, counts and subjects (public facts) is shown.
 */
import type { CertificateUse } from './certificate-files';
import { CertificateInfo, daysBetween, isoDate } from './certificates';

export interface InlayHintEntry {
  /** Where the hint stands: the end of the path it is about. */
  offset: number;
  label: string;
  /** The dates and subject behind the label. */
  tooltip: string;
}

/**
 * What the certificates are for decides which expiry counts:
 * - `certificate` (what nginx sends: a leaf, then its chain): the peer checks every certificate sent,
 *   so the chain breaks when the first of them expires, leaf or intermediate. The earliest counts, as
 *   for the cert-expiring and cert-expired rules.
 * - `ca` (a trust store): a peer's chain needs one of its CAs, so one expired CA among several breaks
 *   nothing by itself (the cert-expired rule waits until every one has). The hint names the first of the
 *   still valid CAs to expire (when the store starts to shrink) and how many have already expired.
 */
export type ExpiryPurpose = 'certificate' | 'ca';

/**
 * The hint for a set of certificates at `now`, or undefined for an empty set.
 *
 * @example expiryHint([leaf], 'certificate', now)  // { label: 'expires in 23 days', tooltip: 'Not after 2026-12-24 …' }
 */
export function expiryHint(certificates: readonly CertificateInfo[], purpose: ExpiryPurpose, now: Date)
  : { label: string; tooltip: string } | undefined {
  if (certificates.length === 0) return undefined;
  const count = certificates.length;
  const position = (c: CertificateInfo) => (count > 1 ? `certificate ${certificates.indexOf(c) + 1} of ${count}: ` : '');
  const about = (c: CertificateInfo) => `${position(c)}${c.subject}`;
  if (purpose === 'ca' && certificates.length > 1) {
    const valid = certificates.filter((c) => c.notAfter >= now);
    const expiredCount = certificates.length - valid.length;
    if (valid.length === 0) {
      const last = latest(certificates);
      return {
        label: `${expiredPhrase(last.notAfter, now)} (all ${certificates.length} CAs)`,
        tooltip: `Every CA certificate in the file has expired; the last (${about(last)}) on ${isoDate(last.notAfter)}.`,
      };
    }
    const first = earliest(valid);
    const expiredNote = expiredCount ? `; ${expiredCount} expired` : '';
    return {
      label: `${expiresPhrase(first.notAfter, now)} (first of ${certificates.length} CAs${expiredNote})`,
      tooltip: `Not after ${isoDate(first.notAfter)} (${about(first)}). `
        + `The last CA expires on ${isoDate(latest(certificates).notAfter)}.`,
    };
  }
  // Expired first, then not yet valid, as the rules judge: an expired certificate is the graver news.
  const expired = certificates.find((c) => c.notAfter < now);
  if (expired) {
    return { label: withPosition(expiredPhrase(expired.notAfter, now), expired, certificates),
      tooltip: `Not after ${isoDate(expired.notAfter)} (${about(expired)}).` };
  }
  const early = certificates.find((c) => c.notBefore > now);
  if (early) {
    return { label: withPosition(`not valid until ${isoDate(early.notBefore)}`, early, certificates),
      tooltip: `Not before ${isoDate(early.notBefore)}, in ${dayCount(daysBetween(now, early.notBefore))} (${about(early)}).` };
  }
  const first = earliest(certificates);
  return { label: withPosition(expiresPhrase(first.notAfter, now), first, certificates),
    tooltip: `Not after ${isoDate(first.notAfter)} (${about(first)}).` };
}

/**
 * The expiry hints for the certificate and CA paths among `uses` (the analysis' uses in one file). A
 * file included twice is one text: one hint per path.
 */
export function certificateExpiryHints(uses: readonly CertificateUse[], now: Date): InlayHintEntry[] {
  const out: InlayHintEntry[] = [];
  const seen = new Set<number>();
  for (const use of uses) {
    if (use.kind !== 'certificate' && use.kind !== 'ca') continue;
    if (use.status !== 'read' || use.contents?.kind !== 'certificates' || seen.has(use.word.end)) continue;
    const hint = expiryHint(use.contents.certificates, use.kind, now);
    if (!hint) continue;
    seen.add(use.word.end);
    out.push({ offset: use.word.end, ...hint });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** " (certificate 2 of 3)" when the certificate that decides is not the first in its file. */
function withPosition(phrase: string, c: CertificateInfo, all: readonly CertificateInfo[]): string {
  const index = all.indexOf(c);
  return index > 0 ? `${phrase} (certificate ${index + 1} of ${all.length})` : phrase;
}

function expiresPhrase(notAfter: Date, now: Date): string {
  const days = daysBetween(now, notAfter);
  return days === 0 ? 'expires within a day' : `expires in ${dayCount(days)}`;
}

function expiredPhrase(notAfter: Date, now: Date): string {
  const days = daysBetween(notAfter, now);
  return days === 0 ? 'expired within the last day' : `expired ${dayCount(days)} ago`;
}

function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

function earliest(certificates: readonly CertificateInfo[]): CertificateInfo {
  return certificates.reduce((a, b) => (b.notAfter < a.notAfter ? b : a));
}

function latest(certificates: readonly CertificateInfo[]): CertificateInfo {
  return certificates.reduce((a, b) => (b.notAfter > a.notAfter ? b : a));
}
