// nginx-ls.nginx.flavor decides which modules count as built in: the cases (.cases folders) run with
// `auto`; the explicit flavors, the setting as the server reads it and the CLI's --flavor are checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../lib/lsp-client.mjs';
import { FIXTURE_NOW, service } from '../lib/service.mjs';

const serverJs = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

const CONFIG = `events {}
http {
    upstream app { server 127.0.0.1:9000; ntlm; }
    server {
        listen 8080;
        location /lua { content_by_lua_block { ngx.say("hi") } }
        location /echo { echo "hi"; }
        location /api { api write=on; }
        location / { proxy_pass http://app; }
    }
}
`;

/** The directive-module-missing findings for CONFIG (with `extra` before it) under a flavor, as "name: message". */
function missing(flavor, extra = '') {
  const text = extra + CONFIG;
  const workspace = new service.ConfigWorkspace(service.memoryHost({ '/etc/nginx/nginx.conf': text }));
  workspace.settings = { now: FIXTURE_NOW, flavor };
  workspace.setCandidates(['/etc/nginx/nginx.conf']);
  return workspace.analysisFor('/etc/nginx/nginx.conf').findings
    .filter((f) => f.code === 'directive-module-missing')
    .map((f) => `${text.slice(f.start, f.end)}: ${f.message}`);
}

test('flavor nginx: Lua, echo and NGINX Plus directives each name what they need, none is unknown', () => {
  const found = missing('nginx');
  assert.deepEqual(found.map((f) => f.split(':')[0]), ['ntlm', 'content_by_lua_block', 'echo', 'api']);
  assert.match(found[1], /needs the lua module, which OpenResty builds in and nginx does not: /);
  assert.match(found[1], /load it with "load_module modules\/ngx_http_lua_module\.so;"$/);
  assert.match(found[0], /"ntlm" needs NGINX Plus \(nginx-ls\.nginx\.flavor is "nginx"\)/);
});

test('flavor nginx: Lua in a stream block needs ngx_stream_lua_module, and loading the http one is not enough', () => {
  const stream = 'stream { server { listen 9001; content_by_lua_block { ngx.say("hi") } } }\n';
  /** The module file each content_by_lua_block (the stream one first, then CONFIG's) is told to load. */
  const filesAsked = (loads) => missing('nginx', loads + stream).filter((f) => f.startsWith('content_by_lua_block'))
    .map((f) => /load_module modules\/(\w+)\.so;/.exec(f)?.[1]);
  assert.deepEqual(filesAsked(''), ['ngx_stream_lua_module', 'ngx_http_lua_module']);
  assert.deepEqual(filesAsked('load_module modules/ngx_http_lua_module.so;\n'), ['ngx_stream_lua_module']);
  assert.deepEqual(filesAsked('load_module modules/ngx_stream_lua_module.so;\n'), ['ngx_http_lua_module']);
});

test('flavor openresty: its bundled modules are built in, NGINX Plus directives are not', () => {
  assert.deepEqual(missing('openresty').map((f) => f.split(':')[0]), ['ntlm', 'api']);
});

test('flavor plus: NGINX Plus directives are built in; OpenResty modules need load_module, and a load_module line is enough', () => {
  assert.deepEqual(missing('plus').map((f) => f.split(':')[0]), ['content_by_lua_block', 'echo']);
  const loaded = 'load_module modules/ngx_http_lua_module.so;\nload_module modules/ngx_http_echo_module.so;\n';
  assert.deepEqual(missing('plus', loaded), []);
});

test('flavor plus: what NGINX Plus had before open-source nginx (upstream resolve) is no error for an older target', () => {
  const text = 'events {}\nhttp {\n    upstream app { zone app 64k; resolver 127.0.0.1; server app.internal resolve; }\n'
    + '    server { listen 8080; location / { proxy_pass http://app; } }\n}\n';
  const versionFindings = (flavor) => {
    const workspace = new service.ConfigWorkspace(service.memoryHost({ '/etc/nginx/nginx.conf': text }));
    workspace.settings = { now: FIXTURE_NOW, flavor, nginxVersion: '1.22' };
    workspace.setCandidates(['/etc/nginx/nginx.conf']);
    return workspace.analysisFor('/etc/nginx/nginx.conf').findings.filter((f) => f.code === 'directive-version')
      .map((f) => text.slice(f.start, f.end));
  };
  assert.deepEqual(versionFindings('nginx'), ['resolver', 'resolve']);
  assert.deepEqual(versionFindings('plus'), []);
});

test('flavor auto: Lua makes it OpenResty, Plus directives make it NGINX Plus; so here nothing is missing', () => {
  assert.deepEqual(missing('auto'), []);
  assert.deepEqual(missing(undefined), []);
});

test('the setting nginx-ls.nginx.flavor reaches the analysis; an unknown value is auto', async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nginx-ls-flavor-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nginx.conf');
  const text = 'events {}\nhttp { server { listen 8080; location / { echo "hi"; } } }\n';
  writeFileSync(file, text);
  const codesWith = async (flavor) => {
    const client = await LspClient.start(serverJs, {
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: {} }, rootPath: dir,
      initializationOptions: { nginx: { flavor } },
    });
    t.after(() => client.close());
    const uri = client.open(file, text);
    const report = await client.request('textDocument/diagnostic', { textDocument: { uri } });
    return report.items.map((d) => d.code);
  };
  assert.deepEqual(await codesWith('openresty'), []);
  assert.deepEqual(await codesWith('OpenResty'), ['directive-module-missing']);
});

test('the CLI: --flavor picks the flavor; an unknown one is a usage error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-ls-flavor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, 'events {}\nhttp { server { listen 8080; location / { echo "hi"; } } }\n');
  const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', 'check', '--format', 'json', ...args, file], { encoding: 'utf8' });
  const codes = (run) => JSON.parse(run.stdout).flatMap((f) => f.diagnostics ?? [f]).map((d) => d.code);
  assert.ok(codes(cli()).includes('directive-module-missing'));
  assert.ok(!codes(cli('--flavor', 'openresty')).includes('directive-module-missing'));
  const wrong = cli('--flavor=tengine');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /unknown --flavor "tengine"/);
});
