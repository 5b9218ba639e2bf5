// Navigation through the language service: definitions, references, highlights, rename and its
// prepare step, document links and workspace symbols, resolved as nginx resolves names, across
// includes. Each configuration is a set of in-memory files; `‸` marks the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const CURSOR = '‸';

/**
 * The workspace of `files` (path → text, one of them holding the cursor), with the index of the
 * analysis the cursor's file is seen in.
 */
function at(files) {
  const texts = {};
  let file, offset;
  for (const [name, text] of Object.entries(files)) {
    const i = text.indexOf(CURSOR);
    if (i >= 0) { file = name; offset = i; }
    texts[name] = text.replace(CURSOR, '');
  }
  assert.ok(file, 'no cursor in the files');
  const workspace = new service.ConfigWorkspace(service.memoryHost(texts));
  workspace.setCandidates(Object.keys(texts).filter((f) => !/\.(crt|key|pem)$/.test(f)));
  const analysis = workspace.analysisFor(file);
  const index = service.navigationIndex(analysis);
  const tree = analysis.files.get(file);
  const slice = (r) => texts[r.file ?? file].slice(r.start, r.end);
  return {
    texts, file, offset, index, tree, analysis, workspace, slice,
    /** Each definition as `file: text of its name` (the whole statement's first line with `statement`). */
    definitions: (statement = false) => {
      const answer = service.definitions(index, file, offset);
      if (!answer) return undefined;
      const shown = (t) => (statement ? slice({ file: t.file, ...t.statement }).split('\n')[0] : slice({ file: t.file, ...t.range }));
      return answer.targets.map((t) => `${t.file}: ${shown(t)}`);
    },
    origin: () => slice(service.definitions(index, file, offset).origin),
    references: (withDeclaration = false) =>
      service.references(index, file, offset, withDeclaration).map((r) => `${r.file}:${r.start}: ${slice(r)}`),
    prepare: () => service.prepareRename(index, tree, file, offset),
    rename: (newName) => service.rename(index, tree, file, offset, newName),
  };
}

/** The texts after applying rename edits. */
function applyRename(texts, edits) {
  const out = { ...texts };
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out[e.file] = out[e.file].slice(0, e.start) + e.newText + out[e.file].slice(e.end);
  }
  return out;
}

/** The findings of every file of a workspace, as `file code message`. */
function findingsOf(texts) {
  const workspace = new service.ConfigWorkspace(service.memoryHost(texts));
  workspace.setCandidates(Object.keys(texts));
  const findings = (f) => workspace.analysisFor(f).findings.filter((x) => x.file === f);
  return Object.keys(texts).flatMap((f) => findings(f).map((x) => `${f} ${x.code} ${x.message}`));
}

const MAIN = '/etc/nginx/nginx.conf';
const SITE = '/etc/nginx/conf.d/site.conf';
const UPSTREAMS = '/etc/nginx/conf.d/upstreams.conf';

test('an upstream name in each *_pass directive leads to its upstream block, in another file', () => {
  const upstreams = 'upstream backend { server 127.0.0.1:8080; }\n';
  const main = 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n';
  for (const pass of ['proxy_pass http://ba‸ckend/api/', 'proxy_pass https://BACK‸END', 'grpc_pass grpcs://back‸end',
    'grpc_pass back‸end', 'fastcgi_pass back‸end', 'uwsgi_pass suwsgi://back‸end', 'scgi_pass back‸end',
    'memcached_pass back‸end']) {
    const nav = at({ [MAIN]: main, [UPSTREAMS]: upstreams, [SITE]: `server {\n    location / { ${pass}; }\n}\n` });
    assert.deepEqual(nav.definitions(), [`${UPSTREAMS}: backend`], pass);
    assert.deepEqual(nav.definitions(true), [`${UPSTREAMS}: upstream backend { server 127.0.0.1:8080; }`], pass);
    assert.equal(nav.origin().toLowerCase(), 'backend', pass);
  }
  // A host no upstream names is a host: nothing to go to.
  const host = at({ [MAIN]: main, [UPSTREAMS]: upstreams, [SITE]: 'server { location / { proxy_pass http://exa‸mple.com; } }\n' });
  assert.equal(host.definitions(), undefined);
});

test('stream and http keep their upstreams apart, as nginx does', () => {
  const text = 'events {}\nstream {\n  upstream db { server 10.0.0.1:5432; }\n  server { listen 5432; proxy_pass d‸b; }\n}\n'
    + 'http {\n  upstream db { server 10.0.0.2:80; }\n  server { location / { proxy_pass http://db; } }\n}\n';
  const nav = at({ [MAIN]: text });
  const [target] = service.definitions(nav.index, MAIN, nav.offset).targets;
  assert.equal(target.range.start, text.indexOf('db {'), 'the stream upstream, not the http one');
  // The http proxy_pass uses the other upstream: the stream one has its own use alone.
  assert.deepEqual(nav.references(), [`${MAIN}:${nav.texts[MAIN].indexOf('db; }')}: db`]);
});

test('a map whose variable a *_pass takes as its host names upstreams in its values', () => {
  const text = 'events {}\nstream {\n  upstream tls_a { server 10.0.0.1:443; }\n'
    + '  map $ssl_preread_server_name $pool { a.example.com tls_a; default unknown_host; }\n'
    + '  server { listen 443; ssl_preread on; proxy_pass $pool; }\n}\n'
    + 'http {\n  upstream web { server 10.0.0.2; }\n  map $host $site { default web; }\n  map $host $other { default web; }\n'
    + '  server { location / { proxy_pass http://${site}/x; return 200 $other; } }\n}\n';
  const nav = at({ [MAIN]: text.replace('tls_a;', 'tls‸_a;') });
  assert.deepEqual(nav.definitions(true), [`${MAIN}: upstream tls_a { server 10.0.0.1:443; }`]);
  // Each use as the start of its line up to the name.
  const uses = (needle) => service.references(nav.index, MAIN, text.indexOf(needle) + 10, false)
    .map((r) => text.slice(text.lastIndexOf('\n', r.start) + 1, r.end).trim());
  assert.deepEqual(uses('upstream tls_a'), ['map $ssl_preread_server_name $pool { a.example.com tls_a']);
  // $other goes to no proxy_pass: its "web" is a plain value.
  assert.deepEqual(uses('upstream web'), ['map $host $site { default web']);
});

test('include leads to the file, and a glob to every match in nginx order; links only where one file is named', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n    include mime.types;\n    include conf.d/*.conf;\n    include one/*.conf;\n}\n',
    '/etc/nginx/mime.types': 'types { text/html html; }\n',
    '/etc/nginx/conf.d/b.conf': 'server { listen 81; }\n',
    '/etc/nginx/conf.d/a.conf': 'server { listen 80; }\n',
    '/etc/nginx/one/only.conf': 'server { listen 82; }\n',
  };
  const glob = at({ ...files, [MAIN]: files[MAIN].replace('conf.d/*', 'conf.d/‸*') });
  assert.deepEqual(glob.definitions(), ['/etc/nginx/conf.d/a.conf: ', '/etc/nginx/conf.d/b.conf: ']);
  assert.equal(glob.origin(), 'conf.d/*.conf');
  const single = at({ ...files, [MAIN]: files[MAIN].replace('mime.types', 'mime‸.types') });
  assert.deepEqual(single.definitions(), ['/etc/nginx/mime.types: ']);
  const links = service.documentLinks(single.index, MAIN).map((l) => [single.slice(l), l.target, l.kind]);
  assert.deepEqual(links, [['mime.types', '/etc/nginx/mime.types', 'include'], ['one/*.conf', '/etc/nginx/one/only.conf', 'include']]);
});

test('a variable leads to each set, map, geo, split_clients, perl_set and js_set that defines it', () => {
  const text = 'events {}\nhttp {\n'
    + '  map $http_host $tenant { default main; }\n'
    + '  geo $tenant { default geo; }\n'
    + '  split_clients "${remote_addr}x" $tenant { 50% a; * b; }\n'
    + '  perl_set $tenant \'sub { return "p"; }\';\n'
    + '  js_set $tenant main.tenant;\n'
    + '  server {\n    set $tenant  "s";\n    location / { return 200 "${ten‸ant}"; }\n  }\n}\n';
  const nav = at({ [MAIN]: text });
  assert.deepEqual(nav.definitions(true).map((d) => d.replace(`${MAIN}: `, '')), [
    'map $http_host $tenant { default main; }', 'geo $tenant { default geo; }', 'split_clients "${remote_addr}x" $tenant { 50% a; * b; }',
    'perl_set $tenant \'sub { return "p"; }\';', 'js_set $tenant main.tenant;', 'set $tenant  "s";',
  ]);
  assert.deepEqual(nav.definitions(), Array(6).fill(`${MAIN}: tenant`));
  assert.equal(nav.origin(), '${tenant}');
});

test('variables are looked up without regard to case, and stream variables apart from http ones', () => {
  const text = 'events {}\nstream { map $remote_addr $x { default 1; } }\n'
    + 'http { map $uri $X { default 2; } server { location / { return 200 $‸x; } } }\n';
  const nav = at({ [MAIN]: text });
  assert.deepEqual(nav.definitions(true), [`${MAIN}: map $uri $X { default 2; }`]);
});

test('named captures of location, server_name, if and map regexes define variables', () => {
  const text = 'events {}\nhttp {\n'
    + '  map $uri $section { ~^/(?<area>[a-z]+)/ $area; default none; }\n'
    + '  server {\n    server_name ~^(?P<sub>[a-z]+)\\.example\\.com$;\n'
    + '    location ~ ^/u/(?\'user\'[0-9]+)$ { return 200 "$sub $user $area"; }\n'
    + '    if ($http_x ~ (?<flag>on|off)) { return 200 $flag; }\n  }\n}\n';
  for (const [name, def] of [['sub', 'server_name ~^(?P<sub>'], ['user', "(?'user'"], ['area', '(?<area>'], ['flag', '(?<flag>']]) {
    const use = name === 'flag' ? 'return 200 $flag' : `$${name}`;
    const offset = text.lastIndexOf(use) + use.length - 1;
    const nav = at({ [MAIN]: text.slice(0, offset) + CURSOR + text.slice(offset) });
    const [target] = service.definitions(nav.index, MAIN, nav.offset).targets;
    assert.equal(nav.slice(target.range), name, name);
    assert.equal(target.range.start, text.indexOf(def) + def.length - name.length - 1, name);
  }
});

test('$1…$9 lead to the nearest regex with that many groups', () => {
  const text = 'events {}\nhttp {\n  map $uri $m { ~^/(a)(b)$ $2; }\n  server {\n    server_name ~^(www)\\.(.+)$;\n'
    + '    location ~ ^/api/(v[0-9]+)/ {\n      return 200 "$1 $2";\n'
    + '      rewrite ^/api/([a-z]+)/(.*)$ /$2?x=$1;\n      set $after $1;\n'
    + '      if ($args ~ ^id=([0-9]+)$) { return 200 $1; }\n    }\n  }\n}\n';
  const cases = [
    ['$2; }', '~^/(a)(b)$'], // a map value: its key's regex
    ['$1 $2"', '^/api/(v[0-9]+)/'], // the location's regex
    ['$2";', '~^(www)\\.(.+)$'], // the location has one group: the server name's regex has two
    ['$2?x', '^/api/([a-z]+)/(.*)$'], // a rewrite's replacement: its own regex
    ['$1;\n      if', '^/api/([a-z]+)/(.*)$'], // after a rewrite: the rewrite's regex
    ['$1; }', '^id=([0-9]+)$)'], // inside an if: the if's regex
  ];
  for (const [use, regex] of cases) {
    const offset = text.indexOf(use) + 1;
    const nav = at({ [MAIN]: text.slice(0, offset) + CURSOR + text.slice(offset) });
    assert.deepEqual(nav.definitions(), [`${MAIN}: ${regex}`], use);
  }
});

test('@name in try_files and error_page leads to the named location of the same server', () => {
  const text = 'events {}\nhttp {\n'
    + '  server {\n    listen 80;\n    location / { try_files $uri @fall‸back; }\n    error_page 404 = @fallback;\n'
    + '    location @fallback { return 204; }\n  }\n'
    + '  server {\n    listen 81;\n    location @fallback { return 404; }\n  }\n}\n';
  const nav = at({ [MAIN]: text });
  assert.deepEqual(nav.definitions(true), [`${MAIN}: location @fallback { return 204; }`]);
  assert.equal(nav.origin(), '@fallback');
  assert.deepEqual(nav.references().map((r) => r.split(': ')[1]), ['fallback', 'fallback']);
});

test('an error_page at http level leads to the named location of every server that inherits it', () => {
  const text = 'events {}\nhttp {\n  error_page 502 @down‸time;\n'
    + '  server { listen 80; location @downtime { return 503; } }\n  server { listen 81; location @downtime { return 502; } }\n'
    + '  server { listen 82; }\n}\n';
  assert.deepEqual(at({ [MAIN]: text }).definitions(true),
    [`${MAIN}: location @downtime { return 503; }`, `${MAIN}: location @downtime { return 502; }`]);
});

test('a snippet included into two servers finds the named location of each', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n  server { listen 80; include snippets/app.conf; location @app { return 200 a; } }\n'
      + '  server { listen 81; include snippets/app.conf; location @app { return 200 b; } }\n}\n',
    '/etc/nginx/snippets/app.conf': 'location / { try_files $uri @a‸pp; }\n',
  };
  assert.deepEqual(at(files).definitions(true), [`${MAIN}: location @app { return 200 a; }`, `${MAIN}: location @app { return 200 b; }`]);
});

test('zones lead to their *_zone and *_cache_path definitions; access_log formats to log_format', () => {
  const main = 'events {}\nhttp {\n'
    + '  limit_req_zone $binary_remote_addr zone=perip:10m rate=10r/s;\n'
    + '  limit_conn_zone $server_name zone=perserver:10m;\n'
    + '  fastcgi_cache_path /var/cache/nginx keys_zone=pages:10m;\n'
    + '  log_format Main \'$remote_addr "$request"\';\n'
    + '  include conf.d/*.conf;\n}\n';
  const site = 'server {\n  access_log /var/log/nginx/a.log main buffer=32k;\n'
    + '  location / { limit_req zone=perip burst=5; limit_conn perserver 10; proxy_cache pages; }\n}\n';
  const cases = [['zone=perip burst', 'perip', 'limit_req_zone'], ['perserver 10', 'perserver', 'limit_conn_zone'],
    ['pages;', 'pages', 'fastcgi_cache_path'], ['main buffer', 'Main', 'log_format']];
  for (const [use, name, directive] of cases) {
    const offset = site.indexOf(use) + use.indexOf(name.toLowerCase()) + 1;
    const nav = at({ [MAIN]: main, [SITE]: site.slice(0, offset) + CURSOR + site.slice(offset) });
    assert.deepEqual(nav.definitions(), [`${MAIN}: ${name}`], use);
    assert.match(nav.definitions(true)[0], new RegExp(`: ${directive} `), use);
  }
});

test('a certificate path leads to its file, resolved against the prefix; missing files and folders get no link', () => {
  const files = {
    [MAIN]: 'events {}\nhttp { include conf.d/*.conf; }\n',
    [SITE]: 'server {\n  listen 443 ssl;\n  ssl_certificate certs/si‸te.crt;\n  ssl_certificate_key "certs/site.key";\n'
      + '  ssl_trusted_certificate certs/missing.pem;\n  ssl_client_certificate certs;\n}\n',
    '/etc/nginx/certs/site.crt': 'not really a certificate',
    '/etc/nginx/certs/site.key': 'not really a key',
  };
  const nav = at(files);
  assert.deepEqual(nav.definitions(), ['/etc/nginx/certs/site.crt: ']);
  const links = service.documentLinks(nav.index, SITE).map((l) => [nav.slice(l), l.target, l.kind]);
  assert.deepEqual(links, [
    ['certs/site.crt', '/etc/nginx/certs/site.crt', 'certificate'], ['certs/site.key', '/etc/nginx/certs/site.key', 'certificate'],
  ]);
});

test('references of an upstream across files, with and without its declaration', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n  upstream app‸ { server 127.0.0.1:3000; }\n  include conf.d/*.conf;\n}\n',
    [SITE]: 'server { location / { proxy_pass http://app; } location /b { proxy_pass http://App/b; } }\n',
    '/etc/nginx/conf.d/z.conf': 'server { location / { proxy_pass http://app:8080; } }\n',
  };
  const nav = at(files);
  assert.deepEqual(nav.references().map((r) => r.replace(/:\d+:/, ':')), [`${SITE}: app`, `${SITE}: App`, '/etc/nginx/conf.d/z.conf: app']);
  assert.equal(nav.references(true).length, 4);
  assert.equal(nav.references(true)[0], `${MAIN}:${files[MAIN].indexOf('app')}: app`);
});

test('highlights mark the definition as written and the uses as read, in the file only', () => {
  const text = 'events {}\nhttp { server {\n  set $tar‸get a;\n  if ($target) { return 200 "$target ${target}"; }\n} }\n';
  const nav = at({ [MAIN]: text });
  const marks = service.highlights(nav.index, MAIN, nav.offset).map((h) => [nav.slice(h), h.write]);
  assert.deepEqual(marks, [['$target', true], ['$target', false], ['$target', false], ['${target}', false]]);
});

test('rename of an upstream edits every file, and the result analyses the same', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n  include conf.d/upstreams.conf;\n  include conf.d/site.conf;\n}\n',
    [UPSTREAMS]: 'upstream backend { server 127.0.0.1:8080; }\n',
    [SITE]: 'server {\n  location / { proxy_pass http://back‸end/; }\n  location /g { grpc_pass grpc://backend; }\n}\n',
  };
  const nav = at(files);
  const start = nav.texts[SITE].indexOf('backend');
  assert.deepEqual(nav.prepare(), { range: { start, end: start + 7 }, placeholder: 'backend' });
  const { edits } = nav.rename('api_v2');
  assert.deepEqual([...new Set(edits.map((e) => e.file))].sort(), [SITE, UPSTREAMS]);
  const renamed = applyRename(nav.texts, edits);
  assert.equal(renamed[UPSTREAMS], 'upstream api_v2 { server 127.0.0.1:8080; }\n');
  assert.match(renamed[SITE], /proxy_pass http:\/\/api_v2\/;[\s\S]*grpc_pass grpc:\/\/api_v2;/);
  assert.deepEqual(findingsOf(renamed), findingsOf(nav.texts));
  const after = service.navigationIndex(new service.ConfigWorkspace(service.memoryHost(renamed)).analysisFor(MAIN));
  assert.equal(service.references(after, UPSTREAMS, renamed[UPSTREAMS].indexOf('api_v2'), false).length, 2);
});

test('rename of a variable edits its set, its named capture definition and every use, keeping $ and braces', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n  include conf.d/site.conf;\n}\n',
    [SITE]: 'server {\n  server_name ~^(?<tenant>[a-z]+)\\.example\\.com$;\n  set $tenant "${tenant}-x";\n'
      + '  location / { return 200 "$ten‸ant/${tenant}"; add_header X-T $Tenant; }\n}\n',
  };
  const nav = at(files);
  assert.equal(nav.prepare().placeholder, 'tenant');
  const renamed = applyRename(nav.texts, nav.rename('$customer').edits);
  assert.equal(renamed[SITE], 'server {\n  server_name ~^(?<customer>[a-z]+)\\.example\\.com$;\n  set $customer "${customer}-x";\n'
    + '  location / { return 200 "$customer/${customer}"; add_header X-T $customer; }\n}\n');
  assert.deepEqual(findingsOf(renamed), []);
});

test('rename of a named location, a zone and a log format', () => {
  const text = 'events {}\nhttp {\n  limit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;\n  log_format main \'$remote_addr\';\n'
    + '  server {\n    access_log /tmp/a.log main;\n    limit_req zone=perip;\n'
    + '    location / { try_files $uri @app; }\n    location @app { return 204; }\n  }\n}\n';
  const cases = [['@app;', 1, '@web', '@web'], ['zone=perip;', 6, 'ip', 'zone=ip'], ['main;', 1, 'short', 'short']];
  for (const [use, shift, newName, expected] of cases) {
    const offset = text.indexOf(use) + shift;
    const nav = at({ [MAIN]: text.slice(0, offset) + CURSOR + text.slice(offset) });
    const answer = nav.rename(newName);
    assert.ok(answer.edits, JSON.stringify(answer));
    const renamed = applyRename(nav.texts, answer.edits)[MAIN];
    assert.equal(renamed.split(expected).length - 1, 2, `${use}: ${renamed}`);
    assert.deepEqual(findingsOf({ [MAIN]: renamed }), findingsOf({ [MAIN]: nav.texts[MAIN] }), use);
  }
});

test('prepareRename refuses built-ins and names nothing defines, and says why', () => {
  const text = 'events {}\nhttp {\n  upstream app { server 127.0.0.1:3000; }\n  server {\n'
    + '    location ~ ^/(x)$ { return 200 "$1 $host $nowhere"; }\n'
    + '    location / { proxy_pass http://example.com; access_log /tmp/a.log combined; try_files $uri @none; }\n'
    + '    include conf.d/*.conf;\n  }\n}\n';
  const cases = [
    ['$host', 2, /"\$host" is a built-in variable/],
    ['$1', 1, /group 1 of a regular expression/],
    ['$nowhere', 2, /nothing in this configuration defines "\$nowhere"/],
    ['proxy_pass', 2, /"proxy_pass" is a directive name/],
    ['example.com', 2, /"example\.com" is no upstream of this configuration/],
    ['combined', 2, /"combined" is nginx's predefined log format/],
    ['@none', 2, /no location "@none" in this server/],
    ['conf.d/', 2, /a file path cannot be renamed/],
  ];
  for (const [needle, shift, reason] of cases) {
    const offset = text.indexOf(needle) + shift;
    const nav = at({ [MAIN]: text.slice(0, offset) + CURSOR + text.slice(offset) });
    assert.match(nav.prepare().refused ?? JSON.stringify(nav.prepare()), reason, needle);
    assert.match(nav.rename('other').refused ?? '', reason, needle);
  }
});

test('rename refuses names nginx would read differently, and names already taken', () => {
  const text = 'events {}\nhttp {\n  upstream app { server 127.0.0.1:3000; }\n  upstream api { server 127.0.0.1:3001; }\n'
    + '  server { set $a 1; set $b 2; location / { proxy_pass http://a‸pp; return 200 $a$b; } }\n}\n';
  const nav = at({ [MAIN]: text });
  assert.match(nav.rename('my app').refused, /no upstream name/);
  assert.match(nav.rename('API').refused, /an upstream "api" already exists/);
  const variable = at({ [MAIN]: text.replace('$a$b', '$‸a$b').replace('a‸pp', 'app') });
  assert.match(variable.rename('1x').refused, /no variable name/);
  assert.match(variable.rename('host').refused, /built-in variable/);
  assert.match(variable.rename('B').refused, /a variable "\$b" already exists/);
  assert.ok(variable.rename('c').edits);
});

test('workspace symbols: every server name, upstream and named location of the workspace, by a fuzzy query', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n  upstream api_backend { server 127.0.0.1:3000; }\n  include conf.d/*.conf;\n}\n',
    [SITE]: 'server {\n  server_name api.example.com www.example.com;\n  location @maintenance { return 503; }\n}\n',
    '/srv/other/nginx.conf': 'events {}\nhttp { server { server_name shop.example.org; } map $x $y { server_name z; } }\n',
  };
  const workspace = new service.ConfigWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  const all = service.workspaceSymbols(workspace.parsedFiles(), '');
  const show = (list) => list.map((s) => `${s.kind} ${s.name} (${s.container}) ${s.file}:${files[s.file].slice(s.start, s.end)}`);
  assert.deepEqual(show(all).sort(), [
    `location @maintenance (server api.example.com) ${SITE}:@maintenance`,
    `server api.example.com (server) ${SITE}:api.example.com`,
    `server shop.example.org (server) /srv/other/nginx.conf:shop.example.org`,
    `server www.example.com (server) ${SITE}:www.example.com`,
    `upstream api_backend (upstream) ${MAIN}:api_backend`,
  ]);
  assert.deepEqual(service.workspaceSymbols(workspace.parsedFiles(), 'apiex').map((s) => s.name), ['api.example.com']);
  assert.deepEqual(service.workspaceSymbols(workspace.parsedFiles(), 'API').map((s) => s.name).sort(), ['api.example.com', 'api_backend']);
});

test('the index is built once per analysis', () => {
  const nav = at({ [MAIN]: 'events {}\nhttp { upstream a‸ { server 127.0.0.1; } }\n' });
  assert.equal(service.navigationIndex(nav.analysis), nav.index);
});
