/**
 * Text nginx cannot read: what the parser found (a missing `;` or brace, an unterminated quote),
 * and blocks nested deeper than nginx-ls analyses.
 */
import type { QuickFix, TextEdit } from '../../family';
import type { CheckContext, NginxFamily } from '../context';
import type { ConfigFile, Directive } from '../syntax';

export const family: NginxFamily = {
  name: 'syntax',
  rules: ['syntax'],
  fixes: { syntax: (site, diagnostic) => endCommentBeforeBraces(site.text, diagnostic.start) },
};

/** Each problem the parser recorded in a file, when the file is first loaded. */
export function reportParseProblems(tree: ConfigFile, c: Pick<CheckContext, 'report'>): void {
  for (const p of tree.problems) c.report(p.start, p.end, 'syntax', p.message, undefined, p.severity);
}

/**
 * For a `#` comment that hides closing braces (`proxy_pass http://app; #... } } }`): the comment on
 * a line of its own, and the braces after it on the next, where nginx reads them again.
 */
function endCommentBeforeBraces(text: string, hash: number): QuickFix[] {
  if (text.charCodeAt(hash) !== 0x23 /* # */) return [];
  let lineEnd = text.indexOf('\n', hash);
  if (lineEnd < 0) lineEnd = text.length;
  const brace = text.indexOf('}', hash);
  if (brace < 0 || brace > lineEnd) return [];
  let before = hash;
  while (before > 0 && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  let braceStart = brace;
  while (braceStart > hash + 1 && (text[braceStart - 1] === ' ' || text[braceStart - 1] === '\t')) braceStart--;
  const edits: TextEdit[] = [{ start: braceStart, end: brace, newText: '\n' }];
  // A comment that begins its line already stands on its own.
  if (before > 0 && text[before - 1] !== '\n') edits.unshift({ start: before, end: hash, newText: '\n' });
  return [{ title: 'End the comment before the "}" it hides (break the line)', edits, isPreferred: true }];
}

/** A block nested deeper than the walk goes (recursion must stay bounded). */
export function reportTooDeep(d: Directive, maxDepth: number, c: CheckContext): void {
  c.report(d.block!.open, d.block!.open + 1, 'syntax', `blocks nested more than ${maxDepth} deep: the rest is not analysed`);
}

/**
 * Whether a finding of this rule may stand between directives (on a comment that hides braces), where
 * its fix works on the block around it. Other rules' findings always stand on a directive.
 */
export function standsBetweenDirectives(code: string): boolean {
  return code === 'syntax';
}
