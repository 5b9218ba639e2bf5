/**
 * Editor features over a parsed file: hover, outline, folding. Offsets in, offsets out; the server
 * converts to line/character.
 */
import { directiveDoc, variableDoc } from './docs';
import { directiveVariants } from './knowledge';
import { ConfigFile, Directive, Node, Word } from './syntax';

export interface OffsetRange { start: number; end: number }

export interface HoverResult extends OffsetRange { markdown: string }

/** The directive (and the word in it) under `offset`, innermost first. */
export function findAt(nodes: readonly Node[], offset: number): { directive: Directive; word?: Word; parents: Directive[] } | undefined {
  const parents: Directive[] = [];
  let list = nodes;
  let found: Directive | undefined;
  for (;;) {
    const d = list.find((n): n is Directive => n.kind === 'directive' && n.start <= offset && offset <= n.end);
    if (!d) break;
    const inBlock = d.block && offset > d.block.open && (d.block.close === undefined || offset <= d.block.close);
    if (inBlock && !d.block!.raw) {
      parents.push(d);
      list = d.block!.children;
      continue;
    }
    found = d;
    break;
  }
  if (!found) return undefined;
  const words = [found.name, ...found.args];
  const word = words.find((w) => w.start <= offset && offset <= w.end);
  return { directive: found, word, parents };
}

export function hover(tree: ConfigFile, offset: number): HoverResult | undefined {
  const hit = findAt(tree.children, offset);
  if (!hit?.word) return undefined;
  const { directive, word } = hit;
  if (word === directive.name) {
    const markdown = directiveHover(directive.name.value);
    return markdown ? { start: word.start, end: word.end, markdown } : undefined;
  }
  const text = tree.text.slice(word.start, word.end);
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of text.matchAll(re)) {
    const start = word.start + m.index!;
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    const name = m[1] ?? m[2];
    const doc = variableDoc(name);
    if (!doc) return undefined;
    return { start, end, markdown: `**$${name}** (${doc.module})\n\n${doc.description}\n\n[Documentation](${doc.url})` };
  }
  return undefined;
}

export function directiveHover(name: string): string | undefined {
  const docs = directiveDoc(name);
  if (docs.length === 0) {
    const variants = directiveVariants(name);
    if (!variants) return undefined;
    const origin = variants[0].origin;
    return `**${name}**\n\nFrom ${originName(origin)}. Allowed in: ${[...new Set(variants.flatMap((v) => v.contexts))].join(', ')}.`;
  }
  return docs.map((doc) => [
    `**${doc.name}** (${doc.module})`,
    '```nginx\n' + doc.syntax.map((s) => `${doc.name} ${stripMarkup(s)};`).join('\n') + '\n```',
    `Default: \`${doc.default || '—'}\` · Context: ${doc.contexts.join(', ')}`,
    doc.description,
    `[nginx.org documentation](${doc.url})`,
  ].join('\n\n')).join('\n\n---\n\n');
}

function originName(origin: string): string {
  switch (origin) {
    case 'nginx-plus': return 'NGINX Plus (commercial)';
    case 'lua': return 'the lua-nginx-module (OpenResty)';
    case 'njs': return 'njs';
    case 'headers-more': return 'headers-more-nginx-module';
    case 'geoip2': return 'ngx_http_geoip2_module';
    case 'otel': return 'the OpenTelemetry module';
    case 'brotli': return 'ngx_brotli';
    case 'removed': return 'older nginx releases (removed since)';
    default: return 'nginx';
  }
}

function stripMarkup(s: string): string {
  return s.replace(/<[^>]+>/g, '').replace(/`/g, '').replace(/\*\*/g, '').replace(/\\([_*[\]])/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

export type SymbolKind = 'namespace' | 'module' | 'class' | 'function' | 'variable' | 'field';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: OffsetRange;
  selection: OffsetRange;
  children: OutlineSymbol[];
}

const OUTLINE: Record<string, SymbolKind> = {
  http: 'namespace', stream: 'namespace', mail: 'namespace', events: 'namespace',
  server: 'class', upstream: 'module', location: 'function', map: 'variable', geo: 'variable',
  split_clients: 'variable', if: 'field', limit_except: 'field', types: 'field',
};

/** An outline of the blocks that structure a config: http, server, location, upstream, map… */
export function outline(tree: ConfigFile): OutlineSymbol[] {
  const build = (nodes: readonly Node[]): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    for (const n of nodes) {
      if (n.kind !== 'directive' || !n.block) continue;
      const name = n.name.value;
      const kind = OUTLINE[name];
      const children = n.block.raw ? [] : build(n.block.children);
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
  return build(tree.children);
}

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
  const visit = (nodes: readonly Node[]): void => {
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
        if (!n.block.raw) visit(n.block.children);
      }
    }
    flush();
  };
  visit(tree.children);
  return out;
}
