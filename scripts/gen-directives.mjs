// Regenerates server/src/service/nginx/data/directives.json from the directive tables in ../shared/data
// (facts extracted from the nginx source and from nginx-go-crossplane's tables). Run by hand when
// the tables change; the output is committed so the extension ships without ../shared.
import { readFileSync, writeFileSync } from 'node:fs';

const dataDir = process.argv[2] ?? '../shared/data';
const source = JSON.parse(readFileSync(`${dataDir}/nginx-source-directives.json`, 'utf8'));
const tables = JSON.parse(readFileSync(`${dataDir}/crossplane-directive-tables.json`, 'utf8'));

const out = {};
/**
 * Every `*_by_lua_block` in the shape of ngx_lua's C source: a block (NGX_CONF_BLOCK) whose arguments
 * are those before the Lua body (`set_by_lua_block $var { … }` takes one). Crossplane's tables count
 * the body as an argument for the older ones and follow the C source for the newer ones
 * (precontent_by_lua_block, proxy_ssl_*_by_lua_block): one shape for all of them.
 */
function luaBlockShape(name, v) {
  if (!name.endsWith('_by_lua_block') || v.block) return v;
  const fewer = (spec) => (spec.endsWith('+') ? `${Math.max(0, Number(spec.slice(0, -1)) - 1)}+` : String(Number(spec) - 1));
  return { ...v, args: v.args.map(fewer), block: true };
}
const add = (name, variant, origin) => {
  const list = (out[name] ??= []);
  const entry = { c: variant.contexts, a: variant.args, b: variant.block ? 1 : 0, s: origin };
  if (!list.some((e) => JSON.stringify(e.c) === JSON.stringify(entry.c) && e.a.join() === entry.a.join())) list.push(entry);
};

for (const d of source) add(d.name, d, 'nginx');
const fromNginxSource = new Set(Object.keys(out));
const extra = [
  ['ossLatestDirectives', 'nginx'],
  ['nginxPlusLatestDirectives', 'nginx-plus'],
  ['luaDirectives', 'lua'],
  ['njsDirectives', 'njs'],
  ['headersMoreDirectives', 'headers-more'],
  ['geoip2Directives', 'geoip2'],
  ['otelDirectives', 'otel'],
];
for (const [table, origin] of extra) {
  for (const [name, variants] of Object.entries(tables[table])) {
    // nginx-source entries are authoritative; NGINX Plus may add variants (more arguments, contexts).
    if (fromNginxSource.has(name) && origin !== 'nginx-plus') continue;
    for (const v of variants) if (v.contexts.length > 0) add(name, luaBlockShape(name, v), origin);
  }
}
// OpenResty's other bundled modules, from openresty.json (scripts/gen-openresty.mjs); the origin is the
// module's name. stream-lua's directives are the stream variants of the lua module's (content_by_lua_block
// in a stream server), added beside the http ones crossplane's tables give.
const openresty = JSON.parse(readFileSync('server/src/service/nginx/data/openresty.json', 'utf8'));
for (const [module, { directives }] of Object.entries(openresty)) {
  const streamLua = module === 'stream-lua';
  for (const [name, v] of Object.entries(directives)) {
    if (streamLua ? fromNginxSource.has(name) : out[name]) continue;
    add(name, { contexts: v.c, args: v.a, block: v.b === 1 }, streamLua ? 'lua' : module);
  }
}
// Removed from nginx but still found in real configs (and accepted, with a warning, by older releases).
const removed = { ssl: { contexts: ['http', 'http>server', 'mail', 'mail>server'], args: ['flag'], block: false } };
for (const [name, v] of Object.entries(removed)) (out[name] ??= []).unshift({ c: v.contexts, a: v.args, b: 0, s: 'removed' });
// ngx_brotli: common enough in real configs that flagging it would be noise.
const brotliContexts = ['http', 'http>server', 'http>location'];
for (const [name, args] of Object.entries({
  brotli: ['flag'], brotli_static: ['1'], brotli_comp_level: ['1'], brotli_types: ['1+'], brotli_buffers: ['2'], brotli_window: ['1'],
  brotli_min_length: ['1']
})) {
  out[name] ??= [{ c: brotliContexts, a: args, b: 0, s: 'brotli' }];
}
// NGINX App Protect WAF (F5, commercial): common in NGINX Plus configs.
const appProtect = { app_protect_enable: ['flag'], app_protect_policy_file: ['1'], app_protect_security_log_enable: ['flag'],
  app_protect_security_log: ['1', '2'], app_protect_custom_log_attribute: ['2'] };
for (const [name, args] of Object.entries(appProtect))
  out[name] ??= [{ c: ['http', 'http>server', 'http>location'], a: args, b: 0, s: 'nginx-plus' }];
out.app_protect_enforcer_address ??= [{ c: ['http'], a: ['1'], b: 0, s: 'nginx-plus' }];
for (const name of ['app_protect_physical_memory_util_thresholds', 'app_protect_cpu_thresholds', 'app_protect_failure_mode_action',
  'app_protect_cookie_seed',
  'app_protect_compressed_requests_action', 'app_protect_request_buffer_overflow_action', 'app_protect_user_defined_signatures',
  'app_protect_reconnect_period_seconds']) {
  out[name] ??= [{ c: ['http'], a: ['1+'], b: 0, s: 'nginx-plus' }];
}
// nginx-upload-progress (Debian's libnginx-mod-http-uploadprogress), as Debian's nginx 1.22 with the
// module loaded accepts it: contexts and argument counts probed with `nginx -t`. track_uploads is
// accepted only in a location with a proxy_pass or fastcgi_pass before it.
const everywhere = ['http', 'http>server', 'http>location'];
const uploadProgress = {
  upload_progress: [['http'], ['2']], track_uploads: [['http>location'], ['2']], report_uploads: [everywhere, ['1']],
  upload_progress_content_type: [everywhere, ['1']], upload_progress_header: [everywhere, ['1']],
  upload_progress_jsonp_parameter: [everywhere, ['1']], upload_progress_template: [everywhere, ['2']],
  upload_progress_java_output: [everywhere, ['0']], upload_progress_json_output: [everywhere, ['0']],
  upload_progress_jsonp_output: [everywhere, ['0']],
};
for (const [name, [contexts, args]] of Object.entries(uploadProgress)) out[name] ??= [{ c: contexts, a: args, b: 0, s: 'upload-progress' }];
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
writeFileSync('server/src/service/nginx/data/directives.json', JSON.stringify(sorted) + '\n');

// The dynamic modules whose directives the table holds, by the name of the file `load_module` loads.
// A loaded module that is not here is one nginx-ls knows nothing about (see unknownModuleStem).
const modules = new Set(source.map((d) => d.module_file.split('/').pop().replace(/\.c$/, '')));
for (const name of [
  'ngx_stream_module', 'ngx_mail_module', // each bundles its module family into one .so
  'ngx_http_lua_module', 'ngx_stream_lua_module', 'ndk_http_module', 'ngx_http_js_module', 'ngx_stream_js_module',
  'ngx_http_headers_more_filter_module', 'ngx_http_geoip2_module', 'ngx_stream_geoip2_module', 'ngx_otel_module',
  'ngx_http_brotli_filter_module', 'ngx_http_brotli_static_module', 'ngx_http_uploadprogress_module',
  'ngx_http_app_protect_module', 'ngx_http_echo_module', 'ngx_http_memc_module', 'ngx_http_srcache_filter_module',
  'ngx_http_set_misc_module', 'ngx_http_redis2_module', 'ngx_http_drizzle_module', 'ngx_http_rds_json_filter_module',
  'ngx_http_rds_csv_filter_module', 'ngx_http_xss_filter_module', 'ngx_coolkit_module', 'ngx_http_form_input_module',
  'ngx_http_encrypted_session_module', 'ngx_http_array_var_module', 'ngx_http_redis_module',
]) modules.add(name);
writeFileSync('server/src/service/nginx/data/modules.json', JSON.stringify([...modules].sort()) + '\n');
console.log(`${Object.keys(sorted).length} directives`);
