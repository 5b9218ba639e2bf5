// Tokenizes real nginx lines with the TextMate grammar (vscode-textmate + oniguruma, as VS Code
// does) and checks the scopes of the tokens under a piece of text: one test per construct the parser
// (server/src/service/nginx/syntax.ts) handles. The last tests compare the grammar with the parser
// token by token over every nginx file of the repository (test/lib/grammar.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { disagreements, hasScope as has, loadGrammar, tokenizeWith } from '../lib/grammar.mjs';
import { service } from '../lib/service.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const grammar = await loadGrammar();

/** Tokens of `source` as { line, start, end, text, scopes }. */
const tokenize = (source) => tokenizeWith(grammar, source).tokens;

/** The tokens covering the `nth` occurrence of `needle` in `source` (needle on one line). */
function tokensAt(source, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = source.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `fixture has no occurrence ${nth} of ${JSON.stringify(needle)}`);
  }
  const before = source.slice(0, at).split('\n');
  const line = before.length - 1;
  const col = before[line].length;
  return tokenize(source).filter((t) => t.line === line && t.start < col + needle.length && t.end > col);
}

const show = (ts) => JSON.stringify(ts.map((t) => [t.text, t.scopes.slice(1)]));

function expectScope(source, needle, scope, nth = 0) {
  const ts = tokensAt(source, needle, nth);
  assert.ok(ts.every((t) => has(t.scopes, scope)), `${JSON.stringify(needle)} should be ${scope}: ${show(ts)}`);
}
function expectNoScope(source, needle, scope, nth = 0) {
  const ts = tokensAt(source, needle, nth);
  assert.ok(ts.every((t) => !has(t.scopes, scope)), `${JSON.stringify(needle)} should not be ${scope}: ${show(ts)}`);
}

test('directive names, block names and punctuation', () => {
  const src = 'http {\n    server {\n        listen 443 ssl;\n    }\n}';
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectNoScope(src, 'ssl', 'entity.name.function.directive.nginx');
  expectScope(src, 'http', 'keyword.other.directive.block.nginx');
  expectScope(src, 'server', 'keyword.other.directive.block.nginx');
  expectScope(src, ';', 'punctuation.terminator.nginx');
  expectScope(src, '{', 'punctuation.section.block.begin.nginx');
  expectScope(src, '}', 'punctuation.section.block.end.nginx');
});

test('server inside upstream is a directive, not a block', () => {
  const src = 'upstream app {\n    server 127.0.0.1:8080 weight=5;\n}';
  expectScope(src, 'server', 'entity.name.function.directive.nginx');
  expectScope(src, 'upstream', 'keyword.other.directive.block.nginx');
});

test('arguments on following lines are not directive names', () => {
  const src = "log_format main '$remote_addr'\n                'status';";
  expectNoScope(src, "'status'", 'entity.name.function.directive.nginx');
  expectScope(src, "'status'", 'string.quoted.single.nginx');
});

test('variables: $name and ${name}', () => {
  const src = 'set $a ${host}x;';
  expectScope(src, '$a', 'variable.other.nginx');
  expectScope(src, '${host}', 'variable.other.nginx');
  expectNoScope(src, 'x;', 'variable.other.nginx');
});

test('double-quoted string with a variable and an escape inside', () => {
  const src = 'add_header X-Id "id=$request_id \\"q\\"";';
  expectScope(src, '"id=', 'string.quoted.double.nginx');
  expectScope(src, '$request_id', 'variable.other.nginx');
  expectScope(src, '$request_id', 'string.quoted.double.nginx');
  expectScope(src, '\\"', 'constant.character.escape.nginx');
  expectNoScope(src, ';', 'string.quoted.double.nginx');
});

test('comments at line start and after ;, but not inside a word', () => {
  const src = '# top\nroot /srv; # managed by Certbot\nreturn 200 foo#bar;';
  expectScope(src, '# top', 'comment.line.number-sign.nginx');
  expectScope(src, '# managed by Certbot', 'comment.line.number-sign.nginx');
  expectNoScope(src, '/srv', 'comment.line.number-sign.nginx');
  expectNoScope(src, '#bar', 'comment');
  expectScope(src, 'foo#bar', 'meta.directive.nginx');
  expectScope(src, ';', 'punctuation.terminator.nginx', 1);
});

test('comment right after ; with no space', () => {
  const src = 'root /srv;#note';
  expectScope(src, '#note', 'comment.line.number-sign.nginx');
});

test('magic comment', () => {
  const src = '# nginx-ls: context=http';
  expectScope(src, 'nginx-ls:', 'keyword.other.magic.nginx');
  expectScope(src, 'http', 'constant.other.magic.nginx');
});

test('location modifiers and regexes', () => {
  const src = 'location ~* \\.(png|jpg)$ {\n}\nlocation ^~ /static/ {\n}\nlocation ~"^/a{2}$" {\n}\nlocation = / {\n}';
  expectScope(src, 'location', 'keyword.other.directive.block.nginx');
  expectScope(src, '~*', 'keyword.operator.modifier.nginx');
  expectScope(src, '\\.(png|jpg)$', 'string.regexp.nginx');
  expectNoScope(src, '{', 'string.regexp.nginx');
  expectScope(src, '^~', 'keyword.operator.modifier.nginx');
  expectNoScope(src, '/static/', 'string.regexp.nginx');
  expectScope(src, '"^/a{2}$"', 'string.regexp.nginx');
  expectScope(src, '=', 'keyword.operator.modifier.nginx');
});

test('if conditions: operators, regex with parentheses, file tests', () => {
  const src = 'if ($uri ~ ^/(a|b)$) {\n    return 404;\n}\nif (!-f $request_filename) {\n}\nif ($http_x != "on") {\n}';
  expectScope(src, 'if', 'keyword.control.conditional.nginx');
  expectScope(src, '$uri', 'variable.other.nginx');
  expectScope(src, '~', 'keyword.operator.comparison.nginx');
  expectScope(src, '^/(a|b)$', 'string.regexp.nginx');
  expectNoScope(src, ')', 'punctuation.section.condition.end.nginx', 0); // inside the regex
  expectScope(src, ')', 'punctuation.section.condition.end.nginx', 1);
  expectNoScope(src, ' {', 'meta.condition.nginx');
  expectScope(src, '!-f', 'keyword.operator.comparison.nginx');
  expectScope(src, '!=', 'keyword.operator.comparison.nginx');
  expectScope(src, '"on"', 'string.quoted.double.nginx');
  expectScope(src, 'return', 'entity.name.function.directive.nginx');
});

test('lua block: body is embedded Lua, a } inside a Lua string or comment does not end it', () => {
  const src = [
    'content_by_lua_block {',
    '    local t = { a = "}" }',
    "    ngx.say('}') -- }",
    '    ngx.say([[}]])',
    '}',
    'listen 80;',
  ].join('\n');
  expectScope(src, 'content_by_lua_block', 'keyword.other.directive.block.nginx');
  expectScope(src, 'local', 'meta.embedded.block.lua');
  expectScope(src, '"}"', 'string.quoted.double.lua');
  expectScope(src, ' }', 'meta.embedded.block.lua', 0);
  expectScope(src, 'ngx.say', 'meta.embedded.block.lua', 0);
  expectScope(src, 'ngx.say', 'meta.embedded.block.lua', 1);
  expectScope(src, "'}'", 'string.quoted.single.lua');
  expectScope(src, '-- }', 'comment.line.double-dash.lua');
  expectScope(src, '[[}]]', 'string.quoted.other.multiline.lua');
  expectNoScope(src, '}\nlisten', 'meta.embedded.block.lua');
  expectScope(src, '}\nlisten', 'punctuation.section.block.end.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
});

test('numbers with size and time suffixes, on/off', () => {
  const src = 'client_max_body_size 10m;\nproxy_read_timeout 1h30m;\nbuffer 512k;\ngzip on;\nserver_name on10m;';
  expectScope(src, '10m', 'constant.numeric.nginx');
  expectScope(src, '1h30m', 'constant.numeric.nginx');
  expectScope(src, '512k', 'constant.numeric.nginx');
  expectScope(src, 'on', 'constant.language.boolean.nginx', 0);
  expectNoScope(src, 'on10m', 'constant.language.boolean.nginx');
  expectNoScope(src, 'on10m', 'constant.numeric.nginx');
});

test('map bodies hold keys, not directives', () => {
  const src = 'map $uri $new {\n    default 0;\n    ~^/old/(.*) /new/$1;\n    /exact 1;\n}\nlisten 80;';
  expectScope(src, 'map', 'keyword.other.directive.block.nginx');
  expectScope(src, 'default', 'keyword.other.table.nginx');
  expectScope(src, '^/old/(.*)', 'string.regexp.nginx');
  expectScope(src, '$1', 'variable.other.nginx');
  expectScope(src, '/exact', 'string.unquoted.key.nginx');
  expectNoScope(src, '/exact', 'entity.name.function.directive.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
});

test('rewrite: first argument is a regex', () => {
  const src = 'rewrite ^/a/(.*)$ /b/$1 permanent;';
  expectScope(src, '^/a/(.*)$', 'string.regexp.nginx');
  expectNoScope(src, '/b/', 'string.regexp.nginx');
});

// ---------------------------------------------------------------- every construct of the parser

/**
 * The grammar reads `src` as the parser does: the same comments, strings, terminators, braces,
 * directive names and Lua bodies (test/lib/grammar.mjs), and nothing is left open at the end.
 */
function expectParserAgrees(src) {
  const { parsedCleanly, disagreements: found } = disagreements(grammar, service.parse, src);
  assert.ok(parsedCleanly, 'the fixture is valid nginx syntax');
  assert.deepEqual(found, []);
}

test('# inside quotes, inside a word and after an escaped space is no comment; after a brace it is', () => {
  const src = [
    'add_header X-A "a # b";',
    "add_header X-B '#fff';",
    'return 200 a#b;',
    'location /a\\ #b {}',
    'location /c {}# after a brace',
  ].join('\n');
  expectNoScope(src, '# b', 'comment');
  expectScope(src, '"a # b"', 'string.quoted.double.nginx');
  expectNoScope(src, "'#fff'", 'comment');
  expectNoScope(src, 'a#b', 'comment');
  expectNoScope(src, '#b {}', 'comment');
  expectScope(src, '# after a brace', 'comment.line.number-sign.nginx');
  expectParserAgrees(src);
});

test('quoted strings: escapes in both kinds, a quote inside a word opens nothing, strings span lines', () => {
  const src = [
    "return 200 'it\\'s';",
    'return 200 "tab\\there\\\\";',
    'return 200 a"b;',
    'add_header X-Long "one',
    '    two";',
    'listen 80;',
  ].join('\n');
  expectScope(src, "\\'", 'constant.character.escape.nginx');
  expectScope(src, "'it\\'s'", 'string.quoted.single.nginx');
  expectScope(src, '\\t', 'constant.character.escape.nginx');
  expectScope(src, '\\\\', 'constant.character.escape.nginx');
  expectNoScope(src, '"b;', 'string');
  expectScope(src, ';', 'punctuation.terminator.nginx', 2); // after a"b
  expectScope(src, '    two"', 'string.quoted.double.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('escapes in unquoted words: an escaped ;, { or } neither ends the statement nor opens or closes a block', () => {
  const src = 'return 200 a\\;b;\nlocation /x\\{y\\} {\n}\nlisten 80;';
  expectNoScope(src, '\\;', 'punctuation.terminator.nginx');
  expectScope(src, 'b;', 'meta.directive.nginx');
  expectScope(src, ';', 'punctuation.terminator.nginx', 1);
  expectNoScope(src, '\\{', 'punctuation.section.block');
  expectNoScope(src, '\\}', 'punctuation.section.block');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('a } inside an unquoted word is part of the word, as nginx reads it', () => {
  const src = 'server {\n    return 200 a}b;\n    listen 80;\n}';
  expectNoScope(src, '}b', 'punctuation.section.block.end.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectScope(src, '}', 'punctuation.section.block.end.nginx', 1);
  expectParserAgrees(src);
});

test('variables: $1 captures, ${name} beside text, an unclosed ${ opens no block', () => {
  const src = 'rewrite ^/(.*)$ /x/$1;\nset $a "${host}suffix";\nserver_name ${url ;\nlisten 80;';
  expectScope(src, '$1', 'variable.other.nginx');
  expectScope(src, '${host}', 'variable.other.nginx');
  expectNoScope(src, 'suffix', 'variable.other.nginx');
  expectNoScope(src, '${url', 'punctuation.section.block');
  expectScope(src, '${', 'invalid.illegal.variable.nginx', 1);
  expectScope(src, ';', 'punctuation.terminator.nginx', 2);
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('locations: every modifier with and without a space, named locations, a quoted regex holding ; and {', () => {
  const src = [
    'location = /exact {', '}',
    'location =/tight {', '}',
    'location ^~/static/ {', '}',
    'location ~*\\.(gif|jpg)$ {', '}',
    'location @fallback {', '}',
    'location ~ "/a;b{1,3}" {', '}',
    'location ~ ^/(?<name>[a-z]+)/ {', '}',
  ].join('\n');
  expectScope(src, '=', 'keyword.operator.modifier.nginx', 0);
  expectScope(src, '=', 'keyword.operator.modifier.nginx', 1);
  expectNoScope(src, '/tight', 'string.regexp.nginx');
  expectScope(src, '^~', 'keyword.operator.modifier.nginx');
  expectScope(src, '~*', 'keyword.operator.modifier.nginx');
  expectScope(src, '\\.(gif|jpg)$', 'string.regexp.nginx');
  expectScope(src, '@fallback', 'entity.name.label.location.nginx');
  expectScope(src, '"/a;b{1,3}"', 'string.regexp.nginx');
  expectNoScope(src, ';b', 'punctuation.terminator.nginx');
  expectScope(src, '^/(?<name>[a-z]+)/', 'string.regexp.nginx');
  expectParserAgrees(src);
});

test('map: quoted regex keys (both quotes, ~ and ~*) are regexes, a quoted plain key is a key, values keep their own scopes', () => {
  const src = [
    'map $http_user_agent $mobile {',
    '    default            0;',
    "    '~Opera Mini'      1;",
    '    "~*^mozilla.*(?<v>android|iphone)" "phone;tablet";',
    '    ~"^/a b/"          2;',
    '    "exact key"        3;',
    '    \\~literal          4;',
    '    hostnames;',
    '    volatile;',
    '}',
    'listen 80;',
  ].join('\n');
  expectScope(src, "'~Opera Mini'", 'string.regexp.nginx');
  expectScope(src, '~', 'keyword.operator.modifier.nginx', 0);
  expectScope(src, '"~*^mozilla.*(?<v>android|iphone)"', 'string.regexp.nginx');
  expectScope(src, '~*', 'keyword.operator.modifier.nginx');
  expectScope(src, '"phone;tablet"', 'string.quoted.double.nginx');
  expectNoScope(src, '"phone;tablet"', 'string.regexp.nginx');
  expectNoScope(src, ';tablet', 'punctuation.terminator.nginx');
  expectScope(src, '"^/a b/"', 'string.regexp.nginx');
  expectScope(src, '"exact key"', 'string.quoted.double.key.nginx');
  expectNoScope(src, '"exact key"', 'string.regexp.nginx');
  expectNoScope(src, '\\~literal', 'string.regexp.nginx');
  expectScope(src, '\\~literal', 'string.unquoted.key.nginx');
  expectScope(src, 'hostnames', 'keyword.other.table.nginx');
  expectScope(src, 'volatile', 'keyword.other.table.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('geo, types, split_clients and charset_map bodies hold keys; a block opened inside one stays balanced', () => {
  const src = [
    'geo $remote_addr $geo {',
    '    ranges;',
    '    default        zz;',
    '    include        conf/geo.conf;',
    '    delete         127.0.0.0/16;',
    '    proxy          192.168.100.0/24;',
    '    10.0.0.1-10.0.0.9 ten;',
    '}',
    'types {',
    '    text/html  html htm;',
    '    application/javascript js;',
    '}',
    'split_clients "${remote_addr}AAA" $variant {',
    '    0.5%  .one;',
    '    *     "";',
    '}',
    'charset_map koi8-r utf-8 {',
    '    C0 D0B1;',
    '}',
    'map $a $b {',
    '    lost {',
    '        return 500;',
    '    }',
    '}',
    'listen 80;',
  ].join('\n');
  for (const keyword of ['ranges', 'default', 'include', 'delete', 'proxy']) expectScope(src, keyword, 'keyword.other.table.nginx');
  expectScope(src, '10.0.0.1-10.0.0.9', 'string.unquoted.key.nginx');
  expectScope(src, 'text/html', 'string.unquoted.key.nginx');
  expectNoScope(src, 'text/html', 'entity.name.function.directive.nginx');
  expectNoScope(src, 'htm', 'string.unquoted.key.nginx', 2);
  expectScope(src, '${remote_addr}', 'variable.other.nginx');
  expectScope(src, '0.5%', 'string.unquoted.key.nginx');
  expectScope(src, '*', 'string.unquoted.key.nginx');
  expectScope(src, 'C0', 'string.unquoted.key.nginx');
  expectScope(src, 'return', 'meta.table.entry.nginx'); // inside "lost {": still the table's
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('log_format: a JSON format over many lines, quoted braces and escapes, then the next directive', () => {
  const src = [
    'log_format json escape=json',
    "    '{'",
    '      \'"time":"$time_iso8601",\'',
    '      \'"request":"$request",\'',
    '      \'"status": $status\'',
    "    '}';",
    "log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '",
    "                '$status $body_bytes_sent \"$http_referer\"';",
    'log_format multi "$remote_addr',
    '    $status { }";',
    'access_log /var/log/nginx/access.log json;',
  ].join('\n');
  expectScope(src, 'escape', 'variable.parameter.nginx');
  expectScope(src, "'{'", 'string.quoted.single.nginx');
  expectNoScope(src, "'{'", 'punctuation.section.block');
  expectScope(src, '$time_iso8601', 'variable.other.nginx');
  expectScope(src, '"time"', 'string.quoted.single.nginx');
  expectScope(src, "'}'", 'string.quoted.single.nginx');
  expectNoScope(src, "'}'", 'punctuation.section.block');
  expectScope(src, ';', 'punctuation.terminator.nginx', 0);
  expectScope(src, '"$request"', 'string.quoted.single.nginx');
  expectScope(src, "'$status $body_bytes_sent", 'string.quoted.single.nginx');
  expectScope(src, '    $status { }"', 'string.quoted.double.nginx');
  expectNoScope(src, '{ }', 'punctuation.section.block');
  expectScope(src, 'access_log', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('Lua blocks: set_by_lua_block with its variable, any block with its brace on the next line, long brackets with levels', () => {
  const src = [
    'set_by_lua_block $sum {',
    '    return tonumber(ngx.var.a) + 1 -- }',
    '}',
    'access_by_lua_block',
    '{',
    '    local s = [==[ } ]] ]==]',
    '    --[[ } ]]',
    '}',
    '"rewrite_by_lua_block" { do_it("}") }',
    'listen 80;',
  ].join('\n');
  expectScope(src, 'set_by_lua_block', 'keyword.other.directive.block.nginx');
  expectScope(src, '$sum', 'variable.other.nginx');
  expectScope(src, 'return tonumber', 'meta.embedded.block.lua');
  expectScope(src, 'access_by_lua_block', 'keyword.other.directive.block.nginx');
  expectScope(src, '{', 'punctuation.section.block.begin.nginx', 2);
  expectScope(src, '[==[ } ]] ]==]', 'string.quoted.other.multiline.lua');
  expectScope(src, '--[[ } ]]', 'comment.block.lua');
  expectScope(src, 'rewrite_by_lua_block', 'keyword.other.directive.block.nginx');
  expectScope(src, 'do_it', 'meta.embedded.block.lua');
  expectScope(src, '"}"', 'string.quoted.double.lua');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('if: =, !=, file tests, a bare variable, quoted regexes holding ) ; and {, escapes in a condition', () => {
  const src = [
    'if ($request_method = POST) {', '}',
    'if ($slow) {', '}',
    'if (-d $request_filename) {', '}',
    'if (!-e $request_filename) {', '}',
    'if ($http_cookie ~* "id=([^;]+)(?:;|$)") {', '}',
    'if ($uri ~ "^/\\d{3}\\)") {', '}',
    'if ($request_method = P\\{O\\)ST ) {', '}',
    'listen 80;',
  ].join('\n');
  expectScope(src, '=', 'keyword.operator.comparison.nginx', 0);
  expectScope(src, '$slow', 'variable.other.nginx');
  expectScope(src, '-d', 'keyword.operator.comparison.nginx');
  expectScope(src, '!-e', 'keyword.operator.comparison.nginx');
  expectScope(src, '"id=([^;]+)(?:;|$)"', 'string.regexp.nginx');
  expectScope(src, '"^/\\d{3}\\)"', 'string.regexp.nginx');
  expectNoScope(src, '\\)ST', 'punctuation.section.condition.end.nginx');
  expectScope(src, ')', 'punctuation.section.condition.end.nginx', 10); // the one after "\\)ST "
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('include: the keyword, the path with its glob characters, inside blocks too', () => {
  const src = 'http {\n    include mime.types;\n    include /etc/nginx/conf.d/*.conf;\n    include sites-enabled/site-[ab]?.conf;\n}';
  expectScope(src, 'include', 'keyword.control.import.nginx');
  expectScope(src, 'include', 'keyword.control.import.nginx', 2);
  expectScope(src, 'mime.types', 'string.unquoted.path.nginx');
  expectScope(src, '*', 'keyword.operator.glob.nginx');
  expectScope(src, '[ab]', 'keyword.operator.glob.nginx');
  expectScope(src, '?', 'keyword.operator.glob.nginx');
  expectNoScope(src, '.conf', 'keyword.operator.glob.nginx');
  expectParserAgrees(src);
});

test('numbers, sizes and times; key=value parameters with sizes after the =', () => {
  const src = [
    'keepalive_timeout 65;',
    'ssl_session_timeout 1d;',
    'proxy_connect_timeout 500ms;',
    'client_body_buffer_size 128K;',
    'proxy_cache_path /data/nginx/cache levels=1:2 keys_zone=one:10m max_size=10g inactive=60m;',
    'limit_req zone=one burst=5 nodelay;',
    'worker_processes auto;',
  ].join('\n');
  expectScope(src, '65', 'constant.numeric.nginx');
  expectScope(src, '1d', 'constant.numeric.nginx');
  expectScope(src, '500ms', 'constant.numeric.nginx');
  expectScope(src, '128K', 'constant.numeric.nginx');
  expectScope(src, 'levels', 'variable.parameter.nginx');
  expectScope(src, '=', 'keyword.operator.assignment.nginx', 0);
  expectScope(src, 'max_size', 'variable.parameter.nginx');
  expectScope(src, '10g', 'constant.numeric.nginx');
  expectScope(src, '60m', 'constant.numeric.nginx');
  expectScope(src, 'burst', 'variable.parameter.nginx');
  expectScope(src, '5', 'constant.numeric.nginx', 1);
  expectNoScope(src, '/data/nginx/cache', 'variable.parameter.nginx');
  expectParserAgrees(src);
});

test('server_name: exact names, wildcards, and regexes (unquoted and quoted) with named captures', () => {
  const src = [
    'server_name example.com *.example.com www.example.* .example.org "";',
    'server_name ~^(?<user>.+)\\.example\\.net$;',
    'server_name "~^(www\\.)?(?<domain>.+)$" ~^api\\.;',
  ].join('\n');
  expectScope(src, 'server_name', 'entity.name.function.directive.nginx');
  expectNoScope(src, 'example.com', 'string.regexp.nginx');
  expectScope(src, '*', 'keyword.operator.wildcard.nginx', 0);
  expectScope(src, '*', 'keyword.operator.wildcard.nginx', 1);
  expectScope(src, '.', 'keyword.operator.wildcard.nginx', 5); // .example.org
  expectNoScope(src, 'example.com', 'keyword.operator.wildcard.nginx', 1);
  expectScope(src, '~', 'keyword.operator.modifier.nginx', 0);
  expectScope(src, '^(?<user>.+)\\.example\\.net$', 'string.regexp.nginx');
  expectScope(src, '"~^(www\\.)?(?<domain>.+)$"', 'string.regexp.nginx');
  expectScope(src, '^api\\.', 'string.regexp.nginx');
  expectScope(src, ';', 'punctuation.terminator.nginx', 2);
  expectParserAgrees(src);
});

test('upstream: the name, server entries with parameters, hash with a variable holding braces', () => {
  const src = [
    'upstream backend {',
    '    hash ${scheme}$request_uri consistent;',
    '    server backend1.example.com:8080 weight=5 max_fails=3 fail_timeout=30s;',
    '    server unix:/tmp/backend3 backup;',
    '    keepalive 16;',
    '}',
    'listen 80;',
  ].join('\n');
  expectScope(src, 'upstream', 'keyword.other.directive.block.nginx');
  expectScope(src, 'backend', 'entity.name.type.upstream.nginx');
  expectScope(src, '${scheme}', 'variable.other.nginx');
  expectNoScope(src, '}$request_uri', 'punctuation.section.block');
  expectScope(src, 'server', 'entity.name.function.directive.nginx', 0);
  expectScope(src, 'weight', 'variable.parameter.nginx');
  expectScope(src, '30s', 'constant.numeric.nginx');
  expectScope(src, 'keepalive', 'entity.name.function.directive.nginx');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});

test('listen: addresses, ports and parameters', () => {
  const src = [
    'listen 80;',
    'listen [::]:443 ssl default_server ipv6only=on;',
    'listen 127.0.0.1:8443 quic reuseport;',
    'listen unix:/var/run/nginx.sock proxy_protocol backlog=511;',
  ].join('\n');
  expectScope(src, '80', 'constant.numeric.nginx');
  expectScope(src, 'ssl', 'constant.language.listen.nginx');
  expectScope(src, 'default_server', 'constant.language.listen.nginx');
  expectScope(src, 'ipv6only', 'variable.parameter.nginx');
  expectScope(src, 'quic', 'constant.language.listen.nginx');
  expectScope(src, 'reuseport', 'constant.language.listen.nginx');
  expectScope(src, 'proxy_protocol', 'constant.language.listen.nginx');
  expectScope(src, 'backlog', 'variable.parameter.nginx');
  expectNoScope(src, '[::]:443', 'comment');
  expectNoScope(src, 'unix:/var/run/nginx.sock', 'constant.language.listen.nginx');
  expectParserAgrees(src);
});

test('return and rewrite: status codes, URLs with variables, flags only where a flag stands', () => {
  const src = [
    'return 301 https://$host$request_uri;',
    'return 444;',
    'return 200 "ok\\n";',
    'rewrite ^/old/(.*)$ /new/$1 permanent;',
    'rewrite "^/(\\d{4})/(\\d{2})$" /archive?y=$1&m=$2 last;',
    'rewrite ^ /break redirect;',
    'rewrite ^/a$ /b break;',
  ].join('\n');
  expectScope(src, '301', 'constant.numeric.nginx');
  expectScope(src, '444', 'constant.numeric.nginx');
  expectScope(src, '$host', 'variable.other.nginx');
  expectScope(src, '\\n', 'constant.character.escape.nginx');
  expectScope(src, 'permanent', 'keyword.control.flag.nginx');
  expectScope(src, '"^/(\\d{4})/(\\d{2})$"', 'string.regexp.nginx');
  expectScope(src, 'last', 'keyword.control.flag.nginx');
  expectScope(src, 'redirect', 'keyword.control.flag.nginx');
  expectNoScope(src, '/break', 'keyword.control.flag.nginx');
  expectScope(src, 'break', 'keyword.control.flag.nginx', 1);
  expectScope(src, '^', 'string.regexp.nginx', 2);
  expectParserAgrees(src);
});

test('statements: a quoted directive name, a block opened on the next line, a name that is a variable (geoip2)', () => {
  const src = [
    '"server" {"listen" 8080;',
    "    'root' /srv;",
    '}',
    'server',
    '{',
    '    listen 80;',
    '}',
    'geoip2 /etc/GeoLite2-City.mmdb {',
    '    auto_reload 5s;',
    '    $geoip2_city_name city names en;',
    '}',
  ].join('\n');
  expectScope(src, '"server"', 'entity.name.function.directive.quoted.nginx');
  expectScope(src, '"listen"', 'entity.name.function.directive.quoted.nginx');
  expectScope(src, "'root'", 'entity.name.function.directive.quoted.nginx');
  expectScope(src, 'server', 'keyword.other.directive.block.nginx', 1);
  expectScope(src, '{', 'punctuation.section.block.begin.nginx', 2);
  expectScope(src, '$geoip2_city_name', 'variable.other.nginx');
  expectScope(src, '$geoip2_city_name', 'meta.directive.nginx');
  expectNoScope(src, 'city', 'entity.name.function.directive.nginx', 1);
  expectParserAgrees(src);
});

// ---------------------------------------------------------------- the grammar against the parser, file by file

/** Every `.conf` file under the repository's case, fixture, oracle and example folders. */
function nginxFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.conf')) out.push(path);
    }
  };
  for (const dir of ['server/src/service/nginx/rules', 'test/fixtures', 'test/oracle', 'examples']) walk(join(root, dir));
  return out;
}

test('every nginx file of the repository: the grammar reads comments, strings, terminators, braces, names and Lua as the parser', () => {
  const files = nginxFiles();
  assert.ok(files.length > 250, `${files.length} files`);
  const failures = [];
  for (const file of files) {
    const { disagreements: found } = disagreements(grammar, service.parse, readFileSync(file, 'utf8'));
    if (found.length) failures.push(`${relative(root, file)}:${found[0].line}: ${found[0].what} ${JSON.stringify(found[0].token)}`);
  }
  assert.deepEqual(failures, []);
});

test('the comparison with the parser reports a disagreement when there is one', () => {
  const src = 'listen 80; # note\nroot /srv;';
  assert.deepEqual(disagreements(grammar, service.parse, src).disagreements, []);
  // A parser that took the word "80" for a comment, or missed the first ";", no longer agrees with the grammar.
  const wordAsComment = (text, options) => {
    const file = service.parse(text, options);
    return { ...file, tokens: file.tokens.map((t) => (text.slice(t.start, t.end) === '80' ? { ...t, kind: 'comment' } : t)) };
  };
  assert.match(disagreements(grammar, wordAsComment, src).disagreements[0]?.what ?? '', /comment/);
  const semicolonAsWord = (text, options) => {
    const file = service.parse(text, options);
    return { ...file, tokens: file.tokens.map((t) => (t.kind === 'semicolon' && t.start === 9 ? { ...t, kind: 'word' } : t)) };
  };
  assert.match(disagreements(grammar, semicolonAsWord, src).disagreements[0]?.what ?? '', /is not a comment, terminator or brace/);
  // A file the grammar leaves inside a string, were the parser to find nothing wrong with it.
  const unterminated = 'add_header X "a;\n';
  const noProblems = (text, options) => ({ ...service.parse(text, options), problems: [] });
  assert.ok(disagreements(grammar, noProblems, unterminated).disagreements.some((d) => /ends the file inside/.test(d.what)));
});

test('a block keyword is a whole word: http2, stream_x and server_tokens are directive names', () => {
  const src = 'http2 on;\nserver_tokens off;\nstream_x 1;\nserver_name a;';
  expectScope(src, 'http2', 'entity.name.function.directive.nginx');
  expectNoScope(src, 'http2', 'keyword.other.directive.block.nginx');
  expectScope(src, 'server_tokens', 'entity.name.function.directive.nginx');
  expectScope(src, 'stream_x', 'entity.name.function.directive.nginx');
  expectScope(src, 'on', 'constant.language.boolean.nginx');
  expectParserAgrees(src);
});

test('a ${variable} just before a table or Lua body does not end the statement before its braces', () => {
  const src = 'map ${host}${uri} $x {\n    a 1;\n}\nset_by_lua_block ${res} {\n    return 1\n}\nlisten 80;';
  expectScope(src, 'a 1', 'meta.table.entry.nginx');
  expectScope(src, 'return 1', 'meta.embedded.block.lua');
  expectScope(src, 'listen', 'entity.name.function.directive.nginx');
  expectParserAgrees(src);
});
