/**
 * Text edits on block YAML that keep the author's layout: entries added to a block mapping with the
 * indentation of its keys, a scalar replaced in place. For quick fixes; flow collections get none.
 */
import { Node, Pair, Scalar, YAMLMap, isMap } from 'yaml';
import type { TextEdit } from '../family';

/** The column of a node's start. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where the line holding `offset` ends (before its line break), or past a block scalar that ends with one. */
function lineEndAfter(text: string, valueEnd: number): number {
  if (text[valueEnd - 1] === '\n') return valueEnd - 1;
  const next = text.indexOf('\n', valueEnd);
  return next < 0 ? text.length : next;
}

/**
 * Adds `key: value` lines (values written as given) after the last entry of a block mapping, at
 * the column of its keys. Undefined for a flow mapping or an empty one.
 */
export function appendToMap(text: string, map: YAMLMap, entries: readonly [string, string][]): TextEdit | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const first = map.items[0].key as Node;
  const last = map.items[map.items.length - 1] as Pair<Node, Node | null>;
  if (!first?.range || !(last.key as Node)?.range) return undefined;
  const indent = ' '.repeat(column(text, first.range[0]));
  const end = lineEndAfter(text, last.value?.range?.[1] ?? (last.key as Node).range![1]);
  return { start: end, end, newText: entries.map(([k, v]) => `\n${indent}${k}: ${v}`).join('') };
}

/** Replaces a scalar's text (its source range) by `newText`. */
export function replaceScalar(node: Scalar, newText: string): TextEdit {
  return { start: node.range![0], end: node.range![1], newText };
}

/** The map at `node` when it is a block mapping (the only kind edits are offered for). */
export function blockMap(node: unknown): YAMLMap | undefined {
  return isMap(node) && !node.flow ? node : undefined;
}
