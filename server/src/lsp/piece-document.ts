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
 * Each joined text is remembered (the last two) with the regions the edits since have changed, so
 * that hover and completion can map the buffer onto the analysis that read that text without
 * comparing 1.5 MB (./modes/edit-map.ts), and still answer between two places edited far apart.
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

/** Regions kept per remembered text; past that, the two closest merge (one region spans the lines between them). */
const MAX_REGIONS = 16;

/**
 * Where a buffer differs from a text it had: from `from` to `to` in that text, from `start` to `end`
 * in the buffer. Regions are kept in order and apart; between them the two texts are the same.
 */
export interface ChangedRegion {
  from: number;
  to: number;
  start: number;
  end: number;
}

export class PieceDocument implements TextDocument {
  private pieces: string[] = [];
  /** Where each piece starts; one more entry, the length. */
  private starts: number[] = [];
  /** Where each line starts, made when first needed (as vscode-languageserver-textdocument does). */
  private lineStarts: number[] | undefined;
  private joined: string | undefined;
  private remembered: { text: string; changed: ChangedRegion[] }[] = [];

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
        this.remembered.unshift({ text: this.joined, changed: [] });
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

  /**
   * How the buffer differs from `text`, one of the last texts `getText()` gave: the regions edited
   * since ([] when none), or undefined for any other text (the caller compares the two).
   */
  changedSince(text: string): readonly ChangedRegion[] | undefined {
    const found = this.remembered.find((r) => r.text === text);
    // A character typed and taken back leaves the same text in its region: dropped, where that is cheap to tell.
    return found?.changed.filter((r) => r.end - r.start !== r.to - r.from || r.end - r.start > PIECE_CHARS
      || text.slice(r.from, r.to) !== this.textBetween(r.start, r.end));
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

  /** Each remembered text's regions take in an edit of the buffer from `start` to `end` that put `inserted` characters there. */
  private recordChange(start: number, end: number, inserted: number): void {
    this.joined = undefined;
    for (const r of this.remembered) r.changed = withEdit(r.changed, start, end, inserted);
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

/**
 * `regions` after an edit of the buffer from `start` to `end` (its offsets before the edit) that put
 * `inserted` characters there: the regions it touches and the edit become one, and those after it move.
 */
function withEdit(regions: readonly ChangedRegion[], start: number, end: number, inserted: number): ChangedRegion[] {
  const shift = inserted - (end - start);
  const before = regions.filter((r) => r.end < start);
  const touched = regions.filter((r) => r.end >= start && r.start <= end);
  const after = regions.filter((r) => r.start > end).map((r) => ({ ...r, start: r.start + shift, end: r.end + shift }));
  // Between regions, an offset of the buffer stands in the text shifted by the edits before it.
  const last = before[before.length - 1];
  const gapShift = last ? last.end - last.to : 0;
  const first = touched[0];
  const final = touched[touched.length - 1];
  const merged: ChangedRegion = {
    start: first && first.start < start ? first.start : start,
    from: first && first.start <= start ? first.from : start - gapShift,
    end: (final && final.end > end ? final.end : end) + shift,
    to: final && final.end >= end ? final.to : end - (final ? final.end - final.to : gapShift),
  };
  const all = [...before, merged, ...after];
  while (all.length > MAX_REGIONS) {
    let closest = 0;
    for (let i = 1; i < all.length - 1; i++) if (all[i + 1].start - all[i].end < all[closest + 1].start - all[closest].end) closest = i;
    all.splice(closest, 2, { from: all[closest].from, start: all[closest].start, to: all[closest + 1].to, end: all[closest + 1].end });
  }
  return all;
}

/** The buffer's changes since `text`, when `document` is one of the server's documents and remembers that text. */
export function changedSince(document: TextDocument, text: string): readonly ChangedRegion[] | undefined {
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
