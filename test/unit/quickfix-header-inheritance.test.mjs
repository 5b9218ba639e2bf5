// Quick fixes of the header-inheritance family (add-header-dropped, proxy-header-dropped, hsts-missing) as
// before/after text: each fix is computed from the document and the diagnostic alone, applied, and the
// configuration analysed again: the finding is gone and no new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';

/** Findings of the configuration whose main file is MAIN; `files` are other files by path relative to /fix/. */
function findingsOf(text, { files = {}, nginxVersion } = {}) {
  const all = { [MAIN]: text, ...Object.fromEntries(Object.entries(files).map(([p, t]) => [`/fix/${p}`, t])) };
  return service.analyzeConfig(MAIN, service.memoryHost(all), { rootContexts: ['main'], nginxVersion }).findings;
}

const errorsOf = (findings) => findings.filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);

/** Applies the fix whose title matches to the first finding with `code` in `file`; checks the result; returns the fix titles. */
function check(name, { before, code, title, after, files = {}, file = MAIN, nginxVersion }) {
  test(name, () => {
    const options = { files, nginxVersion };
    const findings = findingsOf(before, options);
    const finding = findings.find((f) => f.code === code && f.file === file);
    assert.ok(finding, `no ${code} finding in ${file}: ${findings.map((f) => f.code).join(', ')}`);
    const text = file === MAIN ? before : files[file.slice('/fix/'.length)];
    const fixes = service.quickFixes(text, finding);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
    const fixed = service.applyEdits(text, fix.edits);
    assert.equal(fixed, after);
    const again = file === MAIN ? findingsOf(fixed, options)
      : findingsOf(before, { ...options, files: { ...files, [file.slice('/fix/'.length)]: fixed } });
    assert.deepEqual(again.filter((f) => f.code === code).map((f) => f.message), [], `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(again), errorsOf(findings), 'the fix introduced an error');
  });
}

const http = (body) => `events {}\nhttp {\n${body}}\n`;

check('a location that drops the server\'s security headers repeats them', {
  before: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY always;\n'
    + '        add_header Content-Security-Policy "default-src \'self\'";\n        location /static/ {\n'
    + '            add_header Cache-Control "public"; # caching\n        }\n    }\n'),
  code: 'add-header-dropped', title: /Repeat the inherited add_header lines/,
  after: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY always;\n'
    + '        add_header Content-Security-Policy "default-src \'self\'";\n        location /static/ {\n'
    + '            add_header Cache-Control "public"; # caching\n            add_header X-Frame-Options DENY always;\n'
    + '            add_header Content-Security-Policy "default-src \'self\'";\n        }\n    }\n'),
});

check('an add_header inside if repeats them inside the if block', {
  before: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location / {\n'
    + '            if ($arg_debug) { add_header X-Debug 1; }\n        }\n    }\n'),
  code: 'add-header-dropped', title: /Repeat the inherited/,
  after: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location / {\n'
    + '            if ($arg_debug) { add_header X-Debug 1;\n            add_header X-Frame-Options DENY; }\n        }\n    }\n'),
});

check('headers that came from a snippet: the snippet is included', {
  before: http('    server {\n        listen 8080;\n        include snippets/headers.conf;\n        location /static/ {\n'
    + '            add_header Cache-Control public;\n        }\n    }\n'),
  files: { 'snippets/headers.conf': 'add_header X-Frame-Options DENY;\nadd_header X-Content-Type-Options nosniff;\n' },
  code: 'add-header-dropped', title: /Include snippets\/headers.conf here/,
  after: http('    server {\n        listen 8080;\n        include snippets/headers.conf;\n        location /static/ {\n'
    + '            add_header Cache-Control public;\n            include snippets/headers.conf;\n        }\n    }\n'),
});

check('a snippet that sets more than the lost headers is not included: its lines are repeated', {
  before: http('    server {\n        listen 8080;\n        include snippets/headers.conf;\n        location /static/ {\n'
    + '            add_header X-Frame-Options SAMEORIGIN;\n        }\n    }\n'),
  files: { 'snippets/headers.conf': 'add_header X-Frame-Options DENY;\nadd_header X-Content-Type-Options nosniff;\n' },
  code: 'add-header-dropped', title: /Repeat the inherited add_header lines/,
  after: http('    server {\n        listen 8080;\n        include snippets/headers.conf;\n        location /static/ {\n'
    + '            add_header X-Frame-Options SAMEORIGIN;\n            add_header X-Content-Type-Options nosniff;\n        }\n    }\n'),
});

check('a location whose own headers all come from a snippet: the lines go into its block', {
  before: http('    add_header X-Frame-Options DENY;\n    server {\n        listen 8080;\n        location /img/ {\n'
    + '            include snippets/cache.conf;\n        }\n    }\n'),
  files: { 'snippets/cache.conf': 'add_header Cache-Control public;\n' },
  code: 'add-header-dropped', title: /Repeat the inherited/,
  after: http('    add_header X-Frame-Options DENY;\n    server {\n        listen 8080;\n        location /img/ {\n'
    + '            add_header X-Frame-Options DENY;\n            include snippets/cache.conf;\n        }\n    }\n'),
});

check('targeting nginx 1.29.3: add_header_inherit merge before the level\'s first add_header', {
  nginxVersion: '1.29.3',
  before: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location /static/ {\n'
    + '            add_header Cache-Control public;\n        }\n    }\n'),
  code: 'add-header-dropped', title: /add_header_inherit merge/,
  after: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location /static/ {\n'
    + '            add_header_inherit merge;\n            add_header Cache-Control public;\n        }\n    }\n'),
});

check('an explicit add_header_inherit on becomes merge', {
  nginxVersion: '1.29.3',
  before: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location /static/ {\n'
    + '            add_header_inherit on;\n            add_header Cache-Control public;\n        }\n    }\n'),
  code: 'add-header-dropped', title: /add_header_inherit merge/,
  after: http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n        location /static/ {\n'
    + '            add_header_inherit merge;\n            add_header Cache-Control public;\n        }\n    }\n'),
});

test('before nginx 1.29.3 no add_header_inherit fix is offered', () => {
  const before = http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n'
    + '        location /static/ {\n            add_header Cache-Control public;\n        }\n    }\n');
  const finding = findingsOf(before, { nginxVersion: '1.28' }).find((f) => f.code === 'add-header-dropped');
  assert.ok(finding);
  const titles = service.quickFixes(before, finding).map((f) => f.title);
  assert.deepEqual(titles.filter((t) => /inherit/.test(t) && /merge/.test(t)), [], titles.join(' | '));
});

check('a dropped add_trailer is repeated as add_trailer', {
  before: http('    server {\n        listen 8080;\n        add_trailer X-Checksum $request_id;\n        location /stream/ {\n'
    + '            add_trailer X-Timing 1;\n        }\n    }\n'),
  code: 'add-header-dropped', title: /Repeat the inherited add_trailer lines/,
  after: http('    server {\n        listen 8080;\n        add_trailer X-Checksum $request_id;\n        location /stream/ {\n'
    + '            add_trailer X-Timing 1;\n            add_trailer X-Checksum $request_id;\n        }\n    }\n'),
});

check('a location that drops the server\'s proxy_set_header lines repeats them', {
  before: http('    server {\n        listen 8080;\n        proxy_set_header Host $host;\n'
    + '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        location /ws/ {\n'
    + '            proxy_set_header Upgrade $http_upgrade;\n            proxy_pass http://127.0.0.1:9000;\n        }\n    }\n'),
  code: 'proxy-header-dropped', title: /Repeat the inherited proxy_set_header lines/,
  after: http('    server {\n        listen 8080;\n        proxy_set_header Host $host;\n'
    + '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        location /ws/ {\n'
    + '            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Host $host;\n'
    + '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n            proxy_pass http://127.0.0.1:9000;\n'
    + '        }\n    }\n'),
});

check('fastcgi_params included at the server: included again in the PHP location', {
  before: http('    server {\n        listen 8080;\n        include fastcgi_params;\n        location ~ \\.php$ {\n'
    + '            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n'
    + '            fastcgi_pass unix:/run/php.sock;\n        }\n    }\n'),
  files: { fastcgi_params: 'fastcgi_param QUERY_STRING $query_string;\nfastcgi_param HTTP_PROXY "";\n' },
  code: 'proxy-header-dropped', title: /Include fastcgi_params here/,
  after: http('    server {\n        listen 8080;\n        include fastcgi_params;\n        location ~ \\.php$ {\n'
    + '            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n            include fastcgi_params;\n'
    + '            fastcgi_pass unix:/run/php.sock;\n        }\n    }\n'),
});

const tls = (body) => http('    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/site.crt;\n'
  + `        ssl_certificate_key /etc/nginx/site.key;\n${body}    }\n`);

check('a TLS server without HSTS gets the header', {
  before: tls('        root /srv/www;\n'),
  code: 'hsts-missing', title: /Send Strict-Transport-Security/,
  after: http('    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/site.crt;\n'
    + '        ssl_certificate_key /etc/nginx/site.key;\n'
    + '        add_header Strict-Transport-Security "max-age=63072000" always;\n        root /srv/www;\n    }\n'),
});

check('HSTS added to a server that inherits other headers repeats them, so none is dropped', {
  before: http('    add_header X-Frame-Options DENY;\n    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/site.crt;\n'
    + '        ssl_certificate_key /etc/nginx/site.key;\n    }\n'),
  code: 'hsts-missing', title: /repeat the inherited add_header lines/,
  after: http('    add_header X-Frame-Options DENY;\n    server {\n        listen 443 ssl;\n        ssl_certificate /etc/nginx/site.crt;\n'
    + '        ssl_certificate_key /etc/nginx/site.key;\n        add_header X-Frame-Options DENY;\n'
    + '        add_header Strict-Transport-Security "max-age=63072000" always;\n    }\n'),
});

check('a short max-age is raised to two years, keeping the other directives', {
  before: tls('        add_header Strict-Transport-Security "max-age=3600; includeSubDomains" always;\n'),
  code: 'hsts-missing', title: /max-age=63072000/,
  after: tls('        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;\n'),
});

test('the dropped-header finding carries the effective values and a request that shows it', () => {
  const before = http('    server {\n        listen 8080;\n        add_header X-Frame-Options DENY;\n'
    + '        location /static/ {\n            add_header Cache-Control public;\n        }\n    }\n');
  const finding = findingsOf(before).find((f) => f.code === 'add-header-dropped');
  assert.equal(finding.data.exploit, 'GET /static/ → the response has no X-Frame-Options');
  assert.deepEqual(finding.data.effective, [
    { name: 'add_header', value: 'X-Frame-Options DENY', where: 'set at nginx.conf:5' },
    { name: 'add_header', value: 'Cache-Control public', where: 'set at nginx.conf:7' },
    { name: 'add_header_inherit', value: 'on', where: 'nginx default' },
  ]);
});
