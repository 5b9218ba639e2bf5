/**
 * What certificate and key files hold, read from their bytes (the host reads them). PEM bundles are
 * split here, since @peculiar/x509 keeps only the first certificate of a PEM string. Keys are read
 * with node:crypto to learn their type and size and to compare their public half with a
 * certificate's; the private material itself never leaves this module.
 */
import type * as NodeCrypto from 'node:crypto';
import type * as X509Lib from '@peculiar/x509';

type KeyObject = NodeCrypto.KeyObject;

/** node:crypto, loaded on first use (it takes ~15 ms to load, a twentieth of the server's start). */
function nodeCrypto(): typeof NodeCrypto {
  return require('node:crypto') as typeof NodeCrypto;
}

/**
 * Loaded on first use, so that starting the server does not pay for it. @peculiar/x509 needs
 * reflect-metadata loaded before it (tsyringe throws otherwise).
 */
function x509(): typeof X509Lib {
  require('reflect-metadata');
  return require('@peculiar/x509') as typeof X509Lib;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses from subjectAltName, as `DNS:a.example` / `IP:10.0.0.1`. */
  altNames: string[];
  dnsNames: string[];
  commonName?: string;
  notBefore: Date;
  notAfter: Date;
  serial: string;
  sha256: string;
  /** "RSA 2048", "EC P-256", "Ed25519". */
  keyDescription: string;
  isCA: boolean;
  /** Public key algorithm and size: `rsa` and the modulus bits, `ec` and the curve's bits, … */
  keyType: string;
  keyBits?: number;
  /** The hash of the issuer's signature over this certificate ("SHA-1", "SHA-256"), when known. */
  signatureHash?: string;
  /** Subject and issuer are the same name and its own key verifies its signature. */
  selfSigned: boolean;
  /** The TLS feature extension (RFC 7633) asks for status_request: clients require a stapled OCSP response. */
  mustStaple: boolean;
  /** The issuer certificate's URL from Authority Information Access, which browsers fetch when a chain lacks it. */
  caIssuersUrl?: string;
  /** DER of the SubjectPublicKeyInfo, to compare with a private key's public half. */
  spki: Buffer;
  der: Buffer;
}

export interface KeyInfo {
  /** "RSA 2048", "EC P-256", …; undefined when encrypted. */
  description?: string;
  encrypted: boolean;
  /** DER of the public key derived from the private key (never the private key itself). */
  spki?: Buffer;
  format: string;
}

export type FileContents =
  | { kind: 'certificates'; certificates: CertificateInfo[]; key?: KeyInfo }
  | { kind: 'key'; key: KeyInfo }
  | { kind: 'unreadable'; reason: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

const parsed = new WeakMap<Uint8Array, FileContents>();

/** Reads certificate/key bytes (PEM with any number of blocks, or DER). Cached per bytes object. */
export function readContents(bytes: Uint8Array): FileContents {
  const cached = parsed.get(bytes);
  if (cached) return cached;
  let result: FileContents;
  try {
    result = readUncached(bytes);
  } catch (e) {
    result = { kind: 'unreadable', reason: `corrupt (${(e as Error).message.split('\n')[0]})` };
  }
  parsed.set(bytes, result);
  return result;
}

function readUncached(bytes: Uint8Array): FileContents {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN ')) return readPem(text);
  if (bytes.length === 0) return { kind: 'unreadable', reason: 'empty file' };
  const der = Buffer.from(bytes);
  if (der[0] !== 0x30) return { kind: 'unreadable', reason: 'not a certificate or key (neither PEM nor DER)' };
  try {
    return { kind: 'certificates', certificates: [certificateInfo(der)] };
  } catch {
    const key = derKey(der);
    return key ? { kind: 'key', key } : { kind: 'unreadable', reason: 'not a certificate or key (DER of something else)' };
  }
}

function readPem(text: string): FileContents {
  const certificates: CertificateInfo[] = [];
  let key: KeyInfo | undefined;
  let problem: string | undefined;
  for (const m of text.matchAll(PEM_BLOCK)) {
    const label = m[1];
    const block = m[0];
    if (label === 'CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
      try {
        certificates.push(certificateInfo(Buffer.from(stripPemHeaders(m[2]), 'base64')));
      } catch (e) {
        problem = `corrupt certificate block (${(e as Error).message.split('\n')[0]})`;
      }
    } else if (label.endsWith('PRIVATE KEY')) {
      key ??= pemKey(label, block);
    }
  }
  if (problem && certificates.length === 0 && !key) return { kind: 'unreadable', reason: problem };
  if (certificates.length > 0) return key ? { kind: 'certificates', certificates, key } : { kind: 'certificates', certificates };
  if (key) return { kind: 'key', key };
  return { kind: 'unreadable', reason: problem ?? 'not a certificate or key (no certificate or private key block)' };
}

function stripPemHeaders(body: string): string {
  return body.split(/\r?\n/).filter((l) => l && !l.includes(':')).join('');
}

function pemKey(label: string, block: string): KeyInfo {
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block);
  const format = label === 'RSA PRIVATE KEY' ? 'PKCS#1' : label === 'EC PRIVATE KEY' ? 'SEC1' : 'PKCS#8';
  if (encrypted) return { encrypted: true, format };
  try {
    return describeKey(nodeCrypto().createPrivateKey({ key: block, format: 'pem' }), format);
  } catch (e) {
    return { encrypted: false, format, description: `unreadable (${(e as Error).message.split('\n')[0]})` };
  }
}

function derKey(der: Buffer): KeyInfo | undefined {
  for (const [type, format] of [['pkcs8', 'PKCS#8'], ['pkcs1', 'PKCS#1'], ['sec1', 'SEC1']] as const) {
    try {
      return describeKey(nodeCrypto().createPrivateKey({ key: der, format: 'der', type }), `${format} (DER)`);
    } catch { /* try the next encoding */ }
  }
  // An encrypted PKCS#8 key cannot be opened without its passphrase; its outer structure says so.
  if (der.includes(Buffer.from('2a864886f70d01050d', 'hex'))) return { encrypted: true, format: 'PKCS#8 (DER)' };
  return undefined;
}

function describeKey(key: KeyObject, format: string): KeyInfo {
  return {
    encrypted: false, format, description: keyDescription(key),
    spki: nodeCrypto().createPublicKey(key).export({ type: 'spki', format: 'der' })
  };
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 };
/** DER of the TLS feature list holding status_request (5): SEQUENCE { INTEGER 5 }, as RFC 7633 encodes must-staple. */
const STATUS_REQUEST = Buffer.from('020105', 'hex');
const TLS_FEATURE_OID = '1.3.6.1.5.5.7.1.24';

function keySize(key: KeyObject): number | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength) return details.modulusLength;
  return details.namedCurve ? CURVE_BITS[details.namedCurve] : undefined;
}

function keyDescription(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': case 'rsa-pss': return `RSA ${details.modulusLength ?? '?'}`;
    case 'ec': return `EC ${CURVES[details.namedCurve ?? ''] ?? details.namedCurve ?? '?'}`;
    case 'ed25519': return 'Ed25519';
    case 'ed448': return 'Ed448';
    default: return key.asymmetricKeyType ?? 'unknown';
  }
}

function certificateInfo(der: Buffer): CertificateInfo {
  const { X509Certificate, SubjectAlternativeNameExtension, BasicConstraintsExtension, AuthorityInfoAccessExtension } = x509();
  const cert = new X509Certificate(der);
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const names = san ? san.names.toJSON() : [];
  const altNames = names.map((n) => `${n.type === 'dns' ? 'DNS' : n.type === 'ip' ? 'IP' : n.type}:${n.value}`);
  const basic = cert.getExtension(BasicConstraintsExtension);
  const node = new (nodeCrypto().X509Certificate)(der);
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(cert.subject)?.[1];
  const tlsFeature = cert.getExtension(TLS_FEATURE_OID);
  const caIssuers = cert.getExtension(AuthorityInfoAccessExtension)?.caIssuers.find((n) => n.type === 'url')?.value;
  let signatureHash: string | undefined;
  try {
    signatureHash = (cert.signatureAlgorithm as { hash?: { name?: string } }).hash?.name;
  } catch { /* an algorithm the library does not know (MD5 among them): left unknown */ }
  let selfSigned = false;
  try {
    selfSigned = cert.subject === cert.issuer && node.verify(node.publicKey);
  } catch { /* a key type node:crypto cannot verify with */ }
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    altNames,
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
    commonName: cn,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serial: cert.serialNumber,
    sha256: nodeCrypto().createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:'),
    keyDescription: keyDescription(node.publicKey),
    isCA: basic?.ca === true,
    keyType: node.publicKey.asymmetricKeyType ?? 'unknown',
    keyBits: keySize(node.publicKey),
    signatureHash,
    selfSigned,
    mustStaple: tlsFeature !== null && Buffer.from(tlsFeature.value).includes(STATUS_REQUEST),
    caIssuersUrl: caIssuers,
    spki: node.publicKey.export({ type: 'spki', format: 'der' }),
    der,
  };
}

/** Whether `issuer` signed `cert` (names match and the signature verifies). */
export function signedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  if (cert.issuer !== issuer.subject) return false;
  try {
    const { X509Certificate } = nodeCrypto();
    return new X509Certificate(cert.der).verify(new X509Certificate(issuer.der).publicKey);
  } catch {
    return false;
  }
}

/**
 * The chain nginx sends, as clients build it: from the first certificate (the leaf), each next link
 * the certificate of the file that signed the previous one, until a self-signed one or a link the
 * file lacks. `complete` says whether the leaf's own issuer is in the file (or the leaf is
 * self-signed): a root left out is normal, since clients hold their roots themselves.
 */
export function servedChain(certs: readonly CertificateInfo[]): { links: CertificateInfo[]; complete: boolean } {
  const links = certs.length ? [certs[0]] : [];
  for (let last = links[0]; last && !last.selfSigned;) {
    const issuer = certs.find((c) => !links.includes(c) && signedBy(last, c));
    if (!issuer) break;
    links.push(issuer);
    last = issuer;
  }
  return { links, complete: links.length > 1 || links[0]?.selfSigned === true };
}

/**
 * Whether a chain leads to one of `anchors` (a CA file's certificates): a link is one of them (same
 * subject and key), or one of them signed the last link.
 */
export function chainReaches(links: readonly CertificateInfo[], anchors: readonly CertificateInfo[]): boolean {
  if (links.some((l) => anchors.some((a) => a.subject === l.subject && a.spki.equals(l.spki)))) return true;
  const last = links[links.length - 1];
  return last !== undefined && anchors.some((a) => signedBy(last, a));
}

/** The problem with the order of a certificate file (leaf first, then each issuer in turn), if any. */
export function chainOrderProblem(certs: readonly CertificateInfo[]): string | undefined {
  if (certs.length < 2) return undefined;
  const leafIndex = certs.findIndex((c) => !certs.some((other) =>
    other !== c && other.issuer === c.subject && other.subject !== c.subject));
  if (leafIndex > 0)
    return `the leaf certificate ("${certs[leafIndex].subject}") is number ${leafIndex + 1} in the file; `
      + 'nginx sends the first one as the server certificate, so it must come first';
  for (let i = 0; i + 1 < certs.length; i++) {
    if (certs[i].issuer === certs[i].subject) continue;
    if (certs[i].issuer !== certs[i + 1].subject) {
      const at = certs.findIndex((c) => c.subject === certs[i].issuer);
      if (at >= 0)
        return `certificate ${i + 1} is issued by "${certs[i].issuer}", which is number ${at + 1} in the file: `
          + 'each certificate should be followed by its issuer';
    }
  }
  return undefined;
}

/** RFC 6125 matching of a host name against a certificate's DNS names (or CN when it has none). */
export function certificateCovers(cert: CertificateInfo, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const candidates = cert.dnsNames.length ? cert.dnsNames : cert.commonName ? [cert.commonName.toLowerCase()] : [];
  return candidates.some((pattern) => {
    if (pattern === name) return true;
    if (!pattern.startsWith('*.')) return false;
    // A wildcard stands for exactly one whole left-most label.
    const suffix = pattern.slice(1);
    return name.endsWith(suffix) && !name.slice(0, -suffix.length).includes('.') && name.length > suffix.length;
  });
}

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
