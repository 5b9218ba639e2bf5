/**
 * Whether nginx knows a directive and accepts it where and how it is written: a known name, an
 * allowed context, a block or `;` as the directive takes, the right number of arguments, on/off for
 * flags, once per block where nginx insists. Modules loaded with `load_module` that nginx-ls has no
 * table for are noted once, and their directives are not judged.
 */
import type { CheckContext, EndContext, NginxFamily, Resolution, UnknownDirective, UnknownModule } from '../context';
import { ARG_COUNTS_KNOWN } from '../context';
import {
  DirectiveOrigin, DirectiveVariant, FLAVOR_MODULES, NginxVersion, argCountFits, configFlavors, describeArgs, formatVersion,
  moduleFileStem, unknownModuleStem, versionAtLeast,
} from '../knowledge';
import type { VersionedEntry } from '../knowledge';
import type { Directive } from '../syntax';
import { NameScope, suggestDirective } from '../valid-names';

/** The client certificate (and key) nginx presents to an upstream: "" turns an inherited one off, in newer releases. */
const UPSTREAM_CERTIFICATE_DIRECTIVES = ['proxy_', 'grpc_', 'uwsgi_'].flatMap((p) => [`${p}ssl_certificate`, `${p}ssl_certificate_key`]);

export const family: NginxFamily = {
  name: 'directives',
  rules: [
    'unknown-directive', 'module-unknown', 'directive-module-missing', 'directive-context', 'directive-args', 'directive-block',
    'directive-removed', 'directive-duplicate', 'directive-version',
  ],
  directives: {
    load_module: (d, c) => {
      c.facts.loadedModules.add(moduleFileStem(d.args[0].value));
      const stem = unknownModuleStem(d.args[0].value);
      const modules = c.facts.unknownModules;
      if (stem && !modules.some((m) => m.stem === stem)) modules.push({ stem, file: c.file, word: d.args[0], uses: 0 });
    },
    ...Object.fromEntries(UPSTREAM_CERTIFICATE_DIRECTIVES.map((name) => [name, checkEmptyCertificate])),
  },
  end: (c) => {
    reportUnknownDirectives(c);
    reportModuleNeeds(c);
    for (const m of c.facts.unknownModules) {
      const which = m.uses === 0 ? 'directives named' : m.uses === 1 ? 'its 1 directive named' : `its ${m.uses} directives named`;
      c.report(m.file, m.word.start, m.word.end, 'module-unknown',
        `nginx-ls does not know the directives of this module: ${which} "${m.stem}…" ${m.uses === 1 ? 'is' : 'are'} not checked`);
    }
  },
  fixes: {
    'unknown-directive': ({ directive }, diagnostic) => {
      const suggestion = diagnostic.data?.suggestion;
      if (typeof suggestion !== 'string') return [];
      return [{
        title: `Change to "${suggestion}"`,
        edits: [{ start: directive.name.start, end: directive.name.end, newText: suggestion }],
        isPreferred: true
      }];
    },
  },
};

const REMOVED_ADVICE = new Map([
  ['ssl', '"ssl" was removed in nginx 1.25.1 (deprecated since 1.15.0): add "ssl" to the "listen" directive instead'],
]);

/**
 * A known name, standing where nginx allows it. Returns false when the directive should not be
 * judged further (unknown, of an unknown module, or out of place).
 */
export function checkPlacement(d: Directive, resolved: Resolution, c: CheckContext): boolean {
  const name = d.name.value;
  const variants = resolved.variants;
  if (!variants) {
    const module = unknownModuleOf(name, c.facts.unknownModules);
    if (module) {
      module.uses++;
      return false;
    }
    // Reported at the end: "did you mean" proposes only names of the flavor, which `auto` knows only then.
    c.facts.unknownDirectives.push({ file: c.file, word: d.name, contexts: resolved.checked });
    return false;
  }
  const fitting = resolved.fitting;
  if (fitting.length === 0) {
    c.report(d.name.start, d.name.end, 'directive-context',
      `"${name}" directive is not allowed here (${describeContexts(resolved.checked)}); `
        + `it belongs in ${describeContexts(variants.flatMap((v) => v.contexts))}`);
    return false;
  }
  // Whether the module is missing depends on the flavor, which `auto` knows only once the whole
  // configuration is read (reportModuleNeeds).
  if (resolved.moduleNeeded) c.facts.moduleNeeds.push({ origin: resolved.moduleNeeded, file: c.file, word: d.name, stream: resolved.inStream });
  if (fitting[0].origin === 'removed') {
    c.report(d.name.start, d.end, 'directive-removed', REMOVED_ADVICE.get(name) ?? `"${name}" was removed from nginx`);
  }
  return resolved.versioned === undefined || checkVersion(d, resolved.versioned, c);
}

/**
 * Syntax newer than the target nginx (`nginx-ls.nginx.version`): a directive, or a parameter of
 * one, that the release refuses. Returns false when the directive itself is too new (nginx stops
 * there with "unknown directive"), so it is not judged further.
 */
function checkVersion(d: Directive, entries: readonly VersionedEntry[], c: CheckContext): boolean {
  for (const entry of entries) {
    if (versionAtLeast(c.target, entry.release) || (entry.inPlus && c.flavor === 'plus')) continue;
    const contexts = entry.contexts;
    // Only where the context is certain: a file included from several places (a snippet that may
    // sit in http or stream) is judged by what holds wherever it lands.
    if (contexts && !c.contexts.every((x) => contexts.some((p) => x === p || x.startsWith(`${p}>`)))) continue;
    const needs = `needs nginx ${entry.since} or later (target ${formatVersion(c.target)})`;
    const where = entry.where ? ` in ${entry.where}` : '';
    if (!entry.parameter) {
      c.report(d.name.start, d.name.end, 'directive-version', `"${d.name.value}" directive${where} ${needs}`, { since: entry.since });
      return false;
    }
    for (let i = 1; i < d.args.length; i++) {
      const word = d.args[i];
      if (word.value.split('=', 1)[0] !== entry.parameter) continue;
      c.report(word.start, word.end, 'directive-version',
        `the "${entry.parameter}" parameter of "${d.name.value}"${where} ${needs}`, { since: entry.since });
    }
  }
  return true;
}

/**
 * nginx 1.22 reads an empty upstream certificate as a path, the prefix folder, and fails to load it
 * (measured with Debian's 1.22.1: test/oracle/proxy-ssl-certificate-empty.conf); the nginx test suite's
 * proxy_ssl_certificate_empty.t shows later releases read it as "no certificate". The release between is
 * not known here, so only a target of 1.22 or older is told.
 */
function checkEmptyCertificate(d: Directive, c: CheckContext): void {
  const word = d.args[0];
  if (word?.value !== '' || versionAtLeast(c.target, EMPTY_CERTIFICATE_UNKNOWN_BEFORE)) return;
  c.report(word.start, word.end, 'directive-version',
    `an empty "${d.name.value}" (no certificate) needs a newer nginx than the target ${formatVersion(c.target)}, `
      + 'which reads "" as the prefix folder and fails to load it');
}

const EMPTY_CERTIFICATE_UNKNOWN_BEFORE: NginxVersion = [1, 23, 0];

/** The module a flavor must have for these variants: undefined when one of them is in every nginx. */
export function moduleNeededBy(fitting: readonly DirectiveVariant[]): DirectiveOrigin | undefined {
  let needed: DirectiveOrigin | undefined;
  for (const v of fitting) {
    if (!FLAVOR_MODULES.has(v.origin)) return undefined;
    needed ??= v.origin;
  }
  return needed;
}

/** The file `load_module` loads a module's directives from: ngx_stream_lua_module for Lua in a stream block. */
function moduleFileFor(files: readonly string[], stream: boolean): string | undefined {
  return files.find((f) => f.startsWith('ngx_stream_') === stream) ?? files[0];
}

/**
 * Unknown directives, each with the closest name valid where it stands: in its contexts (in every
 * place a file included several times stands), for the flavor and the target release. So `proxy_sl`
 * in an http location is not told "proxy_ssl", a stream directive.
 */
function reportUnknownDirectives(c: EndContext): void {
  const unknown = c.facts.unknownDirectives;
  if (unknown.length === 0) return;
  const flavors = configFlavors(c.options.flavor, c.facts.moduleNeeds, c.facts.loadedModules);
  const scope = (contexts: readonly string[]): NameScope => ({
    contexts, flavors, loadedModules: c.facts.loadedModules, target: c.options.target,
  });
  const places = new Map<string, UnknownDirective[]>();
  for (const u of unknown) {
    const key = `${u.file}\n${u.word.start}`;
    const list = places.get(key);
    if (list) list.push(u); else places.set(key, [u]);
  }
  for (const list of places.values()) {
    const { file, word } = list[0];
    const guess = suggestDirective(word.value, [...new Set(list.map((u) => u.contexts))].map(scope));
    c.report(file, word.start, word.end, 'unknown-directive',
      `unknown directive "${word.value}"${guess ? `; did you mean "${guess}"?` : ''}`, guess ? { suggestion: guess } : undefined);
  }
}

function reportModuleNeeds(c: EndContext): void {
  if (c.facts.moduleNeeds.length === 0) return;
  const flavors = configFlavors(c.options.flavor, c.facts.moduleNeeds, c.facts.loadedModules);
  for (const need of c.facts.moduleNeeds) {
    const module = FLAVOR_MODULES.get(need.origin)!;
    const file = moduleFileFor(module.files, need.stream);
    if (flavors.includes(module.builtInto) || (file !== undefined && c.facts.loadedModules.has(file))) continue;
    const auto = c.options.flavor === 'auto';
    const message = file === undefined
      ? `"${need.word.value}" needs NGINX Plus (nginx-ls.nginx.flavor is "${c.options.flavor}")`
      : `"${need.word.value}" needs ${module.title}, which OpenResty builds in and nginx does not: `
        + `load it with "load_module modules/${file}.so;"${auto ? ', or set nginx-ls.nginx.flavor to "openresty"' : ''}`;
    c.report(need.file, need.word.start, need.word.end, 'directive-module-missing', message);
  }
}

function unknownModuleOf(name: string, modules: readonly UnknownModule[]): UnknownModule | undefined {
  for (const m of modules) if (name.startsWith(m.stem)) return m;
  return undefined;
}

/**
 * A block where the directive takes one (or `;` where it takes none), the right number of
 * arguments, on/off for a flag. Returns whether the directive is well formed, so its arguments can
 * be judged (with the wrong number nginx stops there; checking each one would only repeat it).
 */
export function checkShape(d: Directive, resolved: Resolution, c: CheckContext): boolean {
  const isBlock = d.block !== undefined;
  const shaped = isBlock ? resolved.asBlock : resolved.asSimple;
  const name = d.name.value;
  if (shaped.length === 0) {
    if (isBlock) c.report(d.name.start, d.name.end, 'directive-block', `"${name}" directive is not terminated by ";" (it takes no block)`);
    else c.report(d.name.start, d.end, 'directive-block', `"${name}" directive has no opening "{"`);
    return false;
  }
  const count = d.args.length;
  const counts = isBlock ? resolved.countsBlock : resolved.countsSimple;
  if (!(d.args.length < ARG_COUNTS_KNOWN ? counts[d.args.length] : someFits(shaped, count))) {
    const end = d.args.length ? d.args[d.args.length - 1].end : d.name.end;
    c.report(d.name.start, end, 'directive-args',
      `invalid number of arguments in "${name}" directive: ${d.args.length} given, ${describeArgs(shaped[0])} expected`);
    return false;
  }
  if ((isBlock ? resolved.flagBlock : resolved.flagSimple) && d.args.length === 1) {
    const value = d.args[0].value.toLowerCase();
    if (value !== 'on' && value !== 'off') {
      c.report(d.args[0].start, d.args[0].end, 'directive-args',
        `invalid value "${d.args[0].value}" in "${name}" directive, it must be "on" or "off"`);
    }
  }
  return true;
}

export function someFits(variants: readonly DirectiveVariant[], count: number): boolean {
  for (const v of variants) if (argCountFits(v, count)) return true;
  return false;
}

/** A directive nginx accepts once per block (a single-value one, a single block, root with alias). */
export function checkDuplicate(d: Directive, resolved: Resolution, c: CheckContext): void {
  const name = d.name.value;
  const facts = resolved.facts;
  const state = c.block;
  if (facts.singleBlock && d.block) {
    const first = state.seen?.get(name);
    if (first) c.report(d.name.start, d.name.end, 'directive-duplicate', `"${name}" directive is duplicate`);
    else (state.seen ??= new Map()).set(name, d);
    return;
  }
  if ((name === 'root' || name === 'alias') && state.seen?.has(name === 'root' ? 'alias' : 'root')) {
    c.report(d.name.start, d.name.end, 'directive-duplicate',
      `"${name}" directive is duplicate, "${name === 'root' ? 'alias' : 'root'}" directive was specified earlier`);
    return;
  }
  const variant = resolved.fitting[0];
  if (variant.origin !== 'nginx' || d.block || facts.repeatable) return;
  const single = variant.args.length === 1 && (variant.args[0] === 'flag' || variant.args[0] === '1');
  if (!single && !facts.singleMultiArg) return;
  if (!state.seen?.get(name)) {
    (state.seen ??= new Map()).set(name, d);
    return;
  }
  c.report(d.name.start, d.name.end, 'directive-duplicate', `"${name}" directive is duplicate`);
}

function describeContexts(contexts: readonly string[]): string {
  const names = [...new Set(contexts.map((c) => (c === 'direct' ? 'main' : c === 'any' ? 'any block' : c.split('>').pop()!)))];
  return names.map((n) => `"${n}"`).join(', ');
}
