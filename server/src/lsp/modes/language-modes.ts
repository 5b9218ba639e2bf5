/**
 * One language mode per kind of document the server handles (nginx configs, Kubernetes Ingress
 * manifests): the handlers in ../server.ts ask `modeFor(document)` and call the same method whatever
 * the language. Modes speak the language service's terms (offsets, findings); ../convert.ts turns
 * their answers into LSP data.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isYamlPath } from '../../node-host';
import {
  CompletionEntry, ConfigHost, DiagnosticRef, Finding, HoverResult, OffsetRange, OutlineSymbol, QuickFix,
} from '../../service/nginx';
import { ingressMode } from './ingress';
import { NginxMode, nginxMode } from './nginx';

export interface LanguageMode {
  readonly id: 'nginx' | 'ingress';
  /** The files of the workspace this mode may need without their being open (includes, Secrets). */
  setCandidates(files: readonly string[]): void;
  /** A file opened in the editor joins the candidates. */
  addCandidate(file: string): void;
  /** Something changed (an edit, a file on disk, a closed buffer): analyses must be made again. */
  invalidate(): void;
  /** The findings in this document. */
  diagnose(document: TextDocument): readonly Finding[];
  /** `now` is when certificates are judged for the hover text. */
  hover(document: TextDocument, offset: number, now: Date): HoverResult | undefined;
  symbols(document: TextDocument): OutlineSymbol[];
  folding(document: TextDocument): OffsetRange[];
  /** The fixes for one of our diagnostics, from the text and the diagnostic alone. */
  quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[];
  completion(document: TextDocument, offset: number): CompletionEntry[];
}

export interface LanguageModes {
  readonly nginx: NginxMode;
  readonly ingress: LanguageMode;
  all(): LanguageMode[];
  /** The mode for a document, undefined for documents the server does not handle. */
  modeFor(document: TextDocument): LanguageMode | undefined;
}

/** A YAML document (by language id, or by file name when the editor calls it something else). */
export const isYaml = (document: TextDocument): boolean => document.languageId === 'yaml' || isYamlPath(document.uri);

export function getLanguageModes(host: ConfigHost): LanguageModes {
  const nginx = nginxMode(host);
  const ingress = ingressMode(host);
  return {
    nginx,
    ingress,
    all: () => [nginx, ingress],
    modeFor: (document) => (isYaml(document) ? ingress : document.languageId === 'nginx' ? nginx : undefined),
  };
}
