/**
 * What stands at an offset of a parsed file: the directive and word under it, the blocks around it.
 * Hover, completion and quick fixes start from here.
 */
import type { Directive, Node, Word } from './syntax';

export interface OffsetRange { start: number; end: number }

/** The directive (and the word in it) under `offset`, innermost first. */
export function findAt(nodes: readonly Node[], offset: number): { directive: Directive; word?: Word; parents: Directive[] } | undefined {
  const parents: Directive[] = [];
  let list = nodes;
  let found: Directive | undefined;
  for (;;) {
    const d = list.find((n): n is Directive => n.kind === 'directive' && n.start <= offset && offset <= n.end);
    if (!d) break;
    const inBlock = d.block && offset > d.block.open && (d.block.close === undefined || offset <= d.block.close);
    if (inBlock && !d.block!.raw) {
      parents.push(d);
      list = d.block!.children;
      continue;
    }
    found = d;
    break;
  }
  if (!found) return undefined;
  const words = [found.name, ...found.args];
  const word = words.find((w) => w.start <= offset && offset <= w.end);
  return { directive: found, word, parents };
}

/** The block directives whose braces enclose `offset`, outermost first. */
export function blocksAround(nodes: readonly Node[], offset: number): Directive[] {
  const out: Directive[] = [];
  let list = nodes;
  for (;;) {
    const d = list.find((n): n is Directive => n.kind === 'directive' && !!n.block && !n.block.raw
      && offset > n.block.open && (n.block.close === undefined || offset <= n.block.close));
    if (!d) return out;
    out.push(d);
    list = d.block!.children;
  }
}
