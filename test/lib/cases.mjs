// Where rule cases live: a `<family>.cases/` folder beside each family file under
// server/src/service/<language>/rules/, and cross-cutting cases under test/fixtures/<area>/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVICE = join(ROOT, 'server/src/service');
const FIXTURES = join(ROOT, 'test/fixtures');

/** Every folder of cases, with a label for test names (`nginx/tls`, `fixtures/includes`), sorted. */
export function caseFolders() {
  const out = [];
  for (const language of readdirSync(SERVICE).sort()) {
    const rules = join(SERVICE, language, 'rules');
    if (!existsSync(rules)) continue;
    for (const entry of readdirSync(rules).sort()) {
      if (entry.endsWith('.cases') && statSync(join(rules, entry)).isDirectory()) {
        out.push({
          label: `${language}/${entry.slice(0, -'.cases'.length)}`, folder: join(rules, entry), language,
          family: entry.slice(0, -'.cases'.length)
        });
      }
    }
  }
  if (existsSync(FIXTURES)) {
    for (const area of readdirSync(FIXTURES).sort()) {
      if (statSync(join(FIXTURES, area)).isDirectory()) out.push({ label: `fixtures/${area}`, folder: join(FIXTURES, area) });
    }
  }
  return out;
}

export function rootRelative(file) {
  return relative(ROOT, file);
}
