/**
 * Documentation for directives and variables, from the npm package @nginx/reference-lib (generated
 * from nginx.org's own reference), plus the variable families nginx defines by prefix.
 */
import type * as ReferenceLib from '@nginx/reference-lib';
import type { DirectiveOrigin, OpenRestyModule, VariableArea } from './knowledge';
import openresty from './data/openresty.json';
import variableAreas from './data/variable-areas.json';
import variableNames from './data/variables.json';

/** Loaded on first use: the reference is large, and the server should start without waiting for it. */
function reference(): typeof ReferenceLib {
  return require('@nginx/reference-lib') as typeof ReferenceLib;
}

export interface DirectiveDoc {
  name: string;
  module: string;
  syntax: string[];
  default: string;
  contexts: string[];
  description: string;
  url: string;
}

export interface VariableDoc {
  name: string;
  module: string;
  description: string;
  url: string;
}

let directiveDocs: Map<string, DirectiveDoc[]> | undefined;
let variableDocs: Map<string, VariableDoc> | undefined;
let variablePrefixes: VariableDoc[] | undefined;

function moduleUrl(module: string, anchor: string): string {
  // The reference names the main-context module "Core functionality"; nginx.org calls its page ngx_core_module.
  if (module === 'Core functionality') module = 'ngx_core_module';
  const area = module.startsWith('ngx_stream_') ? 'stream' : module.startsWith('ngx_mail_') ? 'mail'
    : module === 'ngx_core_module' || module === 'ngx_event_core_module' || module === 'ngx_google_perftools_module' ? '' : 'http';
  const page = module === 'ngx_event_core_module' ? 'ngx_core_module' : module;
  return `https://nginx.org/en/docs/${area ? area + '/' : ''}${page}.html#${anchor}`;
}

function loadDirectives(): void {
  const { Format, getDirectives } = reference();
  directiveDocs = new Map();
  for (const d of getDirectives(Format.Markdown)) {
    const doc: DirectiveDoc = {
      name: d.name,
      module: d.module,
      syntax: d.syntax.map((s) => s.trim()),
      default: d.default,
      contexts: d.contexts,
      description: d.description.trim(),
      url: moduleUrl(d.module, d.name),
    };
    const list = directiveDocs.get(d.name);
    if (list) list.push(doc); else directiveDocs.set(d.name, [doc]);
  }
}

/** Variables are needed by every analysis (unknown-variable); directive docs only by hover. */
function loadVariables(): void {
  const { Format, getVariables } = reference();
  variableDocs = new Map();
  variablePrefixes = [];
  for (const v of getVariables(Format.Markdown)) {
    const name = v.name.replace(/^\$/, '');
    const doc: VariableDoc = {
      name, module: v.module, description: v.description.trim(), url: moduleUrl(v.module, 'var_' + name.replace(/_NAME$/, '_'))
    };
    if (name.endsWith('_NAME')) variablePrefixes.push({ ...doc, name: name.slice(0, -4) });
    else if (!variableDocs.has(name)) variableDocs.set(name, doc);
  }
}

/**
 * Loads the reference now (~60-90 ms, most of it Node reading the 1.6 MB module), where it would
 * otherwise load with the first hover or completion: the server calls it once the first diagnostics
 * are out, so that no request waits for it.
 */
export function loadReference(): void {
  if (!directiveDocs) loadDirectives();
  if (!variableDocs) loadVariables();
}

/**
 * Lets go of the reference's tables (the server does once nothing is open); the next hover or
 * completion loads them again. The reference module itself stays in Node's module cache unless the
 * caller drops it there too (../../lsp/memory.ts).
 */
export function unloadReference(): void {
  directiveDocs = undefined;
  variableDocs = undefined;
  variablePrefixes = undefined;
}

/** Documentation for a directive; several entries when http and stream modules share a name. */
export function directiveDoc(name: string): readonly DirectiveDoc[] {
  if (!directiveDocs) loadDirectives();
  return directiveDocs!.get(name) ?? [];
}

/** Documentation for a variable (name without `$`), including prefix families such as `http_`. */
export function variableDoc(name: string): VariableDoc | undefined {
  if (!variableDocs) loadVariables();
  const exact = variableDocs!.get(name);
  if (exact) return exact;
  return variablePrefixes!.find((p) => name.startsWith(p.name) && name.length > p.name.length);
}

/** The variables of the http and the stream modules: separate tables in nginx (`$request_uri` is http only). */
const KNOWN_VARIABLES: Record<VariableArea, { exact: ReadonlySet<string>; prefixes: readonly string[] }> = {
  http: { exact: new Set(variableNames.http.exact), prefixes: variableNames.http.prefixes },
  stream: { exact: new Set(variableNames.stream.exact), prefixes: variableNames.stream.prefixes },
};

/** Whether a module of nginx (or of OpenResty's bundle) defines the variable in http or in stream. */
export function isBuiltinVariable(name: string, module: VariableArea = 'http'): boolean {
  const known = KNOWN_VARIABLES[module];
  if (known.exact.has(name)) return true;
  if (/^\d+$/.test(name)) return true; // regex captures $1..$9 are always accepted
  // `$arg_` alone is accepted too: the name only has to be at least as long as the prefix (ngx_http_variables_init_vars).
  for (const prefix of known.prefixes) if (name.startsWith(prefix)) return true;
  return false;
}

/** A variable nginx or a module defines: where it exists (http, stream) and which module defines it. */
export interface BuiltinVariable {
  /** Without `$`; a family by prefix ends with `_` (`http_`, `arg_`). */
  name: string;
  prefix: boolean;
  areas: readonly ('http' | 'stream')[];
  /** `nginx` for nginx's own and the common modules', else the module only some flavors build in. */
  origin: DirectiveOrigin;
}

let builtins: BuiltinVariable[] | undefined;

/**
 * Every built-in variable, from the tables the analysis loads anyway (data/variables.json,
 * variable-areas.json, openresty.json): no need for the reference to know them.
 */
export function builtinVariables(): readonly BuiltinVariable[] {
  if (builtins) return builtins;
  const plus = new Set(variableAreas.plus);
  const moduleOf = new Map<string, OpenRestyModule>();
  for (const [module, { variables }] of Object.entries(openresty)) for (const v of variables) moduleOf.set(v, module as OpenRestyModule);
  const entry = (name: string, prefix: boolean): BuiltinVariable => ({
    name, prefix,
    areas: (['http', 'stream'] as const).filter((area) => isBuiltinVariable(name, area)),
    origin: plus.has(name) ? 'nginx-plus' : moduleOf.get(name) ?? 'nginx',
  });
  const exact = new Set([...variableNames.http.exact, ...variableNames.stream.exact]);
  const prefixes = new Set([...variableNames.http.prefixes, ...variableNames.stream.prefixes]);
  builtins = [...[...exact].sort().map((n) => entry(n, false)), ...[...prefixes].map((p) => entry(p, true))];
  return builtins;
}

/**
 * The reference entry of a directive as it stands in a context (`http>upstream`): the reference has
 * one per module, and `server` in an upstream is not the `server` block, nor `proxy_pass` in stream
 * the http one.
 */
export function directiveDocIn(name: string, context: string | undefined): DirectiveDoc | undefined {
  const docs = directiveDoc(name);
  if (docs.length <= 1 || !context) return docs[0];
  const area = context.startsWith('stream') ? 'stream' : context.startsWith('mail') ? 'mail' : 'http';
  const inArea = docs.filter((d) => moduleArea(d.module) === area);
  const where = referenceContextName(context);
  return inArea.find((d) => d.contexts.includes(where)) ?? inArea[0] ?? docs[0];
}

/** A module's area: the core and event modules count as http's (their directives stand in main and events). */
function moduleArea(module: string): 'http' | 'stream' | 'mail' {
  return module.startsWith('ngx_stream_') ? 'stream' : module.startsWith('ngx_mail_') ? 'mail' : 'http';
}

/** How the reference names a context: `http>location>if` is "if in location", `http>upstream` "upstream". */
function referenceContextName(context: string): string {
  if (context === 'http>location>if') return 'if in location';
  if (context === 'http>server>if') return 'if';
  return context.slice(context.lastIndexOf('>') + 1);
}
