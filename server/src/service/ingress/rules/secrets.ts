/**
 * The Secrets that auth-tls-secret and proxy-ssl-secret name, followed to the manifests in the
 * workspace (and, through checkCaReference, the CA Secrets and ConfigMaps that BackendTLSPolicies and
 * F5 Policies name):
 * - ingress-secret-ref: a value that is not namespace/name;
 * - ingress-secret-unresolved: no Secret (or ConfigMap) manifest of that name in the workspace;
 * - ingress-secret-missing-key: it has no ca.crt;
 * - and, on the Secret reference, the nginx certificates family's cert-unreadable and cert-expired
 *   when the ca.crt it holds is no certificate, or every certificate in it has expired, and cert-not-ca
 *   when one in it is not a CA (that family
 *   owns the conditions and messages: ../../nginx/rules/certificates.ts).
 * Cases: secrets.cases/.
 */
import { Scalar, isScalar } from 'yaml';
import { readContents } from '../../nginx/certificates';
import { reportExpiredCaBundle, reportNoCertificate, reportNotCaInBundle } from '../../nginx/rules/certificates';
import { ANNOTATION_PREFIX } from '../annotations';
import type { RuleId } from '../../rules';
import type { IngressContext, IngressFamily, SecretManifest, SecretReference } from '../context';

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
  const { report } = ingress;
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
  checkCaReference(ingress, { annotation, value, namespace: m[1], name: m[3] });
}

/** Where a CA reference is checked from: an Ingress or another document (a BackendTLSPolicy, an F5 Policy). */
type ReferenceHolder = Pick<IngressContext, 'report' | 'options' | 'result'>;

/**
 * Follows a reference to a Secret or ConfigMap holding CA certificates under ca.crt to its manifest,
 * records it for hover and inlay hints, and reports what is wrong with it: not in the workspace, no
 * ca.crt, no certificate in it, every CA expired, a certificate that is not a CA. Returns the manifest
 * when found, for checks of its own (an F5 Policy's Secret type).
 */
export function checkCaReference(holder: ReferenceHolder, reference: SecretReference): SecretManifest | undefined {
  const { report, options } = holder;
  const { value } = reference;
  const kind = reference.kind ?? 'Secret';
  const where = `${kind} "${reference.namespace}/${reference.name}"`;
  holder.result.secretReferences.push(reference);
  const secret = kind === 'ConfigMap' ? options.resources?.configMap(reference.namespace, reference.name)
    : options.resources?.secret(reference.namespace, reference.name) ?? options.secrets?.get(`${reference.namespace}/${reference.name}`);
  if (!secret) {
    report(value, 'ingress-secret-unresolved', `no ${where} in the workspace, so its CA certificates cannot be checked`);
    return undefined;
  }
  reference.secret = secret;
  if (!secret.keys.has('ca.crt')) {
    report(value, 'ingress-secret-missing-key',
      `${where} has no ca.crt: ${reference.annotation} needs the CA certificate(s) under that key `
      + `(${[...secret.keys].join(', ') || 'it has no keys'})`);
    return secret;
  }
  if (!secret.caCrt) return secret;
  const reportHere = (code: RuleId, message: string) => report(value, code, message);
  const contents = readContents(secret.caCrt);
  if (contents.kind !== 'certificates') {
    reportNoCertificate(`ca.crt of ${where}`, reportHere);
    return secret;
  }
  reference.certificates = contents.certificates;
  if (options.now) reportExpiredCaBundle(contents.certificates, options.now, where, reportHere);
  reportNotCaInBundle(contents.certificates, `ca.crt of ${where}`, reportHere);
  return secret;
}
