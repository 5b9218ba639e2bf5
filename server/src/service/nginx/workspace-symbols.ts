/**
 * Workspace symbols: every server name, upstream and named location of the workspace's files, so
 * that "go to the server for api.example.com" is a search. Read from each file's syntax tree alone
 * (a server name means the same whichever configuration includes the file), once per parse.
 */
import type { OffsetRange } from './locate';
import type { ConfigFile, Directive, Node } from './syntax';
import { ENTRY_BLOCKS } from './knowledge';

export interface WorkspaceSymbolEntry extends OffsetRange {
  /** `api.example.com`, `backend`, `@fallback`. */
  name: string;
  kind: 'server' | 'upstream' | 'location';
  file: string;
  /** What holds it: `server` (with its first name, for a named location) or `upstream`. */
  container: string;
}

type FileSymbol = Omit<WorkspaceSymbolEntry, 'file'>;

const byTree = new WeakMap<ConfigFile, FileSymbol[]>();

/** Symbols deeper than this are not looked for (configurations nest a handful of levels). */
const MAX_DEPTH = 200;

/**
 * The symbols of `files` whose name matches `query`: its characters in order, ignoring case (as
 * editors filter symbol lists), at most `limit` of them, file by file.
 */
export function workspaceSymbols(files: ReadonlyMap<string, ConfigFile>, query: string, limit = 1000): WorkspaceSymbolEntry[] {
  const wanted = query.toLowerCase();
  const out: WorkspaceSymbolEntry[] = [];
  for (const [file, tree] of files) {
    for (const symbol of symbolsOf(tree)) {
      if (!matches(symbol.name.toLowerCase(), wanted)) continue;
      out.push({ ...symbol, file });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** The server names, upstreams and named locations of one file. */
export function symbolsOf(tree: ConfigFile): readonly FileSymbol[] {
  let symbols = byTree.get(tree);
  if (!symbols) byTree.set(tree, (symbols = collect(tree.children, undefined, 0)));
  return symbols;
}

function collect(nodes: readonly Node[], server: Directive | undefined, depth: number): FileSymbol[] {
  const out: FileSymbol[] = [];
  if (depth > MAX_DEPTH) return out;
  for (const d of nodes) {
    if (d.kind !== 'directive') continue;
    const name = d.name.value;
    const first = d.args[0];
    if (name === 'server_name') {
      for (const w of d.args) {
        if (w.value !== '') out.push({ name: w.value, kind: 'server', container: 'server', start: w.start, end: w.end });
      }
    } else if (name === 'upstream' && d.block && first) {
      out.push({ name: first.value, kind: 'upstream', container: 'upstream', start: first.start, end: first.end });
    } else if (name === 'location' && first?.value.startsWith('@')) {
      out.push({ name: first.value, kind: 'location', container: serverLabel(server), start: first.start, end: first.end });
    }
    if (!d.block || d.block.raw || ENTRY_BLOCKS.has(name)) continue;
    out.push(...collect(d.block.children, name === 'server' ? d : server, depth + 1));
  }
  return out;
}

/** `server api.example.com` for a server block with names, `server` for one without (or none). */
function serverLabel(server: Directive | undefined): string {
  const names = server?.block?.children.find((c): c is Directive => c.kind === 'directive' && c.name.value === 'server_name');
  return names?.args[0] ? `server ${names.args[0].value}` : 'server';
}

/** Whether `query`'s characters occur in `name` in order. */
function matches(name: string, query: string): boolean {
  let at = 0;
  for (let i = 0; i < query.length; i++) {
    at = name.indexOf(query[i], at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
