// `findingData: false` (what `nginx-ls check` analyses with): the findings are the same, less their
// data (what hover and quick fixes read), which rules then skip making. Over every rule's cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { service } from '../lib/service.mjs';

const rulesDir = fileURLToPath(new URL('../../server/src/service/nginx/rules/', import.meta.url));

function confFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? confFiles(full) : e.name.endsWith('.conf') ? [full] : [];
  });
}

test('findingData: false gives every rule case the same findings, none with data', () => {
  const cases = fs.readdirSync(rulesDir).filter((name) => name.endsWith('.cases')).flatMap((name) => confFiles(path.join(rulesDir, name)));
  assert.ok(cases.length > 100, `${cases.length} cases`);
  const withData = new Set();
  for (const file of cases) {
    const host = service.memoryHost(Object.fromEntries(confFiles(path.dirname(file)).map((f) => [f, fs.readFileSync(f, 'utf8')])));
    const options = { now: new Date('2026-12-01T00:00:00Z') };
    const full = service.analyzeConfig(file, host, options);
    const lean = service.analyzeConfig(file, host, { ...options, findingData: false });
    for (const f of full.findings) if (f.data) withData.add(f.code);
    const strip = (findings) => findings.map(({ data: _data, ...rest }) => rest);
    assert.deepEqual(lean.findings, strip(full.findings), path.relative(rulesDir, file));
    assert.deepEqual(lean.suppressed, strip(full.suppressed), path.relative(rulesDir, file));
  }
  // The rules whose data is made by a function (header-inheritance, default-servers, access) are among those seen.
  for (const code of ['proxy-header-dropped', 'add-header-dropped', 'hsts-missing', 'default-server-implicit', 'access-allow-without-deny',
    'access-bypassed-by-return']) assert.ok(withData.has(code), `${code}: no case with data`);
});
