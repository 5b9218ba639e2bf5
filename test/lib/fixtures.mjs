// Data-driven fixtures: expected diagnostics are written inline, under the line they point at:
//
//     proxy_pass https://backend;
//     #          ^^^^^^^^^^^^^^^ warning tls-upstream-unverified: verified
//
// The carets give the columns (a "#" directly followed by "^" stands at column 0, so "#^^^^^" marks
// columns 0-4); then a severity, a code, and optionally ": text" the message must contain. A line
// "# @eof severity code" expects a diagnostic at the very end of the file. Every diagnostic must be expected and
// every expectation met. Annotation lines are ordinary nginx comments, so fixtures stay valid input.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ANNOTATION = /^(\s*)#(\s*)(\^+|@eof)\s+(error|warning|information|hint)\s+([a-z0-9-]+)(?::\s*(.*))?\s*$/;

/** Expected diagnostics of one file, with 0-based lines and columns. */
export function expectations(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m) { target = i; return; }
    if (m[3] === '@eof') {
      const end = text.endsWith('\n') ? lines.length - 1 : lines.length - 1;
      out.push({ line: end, start: lines[end].length, end: lines[end].length, severity: m[4], code: m[5], message: m[6]?.trim() });
      return;
    }
    const hashCol = m[1].length;
    const caretStart = m[2].length === 0 ? hashCol : hashCol + 1 + m[2].length;
    out.push({ line: target, start: caretStart, end: caretStart + m[3].length, severity: m[4], code: m[5], message: m[6]?.trim() });
  });
  return out;
}

/** Compares diagnostics ({range, severity, code, message}) with expectations; returns problems as text. */
export function compare(diagnostics, expected, file) {
  const problems = [];
  const unmatched = [...diagnostics];
  for (const e of expected) {
    const index = unmatched.findIndex((d) => d.range.start.line === e.line && d.range.start.character === e.start
      && d.code === e.code && d.severity === e.severity
      && (d.range.end.line !== d.range.start.line || d.range.end.character === e.end)
      && (!e.message || d.message.includes(e.message)));
    if (index < 0) problems.push(`${file}:${e.line + 1}:${e.start + 1}: expected ${e.severity} ${e.code}${e.message ? `: ${e.message}` : ''} (cols ${e.start}-${e.end})`);
    else unmatched.splice(index, 1);
  }
  for (const d of unmatched) {
    problems.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: unexpected ${d.severity} ${d.code}: ${d.message} (cols ${d.range.start.character}-${d.range.end.character}${d.range.end.line !== d.range.start.line ? ` to line ${d.range.end.line + 1}` : ''})`);
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
          if (statSync(p).isDirectory()) walk(p); else files[p] = readFileSync(p, 'utf8');
        }
      };
      walk(full);
      return { name, root: full, files };
    }
    return { name, root: dir, files: { [full]: readFileSync(full, 'utf8') } };
  });
}

export function displayPath(root, file) {
  return relative(root, file) || file;
}
