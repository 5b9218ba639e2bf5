// The language service as bundled by `npm run build` (tests run after the build).
import { createRequire } from 'node:module';
export const service = createRequire(import.meta.url)('../../dist/service.js');
import { TextDocument } from 'vscode-languageserver-textdocument';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** Runs the workspace analysis over an in-memory set of files; returns diagnostics per file. */
export function diagnoseFiles(files, settings = {}) {
  const host = service.memoryHost(files);
  const workspace = new service.ConfigWorkspace(host);
  const isYaml = (f) => /\.ya?ml$/.test(f);
  workspace.setCandidates(Object.keys(files).filter((f) => !isYaml(f)));
  const manifests = new service.ManifestWorkspace(host);
  manifests.setCandidates(Object.keys(files).filter(isYaml));
  const out = {};
  for (const file of Object.keys(files).filter(isYaml)) {
    const result = manifests.analyze(file);
    const doc = TextDocument.create('file://' + file, 'yaml', 0, files[file]);
    out[file] = (result?.analysis.findings ?? []).flatMap((f) => {
      const severity = service.effectiveSeverity(f, settings);
      if (!severity) return [];
      return [{ range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }, severity, code: f.code, message: f.message, data: f.data }];
    });
  }
  for (const file of Object.keys(files).filter((f) => !isYaml(f))) {
    const analysis = workspace.analysisFor(file);
    const doc = TextDocument.create('file://' + file, 'nginx', 0, files[file]);
    out[file] = analysis.findings.filter((f) => f.file === file).flatMap((f) => {
      const severity = service.effectiveSeverity(f, settings);
      if (!severity) return [];
      return [{ range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }, severity, code: f.code, message: f.message, data: f.data }];
    });
  }
  return out;
}
