/**
 * Offsets between the text an analysis read and the buffer as it is now, for hover and completion
 * while a large file is typed in: they answer from the last analysis instead of waiting for the next.
 * Whatever happened in between, the two differ in one region at most, and an offset outside the lines
 * of that region stands in the same text in both. The server's documents know that region from the
 * edits they applied (../piece-document.ts); for any other pair of texts the two are compared.
 */
import type { ChangedRegion } from '../piece-document';

export interface EditMap {
  /** The offset in the analysed text of `offset` in the buffer; undefined on a line the edits touched. */
  back(offset: number): number | undefined;
  /** The buffer's offset of an analysed text's offset; undefined inside the edited region. */
  forward(offset: number): number | undefined;
  /** The edited lines: from `start` to `analysedEnd` in the analysed text, to `currentEnd` in the buffer. */
  edited?: { start: number; analysedEnd: number; currentEnd: number };
}

/** Texts are compared in slices of this many characters (native comparisons), then character by character. */
const CHUNK = 4096;

function commonPrefix(a: string, b: string, limit: number): number {
  let at = 0;
  while (at + CHUNK <= limit && a.slice(at, at + CHUNK) === b.slice(at, at + CHUNK)) at += CHUNK;
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + CHUNK <= limit && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < limit && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}

/** The map between two equal texts. */
export const UNCHANGED: EditMap = { back: (offset) => offset, forward: (offset) => offset };

/** How `analysed` became `current`, found by comparing them (see `editMapOf`). */
export function editMap(analysed: string, current: string): EditMap {
  if (analysed === current) return UNCHANGED;
  const shorter = Math.min(analysed.length, current.length);
  const prefix = commonPrefix(analysed, current, shorter);
  const suffix = commonSuffix(analysed, current, shorter - prefix);
  const lineFeedFrom = (offset: number): number => {
    const found = current.indexOf('\n', offset);
    return found < 0 ? current.length : found;
  };
  return editMapOf(analysed, { start: prefix, before: analysed.length - suffix, after: current.length - suffix }, lineFeedFrom);
}

/**
 * How `analysed` became the buffer, which differs from it in `changed`. The region counts as edited
 * from the start of its first line to the end of its last (in both texts), so that an answer mapped
 * back never reads a word or an argument that was half typed: the line holding the cursor must be
 * the same line in both. `lineFeedFrom` finds the buffer's next line feed.
 */
export function editMapOf(analysed: string, changed: ChangedRegion, lineFeedFrom: (offset: number) => number): EditMap {
  const lineStart = changed.start === 0 ? 0 : analysed.lastIndexOf('\n', changed.start - 1) + 1;
  const analysedLineFeed = analysed.indexOf('\n', changed.before);
  const analysedEnd = analysedLineFeed < 0 ? analysed.length : analysedLineFeed;
  const currentEnd = lineFeedFrom(changed.after);
  const shift = currentEnd - analysedEnd;
  return {
    back: (offset) => (offset < lineStart ? offset : offset > currentEnd ? offset - shift : undefined),
    forward: (offset) => (offset < lineStart ? offset : offset > analysedEnd ? offset + shift : undefined),
    edited: { start: lineStart, analysedEnd, currentEnd },
  };
}

/** A range moved into the buffer's offsets; undefined when either end lies in the edited region. */
export function rangeForward<T extends { start: number; end: number }>(map: EditMap, range: T): T | undefined {
  const start = map.forward(range.start);
  const end = map.forward(range.end);
  if (start === undefined || end === undefined) return undefined;
  return { ...range, start, end };
}
