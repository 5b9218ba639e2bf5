/**
 * Quick fixes, computed afresh from a document's text and one diagnostic (its code, offsets and
 * data), so they work whichever analysis produced the diagnostic. Each rule's fix lives in its
 * family; this finds the directive (or the comment) the diagnostic is on and looks the fix up by rule
 * id. In an `nginx -T` dump, the fix is computed in the embedded file the diagnostic is in.
 */
import type { DiagnosticRef, QuickFix, TextEdit } from '../family';
import { embeddedAt, readDump } from './dump';
import { parseConfig } from './load';
import { blocksAround, findAt } from './locate';
import { NGINX_COMMENT_FIXES, NGINX_FIXES } from './rules/index';
import { standsBetweenDirectives } from './rules/syntax';
import type { Comment, ConfigFile } from './syntax';

export function quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  // A diagnostic published before the text was cut short cannot point into it any more.
  if (diagnostic.end > text.length) return [];
  const dump = readDump(text);
  if (dump) {
    const at = embeddedAt(dump, diagnostic.start);
    if (!at) return [];
    const local = { ...diagnostic, start: diagnostic.start - at.start, end: diagnostic.end - at.start };
    const shift = (edits: TextEdit[]) => edits.map((e) => ({ ...e, start: e.start + at.start, end: e.end + at.start }));
    return fixesIn(text.slice(at.start, at.end), local).map((fix) => ({
      ...fix, edits: shift(fix.edits), ...(fix.snippetEdits ? { snippetEdits: shift(fix.snippetEdits) } : {}),
    }));
  }
  return fixesIn(text, diagnostic);
}

function fixesIn(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const onComment = NGINX_COMMENT_FIXES.get(diagnostic.code);
  if (onComment) {
    const tree = parseConfig(text);
    const comment = commentAt(tree, diagnostic.start);
    return comment ? onComment({ text, tree, comment }, diagnostic) : [];
  }
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

/** The comment at `offset` among the nodes of the innermost block around it (or the file's top level). */
function commentAt(tree: ConfigFile, offset: number): Comment | undefined {
  const block = blocksAround(tree.children, offset).pop();
  const nodes = block ? block.block!.children : tree.children;
  return nodes.find((n): n is Comment => n.kind === 'comment' && n.start <= offset && offset < n.end);
}
