// The language service as bundled by `npm run build` (tests run after the build).
import { createRequire } from 'node:module';
export const service = createRequire(import.meta.url)('../../dist/service.js');
import { TextDocument } from 'vscode-languageserver-textdocument';


/** Findings as the server shows them: LSP ranges, rule severities applied, "off" rules dropped. */
function toDiagnostics(findings, file, text, languageId, settings) {
  const doc = TextDocument.create('file://' + file, languageId, 0, text);
  return findings.flatMap((f) => {
    const severity = service.effectiveSeverity(f, settings);
    if (!severity) return [];
    return [{
      range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }, severity, code: f.code, message: f.message, data: f.data
    }];
  });
}

/**
 * The time fixtures are judged at, never the real clock: their certificates (made once, checked
 * in) must read the same in 2030 as today. Their CA certificates expire in 2046.
 */
/** A ManifestWorkspace over `files` (path → text), every file a candidate, judging at `now` with `settings`. */
export function manifestWorkspace(files, { now, settings } = {}) {
  const workspace = new service.ManifestWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  if (now) workspace.now = now;
  if (settings) workspace.settings = settings;
  return workspace;
}

export const FIXTURE_NOW = new Date('2026-12-01T00:00:00Z');

/**
 * Runs the workspace analysis over an in-memory set of files (nginx and YAML); diagnostics per file.
 * `settings` are rule severities as the editor sends them; the clock is `now` (FIXTURE_NOW); `analysis`
 * adds analysis options (`nginxVersion`), and the Ingress settings `ingressController` and `retirementNotice` (off unless asked).
 */
export function diagnoseFiles(files, settings = {}, now = FIXTURE_NOW, analysis = {}) {
  const host = service.memoryHost(files);
  const isYaml = (f) => /\.ya?ml$/.test(f);
  const workspace = new service.ConfigWorkspace(host);
  workspace.settings = { ...analysis, now, rules: settings };
  workspace.setCandidates(Object.keys(files).filter((f) => !isYaml(f)));
  const manifests = new service.ManifestWorkspace(host);
  manifests.now = now;
  // The retirement note would stand on every ingress-nginx Ingress: cases ask for it (fixtures.test.mjs).
  manifests.settings = { controller: analysis.ingressController ?? 'auto', retirementNotice: analysis.retirementNotice ?? false };
  manifests.setCandidates(Object.keys(files).filter(isYaml));
  const out = {};
  for (const [file, text] of Object.entries(files)) {
    const findings = isYaml(file)
      ? manifests.analyze(file)?.analysis.findings ?? []
      : workspace.analysisFor(file).findings.filter((f) => f.file === file);
    out[file] = toDiagnostics(findings, file, text, isYaml(file) ? 'yaml' : 'nginx', settings);
  }
  return out;
}
