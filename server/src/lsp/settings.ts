/**
 * The `nginx-ls.*` settings as the server receives them (workspace/configuration, didChangeConfiguration
 * or initializationOptions), checked and resolved into what the language service takes.
 */
import * as path from 'node:path';
import { AnalysisOptions, FlavorSetting, RuleSettings, isFlavor, parseNginxVersion } from '../service/nginx';
import type { ControllerSetting } from '../service/ingress';
import { DEFAULT_WORKSPACE_DIAGNOSTICS, WorkspaceDiagnosticsSettings } from './workspace-diagnostics';

/** The `nginx-ls` section as a client sends it (package.json `contributes.configuration`); any field may be missing or wrong. */
export interface Settings {
  rules?: RuleSettings;
  pathMappings?: Record<string, string>;
  prefix?: string;
  nginx?: { flavor?: string; version?: string };
  certificates?: { expiryWarningDays?: number };
  workspaceDiagnostics?: { enabled?: boolean; maxFiles?: number };
  inlayHints?: { certificateExpiry?: boolean };
  convert?: { output?: string; sharedGateway?: string };
  ingress?: { controller?: string; retirementNotice?: boolean };
}

export interface ResolvedSettings {
  rules: RuleSettings;
  analysis: Pick<AnalysisOptions, 'pathMappings' | 'expiryWarningDays' | 'prefix' | 'flavor' | 'nginxVersion' | 'rules'>;
  workspaceDiagnostics: WorkspaceDiagnosticsSettings;
  /** Which inlay hints the server answers with (all on by default). */
  inlayHints: { certificateExpiry: boolean };
  /** Which controller reads Ingresses whose IngressClass is not in the workspace; whether ingress-nginx's retirement is noted. */
  ingress: { controller: ControllerSetting; retirementNotice: boolean };
  /** Where the "Convert to …" code actions put their YAML, and the shared Gateway to attach routes to. */
  convert: ConvertSettings;
}

export interface ConvertSettings {
  output: 'untitled' | 'files';
  sharedGateway?: { namespace: string; name: string };
}

/** `${workspaceFolder}` in a path mapping is the first workspace folder. */
export function resolveSettings(value: Settings | undefined, workspaceFolder: string): ResolvedSettings {
  const mappings = Object.entries(value?.pathMappings ?? {})
    .filter(([from, to]) => typeof from === 'string' && typeof to === 'string')
    .map(([from, to]): [string, string] => [from, to.replace(/\$\{workspaceFolder\}/g, workspaceFolder)]);
  const days = value?.certificates?.expiryWarningDays;
  const { enabled, maxFiles } = value?.workspaceDiagnostics ?? {};
  const certificateExpiry = value?.inlayHints?.certificateExpiry;
  return {
    rules: value?.rules ?? {},
    analysis: {
      pathMappings: mappings,
      expiryWarningDays: typeof days === 'number' && days >= 0 ? days : 30,
      prefix: resolvePrefix(value?.prefix, workspaceFolder),
      flavor: resolveFlavor(value?.nginx?.flavor),
      // An unreadable version ("latest", 1.2x) is the newest stable, as when unset.
      nginxVersion: parseNginxVersion(value?.nginx?.version) ? value!.nginx!.version : undefined,
      // The rules off by default are computed only where a severity turns them on.
      rules: value?.rules ?? {},
    },
    workspaceDiagnostics: {
      enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_WORKSPACE_DIAGNOSTICS.enabled,
      maxFiles: typeof maxFiles === 'number' && maxFiles >= 0 ? Math.floor(maxFiles) : DEFAULT_WORKSPACE_DIAGNOSTICS.maxFiles,
    },
    inlayHints: { certificateExpiry: typeof certificateExpiry === 'boolean' ? certificateExpiry : true },
    ingress: {
      controller: resolveController(value?.ingress?.controller),
      retirementNotice: value?.ingress?.retirementNotice !== false,
    },
    convert: resolveConvert(value?.convert),
  };
}

/** `nginx-ls.ingress.controller`; anything else (missing, misspelt) is `auto`. */
function resolveController(value: unknown): ControllerSetting {
  return value === 'ingress-nginx' || value === 'f5-nginx' ? value : 'auto';
}

/** `nginx-ls.convert.*`: anything but "files" is an unsaved document; a shared Gateway only as `namespace/name`. */
function resolveConvert(value: Settings['convert']): ConvertSettings {
  const shared = typeof value?.sharedGateway === 'string' ? /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9]*)$/.exec(value.sharedGateway) : null;
  return { output: value?.output === 'files' ? 'files' : 'untitled', ...(shared && { sharedGateway: { namespace: shared[1], name: shared[2] } }) };
}

/** `nginx-ls.nginx.flavor`; anything else (missing, misspelt) is `auto`. */
function resolveFlavor(value: unknown): FlavorSetting {
  return isFlavor(value) ? value : 'auto';
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
