// The extension manifest and the README stay in step with the server: every rule can be given a
// severity in the settings UI, with the rule's own default, and nothing else is offered; the
// README lists the rules as the rule table describes them. Both are written by `npm run rules`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { service } from '../lib/service.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const properties = manifest.contributes.configuration.properties;

test('package.json and README.md say what the rule table says (npm run rules writes them)', () => {
  const sync = spawnSync(process.execPath, [new URL('../../scripts/sync-rules.mjs', import.meta.url).pathname, '--check'],
    { encoding: 'utf8' });
  assert.equal(sync.status, 0, `${sync.stdout}${sync.stderr}`);
});

test('nginx-ls.rules offers exactly the rule ids, with their default severities ("off" for the rules off by default)', () => {
  const offered = properties['nginx-ls.rules'].properties;
  assert.deepEqual(Object.keys(offered).sort(), service.RULES.map((r) => r.id).sort());
  for (const rule of service.RULES) assert.equal(offered[rule.id].default, rule.defaultOff ? 'off' : rule.severity, rule.id);
  assert.ok(service.RULES.some((r) => r.defaultOff), 'no rule is off by default');
});

test('the settings the server reads are declared', () => {
  for (const key of ['nginx-ls.trace.server', 'nginx-ls.pathMappings', 'nginx-ls.prefix', 'nginx-ls.certificates.expiryWarningDays',
    'nginx-ls.inlayHints.certificateExpiry']) {
    assert.ok(properties[key], key);
  }
  // Both could point the server at files outside the workspace: an untrusted workspace does not get to set them.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['nginx-ls.pathMappings', 'nginx-ls.prefix']);
});

test('the language and grammar contributions point at files that exist', () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, 'nginx');
  for (const file of [
    language.configuration, ...manifest.contributes.grammars.map((g) => g.path), ...manifest.contributes.snippets.map((s) => s.path)
  ]) {
    assert.doesNotThrow(() => readFileSync(new URL(`../../${file}`, import.meta.url)), file);
  }
});
