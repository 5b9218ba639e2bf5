'use strict';
// A bare nginx tokenizer: the speed floor for "read the text once and cut it into tokens".
// Words, quoted strings, comments, ";", "{", "}". No tree, no recovery, no escapes decoded.
// Returns the tokens as strings (what a naive "split the config" step would hand to a parser).
const SP = 32, TAB = 9, LF = 10, CR = 13, HASH = 35, SEMI = 59, LB = 123, RB = 125, DQ = 34, SQ = 39, BS = 92;
function isSpace(c) { return c === SP || c === TAB || c === LF || c === CR; }
function tokenize(text) {
  const n = text.length;
  const out = [];
  let pos = 0;
  const emit = (s, e) => { out.push(text.slice(s, e)); };
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (isSpace(c)) { pos++; continue; }
    const start = pos;
    if (c === HASH) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? n : nl;
      emit(start, pos);
    } else if (c === SEMI || c === LB || c === RB) {
      pos++;
      emit(start, pos);
    } else if (c === DQ || c === SQ) {
      pos++;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === BS) pos += 2; else if (d === c) { pos++; break; } else pos++;
      }
      emit(start, pos);
    } else {
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === BS) { pos += 2; continue; }
        if (isSpace(d) || d === SEMI || d === LB || d === RB) break;
        pos++;
      }
      emit(start, Math.min(pos, n));
    }
  }
  return out;
}
module.exports = { tokenize };
