/**
 * The server's open documents: a `TextDocument` whose text is kept in pieces.
 *
 * vscode-languageserver-textdocument keeps a buffer as one string and makes each edited version
 * `before + typed + after`. V8 flattens that into a new string at its next read, and on a
 * 50,000-line file every keystroke then copied 1.5 MB into fresh pages (5–9 ms here, mostly page
 * faults) before the server could answer the hover asked with it. In pieces of ~16 kB, an edit copies
 * one piece. The whole text is joined only when something reads all of it (an analysis), and the
 * join is kept until the next edit.
 *
 * Each joined text is remembered (the last two) with the region the edits since have changed, so that
 * hover and completion can map the buffer onto the analysis that read that text without comparing
 * 1.5 MB (./modes/edit-map.ts).
 *
 * Positions, offsets and line breaks (\n, \r\n and \r) behave exactly as in vscode-languageserver-textdocument
 * (test/unit/piece-document.test.mjs compares the two over random edits).
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Pieces are cut to this many characters; an edited piece is cut again past twice as many. */
const PIECE_CHARS = 16 * 1024;
/** Joined texts remembered with what changed since (the analysis' text, and one read since for navigation or symbols). */
const REMEMBERED_TEXTS = 2;

const LF = 10;
const CR = 13;

/**
 * Where a buffer differs from a text it had: from `start` to `before` in that text and to `after` in
 * the buffer (both may be wider than the edits: one region covers them all). Offsets before `start`
 * are the same in both; those past the region are shifted by `after - before`.
 */
export interface ChangedRegion {
  start: number;
  before: number;
  after: number;
}

export class PieceDocument implements TextDocument {
  private pieces: string[] = [];
  /** Where each piece starts; one more entry, the length. */
  private starts: number[] = [];
  /** Where each line starts, made when first needed (as vscode-languageserver-textdocument does). */
  private lineStarts: number[] | undefined;
  private joined: string | undefined;
  private remembered: { text: string; changed: ChangedRegion | undefined }[] = [];

  constructor(readonly uri: string, readonly languageId: string, private currentVersion: number, text: string) {
    this.replaceAll(text);
  }

  static create(uri: string, languageId: string, version: number, text: string): PieceDocument {
    return new PieceDocument(uri, languageId, version, text);
  }

  /** `TextDocuments`' update hook: the document is edited in place and returned. */
  static update(document: PieceDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): PieceDocument {
    document.update(changes, version);
    return document;
  }

  get version(): number {
    return this.currentVersion;
  }

  get length(): number {
    return this.starts[this.pieces.length];
  }

  get lineCount(): number {
    return this.lines().length;
  }

  getText(range?: Range): string {
    if (range) return this.textBetween(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.joined === undefined) {
      this.joined = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
      if (this.remembered[0]?.text !== this.joined) {
        this.remembered.unshift({ text: this.joined, changed: undefined });
        this.remembered.length = Math.min(this.remembered.length, REMEMBERED_TEXTS);
      }
    }
    return this.joined;
  }

  /** The characters between two offsets (in either order, as `substring` takes them), reading only the pieces that hold them. */
  textBetween(from: number, to: number): string {
    const start = this.clamp(Math.min(from, to));
    const end = this.clamp(Math.max(from, to));
    if (this.joined !== undefined) return this.joined.slice(start, end);
    const first = this.pieceAt(start);
    const last = this.pieceAt(end);
    if (first === last) return this.pieces[first].slice(start - this.starts[first], end - this.starts[first]);
    const parts = [this.pieces[first].slice(start - this.starts[first])];
    for (let i = first + 1; i < last; i++) parts.push(this.pieces[i]);
    parts.push(this.pieces[last].slice(0, end - this.starts[last]));
    return parts.join('');
  }

  /** The offset of the next line feed at or after `from`, or the length when there is none. */
  lineFeedFrom(from: number): number {
    for (let i = this.pieceAt(this.clamp(from)); i < this.pieces.length; i++) {
      const found = this.pieces[i].indexOf('\n', Math.max(0, from - this.starts[i]));
      if (found >= 0) return this.starts[i] + found;
    }
    return this.length;
  }

  /**
   * How the buffer differs from `text`, one of the last texts `getText()` gave: 'unchanged', or the
   * region edited since. Undefined for any other text (the caller compares the two).
   */
  changedSince(text: string): ChangedRegion | 'unchanged' | undefined {
    const found = this.remembered.find((r) => r.text === text);
    const changed = found?.changed;
    if (!found || !changed) return found && 'unchanged';
    // Typed and taken back (a character typed and deleted): the same text again, when that is cheap to tell.
    const small = changed.after - changed.start <= PIECE_CHARS && changed.before - changed.start <= PIECE_CHARS;
    if (small && changed.after - changed.before === 0 && text.slice(changed.start, changed.before) === this.textBetween(changed.start, changed.after)) {
      return 'unchanged';
    }
    return changed;
  }

  positionAt(offset: number): Position {
    offset = this.clamp(offset);
    const lines = this.lines();
    let low = 0;
    let high = lines.length;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (lines[middle] > offset) high = middle;
      else low = middle + 1;
    }
    const line = low - 1;
    return { line, character: this.beforeLineBreak(offset, lines[line]) - lines[line] };
  }

  offsetAt(position: Position): number {
    const lines = this.lines();
    if (position.line >= lines.length) return this.length;
    if (position.line < 0) return 0;
    const lineStart = lines[position.line];
    if (position.character <= 0) return lineStart;
    const nextLineStart = position.line + 1 < lines.length ? lines[position.line + 1] : this.length;
    return this.beforeLineBreak(Math.min(lineStart + position.character, nextLineStart), lineStart);
  }

  getLineRange(line: number): Range {
    const lines = this.lines();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= lines.length) {
      const last = lines.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.length - lines[last] } };
    }
    const nextLineStart = line + 1 < lines.length ? lines[line + 1] : this.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeLineBreak(nextLineStart, lines[line]) - lines[line] } };
  }

  getEOLCharacters(line: number): string {
    const lines = this.lines();
    if (line < 0 || line >= lines.length) return '';
    const nextLineStart = line + 1 < lines.length ? lines[line + 1] : this.length;
    return this.textBetween(this.beforeLineBreak(nextLineStart, lines[line]), nextLineStart);
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range !== undefined) this.edit(wellFormed(change.range), change.text);
      else if (typeof change.text === 'string' && (change as { rangeLength?: number }).rangeLength === undefined) this.replaceAll(change.text);
      else throw new Error('Unknown change event received');
    }
    this.currentVersion = version;
  }

  private replaceAll(text: string): void {
    const length = this.pieces.length === 0 ? 0 : this.length;
    this.pieces = cut(text);
    this.restart();
    this.lineStarts = undefined;
    this.recordChange(0, length, text.length);
  }

  private edit(range: Range, text: string): void {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    const first = this.pieceAt(start);
    const last = this.pieceAt(end);
    const edited = this.pieces[first].slice(0, start - this.starts[first]) + text + this.pieces[last].slice(end - this.starts[last]);
    const replacement = (edited.length > 2 * PIECE_CHARS ? cut(edited) : [edited]).filter((piece) => piece.length > 0);
    this.pieces.splice(first, last - first + 1, ...replacement);
    if (this.pieces.length === 0) this.pieces.push('');
    this.restart();
    this.recordChange(start, end, text.length);

    const insertedEnd = start + text.length;
    const lineBreakSplit = (at: number): boolean => this.charCodeAt(at - 1) === CR && this.charCodeAt(at) === LF;
    if (lineBreakSplit(start) || lineBreakSplit(insertedEnd)) {
      // A \r\n made or split at the edit's ends: the inserted text's own line starts cannot tell.
      this.lineStarts = undefined;
      return;
    }
    const lines = this.lines();
    // Lines past the end stand for the last (vscode-languageserver-textdocument takes them as they come
    // and corrupts its line starts: a position of line 3,000 in a 10-line file gave wrong positions after).
    const startLine = Math.min(Math.max(range.start.line, 0), lines.length - 1);
    const endLine = Math.min(Math.max(range.end.line, 0), lines.length - 1);
    const added = lineStartsIn(text, start);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) lines[startLine + 1 + i] = added[i];
    } else if (added.length < 10_000) {
      lines.splice(startLine + 1, endLine - startLine, ...added);
    } else {
      // A paste of many lines: spread into `splice`, they would be too many arguments.
      this.lineStarts = lines.slice(0, startLine + 1).concat(added, lines.slice(endLine + 1));
    }
    const shift = text.length - (end - start);
    if (shift !== 0) {
      const shifted = this.lineStarts!;
      for (let i = startLine + 1 + added.length; i < shifted.length; i++) shifted[i] += shift;
    }
  }

  /** The remembered texts' regions grow to cover an edit from `start` to `end` that put `inserted` characters there. */
  private recordChange(start: number, end: number, inserted: number): void {
    this.joined = undefined;
    const shift = inserted - (end - start);
    for (const r of this.remembered) {
      const was = r.changed;
      r.changed = was === undefined
        ? { start, before: end, after: start + inserted }
        : {
          start: Math.min(was.start, start),
          // Past the region, the buffer's `end` stands at `end - (after - before)` in the remembered text.
          before: end > was.after ? end - (was.after - was.before) : was.before,
          after: Math.max(was.after, end) + shift,
        };
    }
  }

  private restart(): void {
    const starts = new Array<number>(this.pieces.length + 1);
    let at = 0;
    for (let i = 0; i < this.pieces.length; i++) {
      starts[i] = at;
      at += this.pieces[i].length;
    }
    starts[this.pieces.length] = at;
    this.starts = starts;
  }

  private lines(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const lines = [0];
    for (let i = 0; i < this.pieces.length; i++) {
      const piece = this.pieces[i];
      const base = this.starts[i];
      for (let at = 0; at < piece.length; at++) {
        const code = piece.charCodeAt(at);
        if (code === LF) {
          // The \n of a \r\n: the line starts after it, not between the two.
          if (lines[lines.length - 1] === base + at && this.charCodeAt(base + at - 1) === CR) lines[lines.length - 1]++;
          else lines.push(base + at + 1);
        } else if (code === CR) {
          lines.push(base + at + 1);
        }
      }
    }
    return (this.lineStarts = lines);
  }

  private charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return NaN;
    const i = this.pieceAt(offset);
    return this.pieces[i].charCodeAt(offset - this.starts[i]);
  }

  /** The piece holding `offset` (the last one for the length). */
  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.length));
  }
}

/** The buffer's change since `text`, when `document` is one of the server's documents and remembers that text. */
export function changedSince(document: TextDocument, text: string): ChangedRegion | 'unchanged' | undefined {
  return document instanceof PieceDocument ? document.changedSince(text) : undefined;
}

/** The characters of `document` from `start` to `end`, without joining the whole text when it is one of the server's. */
export function textBetween(document: TextDocument, start: number, end: number): string {
  return document instanceof PieceDocument ? document.textBetween(start, end) : document.getText().slice(start, end);
}

/** The document's length, without joining its text (past the last line, `offsetAt` gives the length). */
export function lengthOf(document: TextDocument): number {
  return document instanceof PieceDocument ? document.length : document.offsetAt({ line: document.lineCount, character: 0 });
}

/** The offset of the next line feed at or after `from` in `document`, or its length. */
export function lineFeedFrom(document: TextDocument, from: number): number {
  if (document instanceof PieceDocument) return document.lineFeedFrom(from);
  const text = document.getText();
  const found = text.indexOf('\n', from);
  return found < 0 ? text.length : found;
}

function cut(text: string): string[] {
  if (text.length <= PIECE_CHARS) return [text];
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += PIECE_CHARS) pieces.push(text.slice(at, at + PIECE_CHARS));
  return pieces;
}

/** Where lines start in `text` (after each line break), as offsets from `offset`. */
function lineStartsIn(text: string, offset: number): number[] {
  const starts: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === CR || code === LF) {
      if (code === CR && text.charCodeAt(at + 1) === LF) at++;
      starts.push(offset + at + 1);
    }
  }
  return starts;
}

function isLineBreak(code: number): boolean {
  return code === CR || code === LF;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
