// The server's documents (server/src/lsp/piece-document.ts) against vscode-languageserver-textdocument's
// over seeded random edits: the same text, lines, positions and offsets after every edit. And the edit
// map made from the region they record against the one made by comparing the two texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { random } from '../lib/random.mjs';

const require = createRequire(import.meta.url);
const { PieceDocument, editMap, editMapOf } = require('../../dist/server-parts.js');

const WORDS = ['server', ' ', '{', '}', ';', '\n', '\r\n', '\r', 'listen 443 ssl', '# note', '"q"', '\t', 'é', '😀', 'x'];

function randomText(rnd, length) {
  let text = '';
  while (text.length < length) text += WORDS[Math.floor(rnd() * WORDS.length)];
  return text;
}

/** A change as editors send them: a range (sometimes reversed, sometimes past the end) and a text, or now and then the whole text. */
function randomChange(rnd, reference) {
  if (rnd() < 0.01) return { text: randomText(rnd, Math.floor(rnd() * 3000)) };
  // Lines within the document (past its end, the reference's own line starts go wrong: the next test).
  const lines = reference.lineCount;
  const position = () => ({ line: Math.floor(rnd() * lines), character: Math.floor(rnd() * 40) });
  const start = position();
  const end = rnd() < 0.5 ? start : rnd() < 0.1 ? position() : { line: start.line + Math.floor(rnd() * 3), character: Math.floor(rnd() * 40) };
  const big = rnd() < 0.03;
  return { range: { start, end }, text: randomText(rnd, big ? 40_000 : Math.floor(rnd() * 6)) };
}

/**
 * `pieces` against the reference's text, and against positions made afresh from that text: the
 * reference's own line starts go wrong after a range past the last line, which ours must not copy.
 */
function assertSame(pieces, edited, rnd, where) {
  const text = edited.getText();
  const reference = TextDocument.create(edited.uri, edited.languageId, edited.version, text);
  assert.equal(pieces.getText(), text, `${where}: text`);
  assert.equal(pieces.length, text.length, `${where}: length`);
  assert.equal(pieces.lineCount, reference.lineCount, `${where}: lineCount`);
  assert.equal(pieces.version, reference.version, `${where}: version`);
  for (let i = 0; i < 30; i++) {
    const offset = Math.floor(rnd() * (text.length + 4)) - 2;
    assert.deepEqual(pieces.positionAt(offset), reference.positionAt(offset), `${where}: positionAt(${offset})`);
    const line = Math.floor(rnd() * (reference.lineCount + 2)) - 1;
    const position = { line, character: Math.floor(rnd() * 50) - 2 };
    assert.equal(pieces.offsetAt(position), reference.offsetAt(position), `${where}: offsetAt(${JSON.stringify(position)})`);
    assert.deepEqual(pieces.getLineRange(line), reference.getLineRange(line), `${where}: getLineRange(${line})`);
    assert.equal(pieces.getEOLCharacters(line), reference.getEOLCharacters(line), `${where}: getEOLCharacters(${line})`);
    const range = { start: reference.positionAt(Math.floor(rnd() * text.length)), end: reference.positionAt(Math.floor(rnd() * text.length)) };
    assert.equal(pieces.getText(range), reference.getText(range), `${where}: getText(${JSON.stringify(range)})`);
  }
}

test('the server\'s documents give the same text, lines, positions and offsets as vscode-languageserver-textdocument after each edit', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const rnd = random(seed);
    // Small texts stay in one piece; large ones (pieces are 16 kB) span many.
    const initial = randomText(rnd, seed % 3 === 0 ? 50 : 30_000 + Math.floor(rnd() * 60_000));
    const reference = TextDocument.create('file:///a.conf', 'nginx', 1, initial);
    const pieces = PieceDocument.create('file:///a.conf', 'nginx', 1, initial);
    for (let edit = 1; edit <= 150; edit++) {
      // Each change of a batch applies to the text the previous one left, as in LSP: made against that text.
      const scratch = TextDocument.create(reference.uri, 'nginx', 0, reference.getText());
      const changes = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
        const change = randomChange(rnd, scratch);
        TextDocument.update(scratch, [change], 0);
        return change;
      });
      TextDocument.update(reference, changes, edit + 1);
      PieceDocument.update(pieces, changes, edit + 1);
      // Read whole only now and then, as the server does: most edits meet pieces, not a joined text.
      if (edit % 7 === 0 || seed % 4 === 0) assertSame(pieces, reference, rnd, `seed ${seed}, edit ${edit}`);
    }
    assertSame(pieces, reference, rnd, `seed ${seed}, end`);
  }
});

test('a \\r\\n made or split across pieces and edits still counts as one line break', () => {
  const reference = TextDocument.create('file:///a.conf', 'nginx', 1, 'a'.repeat(16 * 1024 - 1) + '\r' + '\nb\r\nc');
  const pieces = PieceDocument.create('file:///a.conf', 'nginx', 1, reference.getText());
  const rnd = random(7);
  assertSame(pieces, reference, rnd, 'a \\r\\n across two pieces');
  for (const [i, change] of [
    { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, text: '\r' }, // b\r -> "\r" then "\r\n"
    { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, text: 'x\r' },
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' },
  ].entries()) {
    TextDocument.update(reference, [change], i + 2);
    PieceDocument.update(pieces, [change], i + 2);
    assertSame(pieces, reference, rnd, `edit ${i}`);
  }
});

test('a range past the last line edits at the end, and positions stay right after it', () => {
  const rnd = random(11);
  const text = 'events {}\r\nhttp {\n  server {}\n}\n';
  const pieces = PieceDocument.create('file:///a.conf', 'nginx', 1, text);
  const past = { line: 40, character: 3 };
  pieces.update([{ range: { start: past, end: past }, text: 'include x;\nmore;\n' }], 2);
  assertSame(pieces, TextDocument.create('file:///a.conf', 'nginx', 2, text + 'include x;\nmore;\n'), rnd, 'inserted past the end');
  pieces.update([{ range: { start: { line: -3, character: 0 }, end: { line: 0, character: 6 } }, text: '' }], 3);
  assertSame(pieces, TextDocument.create('file:///a.conf', 'nginx', 3, text.slice(6) + 'include x;\nmore;\n'), rnd, 'deleted from before the start');
});

/** The line of `text` holding `offset`, and where in it. */
function lineAround(text, offset) {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return { line: text.slice(start, end < 0 ? text.length : end), column: offset - start };
}

test('the edit map made from the recorded regions maps only lines that are the same in both texts', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const rnd = random(100 + seed);
    const document = PieceDocument.create('file:///a.conf', 'nginx', 1, randomText(rnd, 40_000 + Math.floor(rnd() * 40_000)));
    let version = 1;
    for (let round = 0; round < 8; round++) {
      const analysed = document.getText();
      const edits = 1 + Math.floor(rnd() * 40);
      // Edits near each other (a user typing in one place), and now and then elsewhere too: more
      // places than the regions kept, now and then, so that the closest merge.
      const around = Math.floor(rnd() * document.lineCount);
      for (let i = 0; i < edits; i++) {
        const line = rnd() < 0.5 ? around + Math.floor(rnd() * 3) : Math.floor(rnd() * document.lineCount);
        const start = { line, character: Math.floor(rnd() * 20) };
        document.update([{ range: { start, end: rnd() < 0.6 ? start : { line, character: start.character + 3 } },
          text: randomText(rnd, Math.floor(rnd() * 4)).replace(/\r/g, '') }], ++version);
      }
      const changed = document.changedSince(analysed);
      assert.ok(changed !== undefined, 'the text read before the edits is remembered');
      assert.ok(changed.length <= 16, 'at most 16 regions');
      const current = document.getText();
      if (changed.length === 0) assert.equal(current, analysed, `seed ${seed}, round ${round}: no region means the same text`);
      const map = editMapOf(analysed, changed);
      for (let i = 0; i < 400; i++) {
        const offset = Math.floor(rnd() * (current.length + 1));
        const back = map.back(offset);
        if (back === undefined) {
          assert.ok(map.editedAt(offset), `seed ${seed}, round ${round}: ${offset} is unmapped only on edited lines`);
          continue;
        }
        assert.deepEqual(lineAround(analysed, back), lineAround(current, offset), `seed ${seed}, round ${round}: back(${offset})`);
        assert.equal(map.forward(back), offset, `seed ${seed}, round ${round}: forward(back(${offset}))`);
      }
    }
  }
});

test('between two places edited far apart, offsets still map; comparing the texts finds one region that covers both', () => {
  const text = 'http {\n  server { listen 80; }\n}\n'.repeat(2000);
  const document = PieceDocument.create('file:///a.conf', 'nginx', 1, text);
  const analysed = document.getText();
  document.update([{ range: { start: { line: 10, character: 2 }, end: { line: 10, character: 2 } }, text: '# top\n' }], 2);
  document.update([{ range: { start: { line: 5000, character: 2 }, end: { line: 5000, character: 2 } }, text: 'x' }], 3);
  const middle = document.offsetAt({ line: 3000, character: 4 });
  const recorded = editMapOf(analysed, document.changedSince(analysed));
  assert.equal(recorded.edited.length, 2);
  assert.deepEqual(lineAround(analysed, recorded.back(middle)), lineAround(document.getText(), middle));
  assert.equal(editMap(analysed, document.getText()).back(middle), undefined, 'one region from the first difference to the last');
});

test('a text typed and taken back is unchanged, and an edit forgets joins older than the last two', () => {
  const text = 'http {\n  server { listen 80; }\n}\n'.repeat(2000);
  const document = PieceDocument.create('file:///a.conf', 'nginx', 1, text);
  const first = document.getText();
  const at = first.indexOf('server');
  document.update([{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }, text: 'x' }], 2);
  assert.deepEqual(document.changedSince(first), [{ from: at, to: at, start: at, end: at + 1 }]);
  document.update([{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } }, text: '' }], 3);
  assert.deepEqual(document.changedSince(first), []);
  document.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }], 4);
  const second = document.getText();
  document.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: ';' }], 5);
  document.getText();
  assert.equal(document.changedSince(first), undefined, 'only the last two texts read whole are remembered');
  assert.deepEqual(document.changedSince(second), [{ from: 0, to: 1, start: 0, end: 1 }]);
});
