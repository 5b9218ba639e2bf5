/**
 * Variables nginx does not know: every `$name` an argument uses must be built in (a module defines
 * it) or defined by the configuration (`set`, `map`, `geo`, a named regex capture, …). Definitions
 * and uses are collected during the walk; uses are judged at its end, when every definition is known.
 */
import type { CheckContext, NameFacts, NginxFamily } from '../context';
import { type VariableModule, isBuiltinVariable } from '../docs';
import { type Directive, sliceInterned } from '../syntax';

export const family: NginxFamily = {
  name: 'variables',
  rules: ['unknown-variable'],
  end: (c) => {
    if (c.options.standalone) return;
    for (const use of c.facts.variableUses) {
      if (c.facts.definedVariables.has(use.name) || isBuiltinVariable(use.name, use.module)) continue;
      const where = use.module === 'stream' && isBuiltinVariable(use.name, 'http') ? ' in stream (it is an http variable)' : '';
      c.report(use.file, use.start, use.end, 'unknown-variable', `unknown "${use.name}" variable${where}`);
    }
  },
};

const DOLLAR = 0x24, TILDE = 0x7e, LBRACE = 0x7b, RBRACE = 0x7d;
const NAMED_CAPTURE = /\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']/g;

/** Whether the walk should collect definitions from this directive (most define nothing). */
export function mayDefine(name: string, facts: NameFacts): boolean {
  return facts.define !== undefined || facts.capturing || name.charCodeAt(0) === DOLLAR;
}

/** Records the variables a directive defines: by an argument (`set $x`), by named regex captures. */
export function collectDefinitions(d: Directive, facts: NameFacts, c: CheckContext): void {
  const defined = c.facts.definedVariables;
  const word = facts.define?.(d.args);
  if (word) defined.add(variableName(word.value));
  const name = d.name.value;
  if (name.charCodeAt(0) === DOLLAR && c.parents[c.parents.length - 1]?.name.value === 'geoip2') defined.add(name.slice(1));
  // Named captures come from regular expressions: location, server_name, if, rewrite, map keys.
  if (!facts.capturing) return;
  for (let i = -1; i < d.args.length; i++) {
    const value = i < 0 ? name : d.args[i].value;
    if (!value.includes('(?')) continue;
    for (const m of value.matchAll(NAMED_CAPTURE)) defined.add(m[1]);
  }
}

/** Records the variables the arguments use, to be checked once every definition is known. */
export function collectUses(d: Directive, facts: NameFacts, c: CheckContext): void {
  if (c.standalone || facts.variableArgs === 'none') return;
  const args = d.args;
  const parentName = c.parents[c.parents.length - 1]?.name.value;
  const keyed = parentName === 'map' || parentName === 'geo' || parentName === 'split_clients';
  let defined;
  let ifRegex = -1;
  let text: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.value.includes('$')) continue;
    if (text === undefined) {
      // Worked out only for the directives that use a variable, most do not.
      text = c.text();
      defined = facts.define?.(args);
      if (facts.variableArgs === 'if') ifRegex = args.findIndex((a) => /^!?~\*?$/.test(a.value)) + 1;
    }
    if (arg === defined || i === facts.codeArgument) continue;
    // Where `$` is a regex anchor or part of a map key, it is no variable.
    if (facts.variableArgs === 'all-but-first' ? i === 0
      : facts.variableArgs === 'if' ? i === ifRegex && ifRegex > 0
        : keyed ? i === 0 : arg.value.charCodeAt(0) === TILDE) continue;
    scanVariables(text, arg.start, arg.end, c, keyed ? undefined : d);
  }
}

/**
 * Whether `$1`…`$9` in a directive's arguments read the request's captures (judged by the regex
 * family, capture-group-missing): not in a rewrite's replacement or a proxy_redirect's, which read
 * their own regex's (nor in a map entry's value: collectUses passes no directive for those); http only.
 */
function readsRequestCaptures(d: Directive, c: CheckContext): boolean {
  const name = d.name.value;
  return name !== 'rewrite' && name !== 'proxy_redirect' && c.contexts[0]?.startsWith('http') === true;
}

/** Records a read of capture `n` at text[start, end) for the end of the walk (rules/regex.ts judges it). */
function readCapture(text: string, start: number, end: number, n: number, d: Directive, c: CheckContext): void {
  if (!readsRequestCaptures(d, c)) return;
  const word = { start, end, value: text.slice(start, end) };
  c.facts.captures.uses.push({ file: c.file, word, highest: n, directive: d, parents: c.parents.slice() });
}

/**
 * Finds `$name` and `${name}` in text[start, end) (the raw argument, quotes included); and `$1`…`$9`
 * of `captures`, the directive they stand in (none for a map entry, whose value reads its own regex).
 * `${1}` is no capture: nginx reads a digit right after "$" only (ngx_http_script_compile).
 */
function scanVariables(text: string, start: number, end: number, c: CheckContext, captures: Directive | undefined): void {
  let unclosedReported = false;
  // The stream module has its own variables; a file included in both http and stream is judged as http.
  const module = c.contexts.length > 0 && c.contexts.every(isStreamContext) ? 'stream' : 'http';
  for (let p = text.indexOf('$', start); p >= 0 && p < end - 1; p = text.indexOf('$', p + 1)) {
    const next = text.charCodeAt(p + 1);
    if (next === LBRACE) {
      let q = p + 2;
      while (q < end && isNameChar(text.charCodeAt(q))) q++;
      if (q < end && text.charCodeAt(q) === RBRACE) {
        if (q > p + 2) useVariable(p, q + 1, sliceInterned(text, p + 2, q), module, c);
      } else if (!unclosedReported) {
        unclosedReported = true;
        c.report(p, q, 'unknown-variable', `the closing bracket in "${text.slice(p + 2, q)}" variable is missing`);
      }
    } else if (next >= 0x31 && next <= 0x39) {
      if (captures) readCapture(text, p, p + 2, next - 0x30, captures, c);
    } else if (isNameChar(next) && !(next >= 0x30 && next <= 0x39)) {
      let q = p + 2;
      while (q < end && isNameChar(text.charCodeAt(q))) q++;
      useVariable(p, q, sliceInterned(text, p + 1, q), module, c);
    }
  }
}

function useVariable(start: number, end: number, name: string, module: VariableModule, c: CheckContext): void {
  // Built-in variables need no definition: only the others wait for the end of the walk.
  if (!isBuiltinVariable(name, module)) c.facts.variableUses.push({ file: c.file, start, end, name, module });
}

function isStreamContext(context: string): boolean {
  return context.startsWith('stream');
}

/** `[A-Za-z0-9_]`: the characters of a variable name. */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** `$x`, `${x}` → `x`. */
export function variableName(value: string): string {
  let start = 0;
  let end = value.length;
  if (value.charCodeAt(0) === DOLLAR) start = value.charCodeAt(1) === LBRACE ? 2 : 1;
  if (end > start && value.charCodeAt(end - 1) === RBRACE) end--;
  return start === 0 && end === value.length ? value : sliceInterned(value, start, end);
}
