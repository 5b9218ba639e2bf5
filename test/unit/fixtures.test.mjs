// Every fixture under test/fixtures/<area>/ is checked against the diagnostics written inline in it,
// and the parser's token stream is checked to be lossless on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compare, displayPath, expectations, fixtureCases } from '../lib/fixtures.mjs';
import { diagnoseFiles, service } from '../lib/service.mjs';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

for (const area of readdirSync(FIXTURES).sort()) {
  for (const c of fixtureCases(join(FIXTURES, area))) {
    test(`${area}/${c.name}`, () => {
      const results = diagnoseFiles(c.files);
      const problems = [];
      for (const [file, text] of Object.entries(c.files)) {
        problems.push(...compare(results[file], expectations(text), displayPath(c.root, file)));
        if (/\.ya?ml$/.test(file)) continue;
        const tree = service.parse(text, { keepTokens: true });
        assert.equal(tree.tokens.map((t) => text.slice(t.start, t.end)).join(''), text, `${file}: tokens are not lossless`);
        tree.tokens.forEach((t, i) => assert.equal(t.start, i === 0 ? 0 : tree.tokens[i - 1].end, `${file}: token ${i} leaves a gap`));
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
}
