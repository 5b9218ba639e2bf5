/** The outline (document symbols) and folding ranges of a parsed file, and of an `nginx -T` dump. */
import { shifted } from './dump';
import type { ConfigFile, Directive, Node } from './syntax';
import type { OffsetRange } from './locate';
import type { DumpAnalysis } from './walk';

export type SymbolKind = 'namespace' | 'module' | 'class' | 'function' | 'variable' | 'field';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: OffsetRange;
  selection: OffsetRange;
  children: OutlineSymbol[];
}

const OUTLINE = new Map<string, SymbolKind>(Object.entries({
  http: 'namespace', stream: 'namespace', mail: 'namespace', events: 'namespace',
  server: 'class', upstream: 'module', location: 'function', map: 'variable', geo: 'variable',
  split_clients: 'variable', if: 'field', limit_except: 'field', types: 'field',
} satisfies Record<string, SymbolKind>));

/** An outline of the blocks that structure a config: http, server, location, upstream, map… */
export function outline(tree: ConfigFile): OutlineSymbol[] {
  const build = (nodes: readonly Node[], depth: number): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    if (depth > MAX_FEATURE_DEPTH) return out;
    for (const n of nodes) {
      if (n.kind !== 'directive' || !n.block) continue;
      const name = n.name.value;
      const kind = OUTLINE.get(name);
      const children = n.block.raw ? [] : build(n.block.children, depth + 1);
      if (!kind) { out.push(...children); continue; }
      out.push({
        name: symbolName(n, tree.text),
        detail: name === 'server' ? serverDetail(n) : '',
        kind,
        range: { start: n.start, end: n.end },
        selection: { start: n.name.start, end: n.args.length ? n.args[n.args.length - 1].end : n.name.end },
        children,
      });
    }
    return out;
  };
  return build(tree.children, 0);
}

/** The outline of an `nginx -T` dump: one entry per file it holds, with that file's own outline inside. */
export function dumpOutline(dump: DumpAnalysis): OutlineSymbol[] {
  return dump.files.map((f) => {
    const tree = dump.analysis.files.get(f.path);
    return {
      name: f.path, detail: f.path === dump.main ? 'main configuration' : '', kind: 'module' as const,
      range: embeddedSpan(dump, f), selection: { start: f.marker, end: Math.max(f.marker, f.start - 1) },
      children: tree ? outline(tree).map((s) => shiftedSymbol(s, f.start)) : [],
    };
  });
}

/** Folding in a dump: each file it holds, and the blocks and comment runs of its text (`tree`, the dump parsed whole). */
export function dumpFoldingRanges(dump: DumpAnalysis, tree: ConfigFile): OffsetRange[] {
  return [...dump.files.map((f) => embeddedSpan(dump, f)), ...foldingRanges(tree)];
}

/** An embedded file from its marker line to its last character that is not white space. */
function embeddedSpan(dump: DumpAnalysis, f: DumpAnalysis['files'][number]): OffsetRange {
  const text = dump.analysis.files.get(f.path)?.text;
  return { start: f.marker, end: text === undefined ? f.end : f.start + text.trimEnd().length };
}

function shiftedSymbol(s: OutlineSymbol, by: number): OutlineSymbol {
  return { ...s, range: shifted(s.range, by), selection: shifted(s.selection, by), children: s.children.map((c) => shiftedSymbol(c, by)) };
}

/** Outline and folding stop this deep: nothing real nests further, and recursion must stay bounded. */
const MAX_FEATURE_DEPTH = 200;

function symbolName(d: Directive, text: string): string {
  const name = d.name.value;
  if (name === 'server') {
    const serverName = d.block!.children.find((c): c is Directive => c.kind === 'directive' && c.name.value === 'server_name');
    return serverName ? `server ${serverName.args.map((a) => a.value).join(' ')}` : 'server';
  }
  if (d.args.length === 0) return name;
  return `${name} ${text.slice(d.args[0].start, d.args[d.args.length - 1].end).replace(/\s+/g, ' ')}`;
}

function serverDetail(d: Directive): string {
  return d.block!.children
    .filter((c): c is Directive => c.kind === 'directive' && c.name.value === 'listen')
    .map((c) => c.args.map((a) => a.value).join(' '))
    .join(', ');
}

/** Folding: every block, and runs of two or more comment lines. */
export function foldingRanges(tree: ConfigFile): OffsetRange[] {
  const out: OffsetRange[] = [];
  const visit = (nodes: readonly Node[], depth: number): void => {
    if (depth > MAX_FEATURE_DEPTH) return;
    let commentRun: OffsetRange | undefined;
    let commentCount = 0;
    const flush = () => {
      if (commentRun && commentCount >= 2) out.push(commentRun);
      commentRun = undefined;
      commentCount = 0;
    };
    for (const n of nodes) {
      if (n.kind === 'comment') {
        const between = commentRun ? tree.text.slice(commentRun.end, n.start) : '';
        if (commentRun && /^[ \t]*\r?\n[ \t]*$/.test(between)) { commentRun.end = n.end; commentCount++; }
        else { flush(); commentRun = { start: n.start, end: n.end }; commentCount = 1; }
        continue;
      }
      flush();
      if (n.block) {
        out.push({ start: n.block.open, end: n.block.close ?? n.end });
        if (!n.block.raw) visit(n.block.children, depth + 1);
      }
    }
    flush();
  };
  visit(tree.children, 0);
  return out;
}
