/**
 * What a rule family is, whatever language it checks: a file under `<language>/rules/` holding the
 * conditions, messages and quick fixes of a few related rules, with its cases in a folder beside it
 * (`tls.ts` and `tls.cases/`). Each language's `rules/index.ts` merges its families into lookup
 * tables once, at load.
 */
import type { RuleId } from './rules';

export interface TextEdit { start: number; end: number; newText: string }

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  /** The same edits with tab stops (`${1:…}`), for clients that can insert snippets. */
  snippetEdits?: TextEdit[];
}

/** A diagnostic as a client sends it back with a code-action request, by offsets. */
export interface DiagnosticRef {
  code: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

/**
 * Quick fixes for one rule, computed afresh from the document (as the language parses it) and the
 * diagnostic alone, so they work whichever analysis produced the diagnostic.
 */
export type FixProvider<Doc> = (doc: Doc, diagnostic: DiagnosticRef) => QuickFix[];

export interface RuleFamily<Doc> {
  /** The family's name: its file is `rules/<name>.ts`, its cases `rules/<name>.cases/`. */
  name: string;
  /** Every rule this family reports; no other family reports them. */
  rules: readonly RuleId[];
  fixes?: Partial<Record<RuleId, FixProvider<Doc>>>;
}

/** Merges the quick-fix providers of families into one table by rule id. */
export function fixTable<Doc>(families: readonly RuleFamily<Doc>[]): ReadonlyMap<string, FixProvider<Doc>> {
  const table = new Map<string, FixProvider<Doc>>();
  for (const family of families) {
    for (const [code, provider] of Object.entries(family.fixes ?? {})) if (provider) table.set(code, provider);
  }
  return table;
}

/** Applies non-overlapping edits to a text (for tests and the CLI). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // One pass in offset order (a sort is stable: insertions at one offset keep their order, as LSP
  // applies them), rather than slicing the whole text once per edit (formatting makes thousands).
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.newText);
    at = Math.max(at, e.end);
  }
  parts.push(text.slice(at));
  return parts.join('');
}
