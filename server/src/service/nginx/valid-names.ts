/**
 * Which directive, parameter and variable names are valid at a place: allowed in its contexts, built
 * into the flavors the configuration is written for (or loaded with `load_module`), and known to the
 * target nginx release. Completion offers these names and "did you mean" suggests among them, so
 * neither proposes a name that would be an error where it stands (`proxy_ssl`, a stream directive,
 * inside an http `location`; `content_by_lua_block` in a configuration for stock nginx).
 */
import { builtinVariables } from './docs';
import {
  ContextKey, Flavor, NginxVersion, allDirectiveNames, allowedIn, closest, directiveVariants, isUncheckedContext, originAvailable,
  parseNginxVersion, type VariableArea, versionAtLeast, versionedSyntaxOf,
} from './knowledge';
import { ownCopy } from './syntax';

export interface NameScope {
  /** The contexts a statement stands in (several for a file included in several places, or of unknown place). */
  contexts: readonly ContextKey[];
  flavors: readonly Flavor[];
  /** The module files `load_module` loads (`ngx_http_echo_module`). */
  loadedModules: ReadonlySet<string>;
  target: NginxVersion;
}

/** Whether `name` may stand as a directive in one of the scope's contexts. */
export function directiveFits(name: string, scope: NameScope): boolean {
  const variants = directiveVariants(name);
  if (!variants) return false;
  for (const v of variants) {
    if (v.origin === 'removed' || !originAvailable(v.origin, scope.flavors, scope.loadedModules)) continue;
    for (const context of scope.contexts) {
      if (!isUncheckedContext(context) && allowedIn(v, context) && !directiveTooNew(name, context, scope.target)) return true;
    }
  }
  return false;
}

/** Whether a directive (not one of its parameters) is newer than the target release in this context. */
export function directiveTooNew(name: string, context: ContextKey, target: NginxVersion): boolean {
  for (const entry of versionedSyntaxOf(name) ?? []) {
    if (entry.parameter || versionAtLeast(target, parseNginxVersion(entry.since)!)) continue;
    if (!entry.contexts || entry.contexts.some((p) => context === p || context.startsWith(`${p}>`))) return true;
  }
  return false;
}

/** Whether a parameter (`quic` of `listen`) is newer than the target release wherever the directive stands. */
export function parameterTooNew(name: string, parameter: string, contexts: readonly ContextKey[], target: NginxVersion): boolean {
  for (const entry of versionedSyntaxOf(name) ?? []) {
    if (entry.parameter !== parameter || versionAtLeast(target, parseNginxVersion(entry.since)!)) continue;
    const within = entry.contexts;
    if (!within || contexts.every((c) => within.some((p) => c === p || c.startsWith(`${p}>`)))) return true;
  }
  return false;
}

/** A key for caches of answers by scope. */
export function scopeKey(scope: NameScope): string {
  return `${scope.contexts.join('|')}#${scope.flavors.join('|')}#${[...scope.loadedModules].sort().join('|')}#${scope.target.join('.')}`;
}

/** Answers are cached by scope (a configuration asks about a handful, many times), within a bound. */
const CACHE_BOUND = 500;
const namesByScope = new Map<string, readonly string[]>();

/** Every directive name valid in the scope, in the table's (alphabetical) order. */
export function directiveNamesIn(scope: NameScope): readonly string[] {
  const key = scopeKey(scope);
  const known = namesByScope.get(key);
  if (known) return known;
  const names: string[] = [];
  for (const name of allDirectiveNames()) if (directiveFits(name, scope)) names.push(name);
  if (namesByScope.size >= CACHE_BOUND) namesByScope.clear();
  namesByScope.set(key, names);
  return names;
}

const directiveGuesses = new Map<string, string | undefined>();

/**
 * The closest directive name valid in every one of `scopes` (a file included in several places is
 * walked once per place), for "did you mean"; undefined when none is near.
 */
export function suggestDirective(name: string, scopes: readonly NameScope[]): string | undefined {
  // A generated config can repeat one unknown directive thousands of times: ask once per name and place.
  const key = `${name}\n${scopes.map(scopeKey).join('\n')}`;
  if (directiveGuesses.has(key)) return directiveGuesses.get(key);
  const [first, ...others] = scopes.map(directiveNamesIn);
  const elsewhere = others.map((names) => new Set(names));
  const candidates = first.filter((n) => elsewhere.every((set) => set.has(n)));
  const guess = closest(name, candidates);
  if (directiveGuesses.size >= CACHE_BOUND * 20) directiveGuesses.clear();
  directiveGuesses.set(ownCopy(key), guess);
  return guess;
}

/** The module area of a context: stream's variables are not http's. Mail has none. */
export type { VariableArea };

export function areaOf(context: ContextKey): VariableArea | undefined {
  if (context.startsWith('stream')) return 'stream';
  if (context.startsWith('mail')) return undefined;
  return 'http';
}

/** The areas of contexts. A map or geo body's context says nothing of its area: pass the contexts of the blocks around it. */
export function areasOf(contexts: readonly ContextKey[]): VariableArea[] {
  const out = new Set<VariableArea>();
  for (const c of contexts) {
    const area = areaOf(c);
    if (area) out.add(area);
  }
  return [...out];
}

const variablesByScope = new Map<string, readonly string[]>();

/**
 * The built-in variables (exact names, not the `http_…` families) of the areas, for the flavors and
 * loaded modules: what a configuration may use without defining.
 */
export function builtinVariableNamesIn(areas: readonly VariableArea[], flavors: readonly Flavor[],
  loadedModules: ReadonlySet<string>): readonly string[] {
  const key = `${areas.join('|')}#${flavors.join('|')}#${[...loadedModules].sort().join('|')}`;
  let names = variablesByScope.get(key);
  if (names) return names;
  names = builtinVariables()
    .filter((v) => !v.prefix && v.areas.some((a) => areas.includes(a)) && originAvailable(v.origin, flavors, loadedModules))
    .map((v) => v.name);
  if (variablesByScope.size >= CACHE_BOUND) variablesByScope.clear();
  variablesByScope.set(key, names);
  return names;
}

/**
 * The closest variable name valid in each of the areas: one the configuration defines, or a built-in
 * one of the areas and flavors. For "did you mean" on an unknown variable.
 */
export function suggestVariable(name: string, areaSets: readonly (readonly VariableArea[])[], defined: ReadonlySet<string>,
  flavors: readonly Flavor[], loadedModules: ReadonlySet<string>): string | undefined {
  const builtins = areaSets.map((areas) => new Set(builtinVariableNamesIn(areas, flavors, loadedModules)));
  function* candidates(): Generator<string> {
    yield* defined;
    for (const n of builtins[0] ?? []) if (builtins.every((set) => set.has(n))) yield n;
  }
  return closest(name, candidates());
}
