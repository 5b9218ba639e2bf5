/**
 * Variables nginx does not know: every `$name` an argument uses must be built in (a module defines
 * it) or defined by the configuration (`set`, `map`, `geo`, a named regex capture, …). Definitions
 * and uses are collected during the walk; uses are judged at its end, when every definition is known.
 */
import type { CheckContext, EndContext, NameFacts, NginxFamily, VariableUse } from '../context';
import { isBuiltinVariable } from '../docs';
import { configFlavors } from '../knowledge';
import { type Directive, sliceInterned } from '../syntax';
import { VariableArea, suggestVariable } from '../valid-names';

export const family: NginxFamily = {
  name: 'variables',
  rules: ['unknown-variable'],
  end: reportUnknownVariables,
  fixes: {
    'unknown-variable': ({ text }, diagnostic) => {
      const suggestion = diagnostic.data?.suggestion;
      const written = text.slice(diagnostic.start, diagnostic.end);
      if (typeof suggestion !== 'string' || !/^\$(\{\w+\}|\w+)$/.test(written)) return [];
      const newText = written.startsWith('${') ? `\${${suggestion}}` : `$${suggestion}`;
      return [{ title: `Change to "${newText}"`, edits: [{ start: diagnostic.start, end: diagnostic.end, newText }], isPreferred: true }];
    },
  },
};

/**
 * Uses of variables nothing defines, each with the closest name valid where it stands: one the
 * configuration defines, or a built-in one of its module area (http, stream) and flavor.
 */
function reportUnknownVariables(c: EndContext): void {
  if (c.options.standalone) return;
  const unknown = new Map<string, VariableUse[]>();
  for (const use of c.facts.variableUses) {
    if (c.facts.definedVariables.has(use.name) || isBuiltinVariable(use.name, use.area)) continue;
    // A file included in several places is walked once per place: one finding, valid in each.
    const key = `${use.file}\n${use.start}`;
    const list = unknown.get(key);
    if (list) list.push(use); else unknown.set(key, [use]);
  }
  if (unknown.size === 0) return;
  const flavors = configFlavors(c.options.flavor, c.facts.moduleNeeds, c.facts.loadedModules);
  for (const uses of unknown.values()) {
    const { file, start, end, name } = uses[0];
    const areas: VariableArea[][] = [...new Set(uses.map((u) => u.area))].map((a) => [a]);
    const guess = suggestVariable(name, areas, c.facts.definedVariables, flavors, c.facts.loadedModules);
    const httpOnly = uses.some((u) => u.area === 'stream') && isBuiltinVariable(name, 'http') ? ' in stream (it is an http variable)' : '';
    c.report(file, start, end, 'unknown-variable',
      `unknown "${name}" variable${httpOnly}${guess ? `; did you mean "$${guess}"?` : ''}`, guess ? { suggestion: guess } : undefined);
  }
}

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
  if (c.standalone) return;
  const args = d.args;
  const parentName = c.parents[c.parents.length - 1]?.name.value;
  // An entry of a table: its key is its name, not scanned. A map's value may use variables (nginx -t
  // refuses `default $nope;`); geo and split_clients values are text, where `$` is a character.
  if (parentName === 'geo' || parentName === 'split_clients') return;
  const mapEntry = parentName === 'map';
  if (!mapEntry && facts.variableArgs === 'none') return;
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
    if (!mapEntry) {
      if (arg === defined || i === facts.codeArgument) continue;
      // Where `$` is a regex anchor, it is no variable.
      if (facts.variableArgs === 'all-but-first' ? i === 0
        : facts.variableArgs === 'if' ? i === ifRegex && ifRegex > 0 : arg.value.charCodeAt(0) === TILDE) continue;
    }
    scanVariables(text, arg.start, arg.end, c);
  }
}

/** Finds `$name` and `${name}` in text[start, end) (the raw argument, quotes included). */
function scanVariables(text: string, start: number, end: number, c: CheckContext): void {
  let unclosedReported = false;
  // The stream module has its own variables (`$request_uri` is unknown there).
  const area = areaOf(c);
  for (let p = text.indexOf('$', start); p >= 0 && p < end - 1; p = text.indexOf('$', p + 1)) {
    const next = text.charCodeAt(p + 1);
    if (next === LBRACE) {
      let q = p + 2;
      while (q < end && isNameChar(text.charCodeAt(q))) q++;
      if (q < end && text.charCodeAt(q) === RBRACE) {
        if (q > p + 2) useVariable(p, q + 1, sliceInterned(text, p + 2, q), area, c);
      } else if (!unclosedReported) {
        unclosedReported = true;
        c.report(p, q, 'unknown-variable', `the closing bracket in "${text.slice(p + 2, q)}" variable is missing`);
      }
    } else if (isNameChar(next) && !(next >= 0x30 && next <= 0x39)) {
      let q = p + 2;
      while (q < end && isNameChar(text.charCodeAt(q))) q++;
      useVariable(p, q, sliceInterned(text, p + 1, q), area, c);
    }
  }
}

function useVariable(start: number, end: number, name: string, area: VariableArea, c: CheckContext): void {
  // Built-in variables need no definition: only the others wait for the end of the walk.
  if (!isBuiltinVariable(name, area)) c.facts.variableUses.push({ file: c.file, start, end, name, area });
}

/** Stream or http: by the contexts, or in a `map` body (whose context says nothing) by the enclosing blocks. */
function areaOf(c: CheckContext): VariableArea {
  for (const x of c.contexts) if (x.startsWith('stream')) return 'stream';
  for (const p of c.parents) if (p.name.value === 'stream') return 'stream';
  return 'http';
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
