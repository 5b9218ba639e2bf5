// Completion that knows where it is: each kind of entry (directive names, argument keywords,
// variables, upstream names, paths) in each context, filtered by flavor and target release, and
// the documentation an entry resolves to. The cursor is written as "‸" in the texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { service } from '../lib/service.mjs';

const MAIN = '/etc/nginx/nginx.conf';
const CURSOR = '‸';

/**
 * Completion at the cursor of `text` (the file `file`, the main config unless said), seen in its
 * configuration with `files` beside it, under `settings` (flavor, nginxVersion, pathMappings).
 */
function complete(text, { files = {}, file = MAIN, settings = {} } = {}) {
  const offset = text.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor in the text');
  const all = { ...files, [file]: text.replace(CURSOR, '') };
  const host = service.memoryHost(all);
  const workspace = new service.ConfigWorkspace(host);
  workspace.settings = settings;
  workspace.setCandidates(Object.keys(all).filter((f) => /\.conf$/.test(f)));
  const analysis = workspace.analysisFor(file);
  const tree = analysis.files.get(file);
  const rootContexts = analysis.placements.get(file)?.contexts ?? ['main'];
  const items = service.completions(tree, offset, { rootContexts, analysis, host, pathMappings: settings.pathMappings });
  return { items, labels: items.map((i) => i.label), offset, text: all[file] };
}

const labels = (text, options) => complete(text, options).labels;

/** `body` inside a location of a minimal main config. */
const inLocation = (body) => 'events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n'
  + `            ${body}\n        }\n    }\n}\n`;
const inStreamServer = (body) => 'events {}\nstream {\n    upstream tcp_backend { server 10.0.0.1:5432; }\n    server {\n'
  + `        listen 5432;\n        ${body}\n    }\n}\n`;

function assertHas(list, expected, what) {
  const missing = expected.filter((x) => !list.includes(x));
  assert.deepEqual(missing, [], `${what}: missing ${missing.join(', ')}`);
}
function assertLacks(list, unexpected, what) {
  const present = unexpected.filter((x) => list.includes(x));
  assert.deepEqual(present, [], `${what}: offered ${present.join(', ')}`);
}

// ---------------------------------------------------------------- directive names by context

test('in a location: location directives only (no stream, server-level or main directives)', () => {
  const list = labels(inLocation(`prox${CURSOR}`));
  assertHas(list, ['proxy_pass', 'proxy_set_header', 'try_files', 'root', 'location', 'return'], 'location');
  assertLacks(list, ['proxy_ssl', 'proxy_timeout', 'listen', 'server_name', 'worker_connections', 'http', 'server', 'upstream'],
    'location');
});

test('the entries replace the typed name and carry the syntax as detail', () => {
  const { items, offset, text } = complete(inLocation(`prox${CURSOR}`));
  const pass = items.find((i) => i.label === 'proxy_pass');
  assert.equal(text.slice(pass.start, pass.end), 'prox');
  assert.equal(pass.end, offset);
  assert.equal(pass.kind, 'directive');
  assert.equal(pass.detail, 'proxy_pass URL;');
  assert.deepEqual(pass.documentation, { directive: 'proxy_pass', context: 'http>location' });
});

test('inside "if" in a location: what nginx allows there', () => {
  const list = labels(inLocation(`if ($arg_debug) {\n                ${CURSOR}\n            }`));
  assertHas(list, ['return', 'rewrite', 'set', 'proxy_pass', 'root', 'add_header', 'break'], 'if in location');
  assertLacks(list, ['try_files', 'location', 'proxy_set_header', 'if_modified_since', 'listen'], 'if in location');
});

test('inside "if" in a server: the rewrite module\'s directives, not a location\'s', () => {
  const list = labels(`events {}\nhttp {\n    server {\n        if ($host = a) {\n            ${CURSOR}\n        }\n    }\n}\n`);
  assertHas(list, ['return', 'rewrite', 'set', 'break'], 'if in server');
  assertLacks(list, ['proxy_pass', 'root', 'location', 'try_files'], 'if in server');
});

test('inside limit_except: access control, not proxying', () => {
  const list = labels(inLocation(`limit_except GET {\n                ${CURSOR}\n            }`));
  assertHas(list, ['allow', 'deny', 'auth_basic', 'proxy_pass'], 'limit_except');
  assertLacks(list, ['proxy_set_header', 'return', 'location', 'try_files'], 'limit_except');
});

test('inside an http upstream: server and balancing directives', () => {
  const list = labels(`events {}\nhttp {\n    upstream app {\n        ${CURSOR}\n    }\n}\n`);
  assertHas(list, ['server', 'keepalive', 'least_conn', 'hash', 'ip_hash'], 'upstream');
  assertLacks(list, ['proxy_pass', 'location', 'listen', 'root'], 'upstream');
});

test('in a stream server: stream directives, not http ones', () => {
  const list = labels(inStreamServer(`${CURSOR}`));
  assertHas(list, ['proxy_pass', 'proxy_ssl', 'proxy_timeout', 'listen', 'ssl_preread'], 'stream server');
  assertLacks(list, ['location', 'try_files', 'proxy_set_header', 'root', 'add_header'], 'stream server');
});

test('in events, in main and in http: each its own', () => {
  const events = labels(`events {\n    ${CURSOR}\n}\n`);
  assertHas(events, ['worker_connections', 'use', 'multi_accept'], 'events');
  assertLacks(events, ['http', 'server', 'worker_processes'], 'events');
  const main = labels(`${CURSOR}\nevents {}\n`);
  assertHas(main, ['http', 'events', 'stream', 'worker_processes', 'user', 'load_module', 'include'], 'main');
  assertLacks(main, ['server', 'location', 'worker_connections', 'listen'], 'main');
  const http = labels(`events {}\nhttp {\n    ${CURSOR}\n}\n`);
  assertHas(http, ['server', 'upstream', 'map', 'log_format', 'include'], 'http');
  assertLacks(http, ['location', 'listen', 'worker_processes', 'http'], 'http');
});

test('map, geo, types and split_clients bodies offer no directives; map and geo their own parameters', () => {
  const map = labels(`events {}\nhttp {\n    map $uri $x {\n        ${CURSOR}\n    }\n}\n`);
  assert.deepEqual(map.sort(), ['default', 'hostnames', 'include', 'volatile']);
  const geo = labels(`events {}\nhttp {\n    geo $x {\n        ${CURSOR}\n    }\n}\n`);
  assertHas(geo, ['default', 'ranges', 'proxy', 'delete', 'include'], 'geo');
  assertLacks(geo, ['server', 'proxy_pass'], 'geo');
  assert.deepEqual(labels(`events {}\nhttp {\n    types {\n        ${CURSOR}\n    }\n}\n`), []);
  assert.deepEqual(labels(`events {}\nhttp {\n    split_clients $x $y {\n        ${CURSOR}\n    }\n}\n`), []);
});

test('a file included inside http is completed in http (its placement), one declared as a location as a location', () => {
  const files = { [MAIN]: 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
  const site = labels(`${CURSOR}\n`, { files, file: '/etc/nginx/conf.d/site.conf' });
  assertHas(site, ['server', 'upstream', 'map'], 'conf.d file');
  assertLacks(site, ['location', 'events', 'worker_processes'], 'conf.d file');
  const snippet = labels(`# nginx-ls: context=location\n${CURSOR}\n`, { file: '/etc/nginx/snippets/proxy.conf' });
  assertHas(snippet, ['proxy_pass', 'proxy_set_header'], 'a declared location snippet');
  assertLacks(snippet, ['server', 'listen'], 'a declared location snippet');
});

test('no completion in a comment or inside a Lua block', () => {
  assert.deepEqual(labels(inLocation(`# prox${CURSOR}`)), []);
  const lua = inLocation(`content_by_lua_block {\n                ngx.s${CURSOR}\n            }`);
  assert.deepEqual(labels(lua, { settings: { flavor: 'openresty' } }), []);
});

// ---------------------------------------------------------------- flavor and release

test('flavor nginx (and auto on a config without Lua): no OpenResty or NGINX Plus directives', () => {
  for (const flavor of ['nginx', 'auto']) {
    const list = labels(inLocation(`${CURSOR}`), { settings: { flavor } });
    assertLacks(list, ['content_by_lua_block', 'access_by_lua_file', 'echo', 'set_quote_sql_str', 'api', 'health_check'], flavor);
    assertHas(list, ['proxy_pass', 'js_content', 'more_set_headers'], `${flavor}: modules every flavor counts as built in`);
  }
});

test('flavor openresty, or auto on a config that uses Lua: OpenResty\'s modules are offered', () => {
  assertHas(labels(inLocation(`${CURSOR}`), { settings: { flavor: 'openresty' } }),
    ['content_by_lua_block', 'access_by_lua_file', 'echo', 'set_quote_sql_str', 'srcache_fetch'], 'openresty');
  const usesLua = 'events {}\nhttp {\n    lua_package_path "/opt/?.lua;;";\n    server {\n        location / {\n'
    + `            ${CURSOR}\n        }\n    }\n}\n`;
  assertHas(labels(usesLua, { settings: { flavor: 'auto' } }), ['content_by_lua_block', 'echo'], 'auto with Lua');
});

test('flavor plus: NGINX Plus directives; a load_module brings a module\'s directives to stock nginx', () => {
  const plus = labels(inLocation(`${CURSOR}`), { settings: { flavor: 'plus' } });
  assertHas(plus, ['api', 'health_check', 'proxy_pass'], 'plus');
  assertLacks(plus, ['content_by_lua_block'], 'plus');
  const loaded = `load_module modules/ngx_http_echo_module.so;\n${inLocation(`${CURSOR}`)}`;
  const list = labels(loaded, { settings: { flavor: 'nginx' } });
  assertHas(list, ['echo', 'echo_location'], 'echo loaded');
  assertLacks(list, ['content_by_lua_block', 'set_quote_sql_str'], 'echo loaded');
});

test('the target release: directives newer than it are not offered', () => {
  const server = `events {}\nhttp {\n    server {\n        ${CURSOR}\n    }\n}\n`;
  assertLacks(labels(server, { settings: { nginxVersion: '1.22' } }), ['http2', 'http3', 'quic_retry'], 'nginx 1.22');
  assertHas(labels(server, { settings: { nginxVersion: '1.26' } }), ['http2', 'http3', 'quic_retry'], 'nginx 1.26');
  // ssl_reject_handshake is old in http, new in stream (1.25.5).
  assertLacks(labels(inStreamServer(CURSOR), { settings: { nginxVersion: '1.24' } }), ['ssl_reject_handshake', 'server_name'],
    'stream 1.24');
  assertHas(labels(inStreamServer(CURSOR), { settings: { nginxVersion: '1.26' } }), ['ssl_reject_handshake', 'server_name'], 'stream 1.26');
  assertHas(labels(server, { settings: { nginxVersion: '1.22' } }), ['ssl_reject_handshake'], 'http 1.22');
});

// ---------------------------------------------------------------- argument keywords

test('keywords of the argument being typed, from the reference\'s syntax', () => {
  assert.deepEqual(labels(inLocation(`gzip ${CURSOR}`)), ['on', 'off']);
  const server = (body) => `events {}\nhttp {\n    server {\n        ${body}\n    }\n}\n`;
  assert.deepEqual(labels(server(`ssl_verify_client ${CURSOR}`)), ['on', 'off', 'optional', 'optional_no_ca']);
  assert.deepEqual(labels(inLocation(`proxy_http_version ${CURSOR}`)), ['1.0', '1.1', '2']);
  assert.deepEqual(labels(inLocation(`add_header X-Frame-Options DENY ${CURSOR}`)), ['always']);
  assert.deepEqual(labels(inLocation(`add_header X-Frame-Options ${CURSOR}`)), [], 'a header value is no keyword');
});

test('a keyword already given is not offered again; a repeated argument offers the rest', () => {
  const next = labels(inLocation(`proxy_next_upstream error http_502 ${CURSOR}`));
  assertHas(next, ['timeout', 'http_503', 'non_idempotent', 'off'], 'proxy_next_upstream');
  assertLacks(next, ['error', 'http_502'], 'proxy_next_upstream');
  const protocols = labels(`events {}\nhttp {\n    ssl_protocols TLSv1.2 ${CURSOR}\n}\n`);
  assertHas(protocols, ['TLSv1.3'], 'ssl_protocols');
  assertLacks(protocols, ['TLSv1.2'], 'ssl_protocols');
});

test('the keyword being typed is replaced from the start of the word', () => {
  const { items, text } = complete(inLocation(`proxy_next_upstream error tim${CURSOR};`));
  const timeout = items.find((i) => i.label === 'timeout');
  assert.equal(text.slice(timeout.start, timeout.end), 'tim');
});

test('the stream module\'s syntax in stream: proxy_next_upstream is on|off there', () => {
  assert.deepEqual(labels(inStreamServer(`proxy_next_upstream ${CURSOR}`)), ['on', 'off']);
});

test('parameters with a value come as snippets: listen backlog=, proxy_cache_path keys_zone=name:size', () => {
  const { items } = complete(`events {}\nhttp {\n    proxy_cache_path /var/cache/nginx ${CURSOR}\n}\n`);
  const zone = items.find((i) => i.label === 'keys_zone=');
  assert.ok(zone, items.map((i) => i.label).join());
  assert.equal(zone.snippet, true);
  assert.equal(zone.insertText, 'keys_zone=${1:name}:${2:size}');
  assert.equal(zone.detail, 'keys_zone=name:size');
  const listen = labels(`events {}\nhttp {\n    server {\n        listen 443 ${CURSOR}\n    }\n}\n`);
  assertHas(listen, ['ssl', 'default_server', 'reuseport', 'backlog=', 'ipv6only=on', 'ipv6only=off', 'quic'], 'listen');
  assertLacks(listen, ['udp'], 'listen (udp is stream\'s)');
  assertHas(labels(`events {}\nstream {\n    server {\n        listen 53 ${CURSOR}\n    }\n}\n`), ['udp', 'ssl'], 'stream listen');
  assertLacks(labels(`events {}\nhttp {\n    server {\n        listen 443 ssl ${CURSOR}\n    }\n}\n`), ['ssl'], 'listen with ssl given');
});

test('the location modifiers; parameters newer than the target release are left out', () => {
  assertHas(labels(`events {}\nhttp {\n    server {\n        location ${CURSOR}\n    }\n}\n`), ['=', '~', '~*', '^~'], 'location');
  const listen = `events {}\nhttp {\n    server {\n        listen 443 ${CURSOR}\n    }\n}\n`;
  assertLacks(labels(listen, { settings: { nginxVersion: '1.22' } }), ['quic'], 'listen at 1.22');
  const upstream = 'events {}\nhttp {\n    resolver 127.0.0.53;\n    upstream app {\n        zone app 64k;\n'
    + `        server app.internal ${CURSOR}\n    }\n}\n`;
  assertLacks(labels(upstream, { settings: { nginxVersion: '1.26' } }), ['resolve'], 'server … resolve at 1.26');
  assertHas(labels(upstream, { settings: { nginxVersion: '1.28' } }), ['resolve', 'backup', 'weight=', 'max_fails='], 'server at 1.28');
});

test('a flag of a module the reference does not document: on and off', () => {
  assert.deepEqual(labels(`events {}\nhttp {\n    lua_code_cache ${CURSOR}\n}\n`, { settings: { flavor: 'openresty' } }), ['on', 'off']);
});

// ---------------------------------------------------------------- variables

test('after "$": built-in variables and every one the configuration defines, across includes', () => {
  const text = 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; }\n    geo $internal { default 0; }\n'
    + '    include conf.d/*.conf;\n    server {\n        location ~ ^/item/(?<item_id>\\d+)$ {\n            set $backend_host app;\n'
    + `            return 200 $${CURSOR}\n        }\n    }\n}\n`;
  const files = { '/etc/nginx/conf.d/a.conf': 'split_clients $remote_addr $variant { 50% a; * b; }\n' };
  const { items, offset } = complete(text, { files });
  const list = items.map((i) => i.label);
  assertHas(list, ['$connection_upgrade', '$internal', '$item_id', '$backend_host', '$variant'], 'defined');
  assertHas(list, ['$host', '$request_uri', '$remote_addr', '$upstream_addr', '$ssl_server_name'], 'built in');
  const own = items.find((i) => i.label === '$backend_host');
  assert.equal(own.detail, 'defined in the configuration');
  assert.equal(own.insertText, '$backend_host');
  assert.equal(own.start, offset - 1, 'replaces the "$"');
  const family = items.find((i) => i.label === '$http_name');
  assert.equal(family.snippet, true);
  assert.equal(family.insertText, '\\$http_${1:name}');
});

test('"${" gets braced names', () => {
  const { items, text } = complete(inLocation(`return 200 "\${ho${CURSOR}";`));
  const host = items.find((i) => i.label === '$host');
  assert.equal(host.insertText, '${host}');
  assert.equal(host.filterText, '${host');
  assert.equal(text.slice(host.start, host.end), '${ho');
});

test('variables of the area: stream\'s in stream, http\'s in http', () => {
  const stream = labels(inStreamServer(`return $${CURSOR};`));
  assertHas(stream, ['$ssl_preread_server_name', '$remote_addr', '$session_time', '$upstream_addr'], 'stream');
  assertLacks(stream, ['$request_uri', '$host', '$http_name', '$scheme'], 'stream');
  const http = labels(inLocation(`return 200 $${CURSOR};`));
  assertLacks(http, ['$ssl_preread_server_name', '$session_time'], 'http');
});

test('variables of the flavor: OpenResty\'s modules and NGINX Plus\'s only where built in', () => {
  const plain = labels(inLocation(`return 200 $${CURSOR};`), { settings: { flavor: 'nginx' } });
  assertLacks(plain, ['$echo_timer_elapsed', '$jwt_payload', '$oidc_id_token'], 'nginx');
  assertHas(labels(inLocation(`return 200 $${CURSOR};`), { settings: { flavor: 'openresty' } }), ['$echo_timer_elapsed'], 'openresty');
  assertHas(labels(inLocation(`return 200 $${CURSOR};`), { settings: { flavor: 'plus' } }), ['$jwt_payload', '$oidc_id_token'], 'plus');
});

test('no variables where "$" is no variable: regexes, location, server_name, Lua code', () => {
  assert.deepEqual(labels(`events {}\nhttp {\n    server {\n        location ~ \\.php$${CURSOR} {}\n    }\n}\n`), []);
  assert.deepEqual(labels(inLocation(`rewrite ^/old$${CURSOR} /new;`)), []);
  assert.deepEqual(labels(inLocation(`if ($uri ~ ^/a$${CURSOR}) { return 404; }`)), []);
  assert.deepEqual(labels(`events {}\nhttp {\n    server {\n        server_name ~^(www)$${CURSOR};\n    }\n}\n`), []);
  assert.deepEqual(labels(inLocation(`content_by_lua 'local a = "$${CURSOR}"';`), { settings: { flavor: 'openresty' } }), []);
});

// ---------------------------------------------------------------- upstreams

test('upstream names after http:// and https://, from every file of the configuration', () => {
  const text = `events {}\nhttp {\n    upstream app_backend { server 10.0.0.1:8080; }\n    include conf.d/*.conf;\n    server {\n`
    + `        location / {\n            proxy_pass http://${CURSOR}\n        }\n    }\n}\n`
    + 'stream {\n    upstream tcp_only { server 10.0.0.2:1; }\n}\n';
  const files = { '/etc/nginx/conf.d/more.conf': 'upstream api_backend { server 10.0.0.3:80; }\n' };
  const { items, text: clean } = complete(text, { files });
  assert.deepEqual(items.map((i) => i.label).sort(), ['api_backend', 'app_backend']);
  assert.equal(clean.slice(items[0].start, items[0].end), '', 'the name goes after the scheme');
  assert.equal(items[0].kind, 'reference');
  assert.deepEqual(labels(text.replace(`http://${CURSOR}`, `https://app${CURSOR}`), { files }).sort(), ['api_backend', 'app_backend']);
});

test('the scheme before a name; grpc_pass, fastcgi_pass and stream proxy_pass take names too', () => {
  const http = 'events {}\nhttp {\n    upstream app { server 10.0.0.1:9000; }\n    server {\n        location / {\n';
  const end = '\n        }\n    }\n}\n';
  assert.deepEqual(labels(`${http}            proxy_pass ${CURSOR}${end}`), ['http://', 'https://']);
  assert.deepEqual(labels(`${http}            grpc_pass grpcs://${CURSOR}${end}`), ['app']);
  assert.deepEqual(labels(`${http}            fastcgi_pass ${CURSOR}${end}`), ['app']);
  assert.deepEqual(labels(inStreamServer(`proxy_pass ${CURSOR}`)), ['tcp_backend']);
});

// ---------------------------------------------------------------- paths

test('include and certificate paths, relative to the prefix (the main file\'s folder) and absolute', () => {
  const files = {
    '/etc/nginx/conf.d/site.conf': 'server { listen 81; }\n',
    '/etc/nginx/conf.d/api.conf': 'server { listen 82; }\n',
    '/etc/nginx/mime.types': 'types {}\n',
    '/etc/nginx/certs/site.crt': 'x', '/etc/nginx/certs/site.key': 'x', '/etc/nginx/certs/.hidden': 'x',
  };
  const include = `events {}\nhttp {\n    include ${CURSOR}\n}\n`;
  assertHas(labels(include, { files }), ['conf.d/', 'certs/', 'mime.types', 'nginx.conf'], 'include');
  const { items, text } = complete(`events {}\nhttp {\n    include conf.d/s${CURSOR}\n}\n`, { files });
  assert.deepEqual(items.map((i) => i.label), ['api.conf', 'site.conf']);
  assert.equal(text.slice(items[0].start, items[0].end), 's', 'only the name after the last "/" is replaced');
  assert.equal(items[0].kind, 'file');
  const server = (arg) => `events {}\nhttp {\n    server {\n        ssl_certificate ${arg}\n    }\n}\n`;
  assert.deepEqual(labels(server(`certs/${CURSOR}`), { files }), ['site.crt', 'site.key'], 'dotfiles are left out');
  assert.deepEqual(labels(server(`/etc/nginx/certs/${CURSOR}`), { files }), ['site.crt', 'site.key']);
  assert.deepEqual(labels(server(`"certs/${CURSOR}"`), { files }), ['site.crt', 'site.key'], 'a quoted path');
  const folder = complete(`events {}\nhttp {\n    include ${CURSOR}\n}\n`, { files }).items.find((i) => i.label === 'conf.d/');
  assert.equal(folder.kind, 'folder');
});

test('an absolute server path is listed where nginx-ls.pathMappings says it lives', () => {
  const files = { '/work/certs/prod.pem': 'x' };
  const text = `events {}\nhttp {\n    server {\n        ssl_certificate /srv/tls/${CURSOR}\n    }\n}\n`;
  assert.deepEqual(labels(text, { files }), []);
  assert.deepEqual(labels(text, { files, settings: { pathMappings: [['/srv/tls', '/work/certs']] } }), ['prod.pem']);
});

// ---------------------------------------------------------------- documentation

test('a directive\'s documentation: syntax, default, contexts and the nginx.org link, for the module of the context', () => {
  const http = service.completionDocumentation({ directive: 'proxy_pass', context: 'http>location' });
  assert.match(http, /```nginx\nproxy_pass URL;\n```/);
  assert.match(http, /Context: location, if in location, limit_except/);
  assert.match(http, /\(https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_pass\)/);
  const stream = service.completionDocumentation({ directive: 'proxy_pass', context: 'stream>server' });
  assert.match(stream, /proxy_pass address;/);
  assert.match(stream, /stream\/ngx_stream_proxy_module\.html#proxy_pass/);
  const gzip = service.completionDocumentation({ directive: 'gzip', context: 'http' });
  assert.match(gzip, /Default: `off`/);
  assert.match(service.completionDocumentation({ directive: 'content_by_lua_block' }), /^From the lua module\. Context: location, if, server\.$/);
  assert.equal(service.completionDocumentation({ directive: 'no_such_directive' }), undefined);
});

test('a variable\'s documentation: its description and link; an entry names what it resolves to', () => {
  const host = service.completionDocumentation({ variable: 'host' });
  assert.match(host, /ngx_http_core_module\.html#var_host/);
  const { items } = complete(inLocation(`return 200 $${CURSOR};`));
  assert.deepEqual(items.find((i) => i.label === '$host').documentation, { variable: 'host' });
  assert.equal(items.find((i) => i.label === '$host').detail, 'built in');
});

test('data/variable-areas.json is what scripts/gen-variable-areas.mjs makes of the reference', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const r = spawnSync(process.execPath, ['scripts/gen-variable-areas.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
