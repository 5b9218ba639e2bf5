// Real certificates and keys for tests, made at test time relative to today with the `openssl` CLI
// (never checked in, so they never expire under the tests). OpenSSL 3.0's `x509 -req` only knows
// `-days`, so certificates whose validity starts in the future or ended in the past are signed with
// `openssl ca -startdate/-enddate` and a throwaway CA database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DAY = 86_400_000;

/** Runs openssl; throws with its stderr when it fails. */
export function openssl(args, { cwd, input } = {}) {
  const r = spawnSync('openssl', args, { cwd, input, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl ${args[0]}: ${r.error.message} (is the openssl CLI installed?)`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** `YYMMDDHHMMSSZ` (UTCTime, as `openssl ca -startdate/-enddate` take it) for now + `days`. */
export function utcTime(days, from = new Date()) {
  const iso = new Date(from.getTime() + days * DAY).toISOString(); // 2026-11-25T15:04:05.123Z
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

const EXTENSIONS = `
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[intermediate_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:app.example.test, DNS:*.example.test

[self_leaf_ext]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:app.example.test, DNS:*.example.test

[must_staple_ext]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:app.example.test, DNS:*.example.test
tlsfeature = status_request
`;

/** A minimal `openssl ca` configuration over a database in `dir`. */
function caConfig(dir) {
  return `
[ca]
default_ca = test_ca

[test_ca]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = any_policy
unique_subject = no
email_in_dn = no
copy_extensions = none

[any_policy]
commonName = supplied
organizationName = optional
${EXTENSIONS}`;
}

/**
 * Makes every certificate and key the certificate tests need, under `<dir>/certs`, and returns their
 * paths (relative to `dir`, as a config next to them would name them) plus what tests compare with.
 * Takes about a second (mostly RSA key generation).
 *
 * @example
 *   const set = makeCertificates();          // a fresh temp dir
 *   set.rel.leafChain                         // 'certs/leaf-chain.pem'
 *   set.cleanup();
 */
export function makeCertificates(dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-certs-')))) {
  const certs = path.join(dir, 'certs');
  const work = path.join(dir, '.openssl');
  fs.mkdirSync(certs, { recursive: true });
  fs.mkdirSync(path.join(work, 'issued'), { recursive: true });
  fs.writeFileSync(path.join(work, 'index.txt'), '');
  fs.writeFileSync(path.join(work, 'serial'), '1000\n');
  const cnf = path.join(work, 'openssl.cnf');
  fs.writeFileSync(cnf, caConfig(work));

  const c = (name) => path.join(certs, name);
  const w = (name) => path.join(work, name);
  const ecKey = (file) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  const rsaKey = (file) => openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file]);
  const selfSigned = (key, out, subj, ext, days = 3650, extra = []) =>
    openssl(['req', '-new', '-x509', '-key', key, '-out', out, '-subj', subj, '-days', String(days), '-sha256',
      '-config', cnf, '-extensions', ext, ...extra]);
  const csr = (key, out, subj, extra = []) => openssl(['req', '-new', '-key', key, '-out', out, '-subj', subj, '-config', cnf, ...extra]);
  /** Signs a CSR with `x509 -req -days` (validity starts now). */
  const sign = (csrFile, out, issuerCert, issuerKey, ext, days, digest = '-sha256') =>
    openssl(['x509', '-req', '-in', csrFile, '-out', out, '-CA', issuerCert, '-CAkey', issuerKey, '-CAserial', w('x509.srl'),
      '-CAcreateserial', '-days', String(days), digest, '-extfile', cnf, '-extensions', ext]);
  /** Signs a CSR with `openssl ca`, for validity windows that do not start now. */
  const signDated = (csrFile, out, issuerCert, issuerKey, ext, startDays, endDays) =>
    openssl(['ca', '-batch', '-notext', '-config', cnf, '-in', csrFile, '-out', out, '-cert', issuerCert, '-keyfile', issuerKey,
      '-extensions', ext, '-startdate', utcTime(startDays), '-enddate', utcTime(endDays)]);
  const cat = (out, ...files) => fs.writeFileSync(out, files.map((f) => fs.readFileSync(f, 'utf8')).join(''));

  // Root CA → intermediate → leaf (EC P-256 throughout; the leaf's SAN has a wildcard).
  ecKey(w('root.key'));
  selfSigned(w('root.key'), c('root-ca.pem'), '/CN=nginx-ls Test Root CA/O=nginx-ls tests', 'ca_ext');
  ecKey(w('intermediate.key'));
  csr(w('intermediate.key'), w('intermediate.csr'), '/CN=nginx-ls Test Intermediate CA/O=nginx-ls tests');
  sign(w('intermediate.csr'), c('intermediate.pem'), c('root-ca.pem'), w('root.key'), 'intermediate_ext', 1825);
  ecKey(c('leaf.key'));
  csr(c('leaf.key'), w('leaf.csr'), '/CN=app.example.test/O=nginx-ls tests');
  sign(w('leaf.csr'), c('leaf.pem'), c('intermediate.pem'), w('intermediate.key'), 'leaf_ext', 365);
  cat(c('leaf-chain.pem'), c('leaf.pem'), c('intermediate.pem'));
  cat(c('wrong-order.pem'), c('intermediate.pem'), c('leaf.pem'));

  // Dated leaves, all on the same key as the good leaf (so only their dates are wrong).
  signDated(w('leaf.csr'), c('expired.pem'), c('intermediate.pem'), w('intermediate.key'), 'leaf_ext', -400, -10);
  signDated(w('leaf.csr'), c('not-yet-valid.pem'), c('intermediate.pem'), w('intermediate.key'), 'leaf_ext', 30, 400);
  sign(w('leaf.csr'), c('expiring.pem'), c('intermediate.pem'), w('intermediate.key'), 'leaf_ext', 10);

  // A bundle of several CA certificates (the root and two other self-signed roots).
  ecKey(w('other-ca-1.key'));
  selfSigned(w('other-ca-1.key'), w('other-ca-1.pem'), '/CN=nginx-ls Other CA 1', 'ca_ext');
  rsaKey(w('other-ca-2.key'));
  selfSigned(w('other-ca-2.key'), w('other-ca-2.pem'), '/CN=nginx-ls Other CA 2', 'ca_ext');
  cat(c('ca-bundle.pem'), c('root-ca.pem'), w('other-ca-1.pem'), w('other-ca-2.pem'));

  // Certificates in depth: a leaf signed with SHA-1, a must-staple leaf (both with the intermediate
  // after them), an RSA 1024 self-signed certificate, the intermediate with its key (a CA served as
  // a server certificate), and a root that signed none of these.
  sign(w('leaf.csr'), w('sha1-leaf.pem'), c('intermediate.pem'), w('intermediate.key'), 'leaf_ext', 365, '-sha1');
  cat(c('sha1-chain.pem'), w('sha1-leaf.pem'), c('intermediate.pem'));
  sign(w('leaf.csr'), w('must-staple.pem'), c('intermediate.pem'), w('intermediate.key'), 'must_staple_ext', 365);
  cat(c('must-staple-chain.pem'), w('must-staple.pem'), c('intermediate.pem'));
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', c('weak-rsa.key')]);
  selfSigned(c('weak-rsa.key'), c('weak-rsa.pem'), '/CN=app.example.test', 'self_leaf_ext', 365);
  fs.copyFileSync(w('intermediate.key'), c('intermediate.key'));
  fs.copyFileSync(w('other-ca-1.pem'), c('other-ca.pem'));

  // The leaf in DER.
  openssl(['x509', '-in', c('leaf.pem'), '-outform', 'DER', '-out', c('leaf.der')]);

  // The leaf's key as encrypted PKCS#8 (passphrase in a password file, as nginx would read it).
  const passphrase = 'correct horse battery staple';
  fs.writeFileSync(c('leaf.pass'), passphrase + '\n');
  openssl(['pkcs8', '-topk8', '-in', c('leaf.key'), '-out', c('leaf-encrypted.key'), '-v2', 'aes-256-cbc',
    '-passout', `pass:${passphrase}`]);

  // RSA pair (PKCS#1 "RSA PRIVATE KEY") and EC pair (SEC1 "EC PRIVATE KEY"), self-signed.
  openssl(['genrsa', '-traditional', '-out', c('rsa.key'), '2048']);
  selfSigned(c('rsa.key'), c('rsa.pem'), '/CN=app.example.test', 'self_leaf_ext', 365);
  openssl(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', c('ec.key')]);
  selfSigned(c('ec.key'), c('ec.pem'), '/CN=app.example.test', 'self_leaf_ext', 365);

  // A certificate with a key that is not its own.
  ecKey(c('mismatch.key'));

  // A non-ASCII subject.
  ecKey(w('unicode.key'));
  selfSigned(w('unicode.key'), c('unicode.pem'), '/CN=tëst.example/O=Ünïcode', 'self_leaf_ext', 365, ['-utf8']);

  // Things that are not certificates.
  fs.writeFileSync(c('garbage.pem'), Buffer.concat([Buffer.from('this is not a certificate\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80])]));
  const fifo = c('fifo.pem');
  const mk = spawnSync('mkfifo', [fifo]);
  if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
  fs.mkdirSync(c('directory.pem'));

  const rel = {
    rootCa: 'certs/root-ca.pem',
    intermediate: 'certs/intermediate.pem',
    leaf: 'certs/leaf.pem',
    leafChain: 'certs/leaf-chain.pem',
    leafKey: 'certs/leaf.key',
    wrongOrder: 'certs/wrong-order.pem',
    expired: 'certs/expired.pem',
    notYetValid: 'certs/not-yet-valid.pem',
    expiring: 'certs/expiring.pem',
    caBundle: 'certs/ca-bundle.pem',
    der: 'certs/leaf.der',
    encryptedKey: 'certs/leaf-encrypted.key',
    passwordFile: 'certs/leaf.pass',
    rsaCert: 'certs/rsa.pem',
    rsaKey: 'certs/rsa.key',
    ecCert: 'certs/ec.pem',
    ecKey: 'certs/ec.key',
    mismatchKey: 'certs/mismatch.key',
    unicode: 'certs/unicode.pem',
    garbage: 'certs/garbage.pem',
    fifo: 'certs/fifo.pem',
    directory: 'certs/directory.pem',
    sha1Chain: 'certs/sha1-chain.pem',
    mustStapleChain: 'certs/must-staple-chain.pem',
    weakRsa: 'certs/weak-rsa.pem',
    weakRsaKey: 'certs/weak-rsa.key',
    intermediateKey: 'certs/intermediate.key',
    otherCa: 'certs/other-ca.pem',
  };
  const abs = Object.fromEntries(Object.entries(rel).map(([k, v]) => [k, path.join(dir, v)]));
  // Every private key made here (the ones tests configure and the CA keys that never leave `work`).
  const privateKeyFiles = [
    ...['leaf.key', 'leaf-encrypted.key', 'rsa.key', 'ec.key', 'mismatch.key', 'weak-rsa.key', 'intermediate.key'].map(c),
    ...['root.key', 'intermediate.key', 'other-ca-1.key', 'other-ca-2.key', 'unicode.key'].map(w),
  ];
  return {
    dir,
    rel,
    abs,
    passphrase,
    privateKeyFiles,
    /** Facts about a certificate file as openssl reports them, to compare hovers with. */
    describe: (file) => describeCertificate(path.resolve(dir, file)),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Subject, issuer, dates, serial and SHA-256 fingerprint of the first certificate in `file`, per openssl. */
export function describeCertificate(file) {
  const inform = file.endsWith('.der') ? ['-inform', 'DER'] : [];
  const out = openssl(['x509', '-in', file, ...inform, '-noout', '-serial', '-fingerprint', '-sha256', '-startdate', '-enddate',
    '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb', '-dateopt', 'iso_8601']);
  const field = (name) => new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(out)?.[1].trim();
  return {
    serial: field('serial'),
    sha256: field('sha256 Fingerprint') ?? field('SHA256 Fingerprint'),
    notBefore: new Date(field('notBefore').replace(' ', 'T')),
    notAfter: new Date(field('notAfter').replace(' ', 'T')),
    subject: field('subject'),
    issuer: field('issuer'),
  };
}

/** The base64 body lines of a PEM file (no BEGIN/END markers, no headers, no blank lines). */
export function pemBodyLines(file) {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l && !l.startsWith('-----') && !l.includes(':'));
}
