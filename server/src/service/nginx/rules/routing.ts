/**
 * How a request is routed and handed on: directives inside `if` in a location, which run with the if
 * block's own configuration (if-in-location-unsafe, nginx's "if is evil"), and `proxy_pass` with a
 * URI part, which hands the backend the decoded, normalised URI (proxy-pass-uri-normalized).
 */
import type { QuickFix } from '../../family';
import type { CheckContext, FixSite, NginxFamily } from '../context';
import { allowedIn, argCountFits, directiveVariants, locationMatch } from '../knowledge';
import type { Directive } from '../syntax';

// ---- if-in-location-unsafe -------------------------------------------------------------------

/** The rewrite module's own statements: they run in the rewrite phase, in order, and are what `if` is for. */
const REWRITE_FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

/** Content handlers: inside `if`, the if block becomes the configuration that answers the request. */
const HANDLERS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);
/** Response headers: the if block's own list replaces the location's. */
const HEADERS = new Set(['add_header', 'add_trailer', 'more_set_headers']);

function isSafeInIf(d: Directive): boolean {
  const name = d.name.value;
  if (name === 'return' || name === 'set' || name === 'break') return true;
  // A replacement that starts with a scheme redirects at once, as the redirect flag does.
  return name === 'rewrite' && (REWRITE_FLAGS.has(d.args[2]?.value ?? '') || /^(https?:\/\/|\$scheme)/.test(d.args[1]?.value ?? ''));
}

/** Whether nginx accepts the directive, so written, inside `if` in a location (what it refuses, the engine reports). */
function acceptedInLocationIf(d: Directive): boolean {
  return directiveVariants(d.name.value)?.some((v) => allowedIn(v, 'http>location>if') && argCountFits(v, d.args.length)) === true;
}

function checkIfBlock(d: Directive, c: CheckContext): void {
  if (c.parents[c.parents.length - 1]?.name.value !== 'location' || !d.block || d.block.raw) return;
  for (const n of d.block.children) {
    if (n.kind !== 'directive' || isSafeInIf(n) || !acceptedInLocationIf(n)) continue;
    const name = n.name.value;
    // A proxy_pass with a URI part inside if is refused (proxy-pass-uri): nothing to add.
    if (name === 'proxy_pass' && uriPart(n.args[0]?.value ?? '') !== undefined) continue;
    if (HANDLERS.has(name)) {
      c.report(n.name.start, n.name.end, 'if-in-location-unsafe',
        `"${name}" inside "if" makes the if block answer the request with a configuration of its own: the location's `
          + 'try_files, and directives after the if, do not apply (nginx\'s "if is evil"); set a variable in the if and '
          + `use it in "${name}" outside it, or "return"/"rewrite … last" to a location that does this`);
    } else if (HEADERS.has(name)) {
      c.report(n.name.start, n.name.end, 'if-in-location-unsafe',
        `"${name}" inside "if" replaces the location's ${name} lines for the requests where the condition holds: the `
          + `headers the location sets are not sent for them; use a map to compute the value and one "${name}" in the location`);
    } else {
      c.report(n.name.start, n.name.end, 'if-in-location-unsafe',
        `"${name}" inside "if" in a location applies the if block's own configuration; nginx documents surprises for `
          + 'anything but return, rewrite … last|break|redirect|permanent, set and break there ("if is evil"): compute a '
          + `value with map and use it outside the if`, undefined, 'hint');
    }
  }
}

// ---- proxy-pass-uri-normalized ---------------------------------------------------------------

/** The location a proxy_pass stands in directly (inside if or limit_except nginx refuses a URI part: proxy-pass-uri). */
function ownLocation(c: CheckContext): Directive | undefined {
  const parent = c.parents[c.parents.length - 1];
  return parent?.name.value === 'location' ? parent : undefined;
}

/** `rewrite ^ $request_uri;` in the location (or an if in it): the URI is then the raw one, and the URI part is not used. */
function rewritesFromRawUri(block: Directive): boolean {
  return block.block?.children.some((n) => n.kind === 'directive' && ((n.name.value === 'rewrite'
    && n.args[1]?.value.startsWith('$request_uri')) || (n.name.value === 'if' && rewritesFromRawUri(n)))) === true;
}

/**
 * The URI part of a proxy_pass URL without variables (`http://b/api/` → `/api/`, `http://unix:/run/b.sock:/api/`
 * → `/api/`), or undefined.
 */
function uriPart(url: string): string | undefined {
  // Most proxy_pass URLs have no URI part: no slash after the scheme's.
  if (url.includes('$') || url.indexOf('/', url.indexOf('://') + 3) < 0) return undefined;
  const m = /^https?:\/\/(?:unix:[^:]*:?|[^/]+)(\/.*)?$/i.exec(url);
  return m?.[1];
}

function checkProxyPass(d: Directive, c: CheckContext): void {
  const target = d.args[0];
  const uri = target && uriPart(target.value);
  if (uri === undefined || !c.contexts[0]?.startsWith('http')) return;
  const location = ownLocation(c);
  if (!location) return;
  const { modifier, match } = locationMatch(location);
  if ((modifier !== '' && modifier !== '^~') || rewritesFromRawUri(location)) return;
  const sample = `${match}a%2Fb`;
  c.report(target.start, target.end, 'proxy-pass-uri-normalized',
    `with a URI part ("${uri}") nginx replaces "${match}" in the decoded, normalised URI: "%2F" reaches the backend as "/" `
      + 'and ".." segments are already resolved, so the backend cannot see what the client sent; without a URI part the '
      + 'request URI is passed as the client wrote it',
    { exploit: `GET ${sample} reaches the backend as ${uri}${sample.slice(match.length).replace('%2F', '/')}`, match, uri });
}

/** Drops the URI part where it equals the location's prefix: the same mapping, with the URI as the client sent it. */
function fixProxyPass(site: FixSite): QuickFix[] {
  const d = site.directive;
  const target = d.args[0];
  const uri = target && uriPart(target.value);
  const location = site.parents[site.parents.length - 1];
  if (uri === undefined || location?.name.value !== 'location' || locationMatch(location).match !== uri) return [];
  const raw = site.text.slice(target.start, target.end);
  if (raw !== target.value) return [];
  return [{
    title: `Pass the request URI as sent (drop "${uri}", which equals the location)`,
    edits: [{ start: target.end - uri.length, end: target.end, newText: '' }],
    isPreferred: true,
  }];
}

export const family: NginxFamily = {
  name: 'routing',
  rules: ['if-in-location-unsafe', 'proxy-pass-uri-normalized'],
  directives: { proxy_pass: checkProxyPass },
  blockEnd: { if: checkIfBlock },
  fixes: { 'proxy-pass-uri-normalized': fixProxyPass },
};
