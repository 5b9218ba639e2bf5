// Writes server/src/service/nginx/data/advisories.json, the table the advisories family judges the
// target nginx release against, from nginx's published security advisories: the file
// xml/en/security_advisories.xml of the nginx/nginx.org repository (the source of
// https://nginx.org/en/security_advisories.html).
//
//   node scripts/gen-advisories.mjs <path to security_advisories.xml> --commit <nginx.org commit>
//
// Each advisory keeps its name, CVE, severity, affected ranges and fixed releases as the file gives
// them, plus the feature of nginx it is in (FEATURES below), which decides which directive of a
// configuration makes it relevant. An advisory no rule classifies stops the script: a new advisory
// needs a decision, not a guess.
import { readFileSync, writeFileSync } from 'node:fs';

const [source, ...rest] = process.argv.slice(2);
const commitAt = rest.indexOf('--commit');
const commit = commitAt >= 0 ? rest[commitAt + 1] : undefined;
if (!source || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
  console.error('usage: node scripts/gen-advisories.mjs <security_advisories.xml> --commit <40-hex nginx.org commit>');
  process.exit(2);
}

/**
 * The feature of nginx an advisory is about, by CVE where its name does not say (from the advisory
 * mails its `advisory` attribute links to), then by words of its name.
 */
const BY_CVE = {
  'CVE-2009-3898': 'dav', // Destination header of COPY and MOVE (ngx_http_dav_module)
  'CVE-2013-2028': 'http', // chunked request bodies: every http server
  'CVE-2013-4547': 'http', // a space in the request line: every http server
  'CVE-2016-4450': 'http', // writing a request body to a temporary file: every http server
  'CVE-2009-2629': 'http',
  'CVE-2009-3896': 'http',
  'CVE-2017-7529': 'cache', // the range filter leaks a cache file's header: responses served from a cache
  'CVE-2014-3616': 'ssl-session-cache', // a shared session cache or ticket key reused across servers
  'CVE-2009-4487': 'none', // severity none: the log is not sanitised, no version fixes it
};
const BY_NAME = [
  [/HTTP\/3/, 'http3'],
  [/HTTP\/2/, 'http2'],
  [/SPDY/, 'spdy'],
  [/mp4/, 'mp4'],
  [/resolver/, 'resolver'],
  [/STARTTLS/, 'mail-starttls'],
  [/renegotiation .* SSL/, 'ssl'],
  [/backend responses/i, 'upstream-response'],
];

function attributes(tag) {
  return Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** "1.1.3-1.23.1, 1.0.7-1.0.15" → [["1.1.3", "1.23.1"], ["1.0.7", "1.0.15"]]; a single release is a range of one. */
function ranges(text) {
  return text.split(/,\s*/).map((r) => {
    const [from, to] = r.split('-');
    return [from, to ?? from];
  });
}

const xml = readFileSync(source, 'utf8');
const advisories = [];
for (const m of xml.matchAll(/<item\s([^>]*?)\/?>/g)) {
  const a = attributes(m[1]);
  const cve = a.cve ? `CVE-${a.cve}` : a.core;
  const windows = a.vulnerable.startsWith('nginx/Windows');
  const feature = windows ? 'windows' : BY_CVE[cve] ?? BY_NAME.find(([re]) => re.test(a.name))?.[1];
  if (!feature) throw new Error(`no feature for ${cve} "${a.name}": add it to BY_CVE or BY_NAME in scripts/gen-advisories.mjs`);
  const vulnerable = a.vulnerable === 'all' ? 'all' : ranges(a.vulnerable.replace(/^nginx\/Windows\s+/, ''));
  advisories.push({
    cve, name: a.name, severity: a.severity, feature, vulnerable,
    fixed: a.good === 'none' ? [] : a.good.split(/,\s*/).map((g) => g.replace(/\+$/, '')),
    ...(a.advisory ? { advisory: a.advisory } : {}),
  });
}
const out = {
  source: { repository: 'nginx/nginx.org', path: 'xml/en/security_advisories.xml', commit },
  advisories,
};
const target = new URL('../server/src/service/nginx/data/advisories.json', import.meta.url);
// One advisory per line: a new advisory is a one-line change in review.
const lines = out.advisories.map((a) => `  ${JSON.stringify(a)}`);
writeFileSync(target, `{\n"source": ${JSON.stringify(out.source)},\n"advisories": [\n${lines.join(',\n')}\n]}\n`);
console.log(`${advisories.length} advisories from nginx/nginx.org@${commit.slice(0, 12)}`);
