/**
 * Offsets become line/character here, at the edge, for the server and the CLI alike.
 */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Finding, RuleSettings, Severity, effectiveSeverity } from './service/nginx';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SEVERITY_NAME: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** The findings of one file as LSP diagnostics, with rule severities applied and "off" rules dropped. */
export function toDiagnostics(findings: readonly Finding[], document: TextDocument, settings: RuleSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const severity = effectiveSeverity(f, settings);
    if (!severity) continue;
    const diagnostic: Diagnostic = {
      range: { start: document.positionAt(f.start), end: document.positionAt(f.end) },
      severity: SEVERITY[severity],
      code: f.code,
      source: 'nginx-ls',
      message: f.message,
    };
    if (f.data) diagnostic.data = f.data;
    out.push(diagnostic);
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (out.length <= MAX_DIAGNOSTICS) return out;
  // A file that is not nginx at all can yield one problem per character; the first ones tell the story.
  const shown = out.slice(0, MAX_DIAGNOSTICS);
  shown.push({ range: out[MAX_DIAGNOSTICS].range, severity: DiagnosticSeverity.Information, source: 'nginx-ls', code: 'syntax',
    message: `${out.length - MAX_DIAGNOSTICS} more problems are not shown` });
  return shown;
}

/** Most diagnostics published for one file. */
export const MAX_DIAGNOSTICS = 1000;
