/**
 * Regular expressions and the captures they set: `$1`…`$9` that nothing captures
 * (capture-group-missing), the rewrite and map patterns that overflow a worker's heap on the releases
 * nginx-lint names (rewrite-capture-overflow), and two hints that are off by default: nested
 * unbounded repetition (regex-redos, judged here, never sent anywhere) and regex locations anchored
 * nowhere (location-regex-unanchored).
 *
 * nginx keeps one set of captures per request: every regex that matches (a location's, an `if`'s, a
 * rewrite's, a server_name's, a map's) replaces it, and `$N` reads whatever the last match left.
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { CaptureUse, CheckContext, EndContext, FixSite, NginxFamily } from '../context';
import { type NginxVersion, formatVersion, locationMatch, versionAtLeast } from '../knowledge';
import { type Directive, type Word, ownCopy } from '../syntax';
import { children } from '../text-edits';
import { checkRegexShape } from './values';

/** What a regular expression captures, read the way PCRE numbers groups. */
export interface RegexGroups {
  /** Capturing groups, named ones included (they are numbered too). */
  total: number;
  /** Offsets of the "(" of each unnamed capturing group, in order. */
  unnamed: number[];
  named: number;
  /** It refers to a group by number (\1, \g{1}, (?1), (?(1)…)): its groups cannot be renumbered or dropped. */
  numberedReference: boolean;
  /** A branch reset group (?|…) renumbers groups: the count is not known. */
  uncertain: boolean;
}

const groupsCache = new Map<string, RegexGroups>();

/** The capturing groups of a PCRE pattern (memoised by its text: configs repeat a few patterns many times). */
export function regexGroups(source: string): RegexGroups {
  let known = groupsCache.get(source);
  if (!known) {
    const own = ownCopy(source);
    known = countGroups(own);
    if (groupsCache.size > 10_000) groupsCache.clear();
    groupsCache.set(own, known);
  }
  return known;
}

function countGroups(source: string): RegexGroups {
  const out: RegexGroups = { total: 0, unnamed: [], named: 0, numberedReference: false, uncertain: false };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === 'Q') { const end = source.indexOf('\\E', i + 2); i = end < 0 ? source.length : end + 1; continue; }
      if ((next >= '1' && next <= '9') || next === 'g') out.numberedReference = true;
      i++;
      continue;
    }
    if (ch === '[') { i = classEnd(source, i); continue; }
    if (ch !== '(') continue;
    if (source[i + 1] === '*') continue; // (*VERB)
    if (source[i + 1] !== '?') { out.unnamed.push(i); out.total++; continue; }
    const kind = source[i + 2];
    if ((kind === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') || kind === '\'' || (kind === 'P' && source[i + 3] === '<')) {
      out.named++;
      out.total++;
    } else if (kind === '|') out.uncertain = true;
    else if ((kind >= '0' && kind <= '9') || kind === '+' || kind === '-' || kind === '(' || kind === 'R') out.numberedReference = true;
  }
  return out;
}

/** The offset of the "]" that closes the class opened at `open` (a "]" first in the class is a literal). */
function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') { i++; continue; }
    if (source[i] === '[' && source[i + 1] === ':') { const end = source.indexOf(':]', i + 2); if (end > 0) { i = end + 1; continue; } }
    if (source[i] === ']') return i;
  }
  return source.length;
}

const capturesRead = new Map<string, number>();

/**
 * The highest `$1`…`$9` a value reads; 0 for none. nginx reads one digit right after "$"
 * (ngx_http_script_compile): `$10` is `$1` then "0", and `${1}` is no capture. Memoised by value (the
 * parser interns words; generated configurations repeat them).
 */
export function highestCapture(value: string): number {
  let known = capturesRead.get(value);
  if (known === undefined) {
    known = scanCaptures(value);
    if (capturesRead.size > 10_000) capturesRead.clear();
    capturesRead.set(ownCopy(value), known);
  }
  return known;
}

function scanCaptures(value: string): number {
  let highest = 0;
  for (let p = value.indexOf('$'); p >= 0; p = value.indexOf('$', p + 1)) {
    const c = value.charCodeAt(p + 1);
    if (c >= 0x31 && c <= 0x39 && c - 0x30 > highest) highest = c - 0x30;
  }
  return highest;
}

/** The pattern of a regex location (`~ ^/a/(.*)$`, `~*\.php$`), or undefined for any other location. */
function locationRegex(d: Directive): { word: Word; source: string } | undefined {
  const { modifier, match } = locationMatch(d);
  if (modifier !== '~' && modifier !== '~*') return undefined;
  const word = d.args[d.args.length - 1];
  return word ? { word, source: match } : undefined;
}

/** The pattern of an `if` that matches a regex (`if ($uri ~ ^/(a)$)`), without the closing parenthesis. */
function ifRegex(d: Directive): { word: Word; source: string; negated: boolean } | undefined {
  const op = d.args.findIndex((a) => /^!?~\*?$/.test(a.value));
  const word = d.args[op + 1];
  if (op < 0 || !word) return undefined;
  const source = word === d.args[d.args.length - 1] ? word.value.replace(/\)$/, '') : word.value;
  return { word, source, negated: d.args[op].value.startsWith('!') };
}

/** The regex of a server_name written as one (`~^(?<sub>.+)\.example\.com$`). */
function serverNameRegexes(d: Directive): string[] {
  return d.args.filter((a) => a.value.startsWith('~')).map((a) => a.value.slice(1));
}

function isHttp(c: CheckContext): boolean {
  return c.contexts[0]?.startsWith('http') === true;
}

/** The nearest enclosing server or location (an `if` belongs to the block around it), and the nearest server. */
function owners(parents: readonly Directive[]): { block: Directive | undefined; server: Directive | undefined } {
  let block: Directive | undefined;
  for (let i = parents.length - 1; i >= 0; i--) {
    const name = parents[i].name.value;
    if (name === 'location' || name === 'server') {
      block ??= parents[i];
      if (name === 'server') return { block, server: parents[i] };
    }
  }
  return { block, server: undefined };
}

function recordGroups(c: CheckContext, groups: number): void {
  if (groups === 0) return;
  const { block, server } = owners(c.parents);
  const into = c.facts.captures.groupsIn;
  if (block && (into.get(block) ?? 0) < groups) into.set(block, groups);
  if (server && server !== block && (into.get(server) ?? 0) < groups) into.set(server, groups);
}

// ---- capture-group-missing -------------------------------------------------------------------
// The variables family records each $1…$9 an argument reads while it scans for variables
// (variables.ts readCapture); the regexes that can set them are counted here.

/** A rewrite's replacement reads its own regex's captures: a higher $N is always empty. */
function checkRewrite(d: Directive, c: CheckContext): void {
  const regex = d.args[0];
  if (!regex || checkRegexShape(regex.value)) return;
  const groups = regexGroups(regex.value);
  if (isHttp(c)) recordGroups(c, groups.total);
  const replacement = d.args[1];
  // Its block is looked at again at the end, for the CVE-2026-42945 and -9256 patterns (checkRewriteSequence).
  if (replacement?.value.includes('?')) {
    const block = c.parents[c.parents.length - 1];
    if (block) c.facts.captures.blocksWithArgs.set(block, c.file);
  }
  if (!replacement || groups.uncertain) return;
  const highest = highestCapture(replacement.value);
  if (highest > groups.total) {
    c.report(replacement.start, replacement.end, 'capture-group-missing',
      `$${highest} is always empty here: the rewrite's regular expression "${regex.value}" captures `
        + `${plural(groups.total, 'group')}`, { highest, groups: groups.total });
  }
}

function checkLocation(d: Directive, c: CheckContext): void {
  // Most locations are prefixes: no regex, nothing to count.
  if (d.args.length === 1 && d.args[0].value.charCodeAt(0) !== 0x7e /* ~ */) return;
  const regex = locationRegex(d);
  if (!regex || checkRegexShape(regex.source)) return;
  // A location's own groups count for its server (a rewrite … last may land elsewhere); for itself, at the end.
  const { server } = owners(c.parents);
  const groups = regexGroups(regex.source).total;
  const into = c.facts.captures.groupsIn;
  if (server && (into.get(server) ?? 0) < groups) into.set(server, groups);
  checkRegexHints(regex.word, regex.source, c, d);
}

function checkIf(d: Directive, c: CheckContext): void {
  const regex = ifRegex(d);
  if (!regex || checkRegexShape(regex.source)) return;
  if (isHttp(c)) recordGroups(c, regexGroups(regex.source).total);
  checkRegexHints(regex.word, regex.source, c, undefined);
}

function checkServerName(d: Directive, c: CheckContext): void {
  if (!isHttp(c)) return;
  for (const source of serverNameRegexes(d)) recordGroups(c, regexGroups(source).total);
}

/**
 * At the end: a `$N` in a regex location is empty when neither the location's regex nor any `if` or
 * rewrite in it captures N groups; elsewhere (a prefix location, the server level) when no regex of
 * the whole server does (a rewrite … last or an internal redirect may bring captures along). A map
 * regex with N groups may set them on the way, so it silences the check.
 */
function judgeCaptureUses(c: EndContext): void {
  const captures = c.facts.captures;
  for (const use of captures.uses) {
    if (use.highest <= captures.mapGroups) continue;
    const verdict = capturesAvailable(use, captures.groupsIn);
    if (!verdict || verdict.groups >= use.highest) continue;
    c.report(use.file, use.word.start, use.word.end, 'capture-group-missing',
      `$${use.highest} is always empty here: ${verdict.why}`,
      { highest: use.highest, groups: verdict.groups, effective: [{ name: `$${use.highest}`, value: '', where: verdict.why }] });
  }
}

function capturesAvailable(use: CaptureUse, groupsIn: ReadonlyMap<Directive, number>): { groups: number; why: string } | undefined {
  const { server } = owners(use.parents);
  let location: Directive | undefined;
  for (let i = use.parents.length - 1; i >= 0 && !location; i--) if (use.parents[i].name.value === 'location') location = use.parents[i];
  if (!server) return undefined;
  const regex = location ? locationRegex(location) : undefined;
  if (location && regex) {
    const own = regexGroups(regex.source);
    if (own.uncertain) return undefined;
    const inside = groupsIn.get(location) ?? 0;
    return {
      groups: Math.max(own.total, inside),
      why: `this location's regular expression "${regex.source}" captures ${plural(own.total, 'group')}`
        + (inside ? ` and the if and rewrite regexes in it at most ${inside}` : ', and no if or rewrite in it captures more'),
    };
  }
  const all = groupsIn.get(server) ?? 0;
  return {
    groups: all,
    why: all === 0 ? 'no regular expression in this server (location, if, rewrite, server_name, map) captures a group'
      : `no regular expression in this server captures more than ${plural(all, 'group')}`,
  };
}

// ---- rewrite-capture-overflow ----------------------------------------------------------------

/**
 * The releases that fix each pattern, from nginx-lint's rules (walf443/nginx-lint,
 * plugins/builtin/security/nginx_rift and map_unnamed_capture): a fixed release per branch, the
 * newest branch's fix covering everything after it.
 */
const REWRITE_FOLLOWED_FIXED: readonly NginxVersion[] = [[1, 30, 1]]; // CVE-2026-42945; 1.31.0 is fixed too
const REDIRECT_FIXED: readonly NginxVersion[] = [[1, 30, 2], [1, 31, 1]]; // CVE-2026-9256
const MAP_FIXED: readonly NginxVersion[] = [[1, 30, 4], [1, 31, 3]]; // CVE-2026-42533, from 1.9.8 (cloned subrequests)
const MAP_FIRST: NginxVersion = [1, 9, 8];

/**
 * Whether a release is older than the fix of its branch; a branch without a fix of its own is fixed
 * when it is newer than the oldest fixed release (`fixes` oldest first, one per branch).
 */
export function beforeFix(target: NginxVersion, fixes: readonly NginxVersion[]): boolean {
  const sameBranch = fixes.find((f) => f[0] === target[0] && f[1] === target[1]);
  return !versionAtLeast(target, sameBranch ?? fixes[0]);
}

function fixedIn(fixes: readonly NginxVersion[]): string {
  return fixes.map(formatVersion).join(' and ');
}

/** `rewrite … ?…` whose replacement holds a literal "?" (nginx then sets the request's args from it). */
function rewriteWithArgs(d: Directive): boolean {
  return d.name.value === 'rewrite' && d.args[1] !== undefined && d.args[1].value.includes('?');
}

function isRedirecting(d: Directive): boolean {
  const flag = d.args[2]?.value;
  return flag === 'redirect' || flag === 'permanent' || /^(https?:\/\/|\$scheme)/.test(d.args[1]?.value ?? '');
}

function readsUnnamed(d: Directive, from: number): boolean {
  for (let i = from; i < d.args.length; i++) if (highestCapture(d.args[i].value) > 0) return true;
  return false;
}

/**
 * In one block (server, location, if): a rewrite without a flag whose replacement has "?", followed
 * by a set or rewrite that reads $1…$9 (CVE-2026-42945), or a redirecting rewrite that has both
 * itself (CVE-2026-9256). nginx-lint flags the first pattern whatever the flag; but the "?" only
 * leaves its mark when the rewrite matches, and a matching rewrite with a flag ends the pass.
 */
function checkRewriteSequence(block: Directive, file: string, c: EndContext): void {
  if (!block.block || block.block.raw) return;
  const list = block.block.children;
  const target = c.options.target;
  const followed = beforeFix(target, REWRITE_FOLLOWED_FIXED);
  const redirect = beforeFix(target, REDIRECT_FIXED);
  if (!followed && !redirect) return;
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (d.kind !== 'directive' || !rewriteWithArgs(d)) continue;
    const replacement = d.args[1];
    if (redirect && isRedirecting(d) && readsUnnamed(d, 1)) {
      c.report(file, replacement.start, replacement.end, 'rewrite-capture-overflow',
        `a redirecting rewrite whose replacement has "?" and an unnamed capture overflows a worker's heap on nginx `
          + `${formatVersion(target)} (CVE-2026-9256, fixed in ${fixedIn(REDIRECT_FIXED)}): use named captures`,
        { cve: 'CVE-2026-9256', exploit: 'GET /path+with+plus+signs (each "+" is escaped to three bytes the length pass did not count)' });
      continue;
    }
    // A rewrite with a flag ends the rewrite pass when it matches (last, break, redirect, permanent): nothing after it in the
    // block runs with the engine it left behind.
    if (!followed || d.args[2] !== undefined) continue;
    const consumer = list.slice(i + 1).find((n): n is Directive => n.kind === 'directive'
      && (n.name.value === 'set' || n.name.value === 'rewrite') && readsUnnamed(n, 1));
    if (!consumer) continue;
    c.report(file, replacement.start, replacement.end, 'rewrite-capture-overflow',
      `this replacement has "?" and a later "${consumer.name.value}" in the block reads an unnamed capture: `
        + `that overflows a worker's heap on nginx ${formatVersion(target)} (CVE-2026-42945, fixed in `
        + `${fixedIn(REWRITE_FOLLOWED_FIXED)}): use named captures`,
      { cve: 'CVE-2026-42945', exploit: 'GET /path+with+plus+signs (each "+" is escaped to three bytes the length pass did not count)' });
  }
}

/** map entries: their regex groups (any map variable evaluated may set $1…$9), and unnamed ones for CVE-2026-42533. */
function checkMapEntries(block: Directive, c: CheckContext): void {
  if (!block.block || block.block.raw) return;
  const http = isHttp(c);
  const captures = c.facts.captures;
  for (const e of block.block.children) {
    if (e.kind !== 'directive' || e.block) continue;
    const key = e.name.value;
    if (!key.startsWith('~')) continue;
    const source = key.slice(key.startsWith('~*') ? 2 : 1);
    if (checkRegexShape(source)) continue;
    const groups = regexGroups(source);
    if (http && groups.total > captures.mapGroups) captures.mapGroups = groups.total;
    if (http && groups.unnamed.length > 0) captures.mapPatterns.push({ file: c.file, word: e.name });
    checkRegexHints(e.name, source, c, undefined);
  }
}

/** `slice` and `*_cache_background_update on` make the cloned subrequests CVE-2026-42533 needs. */
function recordClonedSubrequests(d: Directive, c: CheckContext): void {
  const value = d.args[0]?.value;
  if (!value || c.facts.captures.clonedSubrequests) return;
  if (d.name.value === 'slice' ? value === '0' : value !== 'on') return;
  c.facts.captures.clonedSubrequests = { file: c.file, directive: d, word: d.name, what: `${d.name.value} ${value}` };
}

function judgeMapPatterns(c: EndContext): void {
  const captures = c.facts.captures;
  const target = c.options.target;
  const clones = captures.clonedSubrequests;
  if (!clones || c.options.standalone || !versionAtLeast(target, MAP_FIRST) || !beforeFix(target, MAP_FIXED)) return;
  for (const p of captures.mapPatterns) {
    c.report(p.file, p.word.start, p.word.end, 'rewrite-capture-overflow',
      `this map regex has an unnamed capture group, and "${clones.what}" (${c.where(clones)}) `
        + `makes cloned subrequests: on nginx ${formatVersion(target)} that reads past the captures (CVE-2026-42533, fixed in `
        + `${fixedIn(MAP_FIXED)}); use (?:…) or a named group`,
      { cve: 'CVE-2026-42533' });
  }
}

// ---- the hints: regex-redos, location-regex-unanchored ---------------------------------------

const nestedCache = new Map<string, string | undefined>();

/** The hints on a regex; `location` is the location it belongs to, if it is one's. */
function checkRegexHints(word: Word, source: string, c: CheckContext, location: Directive | undefined): void {
  let nested = nestedCache.get(source);
  if (nested === undefined && !nestedCache.has(source)) {
    if (nestedCache.size > 10_000) nestedCache.clear();
    const own = ownCopy(source);
    nestedCache.set(own, (nested = nestedRepetition(own)));
  }
  if (nested) {
    c.report(word.start, word.end, 'regex-redos',
      `"${nested}" repeats a group that itself repeats without a separator: a long non-matching input makes PCRE `
        + 'try every way to split it (catastrophic backtracking); make the inner or outer repetition possessive or atomic');
  }
  if (location && !isAnchored(source) && !refusesAccess(location)) {
    c.report(word.start, word.end, 'location-regex-unanchored',
      `"${source}" matches anywhere in the URI, not only at its start: anchor it with "^" (or "$" for a suffix)`);
  }
}

/**
 * Whether a location regex is tied to the start or end of the URI: "^" or "\A" first, or a "$" (or
 * "\z", "\Z") anywhere, as in `\.php(/|$)`, which ends a file name either way.
 */
function isAnchored(source: string): boolean {
  if (source.startsWith('^') || source.startsWith('\\A') || /\\[zZ]/.test(source)) return true;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '[') i = classEnd(source, i);
    else if (source[i] === '$') return true;
  }
  return false;
}

/**
 * A location that only refuses (deny all, return 403/404/444): there matching anywhere is the point
 * (`location ~ /\. { deny all; }` keeps every dot file out, wherever it is).
 */
function refusesAccess(location: Directive): boolean {
  return location.block?.children.some((n) => n.kind === 'directive' && ((n.name.value === 'deny' && n.args[0]?.value === 'all')
    || (n.name.value === 'return' && /^(403|404|444)$/.test(n.args[0]?.value ?? '')))) === true;
}

/**
 * The first group repeated without bound whose body is nothing but repeated or optional parts with
 * at least one unbounded (`(a+)+`, `(\w+\s?)*`): the way PCRE backtracks through it grows
 * exponentially. A mandatory separator in the body (`([^/]+/)*`) makes the split unambiguous.
 */
export function nestedRepetition(source: string): string | undefined {
  interface Frame { start: number; items: number; quantified: number; unbounded: boolean; alternation: boolean; atomic: boolean }
  const stack: Frame[] = [{ start: -1, items: 0, quantified: 0, unbounded: false, alternation: false, atomic: false }];
  let i = 0;
  // A quantifier: where it ends, whether it is unbounded, whether it is possessive (`a++`, which never backtracks).
  const quantifierAt = (p: number): { end: number; unbounded: boolean; possessive: boolean } | undefined => {
    const q = source[p];
    let end: number, unbounded: boolean;
    if (q === '*' || q === '+') { end = p + 1; unbounded = true; }
    else if (q === '?') { end = p + 1; unbounded = false; }
    else {
      const m = q === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(source.slice(p, p + 24)) : null;
      if (!m) return undefined;
      end = p + m[0].length;
      unbounded = m[2] !== undefined && m[3] === '';
    }
    const mode = source[end];
    return { end: mode === '+' || mode === '?' ? end + 1 : end, unbounded, possessive: mode === '+' };
  };
  while (i < source.length) {
    const frame = stack[stack.length - 1];
    const ch = source[i];
    let atomEnd: number;
    if (ch === '(') {
      stack.push({ start: i, items: 0, quantified: 0, unbounded: false, alternation: false, atomic: source.startsWith('(?>', i) });
      i += source[i + 1] === '?' ? 2 : 1;
      continue;
    }
    if (ch === '|') { frame.alternation = true; i++; continue; }
    if (ch === ')' && stack.length > 1) {
      const inner = stack.pop()!;
      const parent = stack[stack.length - 1];
      const atomic = inner.atomic;
      const q = quantifierAt(i + 1);
      if (q?.unbounded && !q.possessive && inner.unbounded && !inner.alternation && inner.items > 0
        && inner.quantified === inner.items && !atomic) {
        return source.slice(inner.start, q.end);
      }
      parent.items++;
      if (q) parent.quantified++;
      parent.unbounded ||= inner.unbounded || q?.unbounded === true;
      i = q ? q.end : i + 1;
      continue;
    }
    if (ch === '\\') atomEnd = i + 2;
    else if (ch === '[') atomEnd = classEnd(source, i) + 1;
    else if (ch === '^' || ch === '$') { i++; continue; }
    else atomEnd = i + 1;
    const q = quantifierAt(atomEnd);
    frame.items++;
    if (q) { frame.quantified++; frame.unbounded ||= q.unbounded; }
    i = q ? q.end : atomEnd;
  }
  return undefined;
}

// ---- quick fixes -----------------------------------------------------------------------------

/** The offset in the file of `value`'s character 0, when the word's text is the value (bare, or quoted with no escape). */
function valueStart(text: string, w: Word): number | undefined {
  const raw = text.slice(w.start, w.end);
  if (raw === w.value) return w.start;
  if ((raw[0] === '"' || raw[0] === '\'') && raw.slice(1, -1) === w.value) return w.start + 1;
  return undefined;
}

/** Edits that rename a regex's unnamed groups `(` → `(?<capN>` (N from 1). */
function nameGroups(text: string, w: Word, source: string, sourceOffset: number): TextEdit[] | undefined {
  const at = valueStart(text, w);
  if (at === undefined) return undefined;
  return regexGroups(source).unnamed.map((p, n) => {
    const after = at + sourceOffset + p + 1;
    return { start: after, end: after, newText: `?<cap${n + 1}>` };
  });
}

/** Edits that turn `$N` into `${capN}` in a word, for N up to `available` (the others stay, still empty). */
function nameReferences(text: string, w: Word, available: number): TextEdit[] | undefined {
  const at = valueStart(text, w);
  if (at === undefined) return undefined;
  const edits: TextEdit[] = [];
  for (const m of w.value.matchAll(/\$([1-9])/g)) {
    const n = Number(m[1]);
    if (n <= available) edits.push({ start: at + m.index!, end: at + m.index! + m[0].length, newText: `\${cap${n}}` });
  }
  return edits;
}

/**
 * Named captures for a rewrite and the set and rewrite directives after it in its block: each
 * rewrite's groups become cap1…capN and the captures read after it refer to them by name.
 */
function fixRewriteWithNames(site: FixSite): QuickFix[] {
  const { text, directive } = site;
  const block = site.parents[site.parents.length - 1];
  const siblings = children(block, site.tree);
  const from = siblings.indexOf(directive);
  if (from < 0 || text.includes('$cap1') || text.includes('<cap1>')) return [];
  const edits: TextEdit[] = [];
  let available = 0;
  for (const d of siblings.slice(from)) {
    if (d.name.value === 'rewrite' && d.args[0]) {
      const groups = regexGroups(d.args[0].value);
      if (groups.named || groups.numberedReference || groups.uncertain) return [];
      const named = nameGroups(text, d.args[0], d.args[0].value, 0);
      const refs = d.args[1] ? nameReferences(text, d.args[1], groups.unnamed.length) : [];
      if (!named || !refs) return [];
      edits.push(...named, ...refs);
      available = groups.unnamed.length;
    } else if (d.name.value === 'set' && d.args[1] && available > 0) {
      const refs = nameReferences(text, d.args[1], available);
      if (!refs) return [];
      edits.push(...refs);
    }
  }
  if (edits.length === 0) return [];
  return [{ title: 'Use named captures (cap1, cap2, …) in this rewrite and what reads it', edits, isPreferred: true }];
}

/** A map regex's unnamed groups as non-capturing ones, where its value reads no capture and nothing refers to a group by number. */
function fixMapPattern(site: FixSite): QuickFix[] {
  const entry = site.directive;
  const key = entry.name.value;
  if (!key.startsWith('~') || entry.args.some((a) => highestCapture(a.value) > 0)) return [];
  const offset = key.startsWith('~*') ? 2 : 1;
  const groups = regexGroups(key.slice(offset));
  const at = valueStart(site.text, entry.name);
  if (at === undefined || groups.numberedReference || groups.uncertain || groups.unnamed.length === 0) return [];
  return [{
    title: 'Make the groups non-capturing: (…) → (?:…)',
    edits: groups.unnamed.map((p) => ({ start: at + offset + p + 1, end: at + offset + p + 1, newText: '?:' })),
    isPreferred: true,
  }];
}

function fixOverflow(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  if (diagnostic.data?.cve === 'CVE-2026-42533') return fixMapPattern(site);
  return site.directive.name.value === 'rewrite' ? fixRewriteWithNames(site) : [];
}

/**
 * An anchor for an unanchored regex location: `^` before a path (`/admin`), `$` after anything else,
 * which reads as a suffix (`\.(gif|png)`: anchoring that at the start would match nothing).
 */
function fixUnanchored(site: FixSite): QuickFix[] {
  const regex = locationRegex(site.directive);
  if (!regex) return [];
  const at = valueStart(site.text, regex.word);
  if (at === undefined) return [];
  if (regex.source.startsWith('/')) {
    const prefix = regex.word.value.length - regex.source.length; // "~" or "~*" written without a space
    return [{ title: 'Anchor it at the start of the URI (^)', edits: [{ start: at + prefix, end: at + prefix, newText: '^' }] }];
  }
  const end = at + regex.word.value.length;
  return [{ title: 'Anchor it at the end of the URI ($)', edits: [{ start: end, end, newText: '$' }] }];
}

function plural(n: number, word: string): string {
  return `${n === 0 ? 'no' : n} ${word}${n === 1 ? '' : 's'}`;
}

export const family: NginxFamily = {
  name: 'regex',
  rules: ['capture-group-missing', 'rewrite-capture-overflow', 'regex-redos', 'location-regex-unanchored'],
  directives: {
    rewrite: checkRewrite,
    location: checkLocation,
    if: checkIf,
    server_name: checkServerName,
    slice: recordClonedSubrequests,
    proxy_cache_background_update: recordClonedSubrequests,
    fastcgi_cache_background_update: recordClonedSubrequests,
    scgi_cache_background_update: recordClonedSubrequests,
    uwsgi_cache_background_update: recordClonedSubrequests,
  },
  blockEnd: { map: checkMapEntries },
  end: (c) => {
    for (const [block, file] of c.facts.captures.blocksWithArgs) checkRewriteSequence(block, file, c);
    if (c.options.standalone) return;
    judgeCaptureUses(c);
    judgeMapPatterns(c);
  },
  fixes: { 'rewrite-capture-overflow': fixOverflow, 'location-regex-unanchored': fixUnanchored },
};
