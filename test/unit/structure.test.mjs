// The shape of the code, checked from its source: which family reports which rule, which rules have
// cases, what the service may import, and that no import cycle exists.
//
// - Rule ownership. A family "reports" a rule when the rule id stands as a string literal in the
//   family's file (server/src/service/<language>/rules/<family>.ts, not index.ts). Every rule id of
//   the rule table is reported by exactly one family; a family's declared `rules` are exactly the
//   ids its file reports; every family file is a registered family (NGINX_FAMILIES,
//   INGRESS_FAMILIES) and the reverse. No other file under server/src/service holds a rule id as a
//   string literal, but the rule table (rules.ts) and the data tables listed in ID_TABLES.
// - Cases. Every rule has a case where it fires (an annotation with a severity) and one where it must
//   not (`#   ^^^^ not <code>`), in its family's `.cases/` folder, or failing that in any case folder.
// - Imports. The service (server/src/service) does no I/O, starts no process and knows nothing of
//   LSP: it imports relative modules and the packages in SERVICE_PACKAGES only. A rule family
//   imports neither language's walk nor loader (RULE_FORBIDDEN).
// - Cycles. No cycle among the relative imports of server/src/**/*.ts, `import type` included.
//
// String literals and imports are read with the TypeScript parser, so comments do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { caseFolders } from '../lib/cases.mjs';
import { annotations } from '../lib/fixtures.mjs';
import { service } from '../lib/service.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER = join(ROOT, 'server/src');
const SERVICE = join(SERVER, 'service');
const rel = (file) => relative(ROOT, file);

/** The families of each language, as the built service registers them. */
const LANGUAGES = { nginx: service.NGINX_FAMILIES, ingress: service.INGRESS_FAMILIES };

/**
 * Files outside the rule families that may name rule ids, each with the ids and why: a data table
 * that is not a report. (The Ingress half asks the nginx families, through functions they export,
 * instead of naming their ids.)
 */
const ID_TABLES = {
  'server/src/service/rule-docs.ts': {
    ids: service.RULES.map((r) => r.id),
    reason: 'the explanation of each rule, keyed by id, for its page (docs/rules/<id>.md); reports nothing',
  },
};

/**
 * The only packages the service imports: anything else (node:fs, node:child_process, node:net,
 * node:http, node:os, vscode-languageserver, vscode, …) would do I/O, start processes or tie the
 * service to LSP. `files` limits where a package may be imported.
 */
const SERVICE_PACKAGES = {
  yaml: { reason: 'parses Kubernetes manifests' },
  'node:path/posix': { reason: 'string operations on paths, no file system' },
  '@nginx/reference-lib': { reason: 'directive and variable documentation (data, loaded lazily)' },
  '@peculiar/x509': { reason: 'parses certificates from bytes the host read', files: ['server/src/service/nginx/certificates.ts'] },
  'reflect-metadata': { reason: '@peculiar/x509 needs it loaded first', files: ['server/src/service/nginx/certificates.ts'] },
  'node:crypto': {
    reason: 'loaded lazily to read key types and compare public keys of bytes the host read (no I/O)',
    files: ['server/src/service/nginx/certificates.ts'],
  },
  // vscode-languageserver-textdocument is not here either: the service speaks offsets; callers convert.
};

/**
 * What a rule family must not import: a language's walk or loader (and what re-exports them). A
 * family sees one directive or one Ingress through its context (nginx/context.ts,
 * ingress/context.ts). Other families' files are fine (the Ingress secrets family calls the nginx
 * certificates family). Only direct imports are checked: the Ingress snippets family runs the nginx
 * engine over a snippet through ingress/snippet-region.ts, which is not the Ingress walk but the
 * seam through which the snippet's nginx findings are the snippets family's to report.
 */
const RULE_FORBIDDEN = {
  'server/src/service/index.ts': 'the service index re-exports both walks and loaders',
  'server/src/service/nginx/index.ts': 'the nginx index re-exports the walk and the loader: import the module you need',
  'server/src/service/nginx/walk.ts': 'the nginx walk',
  'server/src/service/nginx/load.ts': 'the nginx loader',
  'server/src/service/nginx/workspace.ts': 'the nginx workspace loads and walks',
  'server/src/service/nginx/rules/index.ts': 'the merged tables of the families',
  'server/src/service/ingress/index.ts': 'the Ingress index re-exports its walk and loader',
  'server/src/service/ingress/analyze.ts': 'the Ingress walk: builds each Ingress\' context and runs the families',
  'server/src/service/ingress/workspace.ts': 'the Ingress loader: parses manifests, indexes Secrets, analyses',
  'server/src/service/ingress/resource-index.ts': 'part of the Ingress loader (the resource index the options carry)',
  'server/src/service/ingress/rules/index.ts': 'the list of families, which the walk runs',
};

// ---- reading the source ----------------------------------------------------------------------

function tsFiles(dir) {
  return readdirSync(dir).sort().flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

const parsed = new Map();
function sourceFile(file) {
  if (!parsed.has(file)) parsed.set(file, ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
  return parsed.get(file);
}

const lineOf = (sf, node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

/** String literals ('…', "…", `…` without substitutions) of a file, with their lines. */
function stringLiterals(file) {
  const sf = sourceFile(file);
  const out = [];
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push({ text: node.text, line: lineOf(sf, node) });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * What a file imports: `import`/`export … from`, `import type`, `import x = require()`, `require()`,
 * `import()` and `import('…').T` types.
 */
function importsOf(file) {
  const sf = sourceFile(file);
  const out = [];
  const add = (spec, node) => {
    if (spec && (ts.isStringLiteral(spec) || ts.isNoSubstitutionTemplateLiteral(spec)))
      out.push({ specifier: spec.text, line: lineOf(sf, node) });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, node);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, node);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword
      || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) add(node.arguments[0], node);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The .ts file a relative specifier names, or undefined (a JSON file, a bundle loaded at run time). */
function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((p) => p.endsWith('.ts') && existsSync(p) && statSync(p).isFile());
}

const serviceFiles = tsFiles(SERVICE);
const ruleIds = service.RULES.map((r) => r.id);
const ruleIdSet = new Set(ruleIds);

/** Every family file on disk: server/src/service/<language>/rules/<name>.ts but index.ts. */
const familyFiles = serviceFiles.filter((f) => /\/service\/[^/]+\/rules\/[^/]+\.ts$/.test(f) && !f.endsWith('/index.ts'));

function familyFile(language, name) {
  return join(SERVICE, language, 'rules', `${name}.ts`);
}

/** The rule ids a file names as string literals, with the lines they are on. */
function idsIn(file) {
  const ids = new Map();
  for (const { text, line } of stringLiterals(file)) {
    if (ruleIdSet.has(text)) ids.set(text, [...(ids.get(text) ?? []), line]);
  }
  return ids;
}

// ---- a. rule ownership -----------------------------------------------------------------------

test('every family file is a registered family, and every registered family has its file', () => {
  const registered = Object.entries(LANGUAGES).flatMap(([language, families]) => families.map((f) => familyFile(language, f.name)));
  assert.deepEqual([...registered].sort().map(rel), familyFiles.map(rel).sort());
  for (const [language, families] of Object.entries(LANGUAGES))
    assert.ok(families?.length, `no ${language} families exported by dist/service.js`);
});

test('every rule is reported by exactly one family, and a family declares exactly the rules its file reports', () => {
  const problems = [];
  const reporters = new Map(ruleIds.map((id) => [id, []]));
  for (const [language, families] of Object.entries(LANGUAGES)) {
    for (const family of families) {
      const file = familyFile(language, family.name);
      if (!existsSync(file)) continue; // the test above says so
      const reported = idsIn(file);
      for (const id of reported.keys()) reporters.get(id).push(`${language}/${family.name}`);
      const declared = [...family.rules];
      const duplicates = declared.filter((id, i) => declared.indexOf(id) !== i);
      if (duplicates.length) problems.push(`${rel(file)}: declares ${duplicates.join(', ')} twice`);
      for (const id of declared) if (!ruleIdSet.has(id)) problems.push(`${rel(file)}: declares ${id}, which is not in the rule table`);
      for (const id of declared) if (!reported.has(id)) problems.push(`${rel(file)}: declares ${id} but never names it`);
      for (const [id, lines] of reported) {
        if (!declared.includes(id)) problems.push(`${rel(file)}:${lines[0]}: names ${id}, which its \`rules\` do not declare`);
      }
    }
  }
  for (const [id, families] of reporters) {
    if (families.length === 0) problems.push(`${id}: reported by no family`);
    if (families.length > 1)
      problems.push(`${id}: reported by ${families.length} families (${families.join(', ')}); `
        + 'one must own it and export what the other needs');
  }
  if (problems.length) assert.fail(`\n${problems.join('\n')}`);
});

test('no file under server/src/service names a rule id outside the families and the rule table', () => {
  const problems = [];
  const allowedFiles = new Set([...familyFiles, join(SERVICE, 'rules.ts')]);
  for (const file of serviceFiles) {
    if (allowedFiles.has(file)) continue;
    const table = ID_TABLES[rel(file)];
    for (const [id, lines] of idsIn(file)) {
      if (table?.ids.includes(id)) continue;
      problems.push(`${rel(file)}:${lines.join(',')}: names the rule id ${id}; `
        + 'report it from its family, or ask the family through a function it exports');
    }
  }
  if (problems.length) assert.fail(`\n${problems.join('\n')}`);
});

// ---- b. cases --------------------------------------------------------------------------------

function allFiles(dir) {
  return readdirSync(dir).sort().flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

/** For each rule id, the case folders (labels) with an annotation saying it fires, and saying it must not. */
function annotationsByRule() {
  const by = new Map(ruleIds.map((id) => [id, { fires: new Set(), not: new Set() }]));
  for (const { label, folder } of caseFolders()) {
    for (const file of allFiles(folder)) {
      if (/\.(pem|crt|key)$/.test(file)) continue;
      // The runner's own reading of annotations (test/lib/fixtures.mjs), so both agree on the format.
      for (const { code, kind } of annotations(readFileSync(file, 'utf8'), file)) by.get(code)?.[kind].add(label);
    }
  }
  return by;
}

/** The family that owns each rule, as `<language>/<family>` (the label of its cases folder). */
function ownerLabels() {
  const owner = new Map();
  for (const [language, families] of Object.entries(LANGUAGES))
    for (const f of families) for (const id of f.rules) owner.set(id, `${language}/${f.name}`);
  return owner;
}

function caseCoverage(t, kind, wording) {
  const by = annotationsByRule();
  const owner = ownerLabels();
  const missing = [];
  const elsewhere = [];
  for (const id of ruleIds) {
    const labels = by.get(id)[kind];
    const home = owner.get(id) ?? '?';
    const folder = `server/src/service/${home.replace('/', '/rules/')}.cases/`;
    if (labels.size === 0) missing.push(`  ${id.padEnd(32)} ${folder}`);
    else if (!labels.has(home)) elsewhere.push(`  ${id.padEnd(32)} in ${[...labels].join(', ')}, not in ${folder}`);
  }
  // Cases in another family's folder count, but are worth moving beside their family.
  if (elsewhere.length) t.diagnostic(`rules with a case where ${wording} only in another family's folder:\n${elsewhere.join('\n')}`);
  if (missing.length)
    assert.fail(`${missing.length} rule(s) have no case where ${wording} (rule id, the folder of its family):\n${missing.join('\n')}`);
}

test('every rule has a case where it fires', (t) => caseCoverage(t, 'fires', 'it fires'));

test('every rule has a case where it must not fire (#   ^^^^ not <code>)', (t) => caseCoverage(t, 'not', 'it must not fire (`not`)'));

// ---- c. imports ------------------------------------------------------------------------------

test('the service imports no I/O, process or LSP module: only relative modules and the packages listed', () => {
  const problems = [];
  for (const file of serviceFiles) {
    for (const { specifier, line } of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (target && !target.startsWith(SERVICE + '/')) problems.push(`${rel(file)}:${line}: imports ${specifier}, outside the service`);
        continue;
      }
      const allowed = SERVICE_PACKAGES[specifier];
      if (!allowed)
        problems.push(`${rel(file)}:${line}: imports ${specifier}; `
          + 'the service does no I/O, starts no process and knows no LSP (the host and the server do)');
      else if (allowed.files && !allowed.files.includes(rel(file)))
        problems.push(`${rel(file)}:${line}: imports ${specifier}, allowed only in ${allowed.files.join(', ')} (${allowed.reason})`);
    }
  }
  if (problems.length) assert.fail(`\n${problems.join('\n')}`);
});

test('no rule family imports a walk or a loader', () => {
  const problems = [];
  for (const file of familyFiles) {
    for (const { specifier, line } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      const why = target && RULE_FORBIDDEN[rel(target)];
      if (why) problems.push(`${rel(file)}:${line}: imports ${specifier} (${why})`);
    }
  }
  if (problems.length) assert.fail(`\n${problems.join('\n')}`);
});

// ---- d. cycles -------------------------------------------------------------------------------

test('no import cycle among server/src/**/*.ts (import type included)', () => {
  const graph = new Map();
  for (const file of tsFiles(SERVER)) {
    const targets = importsOf(file).filter((i) => i.specifier.startsWith('.')).map((i) => resolveRelative(file, i.specifier))
      .filter(Boolean);
    graph.set(file, [...new Set(targets)]);
  }
  const cycles = [];
  const seen = new Set();
  const state = new Map(); // 1: on the path, 2: done
  const path = [];
  const visit = (file) => {
    state.set(file, 1);
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 1) {
        const cycle = [...path.slice(path.indexOf(next)), next].map((f) => relative(SERVER, f));
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(key)) { seen.add(key); cycles.push(cycle.join(' -> ')); }
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 2);
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  if (cycles.length) assert.fail(`import cycles (server/src/…):\n${cycles.join('\n')}`);
});
