/**
 * Quick fixes, computed afresh from a document's text and one diagnostic (its code, offsets and
 * data), so they work whichever analysis produced the diagnostic. Each rule's fix lives in its
 * family; this finds the directive the diagnostic is on and looks the fix up by rule id.
 */
import type { DiagnosticRef, QuickFix } from '../family';
import { parseConfig } from './load';
import { blocksAround, findAt } from './locate';
import { NGINX_FIXES } from './rules/index';
import { standsBetweenDirectives } from './rules/syntax';

export function quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const provider = NGINX_FIXES.get(diagnostic.code);
  if (!provider) return [];
  const tree = parseConfig(text);
  const hit = findAt(tree.children, diagnostic.start);
  if (hit) return provider({ text, tree, directive: hit.directive, parents: hit.parents }, diagnostic);
  // Between directives, only a syntax finding stands on a comment (one that hides braces): its fix needs
  // the block around it. Any other code there comes from a stale diagnostic and gets no fix.
  if (!standsBetweenDirectives(diagnostic.code)) return [];
  const around = blocksAround(tree.children, diagnostic.start);
  const block = around.pop();
  return block ? provider({ text, tree, directive: block, parents: around }, diagnostic) : [];
}
