/**
 * The formatter: a layout of the tokens of the parsed tree (syntax.ts), as edits that replace only
 * the whitespace between tokens. No token is ever added, dropped, split, joined or rewritten, so quoting,
 * `${…}`, regexes such as `"^/a{2,}$"`, multi-line strings and Lua bodies (one raw token each) come
 * out byte for byte; `tokenDifference` states it and the tests and `scripts/format-corpus.mjs` check it.
 *
 * The layout, decided gap by gap:
 * - one statement per line, indented by block depth (`tabSize` spaces, or a tab, per level); `{` on
 *   the line of its directive after one space; `;` right after the last word; `}` on a line of its
 *   own, and an empty block written `{}`;
 * - within a statement on one line, words are one space apart, except inside the blocks that are
 *   tables (`map`, `geo`, `types`, `split_clients`, `upstream`, `charset_map`), where the author's
 *   spacing stays: its alignment is usually to a column the author chose (mime.types aligns every
 *   value at one column whatever the key), so re-aligning would rewrite every line of a table after
 *   one long key was added; every entry of a table shares one depth, so re-indenting keeps it aligned;
 * - a statement whose words span lines (a `log_format` of several strings) keeps its spacing, and its
 *   continuation lines move by as many columns as its first line moved: their alignment stays;
 * - a comment after code stays on its line with the spacing before it (`# managed by Certbot`); a
 *   comment on a line of its own is indented as a statement;
 * - blank lines stay, a run of them becomes one, and none follows `{` or precedes `}`; the file
 *   starts with its first token and ends with one line break (the file's own kind: CRLF or LF).
 *
 * A file with syntax errors gets no edits: where a brace or quote is missing the tree's recovery is
 * a guess, and indenting by a guess would move half-typed code around; the diagnostics say what to
 * fix. Range formatting edits only the gaps before the tokens of the whole lines and statements the
 * range touches, and on-type formatting is range formatting of the statement or block just ended.
 */
import type { TextEdit } from '../family';
import { parseConfig } from './load';
import type { OffsetRange } from './locate';
import { type ConfigFile, type Directive, type Node, type Token, parse } from './syntax';

/** How to indent: LSP's `FormattingOptions` (the rest of those options does not change the layout). */
export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** Blocks whose entries are tables of values, often aligned by their author: their inner spacing is kept. */
const TABLE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'upstream', 'charset_map']);

const LF = 0x0a, CR = 0x0d, TAB = 0x09, SPACE = 0x20;

/**
 * Blocks nested deeper are not formatted (no edits for the file): indentation grows with depth, so
 * a hostile file of nested blocks would be inflated quadratically. (The analysis stops at 500.)
 */
const MAX_DEPTH = 200;

/**
 * Edits that format a whole file, parsed by `parseConfig` (whose recovery finds a forgotten `;`);
 * none when it has syntax errors.
 */
export function formatDocument(tree: ConfigFile, options: FormatOptions): TextEdit[] {
  return tree.problems.length ? [] : layoutEdits(tree, options, undefined);
}

/**
 * Edits that format the lines `range` touches, widened to whole statements (a directive's words up
 * to its `;` or `{`); none when the file has syntax errors.
 */
export function formatRange(tree: ConfigFile, range: OffsetRange, options: FormatOptions): TextEdit[] {
  return tree.problems.length ? [] : layoutEdits(tree, options, widenRange(tree, range));
}

/**
 * Edits after `ch` was typed just before `offset`: the statement a `;` ended, or the block a `}`
 * closed, from its directive's first line. Nothing when the character ends no statement there (a
 * `;` typed inside a string or a comment).
 */
export function formatOnType(tree: ConfigFile, offset: number, ch: string, options: FormatOptions): TextEdit[] {
  if ((ch !== ';' && ch !== '}') || tree.problems.length) return [];
  const ended = directiveEndedAt(tree.children, offset - 1, ch);
  return ended ? layoutEdits(tree, options, widenRange(tree, { start: ended.start, end: offset })) : [];
}

/** The text formatted (unchanged when it has syntax errors). */
export function formatText(text: string, options: FormatOptions): string {
  return applySortedEdits(text, formatDocument(parseConfig(text), options));
}

/**
 * Where two texts differ other than in whitespace between tokens: the index of the first token
 * (comments, words, strings, `;`, braces, Lua bodies) that differs, with its text on each side
 * (undefined past the end); undefined when the token sequences are equal. A formatter's output must
 * give undefined against its input.
 */
export function tokenDifference(before: string, after: string): { index: number; before?: string; after?: string } | undefined {
  const a = significant(before);
  const b = significant(after);
  const show = (text: string, t: Token | undefined) => t && `${t.kind} ${text.slice(t.start, t.end)}`;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const same = x && y && x.kind === y.kind && x.end - x.start === y.end - y.start
      && before.startsWith(after.slice(y.start, y.end), x.start);
    if (same) continue;
    return { index: i, before: show(before, x), after: show(after, y) };
  }
  return undefined;
}

/**
 * Tokens but whitespace, from the parser's token stream (not from the tree the formatter walks, so
 * that the check does not share the formatter's way of reading the file).
 */
function significant(text: string): Token[] {
  return parse(text, { keepTokens: true }).tokens!.filter((t) => t.kind !== 'space');
}

function applySortedEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The directive whose `;` (or whose block's `}`) stands at `offset`. */
function directiveEndedAt(nodes: readonly Node[], offset: number, ch: string): Directive | undefined {
  for (let around = directiveHolding(nodes, offset); around;) {
    if (ch === ';' ? around.semicolon === offset : around.block?.close === offset) return around;
    around = around.block && !around.block.raw ? directiveHolding(around.block.children, offset) : undefined;
  }
  return undefined;
}

/** Where a directive's own words end: after its `;` or `{`. */
function headEnd(d: Directive): number {
  return d.block ? d.block.open + 1 : d.end;
}

/** The innermost directive whose words (not its block's body) hold `offset`. */
function statementAround(nodes: readonly Node[], offset: number): Directive | undefined {
  for (let around = directiveHolding(nodes, offset); around;) {
    if (offset < headEnd(around)) return around;
    around = around.block && !around.block.raw ? directiveHolding(around.block.children, offset) : undefined;
  }
  return undefined;
}

/** The directive of a list that spans `offset`. */
function directiveHolding(nodes: readonly Node[], offset: number): Directive | undefined {
  for (const n of nodes) if (n.kind === 'directive' && n.start <= offset && offset < n.end) return n;
  return undefined;
}

/**
 * The range widened to whole lines and whole statements, until no statement crosses its ends: a
 * statement's continuation lines move with its first line. The end is at its line's break.
 */
function widenRange(tree: ConfigFile, range: OffsetRange): OffsetRange {
  const text = tree.text;
  let start = Math.max(0, Math.min(range.start, text.length));
  let end = Math.max(start, Math.min(range.end, text.length));
  // A range that ends at the start of a line (whole lines selected) ends with the line before.
  if (end > start && text.charCodeAt(end - 1) === LF) end--;
  for (;;) {
    const first = statementAround(tree.children, start);
    const widerStart = text.lastIndexOf('\n', (first ? Math.min(first.start, start) : start) - 1) + 1;
    const last = statementAround(tree.children, end > widerStart ? end - 1 : widerStart);
    const lineEnd = text.indexOf('\n', last ? Math.max(end, headEnd(last)) : end);
    const widerEnd = lineEnd < 0 ? text.length : lineEnd;
    if (widerStart === start && widerEnd === end) return { start, end };
    start = widerStart;
    end = widerEnd;
  }
}

/** The line break the file uses: that of its first line. */
function lineBreakOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === CR ? '\r\n' : '\n';
}

/** The visual column of `offset` on its line, tabs stopping every `tabSize` columns. */
function columnOf(text: string, offset: number, tabSize: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let column = 0;
  for (let i = lineStart; i < offset; i++) column = text.charCodeAt(i) === TAB ? (Math.floor(column / tabSize) + 1) * tabSize : column + 1;
  return column;
}

function countLineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === LF) count++;
  return count;
}

/** Strings of whitespace, built once per shape: a large file has as many gaps as tokens. */
class Whitespace {
  private readonly indents: string[] = [];
  private readonly breaks: string[][] = [[], [], []];
  constructor(private readonly options: FormatOptions, readonly lineBreak: string) {}

  /** Indentation for a block depth. */
  indent(depth: number): string {
    return (this.indents[depth] ??= this.options.insertSpaces ? ' '.repeat(depth * this.options.tabSize) : '\t'.repeat(depth));
  }

  /** `lines` line breaks (1 or 2), then the indentation of `depth`. */
  lines(lines: number, depth: number): string {
    return (this.breaks[lines][depth] ??= this.lineBreak.repeat(lines) + this.indent(depth));
  }

  /** `text.slice(from)`, once per text and position: most edits re-indent a line with one of a few strings. */
  suffix(text: string, from: number): string {
    let byStart = this.suffixes.get(text);
    if (!byStart) this.suffixes.set(text, (byStart = []));
    return (byStart[from] ??= text.slice(from));
  }

  private readonly suffixes = new Map<string, string[]>();

  /** Whitespace reaching a visual column: spaces, or tabs then spaces for the rest. */
  column(column: number): string {
    const { tabSize, insertSpaces } = this.options;
    return insertSpaces ? ' '.repeat(column) : '\t'.repeat(Math.floor(column / tabSize)) + ' '.repeat(column % tabSize);
  }
}

/** What the walk knows of the statement whose words it is in (one object, reused: a large file has 35,000). */
interface Statement {
  /** Whether the walk is inside a statement's words (after its name, before its `;` or `{`). */
  open: boolean;
  /** Its words' spacing stays: it stands in a table block, or its words span lines. */
  keepSpacing: boolean;
  /** Whether its words span lines (a line break between them, or inside a quoted one). */
  multiLine: boolean;
  /** How many columns its first word moves: continuation lines move as many. */
  shift: number;
}

/** What the layout tells apart: a word or quoted string, a comment, `;`, `{`, `}`, a Lua body. */
type TokenKind = 'word' | 'comment' | 'semicolon' | 'open' | 'close' | 'raw';

/**
 * Calls `visit` for each token but whitespace, in the order of the text, from the tree (a directive
 * with its name); stops when `visit` returns false. Iterative: nesting depth costs no stack.
 */
function walkTokens(tree: ConfigFile, visit: (kind: TokenKind, start: number, end: number, directive?: Directive) => boolean): void {
  const stack: { nodes: readonly Node[]; index: number; owner?: Directive }[] = [{ nodes: tree.children, index: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      const close = frame.owner?.block?.close;
      if (close !== undefined && !visit('close', close, close + 1)) return;
      continue;
    }
    const node = frame.nodes[frame.index++];
    if (node.kind === 'comment') {
      if (!visit('comment', node.start, node.end)) return;
      continue;
    }
    if (!visit('word', node.name.start, node.name.end, node)) return;
    const comments = node.innerComments;
    let c = 0;
    for (const arg of node.args) {
      for (; comments && c < comments.length && comments[c].start < arg.start; c++) {
        if (!visit('comment', comments[c].start, comments[c].end)) return;
      }
      if (!visit('word', arg.start, arg.end)) return;
    }
    for (; comments && c < comments.length; c++) if (!visit('comment', comments[c].start, comments[c].end)) return;
    const block = node.block;
    if (node.semicolon !== undefined) {
      if (!visit('semicolon', node.semicolon, node.semicolon + 1)) return;
    } else if (block) {
      if (!visit('open', block.open, block.open + 1)) return;
      if (!block.raw) {
        stack.push({ nodes: block.children, index: 0, owner: node });
        continue;
      }
      if (block.raw.end > block.raw.start && !visit('raw', block.raw.start, block.raw.end)) return;
      if (block.close !== undefined && !visit('close', block.close, block.close + 1)) return;
    }
  }
}

/**
 * The edits for every gap whose next token starts inside `scope` (every gap when it is undefined).
 * A gap is the whitespace between two tokens that are not whitespace; its wanted text is decided
 * from the two tokens, the depth and the statement (see the file's comment).
 */
function layoutEdits(tree: ConfigFile, options: FormatOptions, scope: OffsetRange | undefined): TextEdit[] {
  const text = tree.text;
  const tabSize = Math.max(1, Math.floor(options.tabSize) || 1);
  const ws = new Whitespace({ tabSize, insertSpaces: options.insertSpaces }, lineBreakOf(text));
  const edits: TextEdit[] = [];
  /** Per open block, whether it is a table. */
  const tables: boolean[] = [];
  const statement: Statement = { open: false, keepSpacing: false, multiLine: false, shift: 0 };
  /** The name of the statement being read, for the block it may open. */
  let statementName = '';
  /** The token before the one visited: its kind (undefined at the start of the file) and end. */
  let previousKind: TokenKind | undefined;
  let previousEnd = 0;

  const gap = (start: number, end: number, wanted: string) => {
    if (scope && end < scope.start) return;
    if (scope && start < scope.start) {
      // The first gap of the range starts on a line before it: the lines before the range stay as they are.
      // (Its token starts a line of the range, so that only the file's first token wants no line break.)
      const lastBreak = wanted.lastIndexOf('\n');
      const breaksLeft = countLineBreaks(wanted, 0, wanted.length) - countLineBreaks(text, start, scope.start);
      push(scope.start, end, ws.lineBreak.repeat(Math.max(0, breaksLeft)) + wanted.slice(lastBreak + 1));
      return;
    }
    push(start, end, wanted);
  };
  /** Removes the blanks that end the range's last line (its gap to the next token is not the range's). */
  const trimTrailing = (gapStart: number) => {
    let lineEnd = scope!.end;
    if (lineEnd > 0 && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    const floor = Math.max(gapStart, scope!.start);
    let blanks = lineEnd;
    while (blanks > floor && (text.charCodeAt(blanks - 1) === SPACE || text.charCodeAt(blanks - 1) === TAB)) blanks--;
    if (blanks < lineEnd) push(blanks, lineEnd, '');
  };
  /** An edit of the part of the gap that differs (shorter edits keep the editor's cursors and marks in place). */
  const push = (start: number, end: number, wanted: string) => {
    if (end - start === wanted.length && text.startsWith(wanted, start)) return;
    let head = 0;
    while (head < wanted.length && start + head < end && text.charCodeAt(start + head) === wanted.charCodeAt(head)) head++;
    let tail = 0;
    while (tail < wanted.length - head && end - tail > start + head
      && text.charCodeAt(end - 1 - tail) === wanted.charCodeAt(wanted.length - 1 - tail)) tail++;
    if (start + head === end - tail && head === wanted.length - tail) return;
    const newText = tail ? wanted.slice(head, wanted.length - tail) : ws.suffix(wanted, head);
    edits.push({ start: start + head, end: end - tail, newText });
  };
  /** A continuation line's indentation: its column moved as the statement's first line moved. */
  const continuation = (tokenStart: number, breaks: number) => {
    const column = Math.max(0, columnOf(text, tokenStart, tabSize) + (statement.open ? statement.shift : 0));
    return ws.lineBreak.repeat(Math.min(breaks, 2)) + ws.column(column);
  };

  let inScope = true;
  let tooDeep = false;
  walkTokens(tree, (kind, tokenStart, tokenEnd, directive) => {
    const start = previousEnd;
    if (scope && tokenStart >= scope.end) {
      // Past the range: of the gap that leaves it, only the trailing blanks of the range's last line are its.
      trimTrailing(start);
      return (inScope = false);
    }
    const breaks = previousKind ? countLineBreaks(text, start, tokenStart) : 0;
    const depth = tables.length;
    switch (kind) {
      case 'raw':
        break; // a Lua body starts right after its `{`, its leading whitespace inside it
      case 'close':
        tables.pop();
        if (previousKind === 'raw') break;
        gap(start, tokenStart, previousKind === 'open' ? '' : ws.lines(1, depth - 1));
        break;
      case 'semicolon':
        if (previousKind === 'comment') gap(start, tokenStart, continuation(tokenStart, breaks));
        // In a table, a blank before `;` may be part of the alignment (nginx's koi-win: `80  88 ; # euro`).
        else if (!statement.keepSpacing || statement.multiLine || breaks > 0) gap(start, tokenStart, '');
        statement.open = false;
        break;
      case 'open':
        if (depth === MAX_DEPTH) {
          tooDeep = true;
          return false;
        }
        gap(start, tokenStart, previousKind === 'comment' ? continuation(tokenStart, breaks) : ' ');
        tables.push(TABLE_BLOCKS.has(statementName));
        statement.open = false;
        break;
      case 'comment':
        if (previousKind && breaks === 0) {
          // After code on its line: stays there, with the author's spacing.
          if (start === tokenStart) gap(start, tokenStart, ' ');
        } else if (statement.open) {
          gap(start, tokenStart, continuation(tokenStart, breaks));
        } else {
          gap(start, tokenStart, previousKind ? ws.lines(previousKind === 'open' ? 1 : Math.min(breaks, 2), depth) : '');
        }
        break;
      default: // a word or a quoted string
        if (directive) {
          gap(start, tokenStart, previousKind ? ws.lines(previousKind === 'open' ? 1 : Math.max(1, Math.min(breaks, 2)), depth) : '');
          startStatement(statement, text, directive, depth * tabSize, tables[depth - 1] === true, tabSize);
          statementName = directive.name.value;
        } else if (breaks > 0) {
          gap(start, tokenStart, continuation(tokenStart, breaks));
        } else if (!statement.keepSpacing) {
          gap(start, tokenStart, ' ');
        }
    }
    previousKind = kind;
    previousEnd = tokenEnd;
    return true;
  });
  if (tooDeep) return [];
  if (scope) {
    if (inScope) trimTrailing(previousEnd);
  } else gap(previousEnd, text.length, previousKind ? ws.lineBreak : '');
  return edits;
}

/** Starts a statement: how its words are spaced and how far it moves. */
function startStatement(statement: Statement, text: string, directive: Directive, column: number, inTable: boolean, tabSize: number): void {
  let lastWordEnd = directive.args.length ? directive.args[directive.args.length - 1].end : directive.name.end;
  const comments = directive.innerComments;
  if (comments?.length) lastWordEnd = Math.max(lastWordEnd, comments[comments.length - 1].end);
  const lineBreak = text.indexOf('\n', directive.start);
  statement.open = true;
  statement.multiLine = lineBreak >= 0 && lineBreak < lastWordEnd;
  statement.keepSpacing = inTable || statement.multiLine;
  statement.shift = statement.multiLine ? column - columnOf(text, directive.start, tabSize) : 0;
}
