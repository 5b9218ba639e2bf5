/**
 * Checks the documents of a manifest file: builds the context of each Ingress (its annotations,
 * namespace, templated values, the report function) and hands it to the rule families of
 * rules/index.ts in their order; a Gateway, BackendTLSPolicy, HTTPRoute, GRPCRoute or F5 Policy goes
 * to the families that check its kind. What each rule checks is in its family's file.
 */
import { Finding, printable } from '../finding';
import { ANNOTATION_PREFIX, annotationInfo } from './annotations';
import {
  AnnotationEntry, IngressAnalysis, IngressContext, IngressOptions, Located, Report, ResourceContext,
} from './context';
import { ANALYSED_KINDS, ManifestDocument, ManifestFile, getPath, mapPairs, scalarString } from './manifest';
import { IngressClassManifest, decideController, ingressClassesIn } from './controller';
import { INGRESS_FAMILIES, familiesFor } from './rules';
import { Node, isScalar } from 'yaml';

export function analyzeIngressFile(file: string, manifests: ManifestFile, options: IngressOptions): IngressAnalysis {
  const result: IngressAnalysis = { findings: [], snippets: [], secretReferences: [], annotations: [] };
  if (options.now) result.now = options.now;
  const withClasses = { ...options, ingressClasses: withOwnClasses(file, manifests, options.ingressClasses) };
  for (const doc of manifests.documents) {
    if (doc.kind === 'ingress') analyzeIngress(ingressContext(file, manifests, doc, withClasses, result));
    else if (ANALYSED_KINDS.has(doc.kind)) analyzeResource(resourceContext(file, manifests, doc, options, result));
  }
  return result;
}

/** The workspace's IngressClasses, with this file's own (the file may be no candidate: unsaved, or checked alone). */
function withOwnClasses(file: string, manifests: ManifestFile, classes: IngressOptions['ingressClasses']) {
  const own = ingressClassesIn(file, manifests);
  if (own.length === 0) return classes;
  const merged = new Map<string, readonly IngressClassManifest[]>();
  for (const [name, list] of classes ?? []) merged.set(name, list.filter((c) => c.file !== file));
  for (const c of own) merged.set(c.name, [...(merged.get(c.name) ?? []), c]);
  return merged;
}

function analyzeIngress(ingress: IngressContext): void {
  const checkers = familiesFor(ingress.controller.controller).flatMap((family) => (family.check ? [family.check(ingress)] : []));
  for (const entry of ingress.annotations.values()) {
    if (entry.key.startsWith(ANNOTATION_PREFIX)) {
      ingress.result.annotations.push({ key: entry.keyNode, info: annotationInfo(entry.key), value: entry.value });
    }
    for (const checker of checkers) if (checker.annotation?.(entry) === false) break;
  }
  for (const checker of checkers) checker.done?.();
}

function analyzeResource(resource: ResourceContext): void {
  for (const family of INGRESS_FAMILIES) family.resources?.[resource.doc.kind]?.(resource);
}

function reporter(file: string, doc: ManifestDocument, result: IngressAnalysis): Report {
  return (node, code, message, data, severity) => {
    const [start, end] = node.range ?? [doc.start, doc.start];
    const finding: Finding = { file, start, end, code, message: printable(message) };
    if (data) finding.data = data;
    if (severity) finding.severity = severity;
    result.findings.push(finding);
  };
}

function templatedTest(manifests: ManifestFile): (node: Located) => boolean {
  return (node) => {
    const range = node.range;
    return !!range && manifests.templates.some((t) => t.start < range[1] && t.end > range[0]);
  };
}

function resourceContext(file: string, manifests: ManifestFile, doc: ManifestDocument, options: IngressOptions,
  result: IngressAnalysis): ResourceContext {
  const root = doc.document.contents as Node;
  return {
    file, manifests, doc, root, options, result, isTemplated: templatedTest(manifests), report: reporter(file, doc, result),
    name: scalarString(getPath(root, 'metadata', 'name')) ?? '',
    namespace: scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default',
  };
}

function ingressContext(file: string, manifests: ManifestFile, doc: ManifestDocument, options: IngressOptions,
  result: IngressAnalysis): IngressContext {
  const root = doc.document.contents;
  const annotations = new Map<string, AnnotationEntry>();
  for (const pair of mapPairs(getPath(root, 'metadata', 'annotations'))) {
    const key = String(pair.key.value);
    annotations.set(key, { key, keyNode: pair.key, value: pair.value as Node | null });
  }
  const isTemplated = templatedTest(manifests);
  const templated = (name: string) => {
    const entry = annotations.get(ANNOTATION_PREFIX + name);
    return !!entry?.value && isTemplated(entry.value);
  };
  const text = (name: string) => {
    const entry = annotations.get(ANNOTATION_PREFIX + name);
    return entry && isScalar(entry.value) && entry.value.value !== null ? String(entry.value.value) : undefined;
  };
  const controller = decideController(doc, [...annotations.keys()], options.ingressClasses ?? new Map(), options.controller ?? 'auto');
  return {
    file, manifests, doc, options, result, annotations, text, templated, isTemplated, report: reporter(file, doc, result), controller,
    namespace: scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default',
    backendVerified: text('proxy-ssl-secret') !== undefined && text('proxy-ssl-verify') === 'on',
  };
}
