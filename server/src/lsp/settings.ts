/**
 * The `nginx-ls.*` settings as the server receives them (workspace/configuration, didChangeConfiguration
 * or initializationOptions), checked and resolved into what the language service takes.
 */
import { AnalysisOptions, RuleSettings } from '../service/nginx';
import { DEFAULT_WORKSPACE_DIAGNOSTICS, WorkspaceDiagnosticsSettings } from './workspace-diagnostics';

/** The `nginx-ls` section as a client sends it (package.json `contributes.configuration`); any field may be missing or wrong. */
export interface Settings {
  rules?: RuleSettings;
  pathMappings?: Record<string, string>;
  certificates?: { expiryWarningDays?: number };
  workspaceDiagnostics?: { enabled?: boolean; maxFiles?: number };
}

export interface ResolvedSettings {
  rules: RuleSettings;
  analysis: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays'>;
  workspaceDiagnostics: WorkspaceDiagnosticsSettings;
}

/** `${workspaceFolder}` in a path mapping is the first workspace folder. */
export function resolveSettings(value: Settings | undefined, workspaceFolder: string): ResolvedSettings {
  const mappings = Object.entries(value?.pathMappings ?? {})
    .filter(([from, to]) => typeof from === 'string' && typeof to === 'string')
    .map(([from, to]): [string, string] => [from, to.replace(/\$\{workspaceFolder\}/g, workspaceFolder)]);
  const days = value?.certificates?.expiryWarningDays;
  const { enabled, maxFiles } = value?.workspaceDiagnostics ?? {};
  return {
    rules: value?.rules ?? {},
    analysis: { pathMappings: mappings, expiryWarningDays: typeof days === 'number' && days >= 0 ? days : 30 },
    workspaceDiagnostics: {
      enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_WORKSPACE_DIAGNOSTICS.enabled,
      maxFiles: typeof maxFiles === 'number' && maxFiles >= 0 ? Math.floor(maxFiles) : DEFAULT_WORKSPACE_DIAGNOSTICS.maxFiles,
    },
  };
}
