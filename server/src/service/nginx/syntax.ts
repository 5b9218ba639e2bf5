/**
 * The nginx configuration syntax tree and its parser.
 *
 * The parser follows nginx's own tokenizer (`ngx_conf_read_token`) character for character, so that
 * what it calls a word, a string, a comment or the end of a statement is what nginx calls one:
 * - `#` starts a comment only where a new token could start (`a#b` is one word);
 * - `;` and `{` end an unquoted word, `}` does not (nginx reads `a}` as one word);
 * - `${` right after `$` does not open a block (`${host}`);
 * - a backslash escapes the next character in and out of quotes;
 * - after a closing quote only whitespace, `;`, `{` or `)` may follow.
 *
 * It never throws and never gives up: problems are collected and parsing goes on, so the rest of
 * the file is still analysed. Every node keeps offsets into the text; nothing here knows about lines.
 * The token stream is lossless: the tokens, in order, cover every character of the input exactly once.
 */

export type TokenKind = 'space' | 'comment' | 'word' | 'string' | 'semicolon' | 'open' | 'close' | 'raw';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

/** One argument (or the name) of a directive, as nginx sees it. */
export interface Word {
  start: number;
  end: number;
  /** The value nginx uses: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` unescaped. A quoted word's text starts with its quote. */
  value: string;
}

export interface Comment {
  kind: 'comment';
  start: number;
  end: number;
  /** Text after the `#`. */
  text: string;
}

export interface Directive {
  kind: 'directive';
  /** The first word. Empty (start === end) for a block opened with no name, which is a syntax error. */
  name: Word;
  args: Word[];
  /** Offset of the first character of the statement. */
  start: number;
  /** Offset after the `;` or `}` that ends it, or after its last word when nothing ended it. */
  end: number;
  /** Offset of the terminating `;`, when there is one. */
  semicolon?: number;
  block?: Block;
  /** Comments that sit between the words of this directive. */
  innerComments?: Comment[];
}

export interface Block {
  /** Offset of `{`. */
  open: number;
  /** Offset of the matching `}`, absent when the file ended first. */
  close?: number;
  children: Node[];
  /** For `*_by_lua_block`: the raw Lua between the braces, which is not nginx syntax. */
  raw?: { start: number; end: number };
}

export type Node = Directive | Comment;

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
  /** Where the problem is not itself an error but points at one's cause (a comment that hides braces). */
  severity?: 'hint';
}

export interface ConfigFile {
  text: string;
  children: Node[];
  problems: SyntaxProblem[];
  /**
   * True when a comment mentions `nginx-ls:` (a suppression, a context line): what reads such comments
   * need not look through a file without one.
   */
  toolComments?: true;
  /** Present only when parse() was asked to keep tokens (tests, the formatter). */
  tokens?: Token[];
}

export interface ParseOptions {
  keepTokens?: boolean;
  /**
   * Recovers from a forgotten `;`: when a word at the start of a line is a directive name (by this
   * predicate) and the statement began on an earlier line, the statement is ended before it.
   * nginx would have read both lines as one statement and rejected it.
   */
  isDirectiveName?: (name: string) => boolean;
  /**
   * Whether a directive written with these arguments, ended by `;` (`block` false), `{` (true) or
   * the end of the line (undefined), is well formed. With it, the recovery above happens only when
   * the new line reads as such a statement: `access_log /log main` followed by `gzip flush=5m;` on
   * the next line continues the access_log (a `gzip` that takes `flush=5m` is no directive).
   */
  statementFits?: (name: string, args: readonly string[], block: boolean | undefined, enclosingBlock: string | undefined) => boolean;
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a;
const SEMI = 0x3b, LBRACE = 0x7b, RBRACE = 0x7d, HASH = 0x23, BACKSLASH = 0x5c;
const DQUOTE = 0x22, SQUOTE = 0x27, DOLLAR = 0x24, RPAREN = 0x29;

/** What starts the comments nginx-ls reads itself (`# nginx-ls: ignore …`, `# nginx-ls: context=…`). */
const TOOL_MARKER = 'nginx-ls:';

/** How an unquoted word treats each ASCII character (one table load per character in the hot loop). */
const ORDINARY = 0, ENDS_WORD = 1, ESCAPE = 2, VARIABLE_SIGN = 3;
const WORD_CHAR_KIND = new Uint8Array(128);
for (const c of [SPACE, TAB, CR, LF, SEMI, LBRACE]) WORD_CHAR_KIND[c] = ENDS_WORD;
WORD_CHAR_KIND[BACKSLASH] = ESCAPE;
WORD_CHAR_KIND[DOLLAR] = VARIABLE_SIGN;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** Whether a comment's text has more "}" than "{". */
function closesMoreThanOpens(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === RBRACE) depth--;
    else if (c === LBRACE) depth++;
  }
  return depth < 0;
}

/** True for directives whose block holds Lua code (ngx_lua's `*_by_lua_block`), not nginx syntax. */
export function isLuaBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/**
 * Parses nginx configuration text. Never throws.
 *
 * @example parse('events {}\nhttp { server { listen 80; } }').children[1].block.children[0]
 */
export function parse(text: string, options: ParseOptions = {}): ConfigFile {
  return new Parser(text, options).run();
}

interface OpenBlock {
  directive: Directive | undefined;
  children: Node[];
}

class Parser {
  private pos = 0;
  private readonly problems: SyntaxProblem[] = [];
  private readonly tokens: Token[] | undefined;
  /**
   * Words of the statement being read: the first wordCount entries. The buffer is kept, not emptied:
   * emptying an array frees its storage, and the next push would allocate it again.
   */
  private readonly words: Word[] = [];
  private wordCount = 0;
  private innerComments: Comment[] | undefined;
  /** Whether a newline was seen since the last word: used by the missing-`;` recovery. */
  private newlineSinceWord = false;
  private readonly stack: OpenBlock[] = [];
  private toolComments = false;

  constructor(private readonly text: string, private readonly options: ParseOptions) {
    this.tokens = options.keepTokens ? [] : undefined;
  }

  run(): ConfigFile {
    const root: OpenBlock = { directive: undefined, children: [] };
    this.stack.push(root);
    const text = this.text;
    const length = text.length;
    while (this.pos < length) {
      const c = text.charCodeAt(this.pos);
      if (isSpace(c)) {
        this.readSpace();
      } else if (c === HASH) {
        this.readComment();
      } else if (c === SEMI) {
        this.token('semicolon', this.pos, this.pos + 1);
        this.endStatement(this.pos);
        this.pos++;
      } else if (c === LBRACE) {
        this.token('open', this.pos, this.pos + 1);
        this.pos++;
        this.openBlock(this.pos - 1);
      } else if (c === RBRACE) {
        this.token('close', this.pos, this.pos + 1);
        this.closeBlock(this.pos);
        this.pos++;
      } else {
        this.readWord();
      }
    }
    const pendingAtEnd = this.wordCount > 0;
    if (pendingAtEnd) {
      const last = this.words[this.wordCount - 1];
      this.problem(last.end, last.end, this.stack.length > 1
        ? 'unexpected end of file, expecting ";" or "}"'
        : 'unexpected end of file, expecting ";"');
      this.finishDirective(undefined, undefined, last.end);
    }
    const swallowing = this.stack.length > 1 && !pendingAtEnd ? this.commentHidingBraces() : undefined;
    if (swallowing) {
      // A one-line config as blogs print it: the first `#` hides the closing braces after it. The cause
      // is said once, where it is; the blocks it leaves open are its consequence, not more errors.
      const line = lineOf(text, swallowing.start);
      this.problem(length, length, `unexpected end of file, expecting "}": the "}" on line ${line} are inside a "#" comment`);
      this.problems.push({
        start: swallowing.start, end: swallowing.end, severity: 'hint',
        message: '"#" comments out the rest of the line, "}" included: break the line to end the comment where it should end',
      });
    } else if (this.stack.length > 1 && !pendingAtEnd) this.problem(length, length, 'unexpected end of file, expecting "}"');
    while (this.stack.length > 1) {
      const open = this.stack.pop()!;
      const directive = open.directive!;
      if (!swallowing) {
        this.problem(directive.block!.open, directive.block!.open + 1,
          `"${directive.name.value || '{'}" block is never closed: a "}" is missing`);
      }
      directive.end = length;
    }
    const tree: ConfigFile = { text, children: root.children, problems: this.problems, tokens: this.tokens };
    if (this.toolComments) tree.toolComments = true;
    return tree;
  }

  /** The last comment holding a "}", if it stands inside the innermost block still open at the end. */
  private commentHidingBraces(): Comment | undefined {
    const comment = this.lastBracedComment;
    const innermost = this.stack[this.stack.length - 1].directive!.block!.open;
    return comment && comment.start > innermost ? comment : undefined;
  }

  private lastBracedComment: Comment | undefined;

  /** Whether something other than blanks stands before `offset` on its line. */
  private followsCode(offset: number): boolean {
    for (let i = offset - 1; i >= 0; i--) {
      const c = this.text.charCodeAt(i);
      if (c === LF) return false;
      if (c !== SPACE && c !== TAB && c !== CR) return true;
    }
    return false;
  }

  private addWord(word: Word): void {
    if (this.wordCount === this.words.length) this.words.push(word);
    else this.words[this.wordCount] = word;
    this.wordCount++;
  }

  private token(kind: TokenKind, start: number, end: number): void {
    if (this.tokens && end > start) this.tokens.push({ kind, start, end });
  }

  private problem(start: number, end: number, message: string): void {
    this.problems.push({ start, end, message });
  }

  private readSpace(): void {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let c = text.charCodeAt(pos);
    while (isSpace(c)) {
      if (c === LF) this.newlineSinceWord = true;
      c = text.charCodeAt(++pos);
    }
    this.pos = pos;
    this.token('space', start, pos);
  }

  private readComment(): void {
    const text = this.text;
    const start = this.pos;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // A CR before the LF belongs to the line break, not to the comment.
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    this.pos = end;
    this.token('comment', start, end);
    const comment: Comment = { kind: 'comment', start, end, text: text.slice(start + 1, end) };
    if (!this.toolComments && comment.text.includes(TOOL_MARKER)) this.toolComments = true;
    // Only a comment after code on its line that closes more than it opens can hide braces the file
    // needs (as in a config pasted on one line); a commented-out `location /old { return 404; }`, or a
    // comment line that mentions "}", closes nothing of the file's.
    if (comment.text.includes('}') && closesMoreThanOpens(comment.text) && this.followsCode(comment.start)) {
      this.lastBracedComment = comment;
    }
    if (this.wordCount > 0) {
      (this.innerComments ??= []).push(comment);
    } else {
      this.stack[this.stack.length - 1].children.push(comment);
    }
  }

  /** Reads one unquoted word or one quoted string, the way nginx does. */
  private readWord(): void {
    const text = this.text;
    const length = text.length;
    const start = this.pos;
    const first = text.charCodeAt(start);

    if (this.options.isDirectiveName && this.newlineSinceWord && this.wordCount > 0) {
      this.recoverMissingSemicolon(start);
    }
    this.newlineSinceWord = false;

    if (first === DQUOTE || first === SQUOTE) {
      let pos = start + 1;
      let escaped = false;
      for (; pos < length; pos++) {
        const c = text.charCodeAt(pos);
        if (c === BACKSLASH) pos++;
        else if (c === first) break;
      }
      if (pos >= length) {
        // nginx would read to the end of the file; ending the string at the end of its line instead
        // keeps the rest of the file analysable, with the one error where the quote is.
        this.problem(start, start + 1,
          `unterminated ${first === DQUOTE ? 'double' : 'single'}-quoted string: the closing ${String.fromCharCode(first)} is missing`);
        this.problem(length, length, `unexpected end of file: nginx reads the unterminated string to here`);
        let end = text.indexOf('\n', start);
        if (end < 0) end = length;
        while (end > start + 1 && isSpace(text.charCodeAt(end - 1))) end--;
        // A line that ends in ";" or "{" most likely ends the statement there.
        if (end > start + 1 && (text.charCodeAt(end - 1) === SEMI || text.charCodeAt(end - 1) === LBRACE)) end--;
        this.pos = end;
        this.token('string', start, end);
        this.addWord({ start, end, value: unescape(text.slice(start + 1, end)) });
        return;
      }
      escaped = pos - start > 1 && text.indexOf('\\', start + 1) >= 0 && text.indexOf('\\', start + 1) < pos;
      const end = pos + 1;
      this.pos = end;
      this.token('string', start, end);
      const inner = text.slice(start + 1, pos);
      this.addWord({ start, end, value: escaped ? unescape(inner) : inner });
      // nginx: after a closing quote comes whitespace, ";", "{" or ")".
      const next = text.charCodeAt(end);
      if (end < length && !isSpace(next) && next !== SEMI && next !== LBRACE && next !== RPAREN) {
        this.problem(end, end + 1, `unexpected "${text[end]}" after a quoted string; a space, ";" or "{" is expected`);
      }
      return;
    }

    let pos = start;
    let escaped = false;
    for (; pos < length; pos++) {
      const c = text.charCodeAt(pos);
      const kind = c < 128 ? WORD_CHAR_KIND[c] : ORDINARY;
      if (kind === ORDINARY) continue; // quotes inside an unquoted word are ordinary for nginx
      if (kind === ENDS_WORD) break;
      if (kind === ESCAPE) {
        escaped = true;
        pos++;
      } else if (text.charCodeAt(pos + 1) === LBRACE) {
        pos++; // `${`: the brace belongs to the variable, it opens no block
      }
    }
    if (pos > length) pos = length;
    this.pos = pos;
    this.token('word', start, pos);
    // A directive's name is shared (the walk looks every name up); an argument is not: interning every
    // word cost about a third of the parse for a few percent less memory.
    const value = escaped ? unescape(text.slice(start, pos))
      : this.wordCount === 0 ? sliceInterned(text, start, pos) : text.slice(start, pos);
    this.addWord({ start, end: pos, value });
  }

  /**
   * A word that starts a line and names a directive, inside a statement that began on an earlier line,
   * almost always means the `;` at the end of the previous line was forgotten.
   */
  private recoverMissingSemicolon(wordStart: number): void {
    const text = this.text;
    let end = wordStart;
    while (end < text.length && !isSpace(text.charCodeAt(end)) && text.charCodeAt(end) !== SEMI && text.charCodeAt(end) !== LBRACE) end++;
    const candidate = text.slice(wordStart, end);
    if (!this.options.isDirectiveName!(candidate)) return;
    const statementFits = this.options.statementFits;
    if (statementFits) {
      const rest = restOfLine(text, end);
      const enclosing = this.stack[this.stack.length - 1].directive?.name.value;
      if (!statementFits(candidate, rest.words, rest.block, enclosing)) return;
    }
    const last = this.words[this.wordCount - 1];
    this.problem(last.end, end, `missing ";" before "${candidate}"`);
    this.finishDirective(undefined, undefined, last.end);
  }

  private endStatement(semicolon: number): void {
    if (this.wordCount === 0) {
      this.problem(semicolon, semicolon + 1, 'unexpected ";"');
      return;
    }
    this.finishDirective(semicolon, undefined, semicolon + 1);
  }

  private finishDirective(semicolon: number | undefined, block: Block | undefined, end: number): Directive {
    const words = this.words;
    const count = this.wordCount;
    const args = new Array<Word>(count - 1);
    for (let i = 1; i < count; i++) args[i - 1] = words[i];
    // Every directive gets every property, so they all share one object shape (the tree is large).
    const directive: Directive = {
      kind: 'directive',
      name: words[0],
      args,
      start: words[0].start,
      end,
      semicolon,
      block,
      innerComments: this.innerComments,
    };
    this.wordCount = 0;
    this.innerComments = undefined;
    this.stack[this.stack.length - 1].children.push(directive);
    return directive;
  }

  private openBlock(open: number): void {
    if (this.wordCount === 0) {
      this.problem(open, open + 1, 'unexpected "{"');
      this.addWord({ start: open, end: open, value: '' });
    }
    const block: Block = { open, close: undefined, children: [], raw: undefined };
    const directive = this.finishDirective(undefined, block, open + 1);
    if (isLuaBlockDirective(directive.name.value)) {
      this.readLua(directive);
      return;
    }
    this.stack.push({ directive, children: block.children });
  }

  private closeBlock(close: number): void {
    if (this.wordCount > 0) {
      const last = this.words[this.wordCount - 1];
      this.problem(last.end, close + 1, 'unexpected "}": missing ";" before it');
      this.finishDirective(undefined, undefined, last.end);
    }
    if (this.stack.length === 1) {
      this.problem(close, close + 1, 'unexpected "}": no block is open here');
      return;
    }
    const open = this.stack.pop()!;
    const directive = open.directive!;
    directive.block!.close = close;
    directive.end = close + 1;
  }

  /**
   * Skips a Lua body up to its matching `}`. Braces inside Lua strings, long brackets and comments
   * do not count.
   */
  private readLua(directive: Directive): void {
    const text = this.text;
    const length = text.length;
    const bodyStart = this.pos;
    let depth = 0;
    let pos = bodyStart;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === DQUOTE || c === SQUOTE) {
        pos++;
        while (pos < length) {
          const d = text.charCodeAt(pos);
          if (d === BACKSLASH) pos += 2;
          else if (d === c || d === LF) { pos++; break; }
          else pos++;
        }
      } else if (c === 0x2d /* - */ && text.charCodeAt(pos + 1) === 0x2d) {
        const level = longBracketLevel(text, pos + 2);
        if (level >= 0) {
          pos = skipLongBracket(text, pos + 2, level);
        } else {
          const eol = text.indexOf('\n', pos);
          pos = eol < 0 ? length : eol;
        }
      } else if (c === 0x5b /* [ */) {
        const level = longBracketLevel(text, pos);
        pos = level >= 0 ? skipLongBracket(text, pos, level) : pos + 1;
      } else if (c === LBRACE) {
        depth++;
        pos++;
      } else if (c === RBRACE) {
        if (depth === 0) break;
        depth--;
        pos++;
      } else {
        pos++;
      }
    }
    if (pos > length) pos = length;
    this.token('raw', bodyStart, pos);
    directive.block!.raw = { start: bodyStart, end: pos };
    if (pos >= length) {
      this.problem(directive.block!.open, directive.block!.open + 1,
        `unexpected end of file, expecting "}" to close "${directive.name.value}"`);
      directive.end = length;
      this.pos = length;
      return;
    }
    this.token('close', pos, pos + 1);
    directive.block!.close = pos;
    directive.end = pos + 1;
    this.pos = pos + 1;
  }
}

/**
 * Configs repeat the same names thousands of times (directive names, variable names). Handing out one
 * string per distinct name, instead of a fresh copy per occurrence, spares the allocation and the
 * garbage collector's copying of a large tree, and Map lookups by name compare one pointer.
 * A small cache with two slots per hash; a word that misses it is dropped or replaces an entry.
 */
const INTERNED = new Array<string>(8192).fill('');
const MAX_INTERNED_LENGTH = 48;

/** `text.slice(start, end)`, as the one shared string for those characters when they are short. */
export function sliceInterned(text: string, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_INTERNED_LENGTH || length === 0) return text.slice(start, end);
  // The slot comes from the length and four characters; a false match is ruled out by comparing all.
  const hash = length * 0x9e37 + text.charCodeAt(start) * 0x3b1 + text.charCodeAt(end - 1) * 0x1f
    + text.charCodeAt(start + (length >> 1)) * 0x7 + text.charCodeAt(end - 1 - (length >> 2));
  // Two slots per hash (an even one and its odd neighbour): two frequent words that share a hash
  // both stay cached. A new word goes to the odd slot, after the odd slot's word moves to the even one.
  const slot = (hash ^ (hash >>> 7)) & (INTERNED.length - 2);
  const first = INTERNED[slot];
  if (first.length === length && sameChars(first, text, start)) return first;
  const second = INTERNED[slot + 1];
  if (second.length === length && sameChars(second, text, start)) return second;
  // Only a word seen before is worth a copy of its own (a location path may occur once per file).
  const fingerprint = (hash + length) | 1;
  if (SEEN_ONCE[slot >> 1] !== fingerprint) {
    SEEN_ONCE[slot >> 1] = fingerprint;
    return text.slice(start, end);
  }
  const word = ownCopy(text.slice(start, end));
  INTERNED[slot] = second;
  INTERNED[slot + 1] = word;
  return word;
}

/** Per slot pair, a fingerprint of the last word that missed the cache. */
const SEEN_ONCE = new Int32Array(INTERNED.length >> 1);

/**
 * V8 makes `slice()` of 13 or more characters a view into the whole text. Cached, such a view would
 * keep an old file's text alive, and reading its characters takes a detour; the round trip through
 * JSON yields a string of its own. Every module-level cache keyed by words of a configuration stores
 * this copy (a word's value may be such a view).
 */
export function ownCopy(word: string): string {
  return word.length < 13 ? word : JSON.parse(JSON.stringify(word)) as string;
}

/** Whether `text` holds `word` at `start` (a loop: for short words, cheaper than calling startsWith). */
function sameChars(word: string, text: string, start: number): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** For `[[`, `[=[`, `[==[`…: the number of `=`; -1 when `pos` does not open a long bracket. */
function longBracketLevel(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 0x5b) return -1;
  let level = 0;
  let p = pos + 1;
  while (text.charCodeAt(p) === 0x3d) { level++; p++; }
  return text.charCodeAt(p) === 0x5b ? level : -1;
}

function skipLongBracket(text: string, pos: number, level: number): number {
  const close = ']' + '='.repeat(level) + ']';
  const end = text.indexOf(close, pos + level + 2);
  return end < 0 ? text.length : end + close.length;
}

/** Resolves nginx's escapes: `\"`, `\'`, `\\`, `\t`, `\r`, `\n`; any other `\x` stays as written. */
function unescape(raw: string): string {
  // Copied in runs between the escapes nginx resolves: a regex full of `\.` and `\d` resolves none
  // and comes back as it is, without a string built a character at a time.
  let out = '';
  let copied = 0;
  for (let i = raw.indexOf('\\'); i >= 0 && i + 1 < raw.length; i = raw.indexOf('\\', i + 2)) {
    const resolved = ESCAPED[raw.charCodeAt(i + 1)];
    if (resolved === undefined) continue;
    out += raw.slice(copied, i) + resolved;
    copied = i + 2;
  }
  return copied === 0 ? raw : out + raw.slice(copied);
}

/** What nginx reads for a backslash followed by the character with this code, for the escapes it resolves. */
const ESCAPED: Record<number, string> = { 0x22: '"', 0x27: "'", 0x5c: '\\', 0x74: '\t', 0x72: '\r', 0x6e: '\n' };

/**
 * The offsets where each line of `text` starts, for many `lineAt` questions about one text (a scan
 * of the text per question, as `lineOf` does, costs a whole file per setting a message names).
 * Counted first, then filled: growing the array line by line took twice as long. Not a typed array:
 * its buffer is memory outside the heap, and a new one per analysis kept V8 collecting and marking
 * (the large file's analysis went from 18 to ~30 ms median in some processes).
 */
export function lineStarts(text: string): number[] {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const starts = new Array<number>(lines).fill(0);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  return starts;
}

/** The 1-based line of `offset`, given the text's `lineStarts`: the same as `lineOf(text, offset)`. */
export function lineAt(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (starts[mid] <= offset) low = mid + 1; else high = mid;
  }
  return low;
}

/** The 1-based line number of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The words after `start` up to the end of its line, read roughly as nginx would (quotes kept
 * together), and how the line ends: `;` (block false), `{` (true) or neither (undefined).
 */
function restOfLine(text: string, start: number): { words: string[]; block: boolean | undefined } {
  const words: string[] = [];
  let pos = start;
  for (;;) {
    while (pos < text.length && (text.charCodeAt(pos) === SPACE || text.charCodeAt(pos) === TAB)) pos++;
    const c = text.charCodeAt(pos);
    if (pos >= text.length || c === LF || c === CR || c === HASH) return { words, block: undefined };
    if (c === SEMI) return { words, block: false };
    if (c === LBRACE) return { words, block: true };
    let end = pos + 1;
    if (c === DQUOTE || c === SQUOTE) {
      while (end < text.length && text.charCodeAt(end) !== c && text.charCodeAt(end) !== LF) {
        end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
      }
      words.push(text.slice(pos + 1, end));
      // A string still open at the end of the line goes on past it: how the statement ends is unknown.
      if (text.charCodeAt(end) !== c) return { words, block: undefined };
      pos = end + 1;
      continue;
    }
    while (end < text.length && !isSpace(text.charCodeAt(end)) && text.charCodeAt(end) !== SEMI && text.charCodeAt(end) !== LBRACE) end++;
    words.push(text.slice(pos, end));
    pos = end;
  }
}

/**
 * Optimised parser code depends on the hidden classes of its objects. When no Parser, word, directive
 * or block is alive, a garbage collection drops those classes and the optimised code with them, and
 * the next file is parsed slowly again. This small tree, parsed once and kept, keeps them alive.
 */
export const SHAPE_KEEPER: ConfigFile = new Parser('a "b" c;\nd { e; }\n# f\ng_by_lua_block { }\n', {
  keepTokens: true, isDirectiveName: () => false
}).run();
