// Quick fixes asked for a stale diagnostic: editors send the diagnostics they last received while the
// user types, so the range may now land on a directive without arguments, on a comment, past the end of
// the text or in the middle of a word. For every fixable rule, every finding of it in the rule cases is
// asked for its fixes against edited texts: the answer is no fix or edits inside the text, never a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseFolders } from '../lib/cases.mjs';
import { fixtureCases } from '../lib/fixtures.mjs';
import { service } from '../lib/service.mjs';

const isYaml = (file) => /\.ya?ml$/.test(file);
const rulesWithFixes = (families, key) => new Set(families.flatMap((f) => Object.keys(f[key] ?? {})));
const NGINX_FIXABLE = new Set([
  ...rulesWithFixes(service.NGINX_FAMILIES, 'fixes'), ...rulesWithFixes(service.NGINX_FAMILIES, 'commentFixes'),
]);
const INGRESS_FIXABLE = rulesWithFixes(service.INGRESS_FAMILIES, 'fixes');
/** Every rule turned on, so that the default-off ones fire in their cases too. */
const EVERY_RULE = Object.fromEntries(service.RULES.map((r) => [r.id, r.severity]));

const lineStart = (text, offset) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text, offset) => {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
};

/** Texts the document may have become since the diagnostic at [start, end) was published. */
function staleTexts(text, { start, end }) {
  const from = lineStart(text, start);
  const to = lineEnd(text, end);
  const line = text.slice(from, to);
  const indent = /^\s*/.exec(line)[0];
  const name = /^\s*([^\s;{}#]*)/.exec(line)[1];
  return {
    'the range deleted': text.slice(0, start) + text.slice(end),
    'the directive left without arguments': text.slice(0, from) + `${indent}${name};` + text.slice(to),
    'the directive left without arguments, YAML style': text.slice(0, from) + `${indent}${name}:` + text.slice(to),
    'the line commented out': text.slice(0, from) + `# ${line}` + text.slice(to),
    'a line inserted above': text.slice(0, from) + '#\n' + text.slice(from),
    'the text cut at the range': text.slice(0, start),
    'the text cut inside the range': text.slice(0, start + Math.floor((end - start) / 2)),
    'the range replaced by a quote': text.slice(0, start) + '"' + text.slice(end),
    'the range replaced by a brace': text.slice(0, start) + '{' + text.slice(end),
    'nothing left': '',
  };
}

/** Every finding of a fixable rule in the rule cases, with the text of its file. */
function fixableFindings() {
  const out = [];
  for (const { folder } of caseFolders()) {
    for (const c of fixtureCases(folder)) {
      for (const [file, found] of Object.entries(diagnoseWithOffsets(c.files))) {
        const fixable = isYaml(file) ? INGRESS_FIXABLE : NGINX_FIXABLE;
        for (const f of found) if (fixable.has(f.code)) out.push({ file, text: c.files[file], finding: f });
      }
    }
  }
  return out;
}

/** Findings by file with their offsets (diagnoseFiles gives LSP ranges). */
function diagnoseWithOffsets(files) {
  const host = service.memoryHost(files);
  const workspace = new service.ConfigWorkspace(host);
  // A case written for an older nginx says so (`# target: nginx 1.22`), as fixtures.test.mjs reads it.
  const nginxVersion = Object.values(files).map((text) => /^# target: nginx (\S+)$/m.exec(text)?.[1]).find(Boolean);
  workspace.settings = { rules: EVERY_RULE, ...(nginxVersion && { nginxVersion }) };
  workspace.setCandidates(Object.keys(files).filter((f) => !isYaml(f)));
  const manifests = new service.ManifestWorkspace(host);
  manifests.setCandidates(Object.keys(files).filter(isYaml));
  const out = {};
  for (const file of Object.keys(files)) {
    if (/\.(pem|crt|key)$/.test(file)) continue;
    out[file] = isYaml(file) ? manifests.analyze(file)?.analysis.findings ?? []
      : workspace.analysisFor(file).findings.filter((f) => f.file === file);
  }
  return out;
}

const findings = fixableFindings();
const fixesOf = (file) => (isYaml(file) ? service.ingressQuickFixes : service.quickFixes);

test('the rule cases hold a finding of every fixable rule', () => {
  const seen = new Set(findings.map((f) => f.finding.code));
  assert.deepEqual([...NGINX_FIXABLE, ...INGRESS_FIXABLE].filter((code) => !seen.has(code)), []);
});

for (const code of [...NGINX_FIXABLE, ...INGRESS_FIXABLE].sort()) {
  test(`${code}: fixes for a stale diagnostic are none or edits inside the text`, () => {
    const failures = [];
    for (const { file, text, finding } of findings.filter((f) => f.finding.code === code)) {
      const ref = { code: finding.code, start: finding.start, end: finding.end, data: finding.data };
      for (const [edit, stale] of Object.entries(staleTexts(text, finding))) {
        try {
          for (const fix of fixesOf(file)(stale, ref)) {
            for (const e of [...fix.edits, ...(fix.snippetEdits ?? [])]) {
              if (!(e.start >= 0 && e.start <= e.end && e.end <= stale.length)) {
                failures.push(`${file} (${edit}): "${fix.title}" edits ${e.start}..${e.end} of ${stale.length}`);
              }
            }
            service.applyEdits(stale, fix.edits);
          }
        } catch (e) {
          failures.push(`${file} (${edit}): ${e.stack.split('\n').slice(0, 3).join(' / ')}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}
