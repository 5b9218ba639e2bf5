// Tokenizes real nginx lines with the TextMate grammar (vscode-textmate + oniguruma, as VS Code
// does) and checks the scopes of the tokens under a piece of text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = fileURLToPath(new URL('../../', import.meta.url));
const grammarPath = root + 'syntaxes/nginx.tmLanguage.json';

await oniguruma.loadWASM(readFileSync(root + 'node_modules/vscode-oniguruma/release/onig.wasm').buffer);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  // source.lua is not available here (null), as in an editor without a Lua grammar:
  // the embedded block must still end at the right brace.
  loadGrammar: async (scopeName) =>
    scopeName === 'source.nginx' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
});
const grammar = await registry.loadGrammar('source.nginx');

/** Tokens of `source` as { line, start, end, text, scopes }. */
function tokenize(source) {
  const out = [];
  let stack = vsctm.INITIAL;
  source.split('\n').forEach((text, line) => {
    const r = grammar.tokenizeLine(text, stack);
    for (const t of r.tokens)
      out.push({ line, start: t.startIndex, end: t.endIndex, text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

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

const has = (scopes, scope) => scopes.some((s) => s === scope || s.startsWith(scope + '.'));
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
