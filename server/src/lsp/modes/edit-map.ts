/**
 * Offsets between the text an analysis read and the buffer as it is now, for hover and completion
 * while a large file is typed in: they answer from the last analysis instead of waiting for the next.
 * The two differ in a few regions; an offset outside the lines of those regions stands in the same
 * text in both. The server's documents record the regions from the edits they apply
 * (../piece-document.ts); for any other pair of texts the two are compared, which finds one region
 * (from the first character that differs to the last).
 */
import type { ChangedRegion } from '../piece-document';

/** Lines edited since the analysis: from `from` to `to` in the analysed text, from `start` to `end` in the buffer. */
export interface EditedLines {
  from: number;
  to: number;
  start: number;
  end: number;
}

export interface EditMap {
  /** The offset in the analysed text of `offset` in the buffer; undefined on a line the edits touched. */
  back(offset: number): number | undefined;
  /** The buffer's offset of an analysed text's offset; undefined on an edited line. */
  forward(offset: number): number | undefined;
  /** The edited lines, in order. */
  edited: readonly EditedLines[];
  /** The edited lines holding the buffer's `offset` (the line feed ending them included). */
  editedAt(offset: number): EditedLines | undefined;
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

/** How `analysed` became `current`, found by comparing them (see `editMapOf`). */
export function editMap(analysed: string, current: string): EditMap {
  if (analysed === current) return mapOf([]);
  const shorter = Math.min(analysed.length, current.length);
  const prefix = commonPrefix(analysed, current, shorter);
  const suffix = commonSuffix(analysed, current, shorter - prefix);
  return editMapOf(analysed, [{ from: prefix, to: analysed.length - suffix, start: prefix, end: current.length - suffix }]);
}

/**
 * How `analysed` became the buffer, which differs from it in `changed` (in order, apart). Each
 * region counts as edited from the start of its first line to the end of its last (in both texts),
 * so that an answer mapped back never reads a word or an argument that was half typed: the line
 * holding the cursor must be the same line in both. Regions whose lines meet become one.
 */
export function editMapOf(analysed: string, changed: readonly ChangedRegion[]): EditMap {
  const edited: EditedLines[] = [];
  for (const region of changed) {
    // Between regions the texts are the same, so a line's ends found in the analysed text stand in the buffer too.
    const from = region.from === 0 ? 0 : analysed.lastIndexOf('\n', region.from - 1) + 1;
    const lineFeed = analysed.indexOf('\n', region.to);
    const to = lineFeed < 0 ? analysed.length : lineFeed;
    const lines = { from, to, start: region.start - (region.from - from), end: region.end + (to - region.to) };
    const previous = edited[edited.length - 1];
    // Lines that meet the previous region's (the same line, or the next): one region.
    if (previous && from <= previous.to + 1) edited[edited.length - 1] = { ...previous, to: lines.to, end: lines.end };
    else edited.push(lines);
  }
  return mapOf(edited);
}

function mapOf(edited: readonly EditedLines[]): EditMap {
  /** The last region starting at or before `offset` (in the buffer's offsets, or in the analysed text's). */
  const lastUpTo = (offset: number, key: 'start' | 'from'): EditedLines | undefined => {
    let low = 0;
    let high = edited.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (edited[middle][key] <= offset) low = middle + 1;
      else high = middle;
    }
    return edited[low - 1];
  };
  return {
    back(offset) {
      const region = lastUpTo(offset, 'start');
      if (!region) return offset;
      return offset > region.end ? offset - (region.end - region.to) : undefined;
    },
    forward(offset) {
      const region = lastUpTo(offset, 'from');
      if (!region) return offset;
      return offset > region.to ? offset + (region.end - region.to) : undefined;
    },
    edited,
    editedAt(offset) {
      const region = lastUpTo(offset, 'start');
      return region && offset <= region.end ? region : undefined;
    },
  };
}

/** A range moved into the buffer's offsets; undefined when either end lies on an edited line. */
export function rangeForward<T extends { start: number; end: number }>(map: EditMap, range: T): T | undefined {
  const start = map.forward(range.start);
  const end = map.forward(range.end);
  if (start === undefined || end === undefined) return undefined;
  return { ...range, start, end };
}
