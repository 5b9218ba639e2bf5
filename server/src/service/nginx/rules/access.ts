/**
 * Who gets in. nginx's access module admits a client no `allow`/`deny` rule names, so an allowlist
 * without `deny all` allows everyone; a `return` answers in the rewrite phase, before the access
 * phase runs; a status page or a directory listing with nothing in front of it is open to the
 * internet; and a `map` without `default` gives unknown inputs the empty value, which an access check
 * or a rate limit may read as "let through". Judged at the end of the walk on each level (levels.ts)
 * with the rules, `satisfy` and authentication in effect there, through includes.
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { FindingData } from '../../finding';
import type { EndContext, FixSite, NginxFamily } from '../context';
import { type BlockSettings, type Effective, type Setting, effective } from '../inheritance';
import { locationMatch } from '../knowledge';
import {
  type Access, type Level, ACCESS_LIST, AUTH_DIRECTIVES, CONTENT_HANDLERS, accessAt, admitsAnyone, hostOnly, listensOnIpv6, own, ownList,
} from '../levels';
import type { Directive } from '../syntax';
import { afterLineTail, childIndent, children, lineIndent } from '../text-edits';

export const family: NginxFamily = {
  name: 'access',
  rules: ['access-allow-without-deny', 'access-bypassed-by-return', 'status-page-exposed', 'autoindex-on', 'map-without-default'],
  end: (c) => {
    const levels = c.facts.levels;
    // Worked out only for the levels a check gets to: most levels have nothing any of them looks at.
    const accessCache = new Map<Level, Access>();
    const accessOf = (level: Level) => {
      let a = accessCache.get(level);
      if (!a) accessCache.set(level, (a = accessAt(level.chain)));
      return a;
    };
    // Each check visits the levels that set what it looks for (walk order), not all of them.
    const present = c.facts.present;
    const setting = (...keys: string[]) => keys.flatMap((k) => present.get(k) ?? []);
    for (const level of setting(ACCESS_LIST)) checkAllowWithoutDeny(level, accessOf, c);
    if (present.has(ACCESS_LIST) || AUTH_DIRECTIVES.some((a) => present.has(a))) {
      // The rewrite phase of a location or server: its own return and rewrite lines and those of its if blocks.
      const answering = new Map<Level, Level[]>();
      for (const level of setting('return', 'rewrite')) {
        const owner = level.kind === 'if' ? level.parent : level;
        if (!owner) continue;
        const ifs = answering.get(owner) ?? [];
        if (level.kind === 'if' && !ifs.includes(level)) ifs.push(level);
        answering.set(owner, ifs);
      }
      for (const [level, ifs] of answering) checkReturnBypass(level, ifs, accessOf, c);
    }
    for (const level of new Set(setting('stub_status', 'api'))) checkStatusPage(level, accessOf, c);
    if (present.has('autoindex')) checkAutoindex(levels, accessOf, c);
    if (present.has('map') || present.has('geo') || levels[0]?.chain[0].has('map') || levels[0]?.chain[0].has('geo')) checkMaps(levels, c);
  },
  fixes: {
    'access-allow-without-deny': fixAllowWithoutDeny,
    'access-bypassed-by-return': fixReturnBypass,
    'status-page-exposed': fixStatusPage,
    'autoindex-on': (site) => {
      const arg = site.directive.name.value === 'autoindex' ? site.directive.args[0] : undefined;
      return arg ? [{ title: 'Turn directory listings off (autoindex off)', edits: [{ start: arg.start, end: arg.end, newText: 'off' }],
        isPreferred: true }] : [];
    },
    'map-without-default': fixMapDefault,
  },
};

type Entry = { name: string; value: string; where: string };

/** The rules, satisfy and authentication a verdict rests on, for the finding's data. */
function accessEntries(access: Access, c: EndContext): Entry[] {
  const rules: Entry[] = access.rules.list.map((s) => ({ name: s.directive.name.value, value: s.directive.args[0]?.value ?? '',
    where: `set at ${c.where(s)}` }));
  if (rules.length === 0) rules.push({ name: 'allow/deny', value: '(none: every client is admitted)', where: c.describe({ value: '' }) });
  return [
    ...rules,
    { name: 'satisfy', value: access.satisfy.value, where: c.describe(access.satisfy) },
    ...access.auth.map((a) => ({ name: a.name, value: a.effective.value, where: c.describe(a.effective) })),
  ];
}

function entry(name: string, e: Effective, c: EndContext): Entry {
  return { name, value: e.value, where: c.describe(e) };
}

/** "location /admin/", "this server", "http". */
function levelName(level: Level): string {
  switch (level.kind) {
    case 'location': return `location ${level.directive.args.map((a) => a.value).join(' ')}`;
    case 'limit_except': return `limit_except ${level.directive.args.map((a) => a.value).join(' ')}`;
    case 'server': case 'stream-server': return 'this server';
    default: return level.kind;
  }
}

/** A request that reaches a level, when its match says which (`GET /admin/`). */
function requestFor(level: Level): string | undefined {
  if (level.kind === 'server') return 'GET /';
  if (level.kind !== 'location') return undefined;
  const { modifier, match } = locationMatch(level.directive);
  return modifier === '' || modifier === '^~' || modifier === '=' ? `GET ${match}` : undefined;
}

/** Where a finding about a setting goes: the directive itself, from its name to its end. */
function reportOn(c: EndContext, s: Setting, code: Parameters<EndContext['report']>[3], message: string, data: FindingData,
  severity?: 'warning' | 'information' | 'hint'): void {
  c.report(s.file, s.directive.start, s.directive.end, code, message, data, severity);
}

// ---- allow without deny -----------------------------------------------------------------------

function checkAllowWithoutDeny(level: Level, accessOf: (l: Level) => Access, c: EndContext): void {
  const mine = ownList(own(level), ACCESS_LIST);
  if (mine.length === 0) return;
  const allows = mine.filter((s) => s.directive.name.value === 'allow' && s.directive.args[0]?.value !== 'all');
  if (allows.length === 0) return;
  const access = accessOf(level);
  const ipv6 = listensOnIpv6(level.server);
  const v4Open = access.others.v4 === 'none';
  const v6Open = ipv6 && access.others.v6 === 'none';
  if (!v4Open && !v6Open) return; // denied, or explicitly allowed (`allow all`)
  const any = access.satisfy.value.toLowerCase() === 'any';
  if (any && access.auth.length > 0) return; // those not allowed by address must authenticate
  const first = allows.find((s) => s.file === level.file) ?? allows[0];
  const who = v4Open ? '203.0.113.7' : '2001:db8::7';
  const request = requestFor(level) ?? 'a request';
  const listed = `${allows.map((s) => s.directive.args[0].value).slice(0, 3).join(', ')}${allows.length > 3 ? ', …' : ''}`;
  reportOn(c, first, 'access-allow-without-deny',
    `${v4Open ? 'everyone' : 'every IPv6 client'} is let in, not only ${listed}: no "deny all" follows the allow lines of `
      + `${levelName(level)}, and nginx admits clients no rule names${v4Open ? '' : ' ("deny 0.0.0.0/0" covers IPv4 only)'}; `
      + 'add "deny all;" after them',
    () => ({ exploit: `${request} from ${who} (not on the list) is answered`, effective: accessEntries(access, c) }));
}

function fixAllowWithoutDeny(site: FixSite): QuickFix[] {
  const block = site.directive.name.value === 'allow' || site.directive.name.value === 'deny'
    ? site.parents[site.parents.length - 1] : undefined;
  const rules = children(block, site.tree).filter((d) => d.name.value === 'allow' || d.name.value === 'deny');
  const last = rules[rules.length - 1] ?? site.directive;
  const at = afterLineTail(site.text, last.end);
  return [{ title: 'Deny everyone else (deny all)', isPreferred: true,
    edits: [{ start: at, end: at, newText: `\n${lineIndent(site.text, last.start)}deny all;` }] }];
}

// ---- return before access ---------------------------------------------------------------------

/** Whether the level restricts who gets a response: a deny rule or authentication in effect. */
function restricts(access: Access): boolean {
  return access.auth.length > 0 || access.rules.list.some((s) => s.directive.name.value === 'deny');
}

function checkReturnBypass(level: Level, ifs: readonly Level[], accessOf: (l: Level) => Access, c: EndContext): void {
  if (level.kind !== 'location' && level.kind !== 'server') return;
  const blocks: BlockSettings[] = [own(level), ...ifs.map(own)];
  if (level.kind === 'location' && (locationMatch(level.directive).modifier === '@' || own(level).has('internal'))) return;
  const access = accessOf(level);
  if (!restricts(access)) return;
  const guards = describeGuards(access);
  for (const settings of blocks) {
    for (const s of ownList(settings, 'return')) {
      const code = returnCode(s.directive);
      if (code === undefined || code >= 400 || code < 200 || (code < 300 && s.directive.args.length < 2)) continue;
      const content = code < 300;
      if (!content && upgradesToHttps(s.directive.args[s.directive.args.length - 1].value)) continue;
      reportOn(c, s, 'access-bypassed-by-return',
        `return ${code} answers before the access checks run: ${guards} to this ${content ? 'response' : 'redirect'}, which `
          + `everyone gets (return runs in the rewrite phase, access checks after it)`
          + `${content ? '; move it into a named location reached with try_files "" @name' : ''}`,
        () => ({
          exploit: `${requestFor(level) ?? 'a request here'} from any address, without credentials → ${code}`,
          effective: accessEntries(access, c),
          ...(settings === own(level) && level.kind === 'location' ? { movable: true } : {}),
        }), content ? 'warning' : 'hint');
    }
    for (const s of ownList(settings, 'rewrite')) {
      if (!redirects(s.directive) || upgradesToHttps(s.directive.args[1]?.value ?? '')) continue;
      reportOn(c, s, 'access-bypassed-by-return',
        `this rewrite redirects before the access checks run: ${guards} to the redirect, which everyone gets`,
        () => ({ exploit: `${requestFor(level) ?? 'a request here'} from any address, without credentials → redirected`,
          effective: accessEntries(access, c) }), 'hint');
    }
  }
}

/** '"deny all" and auth_basic never apply': what the return skips. */
function describeGuards(access: Access): string {
  const parts: string[] = [];
  const deny = access.rules.list.find((s) => s.directive.name.value === 'deny');
  if (deny) parts.push(`"deny ${deny.directive.args[0]?.value ?? ''}"`);
  for (const a of access.auth) parts.push(a.name);
  return `${parts.join(' and ')} never ${parts.length > 1 ? 'apply' : 'applies'}`;
}

/** The status a return answers with: its code, or 302 for a bare URL; undefined for anything else. */
function returnCode(d: Directive): number | undefined {
  const first = d.args[0]?.value;
  if (first === undefined) return undefined;
  if (/^\d+$/.test(first)) return Number(first);
  return /^(https?:\/\/|\$scheme)/.test(first) ? 302 : undefined;
}

/**
 * A redirect to https:// (to this site or its canonical host) is meant to come before any check:
 * credentials should not travel over plain HTTP.
 */
function upgradesToHttps(target: string): boolean {
  return target.startsWith('https://');
}

function redirects(d: Directive): boolean {
  const flag = d.args[2]?.value;
  if (flag === 'redirect' || flag === 'permanent') return true;
  if (flag === 'last' || flag === 'break') return false;
  return /^(https?:\/\/|\$scheme)/.test(d.args[1]?.value ?? '');
}

/** The return moves into a named location that try_files reaches after the access phase. */
function fixReturnBypass(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const ret = site.directive;
  if (!diagnostic.data?.movable || ret.name.value !== 'return') return [];
  const location = site.parents[site.parents.length - 1];
  // Named locations stand at the server level: after the outermost location around the return.
  const outerIndex = site.parents.findIndex((p) => p.name.value === 'location');
  const outer = site.parents[outerIndex];
  if (location?.name.value !== 'location' || !outer) return [];
  const base = locationMatch(location).match.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
  let name = `@${base}_response`;
  const taken = (candidate: string) => new RegExp(`location\\s+${candidate}(?![A-Za-z0-9_])`).test(site.text);
  for (let i = 2; taken(name); i++) name = `@${base}_response${i}`;
  const retText = site.text.slice(ret.start, ret.end);
  const indent = lineIndent(site.text, outer.start);
  const inner = childIndent(site.text, outer);
  const end = outer.block?.close;
  if (end === undefined) return [];
  const edits: TextEdit[] = [
    { start: ret.start, end: ret.end, newText: `try_files "" ${name};` },
    { start: end + 1, end: end + 1, newText: `\n${indent}location ${name} {\n${inner}${retText}\n${indent}}` },
  ];
  return [{ title: `Answer after the access checks (try_files "" ${name})`, edits, isPreferred: true }];
}

// ---- status pages -----------------------------------------------------------------------------

function checkStatusPage(level: Level, accessOf: (l: Level) => Access, c: EndContext): void {
  if (level.kind !== 'location' && level.kind !== 'server') return;
  const settings = own(level);
  const handler = settings.get('stub_status') ?? settings.get('api');
  if (!handler || settings.has('internal') || hostOnly(level.server)) return;
  const access = accessOf(level);
  if (!admitsAnyone(access, listensOnIpv6(level.server))) return;
  if (c.options.standalone && access.rules.at < 0 && access.auth.length === 0) return; // a file that includes this one may restrict it
  // `allow all` written beside the handler is a decision to publish it.
  if (ownList(settings, ACCESS_LIST).some((s) => s.directive.name.value === 'allow' && s.directive.args[0]?.value === 'all')) return;
  const name = handler.directive.name.value;
  const writable = name === 'api' && handler.directive.args.some((a) => a.value === 'write=on');
  const what = name === 'api' ? `the NGINX Plus API${writable ? ' (writable: anyone can change upstreams and zones)' : ''}`
    : 'stub_status (connection and request counts)';
  reportOn(c, handler, 'status-page-exposed',
    `${what} is open to everyone: no allow/deny or authentication restricts ${levelName(level)}; `
      + 'add "allow 127.0.0.1; deny all;" (or the addresses of your monitoring)',
    { exploit: `${requestFor(level) ?? 'a request here'} from anywhere → ${name === 'api' ? 'the API' : 'the status page'}`,
      effective: accessEntries(access, c) });
}

function fixStatusPage(site: FixSite): QuickFix[] {
  const handler = site.directive;
  const block = site.parents[site.parents.length - 1];
  const rules = children(block, site.tree).filter((d) => d.name.value === 'allow' || d.name.value === 'deny');
  const anchor = rules[rules.length - 1] ?? handler;
  const at = afterLineTail(site.text, anchor.end);
  const indent = lineIndent(site.text, anchor.start);
  const lines = rules.length ? ['deny all;'] : ['allow 127.0.0.1;', 'deny all;'];
  return [{ title: rules.length ? 'Deny everyone else (deny all)' : 'Allow only this host (allow 127.0.0.1; deny all)', isPreferred: true,
    edits: [{ start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') }] }];
}

// ---- autoindex --------------------------------------------------------------------------------

function checkAutoindex(levels: readonly Level[], accessOf: (l: Level) => Access, c: EndContext): void {
  if (levels.length === 0) return;
  const catchAll = new Set<Level>();
  for (const l of levels) {
    if (l.kind !== 'location' || !l.parent) continue;
    const { modifier, match } = locationMatch(l.directive);
    if (match === '/' && (modifier === '' || modifier === '^~')) catchAll.add(l.parent);
  }
  const reported = new Set<Setting>();
  for (const level of levels) {
    if (level.kind !== 'location' && level.kind !== 'server') continue;
    const on = effective(level.chain, 'autoindex', 'off');
    if (!on.setting || on.value.toLowerCase() !== 'on' || reported.has(on.setting)) continue;
    if (!servesFiles(level) || (level.kind === 'server' && catchAll.has(level)) || hostOnly(level.server)) continue;
    const access = accessOf(level);
    if (!admitsAnyone(access, listensOnIpv6(level.server))) continue;
    if (c.options.standalone && access.rules.at < 0 && access.auth.length === 0) continue;
    reported.add(on.setting);
    const request = requestFor(level);
    reportOn(c, on.setting, 'autoindex-on',
      `autoindex lists the files of ${levelName(level)} to everyone: no allow/deny or authentication restricts it`,
      { ...(request ? { exploit: `${request} → a listing of every file and folder there` } : {}),
        effective: [entry('autoindex', on, c), ...accessEntries(access, c)] });
  }
}

/** A level that answers from files: no content handler or return of its own, not internal or named. */
function servesFiles(level: Level): boolean {
  const settings = own(level);
  if (settings.has('internal') || settings.has('return') || CONTENT_HANDLERS.some((h) => settings.has(h))) return false;
  return level.kind !== 'location' || locationMatch(level.directive).modifier !== '@';
}

// ---- maps without default ---------------------------------------------------------------------

interface MapInfo {
  setting: Setting;
  /** The variable it defines, lower case, without `$`. */
  variable: string;
  /** Its source: a lone variable's name (lower case), when it is one. */
  source: string | undefined;
  /** Entry values, without special entries. */
  values: string[];
  keys: Set<string>;
  /** It has a default, a catch-all key, or an include that may hold one. */
  covered: boolean;
  defaultValue: string | undefined;
}

function checkMaps(levels: readonly Level[], c: EndContext): void {
  // map, geo and the zones stand at the http or stream level, or at the top of a file read alone.
  const blocks = new Set<BlockSettings>();
  if (levels.length) blocks.add(levels[0].chain[0]);
  for (const l of levels) if (l.kind === 'http' || l.kind === 'stream') blocks.add(own(l));
  const maps: MapInfo[] = [];
  const zones: Setting[] = [];
  for (const b of blocks) {
    for (const s of [...ownList(b, 'map'), ...ownList(b, 'geo')]) {
      const info = mapInfo(s);
      if (info) maps.push(info);
    }
    zones.push(...ownList(b, 'limit_req_zone'), ...ownList(b, 'limit_conn_zone'));
  }
  if (maps.length === 0) return;
  const byVariable = new Map(maps.map((m) => [m.variable, m]));
  // An if that refuses has a return of its own.
  const ifs = (c.facts.present.get('return') ?? []).filter((l) => l.kind === 'if');
  const inHeaders = headerVariables([...blocks, ...(c.facts.present.get('add_header') ?? []).map(own)]);
  const reported = new Set<Setting>();
  for (const map of maps) {
    if (map.covered || reported.has(map.setting)) continue;
    reported.add(map.setting);
    const source = map.source ? byVariable.get(map.source) : undefined;
    // Fed by a map or geo with a default whose every value is a key here: no input is unknown.
    const inputs = source?.covered && source.defaultValue !== undefined ? [...source.values, source.defaultValue] : undefined;
    if (inputs?.every((v) => map.keys.has(v))) continue;
    const verdict = judgeUses(map, ifs, zones);
    if (verdict === 'quiet') continue;
    // add_header sends no header for an empty value: a map without default is how a header is sent for some responses only.
    if (verdict.severity === 'hint' && inHeaders.has(map.variable)) continue;
    const d = map.setting.directive;
    const kind = d.name.value;
    const name = `$${d.args[d.args.length - 1]?.value.replace(/^\$/, '')}`;
    const input = kind === 'geo' ? 'an address' : `a ${d.args[0]?.value ?? 'value'}`;
    if (verdict.severity === 'warning') {
      c.report(map.setting.file, d.start, (d.block ? d.args[d.args.length - 1] ?? d.name : d.name).end, 'map-without-default',
        `${kind} ${name} has no default: ${input} it does not list gives ""${verdict.why}; `
          + `add "default ${verdict.deny || '""'};"`,
        {
          denyValue: verdict.deny, exploit: verdict.exploit,
          effective: [{ name: `${kind} ${name}`, value: 'no default: ""', where: `set at ${c.where(map.setting)}` }],
        });
    } else {
      c.report(map.setting.file, d.start, (d.args[d.args.length - 1] ?? d.name).end, 'map-without-default',
        `${kind} ${name} has no default: ${input} it does not list gives ""; say so with "default "";" or pick a value`,
        { denyValue: '' }, 'hint');
    }
  }
}

/** The variables add_header values use (lower case, without `$`). */
function headerVariables(blocks: readonly BlockSettings[]): Set<string> {
  const found = new Set<string>();
  for (const b of blocks) {
    for (const s of ownList(b, 'add_header')) {
      for (const m of (s.directive.args[1]?.value ?? '').matchAll(/\$\{?([A-Za-z0-9_]+)\}?/g)) found.add(m[1].toLowerCase());
    }
  }
  return found;
}

function mapInfo(s: Setting): MapInfo | undefined {
  const d = s.directive;
  if (!d.block) return undefined;
  const kind = d.name.value;
  const variable = d.args[d.args.length - 1]?.value;
  // Only a name nginx takes ($ and letters, digits, _): its uses are then found by a pattern built from it.
  if (!variable || !/^\$\{?[A-Za-z0-9_]+\}?$/.test(variable)) return undefined;
  const sourceWord = kind === 'map' ? d.args[0]?.value : d.args.length === 2 ? d.args[0].value : '$remote_addr';
  const lone = sourceWord ? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(sourceWord) : null;
  const values: string[] = [];
  const keys = new Set<string>();
  let covered = false;
  let defaultValue: string | undefined;
  for (const node of d.block.children) {
    if (node.kind !== 'directive') continue;
    const key = node.name.value;
    if (key === 'include') covered = true;
    if (key === 'default') { covered = true; defaultValue = node.args[0]?.value; continue; }
    if (kind === 'map' && (key === 'hostnames' || key === 'volatile')) continue;
    if (kind === 'geo' && ['ranges', 'delete', 'proxy', 'proxy_recursive', 'include'].includes(key)) continue;
    if (kind === 'map' && /^~\*?(\^?(\.\*)?\$?|\.\*)$/.test(key)) covered = true; // a regex that matches anything
    if (kind === 'geo' && key === '0.0.0.0/0') covered = true;
    keys.add(key);
    values.push(node.args[0]?.value ?? '');
  }
  return { setting: s, variable: variable.slice(1).replace(/^\{|\}$/g, '').toLowerCase(), source: lone?.[1].toLowerCase(), values, keys,
    covered, defaultValue };
}

type Verdict = 'quiet' | { severity: 'warning' | 'hint'; why?: string; deny?: string; exploit?: string };

/** How the map's variable is used: an access check or a limit key where "" lets unknown inputs through makes it a warning. */
function judgeUses(map: MapInfo, ifs: readonly Level[], zones: readonly Setting[]): Verdict {
  const reference = new RegExp(`\\$\\{?${map.variable}\\}?(?![A-Za-z0-9_])`, 'i');
  for (const level of ifs) {
    const condition = parseCondition(level.directive);
    if (!condition || condition.variable !== map.variable) continue;
    const refuses = ownList(own(level), 'return').some((r) => (returnCode(r.directive) ?? 0) >= 400);
    if (!refuses) continue;
    if (condition.holds('')) continue;
    const admitted = map.values.find((v) => !v.includes('$') && !condition.holds(v));
    if (admitted === undefined) continue; // every listed value is refused: a blocklist, "" is the rest
    const deny = condition.example;
    return {
      severity: 'warning', deny,
      why: `, which the check "if (${level.directive.args.map((a) => a.value).join(' ').replace(/^\(|\)$/g, '').trim()})" lets through`,
      exploit: `${inputExample(map)} → "" → not refused`,
    };
  }
  const keyed = zones.some((z) => reference.test(z.directive.args[0]?.value ?? ''));
  if (keyed) {
    const exempt = map.values.some((v) => v === '');
    const limited = map.values.some((v) => v !== '');
    if (exempt && limited) {
      const deny = map.values.find((v) => v !== '');
      return { severity: 'warning', deny, why: ', which, as a rate-limit key, is never limited (nginx does not count an empty key)',
        exploit: `${inputExample(map)} → "" → never rate limited` };
    }
    if (map.values.length <= 1) return 'quiet'; // one entry picks what to limit; the rest is meant to go unlimited
  }
  return { severity: 'hint' };
}

/** `x_api_key` → `X-Api-Key`. */
function headerName(variablePart: string): string {
  return variablePart.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');
}

/** A request whose input the map does not list. */
function inputExample(map: MapInfo): string {
  const source = map.source ?? '';
  if (source.startsWith('http_')) return `a request with "${headerName(source.slice(5))}: x"`;
  if (source.startsWith('arg_')) return `a request with ?${source.slice(4)}=x`;
  if (source.startsWith('cookie_')) return `a request with cookie ${source.slice(7)}=x`;
  if (map.setting.directive.name.value === 'geo' || source === 'remote_addr' || source === 'binary_remote_addr')
    return 'a request from an address not listed';
  return 'a request whose value is not listed';
}

interface Condition {
  variable: string;
  holds: (value: string) => boolean;
  /** A value for which it holds, for a suggested default. */
  example: string;
}

/** `if ($v)`, `if ($v = x)`, `if ($v != x)`; undefined for regex and file tests. */
function parseCondition(d: Directive): Condition | undefined {
  const words = d.args.map((a) => a.value);
  if (words.length === 0) return undefined;
  words[0] = words[0].replace(/^\(/, '');
  words[words.length - 1] = words[words.length - 1].replace(/\)$/, '');
  const parts = words.filter((w, i) => w !== '' || (i > 0 && i < words.length - 1));
  const m = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(parts[0] ?? '');
  if (!m) return undefined;
  const variable = m[1].toLowerCase();
  if (parts.length === 1) return { variable, holds: (v) => v !== '' && v !== '0', example: '1' };
  if (parts.length !== 3) return undefined;
  const [, op, operand] = parts;
  if (op === '=') return { variable, holds: (v) => v === operand, example: operand };
  if (op === '!=') return { variable, holds: (v) => v !== operand, example: operand === '' ? '0' : `not_${operand}` };
  return undefined;
}

function fixMapDefault(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const d = site.directive;
  if ((d.name.value !== 'map' && d.name.value !== 'geo') || !d.block) return [];
  const value = typeof diagnostic.data?.denyValue === 'string' ? diagnostic.data.denyValue : '';
  const written = value === '' ? '""' : /[\s;{}"'#]/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value;
  const first = d.block.children.find((n) => n.kind === 'directive');
  const onOwnLine = first !== undefined && site.text.lastIndexOf('\n', first.start) > d.block.open;
  const indent = onOwnLine ? lineIndent(site.text, first.start) : childIndent(site.text, d);
  const at = d.block.open + 1;
  return [{ title: `Give unknown inputs ${written} (default ${written})`, isPreferred: true,
    edits: [{ start: at, end: at, newText: `\n${indent}default ${written};` }] }];
}
