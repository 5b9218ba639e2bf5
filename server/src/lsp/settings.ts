/**
 * The `nginx-ls.*` settings as the server receives them (workspace/configuration, didChangeConfiguration
 * or initializationOptions), checked and resolved into what the language service takes.
 */
import * as path from 'node:path';
import { AnalysisOptions, RuleSettings } from '../service/nginx';

/** The `nginx-ls` section as a client sends it (package.json `contributes.configuration`); any field may be missing or wrong. */
export interface Settings {
  rules?: RuleSettings;
  pathMappings?: Record<string, string>;
  prefix?: string;
  certificates?: { expiryWarningDays?: number };
}

export interface ResolvedSettings {
  rules: RuleSettings;
  analysis: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays' | 'prefix'>;
}

/** `${workspaceFolder}` in a path mapping is the first workspace folder. */
export function resolveSettings(value: Settings | undefined, workspaceFolder: string): ResolvedSettings {
  const mappings = Object.entries(value?.pathMappings ?? {})
    .filter(([from, to]) => typeof from === 'string' && typeof to === 'string')
    .map(([from, to]): [string, string] => [from, to.replace(/\$\{workspaceFolder\}/g, workspaceFolder)]);
  const days = value?.certificates?.expiryWarningDays;
  return {
    rules: value?.rules ?? {},
    analysis: {
      pathMappings: mappings,
      expiryWarningDays: typeof days === 'number' && days >= 0 ? days : 30,
      prefix: resolvePrefix(value?.prefix, workspaceFolder),
    },
  };
}

/**
 * `nginx-ls.prefix`, the folder relative paths resolve against (nginx's configuration prefix), as an
 * absolute path: a relative value is taken from the workspace folder. Without a usable value (empty,
 * not a string, relative with no workspace folder) each main config's own folder is the prefix, as
 * for nginx.
 */
export function resolvePrefix(value: unknown, workspaceFolder: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (!workspaceFolder && value.includes('${workspaceFolder}')) return undefined;
  const expanded = value.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (path.isAbsolute(expanded)) return path.resolve(expanded);
  return workspaceFolder ? path.resolve(workspaceFolder, expanded) : undefined;
}
