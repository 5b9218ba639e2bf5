/**
 * Where request data flows in a configuration: which variables carry what a client sent, through
 * `set`, `map` and regex captures, into the directives that use them. The request-data family
 * records the definitions while the configuration is walked (FLOW_RECORDERS); the request-data and
 * CORS rules ask here at the end of the walk, when every definition is known.
 *
 * Variables are global in nginx, but `set` runs per location: a directive sees the values set in
 * its own location (and its `if` blocks) or at its server's level. A variable set only elsewhere
 * reaches it through an internal redirect (try_files, error_page, a named location), so when no
 * definition is in scope, every definition counts.
 */
import type { CheckContext, DirectiveCheck, PlacedDirective, RequestFlowFacts } from './context';
import { isBuiltinVariable } from './docs';
import { locationMatch } from './knowledge';
import { CharSet, ReadRegex, RegexGroup, charsOf, groupOf, readRegex } from './regex';
import type { ConfigFile, Directive, Node, Word } from './syntax';

/** A directive as the end-of-walk checks keep it: a copy of its enclosing blocks. */
export function place(d: Directive, c: CheckContext): PlacedDirective {
  return { file: c.file, directive: d, parents: c.parents.slice() };
}

const DOLLAR = 0x24;

/** What the walk records for the flow questions; the request-data family registers these checks. */
export const FLOW_RECORDERS: Readonly<Record<string, DirectiveCheck>> = {
  set: (d, c) => {
    const variable = d.args[0];
    const value = d.args[1];
    // A literal value carries no request data: the large generated configs set thousands of them.
    if (!variable || !value || value.value.indexOf('$') < 0 || variable.value.charCodeAt(0) !== DOLLAR) return;
    push(c.facts.requestFlow.sets, variableKey(variable.value), place(d, c));
  },
  map: (d, c) => {
    const variable = d.args[1];
    if (variable && d.block) push(c.facts.requestFlow.maps, variableKey(variable.value), place(d, c));
  },
  internal: (d, c) => {
    const location = nearest(c.parents, 'location');
    if (location) c.facts.requestFlow.internal.add(location);
  },
};

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

/** `$Name`, `${name}` → `name` (nginx compares variable names without regard to case). */
export function variableKey(word: string): string {
  return word.replace(/^\$\{?|\}$/g, '').toLowerCase();
}

/**
 * The file a directive stands in. A site's enclosing blocks may be in another file than the site
 * (a location that includes a snippet): `hint` is tried first.
 */
export function fileOf(d: Directive, files: ReadonlyMap<string, ConfigFile>, hint: string): string {
  const tree = files.get(hint);
  if (tree && holds(tree.children, d)) return hint;
  for (const [file, other] of files) if (file !== hint && holds(other.children, d)) return file;
  return hint;
}

function holds(nodes: readonly Node[], d: Directive): boolean {
  let list = nodes;
  for (;;) {
    const n = list.find((x): x is Directive => x.kind === 'directive' && x.start <= d.start && d.start < x.end);
    if (!n) return false;
    if (n === d) return true;
    if (!n.block) return false;
    list = n.block.children;
  }
}

/** The nearest enclosing block of that name, innermost first. */
export function nearest(parents: readonly Directive[], name: string): Directive | undefined {
  for (let i = parents.length - 1; i >= 0; i--) if (parents[i].name.value === name) return parents[i];
  return undefined;
}

// ---- references in a value --------------------------------------------------------------------

/** A variable a value uses: `name` without `$` (a digit for a numbered capture), offsets in the scanned string. */
export interface VariableRef { name: string; start: number; end: number }

/** The variables a value uses, as nginx's script compiler reads them (`$1` is one digit; `${name}`; `$name`). */
export function variableRefs(value: string): VariableRef[] {
  const out: VariableRef[] = [];
  for (let p = value.indexOf('$'); p >= 0 && p < value.length - 1; p = value.indexOf('$', p + 1)) {
    const next = value[p + 1];
    if (next >= '0' && next <= '9') { out.push({ name: next, start: p, end: p + 2 }); continue; }
    if (next === '{') {
      const close = value.indexOf('}', p);
      if (close > p + 2) out.push({ name: value.slice(p + 2, close), start: p, end: close + 1 });
      continue;
    }
    let q = p + 1;
    while (q < value.length && /[A-Za-z0-9_]/.test(value[q])) q++;
    if (q > p + 1) out.push({ name: value.slice(p + 1, q), start: p, end: q });
  }
  return out;
}

// ---- if conditions and map entries ------------------------------------------------------------

/** An `if` condition that matches a variable: `($http_origin ~* ^https://…$)`. */
export interface IfMatch {
  /** The operand, as written (`$http_origin`). */
  operand: string;
  /** `~`, `~*`, `!~`, `!~*`, `=`, `!=`. */
  operator: string;
  /** The regex or the compared string, with its word (for fixes) and where the pattern starts in the word's text. */
  pattern: string;
  word: Word;
}

/** The parts of an `if` condition comparing or matching a variable, or undefined for other conditions. */
export function ifMatch(d: Directive): IfMatch | undefined {
  const words = d.args.filter((a) => a.value !== '(' && a.value !== ')');
  if (words.length === 0) return undefined;
  const first = words[0].value.replace(/^\(/, '');
  // nginx reads the operator as an argument of its own (ngx_http_rewrite_if_condition): "~*^https" is refused.
  if (words.length < 3) return undefined;
  const operator = words[1].value;
  const word = words[2];
  let pattern = word.value;
  if (!/^(!?~\*?|!?=)$/.test(operator)) return undefined;
  if (word === d.args[d.args.length - 1]) pattern = pattern.replace(/\)$/, '');
  return { operand: first, operator, pattern, word };
}

/** A `map` entry: its key (a regex when `regex` is set), its value word. */
export interface MapEntry {
  entry: Directive;
  key: string;
  regex?: { source: string; caseless: boolean };
  isDefault: boolean;
  value: Word | undefined;
}

/** The entries of a map block (not `hostnames`, `volatile` or `include`). */
export function mapEntries(map: Directive): MapEntry[] {
  const out: MapEntry[] = [];
  const hostnames = map.block?.children.some((n) => n.kind === 'directive' && n.name.value === 'hostnames');
  for (const node of map.block?.children ?? []) {
    if (node.kind !== 'directive') continue;
    const key = node.name.value;
    if (['hostnames', 'volatile', 'include'].includes(key) && node.args.length === 0) continue;
    if (key === 'include') continue;
    const isDefault = key === 'default';
    let regex: MapEntry['regex'];
    if (!isDefault && !hostnames && key.startsWith('~')) {
      const caseless = key.startsWith('~*');
      regex = { source: key.slice(caseless ? 2 : 1), caseless };
    }
    out.push({ entry: node, key: key.startsWith('\\') ? key.slice(1) : key, regex, isDefault, value: node.args[0] });
  }
  return out;
}

// ---- captures ---------------------------------------------------------------------------------

/** The regex a capture reference takes its value from, and what that regex was matched against. */
export interface CaptureSource {
  regex: ReadRegex;
  group: RegexGroup;
  /** The matched subject as a value (`$uri` for a location or rewrite, the `if` operand, a map's source). */
  subject: string;
  /** The directive holding the regex. */
  holder: PlacedDirective;
  what: 'location' | 'if' | 'rewrite' | 'map' | 'server_name';
}

/** The location regex of a location, if it has one, and whether it is caseless. */
export function locationRegex(location: Directive): { source: string; caseless: boolean } | undefined {
  const { modifier, match } = locationMatch(location);
  return modifier === '~' || modifier === '~*' ? { source: match, caseless: modifier === '~*' } : undefined;
}

function rewriteRegex(d: Directive): ReadRegex | undefined {
  return d.args[0] ? readRegex(d.args[0].value) : undefined;
}

/**
 * Where a capture a directive uses comes from. A numbered capture belongs to the last regex that
 * matched: the directive's own (a rewrite's replacement), an earlier rewrite in its block, the
 * enclosing `if`, then the regex location; the nearest one decides, even when it has fewer
 * groups (the capture is then empty). A named capture is a variable set by whichever regex defines
 * the name, a map's regex keys included.
 */
export function captureSource(site: PlacedDirective, ref: string, flow: RequestFlowFacts): CaptureSource | undefined {
  const numbered = /^[0-9]$/.test(ref);
  const own = site.directive;
  if (own.name.value === 'rewrite') {
    const regex = rewriteRegex(own);
    const group = regex && groupOf(regex, ref);
    if (group || (numbered && regex)) return group && { regex: regex!, group, subject: '$uri', holder: site, what: 'rewrite' };
  }
  let child: Directive = own;
  for (let i = site.parents.length - 1; i >= 0; i--) {
    const parent = site.parents[i];
    const holder: PlacedDirective = { file: site.file, directive: parent, parents: site.parents.slice(0, i) };
    const siblings = parent.block?.children ?? [];
    for (let k = siblings.indexOf(child) - 1; k >= 0; k--) {
      const sibling = siblings[k];
      if (sibling.kind !== 'directive' || sibling.name.value !== 'rewrite') continue;
      const regex = rewriteRegex(sibling);
      const group = regex && groupOf(regex, ref);
      const at = { file: site.file, directive: sibling, parents: site.parents.slice(0, i + 1) };
      if (group) return { regex: regex!, group, subject: '$uri', holder: at, what: 'rewrite' };
      if (numbered && regex) return undefined;
    }
    const name = parent.name.value;
    if (name === 'if') {
      const m = ifMatch(parent);
      if (m && (m.operator === '~' || m.operator === '~*')) {
        const regex = readRegex(m.pattern, m.operator === '~*');
        const group = regex && groupOf(regex, ref);
        if (group) return { regex: regex!, group, subject: m.operand, holder, what: 'if' };
        if (numbered) return undefined;
      }
    } else if (name === 'location') {
      const source = locationRegex(parent);
      const regex = source && readRegex(source.source, source.caseless);
      const group = regex && groupOf(regex, ref);
      if (group) return { regex: regex!, group, subject: '$uri', holder, what: 'location' };
      if (numbered && source) return undefined;
    } else if (name === 'server') {
      for (const node of parent.block?.children ?? []) {
        if (node.kind !== 'directive' || node.name.value !== 'server_name') continue;
        for (const w of node.args) {
          if (!w.value.startsWith('~')) continue;
          const regex = readRegex(w.value.slice(1), true);
          const group = regex && groupOf(regex, ref);
          const at = { file: site.file, directive: node, parents: site.parents.slice(0, i + 1) };
          if (group) return { regex: regex!, group, subject: '$host', holder: at, what: 'server_name' };
        }
      }
    }
    child = parent;
  }
  if (numbered) return undefined;
  for (const maps of flow.maps.values()) {
    for (const map of maps) {
      for (const entry of mapEntries(map.directive)) {
        if (!entry.regex) continue;
        const regex = readRegex(entry.regex.source, entry.regex.caseless);
        const group = regex && groupOf(regex, ref);
        if (group) return { regex: regex!, group, subject: map.directive.args[0]?.value ?? '', holder: map, what: 'map' };
      }
    }
  }
  return undefined;
}

// ---- tracing a value back to the request ------------------------------------------------------

/** How client data enters: the built-in variable and what it holds. */
export interface FlowOrigin {
  /** `$arg_url`, `$http_x_backend`, `$uri`, … */
  variable: string;
  kind: 'argument' | 'arguments' | 'header' | 'cookie' | 'body' | 'uri';
  /** The argument, header or cookie name as a client sends it. */
  name?: string;
}

/** A definition the data passed through, for the finding's effective values. */
export interface FlowStep { name: string; value: string; file: string; directive: Directive }

export interface Flow {
  origin: FlowOrigin;
  /** What the value can hold when a capture confines it; undefined for anything. */
  chars?: CharSet;
  /** The capture it passed through, nearest to the use. */
  capture?: CaptureSource;
  /** Definitions from the use back to the origin. */
  steps: FlowStep[];
  /** A definition on the way put a literal part of a host beside the data (`$1.apps.internal`). */
  besideLiteral?: boolean;
}

/**
 * Whether a value names part of a host itself, beside its variables: `$1.svc.cluster.local`,
 * `app-$1`. A scheme, a port and a path do not count (`http://$1:8080/` leaves the whole host to `$1`).
 */
export function hasHostLiteral(value: string): boolean {
  const refs = variableRefs(value);
  const start = /^[a-z]+:\/\//i.exec(value)?.[0].length ?? 0;
  let host = '';
  for (let p = start; p < value.length; p++) {
    const ref = refs.find((r) => r.start === p);
    if (ref) { p = ref.end - 1; continue; }
    if (value[p] === ':' || value[p] === '/') break;
    host += value[p];
  }
  return host.length > 0;
}

/** One question about request data: which variables bring it in and what stops it. */
export interface FlowPolicy {
  /** The built-in variable as a way in, or undefined; `subject` when it is matched by a regex whose capture is used. */
  source(name: string, role: 'value' | 'subject'): FlowOrigin | undefined;
  /** Whether the data survives a capture of this group. */
  keepsThroughCapture(group: RegexGroup, source: CaptureSource): boolean;
  /** Whether a `set` counts (the CORS question skips one guarded by a check of the origin). */
  acceptSet?(set: PlacedDirective): boolean;
  /** Whether a map entry counts. */
  acceptEntry?(map: PlacedDirective, entry: MapEntry): boolean;
}

/** The origin of a request variable as the common policies name it, or undefined. */
export function requestOrigin(name: string): FlowOrigin | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('arg_')) return { variable: `$${name}`, kind: 'argument', name: name.slice(4) };
  if (lower.startsWith('http_')) return { variable: `$${name}`, kind: 'header', name: headerName(name.slice(5)) };
  if (lower.startsWith('cookie_')) return { variable: `$${name}`, kind: 'cookie', name: name.slice(7) };
  if (lower === 'args' || lower === 'query_string') return { variable: `$${name}`, kind: 'arguments' };
  if (lower === 'request_body') return { variable: `$${name}`, kind: 'body' };
  if (lower === 'content_type') return { variable: `$${name}`, kind: 'header', name: 'Content-Type' };
  return undefined;
}

/** `x_forwarded_host` → `X-Forwarded-Host`: the header a `$http_` variable reads. */
export function headerName(suffix: string): string {
  return suffix.split('_').map((p) => (p ? p[0].toUpperCase() + p.slice(1).toLowerCase() : p)).join('-');
}

/** The definitions of a user variable in scope at a site, or all of them when none is. */
function setsInScope(defs: readonly PlacedDirective[], site: PlacedDirective): readonly PlacedDirective[] {
  const location = nearest(site.parents, 'location');
  const server = nearest(site.parents, 'server');
  const inScope = defs.filter((d) => {
    const own = nearest(d.parents, 'location');
    return own ? own === location : nearest(d.parents, 'server') === server;
  });
  return inScope.length ? inScope : defs;
}

/**
 * Follows a variable a directive uses back to the request: through `set` and `map` definitions and
 * regex captures, to a built-in variable the policy names. Undefined when no path leads there.
 */
export function traceVariable(
  ref: string, site: PlacedDirective, flow: RequestFlowFacts, policy: FlowPolicy, role: 'value' | 'subject' = 'value',
  seen: Set<string> = new Set(),
): Flow | undefined {
  const key = ref.toLowerCase();
  const userDefined = flow.sets.has(key) || flow.maps.has(key);
  if (/^[0-9]$/.test(ref) || (!userDefined && !isBuiltinVariable(ref))) return traceCapture(ref, site, flow, policy, seen);
  if (!userDefined) {
    const origin = policy.source(ref, role);
    return origin && { origin, steps: [] };
  }
  if (seen.has(key)) return undefined;
  seen.add(key);
  try {
    for (const set of setsInScope(flow.sets.get(key) ?? [], site)) {
      if (policy.acceptSet && !policy.acceptSet(set)) continue;
      const value = set.directive.args[1];
      const found = traceValue(value.value, set, flow, policy, role, seen);
      if (found) {
        return {
          ...found, besideLiteral: found.besideLiteral || hasHostLiteral(value.value),
          steps: [{ name: `$${ref}`, value: value.value, file: set.file, directive: set.directive }, ...found.steps],
        };
      }
    }
    for (const map of flow.maps.get(key) ?? []) {
      const found = traceMap(ref, map, flow, policy, role, seen);
      if (found) return found;
    }
  } finally {
    seen.delete(key);
  }
  return undefined;
}

/** The first flow among the variables of a value. */
export function traceValue(
  value: string, site: PlacedDirective, flow: RequestFlowFacts, policy: FlowPolicy, role: 'value' | 'subject', seen = new Set<string>(),
): Flow | undefined {
  for (const r of variableRefs(value)) {
    const found = traceVariable(r.name, site, flow, policy, role, seen);
    if (found) return found;
  }
  return undefined;
}

function traceMap(
  ref: string, map: PlacedDirective, flow: RequestFlowFacts, policy: FlowPolicy, role: 'value' | 'subject', seen: Set<string>,
): Flow | undefined {
  const source = map.directive.args[0]?.value ?? '';
  const sourceKey = /^\$\{?\w+\}?$/.test(source) ? variableKey(source) : undefined;
  for (const entry of mapEntries(map.directive)) {
    if (!entry.value || (policy.acceptEntry && !policy.acceptEntry(map, entry))) continue;
    const at: PlacedDirective = { file: map.file, directive: entry.entry, parents: [...map.parents, map.directive] };
    for (const r of variableRefs(entry.value.value)) {
      // Under an exact key, the source variable holds that key: a value from the allowlist.
      if (!entry.regex && !entry.isDefault && r.name.toLowerCase() === sourceKey) continue;
      let found: Flow | undefined;
      if (entry.regex && (/^[0-9]$/.test(r.name) || !isBuiltinVariable(r.name))) {
        const regex = readRegex(entry.regex.source, entry.regex.caseless);
        const group = regex && groupOf(regex, r.name);
        if (group) found = throughCapture({ regex: regex!, group, subject: source, holder: map, what: 'map' }, flow, policy, seen);
      }
      found ??= traceVariable(r.name, at, flow, policy, role, seen);
      if (found) {
        const step = { name: `$${ref}`, value: `${entry.isDefault ? 'default' : entry.key} ${entry.value.value}`, file: map.file,
          directive: entry.entry };
        return { ...found, besideLiteral: found.besideLiteral || hasHostLiteral(entry.value.value), steps: [step, ...found.steps] };
      }
    }
  }
  return undefined;
}

function traceCapture(ref: string, site: PlacedDirective, flow: RequestFlowFacts, policy: FlowPolicy, seen: Set<string>): Flow | undefined {
  const source = captureSource(site, ref, flow);
  return source && throughCapture(source, flow, policy, seen);
}

function throughCapture(source: CaptureSource, flow: RequestFlowFacts, policy: FlowPolicy, seen: Set<string>): Flow | undefined {
  if (!policy.keepsThroughCapture(source.group, source)) return undefined;
  const subject = traceValue(source.subject, source.holder, flow, policy, 'subject', seen);
  if (!subject) return undefined;
  const chars = charsOf(source.group.atom);
  const step: FlowStep = {
    name: `$${source.group.name ?? source.group.index}`,
    value: `${source.regex.source.slice(source.group.atom.start, source.group.atom.end)} of ${describeHolder(source)}`,
    file: source.holder.file, directive: source.holder.directive,
  };
  return { origin: subject.origin, chars, capture: source, steps: [step, ...subject.steps] };
}

/** `location ~ ^/old/([^/]+)$`, `if ($http_x ~ …)`: the regex a capture comes from, for messages. */
export function describeHolder(source: CaptureSource): string {
  switch (source.what) {
    case 'location': return `location ~ ${source.regex.source}`;
    case 'rewrite': return `rewrite ${source.regex.source}`;
    case 'if': return `if (${source.subject} ~ ${source.regex.source})`;
    case 'map': return `map ${source.subject} (~${source.regex.source})`;
    case 'server_name': return `server_name ~${source.regex.source}`;
  }
}
