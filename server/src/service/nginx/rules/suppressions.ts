/**
 * Suppression comments: `# nginx-ls: ignore <code>[,<code>] -- <reason>` hides findings of those
 * rules on one statement, or on a whole block. They are applied once, after the walk, to the
 * findings every family reported (settleSuppressions, called by the walk): no rule knows of them.
 *
 * Where a suppression comment stands decides what it covers (its scope), in the file it is in:
 * - on the line(s) right above a statement (other comments may stand between, a blank line may not):
 *   that statement; for a block statement its header (`location /x {`), not what the block holds;
 * - at the top of a block (before the block's first statement, `{ # …` included): the whole block,
 *   header and contents;
 * - after a statement on the same line (`proxy_pass …; # nginx-ls: ignore …`): that statement.
 * A finding is covered when it starts inside the scope and is in the comment's own file: a comment in
 * `nginx.conf` does not hide findings in the files it includes.
 */
import type { QuickFix, TextEdit } from '../../family';
import type { Finding } from '../../finding';
import { RuleId, ruleById, RULES } from '../../rules';
import type { CommentFixSite, NginxFamily } from '../context';
import { closest } from '../knowledge';
import type { Comment, ConfigFile, Directive, Node } from '../syntax';

export const family: NginxFamily = {
  name: 'suppressions',
  rules: ['suppression-without-reason', 'suppression-unused'],
  commentFixes: {
    'suppression-unused': (site, diagnostic) => removeUnused(site, diagnostic.start, diagnostic.data?.allUnused === true),
    'suppression-without-reason': (site) => addReason(site),
  },
};

/** One rule a suppression names, and where its name stands in the comment. */
export interface SuppressedCode { code: string; start: number; end: number }

/** A `# nginx-ls: ignore …` comment, read, with the offsets it covers in its file. */
export interface Suppression {
  comment: Comment;
  codes: SuppressedCode[];
  /** The text after `--`, trimmed; empty when there is none. */
  reason: string;
  /** What it covers: a statement, its header or a block ([start, end) offsets); absent when it covers nothing. */
  scope?: { start: number; end: number; what: 'statement' | 'header' | 'block' };
}

const SUPPRESSION = /^\s*nginx-ls:\s*ignore(?=\s|$)/;
const BLANK_LINE = /\n[ \t\r]*\n/;

const byTree = new WeakMap<ConfigFile, readonly Suppression[]>();

/**
 * The suppressions of a parsed file, read once per tree (trees are reused while their text is
 * unchanged). A file whose comments never mention `nginx-ls:` (the parser says so) costs nothing.
 */
export function suppressionsOf(tree: ConfigFile): readonly Suppression[] {
  if (!tree.toolComments) return NONE;
  let found = byTree.get(tree);
  if (!found) byTree.set(tree, (found = collect(tree)));
  return found;
}

const NONE: readonly Suppression[] = [];

function collect(tree: ConfigFile): Suppression[] {
  const out: Suppression[] = [];
  const visit = (nodes: readonly Node[], block: Directive | undefined, depth: number): void => {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.kind === 'directive') {
        if (node.block && !node.block.raw && depth < 500) visit(node.block.children, node, depth + 1);
        continue;
      }
      const read = readSuppression(node);
      if (!read) continue;
      read.scope = scopeOf(tree.text, nodes, i, block);
      out.push(read);
    }
  };
  visit(tree.children, undefined, 0);
  return out;
}

/** The codes and reason of a comment, if it is a suppression. */
export function readSuppression(comment: Comment): Suppression | undefined {
  const head = SUPPRESSION.exec(comment.text);
  if (!head) return undefined;
  const rest = comment.text.slice(head[0].length);
  const dashes = rest.indexOf('--');
  const list = dashes < 0 ? rest : rest.slice(0, dashes);
  const reason = dashes < 0 ? '' : rest.slice(dashes + 2).trim();
  const base = comment.start + 1 + head[0].length;
  const codes: SuppressedCode[] = [];
  for (const m of list.matchAll(/[^\s,]+/g)) codes.push({ code: m[0], start: base + m.index!, end: base + m.index! + m[0].length });
  return { comment, codes, reason };
}

/** What the comment nodes[index] covers, by where it stands among its siblings. */
function scopeOf(text: string, nodes: readonly Node[], index: number, block: Directive | undefined): Suppression['scope'] {
  const comment = nodes[index];
  let previous: Directive | undefined;
  for (let i = index - 1; i >= 0 && !previous; i--) if (nodes[i].kind === 'directive') previous = nodes[i] as Directive;
  // After a statement on its line: that statement.
  if (previous && !text.slice(previous.end, comment.start).includes('\n')) {
    return { start: previous.start, end: previous.end, what: 'statement' };
  }
  // At the top of a block: all of it.
  if (block && !previous) return { start: block.start, end: block.end, what: 'block' };
  // Above a statement, with nothing but comments (and no blank line) between them.
  for (let i = index + 1; i < nodes.length; i++) {
    const next = nodes[i];
    if (BLANK_LINE.test(text.slice(nodes[i - 1].end, next.start))) return undefined;
    if (next.kind !== 'directive') continue;
    if (next.block) return { start: next.start, end: next.block.open + 1, what: 'header' };
    return { start: next.start, end: next.end, what: 'statement' };
  }
  return undefined;
}

/** How `settleSuppressions` reports its hints (the walk's report: said once, through `printable`). */
export type SuppressionReport = (file: string, start: number, end: number, code: RuleId, message: string,
  data?: Record<string, unknown>) => void;

/**
 * Applies the suppressions of every file to `findings` (in place: the suppressed ones are taken out
 * and returned), then reports the suppressions without a reason and the codes that hid nothing.
 * With `apply` false (the CLI's --no-suppress) nothing is hidden, but the comments are judged the
 * same. Unused codes are judged only where the whole configuration is known (`judgeUnused`): a file
 * analysed alone misses findings that its including configuration would give.
 */
export function settleSuppressions(files: ReadonlyMap<string, ConfigFile>, findings: Finding[], apply: boolean, judgeUnused: boolean,
  report: SuppressionReport): Finding[] {
  const byFile = new Map<string, readonly Suppression[]>();
  for (const [file, tree] of files) {
    const list = suppressionsOf(tree);
    if (list.length) byFile.set(file, list);
  }
  if (byFile.size === 0) return [];
  const used = new Set<SuppressedCode>();
  const suppressed: Finding[] = [];
  let kept = 0;
  for (const finding of findings) {
    let hidden = false;
    for (const s of byFile.get(finding.file) ?? []) {
      if (!s.scope || finding.start < s.scope.start || finding.start >= s.scope.end) continue;
      for (const c of s.codes) {
        if (c.code !== finding.code) continue;
        used.add(c);
        hidden = true;
      }
    }
    if (hidden && apply) suppressed.push(finding); else findings[kept++] = finding;
  }
  findings.length = kept;
  for (const [file, list] of byFile) {
    for (const s of list) {
      const comment = s.comment;
      if (s.reason === '') {
        report(file, comment.start, comment.end, 'suppression-without-reason',
          'this suppression gives no reason: add " -- <why this is fine here>" so that a reader can judge it');
      }
      if (!judgeUnused) continue;
      if (s.codes.length === 0) {
        report(file, comment.start, comment.end, 'suppression-unused',
          'this suppression names no rule: write "# nginx-ls: ignore <rule id> -- <reason>"', { allUnused: true });
        continue;
      }
      const unused = s.codes.filter((c) => !used.has(c));
      // When none of its rules is used, each one's fix removes the whole comment.
      const data = unused.length === s.codes.length ? { allUnused: true } : undefined;
      for (const c of unused) report(file, c.start, c.end, 'suppression-unused', unusedMessage(c.code, s.scope), data);
    }
  }
  return suppressed;
}

function unusedMessage(code: string, scope: Suppression['scope']): string {
  if (!ruleById(code)) {
    const guess = closest(code, RULES.map((r) => r.id));
    return `no rule is called "${code}"${guess ? ` (did you mean ${guess}?)` : ''}: this suppression hides nothing`;
  }
  if (!scope) {
    return `this suppression of ${code} stands above no statement (a blank line or the block's end follows it): `
      + 'write it on the line right above the statement, or at the top of a block for all of it';
  }
  if (scope.what === 'header') {
    return `no ${code} finding on the first line of the block below: above a block, a suppression covers its header; `
      + 'for what the block holds, put it at the top of the block';
  }
  const where = scope.what === 'block' ? 'in this block' : 'on the statement it is written for';
  return `no ${code} finding ${where}: this suppression hides nothing and can go`;
}

/** Removes an unused code from its suppression, or the whole comment when none of its codes is used. */
function removeUnused(site: CommentFixSite, at: number, wholeComment: boolean): QuickFix[] {
  const read = readSuppression(site.comment);
  if (!read) return [];
  const text = site.text;
  if (wholeComment || read.codes.length <= 1) {
    return [{ title: 'Remove this unused suppression', edits: [removeComment(text, site.comment)], isPreferred: true }];
  }
  const index = read.codes.findIndex((c) => c.start <= at && at < c.end);
  if (index < 0) return [];
  const code = read.codes[index];
  // With the separator on one side: "a, b" loses ", b" for b and "a, " for a.
  const edit: TextEdit = index > 0
    ? { start: read.codes[index - 1].end, end: code.end, newText: '' }
    : { start: code.start, end: read.codes[1].start, newText: '' };
  return [{ title: `Remove ${code.code} from this suppression`, edits: [edit], isPreferred: true }];
}

/** The comment and its line when it stands alone on it; else the comment and the spaces before it. */
function removeComment(text: string, comment: Comment): TextEdit {
  const lineStart = text.lastIndexOf('\n', comment.start - 1) + 1;
  let before = comment.start;
  while (before > lineStart && (text[before - 1] === ' ' || text[before - 1] === '\t')) before--;
  if (before === lineStart) {
    const newline = text.indexOf('\n', comment.end);
    return { start: lineStart, end: newline < 0 ? comment.end : newline + 1, newText: '' };
  }
  return { start: before, end: comment.end, newText: '' };
}

function addReason(site: CommentFixSite): QuickFix[] {
  const read = readSuppression(site.comment);
  if (!read) return [];
  const comment = site.comment;
  const body = text(site, comment).replace(/\s*(--\s*)?$/, '');
  const start = comment.start + body.length;
  const edit = (reason: string): TextEdit => ({ start, end: comment.end, newText: ` -- ${reason}` });
  return [{
    title: 'Give this suppression a reason', edits: [edit('why this is fine here')], snippetEdits: [edit('${1:why this is fine here}')],
    isPreferred: true,
  }];
}

function text(site: CommentFixSite, comment: Comment): string {
  return site.text.slice(comment.start, comment.end);
}
