import { Finding } from './analyze';
import { Severity, SeveritySetting, ruleById } from './rules';

/** `nginx-ls.rules.<id>` settings: a severity, or "off". */
export type RuleSettings = Readonly<Record<string, SeveritySetting | undefined>>;

const SETTINGS: ReadonlySet<string> = new Set(['off', 'hint', 'information', 'warning', 'error']);

/** The severity a finding is shown with, or undefined when its rule is turned off. */
export function effectiveSeverity(finding: Finding, settings: RuleSettings = {}): Severity | undefined {
  const setting = settings[finding.code];
  if (setting !== undefined && SETTINGS.has(setting)) return setting === 'off' ? undefined : setting;
  return finding.severity ?? ruleById(finding.code)?.severity ?? 'error';
}
