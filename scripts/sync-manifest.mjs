// Writes the `nginx-ls.rules` setting schema in package.json from the rule table, so every rule id
// can be given a severity in the settings UI. A unit test fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { RULES } = createRequire(import.meta.url)('../dist/service.js');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const levels = ['off', 'hint', 'information', 'warning', 'error'];
manifest.contributes.configuration.properties['nginx-ls.rules'] = {
  type: 'object',
  default: {},
  markdownDescription: 'Severity per rule, by rule id (the diagnostic `code`): `off`, `hint`, `information`, `warning` or `error`.',
  properties: Object.fromEntries(RULES.map((r) => [r.id, { type: 'string', enum: levels, default: r.severity, description: r.description }])),
  additionalProperties: false,
};
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
console.log(`${RULES.length} rules`);
