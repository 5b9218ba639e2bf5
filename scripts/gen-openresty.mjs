// Regenerates server/src/service/nginx/data/openresty.json: the directives (contexts, argument counts,
// block or not) and variables of the modules the OpenResty bundle builds in besides ngx_lua, read from
// their C sources: the ngx_command_t tables and the ngx_http_variable_t tables. Debian packages the
// sources of echo, srcache, set-misc and ndk (`apt-get source libnginx-mod-http-echo
// libnginx-mod-http-srcache-filter libnginx-mod-http-set-misc libnginx-mod-http-ndk`); the modules
// Debian does not package (memc, redis2, drizzle, rds-json) are written below from their documented
// directives. gen-directives.mjs and gen-variables.mjs merge this file into the tables the service loads.
//
//   node scripts/gen-openresty.mjs /tmp/src/libnginx-mod-http-echo-0.63 /tmp/src/set-misc-nginx-module-0.33 …
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The C files under a folder (its src/ when it has one), examples and tests left out. */
function cFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!['t', 'examples', 'objs', 'test', 'debian'].includes(entry)) out.push(...cFiles(path));
    } else if (entry.endsWith('.c')) out.push(path);
  }
  return out;
}

const CONTEXT_FLAGS = {
  NGX_MAIN_CONF: 'main', NGX_DIRECT_CONF: 'direct', NGX_EVENT_CONF: 'events',
  NGX_HTTP_MAIN_CONF: 'http', NGX_HTTP_SRV_CONF: 'http>server', NGX_HTTP_LOC_CONF: 'http>location',
  NGX_HTTP_UPS_CONF: 'http>upstream', NGX_HTTP_SIF_CONF: 'http>server>if', NGX_HTTP_LIF_CONF: 'http>location>if',
  NGX_HTTP_LMT_CONF: 'http>location>limit_except',
  NGX_STREAM_MAIN_CONF: 'stream', NGX_STREAM_SRV_CONF: 'stream>server', NGX_STREAM_UPS_CONF: 'stream>upstream',
};
const ARG_FLAGS = {
  NGX_CONF_NOARGS: ['0'], NGX_CONF_TAKE1: ['1'], NGX_CONF_TAKE2: ['2'], NGX_CONF_TAKE3: ['3'], NGX_CONF_TAKE4: ['4'],
  NGX_CONF_TAKE5: ['5'], NGX_CONF_TAKE6: ['6'], NGX_CONF_TAKE7: ['7'], NGX_CONF_TAKE12: ['1', '2'], NGX_CONF_TAKE13: ['1', '3'],
  NGX_CONF_TAKE23: ['2', '3'], NGX_CONF_TAKE123: ['1', '2', '3'], NGX_CONF_TAKE1234: ['1', '2', '3', '4'],
  NGX_CONF_1MORE: ['1+'], NGX_CONF_2MORE: ['2+'], NGX_CONF_ANY: ['any'], NGX_CONF_FLAG: ['flag'],
};

/** Every `{ ngx_string("name"), FLAGS, …` entry of the ngx_command_t arrays of a C file. */
function commandsOf(text) {
  const out = [];
  for (const array of text.matchAll(/ngx_command_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)ngx_null_command/g)) {
    for (const m of array[1].matchAll(/\{\s*ngx_string\s*\(\s*"([^"]+)"\s*\)\s*,\s*([A-Z0-9_|\s]+?)\s*,/g)) {
      const flags = m[2].split('|').map((f) => f.trim());
      const contexts = flags.filter((f) => CONTEXT_FLAGS[f]).map((f) => CONTEXT_FLAGS[f]);
      const args = [...new Set(flags.flatMap((f) => ARG_FLAGS[f] ?? []))];
      const unknown = flags.filter((f) => !CONTEXT_FLAGS[f] && !ARG_FLAGS[f] && f !== 'NGX_CONF_BLOCK');
      if (unknown.length) throw new Error(`${m[1]}: unknown flags ${unknown.join(', ')}`);
      out.push({ name: m[1], contexts, args: args.length ? args : ['0'], block: flags.includes('NGX_CONF_BLOCK') });
    }
  }
  return out;
}

/** Every `{ ngx_string("name"), …` entry of the ngx_http_variable_t arrays of a C file. */
function variablesOf(text) {
  const out = [];
  for (const array of text.matchAll(/ngx_(?:http|stream)_variable_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)\n\};/g)) {
    for (const m of array[1].matchAll(/\{\s*ngx_string\s*\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  }
  return out;
}

/** The module a source folder holds, by the name OpenResty's bundle gives it. */
function moduleName(dir) {
  const base = dir.replace(/\/+$/, '').split('/').pop();
  for (const [pattern, name] of [[/echo/, 'echo'], [/srcache/, 'srcache'], [/set-misc/, 'set-misc'], [/devel_kit|ndk/, 'ndk'],
    [/memc/, 'memc'], [/redis2/, 'redis2'], [/drizzle/, 'drizzle'], [/rds-json/, 'rds-json']]) {
    if (pattern.test(base)) return name;
  }
  throw new Error(`which module is ${dir}?`);
}

const modules = {};
for (const dir of process.argv.slice(2)) {
  const module = (modules[moduleName(dir)] = { directives: {}, variables: [] });
  for (const file of cFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const c of commandsOf(text)) module.directives[c.name] = { c: c.contexts, a: c.args, b: c.block ? 1 : 0 };
    module.variables.push(...variablesOf(text));
  }
}

// Not packaged by Debian: written from each module's README (the "Directives" and "Variables"
// sections) as shipped in the OpenResty bundle. H = http, S = server, L = location, I = if in location.
const H = 'http', S = 'http>server', L = 'http>location', I = 'http>location>if', U = 'http>upstream';
const documented = {
  // openresty/memc-nginx-module 0.19 README
  memc: {
    directives: {
      memc_pass: [[L, I], ['1']], memc_cmds_allowed: [[H, S, L, I], ['1+']], memc_flags_to_last_modified: [[H, S, L, I], ['flag']],
      memc_connect_timeout: [[H, S, L], ['1']], memc_send_timeout: [[H, S, L], ['1']], memc_read_timeout: [[H, S, L], ['1']],
      memc_buffer_size: [[H, S, L], ['1']], memc_ignore_client_abort: [[H, S, L], ['flag']],
      memc_upstream_max_fails: [[H, S, L], ['1']], memc_upstream_fail_timeout: [[H, S, L], ['1']],
      memc_next_upstream: [[H, S, L], ['1+']],
    },
    variables: ['memc_cmd', 'memc_key', 'memc_value', 'memc_flags', 'memc_exptime', 'memc_usage'],
  },
  // openresty/redis2-nginx-module 0.15 README
  redis2: {
    directives: {
      redis2_query: [[L, I], ['1+']], redis2_raw_query: [[L, I], ['1']], redis2_raw_queries: [[L, I], ['2']],
      redis2_literal_raw_query: [[L, I], ['1']], redis2_pass: [[L, I], ['1']], redis2_connect_timeout: [[H, S, L], ['1']],
      redis2_send_timeout: [[H, S, L], ['1']], redis2_read_timeout: [[H, S, L], ['1']], redis2_buffer_size: [[H, S, L], ['1']],
      redis2_next_upstream: [[H, S, L], ['1+']],
    },
    variables: [],
  },
  // openresty/drizzle-nginx-module 0.1.12 README (in the bundle, built with --with-http_drizzle_module)
  drizzle: {
    directives: {
      drizzle_server: [[U], ['1+']], drizzle_keepalive: [[U], ['1+']], drizzle_query: [[H, S, L, I], ['1+']],
      drizzle_pass: [[L, I], ['1']], drizzle_dbname: [[H, S, L, I], ['1']], drizzle_connect_timeout: [[H, S, L], ['1']],
      drizzle_send_query_timeout: [[H, S, L], ['1']], drizzle_recv_cols_timeout: [[H, S, L], ['1']],
      drizzle_recv_rows_timeout: [[H, S, L], ['1']], drizzle_buffer_size: [[H, S, L], ['1']], drizzle_module_header: [[H, S, L], ['flag']],
      drizzle_status: [[L, I], ['0']],
    },
    variables: ['drizzle_thread_id'],
  },
  // openresty/rds-json-nginx-module 0.15 README
  'rds-json': {
    directives: {
      rds_json: [[H, S, L, I], ['flag']], rds_json_buffer_size: [[H, S, L, I], ['1']], rds_json_format: [[H, S, L, I], ['1']],
      rds_json_root: [[H, S, L, I], ['1']], rds_json_success_property: [[H, S, L, I], ['1']],
      rds_json_user_property: [[H, S, L, I], ['2']], rds_json_errcode_key: [[H, S, L, I], ['1']],
      rds_json_errstr_key: [[H, S, L, I], ['1']], rds_json_ret: [[L, I], ['1', '2']], rds_json_content_type: [[H, S, L, I], ['1']],
    },
    variables: [],
  },
};
for (const [name, { directives, variables }] of Object.entries(documented)) {
  if (modules[name]) continue; // a source folder given on the command line wins
  modules[name] = {
    directives: Object.fromEntries(Object.entries(directives).map(([d, [c, a]]) => [d, { c, a, b: 0 }])),
    variables,
  };
}
const sorted = Object.fromEntries(Object.keys(modules).sort().map((name) => [name, {
  directives: Object.fromEntries(Object.keys(modules[name].directives).sort().map((d) => [d, modules[name].directives[d]])),
  variables: [...new Set(modules[name].variables)].sort(),
}]));
writeFileSync('server/src/service/nginx/data/openresty.json', JSON.stringify(sorted, null, 1) + '\n');
for (const [name, m] of Object.entries(sorted)) {
  console.log(`${name}: ${Object.keys(m.directives).length} directives, ${m.variables.length} variables`);
}
