/**
 * The `nginx-ls.*` settings as the server receives them (workspace/configuration, didChangeConfiguration
 * or initializationOptions), checked and resolved into what the language service takes.
 */
import { AnalysisOptions, RuleSettings } from '../service/nginx';

/** The `nginx-ls` section as a client sends it (package.json `contributes.configuration`); any field may be missing or wrong. */
export interface Settings {
  rules?: RuleSettings;
  pathMappings?: Record<string, string>;
  certificates?: { expiryWarningDays?: number };
}

export interface ResolvedSettings {
  rules: RuleSettings;
  analysis: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays'>;
}

/** `${workspaceFolder}` in a path mapping is the first workspace folder. */
export function resolveSettings(value: Settings | undefined, workspaceFolder: string): ResolvedSettings {
  const mappings = Object.entries(value?.pathMappings ?? {})
    .filter(([from, to]) => typeof from === 'string' && typeof to === 'string')
    .map(([from, to]): [string, string] => [from, to.replace(/\$\{workspaceFolder\}/g, workspaceFolder)]);
  const days = value?.certificates?.expiryWarningDays;
  return {
    rules: value?.rules ?? {},
    analysis: { pathMappings: mappings, expiryWarningDays: typeof days === 'number' && days >= 0 ? days : 30 },
  };
}
