/**
 * Editor features for Ingress manifests: hover (annotations, Secret references, nginx inside
 * snippets), completion of annotation keys and values, and quick fixes (migrate to
 * networking.k8s.io/v1, quote values, verify HTTPS backends, rename misspelled annotations).
 */
import { parseDocument, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import ingressSnippets from '../../../../snippets/ingress.json';
import { hover as nginxHover, HoverResult } from '../nginx';
import { QuickFix, TextEdit } from '../family';
import { daysBetween, isoDate } from '../nginx/certificates';
import { ANNOTATIONS, ANNOTATION_PREFIX, AnnotationInfo } from './annotations';
import { IngressAnalysis, SecretReference } from './analyze';
import { ManifestFile, getPath, mapPairs, parseManifests, scalarString } from './manifest';
import { CompletionEntry } from '../nginx/completion';

export function ingressHover(manifests: ManifestFile, analysis: IngressAnalysis, offset: number, now: Date = new Date()): HoverResult | undefined {
  const snippet = analysis.snippets.find((s) => offset >= s.start && offset <= s.end);
  if (snippet) {
    if (!snippet.toFile) return nginxHover(snippet.tree, offset);
    // A decoded value: find the virtual offset of this file offset, and map the answer back.
    let v = 0;
    while (v < snippet.virtualText.length && snippet.toFile(v + 1) <= offset) v++;
    const result = nginxHover(snippet.tree, v);
    return result && { ...result, start: snippet.toFile(result.start), end: snippet.toFile(result.end) };
  }
  const reference = analysis.secretReferences.find((r) => inRange(r.value, offset));
  if (reference) return { start: reference.value.range![0], end: reference.value.range![1], markdown: secretHover(reference, now) };
  const annotation = analysis.annotations.find((a) => inRange(a.key, offset));
  if (annotation?.info) return { start: annotation.key.range![0], end: annotation.key.range![1], markdown: annotationHover(annotation.info) };
  return undefined;
}

function inRange(node: Scalar, offset: number): boolean {
  return !!node.range && offset >= node.range[0] && offset <= node.range[1];
}

export function annotationHover(info: AnnotationInfo): string {
  const type = info.type;
  const values = type.kind === 'enum' ? type.values.map((v) => `"${v}"`).join(', ')
    : type.kind === 'bool' ? '"true", "false"'
    : type.kind === 'int' ? `a whole number${type.min !== undefined ? ` ≥ ${type.min}` : ''}${type.max !== undefined ? ` ≤ ${type.max}` : ''}, quoted`
    : type.kind === 'secret-ref' ? '"namespace/name" of a Secret'
    : type.kind === 'nginx-snippet' ? `nginx configuration, rendered into the ${type.context} block`
    : `a ${type.kind}`;
  const lines = [
    `**${ANNOTATION_PREFIX}${info.name}**`,
    info.summary,
    `Values: ${values}${info.default !== undefined ? ` · Default: \`${info.default === '' ? '""' : info.default}\`` : ''}`,
  ];
  if (info.directive) lines.push(`Becomes: \`${info.directive}\``);
  for (const note of info.notes ?? []) lines.push(`- ${note}`);
  if (info.deprecated) lines.push(`Deprecated: ${info.deprecated}`);
  return lines.join('\n\n');
}

function secretHover(reference: SecretReference, now: Date): string {
  const head = `**Secret \`${reference.namespace}/${reference.name}\`** (${reference.annotation})`;
  const secret = reference.secret;
  if (!secret) return `${head}\n\nNo Secret manifest with this name and namespace in the workspace.`;
  const parts = [head, `Defined in \`${secret.file}\` at line ${secret.line} · keys: ${[...secret.keys].join(', ') || '(none)'}`];
  for (const [i, c] of (reference.certificates ?? []).entries()) {
    const days = daysBetween(now, c.notAfter);
    parts.push(`**${i + 1}.** ${c.subject}  \nIssuer: ${c.issuer}  \nNot after: ${isoDate(c.notAfter)} (${c.notAfter < now ? `**expired ${-days} days ago**` : `${days} days left`})`);
  }
  return parts.join('\n\n');
}

interface SnippetDefinition { prefix: string | string[]; description: string; body: string[] }

export const INGRESS_SNIPPETS = Object.entries(ingressSnippets as Record<string, SnippetDefinition>).map(([name, s]) => ({
  name, prefixes: Array.isArray(s.prefix) ? s.prefix : [s.prefix], description: s.description, body: s.body.join('\n'),
}));

/** Annotation keys and values inside metadata.annotations of an Ingress; the Ingress snippets at the top level. */
export function ingressCompletions(manifests: ManifestFile, offset: number): CompletionEntry[] {
  const text = manifests.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const doc = manifests.documents.find((d) => offset >= d.start && offset <= d.end);
  // The Ingress snippets: in an empty file, or at the top level of an empty or Ingress document.
  const docText = doc ? text.slice(doc.start, doc.end) : '';
  const emptyDocument = !doc || docText.replace(/^---.*$/m, '').trim() === '';
  if (/^[A-Za-z]*$/.test(before) && (text.trim() === '' || (doc !== undefined && (emptyDocument || doc.kind === 'ingress')))) {
    const start = offset - before.length;
    return INGRESS_SNIPPETS.flatMap((s) => s.prefixes.map((p) => ({ label: p, kind: 'snippet' as const, detail: s.name, insertText: s.body, snippet: true, start, end: offset })));
  }
  if (!doc || doc.kind !== 'ingress') return [];
  const annotations = getPath(doc.document.contents, 'metadata', 'annotations');
  const firstKey = mapPairs(annotations)[0]?.key;
  const keyColumn = firstKey ? firstKey.range![0] - (text.lastIndexOf('\n', firstKey.range![0] - 1) + 1) : -1;
  // Just past the last annotation (an indented empty line) still belongs to the map.
  const afterLast = annotations !== undefined && offset > annotations.range![2] && text.slice(annotations.range![2], lineStart).trim() === ''
    && before.length === keyColumn;
  const inAnnotations = annotations ? (annotations.range![0] <= offset && offset <= annotations.range![2] + 1) || afterLast : false;
  const keyMatch = /^(\s+)([\w./-]*)$/.exec(before);
  if (keyMatch && (inAnnotations || /annotations:\s*\n\s*$/.test(text.slice(0, lineStart)))) {
    const start = offset - keyMatch[2].length;
    return ANNOTATIONS.map((a) => ({ label: ANNOTATION_PREFIX + a.name, kind: 'annotation' as const, detail: a.summary, insertText: `${ANNOTATION_PREFIX}${a.name}: `, snippet: false, start, end: offset }));
  }
  const valueMatch = /^\s+nginx\.ingress\.kubernetes\.io\/([\w-]+):\s*"?([^"]*)$/.exec(before);
  if (valueMatch && inAnnotations) {
    const info = ANNOTATIONS.find((a) => a.name === valueMatch[1]);
    const values = info?.type.kind === 'enum' ? info.type.values : info?.type.kind === 'bool' ? ['true', 'false'] : [];
    const quoted = before.slice(0, before.length - valueMatch[2].length).endsWith('"');
    const start = offset - valueMatch[2].length - (quoted ? 1 : 0);
    return values.map((v) => ({ label: `"${v}"`, kind: 'value' as const, detail: info!.default === v ? 'default' : undefined, insertText: `"${v}"`, snippet: false, start, end: offset }));
  }
  return [];
}

/** Quick fixes for Ingress diagnostics, from the file text and the diagnostic alone. */
export function ingressQuickFixes(text: string, diagnostic: { code: string; start: number; end: number; data?: Record<string, unknown> }): QuickFix[] {
  const manifests = parseManifests(text);
  if (!manifests) return [];
  const doc = manifests.documents.find((d) => diagnostic.start >= d.start && diagnostic.start <= d.end);
  switch (diagnostic.code) {
    case 'ingress-annotation-type': {
      const raw = text.slice(diagnostic.start, diagnostic.end);
      return [{ title: `Quote the value: "${raw}"`, edits: [{ start: diagnostic.start, end: diagnostic.end, newText: JSON.stringify(raw) }], isPreferred: true }];
    }
    case 'ingress-unknown-annotation': {
      const suggestion = diagnostic.data?.suggestion;
      return typeof suggestion === 'string' ? [{ title: `Rename to ${suggestion}`, edits: [{ start: diagnostic.start, end: diagnostic.end, newText: suggestion }], isPreferred: true }] : [];
    }
    case 'ingress-deprecated-api': {
      if (!doc || manifests.templates.some((t) => t.start < doc.end && t.end > doc.start)) return [];
      const migrated = migrateToV1(text.slice(doc.start, doc.end));
      return migrated ? [{ title: 'Migrate this Ingress to networking.k8s.io/v1', edits: [{ start: doc.start, end: doc.end, newText: migrated }], isPreferred: true }] : [];
    }
    case 'ingress-backend-tls-unverified':
    case 'ingress-proxy-ssl-name': {
      if (!doc) return [];
      const edit = addBackendVerification(text, doc.document.contents, scalarString(getPath(doc.document.contents, 'metadata', 'namespace')) ?? 'default');
      return edit ? [{ title: 'Verify the backend certificate (proxy-ssl-secret, proxy-ssl-verify, proxy-ssl-name)', edits: [edit], isPreferred: true }] : [];
    }
  }
  return [];
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
  const valueEnd = (last.value as Scalar).range?.[1] ?? last.key.range![1];
  // A block scalar's range already ends after its final line break.
  const lineEnd = text[valueEnd - 1] === '\n' ? valueEnd - 1 : text.indexOf('\n', valueEnd) < 0 ? text.length : text.indexOf('\n', valueEnd);
  return { start: lineEnd, end: lineEnd, newText: missing.map(([name, value]) => `\n${indent}${ANNOTATION_PREFIX}${name}: "${value}"`).join('') };
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
  return scalarString(getPath(root, 'spec', 'defaultBackend', 'service', 'name')) ?? scalarString(getPath(root, 'spec', 'backend', 'serviceName'));
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
  const portNode = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? { number: Number(port) } : { name: String(port) };
  const converted = doc.createNode({ service: { name, port: portNode } }) as YAMLMap;
  for (const item of backend.items) {
    if (isScalar(item.key) && (item.key.value === 'serviceName' || item.key.value === 'servicePort')) continue;
    converted.items.push(item);
  }
  return converted;
}

