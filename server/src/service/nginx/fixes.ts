/**
 * Quick fixes, computed afresh from a document's text and one diagnostic (its code, offsets and
 * data), so they work whichever analysis produced the diagnostic. Each rule's fix lives in its
 * family; this finds the directive the diagnostic is on and looks the fix up by rule id.
 */
import type { DiagnosticRef, QuickFix } from '../family';
import { parseConfig } from './load';
import { findAt } from './locate';
import { NGINX_FIXES } from './rules/index';

export function quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const provider = NGINX_FIXES.get(diagnostic.code);
  if (!provider) return [];
  const tree = parseConfig(text);
  const hit = findAt(tree.children, diagnostic.start);
  return hit ? provider({ text, tree, directive: hit.directive, parents: hit.parents }, diagnostic) : [];
}
