/**
 * The Secrets that auth-tls-secret and proxy-ssl-secret name, followed to the manifests in the
 * workspace:
 * - ingress-secret-ref: a value that is not namespace/name;
 * - ingress-secret-unresolved: no Secret manifest of that name in the workspace;
 * - ingress-secret-missing-key: the Secret has no ca.crt;
 * - and, on the Secret reference, the nginx certificates family's cert-unreadable and cert-expired
 *   when the ca.crt it holds is no certificate, or every certificate in it has expired (that family
 *   owns the conditions and messages: ../../nginx/rules/certificates.ts).
 * Cases: secrets.cases/.
 */
import { Scalar, isScalar } from 'yaml';
import { readContents } from '../../nginx/certificates';
import { reportExpiredCaBundle, reportNoCertificate } from '../../nginx/rules/certificates';
import { ANNOTATION_PREFIX } from '../annotations';
import type { RuleId } from '../../rules';
import type { IngressContext, IngressFamily, SecretReference } from '../context';

/** The annotations whose value names a Secret holding ca.crt, in the order they are checked. */
const SECRET_ANNOTATIONS = ['auth-tls-secret', 'proxy-ssl-secret'];

/** `namespace/name`, or a bare `name` in the Ingress' own namespace (as ingress-nginx splits it). */
const SECRET_REF = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

export const family: IngressFamily = {
  name: 'secrets',
  rules: ['ingress-secret-ref', 'ingress-secret-unresolved', 'ingress-secret-missing-key'],
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
  const reportHere = (code: RuleId, message: string) => report(value, code, message);
  const contents = readContents(secret.caCrt);
  if (contents.kind !== 'certificates') {
    reportNoCertificate(`ca.crt of Secret ${where}`, reportHere);
    return;
  }
  reference.certificates = contents.certificates;
  if (options.now) reportExpiredCaBundle(contents.certificates, options.now, `Secret ${where}`, reportHere);
}
