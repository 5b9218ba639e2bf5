/**
 * Certificate paths in a configuration: resolved the way nginx resolves them (relative to the
 * prefix), mapped onto the workspace (`nginx-ls.pathMappings`), read through the host, and checked:
 * missing, unreadable, expired, expiring, not yet valid, key/certificate mismatch, names the
 * certificate does not cover, chain order, non-CA certificates in CA files.
 */
import * as path from 'node:path/posix';
import { ConfigHost } from '../host';
import type { Finding } from '../finding';
import { RuleId } from '../rules';
import { Directive, Word } from './syntax';
import {
  CertificateInfo, FileContents, certificateCovers, chainOrderProblem, daysBetween, isoDate, readContents,
} from './certificates';
import { BlockSettings } from './tls';

export type TlsFileKind = 'certificate' | 'key' | 'ca' | 'crl' | 'password';

/** Every directive whose argument names a TLS file, with what the file should hold. */
export const TLS_FILE_DIRECTIVES: ReadonlyMap<string, TlsFileKind> = new Map(
  ['', 'proxy_', 'grpc_', 'uwsgi_'].flatMap((p) => [
    [`${p}ssl_certificate`, 'certificate'],
    [`${p}ssl_certificate_key`, 'key'],
    [`${p}ssl_trusted_certificate`, 'ca'],
    [`${p}ssl_crl`, 'crl'],
    [`${p}ssl_password_file`, 'password'],
  ] as [string, TlsFileKind][]).concat([['ssl_client_certificate', 'ca']]),
);

/** How a TLS file argument is named in messages: quoted, except inline data, which may be a private key. */
export function shownPath(value: string): string {
  return value.startsWith('data:') ? 'the inline data: value' : `"${value}"`;
}

export interface CertificateUse {
  file: string;
  directive: Directive;
  word: Word;
  kind: TlsFileKind;
  /** The settings of the block the directive is in (to pair keys with certificates). */
  block: BlockSettings;
  /** Position among the directives of the same name in that block (nginx pairs the nth certificate with the nth key). */
  index: number;
  /** The settings of every enclosing block, outermost first (to find an inherited certificate). */
  chain: readonly BlockSettings[];
  /** Filled by the check: what the path resolved to and what the file holds. */
  resolved?: string;
  status?: 'variable' | 'not-on-this-machine' | 'missing' | 'unreadable' | 'read';
  reason?: string;
  contents?: FileContents;
  /** For a key: the certificate configured beside it, and whether they match. */
  pairedWith?: CertificateUse;
  keyMatches?: boolean;
}

export interface CertificateOptions {
  now: Date;
  expiryWarningDays: number;
  /** Server path prefix → workspace path prefix, longest first. */
  pathMappings: readonly [string, string][];
}


/** A server block's certificate uses and server names, for the name check. */
export interface ServerNames {
  names: { file: string; word: Word }[];
  chain: readonly BlockSettings[];
}

export function applyMappings(file: string, mappings: readonly [string, string][]): string | undefined {
  for (const [from, to] of mappings) {
    const base = from.replace(/\/+$/, '');
    if (file === base || file.startsWith(base + '/')) return to.replace(/\/+$/, '') + file.slice(base.length);
  }
  return undefined;
}

export function checkCertificates(
  uses: CertificateUse[], servers: readonly ServerNames[], host: ConfigHost, prefix: string, options: CertificateOptions,
): Finding[] {
  const out: Finding[] = [];
  const report = (use: CertificateUse, code: RuleId, message: string) => out.push({ file: use.file, start: use.word.start, end: use.word.end, code, message });
  for (const use of uses) resolveUse(use, host, prefix, options);
  for (const use of uses) {
    if (use.status === 'missing') report(use, 'cert-not-found', `${use.kind === 'key' ? 'key' : 'file'} "${use.resolved}" not found: nginx refuses to start`);
    if (use.status === 'unreadable') report(use, 'cert-unreadable', `cannot read "${use.resolved}": ${use.reason}`);
    if (use.status !== 'read' || !use.contents) continue;
    const contents = use.contents;
    if (contents.kind === 'unreadable') { report(use, 'cert-unreadable', `${shownPath(use.word.value)} is ${contents.reason}`); continue; }
    if (use.kind === 'certificate' || use.kind === 'ca') {
      if (contents.kind !== 'certificates') { report(use, 'cert-unreadable', `${shownPath(use.word.value)} holds a private key, not a certificate`); continue; }
      checkValidity(use, contents.certificates, options, report);
      if (use.kind === 'certificate') {
        const order = chainOrderProblem(contents.certificates);
        if (order) report(use, 'cert-chain-order', order);
      } else {
        const notCa = contents.certificates.filter((c) => !c.isCA);
        if (notCa.length) report(use, 'cert-not-ca', `"${notCa[0].subject}"${notCa.length > 1 ? ` and ${notCa.length - 1} more` : ''} in this CA file ${notCa.length > 1 ? 'are not CA certificates' : 'is not a CA certificate'} (no CA basic constraint): it cannot sign the certificates it is meant to verify`);
      }
    }
    if (use.kind === 'key') {
      const key = contents.kind === 'key' ? contents.key : contents.key;
      if (!key) { report(use, 'cert-unreadable', `${shownPath(use.word.value)} holds certificates but no private key`); continue; }
      const paired = pairCertificate(use, uses);
      const leaf = paired?.contents?.kind === 'certificates' ? paired.contents.certificates[0] : undefined;
      if (paired && leaf && key.spki) {
        use.pairedWith = paired;
        use.keyMatches = leaf.spki.equals(key.spki);
        if (!use.keyMatches) report(use, 'cert-key-mismatch', `this ${key.description ?? ''} key does not match the certificate ${shownPath(paired.word.value)} (${leaf.keyDescription}, "${leaf.subject}"): TLS handshakes will fail`.replace('this  key', 'this key'));
      }
    }
  }
  for (const server of servers) checkServerNames(server, uses, out);
  return out;
}

function resolveUse(use: CertificateUse, host: ConfigHost, prefix: string, options: CertificateOptions): void {
  const value = use.word.value;
  if (value.includes('$')) { use.status = 'variable'; return; }
  if (value.startsWith('data:')) {
    use.status = 'read';
    use.resolved = 'data:';
    use.contents = readContents(new TextEncoder().encode(value.slice(5)));
    return;
  }
  const absolute = path.resolve(prefix, value);
  const mapped = applyMappings(absolute, options.pathMappings);
  use.resolved = mapped ?? absolute;
  const read = host.readBinary(use.resolved);
  switch (read.kind) {
    case 'bytes':
      use.status = 'read';
      if (use.kind !== 'crl' && use.kind !== 'password') use.contents = readContents(read.bytes);
      return;
    case 'missing':
      // An absolute path this machine lacks is the server's business unless a mapping says where it lives here.
      use.status = path.isAbsolute(value) && !mapped ? 'not-on-this-machine' : 'missing';
      return;
    case 'not-regular': use.status = 'unreadable'; use.reason = `it is ${read.what}, not a regular file`; return;
    case 'too-large': use.status = 'unreadable'; use.reason = `it is too large (${read.size} bytes; certificate files are read up to 1 MB)`; return;
    case 'error': use.status = 'unreadable'; use.reason = read.message; return;
  }
}

function checkValidity(use: CertificateUse, certs: readonly CertificateInfo[], options: CertificateOptions,
  report: (use: CertificateUse, code: RuleId, message: string) => void): void {
  const now = options.now;
  const label = (c: CertificateInfo, i: number) => (certs.length > 1 ? `certificate ${i + 1} ("${c.subject}")` : `the certificate ("${c.subject}")`);
  // In a CA bundle one expired root among many breaks nothing; flag it when every one has expired.
  const relevant = use.kind === 'ca' && certs.length > 1 ? (certs.every((c) => c.notAfter < now) ? [certs[0]] : []) : certs;
  const expired = relevant.findIndex((c) => c.notAfter < now);
  if (expired >= 0) {
    const c = relevant[expired];
    report(use, 'cert-expired', `${label(c, certs.indexOf(c))} expired on ${isoDate(c.notAfter)}, ${daysBetween(c.notAfter, now)} days ago`);
    return;
  }
  const early = relevant.findIndex((c) => c.notBefore > now);
  if (early >= 0) {
    const c = relevant[early];
    report(use, 'cert-not-yet-valid', `${label(c, certs.indexOf(c))} is not valid before ${isoDate(c.notBefore)}`);
    return;
  }
  const soon = relevant.filter((c) => daysBetween(now, c.notAfter) < options.expiryWarningDays)
    .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime())[0];
  if (soon) report(use, 'cert-expiring', `${label(soon, certs.indexOf(soon))} expires on ${isoDate(soon.notAfter)}, in ${daysBetween(now, soon.notAfter)} days`);
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
      const names = leaves[0]!.dnsNames.length ? leaves[0]!.dnsNames.join(', ') : `CN=${leaves[0]!.commonName ?? '?'}`;
      out.push({ file, start: word.start, end: word.end, code: 'cert-name-mismatch',
        message: `the certificate ${shownPath(certs[0].word.value)} does not cover "${name}" (it covers ${names}): clients will reject it` });
    }
  }
}
