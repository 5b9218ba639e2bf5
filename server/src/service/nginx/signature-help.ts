/**
 * Signature help: while a directive's arguments are typed, its syntax lines from the nginx reference
 * (the one for the module of the context: stream's `proxy_pass` is not http's), the line the typed
 * arguments fit, and the argument the cursor is in.
 */
import { contextsOf } from './completion';
import { cursorAt } from './cursor';
import { SyntaxLine, activeItem, itemsAt, syntaxLines } from './directive-syntax';
import { directiveDocIn } from './docs';
import { ContextKey, isUncheckedContext } from './knowledge';
import type { ConfigFile } from './syntax';

export interface SignatureHelpResult {
  signatures: { label: string; documentation: string; parameters: { start: number; end: number }[] }[];
  activeSignature: number;
  /** Index into the active signature's parameters; -1 when the argument fits none (one too many). */
  activeParameter: number;
}

export function signatureHelp(tree: ConfigFile, offset: number, rootContexts: readonly ContextKey[]): SignatureHelpResult | undefined {
  const place = cursorAt(tree, offset);
  if (place.kind !== 'argument') return undefined;
  const d = place.directive;
  const contexts = contextsOf(place.parents, rootContexts).filter((c) => !isUncheckedContext(c));
  if (contexts.length === 0) return undefined;
  const doc = directiveDocIn(d.name.value, contexts[0]);
  if (!doc) return undefined;
  const lines = syntaxLines(doc);
  const typed = place.word ? tree.text.slice(place.word.start, offset) : '';
  const before = d.args.slice(0, place.index).map((a) => a.value);
  const fitting = lines.findIndex((line) => fits(line, before) && itemsAt(line, place.index).length > 0);
  const active = fitting >= 0 ? fitting : Math.max(0, lines.findIndex((line) => itemsAt(line, place.index).length > 0));
  const documentation = `Default: \`${doc.default || '—'}\` · [nginx.org documentation](${doc.url})`;
  return {
    signatures: lines.map((line) => ({
      label: line.label, documentation, parameters: line.items.map(({ start, end }) => ({ start, end })),
    })),
    activeSignature: active,
    activeParameter: activeItem(lines[active], place.index, typed),
  };
}

/** Whether the arguments given so far fit a line: a keyword where the line has keywords only (`return 301 …` vs `return URL`). */
function fits(line: SyntaxLine, args: readonly string[]): boolean {
  return args.every((value, i) => itemsAt(line, i).some((item) => item.keywords.length === 0
    || item.keywords.some((k) => value === k.value || (k.snippet !== undefined && value.startsWith(k.value))
      || value.startsWith(`${k.value}=`) || value.startsWith(`${k.value}:`))));
}
