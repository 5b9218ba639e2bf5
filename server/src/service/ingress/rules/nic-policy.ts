/**
 * F5 NGINX Ingress Controller's Policy resource (k8s.nginx.org/v1), the TLS parts: `egressMTLS`
 * (TLS to the upstream) and `ingressMTLS` (client certificates). Read as NIC renders them
 * (internal/configs/policy.go, validation/policy.go):
 * - nic-egress-unverified: egressMTLS without verifyServer: true renders proxy_ssl_verify off
 *   (quick fix: verifyServer: true, and a trustedCertSecret to fill in);
 * - nic-egress-trusted-cert-missing: verifyServer: true without trustedCertSecret, which NIC's
 *   validation refuses (quick fix: add one);
 * - nic-egress-legacy-protocols: protocols allowing TLSv1 or TLSv1.1, which is also what NIC writes
 *   when protocols is unset ("TLSv1 TLSv1.1 TLSv1.2"; quick fix: "TLSv1.2 TLSv1.3");
 * - nic-verify-client: ingressMTLS.verifyClient unquoted where YAML 1.1 (Kubernetes') reads a boolean
 *   (on, off …; the field is a string, so the API server refuses the Policy; quick fix: quote it), or
 *   not one of on, off, optional, optional_no_ca;
 * - nic-ca-secret-type: clientCertSecret or trustedCertSecret naming a Secret of the workspace whose
 *   type is not nginx.org/ca (NIC refuses the Policy).
 * The CA Secrets are followed like an Ingress' (secrets family's checkCaReference). Cases: nic-policy.cases/.
 */
import { Node, Scalar, isMap, isScalar } from 'yaml';
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { IngressFamily, IngressFixDoc, ResourceContext } from '../context';
import { getPath, pairOf, scalarString } from '../manifest';
import { appendToMap, blockMap, replaceScalar } from '../yaml-edits';
import { checkCaReference } from './secrets';

const VERIFY_CLIENT = ['on', 'off', 'optional', 'optional_no_ca'];
/** What YAML 1.1 (sigs.k8s.io/yaml, which Kubernetes reads manifests with) reads as true or false in a plain scalar. */
const YAML11_TRUE = /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const YAML11_FALSE = /^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
/** The protocols NIC writes into proxy_ssl_protocols when egressMTLS.protocols is unset (policy.go). */
const DEFAULT_PROTOCOLS = 'TLSv1 TLSv1.1 TLSv1.2';
const MODERN_PROTOCOLS = 'TLSv1.2 TLSv1.3';

export const family: IngressFamily = {
  name: 'nic-policy',
  rules: ['nic-egress-unverified', 'nic-egress-trusted-cert-missing', 'nic-egress-legacy-protocols', 'nic-verify-client',
    'nic-ca-secret-type'],
  resources: { 'nic-policy': checkPolicy },
  fixes: {
    'nic-egress-unverified': (doc, d) => egressFix(doc, d, 'Verify the upstream (verifyServer: true, trustedCertSecret)', true),
    'nic-egress-trusted-cert-missing': (doc, d) => egressFix(doc, d, 'Add trustedCertSecret (the Secret with the upstream\'s CA)', false),
    'nic-egress-legacy-protocols': protocolsFix,
    'nic-verify-client': verifyClientFix,
  },
};

/** A plain scalar's value as Kubernetes reads it: YAML 1.1 booleans, else the parsed value. */
function yaml11(node: Node | null | undefined, source: string): unknown {
  if (!isScalar(node)) return undefined;
  if (node.type === 'PLAIN') {
    const raw = source.slice(node.range![0], node.range![1]);
    if (YAML11_TRUE.test(raw)) return true;
    if (YAML11_FALSE.test(raw)) return false;
  }
  return node.value;
}

function checkPolicy(policy: ResourceContext): void {
  const spec = getPath(policy.root, 'spec');
  const egress = pairOf(spec, 'egressMTLS');
  if (egress && isMap(egress.value) && !policy.isTemplated(egress.value)) checkEgress(policy, egress.key, egress.value);
  const ingress = pairOf(spec, 'ingressMTLS');
  if (ingress && isMap(ingress.value) && !policy.isTemplated(ingress.value)) checkIngress(policy, ingress.value);
}

function checkEgress(policy: ResourceContext, key: Scalar, egress: Node): void {
  const { report } = policy;
  const source = policy.manifests.parsedText;
  const verifyPair = pairOf(egress, 'verifyServer');
  const verify = yaml11(verifyPair?.value, source);
  const trusted = getPath(egress, 'trustedCertSecret');
  if (verify !== true) {
    const how = verifyPair === undefined ? 'verifyServer is not set (false by default)'
      : typeof verify === 'string' ? `verifyServer is the string "${verify}", not a boolean (the API server refuses it)`
        : 'verifyServer is false';
    report(verifyPair?.value ?? key, 'nic-egress-unverified', `unverified upstream: ${how}, so NIC renders proxy_ssl_verify off `
      + 'and any certificate the upstream (or anyone on the path) presents is accepted. Set verifyServer: true and '
      + 'trustedCertSecret (a Secret of type nginx.org/ca with the upstream\'s CA)');
  } else if (!isScalar(trusted) || scalarString(trusted) === '') {
    report(verifyPair!.value!, 'nic-egress-trusted-cert-missing', 'NIC refuses this Policy: verifyServer: true needs '
      + 'trustedCertSecret (the Secret of type nginx.org/ca holding the CA the upstream certificate is checked against)');
  }
  const protocols = getPath(egress, 'protocols');
  const written = scalarString(protocols);
  const legacy = (written ?? DEFAULT_PROTOCOLS).split(/\s+/).filter((p) => /^(SSLv[23]|TLSv1(\.1)?)$/.test(p));
  if (legacy.length && !(protocols && policy.isTemplated(protocols))) {
    report(written !== undefined ? protocols! : key, 'nic-egress-legacy-protocols', `${legacy.join(' and ')} allowed to the upstream: `
      + (written === undefined ? `protocols is unset, and NIC then writes proxy_ssl_protocols ${DEFAULT_PROTOCOLS}`
        : `protocols is "${written}"`)
      + `. Set protocols: "${MODERN_PROTOCOLS}" unless the upstream cannot speak TLSv1.2`, { written: written !== undefined });
  }
  if (isScalar(trusted)) checkCaSecret(policy, trusted, 'egressMTLS.trustedCertSecret');
}

function checkIngress(policy: ResourceContext, ingress: Node): void {
  const verify = getPath(ingress, 'verifyClient');
  if (isScalar(verify) && !policy.isTemplated(verify)) {
    const raw = policy.manifests.parsedText.slice(verify.range![0], verify.range![1]);
    if (verify.type === 'PLAIN' && (YAML11_TRUE.test(raw) || YAML11_FALSE.test(raw))) {
      policy.report(verify, 'nic-verify-client', `the API server refuses this Policy: YAML reads the unquoted ${raw} as a boolean, `
        + `and verifyClient is a string. Quote it: "${raw}"`, { quote: raw });
    } else if (!VERIFY_CLIENT.includes(String(verify.value))) {
      policy.report(verify, 'nic-verify-client', `NIC refuses this Policy: verifyClient "${String(verify.value)}" is not one of `
        + `${VERIFY_CLIENT.map((v) => `"${v}"`).join(', ')}`);
    }
  }
  const secret = getPath(ingress, 'clientCertSecret');
  if (isScalar(secret)) checkCaSecret(policy, secret, 'ingressMTLS.clientCertSecret');
}

/** A CA Secret of the Policy (a name in its namespace): followed to its certificates, and its type checked. */
function checkCaSecret(policy: ResourceContext, value: Scalar, field: string): void {
  if (typeof value.value !== 'string' || value.value === '' || policy.isTemplated(value)) return;
  const secret = checkCaReference(policy, { annotation: field, kind: 'Secret', value, name: value.value, namespace: policy.namespace });
  if (secret && secret.type !== 'nginx.org/ca') {
    policy.report(value, 'nic-ca-secret-type', `NIC refuses this Policy: Secret "${policy.namespace}/${value.value}" is of type `
      + `${secret.type ?? 'Opaque (no type written)'}, and ${field} must name a Secret of type nginx.org/ca (with the CA under ca.crt)`);
  }
}

/** The egressMTLS map of the Policy document the diagnostic is in. */
function egressOf({ manifests }: IngressFixDoc, diagnostic: DiagnosticRef) {
  const doc = manifests.documents.find((d) => diagnostic.start >= d.start && diagnostic.start <= d.end);
  return doc && blockMap(getPath(doc.document.contents, 'spec', 'egressMTLS'));
}

function egressFix(fixDoc: IngressFixDoc, diagnostic: DiagnosticRef, title: string, setVerify: boolean): QuickFix[] {
  const egress = egressOf(fixDoc, diagnostic);
  if (!egress) return [];
  const edits: TextEdit[] = [];
  const added: [string, string][] = [];
  const verify = getPath(egress, 'verifyServer');
  if (setVerify) {
    if (isScalar(verify)) edits.push(replaceScalar(verify, 'true'));
    else added.push(['verifyServer', 'true']);
  }
  if (scalarString(getPath(egress, 'trustedCertSecret')) === undefined) {
    const name = scalarString(getPath(fixDoc.doc?.document.contents, 'metadata', 'name')) ?? 'upstream';
    added.push(['trustedCertSecret', `${name}-ca`]);
  }
  if (added.length) {
    const edit = appendToMap(fixDoc.text, egress, added);
    if (!edit) return [];
    edits.push(edit);
  }
  return edits.length ? [{ title, isPreferred: true, edits }] : [];
}

function protocolsFix(fixDoc: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const title = `Allow only ${MODERN_PROTOCOLS}`;
  if (diagnostic.data?.written) {
    return [{ title, isPreferred: true, edits: [{ start: diagnostic.start, end: diagnostic.end, newText: `"${MODERN_PROTOCOLS}"` }] }];
  }
  const egress = egressOf(fixDoc, diagnostic);
  const edit = egress && appendToMap(fixDoc.text, egress, [['protocols', `"${MODERN_PROTOCOLS}"`]]);
  return edit ? [{ title, isPreferred: true, edits: [edit] }] : [];
}

function verifyClientFix({ text }: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const raw = diagnostic.data?.quote;
  if (typeof raw === 'string') {
    const edit = { start: diagnostic.start, end: diagnostic.end, newText: `"${raw}"` };
    return [{ title: `Quote the value: "${raw}"`, isPreferred: true, edits: [edit] }];
  }
  const current = text.slice(diagnostic.start, diagnostic.end);
  return VERIFY_CLIENT.filter((v) => `"${v}"` !== current).map((v) => ({
    title: `Set verifyClient to "${v}"`, isPreferred: v === 'on',
    edits: [{ start: diagnostic.start, end: diagnostic.end, newText: `"${v}"` }],
  }));
}
