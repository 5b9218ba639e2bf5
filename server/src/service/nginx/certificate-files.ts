/**
 * Certificate paths in a configuration, resolved the way nginx resolves them (relative to the
 * prefix), mapped onto the workspace (`nginx-ls.pathMappings`) and read through the host. The
 * certificate rules (rules/certificates.ts) judge what this reads; the hover shows it.
 */
import * as path from 'node:path/posix';
import { ConfigHost } from '../host';
import { Directive, Word } from './syntax';
import { CertificateInfo, FileContents, readContents } from './certificates';
import { BlockSettings } from './inheritance';

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
  status?: 'variable' | 'per-handshake' | 'engine' | 'none' | 'not-on-this-machine' | 'missing' | 'unreadable' | 'read';
  reason?: string;
  contents?: FileContents;
  /** For a key: the certificate configured beside it, and whether they match. */
  pairedWith?: CertificateUse;
  keyMatches?: boolean;
  /**
   * What the certificates family concluded about this file, verdict first ("expired 12 days ago",
   * "key certs/b.key does not match", "does not cover www.example.com", "valid, expires in 300
   * days"), problems before the rest. The family decides; the hover shows them.
   */
  verdicts?: Verdict[];
  /**
   * For a server certificate file: the CA certificate its chain ends at when the configuration names
   * it (a CA file holding the root the chain's last link was signed by), for the hover's chain.
   */
  trustAnchor?: { certificate: CertificateInfo; holder: string };
}

/** One conclusion about a certificate use; `problem` when a rule reported it. */
export interface Verdict { text: string; problem: boolean }



/** Where a server path lives in the workspace, by the longest matching prefix mapping (longest first). */
export function applyMappings(file: string, mappings: readonly [string, string][]): string | undefined {
  for (const [from, to] of mappings) {
    const base = from.replace(/\/+$/, '');
    if (file === base || file.startsWith(base + '/')) return to.replace(/\/+$/, '') + file.slice(base.length);
  }
  return undefined;
}

/** Resolves and reads every use, filling in its status and contents. */
export function resolveCertificateUses(
  uses: readonly CertificateUse[], host: ConfigHost, prefix: string, mappings: readonly [string, string][]
): void {
  const perHandshake = loadedPerHandshake(uses);
  for (const use of uses) {
    if (perHandshake.has(use)) use.status = 'per-handshake';
    else resolveUse(use, host, prefix, mappings);
  }
}

/**
 * The certificates and keys nginx loads per handshake, not at start: when one certificate or key of
 * the lists in effect together holds a variable, nginx compiles every one of them as a per-handshake
 * value (ngx_http_ssl_compile_certificates; the upstream and stream modules do the same).
 */
function loadedPerHandshake(uses: readonly CertificateUse[]): Set<CertificateUse> {
  const out = new Set<CertificateUse>();
  const pairs = uses.filter((u) => u.kind === 'certificate' || u.kind === 'key');
  for (const withVariable of pairs) {
    if (!withVariable.word.value.includes('$')) continue;
    for (const other of pairs) {
      // Only where the variable one reaches every block the other is in effect in: a key in http beside a
      // certificate with a variable in one server is still loaded at start for the other servers.
      if (other.word.value.includes('$') || withVariable.chain.length > other.chain.length) continue;
      if (inEffectTogether(withVariable, other)) out.add(other);
    }
  }
  return out;
}

/** Whether two certificate or key directives end up in one server's (or location's) merged lists. */
function inEffectTogether(a: CertificateUse, b: CertificateUse): boolean {
  const nameA = a.directive.name.value, nameB = b.directive.name.value;
  if (nameA === nameB) return a.block === b.block; // one list; a nearer block replaces it
  if (nameA.replace(/_key$/, '') !== nameB.replace(/_key$/, '')) return false; // another family
  const [upper, lower] = a.chain.length <= b.chain.length ? [a, b] : [b, a];
  const at = lower.chain.indexOf(upper.block);
  if (at < 0) return false;
  // The upper one reaches the lower block unless a block between sets the upper one's name again.
  for (let i = at + 1; i < lower.chain.length; i++) if (lower.chain[i].has(upper.directive.name.value)) return false;
  return true;
}

function resolveUse(use: CertificateUse, host: ConfigHost, prefix: string, mappings: readonly [string, string][]): void {
  const value = use.word.value;
  if (value.includes('$')) { use.status = 'variable'; return; }
  // An upstream client certificate set to "" means none (it turns off one inherited from above).
  if (value === '' && use.directive.name.value !== 'ssl_certificate' && use.directive.name.value !== 'ssl_certificate_key') {
    use.status = 'none';
    return;
  }
  // `engine:name:id`: a key held by an OpenSSL engine (ngx_ssl_load_certificate_key), no file.
  if (use.kind === 'key' && value.startsWith('engine:')) { use.status = 'engine'; return; }
  if (value.startsWith('data:')) {
    use.status = 'read';
    use.resolved = 'data:';
    use.contents = readContents(new TextEncoder().encode(value.slice(5)));
    return;
  }
  const absolute = path.resolve(prefix, value);
  const mapped = applyMappings(absolute, mappings);
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
    case 'too-large':
      use.status = 'unreadable'; use.reason = `it is too large (${read.size} bytes; certificate files are read up to 1 MB)`; return;
    case 'error': use.status = 'unreadable'; use.reason = read.message; return;
  }
}
