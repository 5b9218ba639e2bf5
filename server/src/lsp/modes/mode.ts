/**
 * What every language mode answers (./language-modes.ts lists the modes). Apart from the modes,
 * so that the modes and the list of them do not import each other.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CompletionDocumentationRef, CompletionEntry, DiagnosticRef, Finding, FormatOptions, HoverResult, InlayHintEntry, OffsetRange,
  OutlineSymbol, QuickFix, SignatureHelpResult, TextEdit,
} from '../../service/nginx';

export interface LanguageMode {
  readonly id: 'nginx' | 'ingress';
  /** The files of the workspace this mode may need without their being open (includes, Secrets). */
  setCandidates(files: readonly string[]): void;
  /** A file opened in the editor joins the candidates until it closes; one created on disk (`kept`) for good. */
  addCandidate(file: string, kept?: boolean): void;
  /** Something changed (a file on disk, the settings): analyses must be made again. */
  invalidate(): void;
  /** The text of one file may have changed (an edit, a buffer opened or closed): the analyses that read it are made again. */
  changed(file: string): void;
  /** A document closed: what was kept for it goes (its text reads from the disk again). */
  forget(file: string): void;
  /** How many entries the mode holds, by kind: for tests that closing releases what opening took. */
  retained(): Record<string, number>;
  /** The findings in this document. */
  diagnose(document: TextDocument): readonly Finding[];
  /** `now` is when certificates are judged for the hover text. */
  hover(document: TextDocument, offset: number, now: Date): HoverResult | undefined;
  symbols(document: TextDocument): OutlineSymbol[];
  folding(document: TextDocument): OffsetRange[];
  /** The fixes for one of our diagnostics, from the text and the diagnostic alone. */
  quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[];
  completion(document: TextDocument, offset: number): CompletionEntry[];
  /** Certificate expiry after certificate paths (Secret references in manifests), judged at `now`. */
  inlayHints(document: TextDocument, now: Date): InlayHintEntry[];
  /** The documentation an entry of this mode's completion refers to, asked for when the editor shows it. */
  completionDocumentation(ref: CompletionDocumentationRef): string | undefined;
  /** The syntax of the directive whose arguments are being typed, with the argument at `offset`. */
  signatureHelp(document: TextDocument, offset: number): SignatureHelpResult | undefined;
  /** Edits that format the document, or only the statements `range` touches; none for a language not formatted. */
  format(document: TextDocument, options: FormatOptions, range?: OffsetRange): TextEdit[];
  /** Edits after `ch` was typed just before `offset`. */
  formatOnType(document: TextDocument, offset: number, ch: string, options: FormatOptions): TextEdit[];
  /** Rewrites offered at `offset` whatever the diagnostics (the Ingress conversions); none by default. */
  refactorings?(document: TextDocument, offset: number, options: RefactoringOptions): Refactoring[];
}

export interface RefactoringOptions {
  sharedGateway?: { namespace: string; name: string };
}

/** A new document computed from the current one: what the server opens or writes beside it. */
export interface Refactoring {
  title: string;
  /** The text of the new document, and its language. */
  text: string;
  language: string;
  /** The file it is written to when written (beside the source). */
  file: string;
}
