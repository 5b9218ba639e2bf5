// Quick fixes of the request-data family as before/after text: each fix is computed from the
// document and the diagnostic alone, applied, and the result analysed again: the finding is gone
// and no new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';

function findingsOf(text) {
  return service.analyzeConfig(MAIN, service.memoryHost({ [MAIN]: text }), { rootContexts: ['main'] }).findings;
}

function errorsOf(text) {
  return findingsOf(text).filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);
}

function fixesFor(before, code) {
  const finding = findingsOf(before).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  return service.quickFixes(before, finding);
}

function check(name, { before, code, title, after, preferred }) {
  test(name, () => {
    const fixes = fixesFor(before, code);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
    if (preferred !== undefined) assert.equal(Boolean(fix.isPreferred), preferred, `${fix.title}: preferred`);
    const result = service.applyEdits(before, fix.edits);
    assert.equal(result, after);
    assert.deepEqual(findingsOf(result).filter((f) => f.code === code).map((f) => f.message), [], `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(result), errorsOf(before), 'the fix introduced an error');
  });
}

const server = (body, http = '') => `events {}\nhttp {\n${http}    server {\n        listen 8080;\n${body}    }\n}\n`;

// ---- alias-traversal ----

check('alias traversal: the location gets the alias\'s trailing "/"', {
  before: server('        location /files {\n            alias /srv/files/;\n        }\n'),
  code: 'alias-traversal', title: /Add "\/" to the location: location \/files\//, preferred: true,
  after: server('        location /files/ {\n            alias /srv/files/;\n        }\n'),
});

check('alias traversal: a quoted ^~ prefix keeps its modifier and quotes', {
  before: server('        location ^~ "/static" {\n            alias /srv/static/;\n        }\n'),
  code: 'alias-traversal', title: /location \^~ \/static\//,
  after: server('        location ^~ "/static/" {\n            alias /srv/static/;\n        }\n'),
});

test('alias traversal: no fix that would duplicate a location', () => {
  const before = server('        location /files {\n            alias /srv/files/;\n        }\n'
    + '        location /files/ {\n            return 404;\n        }\n');
  assert.deepEqual(fixesFor(before, 'alias-traversal'), []);
});

check('alias traversal in a regex location: "/" before the group', {
  before: server('        location ~ ^/dl(.*)$ {\n            alias /srv/dl/$1;\n        }\n'),
  code: 'alias-traversal', title: /Put "\/" before the group: \^\/dl\/\(\.\*\)\$/,
  after: server('        location ~ ^/dl/(.*)$ {\n            alias /srv/dl/$1;\n        }\n'),
});

check('alias traversal with a named capture and a glued modifier', {
  before: server('        location ~^/pkg(?<rest>.*)$ {\n            alias /srv/pkg/$rest;\n        }\n'),
  code: 'alias-traversal', title: /before the group/,
  after: server('        location ~^/pkg/(?<rest>.*)$ {\n            alias /srv/pkg/$rest;\n        }\n'),
});

// ---- root-is-filesystem-root ----

check('root "/": a folder of its own', {
  before: server('        root /;\n'),
  code: 'root-is-filesystem-root', title: /folder of its own/,
  after: server('        root /var/www/html;\n'),
});

check('alias "/": a folder of its own, with the slash an alias keeps', {
  before: server('        location /all/ {\n            alias /;\n        }\n'),
  code: 'root-is-filesystem-root', title: /folder of its own/,
  after: server('        location /all/ {\n            alias /var/www/html/;\n        }\n'),
});

test('root "/": the path is a tab stop', () => {
  const [fix] = fixesFor(server('        root /;\n'), 'root-is-filesystem-root');
  assert.deepEqual(fix.snippetEdits.map((e) => e.newText), ['${1:/var/www/html}']);
});

// ---- proxy-target-from-request ----

const resolver = '    resolver 127.0.0.1;\n';

check('SSRF through a query argument: a map allowlist before the server, a 403 for the rest', {
  before: server('        location /fetch {\n            proxy_pass http://$arg_target;\n        }\n', resolver),
  code: 'proxy-target-from-request', title: /map \$arg_target to an allowlist/, preferred: true,
  after: `events {}\nhttp {\n${resolver}    map $arg_target $allowed_arg_target {\n        default "";\n`
    + '        backend.internal backend.internal;\n    }\n\n    server {\n        listen 8080;\n        location /fetch {\n'
    + '            if ($allowed_arg_target = "") {\n                return 403;\n            }\n'
    + '            proxy_pass http://$allowed_arg_target;\n        }\n    }\n}\n',
});

check('SSRF inside if: the check goes before the if, at the location level', {
  before: server('        location /fetch {\n            if ($request_method = POST) {\n'
    + '                proxy_pass http://$http_x_backend/api;\n            }\n        }\n', resolver),
  code: 'proxy-target-from-request', title: /allowlist/,
  after: `events {}\nhttp {\n${resolver}    map $http_x_backend $allowed_http_x_backend {\n        default "";\n`
    + '        backend.internal backend.internal;\n    }\n\n    server {\n        listen 8080;\n        location /fetch {\n'
    + '            if ($allowed_http_x_backend = "") {\n                return 403;\n            }\n'
    + '            if ($request_method = POST) {\n                proxy_pass http://$allowed_http_x_backend/api;\n            }\n'
    + '        }\n    }\n}\n',
});

check('SSRF through a capture: the location marked internal', {
  before: server('        location ~ ^/proxy/(.*)$ {\n            proxy_pass http://$1;\n        }\n', resolver),
  code: 'proxy-target-from-request', title: /Mark the location internal/, preferred: false,
  after: server('        location ~ ^/proxy/(.*)$ {\n            internal;\n            proxy_pass http://$1;\n        }\n', resolver),
});

test('SSRF through a capture: no map for a capture', () => {
  const fixes = fixesFor(server('        location ~ ^/proxy/(.*)$ {\n            proxy_pass http://$1;\n        }\n', resolver),
    'proxy-target-from-request');
  assert.deepEqual(fixes.map((f) => f.title),
    ['Mark the location internal (reached only by internal redirects, such as X-Accel-Redirect)']);
});

check('SSRF through $host in the default server: $host mapped to an allowlist', {
  before: `events {}\nhttp {\n${resolver}    server {\n        listen 80 default_server;\n        location / {\n`
    + '            proxy_pass http://$host$request_uri;\n        }\n    }\n}\n',
  code: 'proxy-target-from-request', title: /map \$host/,
  after: `events {}\nhttp {\n${resolver}    map $host $allowed_host {\n        default "";\n        backend.internal backend.internal;\n`
    + '    }\n\n    server {\n        listen 80 default_server;\n        location / {\n'
    + '            if ($allowed_host = "") {\n                return 403;\n            }\n'
    + '            proxy_pass http://$allowed_host$request_uri;\n        }\n    }\n}\n',
});

// ---- header-injection ----

const named = (body) => server(body).replace('        listen 8080;\n', '        listen 8080;\n        server_name app.example.test;\n');

check('$uri$is_args$args in a redirect: $request_uri', {
  before: named('        location /moved/ {\n            return 301 https://app.example.test$uri$is_args$args;\n        }\n'),
  code: 'header-injection', title: /Use \$request_uri/, preferred: true,
  after: named('        location /moved/ {\n            return 301 https://app.example.test$request_uri;\n        }\n'),
});

check('$uri in a quoted add_header value: $request_uri, quotes kept', {
  before: named('        location /tag/ {\n            add_header X-Path "path=$uri";\n        }\n'),
  code: 'header-injection', title: /Use \$request_uri/,
  after: named('        location /tag/ {\n            add_header X-Path "path=$request_uri";\n        }\n'),
});

check('$uri in a redirecting rewrite: $request_uri', {
  before: named('        location /r/ {\n            rewrite ^ https://app.example.test$uri permanent;\n        }\n'),
  code: 'header-injection', title: /Use \$request_uri/,
  after: named('        location /r/ {\n            rewrite ^ https://app.example.test$request_uri permanent;\n        }\n'),
});

check('a capture of [^/]: the class excludes CR and LF', {
  before: named('        location ~ ^/old/([^/]+)$ {\n            return 302 /new/$1;\n        }\n'),
  code: 'header-injection', title: /Exclude line breaks from the group: \(\[\^\\r\\n\/\]\+\)/, preferred: true,
  after: named('        location ~ ^/old/([^\\r\\n/]+)$ {\n            return 302 /new/$1;\n        }\n'),
});

check('a named capture in a quoted regex: the class excludes CR and LF', {
  before: named('        location ~ "^/old/(?<name>[^/.]+)\\.html$" {\n            add_header X-Name $name;\n        }\n'),
  code: 'header-injection', title: /Exclude line breaks/,
  after: named('        location ~ "^/old/(?<name>[^\\r\\n/.]+)\\.html$" {\n            add_header X-Name $name;\n        }\n'),
});

test('a capture of \\s: no class to narrow, no fix', () => {
  const before = named('        location ~ ^/s/([\\s\\S]+)$ {\n            return 302 /n/$1;\n        }\n');
  assert.deepEqual(fixesFor(before, 'header-injection'), []);
});

// ---- upstream-host-from-request ----

const withCatchAll = (body) => `events {}\nhttp {\n    server {\n        listen 80 default_server;\n        return 444;\n    }\n`
  + `    server {\n        listen 80;\n        server_name app.example.test;\n${body}    }\n}\n`;

check('Host from $http_host: $host, where a catch-all default server answers the rest', {
  before: withCatchAll('        location / {\n            proxy_set_header Host $http_host;\n'
    + '            proxy_pass http://127.0.0.1:8080;\n        }\n'),
  code: 'upstream-host-from-request', title: /Use \$host/, preferred: true,
  after: withCatchAll('        location / {\n            proxy_set_header Host $host;\n            proxy_pass http://127.0.0.1:8080;\n'
    + '        }\n'),
});

check('Host from $http_host in the default server: $server_name is the preferred fix', {
  before: server('        location / {\n            proxy_set_header Host $http_host;\n            proxy_pass http://127.0.0.1:8080;\n'
    + '        }\n'),
  code: 'upstream-host-from-request', title: /Use \$server_name/, preferred: true,
  after: server('        location / {\n            proxy_set_header Host $server_name;\n            proxy_pass http://127.0.0.1:8080;\n'
    + '        }\n'),
});
