/**
 * What a PCRE pattern (as nginx compiles it: `location ~`, `if (… ~ …)`, `rewrite`, map keys) can
 * match, read from its source without running it: its capture groups, the characters each can hold
 * or start with, what may stand just before one, and a string it matches. The security rules ask
 * these questions (can `$1` start with `..`, can it hold a line break, can an origin end after the
 * host); nothing here compiles or executes the pattern, so no input can make it slow.
 *
 * The reader knows PCRE's syntax well enough to answer conservatively: an escape, class or construct
 * it does not model stands for "any character", never for none.
 */
import { ownCopy } from './syntax';

/** A set of characters: the 128 ASCII ones by bit, everything above as one flag. */
export class CharSet {
  private readonly bits = new Uint32Array(4);
  private nonAscii = false;

  static of(chars: string): CharSet {
    const s = new CharSet();
    for (let i = 0; i < chars.length; i++) s.add(chars.charCodeAt(i));
    return s;
  }

  static any(): CharSet {
    const s = new CharSet();
    s.bits.fill(0xffffffff);
    s.nonAscii = true;
    return s;
  }

  add(code: number): void {
    if (code < 128) this.bits[code >> 5] |= 1 << (code & 31);
    else this.nonAscii = true;
  }

  addRange(from: number, to: number): void {
    for (let c = from; c <= Math.min(to, 127); c++) this.add(c);
    if (to >= 128) this.nonAscii = true;
  }

  addAll(other: CharSet): void {
    for (let i = 0; i < 4; i++) this.bits[i] |= other.bits[i];
    this.nonAscii ||= other.nonAscii;
  }

  /** A copy without one ASCII character. */
  without(code: number): CharSet {
    const s = new CharSet();
    s.addAll(this);
    s.bits[code >> 5] &= ~(1 << (code & 31));
    return s;
  }

  has(code: number): boolean {
    return code < 128 ? (this.bits[code >> 5] & (1 << (code & 31))) !== 0 : this.nonAscii;
  }

  hasChar(char: string): boolean {
    return this.has(char.charCodeAt(0));
  }

  /** The complement (a negated class). */
  negated(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 4; i++) s.bits[i] = ~this.bits[i];
    s.nonAscii = !this.nonAscii;
    return s;
  }

  /** Every character of this set is in `other`. */
  within(other: CharSet): boolean {
    for (let i = 0; i < 4; i++) if ((this.bits[i] & ~other.bits[i]) !== 0) return false;
    return !this.nonAscii || other.nonAscii;
  }

  isEmpty(): boolean {
    return !this.nonAscii && this.bits.every((b) => b === 0);
  }

  /** A character of the set, preferring a lower-case letter, then a digit, for readable samples. */
  pick(): string | undefined {
    for (const range of [[0x61, 0x7a], [0x30, 0x39], [0x41, 0x5a], [0x21, 0x7e]]) {
      for (let c = range[0]; c <= range[1]; c++) if (this.has(c)) return String.fromCharCode(c);
    }
    for (let c = 0; c < 128; c++) if (this.has(c)) return String.fromCharCode(c);
    return this.nonAscii ? 'é' : undefined;
  }

  /** Closed under ASCII case: what a caseless pattern matches. */
  caseless(): CharSet {
    const s = new CharSet();
    s.addAll(this);
    for (let c = 0x41; c <= 0x5a; c++) {
      if (this.has(c) || this.has(c + 32)) { s.add(c); s.add(c + 32); }
    }
    return s;
  }
}

const DIGITS = CharSet.of('0123456789');
const WORD = (() => { const s = CharSet.of('_'); s.addRange(0x30, 0x39); s.addRange(0x41, 0x5a); s.addRange(0x61, 0x7a); return s; })();
const SPACE = CharSet.of(' \t\n\r\f\v');
const HSPACE = CharSet.of(' \t');
const VSPACE = CharSet.of('\n\r\f\v');
const NEWLINE = 0x0a;

/** One element of a sequence: characters, a group, or an assertion that matches no character. */
export type RegexAtom =
  | { kind: 'chars'; set: CharSet; min: number; max: number; start: number; end: number }
  | { kind: 'group'; body: RegexAlternation; capture?: number; name?: string; min: number; max: number; start: number; end: number }
  | { kind: 'assert'; what: 'start' | 'end' | 'other'; start: number; end: number };

/** Alternatives, each a sequence of atoms. */
export interface RegexAlternation { branches: RegexAtom[][] }

export interface RegexGroup {
  /** 1-based, counting named groups too, as PCRE numbers them. */
  index: number;
  name?: string;
  atom: Extract<RegexAtom, { kind: 'group' }>;
}

export interface ReadRegex {
  source: string;
  root: RegexAlternation;
  groups: RegexGroup[];
}

const cache = new Map<string, ReadRegex | null>();

/**
 * The pattern read, or undefined when it is not one PCRE would compile (unbalanced parentheses or
 * brackets: the values family reports those). `caseless` for `~*` and map keys written `~*`.
 */
export function readRegex(source: string, caseless = false): ReadRegex | undefined {
  const key = `${caseless ? 'i' : 's'}${source}`;
  let read = cache.get(key);
  if (read === undefined) {
    read = new Reader(ownCopy(source), caseless).read() ?? null;
    if (cache.size > 2000) cache.clear();
    cache.set(ownCopy(key), read);
  }
  return read ?? undefined;
}

class Reader {
  private at = 0;
  private group = 0;
  private readonly groups: RegexGroup[] = [];
  private dotAll = false;
  private extended = false;

  constructor(private readonly src: string, private caseless: boolean) {}

  read(): ReadRegex | undefined {
    try {
      const root = this.alternation();
      if (this.at < this.src.length) return undefined; // a ")" with no "("
      return { source: this.src, root, groups: this.groups };
    } catch {
      return undefined;
    }
  }

  private alternation(): RegexAlternation {
    const branches: RegexAtom[][] = [this.sequence()];
    while (this.src[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return { branches };
  }

  private sequence(): RegexAtom[] {
    const out: RegexAtom[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const atom = this.atom();
      if (!atom) continue;
      if (atom.kind !== 'assert') this.quantifier(atom);
      out.push(atom);
    }
    return out;
  }

  private atom(): RegexAtom | undefined {
    const start = this.at;
    const ch = this.src[this.at++];
    const chars = (set: CharSet): RegexAtom => ({
      kind: 'chars', set: this.caseless ? set.caseless() : set, min: 1, max: 1, start, end: this.at
    });
    if (this.extended && /\s/.test(ch)) return undefined;
    if (this.extended && ch === '#') {
      while (this.at < this.src.length && this.src[this.at] !== '\n') this.at++;
      return undefined;
    }
    switch (ch) {
      case '^': return { kind: 'assert', what: 'start', start, end: this.at };
      case '$': return { kind: 'assert', what: 'end', start, end: this.at };
      case '.': return chars(this.dotAll ? CharSet.any() : CharSet.any().without(NEWLINE));
      case '[': return chars(this.bracket());
      case '(': return this.groupAtom(start);
      case '\\': return this.escape(start);
      default: return chars(CharSet.of(ch));
    }
  }

  private groupAtom(start: number): RegexAtom | undefined {
    const s = this.src;
    let capture: number | undefined;
    let name: string | undefined;
    let lookaround = false;
    if (s[this.at] === '*') { // (*VERB)
      const close = s.indexOf(')', this.at);
      if (close < 0) throw new Error('unclosed verb');
      this.at = close + 1;
      return { kind: 'assert', what: 'other', start, end: this.at };
    }
    if (s[this.at] === '?') {
      this.at++;
      const named = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(s.slice(this.at, this.at + 40));
      if (named) {
        name = named[1] ?? named[2];
        this.at += named[0].length;
        capture = ++this.group;
      } else if (s.startsWith('#', this.at)) {
        const close = s.indexOf(')', this.at);
        if (close < 0) throw new Error('unclosed comment');
        this.at = close + 1;
        return undefined;
      } else if (/^(=|!|<=|<!)/.test(s.slice(this.at, this.at + 2))) {
        lookaround = true;
        this.at += s[this.at] === '<' ? 2 : 1;
      } else if (s[this.at] === ':' || s[this.at] === '>' || s[this.at] === '|') {
        this.at++;
      } else {
        // Inline options: (?i) for the rest of the group, (?i:…) for a group.
        const options = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(s.slice(this.at, this.at + 20));
        if (!options) throw new Error('unknown group');
        this.at += options[0].length;
        const on = options[1];
        const off = options[2] ?? '';
        const apply = () => {
          if (on.includes('i')) this.caseless = true;
          if (off.includes('i')) this.caseless = false;
          if (on.includes('s')) this.dotAll = true;
          if (off.includes('s')) this.dotAll = false;
          if (on.includes('x')) this.extended = true;
          if (off.includes('x')) this.extended = false;
        };
        if (options[3] === ')') { apply(); return undefined; }
        const saved = [this.caseless, this.dotAll, this.extended] as const;
        apply();
        const body = this.alternation();
        [this.caseless, this.dotAll, this.extended] = saved;
        this.expect(')');
        return { kind: 'group', body, min: 1, max: 1, start, end: this.at };
      }
    } else {
      capture = ++this.group;
    }
    const saved = [this.caseless, this.dotAll, this.extended] as const;
    const body = this.alternation();
    [this.caseless, this.dotAll, this.extended] = saved;
    this.expect(')');
    if (lookaround) return { kind: 'assert', what: 'other', start, end: this.at };
    const atom = { kind: 'group' as const, body, capture, name, min: 1, max: 1, start, end: this.at };
    if (capture !== undefined) this.groups.push({ index: capture, name, atom });
    return atom;
  }

  private expect(ch: string): void {
    if (this.src[this.at] !== ch) throw new Error(`expected ${ch}`);
    this.at++;
  }

  private escape(start: number): RegexAtom | undefined {
    const s = this.src;
    const ch = s[this.at++];
    if (ch === undefined) throw new Error('trailing backslash');
    const chars = (set: CharSet): RegexAtom => ({
      kind: 'chars', set: this.caseless ? set.caseless() : set, min: 1, max: 1, start, end: this.at
    });
    if ('bBAzZGK'.includes(ch)) {
      return { kind: 'assert', what: ch === 'z' || ch === 'Z' ? 'end' : ch === 'A' ? 'start' : 'other', start, end: this.at };
    }
    if (ch === 'Q') {
      const close = s.indexOf('\\E', this.at);
      const literal = s.slice(this.at, close < 0 ? s.length : close);
      this.at = close < 0 ? s.length : close + 2;
      if (literal === '') return undefined;
      // A quoted run is a sequence; one atom for all of it is enough for these questions except order.
      const body: RegexAlternation = {
        branches: [[...literal].map((c): RegexAtom => ({
          kind: 'chars', set: this.caseless ? CharSet.of(c).caseless() : CharSet.of(c), min: 1, max: 1, start, end: this.at
        }))]
      };
      return { kind: 'group', body, min: 1, max: 1, start, end: this.at };
    }
    if (ch === 'E') return undefined;
    const known = escapeClass(ch);
    if (known) return chars(known);
    if (ch === 'x') {
      const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{1,2}))/.exec(s.slice(this.at, this.at + 10));
      if (m) {
        this.at += m[0].length;
        return chars(CharSet.of(String.fromCodePoint(parseInt(m[1] ?? m[2], 16))));
      }
      return chars(CharSet.of('\0'));
    }
    if (/[1-9]/.test(ch) || ch === 'k' || ch === 'g' || ch === 'p' || ch === 'P' || ch === 'X') {
      // Back references, Unicode properties: anything, conservatively.
      if (ch === 'k' || ch === 'g' || ch === 'p' || ch === 'P') {
        const m = /^(?:\{[^}]*\}|<[^>]*>|'[^']*'|-?\d+|\w)/.exec(s.slice(this.at, this.at + 40));
        if (m) this.at += m[0].length;
      } else {
        while (/\d/.test(s[this.at] ?? '')) this.at++;
      }
      return chars(CharSet.any());
    }
    if (ch === 'c') { this.at++; return chars(CharSet.any()); }
    if (ch === '0') return chars(CharSet.of('\0'));
    return chars(CharSet.of(ch));
  }

  /** A bracket class after its "[": its characters (complemented when it starts with "^"). */
  private bracket(): CharSet {
    const s = this.src;
    const set = new CharSet();
    let negate = false;
    if (s[this.at] === '^') { negate = true; this.at++; }
    let first = true;
    let previous: number | undefined;
    while (this.at < s.length && (s[this.at] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.at, this.at + 16));
      if (posix) {
        this.at += posix[0].length;
        const cls = posixClass(posix[2]);
        set.addAll(posix[1] ? cls.negated() : cls);
        previous = undefined;
        continue;
      }
      let code: number | undefined;
      if (s[this.at] === '\\') {
        const ch = s[this.at + 1];
        this.at += 2;
        const known = ch === undefined ? undefined : escapeClass(ch);
        if (known) { set.addAll(known); previous = undefined; continue; }
        if (ch === 'x') {
          const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{1,2}))/.exec(s.slice(this.at, this.at + 10));
          if (m) { this.at += m[0].length; code = parseInt(m[1] ?? m[2], 16); } else code = 0;
        } else if (ch === 'p' || ch === 'P') {
          const m = /^(?:\{[^}]*\}|\w)/.exec(s.slice(this.at, this.at + 40));
          if (m) this.at += m[0].length;
          set.addAll(CharSet.any());
          previous = undefined;
          continue;
        } else code = ch === undefined ? undefined : ch.charCodeAt(0);
      } else {
        code = s.charCodeAt(this.at++);
      }
      if (code === undefined) break;
      if (s[this.at] === '-' && s[this.at + 1] !== ']' && this.at + 1 < s.length && previous === undefined) {
        // A range: its end may itself be an escape.
        this.at++;
        let to: number;
        if (s[this.at] === '\\') { to = s.charCodeAt(this.at + 1); this.at += 2; } else to = s.charCodeAt(this.at++);
        set.addRange(code, to);
        previous = undefined;
        continue;
      }
      set.add(code);
      previous = undefined;
    }
    if (s[this.at] !== ']') throw new Error('unclosed bracket');
    this.at++;
    const result = negate ? set.negated() : set;
    return this.caseless ? result.caseless() : result;
  }

  private quantifier(atom: Exclude<RegexAtom, { kind: 'assert' }>): void {
    const s = this.src;
    for (;;) {
      const ch = s[this.at];
      let min: number, max: number;
      if (ch === '*') { min = 0; max = Infinity; this.at++; }
      else if (ch === '+') { min = 1; max = Infinity; this.at++; }
      else if (ch === '?') { min = 0; max = 1; this.at++; }
      else if (ch === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(s.slice(this.at, this.at + 24));
        if (!m || (m[1] === '' && m[3] === undefined) || (m[1] === '' && m[2] === undefined)) return; // a literal "{"
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.at += m[0].length;
      } else return;
      atom.min *= min;
      atom.max = atom.max * max;
      atom.end = this.at;
      if (s[this.at] === '?' || s[this.at] === '+') { this.at++; atom.end = this.at; } // lazy, possessive
    }
  }
}

function escapeClass(ch: string): CharSet | undefined {
  switch (ch) {
    case 'd': return DIGITS;
    case 'D': return DIGITS.negated();
    case 'w': return WORD;
    case 'W': return WORD.negated();
    case 's': return SPACE;
    case 'S': return SPACE.negated();
    case 'h': return HSPACE;
    case 'H': return HSPACE.negated();
    case 'v': return VSPACE;
    case 'V': return VSPACE.negated();
    case 'R': return VSPACE;
    case 'N': return CharSet.any().without(NEWLINE);
    case 'n': return CharSet.of('\n');
    case 'r': return CharSet.of('\r');
    case 't': return CharSet.of('\t');
    case 'f': return CharSet.of('\f');
    case 'e': return CharSet.of('\x1b');
    case 'a': return CharSet.of('\x07');
    default: return undefined;
  }
}

function posixClass(name: string): CharSet {
  const s = new CharSet();
  switch (name) {
    case 'alpha': s.addRange(0x41, 0x5a); s.addRange(0x61, 0x7a); break;
    case 'digit': s.addRange(0x30, 0x39); break;
    case 'alnum': s.addRange(0x30, 0x39); s.addRange(0x41, 0x5a); s.addRange(0x61, 0x7a); break;
    case 'upper': s.addRange(0x41, 0x5a); break;
    case 'lower': s.addRange(0x61, 0x7a); break;
    case 'xdigit': s.addRange(0x30, 0x39); s.addRange(0x41, 0x46); s.addRange(0x61, 0x66); break;
    case 'word': s.addAll(WORD); break;
    case 'space': s.addAll(SPACE); break;
    case 'blank': s.addAll(HSPACE); break;
    default: return CharSet.any();
  }
  return s;
}

// ---- questions about a read pattern -----------------------------------------------------------

/** Every character the atom (or alternation) can match somewhere. */
export function charsOf(node: RegexAtom | RegexAlternation): CharSet {
  const out = new CharSet();
  const visit = (n: RegexAtom | RegexAlternation): void => {
    if ('branches' in n) { for (const b of n.branches) for (const a of b) visit(a); return; }
    if (n.kind === 'assert' || n.max === 0) return;
    if (n.kind === 'chars') out.addAll(n.set);
    else if (n.kind === 'group') visit(n.body);
  };
  visit(node);
  return out;
}

/** Whether it can match the empty string. */
export function nullable(node: RegexAtom | RegexAlternation): boolean {
  if ('branches' in node) return node.branches.some((b) => b.every(nullable));
  if (node.kind === 'assert') return true;
  if (node.min === 0) return true;
  return node.kind === 'group' && nullable(node.body);
}

/** The longest match, in characters (Infinity when unbounded). */
export function maxLength(node: RegexAtom | RegexAlternation): number {
  if ('branches' in node) return Math.max(0, ...node.branches.map((b) => b.reduce((sum, a) => sum + maxLength(a), 0)));
  if (node.kind === 'assert') return 0;
  return node.max * (node.kind === 'chars' ? 1 : maxLength(node.body));
}

/** The characters a non-empty match can start with. */
export function firstChars(node: RegexAtom | RegexAlternation): CharSet {
  const out = new CharSet();
  if ('branches' in node) {
    for (const branch of node.branches) {
      for (const atom of branch) {
        out.addAll(firstChars(atom));
        if (!nullable(atom)) break;
      }
    }
    return out;
  }
  if (node.kind === 'assert' || node.max === 0) return out;
  return node.kind === 'chars' ? node.set : firstChars(node.body);
}

/** The characters a non-empty match can end with. */
export function lastChars(node: RegexAtom | RegexAlternation): CharSet {
  const out = new CharSet();
  if ('branches' in node) {
    for (const branch of node.branches) {
      for (let i = branch.length - 1; i >= 0; i--) {
        out.addAll(lastChars(branch[i]));
        if (!nullable(branch[i])) break;
      }
    }
    return out;
  }
  if (node.kind === 'assert' || node.max === 0) return out;
  return node.kind === 'chars' ? node.set : lastChars(node.body);
}

/**
 * What may stand just before a group's match: the characters, and whether the subject may begin
 * there (nothing before it). Alternatives and optional atoms before the group are all considered.
 */
export function charsBefore(regex: ReadRegex, target: RegexAtom): { chars: CharSet; subjectStart: boolean } {
  const chars = new CharSet();
  let subjectStart = false;
  // Finds the path of sequences down to the target, then walks back from it, climbing out of groups.
  const path: { branch: RegexAtom[]; index: number }[] = [];
  const find = (alt: RegexAlternation): boolean => {
    for (const branch of alt.branches) {
      for (let i = 0; i < branch.length; i++) {
        path.push({ branch, index: i });
        const atom = branch[i];
        if (atom === target) return true;
        if (atom.kind === 'group' && find(atom.body)) return true;
        path.pop();
      }
    }
    return false;
  };
  if (!find(regex.root)) return { chars: CharSet.any(), subjectStart: true };
  for (let level = path.length - 1; level >= 0; level--) {
    const { branch, index } = path[level];
    for (let i = index - 1; i >= 0; i--) {
      const atom = branch[i];
      if (atom.kind === 'assert' && atom.what === 'start') { subjectStart = true; return { chars, subjectStart }; }
      chars.addAll(lastChars(atom));
      if (!nullable(atom)) return { chars, subjectStart };
    }
    // A repeated enclosing group may follow its own earlier round.
    const enclosing = level > 0 ? path[level - 1].branch[path[level - 1].index] : undefined;
    if (enclosing && enclosing.kind === 'group' && enclosing.max > 1) chars.addAll(lastChars(enclosing));
  }
  // Nothing fixed before it: an unanchored pattern may start its match anywhere, but PCRE takes the
  // leftmost match, so the group may also start at the subject's beginning.
  return { chars, subjectStart: true };
}

/** Whether the pattern is anchored at its end in every branch (`$`, `\z`, `\Z` last). */
export function anchoredAtEnd(alt: RegexAlternation): boolean {
  return alt.branches.every((branch) => {
    for (let i = branch.length - 1; i >= 0; i--) {
      const atom = branch[i];
      if (atom.kind === 'assert') { if (atom.what === 'end') return true; continue; }
      if (atom.kind === 'group' && atom.min >= 1 && atom.max === 1) return anchoredAtEnd(atom.body);
      return false;
    }
    return false;
  });
}

/**
 * A string the alternation matches (first branch, fewest repetitions, readable characters), with
 * `replace` giving the text for particular atoms instead (the part an attacker chooses). Undefined
 * when an atom matches nothing.
 */
export function sample(node: RegexAlternation, replace?: (atom: RegexAtom) => string | undefined): string | undefined {
  let out = '';
  for (const atom of node.branches[0] ?? []) {
    const instead = replace?.(atom);
    if (instead !== undefined) { out += instead; continue; }
    if (atom.kind === 'assert') continue;
    // A "*" of letters gives one, so that ".*\.example" reads as a name ("a.example"), not as ".example".
    const times = atom.min === 0 && atom.max === Infinity && atom.kind === 'chars' && atom.set.hasChar('a') ? 1 : atom.min;
    if (times === 0) continue;
    let one: string | undefined;
    if (atom.kind === 'chars') one = atom.set.pick();
    else one = sample(atom.body, replace);
    if (one === undefined) return undefined;
    out += one.repeat(Math.min(times, 16));
  }
  return out;
}

/** The capture group a `$N` or `$name` reference names, if the pattern has it. */
export function groupOf(regex: ReadRegex, ref: string): RegexGroup | undefined {
  if (/^[1-9]$/.test(ref)) return regex.groups.find((g) => g.index === Number(ref));
  return regex.groups.find((g) => g.name === ref);
}

/** Whether some character of the set is a line feed. */
export function admitsLineFeed(set: CharSet): boolean {
  return set.has(NEWLINE);
}
