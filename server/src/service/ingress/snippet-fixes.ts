/**
 * Quick fixes for nginx findings inside snippet annotations: the nginx half computes them on the
 * snippet's nginx text, as in a `.conf` file, and this writes their edits back into the YAML value.
 *
 * How an edit is written depends on the scalar's style: in a literal (`|`) or folded (`>`) block the
 * nginx text is the file's own, with the block's indentation (the fix takes its indentation from the
 * line it stands on); in a plain or quoted one-line value, inserted line breaks become spaces; in a
 * single-quoted value `'` is doubled; in a double-quoted value `\` and `"` are escaped and line
 * breaks written `\n`. Whatever the style, the result is checked before it is offered: the file
 * still parses, the value keeps its style, and nginx reads the new value as the fixed snippet
 * (the same directives and arguments). A fix that fails the check is not offered: a folded block
 * where a comment would swallow the next line, a plain value where ": " or " #" would end it. Nor is
 * one that sets proxy_ssl_* for the whole location of an Ingress with backend-protocol HTTPS, where
 * it would apply to the controller's own proxy_pass as well.
 */
import { Node, Scalar, isScalar } from 'yaml';
import { applyEdits } from '../family';
import type { DiagnosticRef, QuickFix, TextEdit } from '../family';
import { parseConfig, quickFixes } from '../nginx';
import type { ConfigFile, Directive } from '../nginx';
import { ANNOTATION_PREFIX, annotationInfo } from './annotations';
import type { SnippetRegion } from './context';
import { ManifestDocument, ManifestFile, getPath, mapPairs, parseManifests } from './manifest';
import { snippetRegion } from './snippet-region';

/** The snippet annotation of `doc` whose value holds `offset`: its key and value. */
function snippetAt(doc: ManifestDocument, offset: number): { key: string; value: Scalar; context: string } | undefined {
  for (const pair of mapPairs(getPath(doc.document.contents, 'metadata', 'annotations'))) {
    const key = String(pair.key.value);
    const value = pair.value as Node | null;
    if (!key.startsWith(ANNOTATION_PREFIX) || !isScalar(value) || !value.range) continue;
    const type = annotationInfo(key.slice(ANNOTATION_PREFIX.length))?.type;
    if (type?.kind !== 'nginx-snippet') continue;
    if (value.range[0] <= offset && offset < value.range[1]) return { key, value, context: type.context };
  }
  return undefined;
}

/** The fixes of an nginx diagnostic inside a snippet annotation, as edits of the manifest. */
export function snippetQuickFixes(manifests: ManifestFile, doc: ManifestDocument, diagnostic: DiagnosticRef): QuickFix[] {
  const at = snippetAt(doc, diagnostic.start);
  if (!at || manifests.templates.some((t) => t.start < at.value.range![1] && t.end > at.value.range![0])) return [];
  const region = snippetRegion(manifests, at.key.slice(ANNOTATION_PREFIX.length), at.context, at.value);
  if (!region) return [];
  const toVirtual = (offset: number) => virtualOffset(region, offset);
  const local = { ...diagnostic, start: toVirtual(diagnostic.start), end: toVirtual(diagnostic.end) };
  const documentIndex = manifests.documents.indexOf(doc);
  const sharesTls = at.context === 'location' && backendProtocol(doc) === 'HTTPS';
  const out: QuickFix[] = [];
  for (const fix of quickFixes(region.virtualText, local)) {
    const edits = fix.edits.map((e) => fileEdit(region, at.value, e));
    if (edits.some((e) => e === undefined)) continue;
    const expected = parseConfig(applyEdits(region.virtualText, fix.edits));
    // The location also holds the controller's "proxy_pass https://upstream_balancer" (backend-protocol
    // HTTPS): proxy_ssl_* set at the snippet's top would verify that one too, against the name
    // "upstream_balancer", and fail every request. Such a fix is not offered there.
    if (sharesTls && topLevelProxySsl(expected) !== topLevelProxySsl(region.tree)) continue;
    if (!readsAs(applyEdits(manifests.text, edits as TextEdit[]), documentIndex, at, expected)) continue;
    // Tab stops are not offered inside YAML: their placeholders would need the value's escapes too.
    out.push({ title: fix.title, edits: edits as TextEdit[], ...(fix.isPreferred ? { isPreferred: true } : {}) });
  }
  return out;
}

function backendProtocol(doc: ManifestDocument): string | undefined {
  const pair = mapPairs(getPath(doc.document.contents, 'metadata', 'annotations'))
    .find((p) => p.key.value === `${ANNOTATION_PREFIX}backend-protocol`);
  return isScalar(pair?.value) ? String(pair.value.value).trim().toUpperCase() : undefined;
}

/** The proxy_ssl_* statements at the top of a snippet, as text to compare. */
function topLevelProxySsl(tree: ConfigFile): string {
  return tree.children.filter((n): n is Directive => n.kind === 'directive' && n.name.value.startsWith('proxy_ssl_'))
    .map((d) => [d.name.value, ...d.args.map((a) => a.value)].join(' ')).join(';');
}

/** The offset in the snippet's nginx text of a file offset. */
function virtualOffset(region: SnippetRegion, offset: number): number {
  const toFile = region.toFile;
  if (!toFile) return offset;
  let v = 0;
  while (v < region.virtualText.length && toFile(v) < offset) v++;
  return v;
}

/** An nginx edit of the snippet text as an edit of the file, written in the value's style; undefined when outside it. */
function fileEdit(region: SnippetRegion, value: Scalar, edit: TextEdit): TextEdit | undefined {
  const toFile = region.toFile ?? ((o: number) => o);
  const start = toFile(edit.start);
  const end = toFile(edit.end);
  if (start < region.start || end > region.end || end < start) return undefined;
  return { start, end, newText: inStyle(edit.newText, value.type, !!region.toFile) };
}

function inStyle(text: string, type: Scalar['type'], decoded: boolean): string {
  switch (type) {
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return text;
    case 'QUOTE_DOUBLE': {
      // A value already written with escapes was read decoded: its lines keep their indentation.
      const lines = decoded ? text : text.replace(/\n[ \t]*/g, ' ');
      return lines.replace(/[\\"\n\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t' })[c]!);
    }
    case 'QUOTE_SINGLE':
      return text.replace(/\n[ \t]*/g, ' ').replace(/'/g, "''");
    default:
      return text.replace(/\n[ \t]*/g, ' ');
  }
}

/**
 * Whether the edited file still parses, the annotation keeps its style, and nginx reads its new value
 * as `expected` (the fixed snippet): the same statements, names and arguments.
 */
function readsAs(text: string, documentIndex: number, at: { key: string; value: Scalar }, expected: ConfigFile): boolean {
  const manifests = parseManifests(text);
  const doc = manifests?.documents[documentIndex];
  if (!doc || doc.document.errors.length) return false;
  const pair = mapPairs(getPath(doc.document.contents, 'metadata', 'annotations')).find((p) => p.key.value === at.key);
  const value = pair?.value as Node | null | undefined;
  if (!isScalar(value) || value.type !== at.value.type || typeof value.value !== 'string') return false;
  const actual = parseConfig(value.value);
  return actual.problems.length === expected.problems.length && sameStatements(actual.children, expected.children);
}

function sameStatements(a: ConfigFile['children'], b: ConfigFile['children']): boolean {
  const da = a.filter((n): n is Directive => n.kind === 'directive');
  const db = b.filter((n): n is Directive => n.kind === 'directive');
  return da.length === db.length && da.every((d, i) => {
    const e = db[i];
    return d.name.value === e.name.value && d.args.length === e.args.length && d.args.every((w, j) => w.value === e.args[j].value)
      && !d.block === !e.block && (!d.block || sameStatements(d.block.children, e.block!.children));
  });
}
