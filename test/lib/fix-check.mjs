// Quick fixes as before/after text, for the quickfix-<family>.test.mjs files: the fix is computed from
// the document and the diagnostic alone, applied, and the result analysed again: the finding is gone
// and no error appears that was not there before. The rules off by default are turned on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from './service.mjs';

const MAIN = '/fix/nginx.conf';
/** The rules off by default, turned on: their fixes are tested like the others'. */
const EVERY_HINT = Object.fromEntries(service.RULES.filter((r) => r.defaultOff).map((r) => [r.id, r.severity]));

/** The findings of `text` as the main configuration, with `files` beside it (paths relative to /fix/). */
export function findingsOf(text, { files = {}, nginxVersion } = {}) {
  const all = { [MAIN]: text, ...Object.fromEntries(Object.entries(files).map(([name, content]) => [`/fix/${name}`, content])) };
  return service.analyzeConfig(MAIN, service.memoryHost(all), { rootContexts: ['main'], nginxVersion, rules: EVERY_HINT }).findings
    .filter((f) => f.file === MAIN);
}

function errorsOf(text, options) {
  return findingsOf(text, options).filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);
}

/**
 * One test: the first finding of `code` in `before` (the one whose message matches `on`, when given)
 * has a fix whose title matches `title`; applied, it gives `after`, which has `remaining` findings of
 * `code` (none by default) and no new error.
 */
export function checkFix(name, { before, code, title, after, on, remaining = 0, files, nginxVersion }) {
  test(name, () => {
    const options = { files, nginxVersion };
    const finding = findingsOf(before, options).find((f) => f.code === code && (!on || on.test(f.message)));
    assert.ok(finding, `no ${code} finding in:\n${before}`);
    const fixes = service.quickFixes(before, finding);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ') || 'none'}`);
    const result = service.applyEdits(before, fix.edits);
    assert.equal(result, after);
    assert.equal(findingsOf(result, options).filter((f) => f.code === code).length, remaining, `${code} still reported after the fix`);
    const errorsBefore = errorsOf(before, options).filter((e) => !e.startsWith(code));
    assert.deepEqual(errorsOf(result, options), errorsBefore, 'the fix introduced an error');
  });
}

/** A test that no fix is offered for the first finding of `code` (where a fix would change what the configuration means). */
export function checkNoFix(name, { before, code, nginxVersion }) {
  test(name, () => {
    const finding = findingsOf(before, { nginxVersion }).find((f) => f.code === code);
    assert.ok(finding, `no ${code} finding in:\n${before}`);
    assert.deepEqual(service.quickFixes(before, finding).map((f) => f.title), []);
  });
}

/** A main configuration around a server's lines. */
export const inServer = (body, http = '') => `events {}\nhttp {\n${http}    server {\n        listen 8080;\n${body}    }\n}\n`;
