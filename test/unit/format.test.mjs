// The formatter. Cases in test/format/: `<name>.conf` formatted must give `<name>.out.conf`. A case
// with one `‸` is on-type formatting (the character before the marker was just typed); with two, the
// marked range is formatted. A first line `# format: tabSize=2 insertSpaces=false` sets the style
// (default: 4 spaces). Every result is also checked for unchanged tokens and idempotence, and so are
// random texts, random ranges, and the local corpus when it is present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { service } from '../lib/service.mjs';
import { random } from '../lib/random.mjs';
import { STYLES, documentProblems, editProblems, rangeProblems, resultProblems } from '../lib/format-check.mjs';

const CASES = new URL('../format/', import.meta.url).pathname;
const MARK = '‸';
const FOUR_SPACES = { tabSize: 4, insertSpaces: true };

function styleOf(text) {
  const m = /^# format: tabSize=(\d+) insertSpaces=(true|false)/.exec(text);
  return m ? { tabSize: Number(m[1]), insertSpaces: m[2] === 'true' } : FOUR_SPACES;
}

for (const name of readdirSync(CASES).filter((f) => f.endsWith('.conf') && !f.endsWith('.out.conf')).sort()) {
  test(`case ${name}`, () => {
    const marked = readFileSync(join(CASES, name), 'utf8');
    const expected = readFileSync(join(CASES, name.replace(/\.conf$/, '.out.conf')), 'utf8');
    const marks = [...marked.matchAll(new RegExp(MARK, 'g'))].map((m, i) => m.index - i);
    const input = marked.replaceAll(MARK, '');
    const options = styleOf(input);
    let edits;
    if (marks.length === 0) edits = service.formatDocument(service.parseConfig(input), options);
    else if (marks.length === 1) edits = service.formatOnType(service.parseConfig(input), marks[0], input[marks[0] - 1], options);
    else edits = service.formatRange(service.parseConfig(input), { start: marks[0], end: marks[1] }, options);
    assert.deepEqual(editProblems(input, edits), []);
    const output = service.applyEdits(input, edits);
    assert.equal(output, expected);
    assert.equal(service.tokenDifference(input, output), undefined, 'only whitespace between tokens changes');
    if (marks.length === 0) assert.deepEqual(resultProblems(input, output, options), [], 'idempotent');
    else assert.equal(service.formatText(output, options), service.formatText(input, options), 'on the way to the whole-file result');
    if (marks.length === 2) assert.deepEqual(rangeProblems(input, { start: marks[0], end: marks[1] }, options), []);
  });
}

test('every case input passes the checks in every indentation style', () => {
  for (const name of readdirSync(CASES).filter((f) => f.endsWith('.conf'))) {
    const text = readFileSync(join(CASES, name), 'utf8').replaceAll(MARK, '');
    for (const style of STYLES) assert.deepEqual(documentProblems(text, style), [], `${name} ${JSON.stringify(style)}`);
  }
});

test('a file with syntax errors gets no edits, wherever the error is', () => {
  for (const text of [
    'http {\n  server { listen 80; }\n',             // a "}" missing at the end
    'http { }\n}\n',                                  // one too many
    'server {\n listen 80\n server_name a;\n}\n',     // a ";" missing (recovered by the analysis)
    'return 200 "unterminated;\nhttp {}\n',
    'content_by_lua_block { ngx.say("x")\n',
    ';\nhttp {}\n',
  ]) {
    assert.deepEqual(service.formatDocument(service.parseConfig(text), FOUR_SPACES), [], JSON.stringify(text));
    assert.deepEqual(service.formatRange(service.parseConfig(text), { start: 0, end: text.length }, FOUR_SPACES), [], JSON.stringify(text));
  }
});

test('blocks nested deeper than 200 levels: no edits (indentation would inflate the file quadratically)', () => {
  const nested = (depth) => 'a {'.repeat(depth) + 'b;' + '}'.repeat(depth);
  assert.equal(service.formatDocument(service.parseConfig(nested(200)), FOUR_SPACES).length, 401);
  assert.deepEqual(service.formatDocument(service.parseConfig(nested(201)), FOUR_SPACES), []);
  assert.deepEqual(service.formatRange(service.parseConfig(nested(5000)), { start: 0, end: 1 }, FOUR_SPACES), []);
});

test('CRLF files stay CRLF; a file of LF lines gets LF', () => {
  const crlf = 'http {\r\n server { listen 80; }\r\n}';
  assert.equal(service.formatText(crlf, FOUR_SPACES), 'http {\r\n    server {\r\n        listen 80;\r\n    }\r\n}\r\n');
  assert.equal(service.formatText('# a comment\r\nuser nginx;', FOUR_SPACES), '# a comment\r\nuser nginx;\r\n');
  assert.equal(service.formatText('http {\n server { listen 80; }\n}', FOUR_SPACES),
    'http {\n    server {\n        listen 80;\n    }\n}\n');
});

test('empty and blank files', () => {
  assert.equal(service.formatText('', FOUR_SPACES), '');
  assert.equal(service.formatText('  \n\n\t\n', FOUR_SPACES), '');
  assert.equal(service.formatText('# only a comment', FOUR_SPACES), '# only a comment\n');
});

test('edits are small: only the differing part of a gap is replaced', () => {
  const text = 'http {\n  gzip on;\n}\n';
  assert.deepEqual(service.formatDocument(service.parseConfig(text), FOUR_SPACES), [{ start: 9, end: 9, newText: '  ' }]);
  assert.deepEqual(service.formatDocument(service.parseConfig('http {\n    gzip on;\n}\n'), FOUR_SPACES), []);
});

test('range formatting edits only the lines of the statements it touches', () => {
  const text = 'http {\nserver {\nlisten 80;\n  server_name a\n        b;\nroot /srv;\n}\n}\n';
  // A range inside the continuation line of server_name takes the whole statement, and nothing else.
  const start = text.indexOf('b;');
  const edits = service.formatRange(service.parseConfig(text), { start, end: start }, FOUR_SPACES);
  assert.equal(service.applyEdits(text, edits),
    'http {\nserver {\nlisten 80;\n        server_name a\n              b;\nroot /srv;\n}\n}\n');
  assert.deepEqual(rangeProblems(text, { start, end: start }, FOUR_SPACES), []);
  // Blank lines above the range are not the range's to collapse; the range's own are.
  const blanks = 'a;\n\n\n\n  b;\n';
  const blankEdits = service.formatRange(service.parseConfig(blanks), { start: 5, end: 9 }, FOUR_SPACES);
  assert.equal(service.applyEdits(blanks, blankEdits), 'a;\n\n\nb;\n');
});

test('range formatting never duplicates or drops text (nginxbeautifier duplicated the range)', () => {
  const text = 'http {\n  server {\n    listen 80;  server_name a;\n  }\n}\n';
  for (let start = 0; start <= text.length; start++) {
    for (let end = start; end <= text.length; end++) {
      const edits = service.formatRange(service.parseConfig(text), { start, end }, FOUR_SPACES);
      const after = service.applyEdits(text, edits);
      assert.equal(after.replace(/\s+/g, ''), text.replace(/\s+/g, ''), `range ${start}-${end}`);
      assert.equal(service.tokenDifference(text, after), undefined, `range ${start}-${end}`);
    }
  }
});

test('on-type formatting: only after a ";" or "}" that ends a statement', () => {
  const text = 'http {\n  server {\n  listen 80;\n    return 200 "a;b";\n  }\n}\n';
  const semicolon = text.indexOf('80;') + 3;
  assert.deepEqual(service.applyEdits(text, service.formatOnType(service.parseConfig(text), semicolon, ';', FOUR_SPACES)),
    'http {\n  server {\n        listen 80;\n    return 200 "a;b";\n  }\n}\n');
  // A ";" inside a string ends nothing.
  const quoted = text.indexOf('a;') + 2;
  assert.deepEqual(service.formatOnType(service.parseConfig(text), quoted, ';', FOUR_SPACES), []);
  assert.deepEqual(service.formatOnType(service.parseConfig(text), semicolon, '\n', FOUR_SPACES), []);
});

/** Text from the pieces that matter to the tokenizer and to the layout: mostly broken, some well formed. */
const PIECES = ['server', 'location', 'map', ' ', '  ', '\n', '\n\n\n', '\r\n', '\t', ';', '{', '}', '"a b"', "'{x}'", '"line\nbreak"',
  '\\', '# c', '#}', '$', '${', 'x', 'content_by_lua_block {', ' a = "}" ', '[[', ']]', '(', ')', '~', 'é'];

test('random texts: no edits when broken, tokens kept and idempotent when well formed', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const next = random(seed);
    let text = '';
    const length = Math.floor(next() * 50);
    for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
    assert.deepEqual(documentProblems(text, STYLES[seed % STYLES.length]), [], `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

const BLANKS = ['', ' ', '  ', '\t', '\n', '\n\n', '\n\n\n', ' \n  ', '\n\t\t', '   \n \n'];
const WORDS = ['80', 'x', '"a b"', "'{\"json\": $x}'", '"^/a{2,}$"', '${host}$uri', '"multi\nline"', 'a\\ b', '~*', '(', ')', '$1',
  '"a;b"', 'é'];
const BLOCK_NAMES = ['server', 'location /', 'map $a $b', 'types', 'upstream u', 'if ($x)', 'http'];

/** A well-formed configuration with random spacing, comments and nesting. */
function randomConfig(next, depth = 0) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const blank = () => pick(BLANKS);
  const required = () => pick(BLANKS.slice(1));
  let text = '';
  const count = Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const roll = next();
    text += blank();
    if (roll < 0.15) {
      text += '# note' + (next() < 0.5 ? ' }' : '') + '\n';
    } else if (roll < 0.35 && depth < 4) {
      text += pick(BLOCK_NAMES) + blank() + '{' + (next() < 0.3 ? ' # opens\n' : '') + randomConfig(next, depth + 1) + blank() + '}';
    } else if (roll < 0.42) {
      text += 'content_by_lua_block' + blank() + '{' + pick([' ngx.say("}") ', '', '\n  local t = { 1 }\n']) + '}';
    } else {
      text += pick(['listen', 'server', 'set', 'log_format', 'return']);
      const args = Math.floor(next() * 4);
      for (let j = 0; j < args; j++) text += required() + (next() < 0.1 ? '# inner\n' : '') + pick(WORDS);
      text += (next() < 0.7 ? '' : blank()) + ';' + (next() < 0.2 ? ' # trailing\n' : '');
    }
  }
  return text + blank();
}

test('random well-formed configurations: tokens kept, idempotent, ranges and on-type keep to their lines', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const next = random(seed);
    // One kind of line break per file, as in an editor's buffer (of mixed ones, the first decides).
    const text = seed % 5 ? randomConfig(next) : randomConfig(next).replaceAll('\n', '\r\n');
    const style = STYLES[seed % STYLES.length];
    assert.deepEqual(service.parseConfig(text).problems, [], `seed ${seed}: the generator made a broken text ${JSON.stringify(text)}`);
    assert.deepEqual(documentProblems(text, style), [], `seed ${seed}: ${JSON.stringify(text)}`);
    const a = Math.floor(next() * (text.length + 1));
    const b = Math.floor(next() * (text.length + 1));
    const range = { start: Math.min(a, b), end: Math.max(a, b) };
    assert.deepEqual(rangeProblems(text, range, style), [], `seed ${seed}: range ${range.start}-${range.end} of ${JSON.stringify(text)}`);
    for (const [i, ch] of [...text].entries()) {
      if (ch !== ';' && ch !== '}') continue;
      const after = service.applyEdits(text, service.formatOnType(service.parseConfig(text), i + 1, ch, style));
      assert.equal(service.tokenDifference(text, after), undefined, `seed ${seed}: on-type at ${i}`);
    }
  }
});

const CORPUS = process.env.NGINX_LS_CORPUS ?? '/work/shared/corpus';

test('the local corpus of real configs', { skip: !existsSync(CORPUS) && `no corpus at ${CORPUS} (local runs only)` }, () => {
  const list = (dir) => readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? list(p) : /\.(json|md|txt)$|LICENSE|README/.test(e) ? [] : [p];
  });
  const failures = [];
  for (const file of list(CORPUS)) {
    const text = readFileSync(file, 'utf8');
    // One style here; scripts/format-corpus.mjs runs all three, with ranges and on-type positions.
    failures.push(...documentProblems(text, FOUR_SPACES).map((p) => `${file}: ${p}`));
  }
  assert.deepEqual(failures, []);
});
