/**
 * The Secrets that auth-tls-secret and proxy-ssl-secret name, followed to the manifests in the
 * workspace:
 * - ingress-secret-ref: a value that is not namespace/name;
 * - ingress-secret-unresolved: no Secret manifest of that name in the workspace;
 * - ingress-secret-missing-key: the Secret has no ca.crt;
 * - cert-unreadable, cert-expired: the ca.crt it holds is no certificate, or every certificate in it
 *   has expired. These two rule ids are shared with the nginx certificates family, which reports
 *   them on files; here they are reported on the Secret reference.
 * Cases: secrets.cases/.
 */
import { Scalar, isScalar } from 'yaml';
import { daysBetween, isoDate, readContents } from '../../nginx';
import { ANNOTATION_PREFIX } from '../annotations';
import type { IngressContext, IngressFamily, SecretReference } from '../context';

/** The annotations whose value names a Secret holding ca.crt, in the order they are checked. */
const SECRET_ANNOTATIONS = ['auth-tls-secret', 'proxy-ssl-secret'];

/** `namespace/name`, or a bare `name` in the Ingress' own namespace (as ingress-nginx splits it). */
const SECRET_REF = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

export const family: IngressFamily = {
  name: 'secrets',
  rules: ['ingress-secret-ref', 'ingress-secret-unresolved', 'ingress-secret-missing-key', 'cert-unreadable', 'cert-expired'],
  check(ingress) {
    return {
      done() {
        for (const name of SECRET_ANNOTATIONS) {
          const entry = ingress.annotations.get(ANNOTATION_PREFIX + name);
          if (!entry || !isScalar(entry.value) || ingress.isTemplated(entry.value) || typeof entry.value.value !== 'string') continue;
          checkSecretReference(ingress, name, entry.value as Scalar);
        }
      },
    };
  },
};

function checkSecretReference(ingress: IngressContext, annotation: string, value: Scalar): void {
  const { report, options } = ingress;
  const ref = String(value.value);
  const m = SECRET_REF.exec(ref);
  if (!m) {
    report(value, 'ingress-secret-ref', `"${ref}" is not a Secret reference: write namespace/name (lowercase letters, digits and "-")`);
    return;
  }
  if (!m[1]) {
    // ingress-nginx splits the value on "/" and denies the Ingress' locations without a namespace.
    report(value, 'ingress-secret-ref',
      `"${ref}" has no namespace: write "${ingress.namespace}/${ref}" (ingress-nginx requires namespace/name here)`);
    return;
  }
  const reference: SecretReference = { annotation, value, namespace: m[1], name: m[3] };
  const where = `"${reference.namespace}/${reference.name}"`;
  ingress.result.secretReferences.push(reference);
  const secret = options.secrets?.get(`${reference.namespace}/${reference.name}`);
  if (!secret) {
    report(value, 'ingress-secret-unresolved', `no Secret ${where} in the workspace, so its CA certificates cannot be checked`);
    return;
  }
  reference.secret = secret;
  if (!secret.keys.has('ca.crt')) {
    report(value, 'ingress-secret-missing-key',
      `Secret ${where} has no ca.crt: ${annotation} needs the CA certificate(s) under that key `
      + `(${[...secret.keys].join(', ') || 'it has no keys'})`);
    return;
  }
  if (!secret.caCrt) return;
  const contents = readContents(secret.caCrt);
  if (contents.kind !== 'certificates') {
    report(value, 'cert-unreadable', `ca.crt of Secret ${where} holds no certificate`);
    return;
  }
  reference.certificates = contents.certificates;
  const now = options.now;
  if (!now) return;
  const expired = contents.certificates.filter((c) => c.notAfter < now);
  if (expired.length && expired.length === contents.certificates.length) {
    const first = expired[0];
    report(value, 'cert-expired',
      `the CA certificate "${first.subject}" in Secret ${where} expired on ${isoDate(first.notAfter)}, `
      + `${daysBetween(first.notAfter, now)} days ago`);
  }
}
