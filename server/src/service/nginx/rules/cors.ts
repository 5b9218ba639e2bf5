/**
 * Cross-origin checks: an `Access-Control-Allow-Origin` that echoes whatever Origin a request
 * carries (`cors-origin-reflected`), and a regex meant to recognise trusted origins or referers that
 * lets others through (`origin-regex-weak`).
 *
 * The reflection is followed through `set` and `map` (request-flow.ts, with the definitions the
 * request-data family records) and judged at the end of the walk: an echo behind a check of the
 * origin (`if ($http_origin ~ …)`, a map keyed by exact origins) is an allowlist, and how good its
 * regex is, is the other rule's question. The regex rule is syntactic on purpose: it names only
 * what a reader can see (no end anchor after the host, an unescaped ".", a wildcard before the
 * domain) and says nothing of anchored alternations.
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { CheckContext, EndContext, FixSite, NginxFamily, PlacedDirective } from '../context';
import { locationMatch } from '../knowledge';
import { CharSet, type RegexAtom, firstChars, readRegex, sample } from '../regex';
import {
  type FlowPolicy, fileOf, ifMatch, mapEntries, nearest, place, traceVariable, variableRefs,
} from '../request-flow';
import type { Directive, Word } from '../syntax';
import { childIndent, lineIndent } from '../text-edits';

const ALLOW_ORIGIN = 'access-control-allow-origin';
const ALLOW_CREDENTIALS = 'access-control-allow-credentials';
const EVIL_ORIGIN = 'https://evil.example';

export const family: NginxFamily = {
  name: 'cors',
  rules: ['cors-origin-reflected', 'origin-regex-weak'],
  directives: {
    add_header: (d, c) => recordHeader(d, c, d.args[0]?.value, d.args[1]?.value),
    if: checkIfRegex,
    map: checkMapRegexes,
  },
  // headers-more is a third-party module: its directives get the checks that run however they are written.
  asWritten: {
    more_set_headers: (d, c) => {
      for (const a of d.args) {
        const colon = a.value.indexOf(':');
        if (colon > 0 && !a.value.startsWith('-')) recordHeader(d, c, a.value.slice(0, colon).trim(), a.value.slice(colon + 1).trim());
      }
    },
  },
  end: judge,
  fixes: {
    'cors-origin-reflected': fixReflected,
    'origin-regex-weak': fixWeakRegex,
  },
};

function recordHeader(d: Directive, c: CheckContext, name: string | undefined, value: string | undefined): void {
  // Most add_header names are neither: their length says so without lower-casing them.
  if (!name || value === undefined || (name.length !== ALLOW_ORIGIN.length && name.length !== ALLOW_CREDENTIALS.length)) return;
  const header = name.toLowerCase();
  if (header === ALLOW_ORIGIN && value.indexOf('$') >= 0) c.facts.requestFlow.sites.push({ code: 'cors-origin-reflected', ...place(d, c) });
  else if (header === ALLOW_CREDENTIALS && value.toLowerCase() === 'true')
    c.facts.requestFlow.credentialBlocks.set(c.parents[c.parents.length - 1], place(d, c));
}

// ---- cors-origin-reflected --------------------------------------------------------------------

function isOrigin(operand: string): boolean {
  return /^\$\{?http_origin\}?$/i.test(operand);
}

/**
 * Whether a check of the origin stands before the directive: an enclosing `if ($http_origin ~ …)`
 * (or `=`), or an earlier `if ($http_origin !~ …) { return …; }` in an enclosing block.
 */
function guardedByOriginCheck(at: PlacedDirective): boolean {
  let child = at.directive;
  for (let i = at.parents.length - 1; i >= 0; i--) {
    const parent = at.parents[i];
    if (parent.name.value === 'if') {
      const m = ifMatch(parent);
      if (m && isOrigin(m.operand) && ['~', '~*', '='].includes(m.operator)) return true;
    }
    const siblings = parent.block?.children ?? [];
    for (let k = siblings.indexOf(child) - 1; k >= 0; k--) {
      const s = siblings[k];
      if (s.kind !== 'directive' || s.name.value !== 'if') continue;
      const m = ifMatch(s);
      const refuses = s.block?.children.some((n) => n.kind === 'directive' && n.name.value === 'return');
      if (m && isOrigin(m.operand) && ['!~', '!~*', '!='].includes(m.operator) && refuses) return true;
    }
    child = parent;
  }
  return false;
}

/**
 * An echo of the origin: through `set` unless an origin check guards it, through a map unless its
 * key is an exact origin or a regex of origins.
 */
const REFLECTED: FlowPolicy = {
  source: (name) => (isOrigin(`$${name}`) ? { variable: '$http_origin', kind: 'header', name: 'Origin' } : undefined),
  keepsThroughCapture: () => false,
  acceptSet: (set) => !guardedByOriginCheck(set),
  acceptEntry: (map, entry) => !(entry.regex && isOrigin(map.directive.args[0]?.value ?? '')),
};

/** The value of the Access-Control-Allow-Origin header a recorded directive sets, and the word holding it. */
function allowOriginValue(d: Directive): { word: Word; value: string } | undefined {
  if (d.name.value === 'add_header') return d.args[1] ? { word: d.args[1], value: d.args[1].value } : undefined;
  for (const a of d.args) {
    const colon = a.value.indexOf(':');
    if (colon > 0 && a.value.slice(0, colon).trim().toLowerCase() === ALLOW_ORIGIN) {
      return { word: a, value: a.value.slice(colon + 1).trim() };
    }
  }
  return undefined;
}

function judge(c: EndContext): void {
  const flow = c.facts.requestFlow;
  const judged = new Set<Directive>();
  for (const site of flow.sites) {
    if (site.code !== 'origin-regex-weak' || judged.has(site.directive)) continue;
    judged.add(site.directive);
    judgeRegexes(site, c);
  }
  // A snippet included in several locations is judged in each; it is reported once, where credentials make it worst.
  const sites = flow.sites.filter((s) => s.code === 'cors-origin-reflected')
    .sort((a, b) => Number(flow.credentialBlocks.has(b.parents[b.parents.length - 1]))
      - Number(flow.credentialBlocks.has(a.parents[a.parents.length - 1])));
  const reported = new Set<Directive>();
  for (const site of sites) {
    if (reported.has(site.directive)) continue;
    const header = allowOriginValue(site.directive);
    if (!header) continue;
    for (const ref of variableRefs(header.value)) {
      let steps: { name: string; value: string; file: string; directive: Directive }[] = [];
      if (isOrigin(`$${ref.name}`)) {
        if (guardedByOriginCheck(site)) continue;
      } else {
        const found = traceVariable(ref.name, site, flow, REFLECTED);
        if (!found) continue;
        steps = found.steps;
      }
      const credentials = flow.credentialBlocks.get(site.parents[site.parents.length - 1]);
      const at = requestPath(site.parents);
      const exploit = `GET ${at} with "Origin: ${EVIL_ORIGIN}"`;
      const through = steps.length ? `$${ref.name} holds $http_origin` : 'it is $http_origin';
      const where = (file: string, directive: Directive) =>
        c.describe({ value: '', setting: { file: fileOf(directive, c.files, file), directive } });
      const mapDefault = steps.length === 1 ? defaultEntryOf(steps[0].directive) : undefined;
      c.report(site.file, header.word.start, header.word.end, 'cors-origin-reflected',
        credentials
          ? `any site can read these responses with the visitor's cookies: Access-Control-Allow-Origin echoes every origin (${through}) `
            + `and Access-Control-Allow-Credentials is true, so after ${exploit} a page on ${EVIL_ORIGIN} reads the answer; `
            + 'echo only origins from an exact list (a map with default "")'
          : `any site can read these responses: Access-Control-Allow-Origin echoes every origin (${through}), which is "*" in `
            + `disguise (${exploit} is allowed); echo only origins from an exact list (a map with default "")`,
        {
          exploit,
          effective: [
            { name: 'Access-Control-Allow-Origin', value: header.value, where: where(site.file, site.directive) },
            ...steps.map((s) => ({ name: s.name, value: s.value, where: where(s.file, s.directive) })),
            ...(credentials
              ? [{ name: 'Access-Control-Allow-Credentials', value: 'true', where: where(credentials.file, credentials.directive) }] : []),
          ],
          ...(steps.length === 0 ? { direct: true } : {}),
          ...(mapDefault && fileOf(steps[0].directive, c.files, steps[0].file) === site.file
            ? { mapDefault: { start: mapDefault.start, end: mapDefault.end } } : {}),
        },
        credentials ? 'warning' : 'information');
      reported.add(site.directive);
      break;
    }
  }
}

/** The value word of a map's `default` entry when the step is that entry. */
function defaultEntryOf(entry: Directive): Word | undefined {
  return entry.name.value === 'default' ? entry.args[0] : undefined;
}

function requestPath(parents: readonly Directive[]): string {
  const location = nearest(parents, 'location');
  if (!location) return '/';
  const { modifier, match } = locationMatch(location);
  return modifier === '' || modifier === '^~' || modifier === '=' ? match : '/';
}

// ---- origin-regex-weak ------------------------------------------------------------------------

type Subject = 'Origin' | 'Referer';

function subjectOf(operand: string): Subject | undefined {
  if (isOrigin(operand)) return 'Origin';
  return /^\$\{?http_referer\}?$/i.test(operand) ? 'Referer' : undefined;
}

function checkIfRegex(d: Directive, c: CheckContext): void {
  const m = ifMatch(d);
  if (m && subjectOf(m.operand) && m.operator.includes('~')) c.facts.requestFlow.sites.push({ code: 'origin-regex-weak', ...place(d, c) });
}

function checkMapRegexes(d: Directive, c: CheckContext): void {
  if (subjectOf(d.args[0]?.value ?? '')) c.facts.requestFlow.sites.push({ code: 'origin-regex-weak', ...place(d, c) });
}

/** Each regex over an Origin or Referer the walk recorded: an `if` condition, or the regex keys of a map. */
function judgeRegexes(site: PlacedDirective, c: EndContext): void {
  const d = site.directive;
  const where = c.describe({ value: '', setting: { file: site.file, directive: d } });
  if (d.name.value === 'if') {
    const m = ifMatch(d)!;
    const subject = subjectOf(m.operand)!;
    const weakness = weakRegex(m.pattern, m.operator.endsWith('*'), subject);
    if (weakness) reportWeak(c, site, m.word, weakness, subject, { name: `if (${m.operand} ${m.operator} …)`, value: m.pattern, where });
    return;
  }
  const subject = subjectOf(d.args[0].value)!;
  for (const entry of mapEntries(d)) {
    if (!entry.regex) continue;
    const weakness = weakRegex(entry.regex.source, entry.regex.caseless, subject);
    const at = c.describe({ value: '', setting: { file: site.file, directive: entry.entry } });
    if (weakness) {
      const effective = { name: `map ${d.args[0].value} ${d.args[1]?.value ?? ''}`, value: entry.key, where: at };
      reportWeak(c, site, entry.entry.name, weakness, subject, effective);
    }
  }
}

function reportWeak(
  c: EndContext, site: PlacedDirective, word: Word, w: Weakness, subject: Subject,
  effective: { name: string; value: string; where: string },
): void {
  const exploit = `GET ${requestPath(site.parents)} with "${subject}: ${w.passes}"`;
  c.report(site.file, word.start, word.end, 'origin-regex-weak',
    `${subject === 'Origin' ? 'origins' : 'referers'} this check means to refuse pass it: "${w.source}" ${w.why}, so "${w.passes}" `
      + `matches; ${w.fixed ? `use ${w.fixed}` : w.advice}`,
    { exploit, effective: [effective], ...(w.fixed ? { fixed: w.fixed } : {}) });
}

interface Weakness {
  source: string;
  why: string;
  /** A value an attacker can send that the regex accepts. */
  passes: string;
  /** The regex with every weakness found mended, when it can be. */
  fixed?: string;
  advice: string;
}

interface Problem { kind: 'end' | 'dot' | 'wildcard' | 'start'; atom?: RegexAtom; at: number; insert?: string; remove?: number }

const WILDCARD_FIX = '([a-z0-9-]+\\.)*';

/**
 * The first weakness of a regex over an Origin or Referer, branch by branch: an unescaped "." in the
 * host, a wildcard before the domain that is not followed by "\.", no start anchor where the host
 * could begin anywhere, no end anchor (or "/" for a referer) after the host. Undefined when there
 * is none, or when the regex is no URL pattern these questions fit.
 */
export function weakRegex(source: string, caseless: boolean, subject: Subject): Weakness | undefined {
  const regex = readRegex(source, caseless);
  if (!regex) return undefined;
  const problems: Problem[] = [];
  let first: { problem: Problem; branch: RegexAtom[] } | undefined;
  for (const branch of regex.root.branches.flatMap(unwrapped)) {
    const found = branchProblems(source, branch, subject);
    if (found.length && !first) first = { problem: found[0], branch };
    problems.push(...found);
  }
  if (!first) return undefined;
  const { problem, branch } = first;
  const evil = 'evil';
  const made = sample({ branches: [branch] }, (atom) => {
    if (atom !== problem.atom) return undefined;
    if (problem.kind === 'dot') return '-';
    if (problem.kind === 'wildcard') return evil;
    return undefined;
  });
  if (made === undefined) return undefined;
  let passes = made;
  const hasScheme = /^[a-z]+:\/\//i.test(passes);
  if (problem.kind === 'end') passes = `${passes}.evil.example${subject === 'Referer' ? '/' : ''}`;
  if (problem.kind === 'start') passes = subject === 'Referer' && hasScheme ? `https://evil.example/${passes}` : `${evil}${passes}`;
  if (!/^[a-z]+:\/\//i.test(passes)) passes = `https://${passes}`;
  const why = {
    end: subject === 'Origin' ? 'has no "$" after the host' : 'does not end the host with "/" or "$"',
    dot: 'has an unescaped "." in the host (it matches any character)',
    wildcard: 'lets anything stand before the domain name',
    start: 'has no "^", so the host may start anywhere',
  }[problem.kind];
  const fixed = mend(source, problems);
  const stillWeak = fixed !== undefined && fixed !== source ? weakRegexShallow(fixed, caseless, subject) : true;
  return {
    source, why, passes,
    fixed: stillWeak ? undefined : fixed,
    advice: 'anchor it (^…$), escape the dots of the host (\\.), and match subdomains with ([a-z0-9-]+\\.)*',
  };
}

/** Whether the mended regex still has a weakness (without building its message). */
function weakRegexShallow(source: string, caseless: boolean, subject: Subject): boolean {
  const regex = readRegex(source, caseless);
  return !regex || regex.root.branches.flatMap(unwrapped).some((b) => branchProblems(source, b, subject).length > 0);
}

/**
 * A branch whose only atom is a group, `(https?://.*\.example\.com)` or `^(https://a\.com|https://b\.com)$`, read as
 * the group's branches with the anchors around it.
 */
function unwrapped(branch: RegexAtom[]): RegexAtom[][] {
  const inner = branch.filter((a) => a.kind !== 'assert');
  const group = inner[0];
  if (inner.length !== 1 || group.kind !== 'group' || group.min !== 1 || group.max !== 1) return [branch];
  const at = branch.indexOf(group);
  return group.body.branches.flatMap((b) => unwrapped([...branch.slice(0, at), ...b, ...branch.slice(at + 1)]));
}

function isChar(atom: RegexAtom | undefined, ch: string): boolean {
  if (!atom || atom.kind !== 'chars' || atom.min !== 1 || atom.max !== 1) return false;
  const code = ch.charCodeAt(0);
  return atom.set.has(code) && atom.set.without(code).isEmpty() === true;
}

/** "$", "/", or a group every branch of which starts with one of them ("(/|$)"): nothing more can follow the host. */
function boundsHost(atom: RegexAtom): boolean {
  if (atom.kind === 'assert') return atom.what === 'end';
  if (isChar(atom, '/')) return true;
  return atom.kind === 'group' && atom.min >= 1 && atom.body.branches.every((b) => b.length > 0 && boundsHost(b[0]));
}

function branchProblems(source: string, branch: RegexAtom[], subject: Subject): Problem[] {
  const out: Problem[] = [];
  let i = 0;
  const anchoredStart = branch[0]?.kind === 'assert' && branch[0].what === 'start';
  // Where the host starts: after "://" (":\/\/", ":/{2}"), else at the start.
  let hostStart = anchoredStart ? 1 : 0;
  let scheme = false;
  for (i = 0; i < branch.length; i++) {
    if (!isChar(branch[i], ':')) continue;
    const a = branch[i + 1];
    const b = branch[i + 2];
    const slash = (x: RegexAtom | undefined) => x?.kind === 'chars' && x.set.has(0x2f) && x.set.without(0x2f).isEmpty();
    if (slash(a) && a!.kind === 'chars' && a!.min === 2 && a!.max === 2) { hostStart = i + 2; scheme = true; break; }
    if (isChar(a, '/') && isChar(b, '/')) { hostStart = i + 3; scheme = true; break; }
  }
  // Where it ends: at "/", ":" (a port), a group that starts with ":", or what bounds it ("$", "(/|$)").
  let hostEnd = hostStart;
  while (hostEnd < branch.length) {
    const atom = branch[hostEnd];
    if (boundsHost(atom) || isChar(atom, ':')) break;
    if (atom.kind === 'group' && firstChars(atom).hasChar(':') && firstChars(atom).without(0x3a).isEmpty()) break;
    hostEnd++;
  }
  if (hostEnd === hostStart) return out; // no host to judge: not a URL pattern
  const host = branch.slice(hostStart, hostEnd);
  // An unescaped "." (anywhere in the host, groups included).
  const dots = (atoms: RegexAtom[]) => {
    for (const atom of atoms) {
      if (atom.kind === 'group') { for (const b of atom.body.branches) dots(b); continue; }
      if (atom.kind === 'chars' && atom.max === 1 && source.slice(atom.start, atom.start + 1) === '.' && atom.end - atom.start <= 2)
        out.push({ kind: 'dot', atom, at: atom.start, insert: '\\' });
    }
  };
  dots(host);
  // A wildcard before the domain that is not followed by "\.": "https?://.*example\.com".
  for (let k = 0; k < host.length; k++) {
    const atom = host[k];
    if (atom.kind !== 'chars' || atom.max !== Infinity || !atom.set.hasChar('.') || !atom.set.hasChar('e')) continue;
    if (k === host.length - 1) { out.push({ kind: 'end', atom, at: atom.start, remove: atom.end - atom.start, insert: '$' }); continue; }
    if (isChar(host[k + 1], '.') && source[host[k + 1].start] === '\\') continue;
    out.push({ kind: 'wildcard', atom, at: atom.start, remove: atom.end - atom.start, insert: WILDCARD_FIX });
  }
  // No start anchor: the host may begin anywhere ("evilexample.com"), and a referer's URL anywhere in it.
  if (!anchoredStart && !out.some((p) => p.kind === 'wildcard')) {
    const firstHost = host[0];
    // "\." or "[/.]" before the name: it starts at a label ("https://example…" or "….example…").
    const startsWithDot = firstHost.kind === 'chars' && firstHost.max === 1 && firstHost.set.within(CharSet.of('./'))
      && !(firstHost.end - firstHost.start === 1 && source[firstHost.start] === '.');
    if (subject === 'Referer' && scheme) out.push({ kind: 'start', at: branch[0].start, insert: '^' });
    else if (!scheme && !startsWithDot && firstHost.kind !== 'assert') out.push({ kind: 'start', at: firstHost.start, insert: '[/.]' });
  }
  // No end anchor after the host (a port group may come first).
  const bounded = branch.some((a, k) => k >= hostEnd && boundsHost(a));
  if (!bounded && !out.some((p) => p.kind === 'end')) {
    const last = branch[branch.length - 1];
    if (subject === 'Origin' || hostEnd === branch.length) {
      out.push({ kind: 'end', at: last ? last.end : 0, insert: subject === 'Origin' ? '$' : '(/|$)' });
    }
  }
  return out;
}

/** The source with each problem's insertion made, from the end backwards; undefined when two overlap. */
function mend(source: string, problems: Problem[]): string | undefined {
  const sorted = [...problems].sort((a, b) => b.at - a.at);
  let out = source;
  let limit = Infinity;
  for (const p of sorted) {
    if (p.insert === undefined) return undefined;
    const end = p.at + (p.remove ?? 0);
    if (end > limit) return undefined;
    out = out.slice(0, p.at) + p.insert + out.slice(end);
    limit = p.at;
  }
  return out;
}

// ---- quick fixes ------------------------------------------------------------------------------

function fixWeakRegex(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const fixed = diagnostic.data?.fixed;
  if (typeof fixed !== 'string') return [];
  const d = site.directive;
  let word: Word | undefined;
  let pattern: string | undefined;
  let prefix = 0;
  if (d.name.value === 'if') {
    const m = ifMatch(d);
    if (!m) return [];
    word = m.word;
    pattern = m.pattern;
    prefix = m.word.value.indexOf(m.pattern);
  } else if (d.name.start === diagnostic.start && d.name.value.startsWith('~')) {
    word = d.name;
    pattern = d.name.value.slice(d.name.value.startsWith('~*') ? 2 : 1);
    prefix = d.name.value.length - pattern.length;
  }
  if (!word || pattern === undefined || prefix < 0) return [];
  const length = word.end - word.start;
  const base = length === word.value.length ? word.start : length === word.value.length + 2 ? word.start + 1 : undefined;
  if (base === undefined) return [];
  const start = base + prefix;
  if (site.text.slice(start, start + pattern.length) !== pattern) return [];
  // What mend() inserts (\., $, ^, [/.], (/|$), a subdomain group) needs no quotes where the regex had none.
  const edits: TextEdit[] = [{ start, end: start + pattern.length, newText: fixed }];
  return [{ title: `Use ${fixed}`, edits, isPreferred: true }];
}

function fixReflected(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const fixes: QuickFix[] = [];
  const mapDefault = diagnostic.data?.mapDefault as { start: number; end: number } | undefined;
  if (mapDefault) {
    fixes.push({
      title: 'Make the map\'s default "" (no Access-Control-Allow-Origin for origins it does not list)',
      edits: [{ start: mapDefault.start, end: mapDefault.end, newText: '""' }],
      isPreferred: true,
    });
  }
  if (diagnostic.data?.direct) {
    const server = site.parents.find((p) => p.name.value === 'server');
    const word = site.directive.args.find((a) => a.start <= diagnostic.start && diagnostic.start < a.end);
    if (server && word) {
      const text = site.text;
      let mapped = '$cors_allowed_origin';
      while (text.includes(mapped)) mapped += '_';
      const raw = text.slice(word.start, word.end);
      const replaced = raw.replace(/\$\{?http_origin\}?(?![A-Za-z0-9_])/gi, mapped);
      const indent = lineIndent(text, server.start);
      const unit = childIndent(text, server).slice(indent.length) || '    ';
      const origin = 'https://app.example.com';
      const map = (entry: string) => `map $http_origin ${mapped} {\n${indent}${unit}default "";\n${indent}${unit}"${entry}" $http_origin;\n`
        + `${indent}}\n\n${indent}`;
      const edits = (entry: string): TextEdit[] => [
        { start: server.start, end: server.start, newText: map(entry) },
        { start: word.start, end: word.end, newText: replaced },
      ];
      fixes.push({
        title: 'Echo only listed origins (a map of exact origins, default "")',
        edits: edits(origin),
        snippetEdits: edits(`\${1:${origin}}`),
        isPreferred: !mapDefault,
      });
    }
  }
  return fixes;
}
