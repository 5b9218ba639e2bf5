/**
 * Lists nginx inherits whole. A level with one `add_header` of its own inherits none of the
 * enclosing level's (nginx's merge: `if (conf->headers == NULL) conf->headers = prev->headers`), so
 * the security headers a server sets vanish from the one location that adds `Cache-Control`; the
 * same holds for `add_trailer`, `proxy_set_header`, `grpc_set_header`, `proxy_hide_header` and the
 * `*_param` lists. nginx 1.29.3 added `add_header_inherit merge` (and `add_trailer_inherit`) to
 * append the enclosing level's headers instead. At the end of the walk each level (levels.ts) is
 * compared with what it would inherit; includes are seen through, since the walk records through them.
 * Also here: HSTS, which a TLS server's responses carry only if the effective header list has it.
 */
import * as path from 'node:path/posix';
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { FindingData, Severity } from '../../finding';
import type { EndContext, FixSite, NginxFamily } from '../context';
import { type BlockSettings, type Setting, type TlsServer, effective } from '../inheritance';
import { type NginxVersion, formatVersion, locationMatch, versionAtLeast } from '../knowledge';
import { type Level, CONTENT_HANDLERS, LISTED, isWithin, own, ownList } from '../levels';
import type { ConfigFile, Directive, Node } from '../syntax';
import { afterLineTail, childIndent, children, lineIndent } from '../text-edits';

/** The release that added add_header_inherit and add_trailer_inherit. */
const INHERIT_MERGE: NginxVersion = [1, 29, 3];

/** Response headers whose loss weakens a browser's defences (the dropped ones make the finding a warning). */
const SECURITY_HEADERS: ReadonlySet<string> = new Set([
  'strict-transport-security', 'content-security-policy', 'content-security-policy-report-only', 'x-frame-options',
  'x-content-type-options', 'referrer-policy', 'permissions-policy', 'cross-origin-opener-policy',
  'cross-origin-embedder-policy', 'cross-origin-resource-policy',
]);

/**
 * Request headers a backend takes for the client's address, scheme or host. nginx passes the
 * client's own request headers on: where the level that set one is dropped, the client's value
 * reaches the backend unchanged.
 */
const CLIENT_TRUST_HEADERS: ReadonlySet<string> = new Set([
  'x-real-ip', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-scheme',
  'x-forwarded-ssl', 'x-scheme', 'forwarded', 'x-client-ip', 'true-client-ip', 'x-remote-user', 'remote-user',
]);

/** The lists the proxy-header rule compares, with the directive that uses each (a level without one never sends it). */
const PROXY_LISTS: readonly { key: string; pass: string }[] = [
  { key: 'proxy_set_header', pass: 'proxy_pass' },
  { key: 'grpc_set_header', pass: 'grpc_pass' },
  { key: 'proxy_hide_header', pass: 'proxy_pass' },
  { key: 'fastcgi_param', pass: 'fastcgi_pass' },
  { key: 'uwsgi_param', pass: 'uwsgi_pass' },
  { key: 'scgi_param', pass: 'scgi_pass' },
];

const HEADER_LISTS: readonly string[] = ['add_header', 'add_trailer'];

/**
 * The lists some level holds that other levels may inherit: those of a level with levels inside it
 * (and of the top of the configuration). Where none does, no level can lose any, and most of a large
 * generated configuration (every location with its own lines, nothing above them) is skipped at once.
 */
function listsAbove(levels: readonly Level[], enclosing: readonly Level[]): Set<string> {
  const found = new Set<string>();
  const root = levels[0]?.chain[0];
  for (const key of [...HEADER_LISTS, ...PROXY_LISTS.map((l) => l.key)]) {
    if (root?.has(key) || enclosing.some((l) => own(l).has(key))) found.add(key);
  }
  return found;
}

/** At least 180 days: what browsers' preload lists and most guides ask for. */
const HSTS_MIN_AGE = 15552000;
const HSTS_LINE = 'add_header Strict-Transport-Security "max-age=63072000" always;';

export const family: NginxFamily = {
  name: 'header-inheritance',
  rules: ['add-header-dropped', 'proxy-header-dropped', 'hsts-missing'],
  end: (c) => {
    const levels = c.facts.levels;
    const headers = new HeaderLists();
    let passUsers: Map<string, Set<Level>> | undefined; // worked out when a level first loses lines
    const inherited = listsAbove(levels, c.facts.enclosing);
    // The levels that set a list themselves are the ones that may lose the inherited one.
    const setting = (key: string) => (inherited.has(key) ? c.facts.present.get(key) ?? [] : []);
    for (const key of HEADER_LISTS) {
      for (const level of setting(key)) {
        if (level.kind === 'server' || level.kind === 'location' || level.kind === 'if') checkDroppedHeaders(level, key, headers, c);
      }
    }
    for (const { key, pass } of PROXY_LISTS) {
      for (const level of setting(key)) {
        if (level.kind !== 'server' && level.kind !== 'location') continue;
        const inheritedLines = inheritedList(level.chain, key);
        if (inheritedLines.length === 0) continue;
        passUsers ??= passUsersOf(levels);
        if (passUsers.get(pass)?.has(level)) checkDroppedProxyList(level, key, ownList(own(level), key), inheritedLines, c);
      }
    }
    checkHsts(c, headers);
  },
  fixes: {
    'add-header-dropped': fixDropped,
    'proxy-header-dropped': fixDropped,
    'hsts-missing': fixHsts,
  },
};

/** What the fixes of a dropped list need, carried in the finding's data. */
interface DroppedData {
  /** The list's key: the directive whose lines are repeated (`add_header`, `proxy_set_header`, …). */
  list: string;
  /** The dropped lines as written, each ending in ";". */
  missing: string[];
  /** `include` arguments (as written) that bring the dropped lines and nothing else. */
  includes: string[];
  /** The target release has add_header_inherit (or add_trailer_inherit). */
  merge?: boolean;
}

/** The add_header and add_trailer lists in effect at each level, worked out once per chain position. */
class HeaderLists {
  private readonly cache = new Map<BlockSettings, Map<string, readonly Setting[]>>();

  /** The list in effect at chain[i], by nginx's merge with add_header_inherit (on by default). */
  at(chain: readonly BlockSettings[], i: number, key: string): readonly Setting[] {
    if (i < 0) return [];
    let byKey = this.cache.get(chain[i]);
    const known = byKey?.get(key);
    if (known) return known;
    const mine = ownList(chain[i], key);
    const mode = inheritMode(chain, i, key);
    let result: readonly Setting[];
    if (mine.length === 0) result = mode === 'off' ? [] : this.at(chain, i - 1, key);
    else result = mode === 'merge' ? [...mine, ...this.at(chain, i - 1, key)] : mine;
    if (!byKey) this.cache.set(chain[i], (byKey = new Map()));
    byKey.set(key, result);
    return result;
  }
}

/** `on`, `off` or `merge`: the add_header_inherit (add_trailer_inherit) in effect at chain[i]. */
function inheritMode(chain: readonly BlockSettings[], i: number, key: string): string {
  for (let j = i; j >= 0; j--) {
    const s = chain[j].get(`${key}_inherit`);
    if (s) return s.directive.args[0]?.value.toLowerCase() ?? 'on';
  }
  return 'on';
}

/** The name a list entry sets: header names compare without regard to case, parameters exactly. */
function entryName(s: Setting): string {
  const name = s.directive.args[0]?.value ?? '';
  return s.directive.name.value.endsWith('_param') ? name : name.toLowerCase();
}

function checkDroppedHeaders(level: Level, key: string, headers: HeaderLists, c: EndContext): void {
  const chain = level.chain;
  const n = chain.length - 1;
  const mine = ownList(chain[n], key);
  if (mine.length === 0) return;
  const mode = inheritMode(chain, n, key);
  // merge keeps them; off is an explicit choice not to inherit.
  if (mode === 'merge' || mode === 'off') return;
  const dropped = droppedEntries(mine, headers.at(chain, n - 1, key));
  if (dropped.length === 0) return;
  const names = distinctNames(dropped);
  const security = key === 'add_header' && names.some((name) => SECURITY_HEADERS.has(name.toLowerCase()));
  const merge = versionAtLeast(c.options.target, INHERIT_MERGE);
  const inherit = effective(chain, `${key}_inherit`, 'on');
  const request = requestFor(level);
  reportDropped(c, level, mine, 'add-header-dropped', security ? 'warning' : 'hint',
    `${listOf(names)} ${names.length === 1 ? 'is' : 'are'} not sent ${here(level)}: its own ${key} replaces those of `
      + `${originOf(level, dropped[0], c)}, as nginx inherits ${key} only into levels without one; repeat them here`
      + (merge ? `, or add "${key}_inherit merge;"` : ` ("${key}_inherit merge" needs nginx ${formatVersion(INHERIT_MERGE)}, `
        + `the target is ${formatVersion(c.options.target)})`),
    () => ({
      ...fixData(level, key, dropped, mine, c), ...(merge ? { merge: true } : {}),
      ...(request ? { exploit: `${request} → the response has no ${names[0]}` } : {}),
      effective: [
        ...dropped.map((s) => effectiveEntry(s, c)),
        ...mine.map((s) => effectiveEntry(s, c)),
        { name: `${key}_inherit`, value: inherit.value, where: c.describe(inherit) },
      ],
    }));
}

function checkDroppedProxyList(level: Level, key: string, mine: readonly Setting[], inherited: readonly Setting[], c: EndContext): void {
  // A header the level lets through with proxy_pass_header is not one it forgets to hide.
  const passed = key === 'proxy_hide_header' ? ownList(own(level), 'proxy_pass_header') : [];
  const dropped = droppedEntries([...mine, ...passed], inherited);
  if (dropped.length === 0) return;
  const names = distinctNames(dropped);
  const { severity, consequence, spoofed } = proxyConsequence(key, dropped);
  const request = requestFor(level);
  reportDropped(c, level, mine, 'proxy-header-dropped', severity,
    `${listOf(names)} ${names.length === 1 ? 'is' : 'are'} lost ${here(level)}: its own ${key} replaces those of `
      + `${originOf(level, dropped[0], c)}, as nginx inherits ${key} only into levels without one${consequence}; repeat them here`,
    () => ({
      ...fixData(level, key, dropped, mine, c),
      ...(request && spoofed ? { exploit: `${request} with "${spoofed}: 127.0.0.1" → the backend receives it as sent` } : {}),
      effective: [...dropped.map((s) => effectiveEntry(s, c)), ...mine.map((s) => effectiveEntry(s, c))],
    }));
}

/** The list a level would inherit: the nearest enclosing level's own. */
function inheritedList(chain: readonly BlockSettings[], key: string): readonly Setting[] {
  for (let i = chain.length - 2; i >= 0; i--) {
    const list = ownList(chain[i], key);
    if (list.length) return list;
  }
  return [];
}

/** What losing these entries does, and how bad it is. */
function proxyConsequence(key: string, dropped: readonly Setting[]): { severity: Severity; consequence: string; spoofed?: string } {
  if (key === 'proxy_hide_header') {
    return { severity: 'information', consequence: ', so the upstream\'s own values reach clients' };
  }
  if (key.endsWith('_param')) {
    const header = dropped.find((s) => entryName(s).startsWith('HTTP_'));
    if (header) {
      const sent = entryName(header).slice(5).toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');
      return {
        severity: 'warning', spoofed: sent,
        consequence: `, so a client's own "${sent}" request header reaches the application as ${entryName(header)}`,
      };
    }
    if (dropped.some((s) => entryName(s) === 'HTTPS'))
      return { severity: 'information', consequence: ', so the application no longer learns that the request came over TLS' };
    return { severity: 'hint', consequence: '' };
  }
  const trusted = dropped.find((s) => CLIENT_TRUST_HEADERS.has(entryName(s)) || s.directive.args[1]?.value === '');
  if (trusted) {
    const sent = trusted.directive.args[0].value;
    return { severity: 'warning', spoofed: sent, consequence: `, so a client's own "${sent}" header reaches the backend as sent` };
  }
  return { severity: 'hint', consequence: '' };
}

/** The inherited entries whose names the level's own list does not set. */
function droppedEntries(mine: readonly Setting[], inherited: readonly Setting[]): Setting[] {
  if (inherited.length === 0) return [];
  const named = new Set(mine.map(entryName));
  return inherited.filter((s) => !named.has(entryName(s)));
}

function distinctNames(entries: readonly Setting[]): string[] {
  const seen = new Map<string, string>();
  for (const s of entries) if (!seen.has(entryName(s))) seen.set(entryName(s), s.directive.args[0]?.value ?? '');
  return [...seen.values()];
}

function listOf(names: readonly string[]): string {
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** "for location /static/", "in this if block", "for this server". */
function here(level: Level): string {
  switch (level.kind) {
    case 'location': return `for location ${level.directive.args.map((a) => a.value).join(' ')}`;
    case 'if': return 'inside this if block';
    default: return 'in this server';
  }
}

/** "the server (site.conf:4)": the level an inherited entry was set at. */
function originOf(level: Level, entry: Setting, c: EndContext): string {
  const origin = levelHolding(level.parent, entry);
  if (!origin) return `the enclosing level (${c.where(entry)})`;
  const at = c.where({ directive: origin.directive, file: origin.file });
  if (origin.kind === 'location') return `location ${origin.directive.args.map((a) => a.value).join(' ')} (${at})`;
  return `${origin.kind === 'if' ? 'the if block' : origin.kind === 'server' ? 'the server' : 'http'} (${at})`;
}

/** The level, from `start` outwards, whose own list holds `entry`. */
function levelHolding(start: Level | undefined, entry: Setting): Level | undefined {
  const key = LISTED.get(entry.directive.name.value);
  if (!key) return undefined;
  for (let l = start; l; l = l.parent) if (ownList(own(l), key).includes(entry)) return l;
  return undefined;
}

/** A request that reaches the level, when its match says which: `GET /static/`. */
function requestFor(level: Level): string | undefined {
  if (level.kind === 'server') return 'GET /';
  const location = level.kind === 'if' ? level.parent : level;
  if (location?.kind !== 'location') return undefined;
  const { modifier, match } = locationMatch(location.directive);
  if (modifier !== '' && modifier !== '^~' && modifier !== '=') return undefined;
  return `GET ${match}${level.kind === 'if' ? ` (when the if condition holds)` : ''}`;
}

function effectiveEntry(s: Setting, c: EndContext): { name: string; value: string; where: string } {
  return { name: s.directive.name.value, value: s.directive.args.map((a) => a.value).join(' '), where: `set at ${c.where(s)}` };
}

/**
 * Reports on the level's first own entry written in the level's file (the line that causes the
 * loss), or on the block itself when its entries all come from included files.
 */
function reportDropped(
  c: EndContext, level: Level, mine: readonly Setting[], code: 'add-header-dropped' | 'proxy-header-dropped', severity: Severity,
  message: string, data: FindingData,
): void {
  const first = mine.find((s) => s.file === level.file);
  const d = first?.directive;
  if (d) c.report(level.file, d.start, d.end, code, message, data, severity);
  else {
    const block = level.directive;
    const last = block.args[block.args.length - 1] ?? block.name;
    c.report(level.file, block.start, last.end, code, message, data, severity);
  }
}

/** The lines to repeat and the snippets to include instead, for the quick fix. */
function fixData(level: Level, key: string, dropped: readonly Setting[], mine: readonly Setting[], c: EndContext): DroppedData {
  const includes: string[] = [];
  const viaInclude = new Set<Setting>();
  const droppedNames = new Set(dropped.map(entryName));
  const mineNames = new Set(mine.map(entryName));
  for (const s of dropped) {
    if (viaInclude.has(s)) continue;
    const origin = levelHolding(level.parent, s);
    const originFile = origin?.file ?? c.main;
    if (s.file === originFile) continue;
    const originNodes = origin ? origin.directive.block?.children : c.mainTree?.children;
    const include = originNodes && includeOf(originNodes, s.file, c.prefix, c.files.get(originFile));
    const snippet = c.files.get(s.file);
    if (!include || !snippet || !onlyEntries(snippet.children, key, droppedNames, mineNames)) continue;
    includes.push(include);
    for (const other of dropped) if (other.file === s.file) viaInclude.add(other);
  }
  const missing = dropped.filter((s) => !viaInclude.has(s)).map((s) => {
    const text = c.files.get(s.file)?.text ?? '';
    return text.slice(s.directive.start, s.directive.end) || `${s.directive.name.value} ${s.directive.args.map((a) => a.value).join(' ')};`;
  });
  return { list: key, missing, includes };
}

/** The `include` among `nodes` that names `file` (relative to the prefix, globs allowed), as written. */
function includeOf(nodes: readonly Node[], file: string, prefix: string, tree: ConfigFile | undefined): string | undefined {
  for (const node of nodes) {
    if (node.kind !== 'directive' || node.name.value !== 'include' || node.args.length !== 1) continue;
    const pattern = node.args[0].value;
    const full = path.isAbsolute(pattern) ? pattern : path.join(prefix, pattern);
    if (full === file || (/[*?[]/.test(full) && globPattern(full).test(file)))
      return tree ? tree.text.slice(node.args[0].start, node.args[0].end) : pattern;
  }
  return undefined;
}

/** A glob as nginx's include reads it (`*`, `?`, `[…]` within one path segment), as a regular expression. */
function globPattern(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    source += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch === '[' || ch === ']' ? ch : ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether a snippet holds only lines of this list, each one the level lacks: including it adds
 * exactly what was dropped, and nothing nginx would refuse in the level or send twice.
 */
function onlyEntries(nodes: readonly Node[], key: string, dropped: ReadonlySet<string>, mine: ReadonlySet<string>): boolean {
  let any = false;
  for (const node of nodes) {
    if (node.kind !== 'directive') continue;
    if (LISTED.get(node.name.value) !== key) return false;
    const name = entryName({ directive: node, file: '' });
    if (!dropped.has(name) || mine.has(name)) return false;
    any = true;
  }
  return any;
}

/** For each pass directive, the levels that use it or enclose a level that does. */
function passUsersOf(levels: readonly Level[]): Map<string, Set<Level>> {
  const users = new Map<string, Set<Level>>();
  for (const level of levels) {
    for (const pass of ['proxy_pass', 'grpc_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass']) {
      if (!own(level).has(pass)) continue;
      let set = users.get(pass);
      if (!set) users.set(pass, (set = new Set()));
      for (let l: Level | undefined = level; l && !set.has(l); l = l.parent) set.add(l);
    }
  }
  return users;
}

// ---- HSTS -------------------------------------------------------------------------------------

function checkHsts(c: EndContext, headers: HeaderLists): void {
  const levels = c.facts.levels;
  const isTls = (server: TlsServer) => server.sslListens.length > 0 || server.listens.some((l) => l.udp);
  if (!c.facts.servers.some(isTls)) return;
  const servers = levels.filter((l) => l.kind === 'server' && l.server && isTls(l.server));
  const inside = new Map<TlsServer, Level[]>();
  for (const l of levels) {
    if ((l.kind !== 'location' && l.kind !== 'if') || !l.server) continue;
    const list = inside.get(l.server);
    if (list) list.push(l); else inside.set(l.server, [l]);
  }
  for (const server of servers) {
    if (!server.server) continue;
    const chain = server.chain;
    if (effective(chain, 'ssl_reject_handshake', 'off').value.toLowerCase() === 'on' || refusesEverything(server)) continue;
    // Without a certificate nginx refuses to start (the TLS rules say so) or the server never completes a handshake.
    if (!effective(chain, 'ssl_certificate', '').setting) continue;
    const within = (inside.get(server.server) ?? []).filter((l) => isWithin(l, server));
    if (within.some((l) => setsHstsAnotherWay(l)) || chain.some((b) => ownList(b, 'more_set_headers').some(isHstsCommand))) continue;
    const list = headers.at(chain, chain.length - 1, 'add_header');
    const hsts = list.find(isHsts);
    // Lost to the server's own add_header lines: the dropped-header finding says so.
    if (!hsts && headers.at(chain, chain.length - 2, 'add_header').some(isHsts)) continue;
    if (hsts) {
      checkMaxAge(hsts, c);
      continue;
    }
    // Locations that set their own HSTS cover themselves; report when some response still goes without.
    const uncovered = within.filter((l) => l.kind === 'location')
      .find((l) => !headers.at(l.chain, l.chain.length - 1, 'add_header').some(isHsts));
    if (within.length > 0 && !uncovered && hasCatchAll(server, within)) continue;
    if (c.options.standalone) continue; // the http level that may set it is in a file that includes this one
    const proxied = within.length > 0 && within.filter((l) => l.kind === 'location')
      .every((l) => CONTENT_HANDLERS.some((h) => own(l).has(h)) || own(l).has('return'));
    const d = server.directive;
    // Name the location only where others have it: with no HSTS anywhere, the server is what lacks it.
    const partly = within.some((l) => ownList(own(l), 'add_header').some(isHsts));
    const where = uncovered && partly ? `for location ${uncovered.directive.args.map((a) => a.value).join(' ')}` : 'in this TLS server';
    c.report(server.file, d.name.start, d.name.end, 'hsts-missing',
      `no Strict-Transport-Security header is sent ${where}: browsers keep trying http:// first, where an attacker on the `
        + `network can strip TLS${proxied ? ' (unless the upstream sends the header)' : ''}; add "${HSTS_LINE}"`,
      () => ({
        inherited: ownList(own(server), 'add_header').length === 0 ? list.map((s) => lineOf(s, c)) : [],
        exploit: `http://${serverName(server) ?? 'the site'}/ on a first visit is answered over plain HTTP, open to SSL stripping`,
        effective: list.length ? list.map((s) => effectiveEntry(s, c))
          : [{ name: 'add_header', value: '(none in effect)', where: c.describe({ value: '' }) }],
      }));
  }
}

function isHsts(s: Setting): boolean {
  return entryName(s) === 'strict-transport-security';
}

function lineOf(s: Setting, c: EndContext): string {
  return (c.files.get(s.file)?.text ?? '').slice(s.directive.start, s.directive.end);
}

function serverName(server: Level): string | undefined {
  const name = server.server?.names.find((n) => /^[a-z0-9.-]+$/i.test(n.word.value) && n.word.value.includes('.'));
  return name?.word.value;
}

/** A server that answers everything with an error or by closing the connection (`return 444;` at its level). */
function refusesEverything(server: Level): boolean {
  const first = ownList(own(server), 'return')[0]?.directive.args[0]?.value;
  return first !== undefined && /^\d+$/.test(first) && Number(first) >= 400;
}

/** Whether a server's locations leave no request to the server level itself (a `location /`). */
function hasCatchAll(server: Level, within: readonly Level[]): boolean {
  return within.some((l) => l.parent === server && l.kind === 'location' && locationMatch(l.directive).match === '/'
    && ['', '^~'].includes(locationMatch(l.directive).modifier));
}

function setsHstsAnotherWay(level: Level): boolean {
  return ownList(own(level), 'more_set_headers').some(isHstsCommand);
}

function isHstsCommand(s: Setting): boolean {
  return s.directive.args.some((a) => /^\s*strict-transport-security\s*:/i.test(a.value));
}

function checkMaxAge(hsts: Setting, c: EndContext): void {
  const value = hsts.directive.args[1]?.value ?? '';
  if (value.includes('$')) return;
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value);
  if (!m) return;
  const age = Number(m[1]);
  if (age >= HSTS_MIN_AGE) return;
  const d = hsts.directive;
  if (age === 0) {
    c.report(hsts.file, d.start, d.end, 'hsts-missing',
      'max-age=0 tells browsers to forget this site\'s HSTS: fine while undoing it, a downgrade risk once that is done', {
        effective: [effectiveEntry(hsts, c)],
      }, 'hint');
    return;
  }
  c.report(hsts.file, d.start, d.end, 'hsts-missing',
    `Strict-Transport-Security max-age=${age} is under 180 days (${HSTS_MIN_AGE}): browsers forget it between visits; `
      + 'use max-age=63072000 (two years)', { effective: [effectiveEntry(hsts, c)], shortAge: true });
}

// ---- quick fixes ------------------------------------------------------------------------------

/** Repeat the dropped lines (or include their snippet), or let the level merge what it inherits. */
function fixDropped(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const data = diagnostic.data as Partial<DroppedData> | undefined;
  if (!data?.list) return [];
  const block = targetBlock(site, data.list);
  if (!block) return [];
  const fixes: QuickFix[] = [];
  const lines = [...(data.includes ?? []).map((i) => `include ${i};`), ...(data.missing ?? [])];
  if (lines.length) {
    const title = data.includes?.length
      ? `Include ${data.includes.join(', ')} here${data.missing?.length ? ' and repeat the other inherited lines' : ''}`
      : `Repeat the inherited ${data.list} lines here`;
    fixes.push({ title, edits: [insertLines(site, block, data.list, lines)], isPreferred: true });
  }
  if (data.merge) {
    const directive = `${data.list}_inherit`;
    const existing = children(block, site.tree).find((d) => d.name.value === directive);
    const edit = existing?.args[0]
      ? { start: existing.args[0].start, end: existing.args[0].end, newText: 'merge' }
      : insertLines(site, block, data.list, [`${directive} merge;`], true);
    fixes.push({ title: `Inherit the enclosing ${data.list} lines too (${directive} merge)`, edits: [edit] });
  }
  return fixes;
}

/** The block a finding about a level stands for: the block of the entry it is on, or the block it is on. */
function targetBlock(site: FixSite, list: string): Directive | undefined {
  if (LISTED.get(site.directive.name.value) === list) return site.parents[site.parents.length - 1];
  return site.directive.block ? site.directive : undefined;
}

/** Lines inserted after the block's last line of the list (before its first, with `before`), or at its top. */
function insertLines(site: Pick<FixSite, 'text' | 'tree'>, block: Directive, list: string, lines: string[], before = false): TextEdit {
  const text = site.text;
  const entries = children(block, site.tree).filter((d) => LISTED.get(d.name.value) === list);
  const anchor = before ? entries[0] : entries[entries.length - 1];
  if (anchor && before) {
    const indent = lineIndent(text, anchor.start);
    return { start: anchor.start, end: anchor.start, newText: lines.map((l) => `${l}\n${indent}`).join('') };
  }
  const at = anchor ? afterLineTail(text, anchor.end) : block.block!.open + 1;
  const indent = anchor ? lineIndent(text, anchor.start) : childIndent(text, block);
  return { start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') };
}

function fixHsts(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const d = site.directive;
  if (diagnostic.data?.shortAge && d.name.value === 'add_header' && d.args[1]) {
    const value = d.args[1];
    const raw = site.text.slice(value.start, value.end);
    const fixed = raw.replace(/max-age\s*=\s*"?\d+"?/i, 'max-age=63072000');
    if (fixed === raw) return [];
    const edit = { start: value.start, end: value.end, newText: fixed };
    return [{ title: 'Use max-age=63072000 (two years)', edits: [edit], isPreferred: true }];
  }
  if (d.name.value !== 'server' || !d.block) return [];
  const inherited = Array.isArray(diagnostic.data?.inherited) ? (diagnostic.data.inherited as unknown[]).map(String) : [];
  const anchor = [...children(d, site.tree)].reverse()
    .find((x) => ['add_header', 'listen', 'server_name'].includes(x.name.value) || x.name.value.startsWith('ssl_'));
  const at = anchor ? afterLineTail(site.text, anchor.end) : d.block.open + 1;
  const indent = anchor ? lineIndent(site.text, anchor.start) : childIndent(site.text, d);
  const lines = [...inherited, HSTS_LINE];
  return [{
    title: `Send Strict-Transport-Security${inherited.length ? ' (and repeat the inherited add_header lines)' : ''}`,
    edits: [{ start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') }], isPreferred: true,
  }];
}
