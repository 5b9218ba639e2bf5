/**
 * The nginx text inside a snippet annotation: where it lies in the file, and its analysis by the
 * nginx engine in the context ingress-nginx renders it into. Not a rule family: the snippets family
 * (rules/snippets.ts) uses it, and hover reads the regions it finds.
 */
import { Scalar } from 'yaml';
import { analyzeConfig, parseConfig } from '../nginx';
import { isIncludeNotFound } from '../nginx/rules/includes';
import { memoryHost } from '../host';
import type { Finding } from '../finding';
import type { SnippetRegion } from './context';
import type { ManifestFile } from './manifest';

/** Where each snippet annotation's text lands in the generated nginx.conf. */
const SNIPPET_CONTEXTS: Record<string, string> = { location: 'http>location', server: 'http>server', stream: 'stream', http: 'http' };

/** The nginx text of a snippet annotation, located in the file. */
export function snippetRegion(manifests: ManifestFile, annotation: string, context: string, value: Scalar): SnippetRegion | undefined {
  const text = manifests.text;
  const [start, end] = value.range!;
  let contentStart = start;
  let contentEnd = end;
  if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') {
    const header = text.indexOf('\n', start);
    if (header < 0) return undefined;
    contentStart = header + 1;
  } else if (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') {
    contentStart = start + 1;
    contentEnd = end - 1;
    // Escapes change lengths; analyse the decoded value at the value's position instead.
    const raw = text.slice(contentStart, contentEnd);
    if (raw.includes('\\') || raw.includes("''")) return decodedRegion(manifests, annotation, context, value);
  }
  const virtualText = blankOutside(text, contentStart, contentEnd);
  return { annotation, context, start: contentStart, end: contentEnd, virtualText, tree: parseConfig(virtualText) };
}

/**
 * A quoted value with escapes: the decoded text is analysed on its own, and `toFile` maps each of
 * its offsets back to the character it came from in the file.
 */
function decodedRegion(manifests: ManifestFile, annotation: string, context: string, value: Scalar): SnippetRegion {
  const [start, end] = value.range!;
  const raw = manifests.text.slice(start + 1, end - 1);
  let decoded = '';
  const map: number[] = [];
  const emit = (s: string, at: number) => { for (const ch of s) { decoded += ch; map.push(start + 1 + at); } };
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', ' ': ' ', '0': '\0' };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (value.type === 'QUOTE_SINGLE') {
      if (c === "'" && raw[i + 1] === "'") { emit("'", i); i++; } else emit(c, i);
    } else if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (Object.hasOwn(simple, n)) { emit(simple[n], i); i++; }
      else if (n === 'x' || n === 'u' || n === 'U') {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        emit(String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + len), 16) || 0xfffd), i);
        i += 1 + len;
      } else if (n === '\n') { i++; } else { emit(n, i); i++; }
    } else emit(c, i);
  }
  map.push(end - 1);
  return {
    annotation, context, start: start + 1, end: end - 1, virtualText: decoded, tree: parseConfig(decoded),
    toFile: (offset) => map[Math.min(offset, map.length - 1)],
  };
}

/** Spaces everywhere outside [start, end), newlines kept, so offsets and lines stay the file's. */
function blankOutside(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

/**
 * The nginx findings of a snippet, at file offsets. What encloses a snippet is the controller's
 * template, whose settings come from its ConfigMap: messages say so.
 */
export function analyzeSnippet(file: string, snippet: SnippetRegion, now: Date | undefined): Finding[] {
  const virtual = `${file}#${snippet.annotation}`;
  const analysis = analyzeConfig(virtual, memoryHost({ [virtual]: snippet.virtualText }), {
    rootContexts: [SNIPPET_CONTEXTS[snippet.context] ?? 'http>location'],
    standalone: true,
    enclosedBy: "the controller's ConfigMap",
    cache: new Map([[virtual, snippet.tree]]),
    ...(now ? { now } : {}),
  });
  const toFile = snippet.toFile ?? ((o: number) => o);
  return analysis.findings.filter((f) => f.file === virtual && !isIncludeNotFound(f))
    .map((f) => ({ ...f, file, start: toFile(f.start), end: Math.max(toFile(f.start), toFile(f.end)) }));
}
