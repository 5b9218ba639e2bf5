// Every rule case is checked against the diagnostics written inline in it, and the parser's token
// stream is checked to be lossless on it. Cases sit beside the family they test
// (server/src/service/<language>/rules/<family>.cases/); cross-cutting ones are in test/fixtures/<area>/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, displayPath, expectations, fixtureCases } from '../lib/fixtures.mjs';
import { caseFolders } from '../lib/cases.mjs';
import { diagnoseFiles, service } from '../lib/service.mjs';

/** A case written for an older nginx says so in a line `# target: nginx 1.22` (nginx-ls.nginx.version). */
const TARGET = /^# target: nginx (\S+)$/m;
/** A case written for one flavor says so in a line `# flavor: openresty` (nginx-ls.nginx.flavor; `auto` otherwise). */
const FLAVOR = /^# flavor: (\S+)$/m;

for (const { label, folder } of caseFolders()) {
  for (const c of fixtureCases(folder)) {
    test(`${label}/${c.name}`, () => {
      const nginxVersion = Object.values(c.files).map((text) => TARGET.exec(text)?.[1]).find(Boolean);
      const flavor = Object.values(c.files).map((text) => FLAVOR.exec(text)?.[1]).find(Boolean);
      const results = diagnoseFiles(c.files, {}, undefined, { ...(nginxVersion && { nginxVersion }), ...(flavor && { flavor }) });
      const problems = [];
      for (const [file, text] of Object.entries(c.files)) {
        if (/\.(pem|crt|key)$/.test(file)) continue; // certificate files a case's config names
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
