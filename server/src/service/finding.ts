/**
 * What every rule reports: a finding, by offsets in one file. Positions (line, character) are
 * computed at the edge (server/src/lsp, the CLI), never here.
 */
/** How bad a finding is. "error" means nginx (or kubectl) refuses the configuration. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** What a user may set a rule to in `nginx-ls.rules`. */
export type SeveritySetting = Severity | 'off';

/** A problem found in one file, by offsets. */
export interface Finding {
  file: string;
  start: number;
  end: number;
  /** The id of the rule that found it (a row of the catalog in rules.ts): the diagnostic `code`. */
  code: string;
  message: string;
  /** Set where this finding is graded differently from its rule's default severity. */
  severity?: Severity;
  /** Extra facts a quick fix needs (kept small and serialisable). */
  data?: Record<string, unknown>;
}

/**
 * A finding's data as a rule reports it: the record, or a function that makes it where the making
 * costs (calls are made only when the analysis keeps data: `AnalysisOptions.findingData`).
 */
export type FindingData = Record<string, unknown> | (() => Record<string, unknown>);

/**
 * Messages quote what the file says; a binary file or a 2 MB token must not turn into a message
 * full of control characters or megabytes long.
 */
export function printable(message: string): string {
  const clean = message.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > 400 ? `${clean.slice(0, 400)}…` : clean;
}
