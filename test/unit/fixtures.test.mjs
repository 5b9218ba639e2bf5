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
/** A manifest case written for one `nginx-ls.ingress.controller` says so in a line `# ingress-controller: f5-nginx`. */
const CONTROLLER = /^# ingress-controller: (\S+)$/m;

/**
 * A rule that is off by default (rules.ts defaultOff) is turned on, at its own severity, in a case
 * that annotates it (fires or not): the case is about it. Elsewhere it stays off, as for users.
 */
function settingsFor(files) {
  const annotated = new Set(Object.entries(files).filter(([file]) => !/\.(pem|crt|key)$/.test(file))
    .flatMap(([file, text]) => expectations(text, file).map((e) => e.code)));
  return Object.fromEntries(service.RULES.filter((r) => r.defaultOff && annotated.has(r.id)).map((r) => [r.id, r.severity]));
}

/**
 * The note that ingress-nginx is retired would stand on every Ingress of every case: it is given in
 * the cases that annotate it (where it fires or must not), as nginx-ls.ingress.retirementNotice is on for users.
 */
function annotates(files, code) {
  return Object.entries(files).some(([file, text]) => /\.ya?ml$/.test(file) && expectations(text, file).some((e) => e.code === code));
}

for (const { label, folder } of caseFolders()) {
  for (const c of fixtureCases(folder)) {
    test(`${label}/${c.name}`, () => {
      const nginxVersion = Object.values(c.files).map((text) => TARGET.exec(text)?.[1]).find(Boolean);
      const flavor = Object.values(c.files).map((text) => FLAVOR.exec(text)?.[1]).find(Boolean);
      const ingressController = Object.values(c.files).map((text) => CONTROLLER.exec(text)?.[1]).find(Boolean);
      const results = diagnoseFiles(c.files, settingsFor(c.files), undefined, {
        ...(nginxVersion && { nginxVersion }), ...(flavor && { flavor }), ...(ingressController && { ingressController }),
        retirementNotice: annotates(c.files, 'ingress-nginx-retired'),
      });
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
