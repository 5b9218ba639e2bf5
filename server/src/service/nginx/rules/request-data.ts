/**
 * Request data where it does harm: a path the client can walk out of the aliased folder
 * (`alias-traversal`), the whole disk served (`root-is-filesystem-root`), an upstream the client
 * picks (`proxy-target-from-request`), a line break the client puts into a header
 * (`header-injection`), a Host header the client chooses for the upstream
 * (`upstream-host-from-request`).
 *
 * The walk records the directives concerned (and, through request-flow.ts, every `set` and `map`);
 * the verdicts come at its end, when every definition is known: a value set in one file and used in
 * another is followed through both. Each finding carries the crafted request that shows the
 * problem (`data.exploit`) and the values it rests on with where each was set (`data.effective`).
 */
import * as path from 'node:path/posix';
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { RuleId } from '../../rules';
import type { CheckContext, EndContext, FixSite, NginxFamily, PlacedDirective, PlacedSite, RequestFlowFacts } from '../context';
import { isBuiltinVariable } from '../docs';
import type { TlsServer } from '../inheritance';
import { locationMatch } from '../knowledge';
import {
  CharSet, admitsLineFeed, charsBefore, charsOf, firstChars, groupOf, maxLength, readRegex, sample, type ReadRegex, type RegexAtom,
} from '../regex';
import {
  FLOW_RECORDERS, type Flow, type FlowOrigin, type FlowPolicy, type FlowStep, type VariableRef, describeHolder, fileOf, hasHostLiteral,
  locationRegex, nearest, place, requestOrigin, traceVariable, variableRefs,
} from '../request-flow';
import { type Directive, type Word, ownCopy } from '../syntax';
import { childIndent, lineIndent } from '../text-edits';

const PASSES = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass'];
const REDIRECT_CODES = new Set(['301', '302', '303', '307', '308']);
/** The address an SSRF finding's crafted request points the upstream at: a cloud metadata service. */
const METADATA = '169.254.169.254';
/** A line break and a header after it, URL-encoded as a client sends it. */
const SPLIT_RESPONSE = '%0d%0aSet-Cookie:%20injected=1';
const SPLIT_REQUEST = '%0d%0aX-Forwarded-For:%20127.0.0.1';

export const family: NginxFamily = {
  name: 'request-data',
  rules: ['alias-traversal', 'root-is-filesystem-root', 'proxy-target-from-request', 'header-injection', 'upstream-host-from-request'],
  directives: {
    ...FLOW_RECORDERS,
    alias: checkAlias,
    root: checkRoot,
    ...Object.fromEntries(PASSES.map((name) => [name, recordPass])),
    return: recordRedirect,
    rewrite: recordRedirect,
    add_header: recordHeader,
    add_trailer: recordHeader,
    proxy_set_header: recordHeader,
    grpc_set_header: recordHeader,
  },
  end: judge,
  fixes: {
    'alias-traversal': fixAliasTraversal,
    'root-is-filesystem-root': fixFilesystemRoot,
    'proxy-target-from-request': fixProxyTarget,
    'header-injection': fixHeaderInjection,
    'upstream-host-from-request': fixUpstreamHost,
  },
};

function record(code: RuleId, d: Directive, c: CheckContext): void {
  c.facts.requestFlow.sites.push({ code, ...place(d, c) });
}

// ---- what the walk records --------------------------------------------------------------------

function checkAlias(d: Directive, c: CheckContext): void {
  const location = c.parents[c.parents.length - 1];
  const value = d.args[0]?.value;
  if (!value || location?.name.value !== 'location') return;
  const { modifier, match } = locationMatch(location);
  if (modifier === '=' || modifier === '@') return;
  if (modifier !== '~' && modifier !== '~*') {
    if (!value.includes('$') && path.normalize(value) === '/') record('root-is-filesystem-root', d, c);
    else if (!match.endsWith('/') && value.endsWith('/')) record('alias-traversal', d, c);
    return;
  }
  if (value.includes('$') && regexAliasTraversal(location, value)) record('alias-traversal', d, c);
}

function checkRoot(d: Directive, c: CheckContext): void {
  const value = d.args[0]?.value;
  if (!value || value.includes('$') || path.normalize(value) !== '/') return;
  const location = nearest(c.parents, 'location');
  if (location) {
    const { modifier, match } = locationMatch(location);
    // Below a prefix other than "/", root "/" serves only that folder of the disk (the URI keeps its prefix).
    if (modifier === '=' || modifier === '@' || ((modifier === '' || modifier === '^~') && match !== '/')) return;
  }
  record('root-is-filesystem-root', d, c);
}

function recordPass(d: Directive, c: CheckContext): void {
  const address = d.args[0];
  if (!address || address.value.indexOf('$') < 0 || c.contexts.some((x) => x.startsWith('stream'))) return;
  record('proxy-target-from-request', d, c);
}

/** `return 30x URL`, `return URL`, and a rewrite that redirects: their URL becomes the Location header. */
function redirectTarget(d: Directive): Word | undefined {
  const args = d.args;
  if (d.name.value === 'return') {
    if (args.length === 2 && REDIRECT_CODES.has(args[0].value)) return args[1];
    return args.length === 1 && /^(https?:\/\/|\$scheme)/.test(args[0].value) ? args[0] : undefined;
  }
  const flag = args[2]?.value;
  if (flag === 'redirect' || flag === 'permanent') return args[1];
  return args[1] && flag !== 'last' && flag !== 'break' && /^(https?:\/\/|\$scheme)/.test(args[1].value) ? args[1] : undefined;
}

function recordRedirect(d: Directive, c: CheckContext): void {
  // A stream return sends its text to the client as it is: no header.
  if (c.contexts.some((x) => x.startsWith('stream'))) return;
  const target = redirectTarget(d);
  if (target && mayCarryLineBreak(target.value)) record('header-injection', d, c);
}

function recordHeader(d: Directive, c: CheckContext): void {
  const value = d.args[1];
  if (!value || value.value.indexOf('$') < 0) return;
  if (mayCarryLineBreak(value.value)) record('header-injection', d, c);
  const name = d.args[0].value;
  const isHost = name === 'Host' || (name.length === 4 && name.toLowerCase() === 'host')
    || (d.name.value === 'grpc_set_header' && name.toLowerCase() === ':authority');
  if (isHost && (d.name.value === 'proxy_set_header' || d.name.value === 'grpc_set_header') && mayCarryClientHost(value.value))
    record('upstream-host-from-request', d, c);
}

// Header values repeat across a large configuration ("$host", "$remote_addr"): the verdict on a value is
// remembered rather than its variables scanned each time.
const lineBreakVerdicts = new Map<string, boolean>();
const clientHostVerdicts = new Map<string, boolean>();

function remembered(cache: Map<string, boolean>, value: string, judge: (value: string) => boolean): boolean {
  let verdict = cache.get(value);
  if (verdict === undefined) {
    verdict = judge(value);
    if (cache.size > 10_000) cache.clear();
    cache.set(ownCopy(value), verdict);
  }
  return verdict;
}

/** A value using the decoded URI, a capture or a variable of the configuration's own (the rest are judged at the end). */
function mayCarryLineBreak(value: string): boolean {
  return value.indexOf('$') >= 0 && remembered(lineBreakVerdicts, value, usesLineBreakCandidate);
}

function usesLineBreakCandidate(value: string): boolean {
  return variableRefs(value).some((r) => {
    const name = r.name.toLowerCase();
    return name === 'uri' || name === 'document_uri' || !isBuiltinVariable(r.name) || /^[0-9]$/.test(r.name);
  });
}

function mayCarryClientHost(value: string): boolean {
  return remembered(clientHostVerdicts, value, usesClientHostCandidate);
}

function usesClientHostCandidate(value: string): boolean {
  return variableRefs(value).some((r) => clientHostOrigin(r.name) !== undefined || !isBuiltinVariable(r.name));
}

// ---- alias in a regex location ----------------------------------------------------------------

interface RegexAliasRisk { regex: ReadRegex; ref: VariableRef; atom: RegexAtom }

/**
 * In a regex location the alias is built from captures. `location ~ ^/files(.*)$ { alias /data/files/$1; }`
 * lets `$1` be `../x`: the group can start with "." and follows a literal that does not end in "/"
 * (a URI nginx has normalised has no "/../", but "/files../" is no such segment). A group after "/"
 * is safe, and so is one the alias does not put after a "/".
 */
function regexAliasTraversal(location: Directive, alias: string): RegexAliasRisk | undefined {
  const source = locationRegex(location);
  const regex = source && readRegex(source.source, source.caseless);
  if (!regex) return undefined;
  const dot = '.'.charCodeAt(0);
  for (const ref of variableRefs(alias)) {
    if (alias[ref.start - 1] !== '/') continue;
    const group = groupOf(regex, ref.name);
    if (!group || !firstChars(group.atom).has(dot)) continue;
    // Out of the folder takes "../": the group holds a "/", or the alias puts one after it.
    if (!charsOf(group.atom).hasChar('/') && alias[ref.end] !== '/') continue;
    const before = charsBefore(regex, group.atom);
    const nonSlash = before.chars.without('/'.charCodeAt(0));
    if (nonSlash.isEmpty()) continue;
    return { regex, ref, atom: group.atom };
  }
  return undefined;
}

// ---- the verdicts -----------------------------------------------------------------------------

interface Effective { name: string; value: string; where: string }

function judge(c: EndContext): void {
  const flow = c.facts.requestFlow;
  if (flow.sites.length === 0) return;
  const servers = new Map<Directive, TlsServer>();
  for (const s of c.facts.servers) if (s.module === 'http' && !servers.has(s.directive)) servers.set(s.directive, s);
  const hostChosen = clientChosenHostServers(c);
  // A file included in several places is judged in each: its first finding per directive and rule is the one shown.
  const reported = new Set<string>();
  const report = c.report;
  const once: EndContext = {
    ...c,
    report: (file, start, end, code, message, data, severity) => {
      const key = `${file}\0${start}\0${code}`;
      if (reported.has(key)) return;
      reported.add(key);
      report(file, start, end, code, message, data, severity);
    },
  };
  for (const site of flow.sites) {
    switch (site.code) {
      case 'alias-traversal': judgeAliasTraversal(site, once); break;
      case 'root-is-filesystem-root': judgeFilesystemRoot(site, once); break;
      case 'proxy-target-from-request': judgeProxyTarget(site, once, flow, servers, hostChosen); break;
      case 'header-injection': judgeHeaderInjection(site, once, flow); break;
      case 'upstream-host-from-request': judgeUpstreamHost(site, once, flow, servers, hostChosen); break;
    }
  }
}

function setAt(c: EndContext, file: string, directive: Directive): string {
  return c.describe({ value: '', setting: { file, directive } });
}

function effectiveOf(c: EndContext, d: Directive, file: string, name = d.name.value): Effective {
  return { name, value: d.args.map((a) => a.value).join(' '), where: setAt(c, fileOf(d, c.files, file), d) };
}

function stepsEffective(c: EndContext, steps: readonly FlowStep[]): Effective[] {
  return steps.map((s) => ({ name: s.name, value: s.value, where: setAt(c, s.file, s.directive) }));
}

/** A request path that reaches the block holding the site: its location's prefix, or a URI its regex matches. */
function requestPath(parents: readonly Directive[]): string {
  const location = nearest(parents, 'location');
  if (!location) return '/';
  const { modifier, match } = locationMatch(location);
  if (modifier === '@') return '/';
  if (modifier === '~' || modifier === '~*') {
    const regex = readRegex(match, modifier === '~*');
    const s = regex && sample(regex.root);
    return s === undefined ? '/' : s.startsWith('/') ? s : `/${s}`;
  }
  return match;
}

function judgeAliasTraversal(site: PlacedSite, c: EndContext): void {
  const alias = site.directive.args[0];
  const location = site.parents[site.parents.length - 1];
  const { modifier, match } = locationMatch(location);
  const climb = '../secret.txt';
  let uri: string;
  let reads: string;
  let why: string;
  let folder = alias.value;
  if (modifier === '~' || modifier === '~*') {
    const risk = regexAliasTraversal(location, alias.value);
    if (!risk) return;
    const made = sample(risk.regex.root, (atom) => (atom === risk.atom ? climb : undefined));
    uri = made === undefined ? `${match}` : made.startsWith('/') ? made : `/${made}`;
    reads = path.normalize(alias.value.slice(0, risk.ref.start) + climb + alias.value.slice(risk.ref.end));
    folder = alias.value.slice(0, risk.ref.start);
    const group = risk.regex.source.slice(risk.atom.start, risk.atom.end);
    why = `$${risk.ref.name} comes from "${group}", which can start with ".." because it follows no "/" in the location's regex`;
  } else {
    uri = `${match}${climb}`;
    reads = path.normalize(alias.value + climb);
    why = `location "${match}" does not end in "/" while its alias does`;
  }
  const exploit = `GET ${uri}`;
  c.report(site.file, alias.start, alias.end, 'alias-traversal',
    `files outside "${folder}" can be read: ${why}, so ${exploit} reads ${reads}; `
      + (modifier === '~' || modifier === '~*' ? 'put a "/" before the group in the regex' : 'end the location with "/"'),
    {
      exploit,
      effective: [effectiveOf(c, location, site.file), effectiveOf(c, site.directive, site.file)],
      ...(modifier === '~' || modifier === '~*' ? { regex: true } : {}),
    });
}

function judgeFilesystemRoot(site: PlacedSite, c: EndContext): void {
  const d = site.directive;
  const value = d.args[0];
  const location = nearest(site.parents, 'location');
  let uri = '/etc/passwd';
  if (d.name.value === 'alias' && location) {
    const { match } = locationMatch(location);
    uri = `${match}${match.endsWith('/') ? '' : '/'}etc/passwd`;
  } else if (location && locationRegex(location)) {
    uri = requestPath(site.parents);
  }
  const exploit = `GET ${uri}`;
  const effective = [effectiveOf(c, d, site.file)];
  if (location) effective.unshift(effectiveOf(c, location, site.file));
  c.report(site.file, value.start, value.end, 'root-is-filesystem-root',
    `the whole file system is served: ${d.name.value} "${value.value}" is the root of the disk, so ${exploit} `
      + `reads ${d.name.value === 'alias' ? '/etc/passwd' : path.normalize(uri)}; serve a folder that holds only the site's files`,
    { exploit, effective });
}

// ---- proxy-target-from-request ----------------------------------------------------------------

/** The label characters a confined capture may hold: with a literal beside it, the host stays in a known domain. */
const LABEL = (() => { const s = CharSet.of('-_'); s.addRange(0x30, 0x39); s.addRange(0x41, 0x5a); s.addRange(0x61, 0x7a); return s; })();

const SSRF: FlowPolicy = {
  source: (name, role) => {
    const lower = name.toLowerCase();
    // The URI always starts with "/": in an address it ends the host. Matched by a regex, its captures are the client's.
    if (lower === 'uri' || lower === 'document_uri' || lower === 'request_uri') return role === 'subject' ? uriOrigin(name) : undefined;
    return requestOrigin(name);
  },
  keepsThroughCapture: () => true,
};

function uriOrigin(name: string): FlowOrigin {
  return { variable: `$${name}`, kind: 'uri' };
}

/** The part of a pass address that names the scheme and host: up to the first "/" after "://", or before a URI variable. */
function addressRefs(value: string): VariableRef[] {
  if (value.startsWith('unix:')) return variableRefs(value);
  const scheme = value.indexOf('://');
  const slash = value.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  const end = slash < 0 ? value.length : slash;
  const out: VariableRef[] = [];
  for (const r of variableRefs(value)) {
    if (r.start >= end) break;
    const lower = r.name.toLowerCase();
    if (lower === 'uri' || lower === 'request_uri' || lower === 'document_uri') break; // the path starts here
    out.push(r);
  }
  return out;
}

/**
 * The http servers where `$host` is whatever the client sends: the default server of a socket (any
 * Host reaches it) and servers with a wildcard, regex or "_" name. Without the whole configuration
 * only an explicit default_server counts.
 */
function clientChosenHostServers(c: EndContext): Map<TlsServer, string> {
  const out = new Map<TlsServer, string>();
  const byAddress = new Map<string, { first: TlsServer; marked?: TlsServer }>();
  for (const server of c.facts.servers) {
    if (server.module !== 'http') continue;
    const wildcard = server.names.find((n) => /[*~]/.test(n.word.value) || n.word.value.startsWith('.') || n.word.value === '_');
    if (wildcard) out.set(server, `a server whose name "${wildcard.word.value}" matches hosts the client makes up`);
    for (const listen of server.listens.length ? server.listens : [{ address: '*:80', ssl: false, isDefault: false }]) {
      const entry = byAddress.get(listen.address);
      if (!entry) byAddress.set(listen.address, { first: server, marked: listen.isDefault ? server : undefined });
      else if (listen.isDefault && !entry.marked) entry.marked = server;
    }
  }
  for (const [address, entry] of byAddress) {
    const server = entry.marked ?? (c.options.standalone ? undefined : entry.first);
    if (server && !out.has(server)) out.set(server, `the default server for ${address}, which any Host header reaches`);
  }
  return out;
}

function judgeProxyTarget(
  site: PlacedSite, c: EndContext, flow: RequestFlowFacts, servers: Map<Directive, TlsServer>, hostChosen: Map<TlsServer, string>,
): void {
  const address = site.directive.args[0];
  const refs = addressRefs(address.value);
  if (refs.length === 0) return;
  const location = nearest(site.parents, 'location');
  const internal = location !== undefined && flow.internal.has(location);
  const literalBeside = hasHostLiteral(address.value);
  for (const ref of refs) {
    if (ref.name.toLowerCase() === 'host') {
      const server = servers.get(nearest(site.parents, 'server')!);
      const why = server && hostChosen.get(server);
      if (!why || internal) continue;
      const serverDirective = server.directive;
      reportProxyTarget(site, c, ref, `$host in ${why}`,
        `GET ${requestPath(site.parents)} with "Host: ${METADATA}"`,
        [effectiveOf(c, serverDirective, server.file, 'server')], true);
      return;
    }
    const found = traceVariable(ref.name, site, flow, SSRF);
    if (!found) continue;
    // An internal location is reached by internal redirects: its URI and arguments come from the configuration or the upstream.
    if (internal && (found.capture || ['argument', 'arguments', 'uri'].includes(found.origin.kind))) continue;
    // A capture of label characters beside a literal ("$1.internal") stays among the hosts the configuration names.
    if (found.chars && found.chars.within(LABEL) && (literalBeside || found.besideLiteral)) continue;
    reportProxyTarget(site, c, ref, describeFlow(ref, found), crafted(found, site, METADATA), stepsEffective(c, found.steps),
      !found.capture);
    return;
  }
}

function reportProxyTarget(
  site: PlacedSite, c: EndContext, ref: VariableRef, source: string, exploit: string, steps: Effective[], mappable: boolean,
): void {
  const d = site.directive;
  const address = d.args[0];
  c.report(site.file, address.start, address.end, 'proxy-target-from-request',
    `clients choose the upstream: the address of ${d.name.value} comes from ${source}, so ${exploit} makes nginx connect to `
      + `${METADATA}; map the value to a list of allowed upstreams, or mark the location internal`,
    {
      exploit,
      effective: [effectiveOf(c, d, site.file), ...steps],
      ...(mappable ? { variable: address.value.slice(ref.start, ref.end) } : {}),
    });
}

/** `$arg_url (the "url" query argument)`, `$1 of location ~ …, which holds the request URI`. */
function describeFlow(ref: VariableRef, found: Flow): string {
  const origin = describeOrigin(found.origin);
  const used = `$${ref.name}`;
  if (found.capture) {
    const direct = ref.name === String(found.capture.group.name ?? found.capture.group.index);
    return `${used}, ${direct ? '' : 'which holds '}a capture of ${describeHolder(found.capture)} over ${origin}`;
  }
  return used === found.origin.variable ? origin : `${used}, which holds ${origin}`;
}

function describeOrigin(o: FlowOrigin): string {
  switch (o.kind) {
    case 'argument': return `${o.variable} (the "${o.name}" query argument)`;
    case 'arguments': return `${o.variable} (the query string)`;
    case 'header': return `${o.variable} (the ${o.name} request header)`;
    case 'cookie': return `${o.variable} (the "${o.name}" cookie)`;
    case 'body': return `${o.variable} (the request body)`;
    case 'uri': return `${o.variable} (the request URI)`;
  }
}

/** A one-line request that puts `payload` where the flow's origin reads it. */
function crafted(found: Flow, site: PlacedDirective, payload: string): string {
  const at = requestPath(site.parents);
  const o = found.origin;
  switch (o.kind) {
    case 'argument': return `GET ${at}?${o.name}=${payload}`;
    case 'arguments': return `GET ${at}?${payload}`;
    case 'header': return `GET ${at} with "${o.name}: ${payload}"`;
    case 'cookie': return `GET ${at} with "Cookie: ${o.name}=${payload}"`;
    case 'body': return `POST ${at} with the body "${payload}"`;
    case 'uri': {
      const capture = found.capture;
      if (capture && capture.what !== 'map' && capture.subject.toLowerCase() !== '$request_uri') {
        const made = sample(capture.regex.root, (atom) => (atom === capture.group.atom ? payload : undefined));
        if (made !== undefined) return `GET ${made.startsWith('/') ? made : `/${made}`}`;
      }
      return `GET ${at}${at.endsWith('/') ? '' : '/'}${payload}`;
    }
  }
}

// ---- header-injection -------------------------------------------------------------------------

/** Data that may hold a line feed: the URI nginx decoded (`%0a` becomes a line feed), and captures of it that admit one. */
const LINE_BREAK: FlowPolicy = {
  source: (name) => {
    const lower = name.toLowerCase();
    return lower === 'uri' || lower === 'document_uri' ? uriOrigin(name) : undefined;
  },
  // A group too short to hold a line break and a header after it ("([^.])") can end the header, not add one.
  keepsThroughCapture: (group) => admitsLineFeed(charsOf(group.atom)) && maxLength(group.atom) >= HEADER_AFTER_BREAK,
};

/** A line feed and the shortest header after it ("\na:b"). */
const HEADER_AFTER_BREAK = 4;

function judgeHeaderInjection(site: PlacedSite, c: EndContext, flow: RequestFlowFacts): void {
  const d = site.directive;
  const redirect = d.name.value === 'return' || d.name.value === 'rewrite';
  const value = redirect ? redirectTarget(d) : d.args[1];
  if (!value) return;
  const header = redirect ? 'Location' : d.args[0].value;
  const toUpstream = d.name.value === 'proxy_set_header' || d.name.value === 'grpc_set_header';
  for (const ref of variableRefs(value.value)) {
    const found = traceVariable(ref.name, site, flow, LINE_BREAK);
    if (!found) continue;
    // A redirecting rewrite escapes its own numbered captures when the URI had %-escapes (ngx_http_script_copy_capture_code).
    if (d.name.value === 'rewrite' && found.capture?.holder.directive === d && /^[0-9]$/.test(ref.name)) continue;
    const payload = toUpstream ? SPLIT_REQUEST : SPLIT_RESPONSE;
    const uri = lineBreakRequest(found, site, payload);
    if (uri === undefined) continue; // the location cannot match a URI with a line break in it
    const exploit = `GET ${uri}`;
    const what = found.capture
      ? `$${ref.name} comes from "${found.capture.regex.source.slice(found.capture.group.atom.start, found.capture.group.atom.end)}" `
        + `of ${describeHolder(found.capture)}, which matches a line break in the decoded URI`
      : found.steps.length ? `$${ref.name} holds ${found.origin.variable}, which nginx URL-decodes`
        : `${found.origin.variable} is URL-decoded`;
    const fix = found.capture ? 'exclude line breaks from the group ([^\\r\\n/])' : 'use $request_uri, which nginx passes on as sent';
    const narrow = found.capture && fileOf(found.capture.holder.directive, c.files, found.capture.holder.file) === site.file
      ? narrowing(found) : undefined;
    c.report(site.file, value.start, value.end, 'header-injection',
      `headers can be injected: ${what}, so ${exploit} ends the ${header} header${toUpstream ? ' sent to the upstream' : ''} `
        + `and adds one of the client's; ${fix}`,
      {
        exploit,
        effective: [effectiveOf(c, d, site.file), ...stepsEffective(c, found.steps)],
        ...(found.capture ? {} : { variable: ref.name }),
        ...(narrow ? { narrow } : {}),
      });
    return;
  }
}

/**
 * The request that carries a line break to the site, or undefined when none reaches it: a location
 * given as `=` has a fixed URI, and an anchored regex whose characters exclude a line feed matches no
 * URI holding one.
 */
function lineBreakRequest(found: Flow, site: PlacedDirective, payload: string): string | undefined {
  const capture = found.capture;
  if (capture) {
    if (capture.what === 'map' || capture.what === 'if') return `${requestPath(site.parents)}x${payload}`;
    const made = sample(capture.regex.root, (atom) => (atom === capture.group.atom ? `x${payload}` : undefined));
    return made === undefined ? undefined : made.startsWith('/') ? made : `/${made}`;
  }
  const location = nearest(site.parents, 'location');
  const { modifier, match } = location ? locationMatch(location) : { modifier: '', match: '/' };
  if (modifier === '=') return undefined;
  // A rewrite runs only on a URI its own regex matches.
  const rewrite = site.directive.name.value === 'rewrite' ? site.directive.args[0] && readRegex(site.directive.args[0].value) : undefined;
  if (rewrite) {
    const uri = uriMatching(rewrite, payload);
    if (uri === undefined) return undefined;
    return modifier === '' || modifier === '^~' ? (uri.startsWith(match) ? uri : `${match.replace(/\/$/, '')}${uri}`) : uri;
  }
  if (modifier !== '~' && modifier !== '~*') return `${match}${match.endsWith('/') ? '' : '/'}x${payload}`;
  const regex = readRegex(match, modifier === '~*');
  return regex && uriMatching(regex, payload);
}

/**
 * A URI the regex matches with `payload` in it: in an atom that repeats and admits a line feed,
 * before the match when the regex is not anchored at its start, or after it when not at its end.
 */
function uriMatching(regex: ReadRegex, payload: string): string | undefined {
  const slash = (made: string | undefined) => (made === undefined ? undefined : made.startsWith('/') ? made : `/${made}`);
  const lf = findAtom(regex, (a) => a.kind === 'chars' && a.max > 1 && admitsLineFeed(a.set));
  if (lf) return slash(sample(regex.root, (atom) => (atom === lf ? `x${payload}` : undefined)));
  const made = sample(regex.root);
  if (made === undefined) return undefined;
  const anchored = (what: 'start' | 'end') => regex.root.branches.every((b) => b.some((a) => a.kind === 'assert' && a.what === what));
  if (!anchored('start')) return `/x${payload}${made.startsWith('/') ? '' : '/'}${made}`;
  if (!anchored('end')) return `${slash(made)}${payload}`;
  return undefined;
}

function findAtom(regex: ReadRegex, test: (a: RegexAtom) => boolean): RegexAtom | undefined {
  const visit = (branches: RegexAtom[][]): RegexAtom | undefined => {
    for (const branch of branches) {
      for (const atom of branch) {
        if (test(atom)) return atom;
        if (atom.kind === 'group') { const inner = visit(atom.body.branches); if (inner) return inner; }
      }
    }
    return undefined;
  };
  return visit(regex.root.branches);
}

/**
 * The edit that narrows a capture's negated classes to exclude CR and LF (`[^/]` → `[^\r\n/]`),
 * as text offsets in the file of the regex, when its word is written as its value (no escapes nginx
 * would undo). Undefined when the group admits a line feed some other way (`\s`, `[\s\S]`).
 */
function narrowing(found: Flow): { start: number; end: number; original: string; replacement: string } | undefined {
  const capture = found.capture!;
  const holder = capture.holder.directive;
  const word = capture.what === 'location' ? holder.args[holder.args.length - 1]
    : capture.what === 'rewrite' ? holder.args[0]
      : undefined;
  if (!word) return undefined;
  // Written as its value (no escapes nginx would undo), bare or in quotes: offsets in the value are offsets in the text.
  const length = word.end - word.start;
  const base = length === word.value.length ? word.start : length === word.value.length + 2 ? word.start + 1 : undefined;
  const offset = word.value.lastIndexOf(capture.regex.source);
  if (base === undefined || offset < 0 || offset + capture.regex.source.length !== word.value.length) return undefined;
  const atom = capture.group.atom;
  const original = capture.regex.source.slice(atom.start, atom.end);
  const replacement = original.replace(/\[\^(?![^\]]*\\n)/g, '[^\\r\\n');
  if (replacement === original) return undefined;
  const narrowed = readRegex(replacement);
  if (!narrowed || narrowed.groups.some((g) => admitsLineFeed(charsOf(g.atom)))) return undefined;
  const start = base + offset + atom.start;
  return { start, end: start + original.length, original, replacement };
}

// ---- upstream-host-from-request ---------------------------------------------------------------

/** Variables that hold a host the client wrote: the Host header as sent, X-Forwarded-Host, arguments, cookies. */
function clientHostOrigin(name: string): FlowOrigin | undefined {
  const lower = name.toLowerCase();
  if (lower === 'http_host' || lower === 'http_x_forwarded_host' || lower.startsWith('arg_') || lower.startsWith('cookie_'))
    return requestOrigin(name);
  return undefined;
}

const CLIENT_HOST: FlowPolicy = {
  source: (name) => clientHostOrigin(name),
  keepsThroughCapture: () => false,
};

function judgeUpstreamHost(
  site: PlacedSite, c: EndContext, flow: RequestFlowFacts, servers: Map<Directive, TlsServer>, hostChosen: Map<TlsServer, string>,
): void {
  const d = site.directive;
  const value = d.args[1];
  for (const ref of variableRefs(value.value)) {
    const found = traceVariable(ref.name, site, flow, CLIENT_HOST);
    if (!found) continue;
    const server = servers.get(nearest(site.parents, 'server')!);
    const name = server?.names.find((n) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(n.word.value))?.word.value ?? 'app.example.com';
    const o = found.origin;
    const exploit = o.variable.toLowerCase() === '$http_host'
      ? `GET http://${name}/ HTTP/1.1 with "Host: evil.example"`
      : crafted(found, site, 'evil.example');
    const how = o.variable.toLowerCase() === '$http_host'
      ? `${o.variable} (the Host header as sent, even one no server_name matches)`
      : describeOrigin(o);
    const chosenHere = server && hostChosen.get(server);
    const advice = chosenHere
      ? `use $server_name ($host is the client's too in ${chosenHere})`
      : 'use $host (one of this server\'s names, with a catch-all default server for the rest)';
    c.report(site.file, value.start, value.end, 'upstream-host-from-request',
      `the upstream gets a Host the client chose: it comes from ${found.steps.length ? `$${ref.name}, which holds ` : ''}${how}, `
        + `so ${exploit} `
        + `forwards "Host: evil.example" (cache poisoning, forged password-reset links); ${advice}`,
      {
        exploit,
        effective: [effectiveOf(c, d, site.file), ...stepsEffective(c, found.steps)],
        ...(chosenHere ? { hostIsClientChosen: true } : {}),
      });
    return;
  }
}

// ---- quick fixes ------------------------------------------------------------------------------

/** The text of a word without its quotes, and where that text starts, when nginx reads it as written (no escapes). */
function plainWord(text: string, word: Word): { start: number; raw: string } | undefined {
  let raw = text.slice(word.start, word.end);
  let start = word.start;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) {
    raw = raw.slice(1, -1);
    start++;
  }
  return raw === word.value ? { start, raw } : undefined;
}

function fixAliasTraversal(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const location = site.parents[site.parents.length - 1];
  // A diagnostic published before the last edits may land on an alias without its path.
  if (location?.name.value !== 'location' || site.directive.name.value !== 'alias' || !site.directive.args[0]) return [];
  const { modifier, match } = locationMatch(location);
  const matchWord = location.args[location.args.length - 1];
  const plain = plainWord(site.text, matchWord);
  if (!plain) return [];
  if (diagnostic.data?.regex) {
    const risk = regexAliasTraversal(location, site.directive.args[0].value);
    if (!risk) return [];
    const offset = plain.raw.length - match.length + risk.atom.start;
    const at = plain.start + offset;
    const fixed = `${match.slice(0, risk.atom.start)}/${match.slice(risk.atom.start)}`;
    return [{ title: `Put "/" before the group: ${fixed}`, edits: [{ start: at, end: at, newText: '/' }], isPreferred: true }];
  }
  const wanted = `${match}/`;
  const parent = site.parents[site.parents.length - 2];
  const siblings = parent?.block?.children ?? site.tree.children;
  const taken = siblings.some((n) => n.kind === 'directive' && n.name.value === 'location' && n !== location
    && ['', '^~'].includes(locationMatch(n).modifier) && locationMatch(n).match === wanted);
  if (taken) return [];
  const at = plain.start + plain.raw.length;
  return [{
    title: `Add "/" to the location: location ${modifier ? `${modifier} ` : ''}${wanted}`,
    edits: [{ start: at, end: at, newText: '/' }],
    isPreferred: true,
  }];
}

const DOCROOT_PLACEHOLDER = '/var/www/html';

function fixFilesystemRoot(site: FixSite): QuickFix[] {
  const value = site.directive.args[0];
  if (!value || !['root', 'alias'].includes(site.directive.name.value)) return [];
  const edit = (text: string): TextEdit[] => [{ start: value.start, end: value.end, newText: text }];
  const folder = site.directive.name.value === 'alias' ? `${DOCROOT_PLACEHOLDER}/` : DOCROOT_PLACEHOLDER;
  return [{
    title: 'Serve a folder of its own (fill in its path)',
    edits: edit(folder),
    snippetEdits: edit(`\${1:${folder}}`),
  }];
}

function fixProxyTarget(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const fixes: QuickFix[] = [];
  const pass = site.directive;
  const variable = diagnostic.data?.variable;
  const server = site.parents.find((p) => p.name.value === 'server');
  const location = nearest(site.parents, 'location');
  if (typeof variable === 'string' && server && location && PASSES.includes(pass.name.value)) {
    const edits = allowlistEdits(site, pass, location, server, variable);
    if (edits) fixes.push({ title: `Allow only listed upstreams (map ${variable} to an allowlist)`, edits, isPreferred: true });
  }
  if (location && !locationMatch(location).modifier.startsWith('@')) {
    const hasInternal = location.block?.children.some((n) => n.kind === 'directive' && n.name.value === 'internal');
    if (!hasInternal && location.block) {
      const at = location.block.open + 1;
      fixes.push({
        title: 'Mark the location internal (reached only by internal redirects, such as X-Accel-Redirect)',
        edits: [{ start: at, end: at, newText: `\n${childIndent(site.text, location)}internal;` }],
      });
    }
  }
  return fixes;
}

/**
 * `map $arg_url $allowed_arg_url { default ""; backend.internal backend.internal; }` before the
 * server, the pass pointed at the mapped variable, and a 403 for anything the map does not list.
 */
function allowlistEdits(site: FixSite, pass: Directive, location: Directive, server: Directive, variable: string): TextEdit[] | undefined {
  const text = site.text;
  let mapped = `$allowed_${variableKeyOf(variable)}`;
  while (text.includes(mapped)) mapped += '_';
  const address = pass.args[0];
  if (!address) return undefined; // a stale diagnostic: the pass has lost its address since
  const raw = text.slice(address.start, address.end);
  if (!raw.includes(variable)) return undefined;
  const indent = lineIndent(text, server.start);
  const unit = childIndent(text, server).slice(indent.length) || '    ';
  const map = `map ${variable} ${mapped} {\n${indent}${unit}default "";\n${indent}${unit}backend.internal backend.internal;\n`
    + `${indent}}\n\n${indent}`;
  // The check goes before the pass, or before the outermost if holding it (an if cannot hold another).
  const inLocation = site.parents.indexOf(location);
  const anchor = site.parents[inLocation + 1] ?? pass;
  const checkIndent = lineIndent(text, anchor.start);
  const check = `if (${mapped} = "") {\n${checkIndent}${unit}return 403;\n${checkIndent}}\n${checkIndent}`;
  return [
    { start: server.start, end: server.start, newText: map },
    { start: anchor.start, end: anchor.start, newText: check },
    { start: address.start, end: address.end, newText: raw.split(variable).join(mapped) },
  ];
}

function variableKeyOf(variable: string): string {
  return variable.replace(/^\$\{?|\}$/g, '').toLowerCase();
}

function fixHeaderInjection(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const fixes: QuickFix[] = [];
  const narrow = diagnostic.data?.narrow as { start: number; end: number; original: string; replacement: string } | undefined;
  if (narrow && site.text.slice(narrow.start, narrow.end) === narrow.original) {
    fixes.push({
      title: `Exclude line breaks from the group: ${narrow.replacement}`,
      edits: [{ start: narrow.start, end: narrow.end, newText: narrow.replacement }],
      isPreferred: true,
    });
  }
  const variable = diagnostic.data?.variable;
  if (typeof variable === 'string' && /^(uri|document_uri)$/i.test(variable)) {
    const word = site.directive.args.find((a) => a.start <= diagnostic.start && diagnostic.start < a.end);
    if (word) {
      const raw = site.text.slice(word.start, word.end);
      const replaced = raw.replace(/\$\{?(?:uri|document_uri)\}?(?:\$\{?is_args\}?\$\{?args\}?)?(?![A-Za-z0-9_])/gi, '$$request_uri');
      if (replaced !== raw) {
        fixes.push({
          title: 'Use $request_uri (the URI as the client sent it, not decoded)',
          edits: [{ start: word.start, end: word.end, newText: replaced }],
          isPreferred: !narrow,
        });
      }
    }
  }
  return fixes;
}

function fixUpstreamHost(site: FixSite, diagnostic: DiagnosticRef): QuickFix[] {
  const value = site.directive.args[1];
  if (!value || !['proxy_set_header', 'grpc_set_header'].includes(site.directive.name.value)) return [];
  const chosen = diagnostic.data?.hostIsClientChosen === true;
  const edit = (to: string): TextEdit[] => [{ start: value.start, end: value.end, newText: to }];
  return [
    { title: 'Use $host (a name of this server)', edits: edit('$host'), isPreferred: !chosen },
    { title: 'Use $server_name (the first server_name)', edits: edit('$server_name'), isPreferred: chosen },
  ];
}
