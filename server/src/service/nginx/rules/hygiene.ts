/**
 * Configuration hygiene: `error_log off` (a file named "off"), the nginx version in every error page
 * (version-disclosure when written, server-tokens-default when left at the default), and hints about
 * tuning and style that are off until a setting turns them on (rules.ts defaultOff): valid_referers
 * none, add_header Content-Type, header values over several lines, try_files without
 * open_file_cache, low keepalive_requests and worker_rlimit_nofile, and `listen … http2` where the
 * `http2` directive replaces it.
 */
import type { QuickFix, TextEdit } from '../../family';
import type { CheckContext, EndContext, FixSite, NginxFamily } from '../context';
import { effective } from '../inheritance';
import { type NginxVersion, versionAtLeast } from '../knowledge';
import type { Directive, Word } from '../syntax';
import { afterLineTail, childIndent, insertSettings } from '../text-edits';

// ---- error-log-off ---------------------------------------------------------------------------

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg']);

function checkErrorLog(d: Directive, c: CheckContext): void {
  const file = d.args[0];
  if (file?.value !== 'off') return;
  c.report(file.start, file.end, 'error-log-off',
    '"off" is not a keyword for error_log: nginx writes the error log to a file named "off" in its prefix; '
      + 'to keep only what matters write "error_log /dev/null crit;" (or name a level)');
}

function fixErrorLog(site: FixSite): QuickFix[] {
  const d = site.directive;
  // A diagnostic published before the last edits may land where the "off" is gone.
  if (d.name.value !== 'error_log' || d.args[0]?.value !== 'off') return [];
  const level = d.args[1] && LOG_LEVELS.has(d.args[1].value) ? d.args[1].value : 'crit';
  const last = d.args[d.args.length - 1];
  return [{
    title: `Discard errors below ${level} (error_log /dev/null ${level})`,
    edits: [{ start: d.args[0].start, end: last.end, newText: `/dev/null ${level}` }],
    isPreferred: true,
  }];
}

// ---- version-disclosure ----------------------------------------------------------------------

const DISCLOSURE_EXPLOIT = 'GET /does-not-exist: the 404 page and the Server header name the nginx version';

function checkServerTokens(d: Directive, c: CheckContext): void {
  const value = d.args[0];
  if (!value || (value.value !== 'on' && value.value !== 'build')) return;
  c.report(value.start, value.end, 'version-disclosure',
    `server_tokens ${value.value} sends nginx's version${value.value === 'build' ? ' and build name' : ''} in every error page `
      + 'and Server header: attackers pick exploits for that release; use "server_tokens off"',
    { exploit: DISCLOSURE_EXPLOIT });
}

/**
 * A complete configuration whose http block leaves server_tokens at its default (on) for some server:
 * a hint off by default (server-tokens-default), as nearly every configuration would get it.
 */
function judgeDefaultTokens(c: EndContext): void {
  const roots = c.options.rootContexts ?? ['main'];
  if (c.options.standalone || roots.length !== 1 || roots[0] !== 'main' || !c.mainTree) return;
  const http = c.mainTree.children.find((n): n is Directive => n.kind === 'directive' && n.name.value === 'http' && !!n.block);
  if (!http) return;
  const servers = c.facts.servers.filter((s) => s.module === 'http');
  const open = servers.filter((s) => !effective(s.chain, 'server_tokens', 'on').setting);
  if (servers.length === 0 || open.length === 0) return;
  c.report(c.main, http.name.start, http.name.end, 'server-tokens-default',
    `server_tokens is not set${open.length < servers.length ? ' for some servers' : ''}, so nginx sends its version in every `
      + 'error page and Server header (the default is on): add "server_tokens off;" to http',
    { exploit: DISCLOSURE_EXPLOIT, effective: [{ name: 'server_tokens', value: 'on', where: 'nginx default' }] });
}

function fixServerTokens(site: FixSite): QuickFix[] {
  const d = site.directive;
  if (d.name.value === 'server_tokens' && d.args[0]) {
    return [{ title: 'Hide the version (server_tokens off)', edits: [{ start: d.args[0].start, end: d.args[0].end, newText: 'off' }],
      isPreferred: true }];
  }
  if (d.name.value !== 'http' || !d.block) return [];
  const at = afterLineTail(site.text, d.block.open + 1);
  return [{
    title: 'Hide the version (server_tokens off in http)',
    edits: [{ start: at, end: at, newText: `\n${childIndent(site.text, d)}server_tokens off;` }],
    isPreferred: true,
  }];
}

// ---- hints, off by default -------------------------------------------------------------------

function checkValidReferers(d: Directive, c: CheckContext): void {
  const none = d.args.find((a) => a.value === 'none');
  if (none) {
    c.report(none.start, none.end, 'valid-referers-none',
      '"none" lets every request without a Referer header through (direct requests, privacy tools, scripts): '
        + 'drop it where the referer check is meant to keep others out');
  }
}

/** Removes a word and the space before it. */
function dropWord(text: string, w: Word): TextEdit {
  let start = w.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: w.end, newText: '' };
}

function fixValidReferers(site: FixSite): QuickFix[] {
  const none = site.directive.args.find((a) => a.value === 'none');
  return none && site.directive.args.length > 1 ? [{ title: 'Drop "none"', edits: [dropWord(site.text, none)] }] : [];
}

/** Response headers: a CSP or Permissions-Policy written over lines is where folding happens. */
const HEADER_DIRECTIVES = ['add_header', 'add_trailer', 'more_set_headers'];

function checkHeader(d: Directive, c: CheckContext): void {
  if (d.name.value === 'add_header' && d.args[0]?.value.toLowerCase() === 'content-type') {
    c.report(d.name.start, d.args[0].end, 'add-header-content-type',
      'add_header Content-Type adds a second Content-Type header beside the one nginx sends (from types, default_type or '
        + 'the upstream): clients pick either; set the type with default_type, types or proxy_hide_header');
  }
  // Said on the directive's name: the value's own range spans lines.
  let folded: Word | undefined;
  for (let i = 0; i < d.args.length && !folded; i++) if (d.args[i].value.includes('\n')) folded = d.args[i];
  if (folded) {
    c.report(d.name.start, d.name.end, 'header-value-multiline',
      `the ${d.args[0] === folded ? 'header name' : `${d.args[0].value} value`} spans lines: the line break goes into the header `
        + '(obsolete line folding, RFC 9112), which clients and proxies may reject; write it on one line');
  }
}

function fixContentType(site: FixSite): QuickFix[] {
  const d = site.directive;
  const value = d.args[1];
  const parent = site.parents[site.parents.length - 1]?.name.value;
  if (!value || value.value.includes('$') || parent === 'if' || d.args.length > 3) return [];
  return [{
    title: `Set the type with default_type ${value.value}`,
    edits: [{ start: d.start, end: d.end, newText: `default_type ${site.text.slice(value.start, value.end)};` }],
  }];
}

function fixMultiline(site: FixSite): QuickFix[] {
  const edits = site.directive.args.filter((a) => a.value.includes('\n')).map((a) => ({
    start: a.start, end: a.end, newText: site.text.slice(a.start, a.end).replace(/[ \t]*\r?\n\s*/g, ' '),
  }));
  return edits.length ? [{ title: 'Write the value on one line', edits, isPreferred: true }] : [];
}

function recordTryFiles(d: Directive, c: CheckContext): void {
  c.facts.tryFiles.push({ file: c.file, word: d.name, chain: c.chain });
}

function judgeTryFiles(c: EndContext): void {
  for (const t of c.facts.tryFiles) {
    const cache = effective(t.chain, 'open_file_cache', 'off');
    if (cache.value !== 'off') continue;
    c.report(t.file, t.word.start, t.word.end, 'try-files-without-cache',
      `try_files looks each candidate up in the file system on every request, and no open_file_cache is in effect `
        + `(${c.describe(cache)}): "open_file_cache max=10000 inactive=30s;" keeps those answers`);
  }
}

const KEEPALIVE_DEFAULT = 1000;

function checkKeepaliveRequests(d: Directive, c: CheckContext): void {
  const value = d.args[0];
  if (!value || !/^\d+$/.test(value.value) || Number(value.value) >= KEEPALIVE_DEFAULT) return;
  c.report(value.start, value.end, 'keepalive-requests-low',
    `a keep-alive connection closes after ${value.value} requests: clients reconnect (and renegotiate TLS) that often; `
      + `${KEEPALIVE_DEFAULT} is the default since nginx 1.19.10`);
}

function fixKeepaliveRequests(site: FixSite): QuickFix[] {
  const value = site.directive.args[0];
  if (!value) return [];
  return [{ title: `Use ${KEEPALIVE_DEFAULT}`, edits: [{ start: value.start, end: value.end, newText: String(KEEPALIVE_DEFAULT) }] }];
}

function recordWorkerLimit(d: Directive, c: CheckContext): void {
  const value = d.args[0];
  if (!value || !/^\d+$/.test(value.value)) return;
  const limits = c.facts.workerLimits;
  if (d.name.value === 'worker_connections') limits.connections = Number(value.value);
  else limits.rlimit = { file: c.file, word: value, value: Number(value.value) };
}

/** nginx's worker_connections when events does not set it. */
const DEFAULT_WORKER_CONNECTIONS = 512;

function judgeWorkerLimits(c: EndContext): void {
  const { rlimit, connections = DEFAULT_WORKER_CONNECTIONS } = c.facts.workerLimits;
  if (!rlimit || rlimit.value >= 2 * connections) return;
  c.report(rlimit.file, rlimit.word.start, rlimit.word.end, 'worker-rlimit-nofile-low',
    `worker_rlimit_nofile ${rlimit.value} is below twice worker_connections (${connections}): a proxied request holds two `
      + `descriptors (client and upstream), plus files and logs; use at least ${2 * connections}`, { needed: 2 * connections });
}

function fixWorkerLimit(site: FixSite, diagnostic: { data?: Record<string, unknown> }): QuickFix[] {
  const value = site.directive.args[0];
  const needed = diagnostic.data?.needed;
  if (!value || typeof needed !== 'number') return [];
  return [{ title: `Use ${needed}`, edits: [{ start: value.start, end: value.end, newText: String(needed) }] }];
}

const HTTP2_DIRECTIVE: NginxVersion = [1, 25, 1];

function checkListen(d: Directive, c: CheckContext): void {
  if (!c.contexts[0]?.startsWith('http') || !versionAtLeast(c.target, HTTP2_DIRECTIVE)) return;
  const http2 = d.args.find((a, i) => i > 0 && a.value === 'http2');
  if (http2) {
    c.report(http2.start, http2.end, 'listen-http2-deprecated',
      '"listen … http2" is deprecated since nginx 1.25.1 (it logs a warning at start): write "http2 on;" in the server instead');
  }
}

function fixListenHttp2(site: FixSite): QuickFix[] {
  const d = site.directive;
  const http2 = d.args.find((a, i) => i > 0 && a.value === 'http2');
  if (!http2) return [];
  const insert = insertSettings(site, d, site.parents, [['http2', 'on']]) ?? [];
  return [{ title: 'Use "http2 on;" in the server', edits: [dropWord(site.text, http2), ...insert], isPreferred: true }];
}

export const family: NginxFamily = {
  name: 'hygiene',
  rules: [
    'error-log-off', 'version-disclosure', 'server-tokens-default', 'valid-referers-none', 'add-header-content-type',
    'header-value-multiline',
    'try-files-without-cache', 'keepalive-requests-low', 'worker-rlimit-nofile-low', 'listen-http2-deprecated',
  ],
  directives: {
    error_log: checkErrorLog,
    server_tokens: checkServerTokens,
    valid_referers: checkValidReferers,
    ...Object.fromEntries(HEADER_DIRECTIVES.map((name) => [name, checkHeader])),
    try_files: recordTryFiles,
    keepalive_requests: checkKeepaliveRequests,
    worker_connections: recordWorkerLimit,
    worker_rlimit_nofile: recordWorkerLimit,
    listen: checkListen,
  },
  end: (c) => {
    judgeDefaultTokens(c);
    if (c.options.standalone) return;
    judgeTryFiles(c);
    judgeWorkerLimits(c);
  },
  fixes: {
    'error-log-off': fixErrorLog,
    'version-disclosure': fixServerTokens,
    'server-tokens-default': fixServerTokens,
    'valid-referers-none': fixValidReferers,
    'add-header-content-type': fixContentType,
    'header-value-multiline': fixMultiline,
    'keepalive-requests-low': fixKeepaliveRequests,
    'worker-rlimit-nofile-low': fixWorkerLimit,
    'listen-http2-deprecated': fixListenHttp2,
  },
};
