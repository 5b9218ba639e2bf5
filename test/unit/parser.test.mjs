// The parser on hostile input: random text built from the characters that matter to nginx's
// tokenizer never makes it throw, and the token stream always covers the input exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';
import { random } from '../lib/random.mjs';


const PIECES = ['server', 'location', ' ', '\n', '\r\n', '\t', ';', '{', '}', '"', "'", '\\', '#', '$', '${', 'x', '_by_lua_block',
  'content_by_lua_block {', '[[', ']]', '--', '(', ')', '~', 'é', '\u0000', '\uFFFD', '10m'];

test('random input: never throws, always lossless', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const next = random(seed);
    let text = '';
    const length = Math.floor(next() * 60);
    for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
    let tree;
    assert.doesNotThrow(() => {
      tree = service.parse(text, { keepTokens: true, isDirectiveName: (n) => n === 'server' });
    }, `seed ${seed}`);
    assert.equal(tree.tokens.map((tk) => text.slice(tk.start, tk.end)).join(''), text, `seed ${seed}: not lossless`);
    tree.tokens.forEach((tk, i) => assert.equal(tk.start, i === 0 ? 0 : tree.tokens[i - 1].end, `seed ${seed}: gap at token ${i}`));
    assert.doesNotThrow(() => service.analyzeConfig('/r/nginx.conf', service.memoryHost({ '/r/nginx.conf': text })),
      `seed ${seed}: analysis threw`);
  }
});

test('nginx word rules: a}b is one word, a#b is one word, ${x} does not open a block', () => {
  const tree = service.parse('return 200 a}b a#b ${host};\n');
  assert.deepEqual(tree.children[0].args.map((a) => a.value), ['200', 'a}b', 'a#b', '${host}']);
  assert.deepEqual(tree.problems, []);
});

test('escapes are resolved the way nginx resolves them', () => {
  const tree = service.parse(String.raw`add_header X "a\"b\tc\\d\x";` + '\n');
  assert.equal(tree.children[0].args[1].value, 'a"b\tc\\d\\x');
});

test('escapes in random quoted and bare words resolve as nginx resolves them, pair by pair', () => {
  // nginx (ngx_conf_read_token): a backslash takes the next character with it; \" \' \\ \t \r \n become that
  // character, any other pair stays as written.
  const resolve = (raw) => raw.replace(/\\(.)/gs, (pair, c) => ({ '"': '"', "'": "'", '\\': '\\', t: '\t', r: '\r', n: '\n' })[c] ?? pair);
  let seed = 7;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const plain = ['a', '.', 'x', 't', 'n', 'r', "'", '$'];
  const escaped = ['"', "'", '\\', 't', 'r', 'n', 'x', '.', 'd'];
  for (let round = 0; round < 500; round++) {
    let raw = '';
    for (let i = random(12); i > 0; i--) raw += random(3) === 0 ? `\\${escaped[random(escaped.length)]}` : plain[random(plain.length)];
    const quoted = service.parse(`add_header X "${raw}";\n`).children[0].args[1].value;
    assert.equal(quoted, resolve(raw), `quoted ${JSON.stringify(raw)}`);
    const bare = raw.replaceAll("'", 'q');
    if (bare === '') continue;
    const word = service.parse(`add_header X ${bare};\n`).children[0].args[1].value;
    assert.equal(word, resolve(bare), `bare ${JSON.stringify(bare)}`);
  }
});

test('comments between arguments belong to the directive', () => {
  const tree = service.parse('listen # port comes next\n  8080;\n');
  assert.deepEqual(tree.children[0].args.map((a) => a.value), ['8080']);
  assert.equal(tree.children[0].innerComments.length, 1);
});

test('a lua block body is kept raw, braces in strings and long brackets included', () => {
  const text = 'content_by_lua_block { local s = "}" .. [[ } ]] -- }\n ngx.say(s) }\nlisten 80;\n';
  const tree = service.parse(text);
  assert.equal(tree.problems.length, 0);
  const lua = tree.children[0];
  assert.equal(text.slice(lua.block.raw.start, lua.block.raw.end), ' local s = "}" .. [[ } ]] -- }\n ngx.say(s) ');
  assert.equal(tree.children[1].name.value, 'listen');
});
