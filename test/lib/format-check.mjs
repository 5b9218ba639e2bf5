// What every formatting result must satisfy, for the unit tests and scripts/format-corpus.mjs:
// the edits replace whitespace with whitespace, the tokens before and after are the same sequence,
// formatting the result again changes nothing, and range formatting keeps to its lines and leads to
// the same text as formatting the whole file.
import { service } from './service.mjs';

/** The indentation styles every check runs with. */
export const STYLES = [
  { tabSize: 4, insertSpaces: true },
  { tabSize: 2, insertSpaces: true },
  { tabSize: 8, insertSpaces: false },
];

const WHITESPACE = /^[ \t\r\n]*$/;

/** The service's own, one pass in offset order. */
export const applyEdits = (text, edits) => service.applyEdits(text, edits);

/** Problems with a list of edits of `text`: order, overlap, anything but whitespace replaced or inserted. */
export function editProblems(text, edits) {
  const problems = [];
  let last = 0;
  for (const e of edits) {
    if (e.start < last || e.end < e.start) problems.push(`edit ${e.start}-${e.end} overlaps or is out of order`);
    const replaced = text.slice(e.start, e.end);
    if (!WHITESPACE.test(replaced)) problems.push(`edit ${e.start}-${e.end} replaces ${JSON.stringify(replaced)}`);
    if (!WHITESPACE.test(e.newText)) problems.push(`edit ${e.start}-${e.end} inserts ${JSON.stringify(e.newText)}`);
    last = e.end;
  }
  return problems;
}

/** Problems with `after` as a formatting of `before`: a token changed, or formatting it again changes it. */
export function resultProblems(before, after, options) {
  const problems = [];
  const difference = service.tokenDifference(before, after);
  if (difference) {
    problems.push(`token ${difference.index} changed: ${JSON.stringify(difference.before)} became ${JSON.stringify(difference.after)}`);
  }
  const again = service.formatText(after, options);
  if (again !== after) problems.push(`not idempotent: formatting again changes line ${firstDifferentLine(after, again)}`);
  return problems;
}

/** Problems with formatting the whole text (a file with syntax errors must get no edits). */
export function documentProblems(text, options) {
  const edits = service.formatDocument(service.parseConfig(text), options);
  const problems = editProblems(text, edits);
  if (edits.length && service.parseConfig(text).problems.length) problems.push('edits for a file with syntax errors');
  return problems.concat(resultProblems(text, applyEdits(text, edits), options));
}

/**
 * Problems with formatting a range: the document checks, plus edits only on the lines of the
 * statements the range touches, and the same text as whole-file formatting once that follows.
 */
export function rangeProblems(text, range, options) {
  const edits = service.formatRange(service.parseConfig(text), range, options);
  const problems = editProblems(text, edits);
  const lines = touchedLines(text, range);
  for (const e of edits) {
    if (e.start < lines.start || e.end > lines.end) {
      problems.push(`edit ${e.start}-${e.end} outside the lines ${lines.start}-${lines.end} of range ${range.start}-${range.end}`);
    }
  }
  const after = applyEdits(text, edits);
  const difference = service.tokenDifference(text, after);
  if (difference) {
    const { index, before, after: now } = difference;
    problems.push(`range: token ${index} changed: ${JSON.stringify(before)} became ${JSON.stringify(now)}`);
  }
  // Compared with line breaks as LF: a range may remove the line break a file's line-break kind is read from.
  const lf = (t) => t.replaceAll('\r\n', '\n');
  if (lf(service.formatText(after, options)) !== lf(service.formatText(text, options))) {
    problems.push(`range ${range.start}-${range.end}: formatting the whole file afterwards gives another text`);
  }
  return problems;
}

/**
 * The lines a range formatting may edit: the lines of the statements (a directive's words up to its
 * `;` or `{`) the range touches, and again those of any statement that shares one of these lines.
 */
export function touchedLines(text, range) {
  const heads = [];
  const collect = (nodes) => {
    for (const n of nodes) {
      if (n.kind !== 'directive') continue;
      heads.push({ start: n.start, end: n.block ? n.block.open + 1 : n.end });
      if (n.block && !n.block.raw) collect(n.block.children);
    }
  };
  collect(service.parseConfig(text).children);
  const lineStart = (offset) => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset) => (text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset));
  let start = lineStart(range.start);
  let end = lineEnd(Math.max(range.start, range.end - 1));
  for (let grown = true; grown;) {
    grown = false;
    for (const h of heads) {
      if (h.end <= start || h.start > end) continue;
      if (h.start < start) { start = lineStart(h.start); grown = true; }
      if (h.end > end) { end = lineEnd(h.end); grown = true; }
    }
  }
  return { start, end };
}

export function firstDifferentLine(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((l, n) => l !== y[n]);
  return i < 0 ? x.length + 1 : i + 1;
}
