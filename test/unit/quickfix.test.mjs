// Quick fixes as before/after text: each fix is computed from the document and the diagnostic
// alone, applied, and the result analysed again: the diagnostic is gone and no new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';

function findingsOf(text, options = {}) {
  return service.analyzeConfig(MAIN, service.memoryHost({ [MAIN]: text }), { rootContexts: ['main'], ...options }).findings;
}

function errorsOf(text) {
  return findingsOf(text).filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);
}

/** Applies the fix whose title matches to the first finding with `code`; returns the new text. */
function applyFix(before, code, title) {
  const finding = findingsOf(before).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in:\n${before}`);
  const fixes = service.quickFixes(before, finding);
  const fix = fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
  return { after: service.applyEdits(before, fix.edits), fix, finding };
}

function check(name, { before, code, title, after, remaining = 0 }) {
  test(name, () => {
    const result = applyFix(before, code, title);
    assert.equal(result.after, after);
    assert.equal(findingsOf(result.after).filter((f) => f.code === code).length, remaining, `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(result.after), errorsOf(before).filter((e) => !e.startsWith(code)), 'the fix introduced an error');
  });
}

const wrap = (body) => `events {}\nhttp {\n    server {\n        listen 8080;\n${body}    }\n}\n`;

check('unverified proxy_pass: verify with the system CA bundle', {
  before: wrap('        location /pay/ {\n            proxy_pass https://10.0.0.5;\n        }\n'),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: wrap('        location /pay/ {\n            proxy_pass https://10.0.0.5;\n            proxy_ssl_verify on;\n'
    + '            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            proxy_ssl_server_name on;\n        }\n'),
});

check('unverified proxy_pass: verify with a private CA', {
  before: wrap('        location / { proxy_pass https://api.example.com; }\n'),
  code: 'tls-upstream-unverified', title: /private CA/,
  after: wrap('        location / { proxy_pass https://api.example.com;\n        proxy_ssl_verify on;\n'
    + '        proxy_ssl_trusted_certificate /etc/nginx/certs/upstream-ca.pem;\n        proxy_ssl_server_name on; }\n'),
});

check('unverified grpc_pass uses the grpc_ssl_ family', {
  before: wrap('        location /g/ {\n            grpc_pass grpcs://10.0.0.7:50051;\n        }\n'),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: wrap('        location /g/ {\n            grpc_pass grpcs://10.0.0.7:50051;\n            grpc_ssl_verify on;\n'
    + '            grpc_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            grpc_ssl_server_name on;\n        }\n'),
});

check('unverified uwsgi_pass uses the uwsgi_ssl_ family', {
  before: wrap('        location /u/ {\n            uwsgi_pass suwsgi://10.0.0.8:3031;\n        }\n'),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: wrap('        location /u/ {\n            uwsgi_pass suwsgi://10.0.0.8:3031;\n            uwsgi_ssl_verify on;\n'
    + '            uwsgi_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            uwsgi_ssl_server_name on;\n        }\n'),
});

check('a proxy_pass inside if: the settings go into the location (not allowed in if)', {
  before: wrap('        location / {\n            if ($arg_x) { proxy_pass https://10.0.0.1; }\n        }\n'),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: wrap('        location / {\n            proxy_ssl_verify on;\n'
    + '            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            proxy_ssl_server_name on;\n'
    + '            if ($arg_x) { proxy_pass https://10.0.0.1; }\n        }\n'),
});

check('an explicit "off" in the same block is changed, not repeated', {
  before: wrap('        location / {\n            proxy_ssl_verify off;\n            proxy_pass https://10.0.0.1; # backend\n        }\n'),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: wrap('        location / {\n            proxy_ssl_verify on;\n            proxy_pass https://10.0.0.1; # backend\n'
    + '            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n            proxy_ssl_server_name on;\n        }\n'),
});

check('"off" written at the server level: turn it on there', {
  before: wrap('        proxy_ssl_verify off;\n        location / { proxy_pass https://10.0.0.1; }\n'),
  code: 'tls-upstream-unverified', title: /Change "proxy_ssl_verify off" to on/,
  after: wrap('        proxy_ssl_verify on;\n        proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n'
    + '        location / { proxy_pass https://10.0.0.1; }\n'),
});

check('verification without a trusted CA: insert the trusted certificate', {
  before: wrap('        location / {\n            proxy_ssl_verify on;\n            proxy_pass https://10.0.0.1;\n        }\n'),
  code: 'tls-verify-without-trusted-ca', title: /system CA bundle/,
  after: wrap('        location / {\n            proxy_ssl_verify on;\n            proxy_pass https://10.0.0.1;\n'
    + '            proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n        }\n'),
});

check('legacy protocols: TLSv1.2 and TLSv1.3 only', {
  before: wrap('        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n'),
  code: 'tls-legacy-protocol', title: /TLSv1.2 and TLSv1.3/,
  after: wrap('        ssl_protocols TLSv1.2 TLSv1.3;\n'),
});

test('legacy protocols by the target release\'s default: ssl_protocols inserted into the server', () => {
  const before = 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_certificate /c.crt;\n'
    + '        ssl_certificate_key /c.key;\n    }\n}\n';
  const old = { nginxVersion: '1.22' };
  const finding = findingsOf(before, old).find((f) => f.code === 'tls-legacy-protocol');
  assert.ok(finding, 'no tls-legacy-protocol on a 1.22 server without ssl_protocols');
  const fix = service.quickFixes(before, finding).find((f) => /TLSv1.2 and TLSv1.3/.test(f.title));
  assert.ok(fix, 'no fix');
  const after = service.applyEdits(before, fix.edits);
  assert.equal(after, before.replace('listen 443 ssl;\n', 'listen 443 ssl;\n        ssl_protocols TLSv1.2 TLSv1.3;\n'));
  assert.equal(findingsOf(after, old).filter((f) => f.code === 'tls-legacy-protocol').length, 0);
  assert.equal(findingsOf(before).filter((f) => f.code === 'tls-legacy-protocol').length, 0, 'fires on the newest release');
});

check('did you mean: rename an unknown directive', {
  before: wrap('        servr_name example.com;\n'),
  code: 'unknown-directive', title: /Change to "server_name"/,
  after: wrap('        server_name example.com;\n'),
});

check('did you mean, in a stream server: the stream directive', {
  before: 'events {}\nstream {\n    server {\n        listen 1234;\n        proxy_sll on;\n        proxy_pass 10.0.0.1:5432;\n    }\n}\n',
  code: 'unknown-directive', title: /Change to "proxy_ssl"/,
  after: 'events {}\nstream {\n    server {\n        listen 1234;\n        proxy_ssl on;\n        proxy_pass 10.0.0.1:5432;\n    }\n}\n',
});

check('did you mean: a misspelt built-in variable', {
  before: wrap('        return 301 https://example.com$reqest_uri;\n'),
  code: 'unknown-variable', title: /Change to "\$request_uri"/,
  after: wrap('        return 301 https://example.com$request_uri;\n'),
});

check('did you mean: a misspelt variable in braces, defined by the configuration', {
  before: wrap('        set $backend_host app;\n        return 200 "${backend_hots}.internal";\n'),
  code: 'unknown-variable', title: /Change to "\$\{backend_host\}"/,
  after: wrap('        set $backend_host app;\n        return 200 "${backend_host}.internal";\n'),
});

/** The "did you mean" of the first finding with `code`, and the fixes offered for it. */
function suggestionFor(text, code, options) {
  const finding = findingsOf(text, options).find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding`);
  return { message: finding.message, fixes: service.quickFixes(text, finding).map((f) => f.title) };
}

test('did you mean proposes nothing that would be an error where it stands', () => {
  // proxy_ssl is a stream directive: in an http location it would be "not allowed here".
  assert.deepEqual(suggestionFor(wrap('        location / { proxy_sll on; }\n'), 'unknown-directive'),
    { message: 'unknown directive "proxy_sll"', fixes: [] });
  // OpenResty's lua module is not built into stock nginx (flavor auto, no Lua in the configuration).
  const lua = wrap('        location / { content_by_lua_fil /srv/app.lua; }\n');
  assert.deepEqual(suggestionFor(lua, 'unknown-directive').fixes, []);
  assert.deepEqual(suggestionFor(lua, 'unknown-directive', { flavor: 'openresty' }).fixes, ['Change to "content_by_lua_file"']);
  // early_hints needs nginx 1.29.
  const hints = wrap('        location / { early_hint $http2; }\n');
  assert.deepEqual(suggestionFor(hints, 'unknown-directive', { nginxVersion: '1.28' }).fixes, []);
  assert.deepEqual(suggestionFor(hints, 'unknown-directive', { nginxVersion: '1.29' }).fixes, ['Change to "early_hints"']);
  // A stream variable in http, an OpenResty variable in stock nginx.
  assert.deepEqual(suggestionFor(wrap('        return 200 $ssl_preread_server_nam;\n'), 'unknown-variable'),
    { message: 'unknown "ssl_preread_server_nam" variable', fixes: [] });
  const echo = wrap('        return 200 $echo_timer_elapse;\n');
  assert.deepEqual(suggestionFor(echo, 'unknown-variable').fixes, []);
  assert.deepEqual(suggestionFor(echo, 'unknown-variable', { flavor: 'openresty' }).fixes, ['Change to "$echo_timer_elapsed"']);
});

test('a file included in http and in stream: a suggestion valid in both places, or none', () => {
  const main = '/inc/nginx.conf';
  const files = {
    [main]: 'events {}\nhttp {\n    server {\n        include both.conf;\n    }\n}\n'
      + 'stream {\n    server {\n        listen 1;\n        proxy_pass 10.0.0.1:1;\n        include both.conf;\n    }\n}\n',
    '/inc/both.conf': 'proxy_sll on;\nproxy_conect_timeout 5s;\n',
  };
  const findings = service.analyzeConfig(main, service.memoryHost(files)).findings.filter((f) => f.file === '/inc/both.conf');
  assert.deepEqual(findings.map((f) => f.message), [
    'unknown directive "proxy_sll"',
    'unknown directive "proxy_conect_timeout"; did you mean "proxy_connect_timeout"?',
  ]);
});

test('a comment that hides closing braces: the comment ends before them, on a line of its own', () => {
  const before = 'events {} http { server { listen 80; location /app { proxy_pass http://127.0.0.1:8080; #... } } }\n';
  const hint = findingsOf(before).find((f) => f.code === 'syntax' && f.severity === 'hint');
  assert.ok(hint, 'no hint on the comment');
  const [fix] = service.quickFixes(before, hint);
  assert.match(fix.title, /End the comment before the "}"/);
  const after = service.applyEdits(before, fix.edits);
  assert.equal(after, 'events {} http { server { listen 80; location /app { proxy_pass http://127.0.0.1:8080;\n#...\n} } }\n');
  assert.deepEqual(findingsOf(after).map((f) => `${f.code}: ${f.message}`), []);
});

test('the private-CA fix offers tab stops for the path', () => {
  const before = wrap('        location / { proxy_pass https://10.0.0.1; }\n');
  const finding = findingsOf(before).find((f) => f.code === 'tls-upstream-unverified');
  const fix = service.quickFixes(before, finding).find((f) => /private CA/.test(f.title));
  assert.match(fix.snippetEdits.map((e) => e.newText).join(''), /\$\{1:\/etc\/nginx\/certs\/upstream-ca\.pem\}/);
});

test('a stale diagnostic that now lands on a comment gets no fix, and nothing throws', () => {
  const text = wrap('        # TLSv1 was here\n        location / { return 204; }\n');
  const start = text.indexOf('# TLSv1');
  for (const code of ['tls-legacy-protocol', 'unknown-directive', 'tls-upstream-unverified']) {
    assert.deepEqual(service.quickFixes(text, { code, start, end: start + 5, data: { suggestion: 'listen' } }), [], code);
  }
});
