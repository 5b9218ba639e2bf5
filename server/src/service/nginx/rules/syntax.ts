/**
 * Text nginx cannot read: what the parser found (a missing `;` or brace, an unterminated quote),
 * and blocks nested deeper than nginx-ls analyses.
 */
import type { CheckContext, NginxFamily } from '../context';
import type { ConfigFile, Directive } from '../syntax';

export const family: NginxFamily = { name: 'syntax', rules: ['syntax'] };

/** Each problem the parser recorded in a file, when the file is first loaded. */
export function reportParseProblems(tree: ConfigFile, c: Pick<CheckContext, 'report'>): void {
  for (const p of tree.problems) c.report(p.start, p.end, 'syntax', p.message);
}

/** A block nested deeper than the walk goes (recursion must stay bounded). */
export function reportTooDeep(d: Directive, maxDepth: number, c: CheckContext): void {
  c.report(d.block!.open, d.block!.open + 1, 'syntax', `blocks nested more than ${maxDepth} deep: the rest is not analysed`);
}
