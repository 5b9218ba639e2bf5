// The fixture runner itself (test/lib/fixtures.mjs): what it parses, what it refuses, and that
// compare() reports each kind of mismatch, so a fixture cannot pass by a runner that looks away.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { annotations, compare, expectations, fixtureCases } from '../lib/fixtures.mjs';
import { FIXTURE_NOW, diagnoseFiles } from '../lib/service.mjs';

const diag = (line, start, endLine, end, severity, code, message = 'm') => ({
  range: { start: { line, character: start }, end: { line: endLine, character: end } }, severity, code, message,
});

const TEXT = [
  'http {',
  '    servr {}',
  '    #^^^^^ error unknown-directive: did you mean',
  '    #     ^ not block-shape',
  '}',
  '# @eof warning some-code',
].join('\n');

test('annotations parse to 0-based positions; several lines point at the line above the first', () => {
  assert.deepEqual(expectations(TEXT).map(({ source, ...e }) => e), [
    { kind: 'fires', line: 1, start: 4, end: 9, severity: 'error', code: 'unknown-directive', message: 'did you mean' },
    { kind: 'not', line: 1, start: 10, end: 11, code: 'block-shape' },
    { kind: 'fires', line: 5, start: 24, end: 24, severity: 'warning', code: 'some-code', message: undefined },
  ]);
  assert.deepEqual(annotations(TEXT), [
    { code: 'unknown-directive', kind: 'fires' },
    { code: 'block-shape', kind: 'not' },
    { code: 'some-code', kind: 'fires' },
  ]);
  // "#" directly followed by carets stands at column 0.
  assert.deepEqual(expectations('abc;\n#^^^ hint x-y').map((e) => [e.line, e.start, e.end]), [[0, 0, 3]]);
});

test('a comment that looks like an annotation but does not parse throws, naming file and line', () => {
  for (const bad of [
    '    #^^^^ warn unknown-directive',            // mistyped severity
    '    #^^^^ error',                              // no code
    '    #^^^^error unknown-directive',             // no space
    '    #^^^^ Error unknown-directive',            // capital
    '    #^^^^ not unknown-directive: a message',   // "not" takes no message
    '# @eof not unknown-directive',
    '# @eof',
    '#   ^^^^',
  ]) {
    const text = `http {\n    servr {}\n${bad}\n}\n`;
    assert.throws(() => expectations(text, 'x/y.conf'), (e) => e.message.startsWith('x/y.conf:3: '), bad);
    assert.throws(() => annotations(text, 'x/y.conf'), /x\/y\.conf:3: /, bad);
  }
  assert.throws(() => expectations('#^^ error x'), /an annotation needs a line above it/);
  // An ordinary comment is not an annotation.
  assert.deepEqual(expectations('# plain ^ comment\n#  text ^^^ error x\n'), []);
});

test('a file read by fixtureCases is named in annotation errors', (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-runner-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'typo.conf'), 'events {}\nservr;\n#^^^^ warn unknown-directive\n');
  const [c] = fixtureCases(dir);
  const [[file, text]] = Object.entries(c.files);
  assert.throws(() => expectations(text), (e) => e.message.startsWith(`${file}:3: malformed annotation`));
});

test('compare: start, end, severity, code and message must all match', () => {
  const expected = expectations('    servr {}\n    #^^^^^ error unknown-directive: did you mean\n');
  const good = diag(0, 4, 0, 9, 'error', 'unknown-directive', 'unknown directive; did you mean "server"?');
  assert.deepEqual(compare([good], expected, 'f'), []);
  for (const [what, d] of [
    ['end column', diag(0, 4, 0, 8, 'error', 'unknown-directive', good.message)],
    ['end column (longer)', diag(0, 4, 0, 12, 'error', 'unknown-directive', good.message)],
    ['start column', diag(0, 5, 0, 9, 'error', 'unknown-directive', good.message)],
    ['line', diag(1, 4, 1, 9, 'error', 'unknown-directive', good.message)],
    ['severity', diag(0, 4, 0, 9, 'warning', 'unknown-directive', good.message)],
    ['code', diag(0, 4, 0, 9, 'error', 'unknown-directives', good.message)],
    ['message', diag(0, 4, 0, 9, 'error', 'unknown-directive', 'something else')],
  ]) {
    const problems = compare([d], expected, 'f');
    assert.equal(problems.length, 2, `${what}: ${problems.join('; ')}`);
    assert.match(problems[0], /^f:1:5: expected error unknown-directive: did you mean \(cols 4-9\)$/, what);
    assert.match(problems[1], /: unexpected /, what);
  }
  assert.deepEqual(compare([], expected, 'f'), ['f:1:5: expected error unknown-directive: did you mean (cols 4-9)']);
});

test('"|" expects an empty range at its column, and only an empty one', () => {
  const expected = expectations('http {}\n#| error events-missing');
  assert.deepEqual(expected.map((e) => [e.line, e.start, e.end]), [[0, 0, 0]]);
  assert.deepEqual(compare([diag(0, 0, 0, 0, 'error', 'events-missing')], expected, 'f'), []);
  assert.equal(compare([diag(0, 0, 0, 1, 'error', 'events-missing')], expected, 'f').length, 2);
});

test('compare: a range over several lines is matched by its start only', () => {
  const expected = expectations('    "abc\n    #^ error quote\n');
  assert.deepEqual(compare([diag(0, 4, 3, 1, 'error', 'quote')], expected, 'f'), []);
  assert.equal(compare([diag(0, 5, 3, 1, 'error', 'quote')], expected, 'f').length, 2);
});

test('compare: "not" fails when that code starts within its columns, and is no expectation itself', () => {
  const expected = expectations('proxy_pass https://b;\n#          ^^^^^^^^^ not tls-upstream-unverified\n');
  assert.deepEqual(compare([], expected, 'f'), [], 'nothing fired: fine, nothing was expected');
  const inside = diag(0, 11, 0, 20, 'warning', 'tls-upstream-unverified');
  const problems = compare([inside], expected, 'f');
  assert.ok(problems.some((p) =>
    /^f:1:12: warning tls-upstream-unverified fires where the annotation says it must not \(cols 11-20\)/.test(p)),
    problems.join('\n'));
  // The same diagnostic, even if also expected by a positive annotation, is still reported.
  const both = expectations('proxy_pass https://b;\n#          ^^^^^^^^^ warning tls-upstream-unverified\n'
    + '#          ^^^^^^^^^ not tls-upstream-unverified\n');
  assert.equal(compare([inside], both, 'f').length, 1);
  // Outside the columns, another line or another code: the "not" says nothing.
  assert.deepEqual(compare([diag(0, 0, 0, 10, 'warning', 'tls-upstream-unverified')], expected, 'f')
    .filter((p) => p.includes('must not')), []);
  assert.deepEqual(compare([diag(0, 20, 0, 21, 'warning', 'tls-upstream-unverified')], expected, 'f')
    .filter((p) => p.includes('must not')), []);
  assert.deepEqual(compare([diag(1, 11, 1, 20, 'warning', 'tls-upstream-unverified')], expected, 'f')
    .filter((p) => p.includes('must not')), []);
  assert.deepEqual(compare([diag(0, 11, 0, 20, 'warning', 'other-code')], expected, 'f').filter((p) => p.includes('must not')), []);
});

test('fixtures are judged at FIXTURE_NOW, not the real clock; the time reaches both workspaces', () => {
  assert.equal(FIXTURE_NOW.toISOString(), '2026-12-01T00:00:00.000Z');
  const dir = new URL('../../server/src/service/ingress/rules/api-version.cases/', import.meta.url).pathname;
  const [c] = fixtureCases(dir).filter((x) => x.name === 'guide-example-with-secret');
  const codesAt = (now) => Object.values(diagnoseFiles(c.files, {}, now)).flat().map((d) => d.code).sort();
  // The same answer with the default as with the pinned time, a different one after its CA expires.
  assert.deepEqual(codesAt(undefined), codesAt(FIXTURE_NOW));
  assert.ok(!codesAt(FIXTURE_NOW).includes('cert-expired'));
  assert.ok(codesAt(new Date('2050-06-01T00:00:00Z')).includes('cert-expired'), 'ingress certificates are judged at the given time');
});
