// Quick fixes of the cors family as before/after text: each fix is computed from the document and
// the diagnostic alone, applied, and the result analysed again: the finding is gone and no new
// error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';
import { checkFix as check, findingsOf } from '../lib/fix-check.mjs';

function fixesFor(before, code) {
  const finding = findingsOf(before).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  return service.quickFixes(before, finding);
}

const server = (body, http = '') => `events {}\nhttp {\n${http}    server {\n        listen 8080;\n${body}    }\n}\n`;

// ---- cors-origin-reflected ----

check('$http_origin echoed with credentials: a map of exact origins before the server', {
  before: server('        location /api/ {\n            add_header Access-Control-Allow-Origin $http_origin;\n'
    + '            add_header Access-Control-Allow-Credentials true;\n            return 204;\n        }\n'),
  code: 'cors-origin-reflected', title: /Echo only listed origins/,
  after: 'events {}\nhttp {\n    map $http_origin $cors_allowed_origin {\n        default "";\n'
    + '        "https://app.example.com" $http_origin;\n    }\n\n    server {\n        listen 8080;\n        location /api/ {\n'
    + '            add_header Access-Control-Allow-Origin $cors_allowed_origin;\n'
    + '            add_header Access-Control-Allow-Credentials true;\n            return 204;\n        }\n    }\n}\n',
});

test('the allowed origin is a tab stop', () => {
  const before = server('        location /api/ {\n            add_header Access-Control-Allow-Origin $http_origin;\n        }\n');
  const fix = fixesFor(before, 'cors-origin-reflected').find((f) => /Echo only listed origins/.test(f.title));
  assert.match(fix.snippetEdits.map((e) => e.newText).join(''), /"\$\{1:https:\/\/app\.example\.com\}" \$http_origin;/);
});

check('a map whose default echoes the origin: the default becomes ""', {
  before: server('        location /api/ {\n            add_header Access-Control-Allow-Origin $cors;\n'
    + '            return 204;\n        }\n',
    '    map $http_origin $cors {\n        default $http_origin;\n        "https://a.example.test" $http_origin;\n    }\n'),
  code: 'cors-origin-reflected', title: /Make the map's default ""/,
  after: server('        location /api/ {\n            add_header Access-Control-Allow-Origin $cors;\n            return 204;\n        }\n',
    '    map $http_origin $cors {\n        default "";\n        "https://a.example.test" $http_origin;\n    }\n'),
});

test('an echo through set gets no fix (the set may be anywhere)', () => {
  const before = server('        location /api/ {\n            set $o $http_origin;\n'
    + '            add_header Access-Control-Allow-Origin $o;\n'
    + '        }\n');
  assert.deepEqual(fixesFor(before, 'cors-origin-reflected'), []);
});

// ---- origin-regex-weak ----

const ifOrigin = (condition, body = 'return 204;') =>
  server(`        location /a/ {\n            if (${condition}) {\n                ${body}\n            }\n        }\n`);

check('no end anchor: "$" appended', {
  before: ifOrigin('$http_origin ~* ^https://example\\.com'),
  code: 'origin-regex-weak', title: /Use \^https:\/\/example\\\.com\$/,
  after: ifOrigin('$http_origin ~* ^https://example\\.com$'),
});

check('a wildcard before the domain: subdomains only, in quotes kept', {
  before: ifOrigin('$http_origin ~* "^https?://.*example\\.com$"'),
  code: 'origin-regex-weak', title: /Use \^https\?:\/\/\(\[a-z0-9-\]\+\\\.\)\*example\\\.com\$/,
  after: ifOrigin('$http_origin ~* "^https?://([a-z0-9-]+\\.)*example\\.com$"'),
});

check('no start anchor and no scheme: the name starts at a label', {
  before: ifOrigin('$http_origin ~ example\\.com$'),
  code: 'origin-regex-weak', title: /Use \[\/\.\]example/,
  after: ifOrigin('$http_origin ~ [/.]example\\.com$'),
});

check('a referer: anchored, dots escaped, the host ended by "/" or the end', {
  before: ifOrigin('$http_referer !~ "https://www.example\\.com"', 'return 403;'),
  code: 'origin-regex-weak', title: /Use \^https:\/\/www\\\.example\\\.com\(\/\|\$\)/,
  after: ifOrigin('$http_referer !~ "^https://www\\.example\\.com(/|$)"', 'return 403;'),
});

check('a map key: the regex mended in place', {
  before: server('        location /a/ {\n            return 204;\n        }\n',
    '    map $http_origin $ok {\n        default 0;\n        ~^https://app.example.com 1;\n    }\n'),
  code: 'origin-regex-weak', title: /Use \^https:\/\/app\\\.example\\\.com\$/,
  after: server('        location /a/ {\n            return 204;\n        }\n',
    '    map $http_origin $ok {\n        default 0;\n        ~^https://app\\.example\\.com$ 1;\n    }\n'),
});

check('a quoted map key keeps its quotes', {
  before: server('        location /a/ {\n            return 204;\n        }\n',
    '    map $http_origin $ok {\n        default 0;\n        "~^https://.*example\\.com$" 1;\n    }\n'),
  code: 'origin-regex-weak', title: /Use/,
  after: server('        location /a/ {\n            return 204;\n        }\n',
    '    map $http_origin $ok {\n        default 0;\n        "~^https://([a-z0-9-]+\\.)*example\\.com$" 1;\n    }\n'),
});
