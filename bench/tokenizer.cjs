'use strict';
// A bare nginx tokenizer: the speed floor for "read the text once and cut it into tokens".
// Words, quoted strings, comments, ";", "{", "}". No tree, no recovery, no escapes decoded.
// Returns the token count; with `out` it also collects [kind, start, end] triples.
const SP = 32, TAB = 9, LF = 10, CR = 13, HASH = 35, SEMI = 59, LB = 123, RB = 125, DQ = 34, SQ = 39, BS = 92;
function isSpace(c) { return c === SP || c === TAB || c === LF || c === CR; }
function tokenize(text, out) {
  const n = text.length;
  let pos = 0, count = 0;
  const emit = out ? (k, s, e) => { out.push(k, s, e); count++; } : () => { count++; };
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (isSpace(c)) { pos++; continue; }
    const start = pos;
    if (c === HASH) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? n : nl;
      emit(0, start, pos);
    } else if (c === SEMI || c === LB || c === RB) {
      pos++;
      emit(c, start, pos);
    } else if (c === DQ || c === SQ) {
      pos++;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === BS) pos += 2; else if (d === c) { pos++; break; } else pos++;
      }
      emit(1, start, pos);
    } else {
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === BS) { pos += 2; continue; }
        if (isSpace(d) || d === SEMI || d === LB || d === RB) break;
        pos++;
      }
      emit(2, start, Math.min(pos, n));
    }
  }
  return count;
}
module.exports = { tokenize };
