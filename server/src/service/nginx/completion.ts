/**
 * Completion: directive names allowed where the cursor is, variables after `$`, and the snippets of
 * snippets/nginx.json (the same ones VS Code contributes) for editors that have no snippet files.
 */
import snippetFile from '../../../../snippets/nginx.json';
import { allVariableNames, directiveDoc } from './docs';
import { ContextKey, allDirectiveNames, allowedIn, childContext, directiveVariants } from './knowledge';
import { ConfigFile } from './syntax';
import { blocksAround } from './locate';

export interface CompletionEntry {
  label: string;
  kind: 'directive' | 'variable' | 'snippet' | 'annotation' | 'value';
  detail?: string;
  /** Text to insert; a snippet with tab stops when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** Offsets of the text the entry replaces. */
  start: number;
  end: number;
}

interface SnippetDefinition { prefix: string | string[]; description: string; body: string[] }

export const SNIPPETS = Object.entries(snippetFile as Record<string, SnippetDefinition>).map(([name, s]) => ({
  name,
  prefixes: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
  description: s.description,
  body: s.body.join('\n'),
}));

/** A snippet body with every placeholder replaced by its default (the first choice). */
export function expandSnippet(body: string): string {
  return body
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

export function completions(tree: ConfigFile, offset: number, rootContexts: readonly ContextKey[]): CompletionEntry[] {
  const text = tree.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const variable = /\$\{?([A-Za-z0-9_]*)$/.exec(before);
  if (variable) {
    const start = offset - variable[1].length;
    return allVariableNames().map((name) => ({
      label: `$${name}`, kind: 'variable', insertText: name, snippet: false, start, end: offset
    }));
  }
  const word = /(^|[;{}\s])([A-Za-z_]*)$/.exec(before);
  const statementStart = /^[ \t]*[A-Za-z_]*$/.test(before) || /[;{}][ \t]*[A-Za-z_]*$/.test(before);
  if (!word || !statementStart) return [];
  const start = offset - word[2].length;
  const contexts = contextsAt(tree, start, rootContexts);
  const out: CompletionEntry[] = [];
  for (const name of allDirectiveNames()) {
    const variants = directiveVariants(name)!;
    if (!variants.some((v) => contexts.some((c) => allowedIn(v, c)))) continue;
    const doc = directiveDoc(name)[0];
    out.push({
      label: name, kind: 'directive', detail: doc?.module ?? variants[0].origin, insertText: name, snippet: false, start, end: offset
    });
  }
  for (const s of SNIPPETS) {
    for (const prefix of s.prefixes) {
      out.push({ label: prefix, kind: 'snippet', detail: s.name, insertText: s.body, snippet: true, start, end: offset });
    }
  }
  return out;
}

/** The contexts a new statement at `offset` would stand in. */
export function contextsAt(tree: ConfigFile, offset: number, rootContexts: readonly ContextKey[]): ContextKey[] {
  let contexts = [...rootContexts];
  for (const p of blocksAround(tree.children, offset)) contexts = [...new Set(contexts.map((c) => childContext(c, p.name.value)))];
  return contexts;
}
