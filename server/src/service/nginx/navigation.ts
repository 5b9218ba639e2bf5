/**
 * Navigation over a configuration, answered from its symbol index (nav-index.ts): go to definition,
 * find references, document highlights, rename (with a prepare step that says why a name cannot be
 * renamed) and document links. Offsets inside; results in other files name them by the path the
 * analysis uses. The server converts (lsp/convert.ts).
 */
import { printable } from '../finding';
import { TLS_FILE_DIRECTIVES } from './certificate-files';
import { isBuiltinVariable } from './docs';
import { findAt, type OffsetRange } from './locate';
import { type FileLink, type NavSite, type NavSymbol, type NavigationIndex, symbolKey, upstreamHost } from './nav-index';
import type { ConfigFile } from './syntax';

/** A place navigation leads to: a name in a file, or the start of a file. */
export interface NavigationTarget {
  file: string;
  /** The name itself (empty at offset 0 for a file). */
  range: OffsetRange;
  /** The whole statement that defines it (the `upstream` block), for the editor's peek. */
  statement: OffsetRange;
}

export interface DefinitionAnswer {
  /** What the cursor is on: the name or path the definitions are of. */
  origin: OffsetRange;
  targets: NavigationTarget[];
}

export interface NavigationRange extends OffsetRange { file: string }

export interface Highlight extends OffsetRange {
  /** A definition (written), not a use (read). */
  write: boolean;
}

export type PrepareRenameAnswer = { range: OffsetRange; placeholder: string } | { refused: string };

export interface FileEdit extends OffsetRange { file: string; newText: string }

export type RenameAnswer = { edits: FileEdit[] } | { refused: string };

export interface DocumentLinkEntry extends OffsetRange { target: string; kind: FileLink['kind'] }

const FILE_START: OffsetRange = { start: 0, end: 0 };

/** How far back the sites before an offset are searched for one that encloses it (a regex enclosing its named groups). */
const ENCLOSING_LOOKBACK = 64;

/**
 * The definitions of what stands at `offset` in `file`: an upstream's block, a variable's `set`,
 * `map`… or named capture, a capture group's regex, a named location, a zone's or log format's
 * definition, the files of an include (every match of a glob), a certificate's file.
 */
export function definitions(index: NavigationIndex, file: string, offset: number): DefinitionAnswer | undefined {
  const link = linkAt(index, file, offset);
  if (link) {
    const targets = link.targets.map((target) => ({ file: target, range: FILE_START, statement: FILE_START }));
    return { origin: { start: link.start, end: link.end }, targets };
  }
  const sites = sitesAt(index, file, offset);
  if (sites.length === 0) return undefined;
  const targets: NavigationTarget[] = [];
  for (const definition of uniqueSites(sites.flatMap((s) => s.symbol.definitions))) {
    targets.push({ file: definition.file, range: rangeOf(definition), statement: definition.statement ?? rangeOf(definition) });
  }
  return { origin: { start: sites[0].hitStart, end: sites[0].hitEnd }, targets };
}

/** Every use of what stands at `offset`, across the configuration's files; its definitions too when asked. */
export function references(index: NavigationIndex, file: string, offset: number, includeDeclaration: boolean): NavigationRange[] {
  const out: NavigationRange[] = [];
  for (const s of occurrences(symbolsAt(index, file, offset), includeDeclaration)) out.push({ file: s.file, start: s.start, end: s.end });
  return out;
}

/** The occurrences in `file` of what stands at `offset`: definitions written, uses read. */
export function highlights(index: NavigationIndex, file: string, offset: number): Highlight[] {
  const out: Highlight[] = [];
  for (const s of occurrences(symbolsAt(index, file, offset), true)) {
    if (s.file === file) out.push({ start: s.hitStart, end: s.hitEnd, write: s.definition });
  }
  return out;
}

/** Links for the include and certificate paths of `file`; a glob with several matches has none (its definitions list them). */
export function documentLinks(index: NavigationIndex, file: string): DocumentLinkEntry[] {
  const out: DocumentLinkEntry[] = [];
  for (const link of index.links.get(file) ?? []) {
    if (link.targets.length === 1) out.push({ start: link.start, end: link.end, target: link.targets[0], kind: link.kind });
  }
  return out;
}

/**
 * Whether what stands at `offset` can be renamed, and the range a rename replaces: the name without
 * its `$` or `@`. Built-in variables, capture groups, directive names, predefined and undefined
 * names are refused, with the reason.
 */
export function prepareRename(index: NavigationIndex, tree: ConfigFile, file: string, offset: number): PrepareRenameAnswer {
  const sites = sitesAt(index, file, offset);
  if (sites.length === 0) return { refused: printable(refusal(index, tree, file, offset)) };
  const site = sites[0];
  const symbol = site.symbol;
  if (symbol.kind === 'capture') {
    return { refused: `"$${symbol.name}" is group ${symbol.name} of a regular expression: it has a number, not a name` };
  }
  if (symbol.kind === 'variable' && isBuiltinVariable(symbol.name.toLowerCase())) {
    return { refused: printable(`"$${symbol.name}" is a built-in variable of nginx: it cannot be renamed`) };
  }
  return { range: rangeOf(site), placeholder: tree.text.slice(site.start, site.end) };
}

/** The edits that rename what stands at `offset` to `newName`, in every file of the configuration. */
export function rename(index: NavigationIndex, tree: ConfigFile, file: string, offset: number, newName: string): RenameAnswer {
  const prepared = prepareRename(index, tree, file, offset);
  if ('refused' in prepared) return prepared;
  const symbols = symbolsAt(index, file, offset);
  const kind = symbols[0].kind;
  const name = kind === 'variable' && newName.startsWith('$') ? newName.slice(1)
    : kind === 'named-location' && newName.startsWith('@') ? newName.slice(1) : newName;
  const invalid = invalidName(kind, name);
  if (invalid) return { refused: printable(invalid) };
  for (const symbol of symbols) {
    const other = index.symbols.get(symbolKey(symbol.kind, symbol.space, name));
    if (other && other !== symbol) return { refused: printable(`${describe(other)} already exists: the two would become one`) };
  }
  return { edits: occurrences(symbols, true).map((s) => ({ file: s.file, start: s.start, end: s.end, newText: name })) };
}

/** Why a new name cannot be given, or undefined when it can. */
function invalidName(kind: NavSymbol['kind'], name: string): string | undefined {
  switch (kind) {
    case 'variable':
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        return `"${name}" is no variable name: letters, digits and "_", not starting with a digit`;
      }
      if (isBuiltinVariable(name.toLowerCase())) return `"$${name}" is a built-in variable of nginx: the new name would mean it`;
      return undefined;
    case 'upstream':
      return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) ? undefined
        : `"${name}" is no upstream name: letters, digits, "_", "." and "-", as a host name`;
    case 'named-location':
      return /^[^\s;{}"'\\$#@]+$/.test(name) ? undefined : `"@${name}" is no location name: no spaces, quotes, braces, ";", "$" or "#"`;
    case 'zone':
    case 'log-format':
      if (kind === 'log-format' && name.toLowerCase() === 'combined') return '"combined" is nginx\'s predefined log format';
      return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) ? undefined : `"${name}" is no ${kind === 'zone' ? 'zone' : 'log format'} name: `
        + 'letters, digits, "_", "." and "-"';
    case 'capture':
      return 'a capture group has a number, not a name';
  }
}

function describe(symbol: NavSymbol): string {
  switch (symbol.kind) {
    case 'upstream': return `an upstream "${symbol.name}"`;
    case 'variable': return `a variable "$${symbol.name}"`;
    case 'named-location': return `a location "@${symbol.name}" in this server`;
    case 'zone': return `a zone "${symbol.name}"`;
    case 'log-format': return `a log format "${symbol.name}"`;
    case 'capture': return `group ${symbol.name}`;
  }
}

/** Why nothing at `offset` can be renamed, worded for what is there. */
function refusal(index: NavigationIndex, tree: ConfigFile, file: string, offset: number): string {
  const only = 'only upstreams, variables, named locations, zones and log formats are renamed';
  const hit = findAt(tree.children, offset);
  if (!hit?.word) return `nothing to rename here: ${only}`;
  const { directive, word } = hit;
  const name = directive.name.value;
  if (linkAt(index, file, offset) || (word !== directive.name && (name === 'include' || TLS_FILE_DIRECTIVES.has(name)))) {
    return `a file path cannot be renamed here: ${only}`;
  }
  if (word === directive.name && !name.startsWith('$') && !name.startsWith('~')) {
    return `"${name}" is a directive name: ${only}`;
  }
  const variable = variableAt(tree.text, word.start, word.end, offset);
  if (variable) {
    if (/^[0-9]$/.test(variable)) return `"$${variable}" is a group of a regular expression: it has a number, not a name`;
    return isBuiltinVariable(variable.toLowerCase())
      ? `"$${variable}" is a built-in variable of nginx: it cannot be renamed`
      : `nothing in this configuration defines "$${variable}": there is no definition to rename with it`;
  }
  const value = word.value;
  if (name === 'access_log' && word === directive.args[1] && value.toLowerCase() === 'combined') {
    return '"combined" is nginx\'s predefined log format: it cannot be renamed';
  }
  if (word === directive.args[0]) {
    const host = upstreamHost(name, value, false) ?? upstreamHost(name, value, true);
    if (host) return `"${host.name}" is no upstream of this configuration: nginx resolves it as a host name`;
  }
  if (value.startsWith('@')) return `no location "${value}" in this server: there is no definition to rename with it`;
  return `"${value}" is not a name that can be renamed: ${only}`;
}

/** The variable name of a `$name` or `${name}` in text[start, end) that `offset` touches. */
function variableAt(text: string, start: number, end: number, offset: number): string | undefined {
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([0-9])|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of text.slice(start, end).matchAll(re)) {
    const at = start + m.index;
    if (offset >= at && offset <= at + m[0].length) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

function rangeOf(site: NavSite): OffsetRange {
  return { start: site.start, end: site.end };
}

/** The sites of the symbols, definitions first if wanted, each position once. */
function occurrences(symbols: readonly NavSymbol[], withDefinitions: boolean): readonly NavSite[] {
  // The index holds each site of a symbol once: only several symbols can repeat a position.
  if (symbols.length === 1) {
    const [symbol] = symbols;
    return withDefinitions ? [...symbol.definitions, ...symbol.references] : symbol.references;
  }
  return uniqueSites(symbols.flatMap((s) => (withDefinitions ? [...s.definitions, ...s.references] : s.references)));
}

/** Sites once each (a position may hold several symbols: a file included into two servers). */
function uniqueSites(sites: readonly NavSite[]): NavSite[] {
  const seen = new Set<string>();
  const out: NavSite[] = [];
  for (const s of sites) {
    const key = `${s.file}\0${s.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

function symbolsAt(index: NavigationIndex, file: string, offset: number): NavSymbol[] {
  return [...new Set(sitesAt(index, file, offset).map((s) => s.symbol))];
}

/** The innermost sites that `offset` touches (one position may hold several symbols). */
function sitesAt(index: NavigationIndex, file: string, offset: number): NavSite[] {
  const list = index.sites.get(file);
  if (!list || list.length === 0) return [];
  // The last site that starts at or before the offset.
  let low = 0, high = list.length - 1, last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (list[mid].hitStart <= offset) { last = mid; low = mid + 1; } else high = mid - 1;
  }
  let found: NavSite[] = [];
  for (let i = last; i >= 0 && i > last - ENCLOSING_LOOKBACK; i--) {
    const site = list[i];
    if (offset > site.hitEnd) continue;
    const width = site.hitEnd - site.hitStart;
    const best = found.length ? found[0].hitEnd - found[0].hitStart : Infinity;
    if (width < best) found = [site];
    else if (width === best && site.hitStart === found[0].hitStart) found.push(site);
  }
  // Found from the last backwards: in the index's order again.
  return found.reverse();
}

function linkAt(index: NavigationIndex, file: string, offset: number): FileLink | undefined {
  return index.links.get(file)?.find((l) => l.start <= offset && offset <= l.end);
}
