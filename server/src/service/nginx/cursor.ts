/**
 * Where the cursor stands for the editing features (completion, signature help): at a statement's
 * name (or where a new statement starts), in one of a directive's arguments, or where neither
 * applies (a comment, Lua code). Works on what is being typed: a statement not ended yet by `;`
 * reaches to the end of its line.
 */
import { blocksAround } from './locate';
import type { ConfigFile, Directive, Node, Word } from './syntax';

export type CursorPlace =
  /** A directive name is typed from `start` (an empty prefix where a new statement starts). */
  | { kind: 'name'; start: number; parents: Directive[]; directive?: Directive }
  /** Argument `index` of `directive`; `word` is the argument the cursor is in, if any. */
  | { kind: 'argument'; directive: Directive; index: number; word?: Word; parents: Directive[] }
  | { kind: 'none' };

export function cursorAt(tree: ConfigFile, offset: number): CursorPlace {
  const parents = blocksAround(tree.children, offset);
  const list: readonly Node[] = parents.length ? parents[parents.length - 1].block!.children : tree.children;
  let last: Directive | undefined;
  for (const node of list) {
    if (node.start > offset) break;
    if (node.kind === 'comment') {
      if (offset > node.start && offset <= node.end) return { kind: 'none' };
      continue;
    }
    const raw = node.block?.raw;
    if (raw && offset > node.block!.open && (node.block!.close === undefined || offset <= node.block!.close)) return { kind: 'none' };
    last = node;
  }
  if (!last || !continues(tree.text, last, offset)) return { kind: 'name', start: offset, parents };
  const d = last;
  if (d.innerComments?.some((c) => offset > c.start && offset <= c.end)) return { kind: 'none' };
  if (offset <= d.name.end) return { kind: 'name', start: d.name.start, parents, directive: d };
  let index = 0;
  for (const arg of d.args) {
    if (arg.start <= offset && offset <= arg.end) return { kind: 'argument', directive: d, index, word: arg, parents };
    if (arg.end > offset) break;
    index++;
  }
  return { kind: 'argument', directive: d, index, parents };
}

/** Whether `offset` still belongs to `d`: before its `;` or `{`, or on its line when nothing ended it yet. */
function continues(text: string, d: Directive, offset: number): boolean {
  const ended = d.semicolon ?? d.block?.open;
  if (ended !== undefined) return offset <= ended;
  if (offset <= d.end) return true;
  for (let i = d.end; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
