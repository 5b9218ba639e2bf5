/**
 * TLS to the backend, as ingress-nginx renders it from the proxy-ssl-* annotations:
 * - ingress-backend-tls-unverified: backend-protocol HTTPS or GRPCS without verification;
 * - ingress-proxy-ssl-ignored: a proxy-ssl-* annotation without proxy-ssl-secret (ignored);
 * - ingress-proxy-ssl-name: verification without proxy-ssl-name (the name checked is upstream_balancer).
 * The quick fix of the first and the last adds the missing proxy-ssl annotations.
 * A value a Helm template decides is not judged. Cases: backend-tls.cases/.
 */
import { Scalar, YAMLSeq, isSeq } from 'yaml';
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import { ANNOTATION_PREFIX } from '../annotations';
import type { IngressFamily, IngressFixDoc } from '../context';
import { getPath, mapPairs, scalarString } from '../manifest';

export const family: IngressFamily = {
  name: 'backend-tls',
  rules: ['ingress-backend-tls-unverified', 'ingress-proxy-ssl-ignored', 'ingress-proxy-ssl-name'],
  check(ingress) {
    const { report, text, templated, annotations } = ingress;
    return {
      done() {
        const protocol = text('backend-protocol')?.trim().toUpperCase();
        const secret = text('proxy-ssl-secret');
        const verifying = ingress.backendVerified;
        const decided = !templated('proxy-ssl-verify') && !templated('backend-protocol');
        if ((protocol === 'HTTPS' || protocol === 'GRPCS') && !verifying && decided) {
          const node = annotations.get(ANNOTATION_PREFIX + 'backend-protocol')!.value!;
          const missing = secret === undefined ? 'no proxy-ssl-secret is set' : 'proxy-ssl-verify is not "on"';
          report(node, 'ingress-backend-tls-unverified',
            `backend-protocol ${protocol} renders "proxy_pass https://upstream_balancer" without certificate verification: ${missing}. `
            + 'Add proxy-ssl-secret (the CA), proxy-ssl-verify: "on" and proxy-ssl-name.', { protocol });
        }
        if (secret === undefined) {
          for (const [key, { keyNode }] of annotations) {
            if (key.startsWith(ANNOTATION_PREFIX + 'proxy-ssl-') && key !== ANNOTATION_PREFIX + 'proxy-ssl-secret') {
              report(keyNode, 'ingress-proxy-ssl-ignored', `"${key.slice(ANNOTATION_PREFIX.length)}" is ignored: `
                + 'ingress-nginx applies proxy-ssl-* annotations only together with proxy-ssl-secret');
            }
          }
        }
        if (verifying && text('proxy-ssl-name') === undefined) {
          report(annotations.get(ANNOTATION_PREFIX + 'proxy-ssl-verify')!.value!, 'ingress-proxy-ssl-name',
            'verification is on but proxy-ssl-name is not set: the name checked is "upstream_balancer", '
            + 'which no backend certificate carries, so every request fails. Set proxy-ssl-name to the name in the backend certificate '
            + '(and proxy-ssl-server-name: "on" to send it as SNI).');
        }
      },
    };
  },
  fixes: {
    'ingress-backend-tls-unverified': verificationFix,
    'ingress-proxy-ssl-name': verificationFix,
  },
};

function verificationFix({ text, doc }: IngressFixDoc, _diagnostic: DiagnosticRef): QuickFix[] {
  if (!doc) return [];
  const namespace = scalarString(getPath(doc.document.contents, 'metadata', 'namespace')) ?? 'default';
  const edit = addBackendVerification(text, doc.document.contents, namespace);
  if (!edit) return [];
  const title = 'Verify the backend certificate (proxy-ssl-secret, proxy-ssl-verify, proxy-ssl-name)';
  return [{ title, edits: [edit], isPreferred: true }];
}

/** Adds the proxy-ssl annotations that are missing, after the last annotation, with its indentation. */
function addBackendVerification(text: string, root: unknown, namespace: string): TextEdit | undefined {
  const annotations = getPath(root, 'metadata', 'annotations');
  const pairs = mapPairs(annotations);
  if (pairs.length === 0) return undefined;
  const has = (name: string) => pairs.some((p) => p.key.value === ANNOTATION_PREFIX + name);
  const service = firstServiceName(root) ?? 'backend';
  const wanted: [string, string][] = [
    ['proxy-ssl-secret', `${namespace}/${service}-ca`],
    ['proxy-ssl-verify', 'on'],
    ['proxy-ssl-name', `${service}.${namespace}.svc`],
    ['proxy-ssl-server-name', 'on'],
  ];
  const missing = wanted.filter(([name]) => !has(name));
  if (missing.length === 0) return undefined;
  const last = pairs[pairs.length - 1];
  const keyStart = last.key.range![0];
  const indent = text.slice(text.lastIndexOf('\n', keyStart - 1) + 1, keyStart);
  const valueEnd = (last.value as Scalar | null)?.range?.[1] ?? last.key.range![1];
  // A block scalar's range already ends after its final line break.
  const nextBreak = text.indexOf('\n', valueEnd);
  const lineEnd = text[valueEnd - 1] === '\n' ? valueEnd - 1 : nextBreak < 0 ? text.length : nextBreak;
  const newText = missing.map(([name, value]) => `\n${indent}${ANNOTATION_PREFIX}${name}: "${value}"`).join('');
  return { start: lineEnd, end: lineEnd, newText };
}

function firstServiceName(root: unknown): string | undefined {
  const rules = getPath(root, 'spec', 'rules');
  if (isSeq(rules)) {
    for (const rule of (rules as YAMLSeq).items) {
      const paths = getPath(rule, 'http', 'paths');
      if (!isSeq(paths)) continue;
      for (const p of (paths as YAMLSeq).items) {
        const name = scalarString(getPath(p, 'backend', 'service', 'name')) ?? scalarString(getPath(p, 'backend', 'serviceName'));
        if (name) return name;
      }
    }
  }
  return scalarString(getPath(root, 'spec', 'defaultBackend', 'service', 'name'))
    ?? scalarString(getPath(root, 'spec', 'backend', 'serviceName'));
}
