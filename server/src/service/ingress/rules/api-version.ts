/**
 * ingress-deprecated-api: an Ingress in networking.k8s.io/v1beta1 or extensions/v1beta1, which
 * Kubernetes 1.22 removed. The quick fix rewrites the document as networking.k8s.io/v1.
 * Cases: api-version.cases/.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { IngressFamily, IngressFixDoc } from '../context';
import type { DiagnosticRef, QuickFix } from '../../family';
import { getPath, scalarString } from '../manifest';

export const family: IngressFamily = {
  name: 'api-version',
  rules: ['ingress-deprecated-api'],
  check(ingress) {
    const apiVersion = ingress.doc.document.get('apiVersion', true) as Scalar;
    if (scalarString(apiVersion) !== 'networking.k8s.io/v1') {
      ingress.report(apiVersion, 'ingress-deprecated-api',
        `${scalarString(apiVersion)} Ingress was removed in Kubernetes 1.22: use networking.k8s.io/v1 (a quick fix migrates the manifest)`,
        { migrate: true });
    }
    return {};
  },
  fixes: { 'ingress-deprecated-api': migrateFix },
};

function migrateFix({ text, manifests, doc }: IngressFixDoc, _diagnostic: DiagnosticRef): QuickFix[] {
  if (!doc || manifests.templates.some((t) => t.start < doc.end && t.end > doc.start)) return [];
  const migrated = migrateToV1(text.slice(doc.start, doc.end));
  if (!migrated) return [];
  const edit = { start: doc.start, end: doc.end, newText: migrated };
  return [{ title: 'Migrate this Ingress to networking.k8s.io/v1', edits: [edit], isPreferred: true }];
}

/**
 * Rewrites a v1beta1/extensions Ingress as networking.k8s.io/v1: serviceName/servicePort become
 * service.name and port.number (or port.name), every path gets pathType ImplementationSpecific
 * (the old meaning), spec.backend becomes spec.defaultBackend. Comments are kept.
 */
export function migrateToV1(documentText: string): string | undefined {
  const doc = parseDocument(documentText, { keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  doc.set('apiVersion', 'networking.k8s.io/v1');
  const spec = doc.get('spec', true);
  if (isMap(spec)) {
    // Renamed in place, so the default backend stays where the author put it.
    const backendPair = spec.items.find((p) => isScalar(p.key) && p.key.value === 'backend');
    if (backendPair && isMap(backendPair.value)) {
      (backendPair.key as Scalar).value = 'defaultBackend';
      backendPair.value = convertBackend(doc, backendPair.value as YAMLMap);
    }
    const rules = spec.get('rules', true);
    if (isSeq(rules)) {
      for (const rule of rules.items) {
        const paths = getPath(rule, 'http', 'paths');
        if (!isSeq(paths)) continue;
        for (const p of (paths as YAMLSeq).items) {
          if (!isMap(p)) continue;
          const b = p.get('backend', true);
          if (isMap(b)) p.set('backend', convertBackend(doc, b));
          if (!p.has('pathType')) {
            // Keep path first, then pathType, as kubectl prints it.
            const pair = doc.createPair('pathType', 'ImplementationSpecific');
            const index = p.items.findIndex((item) => isScalar(item.key) && item.key.value === 'path');
            p.items.splice(index + 1, 0, pair as Pair<unknown, unknown>);
          }
        }
      }
    }
  }
  let out = doc.toString({ lineWidth: 0 });
  if (!documentText.endsWith('\n')) out = out.replace(/\n$/, '');
  return out;
}

function convertBackend(doc: ReturnType<typeof parseDocument>, backend: YAMLMap): YAMLMap {
  const name = backend.get('serviceName');
  const port = backend.get('servicePort');
  if (name === undefined) return backend;
  const numeric = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port));
  const portNode = numeric ? { number: Number(port) } : { name: String(port) };
  const converted = doc.createNode({ service: { name, port: portNode } }) as YAMLMap;
  for (const item of backend.items) {
    if (isScalar(item.key) && (item.key.value === 'serviceName' || item.key.value === 'servicePort')) continue;
    converted.items.push(item);
  }
  return converted;
}
