// Quick fixes of the access family (access-allow-without-deny, access-bypassed-by-return, status-page-exposed,
// autoindex-on, map-without-default) as before/after text: each fix is computed from the document and the
// diagnostic alone, applied, and the result analysed again: the finding is gone and no new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';
import { checkFix as check, findingsOf } from '../lib/fix-check.mjs';

const server = (body) => `events {}\nhttp {\n    server {\n        listen 8080;\n${body}    }\n}\n`;

check('an allowlist without deny all is closed', {
  before: server('        location /admin/ {\n            allow 10.0.0.0/8;\n            allow 192.168.0.0/16; # office\n'
    + '            root /srv/admin;\n        }\n'),
  code: 'access-allow-without-deny', title: /deny all/,
  after: server('        location /admin/ {\n            allow 10.0.0.0/8;\n            allow 192.168.0.0/16; # office\n'
    + '            deny all;\n            root /srv/admin;\n        }\n'),
});

check('a return before the access checks moves into a named location reached by try_files', {
  before: server('        location /admin/ {\n            allow 10.0.0.0/8;\n            deny all;\n'
    + '            return 200 "admin console\\n";\n        }\n'),
  code: 'access-bypassed-by-return', title: /try_files "" @admin_response/,
  after: server('        location /admin/ {\n            allow 10.0.0.0/8;\n            deny all;\n'
    + '            try_files "" @admin_response;\n        }\n        location @admin_response {\n'
    + '            return 200 "admin console\\n";\n        }\n'),
});

check('a nested location\'s return: the named location goes after the outermost location', {
  before: server('        location /a/ {\n            location /a/b/ {\n                auth_basic "x";\n'
    + '                auth_basic_user_file /etc/nginx/htpasswd;\n                return 200 "b";\n            }\n        }\n'),
  code: 'access-bypassed-by-return', title: /try_files/,
  after: server('        location /a/ {\n            location /a/b/ {\n                auth_basic "x";\n'
    + '                auth_basic_user_file /etc/nginx/htpasswd;\n                try_files "" @a_b_response;\n            }\n        }\n'
    + '        location @a_b_response {\n            return 200 "b";\n        }\n'),
});

test('a return inside if gets no fix: try_files is not allowed there', () => {
  const before = server('        location /d/ {\n            deny all;\n            if ($arg_x) { return 200 "x"; }\n        }\n');
  const finding = findingsOf(before).find((f) => f.code === 'access-bypassed-by-return');
  assert.ok(finding);
  assert.deepEqual(service.quickFixes(before, finding), []);
});

check('an open status page is restricted to this host', {
  before: server('        location = /nginx_status {\n            stub_status;\n        }\n'),
  code: 'status-page-exposed', title: /allow 127.0.0.1; deny all/,
  after: server('        location = /nginx_status {\n            stub_status;\n            allow 127.0.0.1;\n'
    + '            deny all;\n        }\n'),
});

check('a status page allowed by address only gets deny all after its rules', {
  before: server('        location = /nginx_status {\n            allow 10.0.0.0/8;\n            stub_status;\n        }\n'),
  code: 'status-page-exposed', title: /Deny everyone else/,
  after: server('        location = /nginx_status {\n            allow 10.0.0.0/8;\n            deny all;\n'
    + '            stub_status;\n        }\n'),
});

check('directory listings are turned off', {
  before: server('        location /files/ {\n            root /srv;\n            autoindex on;\n        }\n'),
  code: 'autoindex-on', title: /autoindex off/,
  after: server('        location /files/ {\n            root /srv;\n            autoindex off;\n        }\n'),
});

check('a map without default gets the value the access check refuses', {
  before: 'events {}\nhttp {\n    map $http_x_api_key $api_denied {\n        key-1 0;\n    }\n    server {\n        listen 8080;\n'
    + '        location /api/ {\n            if ($api_denied) { return 403; }\n            proxy_pass http://127.0.0.1:9000;\n        }\n'
    + '    }\n}\n',
  code: 'map-without-default', title: /default 1/,
  after: 'events {}\nhttp {\n    map $http_x_api_key $api_denied {\n        default 1;\n        key-1 0;\n    }\n    server {\n'
    + '        listen 8080;\n        location /api/ {\n            if ($api_denied) { return 403; }\n'
    + '            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n}\n',
});

check('a rate-limit key map gets a counted default', {
  before: 'events {}\nhttp {\n    map $http_user_agent $bot_key { ~*monitor ""; ~*bot $binary_remote_addr; }\n'
    + '    limit_req_zone $bot_key zone=bots:10m rate=1r/s;\n    server {\n        listen 8080;\n        limit_req zone=bots;\n    }\n}\n',
  code: 'map-without-default', title: /default \$binary_remote_addr/,
  after: 'events {}\nhttp {\n    map $http_user_agent $bot_key {\n        default $binary_remote_addr; ~*monitor ""; '
    + '~*bot $binary_remote_addr; }\n    limit_req_zone $bot_key zone=bots:10m rate=1r/s;\n    server {\n        listen 8080;\n'
    + '        limit_req zone=bots;\n    }\n}\n',
});

test('findings carry a request that shows the problem and the values the verdict rests on', () => {
  const text = server('        location /admin/ {\n            allow 10.0.0.0/8;\n        }\n');
  const finding = findingsOf(text).find((f) => f.code === 'access-allow-without-deny');
  assert.equal(finding.data.exploit, 'GET /admin/ from 203.0.113.7 (not on the list) is answered');
  assert.deepEqual(finding.data.effective, [
    { name: 'allow', value: '10.0.0.0/8', where: 'set at nginx.conf:6' },
    { name: 'satisfy', value: 'all', where: 'nginx default' },
  ]);
});
