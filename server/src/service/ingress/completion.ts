/**
 * Completion in Ingress manifests: annotation keys and values inside metadata.annotations, and the
 * Ingress snippets (snippets/ingress.json) at the top level of an empty or Ingress document.
 */
import ingressSnippets from '../../../../snippets/ingress.json';
import { CompletionEntry } from '../nginx';
import { ANNOTATIONS, ANNOTATION_PREFIX, annotationInfo } from './annotations';
import { ManifestFile, getPath, mapPairs } from './manifest';

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
    return INGRESS_SNIPPETS.flatMap((s) => s.prefixes.map((p) => ({
      label: p, kind: 'snippet' as const, detail: s.name, insertText: s.body, snippet: true, start, end: offset,
    })));
  }
  if (!doc || doc.kind !== 'ingress') return [];
  const annotations = getPath(doc.document.contents, 'metadata', 'annotations');
  const firstKey = mapPairs(annotations)[0]?.key;
  const keyColumn = firstKey ? firstKey.range![0] - (text.lastIndexOf('\n', firstKey.range![0] - 1) + 1) : -1;
  // Just past the last annotation (an indented empty line) still belongs to the map.
  const afterLast = annotations !== undefined && offset > annotations.range![2]
    && text.slice(annotations.range![2], lineStart).trim() === ''
    && before.length === keyColumn;
  const inAnnotations = annotations ? (annotations.range![0] <= offset && offset <= annotations.range![2] + 1) || afterLast : false;
  const keyMatch = /^(\s+)([\w./-]*)$/.exec(before);
  if (keyMatch && (inAnnotations || /annotations:\s*\n\s*$/.test(text.slice(0, lineStart)))) {
    const start = offset - keyMatch[2].length;
    return ANNOTATIONS.map((a) => ({
      label: ANNOTATION_PREFIX + a.name, kind: 'annotation' as const, detail: a.summary, insertText: `${ANNOTATION_PREFIX}${a.name}: `,
      snippet: false, start, end: offset,
    }));
  }
  const valueMatch = /^\s+nginx\.ingress\.kubernetes\.io\/([\w-]+):\s*"?([^"]*)$/.exec(before);
  if (valueMatch && inAnnotations) {
    const info = annotationInfo(valueMatch[1]);
    const values = info?.type.kind === 'enum' ? info.type.values : info?.type.kind === 'bool' ? ['true', 'false'] : [];
    const quoted = before.slice(0, before.length - valueMatch[2].length).endsWith('"');
    const start = offset - valueMatch[2].length - (quoted ? 1 : 0);
    return values.map((v) => ({
      label: `"${v}"`, kind: 'value' as const, detail: info!.default === v ? 'default' : undefined, insertText: `"${v}"`,
      snippet: false, start, end: offset,
    }));
  }
  return [];
}
