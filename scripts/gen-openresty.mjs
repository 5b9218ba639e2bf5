// Regenerates server/src/service/nginx/data/openresty.json: the directives (contexts, argument counts,
// block or not) and variables of the modules the OpenResty bundle builds in besides ngx_lua's http
// half, read from their C sources: the ngx_command_t tables, the ngx_http_variable_t tables and the
// names given to ngx_http_add_variable. gen-directives.mjs and gen-variables.mjs merge this file into
// the tables the service loads.
//
// Which modules: openresty/openresty util/configure (commit 29b901d4cd9b796a53d3e06a24d09779b7396c55)
// builds ndk, echo, xss, coolkit, set-misc, form-input, encrypted-session, srcache, lua, lua-upstream,
// headers-more, array-var, memc, redis2, redis, rds-json, rds-csv and stream-lua by default; iconv,
// drizzle and postgres only when configured --with-…_module. The versions bundled are those of
// util/mirror-tarballs (commit 14f7dcb0b96e79634d52c41966050ccee5588788): echo 0.63, xss 0.06,
// set-misc 0.33, rds-json 0.17, rds-csv 0.09, drizzle 0.1.12, ngx_lua 0.10.28, stream-lua 0.0.16,
// array-var 0.06, memc 0.20, srcache 0.33, form-input 0.12, encrypted-session 0.09, redis 0.3.9,
// coolkit 0.2, redis2 0.15. ngx_lua's http directives come from crossplane's tables (gen-directives.mjs);
// headers-more from crossplane's as well; lua-upstream has no directives; iconv and postgres are left out.
//
// Sources. Debian packages echo, srcache and set-misc at the bundle's versions: read them from a folder
// given on the command line (`apt-get source libnginx-mod-http-echo libnginx-mod-http-srcache-filter
// libnginx-mod-http-set-misc`, Debian 12: echo 0.63, srcache-filter 0.33, set-misc 0.33). The other
// modules are transcribed below from their C sources as stored in the public code index (repository,
// path and commit named with each); their flags are written as in the C source, without the NGX_ prefix,
// and go through the same reading as a source folder. A source folder given for a transcribed module
// wins, and the differences from the transcription are printed, so a transcription can be checked again.
//
//   node scripts/gen-openresty.mjs /tmp/src/libnginx-mod-http-echo-0.63 \
//     /tmp/src/libnginx-mod-http-srcache-filter-0.33 /tmp/src/set-misc-nginx-module-0.33
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

/** A directive's entry from its flags as the C source ORs them (`NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1`). */
function entryOf(name, flagText) {
  const flags = flagText.split('|').map((f) => f.trim());
  const contexts = flags.filter((f) => CONTEXT_FLAGS[f]).map((f) => CONTEXT_FLAGS[f]);
  const args = [...new Set(flags.flatMap((f) => ARG_FLAGS[f] ?? []))];
  const unknown = flags.filter((f) => !CONTEXT_FLAGS[f] && !ARG_FLAGS[f] && f !== 'NGX_CONF_BLOCK');
  if (unknown.length) throw new Error(`${name}: unknown flags ${unknown.join(', ')}`);
  return { c: contexts, a: args.length ? args : ['0'], b: flags.includes('NGX_CONF_BLOCK') ? 1 : 0 };
}

/** Every `{ ngx_string("name"), FLAGS, …` entry of the ngx_command_t arrays of a C file. */
function commandsOf(text) {
  const out = {};
  for (const array of text.matchAll(/ngx_command_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)ngx_null_command/g)) {
    for (const m of array[1].matchAll(/\{\s*ngx_string\s*\(\s*"([^"]+)"\s*\)\s*,\s*([A-Z0-9_|\s]+?)\s*,/g)) {
      out[m[1]] = entryOf(m[1], m[2]);
    }
  }
  return out;
}

/**
 * The variables a C file defines: the entries of its ngx_http_variable_t arrays, and the names of
 * `static ngx_str_t x = ngx_string("name")` that it hands to an add_variable function (memc's
 * $memc_key, redis's $redis_key: registered one by one rather than from a table).
 */
function variablesOf(text) {
  const out = [];
  for (const array of text.matchAll(/ngx_(?:http|stream)_variable_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)\n\};/g)) {
    for (const m of array[1].matchAll(/\{\s*ngx_string\s*\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  }
  const strings = new Map([...text.matchAll(/static\s+ngx_str_t\s+(\w+)\s*=\s*ngx_string\s*\(\s*"([^"]+)"\s*\)/g)]
    .map((m) => [m[1], m[2]]));
  for (const m of text.matchAll(/\w*add_variable\s*\(\s*cf\s*,\s*&(\w+)/g)) {
    if (strings.has(m[1])) out.push(strings.get(m[1]));
  }
  return out;
}

/** The module a source folder holds, by the name OpenResty's bundle gives it. */
function moduleName(dir) {
  const base = dir.replace(/\/+$/, '').split('/').pop();
  for (const [pattern, name] of [[/stream-lua|stream_lua/, 'stream-lua'], [/echo/, 'echo'], [/srcache/, 'srcache'],
    [/set-misc/, 'set-misc'], [/memc/, 'memc'], [/redis2/, 'redis2'], [/redis/, 'redis'], [/drizzle/, 'drizzle'],
    [/rds-json/, 'rds-json'], [/rds-csv/, 'rds-csv'], [/xss/, 'xss'], [/coolkit/, 'coolkit'], [/form-input/, 'form-input'],
    [/encrypted-session/, 'encrypted-session'], [/array-var/, 'array-var']]) {
    if (pattern.test(base)) return name;
  }
  throw new Error(`which module is ${dir}?`);
}

// Transcribed from the C sources: each directive's name and its flags as the ngx_command_t entry ORs
// them (the NGX_ prefix left out), and the variables the module defines. Where the index named no commit
// for the version read (a version found by its text), the file is named without one.
const H = 'HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_LOC_CONF';
const transcribed = {
  // openresty/memc-nginx-module src/ngx_http_memc_module.c (the stored version with
  // memc_ignore_client_abort and a main configuration, as in v0.20) and src/ngx_http_memc_handler.c
  // (commit 66de925b7da5931badf24c7e675e2ee62c697069: $memc_flags_as_http_time in its
  // ngx_http_variable_t table; $memc_key, $memc_cmd, $memc_flags, $memc_exptime, $memc_value through
  // ngx_http_memc_add_variable).
  memc: {
    commands: `
      memc_cmds_allowed             ${H}|HTTP_LIF_CONF|CONF_1MORE
      memc_pass                     HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      memc_connect_timeout          ${H}|CONF_TAKE1
      memc_send_timeout             ${H}|CONF_TAKE1
      memc_read_timeout             ${H}|CONF_TAKE1
      memc_buffer_size              ${H}|CONF_TAKE1
      memc_next_upstream            ${H}|CONF_1MORE
      memc_upstream_max_fails       ${H}|CONF_TAKE1
      memc_upstream_fail_timeout    ${H}|CONF_TAKE1
      memc_flags_to_last_modified   HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_FLAG
      memc_ignore_client_abort      HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_FLAG`,
    variables: ['memc_flags_as_http_time', 'memc_key', 'memc_cmd', 'memc_flags', 'memc_exptime', 'memc_value'],
  },
  // openresty/redis2-nginx-module src/ngx_http_redis2_module.c, commit 4b7ff9bdf669d487efd32ac3d06d3ee981f5a2f6.
  redis2: {
    commands: `
      redis2_query                  HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_1MORE
      redis2_raw_query              HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      redis2_raw_queries            HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE2
      redis2_literal_raw_query      HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      redis2_pass                   HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      redis2_bind                   ${H}|CONF_TAKE1
      redis2_connect_timeout        ${H}|CONF_TAKE1
      redis2_send_timeout           ${H}|CONF_TAKE1
      redis2_buffer_size            ${H}|CONF_TAKE1
      redis2_read_timeout           ${H}|CONF_TAKE1
      redis2_next_upstream          ${H}|CONF_1MORE`,
    variables: [],
  },
  // openresty/drizzle-nginx-module src/ngx_http_drizzle_module.c, commit cb6ea13d6f3c9e0090c2b3f1a77686a45359756f.
  drizzle: {
    commands: `
      drizzle_server                HTTP_UPS_CONF|CONF_1MORE
      drizzle_keepalive             HTTP_UPS_CONF|CONF_1MORE
      drizzle_query                 ${H}|HTTP_LIF_CONF|CONF_1MORE
      drizzle_dbname                ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_pass                  HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_connect_timeout       ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_send_query_timeout    ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_recv_cols_timeout     ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_recv_rows_timeout     ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_module_header         ${H}|HTTP_LIF_CONF|CONF_FLAG
      drizzle_buffer_size           ${H}|HTTP_LIF_CONF|CONF_TAKE1
      drizzle_status                HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_NOARGS`,
    variables: ['drizzle_thread_id'],
  },
  // openresty/rds-json-nginx-module src/ngx_http_rds_json_filter_module.c, commit 6b10a63f53e34c3e4566e8b6b7cc9e89daf3085f.
  'rds-json': {
    commands: `
      rds_json                      ${H}|HTTP_LIF_CONF|CONF_FLAG
      rds_json_root                 ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_success_property     ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_user_property        ${H}|HTTP_LIF_CONF|CONF_TAKE2
      rds_json_errcode_key          ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_errstr_key           ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_format               ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_content_type         ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_json_ret                  HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_2MORE
      rds_json_buffer_size          ${H}|HTTP_LIF_CONF|CONF_TAKE1`,
    variables: [],
  },
  // openresty/rds-csv-nginx-module src/ngx_http_rds_csv_filter_module.c, commit 10d22b51b8c558e837187889551c2c79c3863221.
  'rds-csv': {
    commands: `
      rds_csv                       ${H}|HTTP_LIF_CONF|CONF_FLAG
      rds_csv_row_terminator        ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_csv_field_separator       ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_csv_field_name_header     ${H}|HTTP_LIF_CONF|CONF_FLAG
      rds_csv_content_type          ${H}|HTTP_LIF_CONF|CONF_TAKE1
      rds_csv_buffer_size           ${H}|HTTP_LIF_CONF|CONF_TAKE1`,
    variables: [],
  },
  // openresty/xss-nginx-module src/ngx_http_xss_filter_module.c (the stored version with xss_get; the
  // commit the index names, beb9390a6ec6ac3b7ef3ae8a5f4428a05cd840b3, is an early copy of the addition filter).
  xss: {
    commands: `
      xss_get                       ${H}|HTTP_LIF_CONF|CONF_FLAG
      xss_callback_arg              ${H}|HTTP_LIF_CONF|CONF_TAKE1
      xss_input_types               ${H}|CONF_1MORE|HTTP_LIF_CONF
      xss_check_status              ${H}|CONF_FLAG|HTTP_LIF_CONF
      xss_override_status           ${H}|CONF_FLAG|HTTP_LIF_CONF
      xss_output_type               ${H}|CONF_1MORE|HTTP_LIF_CONF`,
    variables: [],
  },
  // FRiCKLE/ngx_coolkit src/ngx_coolkit_module.c, commit 87f0b6bf744c7ca140c6938941f69d44083309e5
  // ($remote_passwd in its table), and src/ngx_coolkit_variables.c, commit
  // 3775c609bc1209c92d1b140271865a96e2c1126a, a later commit that adds the handler of $location (that
  // commit's module.c, which would register it, is not stored: $location is taken from the handler).
  coolkit: {
    commands: `
      override_method               ${H}|CONF_1MORE`,
    variables: ['remote_passwd', 'location'],
  },
  // calio/form-input-nginx-module src/ngx_http_form_input_module.c, commit 09cdd62b4e892e9c284f049be89b7311430d58bc.
  'form-input': {
    commands: `
      set_form_input                ${H}|CONF_TAKE12
      set_form_input_multi          ${H}|CONF_TAKE12`,
    variables: [],
  },
  // openresty/encrypted-session-nginx-module src/ngx_http_encrypted_session_module.c,
  // commit ee7a99439b41dc4648a452367eda974c95de1fe4.
  'encrypted-session': {
    commands: `
      encrypted_session_key         HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      encrypted_session_iv          HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      encrypted_session_expires     HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      set_encrypt_session           HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE12
      set_decrypt_session           HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE12`,
    variables: [],
  },
  // openresty/array-var-nginx-module src/ngx_http_array_var_module.c, commit 1ea5a69d24735add570974ee31055932de232e0f
  // ($array_it through ngx_http_array_var_add_variable).
  'array-var': {
    commands: `
      array_split                   HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_2MORE
      array_map                     HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE23
      array_map_op                  HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE23
      array_join                    HTTP_MAIN_CONF|HTTP_SRV_CONF|HTTP_SIF_CONF|HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE23`,
    variables: ['array_it'],
  },
  // ngx_http_redis 0.3.x (Sergey A. Osokin; OpenResty bundles 0.3.9 with its variables_in_redis_pass patch):
  // ngx_http_redis_module.c as stored in the index (no repository or commit named), $redis_key and
  // $redis_db added in its preconfiguration.
  redis: {
    commands: `
      redis_pass                    HTTP_LOC_CONF|HTTP_LIF_CONF|CONF_TAKE1
      redis_bind                    ${H}|CONF_TAKE1
      redis_connect_timeout         ${H}|CONF_TAKE1
      redis_send_timeout            ${H}|CONF_TAKE1
      redis_buffer_size             ${H}|CONF_TAKE1
      redis_read_timeout            ${H}|CONF_TAKE1
      redis_next_upstream           ${H}|CONF_1MORE
      redis_gzip_flag               ${H}|CONF_TAKE1`,
    variables: ['redis_key', 'redis_db'],
  },
  // openresty/stream-lua-nginx-module src/ngx_stream_lua_module.c, commit cd2424192fd6c14054b14762bcbe39b6164322f6
  // (with proxy_ssl_certificate_by_lua*, newer than the bundle's 0.0.16). gen-directives.mjs adds these as
  // the stream variants of the lua module's directives.
  'stream-lua': {
    commands: `
      lua_load_resty_core                       STREAM_MAIN_CONF|CONF_FLAG
      lua_max_running_timers                    STREAM_MAIN_CONF|CONF_TAKE1
      lua_max_pending_timers                    STREAM_MAIN_CONF|CONF_TAKE1
      lua_shared_dict                           STREAM_MAIN_CONF|CONF_TAKE2
      lua_sa_restart                            STREAM_MAIN_CONF|CONF_FLAG
      lua_capture_error_log                     STREAM_MAIN_CONF|CONF_TAKE1
      lua_regex_cache_max_entries               STREAM_MAIN_CONF|CONF_TAKE1
      lua_regex_match_limit                     STREAM_MAIN_CONF|CONF_TAKE1
      lua_package_cpath                         STREAM_MAIN_CONF|CONF_TAKE1
      lua_package_path                          STREAM_MAIN_CONF|CONF_TAKE1
      lua_code_cache                            STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_FLAG
      lua_socket_log_errors                     STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_FLAG
      init_by_lua_block                         STREAM_MAIN_CONF|CONF_BLOCK|CONF_NOARGS
      init_by_lua                               STREAM_MAIN_CONF|CONF_TAKE1
      init_by_lua_file                          STREAM_MAIN_CONF|CONF_TAKE1
      init_worker_by_lua_block                  STREAM_MAIN_CONF|CONF_BLOCK|CONF_NOARGS
      init_worker_by_lua                        STREAM_MAIN_CONF|CONF_TAKE1
      init_worker_by_lua_file                   STREAM_MAIN_CONF|CONF_TAKE1
      preread_by_lua_file                       STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      preread_by_lua_block                      STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      content_by_lua                            STREAM_SRV_CONF|CONF_TAKE1
      content_by_lua_block                      STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      content_by_lua_file                       STREAM_SRV_CONF|CONF_TAKE1
      log_by_lua_block                          STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      log_by_lua_file                           STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      preread_by_lua_no_postpone                STREAM_MAIN_CONF|CONF_FLAG
      balancer_by_lua_block                     STREAM_UPS_CONF|CONF_BLOCK|CONF_NOARGS
      balancer_by_lua_file                      STREAM_UPS_CONF|CONF_TAKE1
      lua_socket_keepalive_timeout              STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_connect_timeout                STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_send_timeout                   STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_send_lowat                     STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_buffer_size                    STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_pool_size                      STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_socket_read_timeout                   STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_check_client_abort                    STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_FLAG
      lua_ssl_protocols                         STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_1MORE
      lua_ssl_ciphers                           STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      ssl_client_hello_by_lua_block             STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      ssl_client_hello_by_lua_file              STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      ssl_certificate_by_lua_block              STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      ssl_certificate_by_lua_file               STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      proxy_ssl_certificate_by_lua_block        STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      proxy_ssl_certificate_by_lua_file         STREAM_SRV_CONF|CONF_TAKE1
      proxy_ssl_verify_by_lua_block             STREAM_SRV_CONF|CONF_BLOCK|CONF_NOARGS
      proxy_ssl_verify_by_lua_file              STREAM_SRV_CONF|CONF_TAKE1
      lua_upstream_skip_openssl_default_verify  STREAM_SRV_CONF|CONF_FLAG
      lua_ssl_verify_depth                      STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_certificate                       STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_certificate_key                   STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_trusted_certificate               STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_crl                               STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_key_log                           STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE1
      lua_ssl_conf_command                      STREAM_MAIN_CONF|STREAM_SRV_CONF|CONF_TAKE2
      lua_malloc_trim                           STREAM_MAIN_CONF|CONF_TAKE1
      lua_add_variable                          STREAM_MAIN_CONF|CONF_TAKE1`,
    variables: [],
  },
};

/** A transcription's directives, read as the C source's flags are. */
function transcribedCommands(text) {
  const out = {};
  for (const line of text.trim().split('\n')) {
    const [name, flags] = line.trim().split(/\s+/);
    out[name] = entryOf(name, flags.split('|').map((f) => `NGX_${f}`).join('|'));
  }
  return out;
}

/** What a source folder says that its transcription does not, or the other way round. */
function differences(fromSource, fromTranscription) {
  const lines = [];
  for (const name of new Set([...Object.keys(fromSource), ...Object.keys(fromTranscription)])) {
    const a = JSON.stringify(fromSource[name]), b = JSON.stringify(fromTranscription[name]);
    if (a !== b) lines.push(`  ${name}: source ${a ?? 'none'}, transcribed ${b ?? 'none'}`);
  }
  return lines;
}

const FROM_SOURCE_ONLY = ['echo', 'srcache', 'set-misc'];
const modules = {};
for (const dir of process.argv.slice(2)) {
  const name = moduleName(dir);
  const module = (modules[name] = { directives: {}, variables: [] });
  for (const file of cFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    Object.assign(module.directives, commandsOf(text));
    module.variables.push(...variablesOf(text));
  }
  if (transcribed[name]) {
    const diff = differences(module.directives, transcribedCommands(transcribed[name].commands));
    if (diff.length) console.log(`${name}: ${dir} differs from the transcription:\n${diff.join('\n')}`);
  }
}
const missing = FROM_SOURCE_ONLY.filter((name) => !modules[name]);
if (missing.length) throw new Error(`no source folder given for ${missing.join(', ')} (see the comment at the top)`);
for (const [name, { commands, variables }] of Object.entries(transcribed)) {
  modules[name] ??= { directives: transcribedCommands(commands), variables };
}
const sorted = Object.fromEntries(Object.keys(modules).sort().map((name) => [name, {
  directives: Object.fromEntries(Object.keys(modules[name].directives).sort().map((d) => [d, modules[name].directives[d]])),
  variables: [...new Set(modules[name].variables)].sort(),
}]));
writeFileSync('server/src/service/nginx/data/openresty.json', JSON.stringify(sorted, null, 1) + '\n');
for (const [name, m] of Object.entries(sorted)) {
  console.log(`${name}: ${Object.keys(m.directives).length} directives, ${m.variables.length} variables`);
}
