/**
 * Helpers for writing quick fixes as text edits into an nginx file: inserting settings into the
 * right block with its indentation, without stealing a trailing comment.
 */
import type { TextEdit } from '../family';
import type { FixSite } from './context';
import type { ConfigFile, Directive } from './syntax';

/** The directives directly inside a block (or at the top of the file for undefined). */
export function children(block: Directive | undefined, tree: ConfigFile): Directive[] {
  const nodes = block ? block.block?.children ?? [] : tree.children;
  return nodes.filter((n): n is Directive => n.kind === 'directive');
}

/**
 * Puts `name value;` lines into the block that holds `anchor` (the nearest location or server:
 * TLS settings are not allowed inside `if` or `limit_except`). A setting the block already has is
 * changed in place instead of repeated, which nginx would refuse.
 */
export function insertSettings(
  site: Pick<FixSite, 'text' | 'tree'>, anchor: Directive, parents: readonly Directive[], settings: [string, string][]
): TextEdit[] | undefined {
  const text = site.text;
  let index = parents.length - 1;
  while (index >= 0 && !['location', 'server'].includes(parents[index].name.value)) index--;
  const block = index >= 0 ? parents[index] : undefined;
  const siblings = children(block, site.tree);
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  for (const [name, value] of settings) {
    const existing = siblings.find((d) => d.name.value === name);
    if (!existing) { lines.push(`${name} ${value};`); continue; }
    if (name.endsWith('_trusted_certificate')) continue; // keep the CA the user chose
    const first = existing.args[0];
    const last = existing.args[existing.args.length - 1];
    if (first && first.value !== value) edits.push({ start: first.start, end: last.end, newText: value });
  }
  if (lines.length) {
    const directChild = siblings.includes(anchor);
    // With no location or server around (a file or snippet whose root is a location), the settings go
    // after the top-level statement that holds the anchor (an if, say), at the root's level.
    const beside = directChild || block ? anchor : parents[0] ?? anchor;
    const at = afterLineTail(text, directChild ? anchor.end : block ? block.block!.open + 1 : beside.end);
    const indent = directChild || !block ? lineIndent(text, beside.start) : childIndent(text, block);
    edits.push({ start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') });
  }
  return edits.length ? edits : undefined;
}

/** Past a trailing comment on the same line, so inserted lines do not steal it. */
export function afterLineTail(text: string, offset: number): number {
  const m = /^[ \t]*(#[^\n]*)?/.exec(text.slice(offset, offset + 4096))!;
  return m[1] ? offset + m[0].replace(/\r$/, '').length : offset;
}

export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

export function childIndent(text: string, block: Directive): string {
  const first = block.block!.children.find((n) => n.kind === 'directive');
  if (first && text.lastIndexOf('\n', first.start) > block.block!.open) return lineIndent(text, first.start);
  const own = lineIndent(text, block.start);
  return own + (own.includes('\t') ? '\t' : '    ');
}
