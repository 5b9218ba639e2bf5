// Rules off by default (rules.ts defaultOff): their findings appear only where nginx-ls.rules names a
// severity for them, in the analysis and as shown; and the advisory table records its source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { service } from '../lib/service.mjs';

const MAIN = '/t/nginx.conf';
const TEXT = 'events {}\nhttp {\n    server_tokens off;\n    server { listen 80; location ~ ^/(a+)+$ { return 404; } }\n}\n';
const codes = (rules) => service.analyzeConfig(MAIN, service.memoryHost({ [MAIN]: TEXT }), { rules }).findings.map((f) => f.code);

test('a rule off by default reports nothing until a severity turns it on; "off" keeps it off', () => {
  assert.deepEqual(codes(undefined), []);
  assert.deepEqual(codes({ 'regex-redos': 'off' }), []);
  assert.deepEqual(codes({ 'regex-redos': 'warning' }), ['regex-redos']);
  assert.deepEqual(codes({ 'regex-redos': 'nonsense' }), [], 'an unreadable setting is no severity');
});

test('effectiveSeverity: off by default, the setting once one is given', () => {
  const finding = { file: MAIN, start: 0, end: 1, code: 'regex-redos', message: 'm' };
  assert.equal(service.effectiveSeverity(finding), undefined);
  assert.equal(service.effectiveSeverity(finding, { 'regex-redos': 'hint' }), 'hint');
  assert.equal(service.effectiveSeverity(finding, { 'regex-redos': 'error' }), 'error');
  assert.equal(service.defaultSetting(service.ruleById('regex-redos')), 'off');
  assert.equal(service.defaultSetting(service.ruleById('resolver-external')), 'warning');
});

test('every rule off by default is a hint (tuning and style), as the design has it', () => {
  const off = service.RULES.filter((r) => r.defaultOff);
  assert.ok(off.length >= 10);
  for (const rule of off) assert.equal(rule.severity, 'hint', rule.id);
});

test('the advisory table names its source, nginx.org\'s security_advisories.xml at a commit, and a feature per advisory', () => {
  const table = JSON.parse(readFileSync(new URL('../../server/src/service/nginx/data/advisories.json', import.meta.url), 'utf8'));
  assert.equal(table.source.repository, 'nginx/nginx.org');
  assert.equal(table.source.path, 'xml/en/security_advisories.xml');
  assert.match(table.source.commit, /^[0-9a-f]{40}$/);
  const family = readFileSync(new URL('../../server/src/service/nginx/rules/advisories.ts', import.meta.url), 'utf8');
  for (const a of table.advisories) {
    assert.match(a.cve, /^(CVE-\d{4}-\d+|CORE-\d{4}-\d+)$/);
    // Every feature is one the family names (or one it deliberately never reports).
    assert.ok(['windows', 'none'].includes(a.feature) || family.includes(`'${a.feature}'`), `${a.cve}: feature ${a.feature}`);
  }
});
