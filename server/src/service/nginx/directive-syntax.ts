/**
 * The syntax lines of the nginx reference (`proxy_next_upstream error | timeout | … | off ...;`) read
 * as argument positions: which arguments a directive takes, in which order, which are optional or
 * repeat, and which keywords each takes. Completion offers the keywords of the argument being typed;
 * signature help shows the line with that argument marked.
 *
 * The reference writes a keyword as `` `ssl` ``, a placeholder as `` *`size`* ``, an optional part in
 * brackets, alternatives with `|`, a repeated argument with `...` and a block as `` `{...}` ``.
 */
import type { DirectiveDoc } from './docs';

/** A keyword an argument may be: `off`, `ipv6only=on`; with a placeholder after it, a snippet (`keys_zone=${1:name}:${2:size}`). */
export interface Keyword {
  /** The text as shown and inserted without tab stops: `keys_zone=`, `off`. */
  value: string;
  /** The keyword with its placeholders as tab stops, when it has any. */
  snippet?: string;
  /** The whole alternative as plain text: `keys_zone=name:size`. */
  shown: string;
}

/** One argument position of a syntax line (or several, when it repeats). */
export interface SyntaxItem {
  optional: boolean;
  repeats: boolean;
  keywords: readonly Keyword[];
  /** Offsets of the item in the line's label. */
  start: number;
  end: number;
  /** The fewest arguments before it; the most, Infinity when it may stand anywhere later. */
  minPosition: number;
  maxPosition: number;
}

export interface SyntaxLine {
  /** The line as plain text: `proxy_http_version 1.0 | 1.1 | 2;`. */
  label: string;
  items: readonly SyntaxItem[];
}

type TokenKind = 'literal' | 'placeholder' | 'raw' | 'space' | 'open' | 'close' | 'bar' | 'ellipsis';
interface Token { kind: TokenKind; text: string; start: number; end: number }

/** The reference's markdown for one syntax line, as tokens placed in the plain label (`name ` before them). */
function tokenize(markdown: string, offset: number): Token[] {
  const out: Token[] = [];
  let at = offset;
  const push = (kind: TokenKind, text: string) => {
    out.push({ kind, text, start: at, end: at + text.length });
    at += text.length;
  };
  const source = markdown.trim().replace(/\s+/g, ' ');
  for (let i = 0; i < source.length;) {
    const rest = source.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\*`([^`]*)`\*/.exec(rest))) push('placeholder', m[1]);
    else if ((m = /^`([^`]*)`/.exec(rest))) push('literal', m[1]);
    else if ((m = /^\.\.\./.exec(rest))) push('ellipsis', m[0]);
    else if ((m = /^ /.exec(rest))) push('space', ' ');
    else if ((m = /^\[/.exec(rest))) push('open', '[');
    else if ((m = /^\]/.exec(rest))) push('close', ']');
    else if ((m = /^\|/.exec(rest))) push('bar', '|');
    else if ((m = /^[^`*[\]| .]+|^[*.]/.exec(rest))) push('raw', m[0]);
    else m = [rest[0]] as unknown as RegExpExecArray; // unreachable: every character matches above
    i += m[0].length;
  }
  return out;
}

/** Splits tokens at spaces outside brackets; alternatives joined by `|` (with or without spaces) stay one word. */
function words(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') depth--;
    if (t.kind === 'space' && depth === 0) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) out.push(current);
  const merged: Token[][] = [];
  for (const w of out) {
    const previous = merged[merged.length - 1];
    const joins = previous && (previous[previous.length - 1].kind === 'bar' || w[0].kind === 'bar');
    if (joins) previous.push(...w); else merged.push(w);
  }
  return merged;
}

/** Whether the word is one bracketed group: `[ssl]`, `[format [buffer=size]]`. */
function isGroup(word: readonly Token[]): boolean {
  if (word[0]?.kind !== 'open') return false;
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    if (word[i].kind === 'open') depth++;
    else if (word[i].kind === 'close' && --depth === 0) return i === word.length - 1;
  }
  return false;
}

interface RawItem { tokens: Token[]; optional: boolean; repeats: boolean }

/** The argument items of a run of tokens; a bracketed group holding several words gives each word as an optional item. */
function rawItems(tokens: readonly Token[], optional: boolean): RawItem[] {
  const out: RawItem[] = [];
  for (const word of words(tokens)) {
    if (word.length === 1 && word[0].kind === 'ellipsis') {
      if (out.length) out[out.length - 1].repeats = true;
      continue;
    }
    const trailing = word[word.length - 1].kind === 'ellipsis';
    const body = trailing ? word.slice(0, -1) : word;
    if (isGroup(body) && body.slice(1, -1).some((t) => t.kind === 'space')) {
      const inner = rawItems(body.slice(1, -1), true);
      if (trailing && inner.length) inner[inner.length - 1].repeats = true;
      out.push(...inner);
      continue;
    }
    // `off | none | [builtin[:size]]`: an item one of whose alternatives is optional may be left out.
    const optionalAlternative = alternatives(body).some(isGroup) && !isGroup(body);
    out.push({ tokens: body, optional: optional || isGroup(body) || optionalAlternative, repeats: trailing });
  }
  return out;
}

/** Splits an item at `|` outside brackets. */
function alternatives(tokens: readonly Token[]): Token[][] {
  const inner = isGroup(tokens) ? tokens.slice(1, -1) : tokens;
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of inner) {
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') depth--;
    if (t.kind === 'bar' && depth === 0) out.push([]);
    else if (t.kind !== 'space') out[out.length - 1].push(t);
  }
  return out.filter((a) => a.length > 0);
}

/**
 * The keywords of an item. `[ipv6only=on|off]` reads as `ipv6only=on` or `ipv6only=off`: alternatives
 * after a `key=` one are values of that key.
 */
function keywordsOf(tokens: readonly Token[]): Keyword[] {
  const alts = alternatives(tokens);
  const out: Keyword[] = [];
  let key = '';
  alts.forEach((alt, i) => {
    const body = isGroup(alt) ? alt.slice(1, -1) : alt;
    if (i === 0) key = keyPrefix(body);
    const keyword = keywordOf(body);
    if (!keyword) return;
    if (i > 0 && key && !keyword.value.includes('=')) out.push(prefixed(key, keyword));
    else out.push(keyword);
  });
  return out;
}

/** `key=` when an alternative starts with a keyword and `=` (`ipv6only`=…, `samesite=`…), else ''. */
function keyPrefix(alt: readonly Token[]): string {
  const first = alt[0];
  // A parameter name: `=` alone is location's modifier, not a key.
  if (first?.kind !== 'literal' || !/^\w/.test(first.text)) return '';
  if (first.text.endsWith('=')) return first.text;
  return alt[1]?.kind === 'raw' && alt[1].text.startsWith('=') ? `${first.text}=` : '';
}

function prefixed(key: string, k: Keyword): Keyword {
  return { value: key + k.value, snippet: k.snippet && key + k.snippet, shown: key + k.shown };
}

/**
 * An alternative that starts with a keyword, as a keyword: the text up to the first optional part,
 * with its placeholders as tab stops. Alternatives that start with a placeholder give none.
 */
function keywordOf(alt: readonly Token[]): Keyword | undefined {
  if (alt[0]?.kind !== 'literal' || alt[0].text === '{...}') return undefined;
  let value = '';
  let snippet = '';
  let shown = '';
  let stops = 0;
  for (const t of alt) {
    if (t.kind === 'open' || t.kind === 'ellipsis') break;
    if (t.kind === 'placeholder') {
      snippet += `\${${++stops}:${t.text.replace(/[$}\\]/g, '\\$&')}}`;
      shown += t.text;
      continue;
    }
    if (t.kind !== 'literal' && t.kind !== 'raw') break;
    // `gzip[=]`: an optional part written inside the keyword.
    const text = t.text.replace(/\[[^\]]*\]/g, '');
    if (stops === 0) value += text;
    snippet += text.replace(/[$}\\]/g, '\\$&');
    shown += text;
  }
  return stops > 0 ? { value, snippet, shown } : { value, shown };
}

/**
 * Reads one syntax line of the reference into argument items, placed in the label `name …;`. A line
 * that says only `[parameters]` (upstream's `server`, `health_check`) lists them in its description,
 * one bullet each (`` - `weight`=*`number`* ``): they become that item's keywords.
 */
export function readSyntaxLine(name: string, markdown: string, description = ''): SyntaxLine {
  const tokens = tokenize(markdown, name.length + 1);
  const plain = tokens.map((t) => t.text).join('');
  const block = tokens.some((t) => t.kind === 'literal' && t.text === '{...}');
  const label = `${name}${plain ? ' ' : ''}${plain}${block ? '' : ';'}`;
  const raw = rawItems(tokens, false).filter((r) => !(r.tokens.length === 1 && r.tokens[0].text === '{...}'));
  const items: SyntaxItem[] = [];
  let required = 0;
  let repeatedBefore = false;
  for (const r of raw) {
    const floating = r.optional || r.repeats || repeatedBefore;
    const listed = r.tokens.some((t) => t.kind === 'placeholder' && t.text === 'parameters');
    items.push({
      optional: r.optional, repeats: r.repeats || listed, keywords: listed ? describedParameters(description) : keywordsOf(r.tokens),
      start: r.tokens[0].start, end: r.tokens[r.tokens.length - 1].end,
      minPosition: required, maxPosition: floating ? Infinity : items.length,
    });
    if (!r.optional) required++;
    if (r.repeats) repeatedBefore = true;
  }
  return { label, items };
}

/** The parameters a description lists as top-level bullets that start with a keyword. */
function describedParameters(description: string): Keyword[] {
  const out: Keyword[] = [];
  for (const m of description.matchAll(/^- (`.*)$/gm)) {
    const keyword = keywordOf(tokenize(m[1], 0).filter((t) => t.kind !== 'space'));
    if (keyword && !out.some((k) => k.value === keyword.value)) out.push(keyword);
  }
  return out;
}

const linesByDoc = new WeakMap<DirectiveDoc, readonly SyntaxLine[]>();

/** The syntax lines of a directive's reference entry, read once. */
export function syntaxLines(doc: DirectiveDoc): readonly SyntaxLine[] {
  let lines = linesByDoc.get(doc);
  if (!lines) linesByDoc.set(doc, (lines = doc.syntax.map((s) => readSyntaxLine(doc.name, s, doc.description))));
  return lines;
}

/** The items that may stand as argument `index` (0-based). */
export function itemsAt(line: SyntaxLine, index: number): SyntaxItem[] {
  return line.items.filter((item) => item.minPosition <= index && index <= item.maxPosition);
}

/**
 * The item argument `index` most likely is: one whose keyword the typed text starts, else a required
 * one due exactly there, else the first that may stand there.
 */
export function activeItem(line: SyntaxLine, index: number, typed: string): number {
  const possible = itemsAt(line, index);
  if (possible.length === 0) return -1;
  const keyed = typed
    ? possible.find((item) => item.keywords.some((k) => k.value.startsWith(typed) || typed.startsWith(k.value)))
    : undefined;
  const due = possible.find((item) => !item.optional && item.minPosition === index);
  return line.items.indexOf(keyed ?? due ?? possible[0]);
}
