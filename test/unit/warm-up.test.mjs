// The main thread's warm-up (server/src/lsp/warm-up.ts): a few extra analyses after a document's first
// diagnostics, one per turn of the event loop, ended by an edit or a close, at most 8 per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { WarmUp } = require('../../dist/server-parts.js');

async function turns(count) {
  for (let i = 0; i < count; i++) await nextTurn();
}

function setup() {
  const open = new Map();
  const runs = [];
  const warmUp = new WarmUp((uri) => runs.push(uri), (uri) => open.get(uri));
  return { open, runs, warmUp };
}

test('after a document\'s first diagnostics it is analysed again once per turn, 8 times in all for the process', async () => {
  const { open, runs, warmUp } = setup();
  open.set('file:///a.conf', { uri: 'file:///a.conf', version: 1 });
  warmUp.analysed(open.get('file:///a.conf'), 20);
  await turns(1);
  assert.equal(runs.length, 1, 'one run per turn of the event loop');
  await turns(20);
  assert.deepEqual(runs, Array(8).fill('file:///a.conf'));
  open.set('file:///b.conf', { uri: 'file:///b.conf', version: 1 });
  warmUp.analysed(open.get('file:///b.conf'), 20);
  await turns(5);
  assert.equal(runs.length, 8, 'no more once the process has made its 8');
});

test('files analysed in under 5 ms are not worth it; an edit or a close ends the runs, and the next diagnostics go on', async () => {
  const { open, runs, warmUp } = setup();
  const a = { uri: 'file:///a.conf', version: 1 };
  open.set(a.uri, a);
  warmUp.analysed(a, 2);
  await turns(5);
  assert.equal(runs.length, 0, 'a cheap analysis warms nothing');

  warmUp.analysed(a, 20);
  await turns(2);
  open.set(a.uri, { uri: a.uri, version: 2 });
  await turns(5);
  assert.equal(runs.length, 2, 'typing ends the warm-up');

  warmUp.analysed(open.get(a.uri), 20);
  await turns(1);
  open.delete(a.uri);
  await turns(5);
  assert.equal(runs.length, 3, 'closing ends it');

  open.set(a.uri, { uri: a.uri, version: 3 });
  warmUp.analysed(open.get(a.uri), 20);
  await turns(20);
  assert.equal(runs.length, 8, 'the runs left are made after the next diagnostics');
});
