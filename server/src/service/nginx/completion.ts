/**
 * Completion that knows where it is: directive names valid in the cursor's context for the flavor
 * and target release (./valid-names.ts); the keywords of the argument being typed (from the nginx
 * reference's syntax lines, ./directive-syntax.ts); variables after `$` (built-in ones of the area
 * and flavor, and every one the configuration defines); upstream names in `proxy_pass` and its
 * kin; paths in `include` and the TLS file directives, relative to the prefix; and the snippets of
 * snippets/nginx.json (the same ones VS Code contributes) for editors that have no snippet files.
 * Documentation is left for resolving one entry at a time (`completionDocumentation`).
 */
import * as path from 'node:path/posix';
import snippetFile from '../../../../snippets/nginx.json';
import type { ConfigHost } from '../host';
import { applyMappings, TLS_FILE_DIRECTIVES } from './certificate-files';
import { CursorPlace, cursorAt } from './cursor';
import { itemsAt, syntaxLines } from './directive-syntax';
import { builtinVariables, directiveDocIn, variableDoc } from './docs';
import {
  ContextKey, ENTRY_BLOCKS, FLAVOR_MODULES, NEWEST_STABLE, NO_VARIABLES, allowedIn, childContext, directiveVariants, foreignCodeArgument,
  isUncheckedContext, originAvailable, parseNginxVersion,
} from './knowledge';
import type { ConfigFile, Directive } from './syntax';
import { NameScope, VariableArea, areasOf, directiveFits, directiveNamesIn, parameterTooNew, scopeKey } from './valid-names';
import type { ConfigAnalysis } from './walk';

export interface CompletionEntry {
  label: string;
  kind: 'directive' | 'variable' | 'snippet' | 'annotation' | 'value' | 'file' | 'folder' | 'reference';
  detail?: string;
  /** Markdown shown beside the entry, when known at once (else see `documentation`). */
  markdown?: string;
  /** Text to insert; a snippet with tab stops when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** Offsets of the text the entry replaces. */
  start: number;
  end: number;
  /** What the editor matches the typed text against, when not the label (`${ho` against `${host}`). */
  filterText?: string;
  /** What to look up for the entry's documentation when the editor asks (completionDocumentation). */
  documentation?: CompletionDocumentationRef;
}

/** A directive as it stands in a context, or a variable: the documentation an entry resolves to. */
export type CompletionDocumentationRef = { directive: string; context?: ContextKey } | { variable: string };

/** What completion needs beyond the file: where the file stands, and what the whole configuration defines. */
export interface CompletionOptions {
  /** The contexts of the file's top level. */
  rootContexts: readonly ContextKey[];
  /**
   * The analysis the file is seen in: flavors, loaded modules, target release, the variables and
   * upstreams the configuration defines, the prefix. Without it: stock nginx, the newest release.
   */
  analysis?: Pick<ConfigAnalysis, 'prefix' | 'flavors' | 'loadedModules' | 'target' | 'definedVariables' | 'upstreams'>;
  /** Lists folders for path completion; without it, no paths are offered. */
  host?: ConfigHost;
  /** `nginx-ls.pathMappings`: server path prefixes and where they live in the workspace. */
  pathMappings?: readonly [string, string][];
}

interface SnippetDefinition { prefix: string | string[]; description: string; body: string[] }

export const SNIPPETS = Object.entries(snippetFile as Record<string, SnippetDefinition>).map(([name, s]) => ({
  name,
  prefixes: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
  description: s.description,
  body: s.body.join('\n'),
  /** The snippet's first directive, and whether it opens a block: it is offered where that may stand. */
  first: /^\s*([A-Za-z_]\w*)/.exec(s.body.join('\n'))?.[1] ?? '',
  block: /^[^;{]*\{/.test(expandSnippet(s.body.join('\n'))),
}));

/** Whether a snippet's first statement may stand in the scope: `server {` fits http, not an upstream (whose `server` is no block). */
function snippetFits(s: (typeof SNIPPETS)[number], scope: NameScope): boolean {
  if (!directiveFits(s.first, scope)) return false;
  return directiveVariants(s.first)!.some((v) => v.block === s.block && scope.contexts.some((c) => allowedIn(v, c)));
}

/** A snippet body with every placeholder replaced by its default (the first choice). */
export function expandSnippet(body: string): string {
  return body
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

type ConfigurationFacts = NonNullable<CompletionOptions['analysis']>;

/** Without an analysis: stock nginx, the newest stable release, nothing defined, no prefix. */
const NO_FACTS: ConfigurationFacts = {
  prefix: '', flavors: ['nginx'], loadedModules: new Set(), target: parseNginxVersion(NEWEST_STABLE)!, definedVariables: new Set(),
  upstreams: new Map(),
};

/** The completion entries at `offset` of a parsed file. */
export function completions(tree: ConfigFile, offset: number, options: CompletionOptions): CompletionEntry[] {
  const place = cursorAt(tree, offset);
  if (place.kind === 'none') return [];
  const contexts = contextsOf(place.parents, options.rootContexts);
  const facts = options.analysis ?? NO_FACTS;
  const scope: NameScope = { contexts, flavors: facts.flavors, loadedModules: facts.loadedModules, target: facts.target };
  if (place.kind === 'name') return statementEntries(tree.text, place, offset, scope);
  return argumentEntries(tree.text, place, offset, scope, options);
}

/** The contexts a statement inside `parents` stands in. */
export function contextsOf(parents: readonly Directive[], rootContexts: readonly ContextKey[]): ContextKey[] {
  let contexts = [...rootContexts];
  for (const p of parents) contexts = [...new Set(contexts.map((c) => childContext(c, p.name.value)))];
  return contexts;
}

/** What the bodies of map and geo take besides their entries (ngx_http_map_module, ngx_http_geo_module). */
const ENTRY_KEYWORDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['map', ['default', 'hostnames', 'include', 'volatile']],
  ['geo', ['default', 'delete', 'include', 'proxy', 'proxy_recursive', 'ranges']],
]);

function statementEntries(text: string, place: Extract<CursorPlace, { kind: 'name' }>, offset: number,
  scope: NameScope): CompletionEntry[] {
  const start = place.start;
  const typed = text.slice(start, offset);
  if (!/^[A-Za-z_]\w*$|^$/.test(typed)) return [];
  const out: CompletionEntry[] = [];
  const block = place.parents[place.parents.length - 1]?.name.value;
  if (block && ENTRY_BLOCKS.has(block)) {
    for (const keyword of ENTRY_KEYWORDS.get(block) ?? []) {
      out.push({ label: keyword, kind: 'value', detail: `${block} parameter`, insertText: keyword, snippet: false, start, end: offset });
    }
    return out;
  }
  for (const t of statementTemplates(scope)) out.push({ ...t, start, end: offset });
  return out;
}

type Template = Omit<CompletionEntry, 'start' | 'end'>;
const templatesByScope = new Map<string, readonly Template[]>();

/** The directives and snippets of a scope, worked out once: typing asks for the same list again and again. */
function statementTemplates(scope: NameScope): readonly Template[] {
  const key = scopeKey(scope);
  let templates = templatesByScope.get(key);
  if (templates) return templates;
  const out: Template[] = [];
  for (const name of directiveNamesIn(scope)) {
    const context = scope.contexts.length === 1 ? scope.contexts[0]
      : scope.contexts.find((c) => directiveFits(name, { ...scope, contexts: [c] }));
    out.push({
      label: name, kind: 'directive', detail: directiveDetail(name, context), insertText: name, snippet: false,
      documentation: { directive: name, context },
    });
  }
  for (const s of SNIPPETS) {
    if (!snippetFits(s, scope)) continue;
    for (const prefix of s.prefixes) {
      out.push({ label: prefix, kind: 'snippet', detail: s.name, markdown: s.description, insertText: s.body, snippet: true });
    }
  }
  if (templatesByScope.size >= 100) templatesByScope.clear();
  templatesByScope.set(key, (templates = out));
  return templates;
}

/** The directive's syntax as it stands in the context (`proxy_pass URL;`), or the module it comes from. */
function directiveDetail(name: string, context: ContextKey | undefined): string | undefined {
  const doc = directiveDocIn(name, context);
  if (doc) return syntaxLines(doc)[0]?.label;
  const origin = directiveVariants(name)?.[0]?.origin;
  return origin && origin !== 'nginx' ? FLAVOR_MODULES.get(origin)?.title ?? origin : undefined;
}

/** The pass directives that name an upstream group, and the schemes before the name. */
const UPSTREAM_PASSES: ReadonlyMap<string, readonly string[]> = new Map([
  ['proxy_pass', ['http://', 'https://']], ['grpc_pass', ['grpc://', 'grpcs://']], ['uwsgi_pass', ['uwsgi://', 'suwsgi://', '']],
  ['fastcgi_pass', ['']], ['scgi_pass', ['']], ['memcached_pass', ['']],
]);

/** Directives whose argument is a path nginx resolves against the prefix. */
const PATH_DIRECTIVES: ReadonlySet<string> = new Set([
  'include', ...TLS_FILE_DIRECTIVES.keys(), 'ssl_dhparam', 'ssl_stapling_file', 'ssl_session_ticket_key', 'auth_basic_user_file',
]);

function argumentEntries(text: string, place: Extract<CursorPlace, { kind: 'argument' }>, offset: number, scope: NameScope,
  options: CompletionOptions): CompletionEntry[] {
  const d = place.directive;
  const name = d.name.value;
  const wordStart = place.word?.start ?? offset;
  const typed = text.slice(wordStart, offset);
  const contexts = scope.contexts.filter((c) => !isUncheckedContext(c));
  const variable = /\$(\{?)(\w*)$/.exec(typed);
  if (variable) {
    if (!variablesAllowed(d, place.index)) return [];
    // A map or geo body says nothing of its area: the blocks around it do.
    const around = contextsOf(place.parents.filter((p) => !ENTRY_BLOCKS.has(p.name.value)), options.rootContexts);
    return variableEntries(offset - variable[0].length, offset, variable[1] === '{', areasOf(around), scope, options);
  }
  const schemes = UPSTREAM_PASSES.get(name);
  if (schemes && place.index === 0 && contexts.length) return upstreamEntries(typed, wordStart, offset, schemes, contexts, options);
  if (PATH_DIRECTIVES.has(name) && place.index === 0 && options.host) return pathEntries(typed, wordStart, offset, options);
  if (/^["']/.test(typed)) return [];
  return keywordEntries(d, place.index, wordStart, offset, contexts, scope);
}

/** Where `$` starts a variable: not in a regex, a `location` or `server_name`, or Lua and Perl code. */
function variablesAllowed(d: Directive, index: number): boolean {
  const name = d.name.value;
  if (NO_VARIABLES.has(name) || index === foreignCodeArgument(name)) return false;
  if (name === 'rewrite' && index === 0) return false;
  // The regex of `if ($uri ~ \.php$)`: its `$` is an anchor.
  return !(name === 'if' && index > 0 && /^!?~\*?$/.test(d.args[index - 1]?.value ?? ''));
}

/**
 * Variables after `$` or `${`: the configuration's own, then the built-in ones of the area and
 * flavor. A family (`$http_…`) is offered with a tab stop for the rest of its name.
 */
function variableEntries(start: number, offset: number, braced: boolean, areas: readonly VariableArea[], scope: NameScope,
  options: CompletionOptions): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const [open, close] = braced ? ['${', '}'] : ['$', ''];
  const entry = (name: string, detail: string, documented: boolean, family: boolean): CompletionEntry => ({
    label: `$${name}${family ? 'name' : ''}`, kind: 'variable', detail,
    insertText: family ? `\\$${open.slice(1)}${name}\${1:name}${close}` : `${open}${name}${close}`,
    snippet: family, start, end: offset, filterText: `${open}${name}`,
    documentation: documented ? { variable: family ? `${name}name` : name } : undefined,
  });
  const defined = (options.analysis ?? NO_FACTS).definedVariables;
  for (const name of defined) out.push(entry(name, 'defined in the configuration', false, false));
  for (const v of builtinVariables()) {
    if (defined.has(v.name) || !v.areas.some((a) => areas.includes(a))) continue;
    if (!originAvailable(v.origin, scope.flavors, scope.loadedModules)) continue;
    const module = FLAVOR_MODULES.get(v.origin);
    out.push(entry(v.name, module ? `built in (${module.title})` : 'built in', true, v.prefix));
  }
  return out;
}

function upstreamEntries(typed: string, wordStart: number, offset: number, schemes: readonly string[], contexts: readonly ContextKey[],
  options: CompletionOptions): CompletionEntry[] {
  const area = contexts.some((c) => c.startsWith('stream')) ? 'stream' : 'http';
  // In stream, proxy_pass takes an address or a group's name, with no scheme.
  const usable = area === 'stream' ? [''] : schemes;
  const scheme = usable.filter((s) => s && typed.toLowerCase().startsWith(s)).sort((a, b) => b.length - a.length)[0];
  const out: CompletionEntry[] = [];
  const names = (start: number) => {
    for (const [key, upstream] of (options.analysis ?? NO_FACTS).upstreams) {
      if (!key.startsWith(`${area}:`)) continue;
      const name = upstream.args[0].value; // the key is lower-cased: nginx finds groups without regard to case
      out.push({ label: name, kind: 'reference', detail: `upstream ${name}`, insertText: name, snippet: false, start, end: offset });
    }
  };
  if (scheme) {
    names(wordStart + scheme.length);
    return out;
  }
  // No scheme yet: the schemes, which is where a name goes next; and the names where none is needed.
  for (const s of usable) {
    if (s) out.push({ label: s, kind: 'value', detail: 'scheme', insertText: s, snippet: false, start: wordStart, end: offset });
  }
  if (usable.includes('') && !/[:/]/.test(typed)) names(wordStart);
  return out;
}

/** Files and folders for a path argument, relative to the prefix or absolute (through `nginx-ls.pathMappings`). */
function pathEntries(typed: string, wordStart: number, offset: number, options: CompletionOptions): CompletionEntry[] {
  const quote = /^["']/.test(typed) ? 1 : 0;
  const written = typed.slice(quote);
  if (/[*?[$]/.test(written) || written.startsWith('data:')) return [];
  const slash = written.lastIndexOf('/');
  const folderPart = written.slice(0, slash + 1);
  const namePart = written.slice(slash + 1);
  const prefix = (options.analysis ?? NO_FACTS).prefix;
  if (!path.isAbsolute(written) && !prefix) return [];
  const folder = path.resolve(prefix || '/', folderPart || '.');
  const mappings = [...(options.pathMappings ?? [])].sort((a, b) => b[0].length - a[0].length);
  const local = applyMappings(folder, mappings) ?? folder;
  const start = wordStart + quote + slash + 1;
  const out: CompletionEntry[] = [];
  for (const e of options.host!.listDirectory(local)) {
    if (e.name.startsWith('.') && !namePart.startsWith('.')) continue;
    out.push({
      label: e.directory ? `${e.name}/` : e.name, kind: e.directory ? 'folder' : 'file', insertText: e.directory ? `${e.name}/` : e.name,
      snippet: false, start, end: offset,
    });
  }
  return out;
}

/** The keywords argument `index` may be, from the reference's syntax, or on/off for a flag. */
function keywordEntries(d: Directive, index: number, wordStart: number, offset: number, contexts: readonly ContextKey[],
  scope: NameScope): CompletionEntry[] {
  const name = d.name.value;
  const context = contexts.find((c) => directiveFits(name, { ...scope, contexts: [c] })) ?? contexts[0];
  const doc = directiveDocIn(name, context);
  // A keyword given once already (`ssl`, `TLSv1.3`, `backlog=`) is not offered again.
  const used = new Set(d.args.filter((a, i) => i !== index).map((a) => a.value.split('=', 1)[0]));
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const add = (value: string, insertText: string, snippet: boolean, detail: string) => {
    if (seen.has(value)) return;
    seen.add(value);
    out.push({ label: value, kind: 'value', detail, insertText, snippet, start: wordStart, end: offset });
  };
  if (doc) {
    for (const line of syntaxLines(doc)) {
      for (const item of itemsAt(line, index)) {
        for (const k of item.keywords) {
          const key = k.value.split('=', 1)[0];
          if (used.has(key) || parameterTooNew(name, key, contexts, scope.target)) continue;
          add(k.value, k.snippet ?? k.value, k.snippet !== undefined, k.shown === k.value ? `${name} parameter` : k.shown);
        }
      }
    }
  } else if (index === 0 && directiveVariants(name)?.some((v) => v.args.includes('flag'))) {
    for (const flag of ['on', 'off']) add(flag, flag, false, `${name} parameter`);
  }
  return out;
}

/** Markdown for an entry's documentation pane: syntax, default, contexts and the nginx.org link; a variable's description. */
export function completionDocumentation(ref: CompletionDocumentationRef): string | undefined {
  if ('variable' in ref) {
    const doc = variableDoc(ref.variable);
    return doc && `${doc.description}\n\n[nginx.org: ${doc.module}](${doc.url})`;
  }
  const doc = directiveDocIn(ref.directive, ref.context);
  if (!doc) {
    const variants = directiveVariants(ref.directive);
    if (!variants) return undefined;
    const origin = variants[0].origin;
    const from = FLAVOR_MODULES.get(origin)?.title ?? (origin === 'nginx' ? 'nginx' : `the ${origin} module`);
    const blocks = variants.flatMap((v) => v.contexts)
      .map((c) => (c === 'direct' ? 'main' : c === 'any' ? 'any block' : c.slice(c.lastIndexOf('>') + 1)));
    return `From ${from}. Context: ${[...new Set(blocks)].join(', ')}.`;
  }
  return [
    '```nginx\n' + syntaxLines(doc).map((l) => l.label).join('\n') + '\n```',
    `Default: \`${doc.default || '—'}\` · Context: ${doc.contexts.filter(Boolean).join(', ') || 'any'} · ${doc.module}`,
    `[nginx.org documentation](${doc.url})`,
    doc.description,
  ].join('\n\n');
}
