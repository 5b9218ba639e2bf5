// Data-driven fixtures: expected diagnostics are written inline, under the line they point at:
//
//     proxy_pass https://backend;
//     #          ^^^^^^^^^^^^^^^ warning tls-upstream-unverified: verified
//
// The carets give the columns (a "#" directly followed by "^" stands at column 0, so "#^^^^^" marks
// columns 0-4); then a severity, a code, and optionally ": text" the message must contain. The
// diagnostic must start at the first caret and, when it ends on the same line, end after the last
// one (caret count = range length). A range that spans lines is matched by its start alone: its
// carets give the start column, and its end is not checked. A single "|" in place of the carets
// marks an empty range at its column (events-missing points at the start of a file, 0-0). A line
// "# @eof severity code" expects
// a diagnostic at the very end of the file. Several annotation lines in a row all point at the line
// above the first of them.
//
// A negative annotation has "not" in place of the severity, and no message:
//
//     proxy_pass https://backend;
//     #          ^^^^^^^^^^^^^^^ not tls-upstream-unverified
//
// meaning no diagnostic with that code may start on the target line within those columns. It is no
// expectation to be met: it holds as long as nothing of that code fires there.
//
// Every diagnostic must be expected and every expectation met. Annotation lines are ordinary nginx
// (and YAML) comments, so fixtures stay valid input. A comment that looks like an annotation ("#",
// optional spaces, then "^" or "@eof") but does not parse is an error, never a silent comment.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SEVERITIES = ['error', 'warning', 'information', 'hint'];
const LOOKS_LIKE = /^\s*#\s*(\^|\||@eof)/;
const ANNOTATION = /^(\s*)#(\s*)(\^+|\||@eof)\s+(error|warning|information|hint|not)\s+([a-z0-9]+(?:-[a-z0-9]+)*)(?::\s*(.*?))?\s*$/;

/** Where each text read by fixtureCases came from, so an annotation error can name its file. */
const origins = new Map();

/** The annotations of one text, parsed, with 0-based lines and columns; throws on a malformed one. */
function parse(text, file = origins.get(text) ?? '<text>') {
  const lines = text.split(/\r?\n/);
  const out = [];
  let target = -1;
  lines.forEach((line, i) => {
    if (!LOOKS_LIKE.test(line)) { target = i; return; }
    const m = ANNOTATION.exec(line);
    const where = `${file}:${i + 1}`;
    if (!m) {
      throw new Error(`${where}: malformed annotation ${JSON.stringify(line.trim())}: `
        + `expected "# ^^^ <${SEVERITIES.join('|')}> <code>[: text]", "# | <severity> <code>" (an empty range), `
        + `"# ^^^ not <code>" or "# @eof <severity> <code>[: text]"`);
    }
    const [, indent, gap, marks, severity, code, message] = m;
    if (severity === 'not' && message !== undefined)
      throw new Error(`${where}: a "not" annotation takes no message: ${JSON.stringify(line.trim())}`);
    if (marks === '@eof') {
      if (severity === 'not') throw new Error(`${where}: "@eof not" is not supported; use carets`);
      const end = lines.length - 1;
      out.push({
        kind: 'fires', line: end, start: lines[end].length, end: lines[end].length, severity, code, message: message || undefined,
        source: where
      });
      return;
    }
    if (target < 0) throw new Error(`${where}: an annotation needs a line above it to point at`);
    const hashCol = indent.length;
    const start = gap.length === 0 ? hashCol : hashCol + 1 + gap.length;
    const end = marks === '|' ? start : start + marks.length;
    if (severity === 'not') out.push({ kind: 'not', line: target, start, end: Math.max(end, start + 1), code, source: where });
    else out.push({ kind: 'fires', line: target, start, end, severity, code, message: message || undefined, source: where });
  });
  return out;
}

/**
 * Expected diagnostics of one text ({line, start, end, severity, code, message}, 0-based), and its
 * negative annotations ({kind: 'not', line, start, end, code}). `file` names it in errors (by
 * default, the file fixtureCases read it from).
 */
export function expectations(text, file) {
  return parse(text, file);
}

/** For a text, its annotations as {code, kind: 'fires' | 'not'}, in order. */
export function annotations(text, file) {
  return parse(text, file).map(({ code, kind }) => ({ code, kind }));
}

const at = (d) => `${d.range.start.line + 1}:${d.range.start.character + 1}`;
const span = (d) => `cols ${d.range.start.character}-${d.range.end.character}`
  + `${d.range.end.line !== d.range.start.line ? ` to line ${d.range.end.line + 1}` : ''}`;

/** Compares diagnostics ({range, severity, code, message}) with expectations; returns problems as text. */
export function compare(diagnostics, expected, file) {
  const problems = [];
  const unmatched = [...diagnostics];
  for (const e of expected.filter((x) => x.kind !== 'not')) {
    const index = unmatched.findIndex((d) => d.range.start.line === e.line && d.range.start.character === e.start
      && d.code === e.code && d.severity === e.severity
      && (d.range.end.line !== d.range.start.line || d.range.end.character === e.end)
      && (!e.message || d.message.includes(e.message)));
    if (index < 0) problems.push(`${file}:${e.line + 1}:${e.start + 1}: expected ${e.severity} ${e.code}`
      + `${e.message ? `: ${e.message}` : ''} (cols ${e.start}-${e.end})`);
    else unmatched.splice(index, 1);
  }
  for (const n of expected.filter((x) => x.kind === 'not')) {
    for (const d of diagnostics) {
      if (d.code === n.code && d.range.start.line === n.line && d.range.start.character >= n.start && d.range.start.character < n.end) {
        problems.push(`${file}:${at(d)}: ${d.severity} ${d.code} fires where the annotation says it must not `
          + `(cols ${n.start}-${n.end}): ${d.message} (${span(d)})`);
      }
    }
  }
  for (const d of unmatched) {
    problems.push(`${file}:${at(d)}: unexpected ${d.severity} ${d.code}: ${d.message} (${span(d)})`);
  }
  return problems;
}

/** Fixture cases under `dir`: a file is a case; a folder is a case made of all files below it. */
export function fixtureCases(dir) {
  return readdirSync(dir).sort().map((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      const files = {};
      const walk = (d) => {
        for (const entry of readdirSync(d).sort()) {
          const p = join(d, entry);
          if (statSync(p).isDirectory()) walk(p); else origins.set(files[p] = readFileSync(p, 'utf8'), p);
        }
      };
      walk(full);
      return { name, root: full, files };
    }
    const text = readFileSync(full, 'utf8');
    origins.set(text, full);
    return { name, root: dir, files: { [full]: text } };
  });
}

export function displayPath(root, file) {
  return relative(root, file) || file;
}
