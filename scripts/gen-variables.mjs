// Regenerates server/src/service/nginx/data/variables.json: the names of the variables nginx modules
// define (from @nginx/reference-lib), so that checking for unknown variables does not load the whole
// documentation package. Run after upgrading @nginx/reference-lib; the output is committed.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { getVariables } = createRequire(import.meta.url)('@nginx/reference-lib');
const names = [...new Set(getVariables().map((v) => v.name.replace(/^\$/, '')))].sort();
const exact = names.filter((n) => !n.endsWith('_NAME'));
const prefixes = names.filter((n) => n.endsWith('_NAME')).map((n) => n.slice(0, -4));
writeFileSync('server/src/service/nginx/data/variables.json', JSON.stringify({ exact, prefixes }) + '\n');
console.log(`${exact.length} variables, ${prefixes.length} prefixes`);
