/**
 * The nginx rule families, and the tables the walk looks checks up in, merged once at load. A
 * family's checks for a name run in the order the families are listed here; the end-of-walk checks
 * too. Adding a rule: a line in the catalog (../../rules.ts), its condition, message and fix in a
 * family below, and its cases in the family's `.cases/` folder.
 */
import { fixTable } from '../../family';
import type { BlockEndCheck, CommentFixSite, DirectiveCheck, EndCheck, FixSite, NginxFamily } from '../context';
import { family as advisories } from './advisories';
import { family as certificates } from './certificates';
import { family as access } from './access';
import { family as cors } from './cors';
import { family as defaultServers } from './default-servers';
import { family as directives } from './directives';
import { family as headerInheritance } from './header-inheritance';
import { family as hygiene } from './hygiene';
import { family as includes } from './includes';
import { family as listen } from './listen';
import { family as locations } from './locations';
import { family as main } from './main';
import { family as names } from './names';
import { family as proxyPass } from './proxy-pass';
import { family as requestData } from './request-data';
import { family as suppressions } from './suppressions';
import { family as regex } from './regex';
import { family as resolver } from './resolver';
import { family as routing } from './routing';
import { family as syntax } from './syntax';
import { family as tls } from './tls';
import { family as upstreams } from './upstreams';
import { family as values } from './values';
import { family as variables } from './variables';

export const NGINX_FAMILIES: readonly NginxFamily[] = [
  syntax, includes, listen, locations, proxyPass, upstreams, values, tls, directives, certificates, variables, names, main,
  requestData, cors,
  // Issue 13: configuration hygiene, regex and version checks.
  resolver, regex, routing, hygiene, advisories,
  headerInheritance, access, defaultServers,
  suppressions,
];

// Directive checks take two arguments, block-end checks three; merged calls pass three either way.
type Check<A, B, C> = (a: A, b: B, c: C) => void;

/**
 * One function per name, calling each family's check for it in order: the check itself when one family
 * has it, else one wrapper that calls them all (fixed arity: no rest array per call, and no chain of
 * wrappers however many families check the name).
 */
function merged<A, B, C>(tables: readonly (Readonly<Record<string, Check<A, B, C>>> | undefined)[]): ReadonlyMap<string, Check<A, B, C>> {
  const lists = new Map<string, Check<A, B, C>[]>();
  for (const table of tables) {
    for (const [name, check] of Object.entries(table ?? {})) {
      const list = lists.get(name);
      if (list) list.push(check); else lists.set(name, [check]);
    }
  }
  const byName = new Map<string, Check<A, B, C>>();
  for (const [name, list] of lists) byName.set(name, callingAll(list));
  return byName;
}

function callingAll<A, B, C>(checks: readonly Check<A, B, C>[]): Check<A, B, C> {
  const [first, second, third] = checks;
  switch (checks.length) {
    case 1: return first;
    case 2: return (a, b, c) => { first(a, b, c); second(a, b, c); };
    case 3: return (a, b, c) => { first(a, b, c); second(a, b, c); third(a, b, c); };
    default: return (a, b, c) => { for (let i = 0; i < checks.length; i++) checks[i](a, b, c); };
  }
}

/** Checks run on a well-formed directive, by its name. */
export const DIRECTIVE_CHECKS: ReadonlyMap<string, DirectiveCheck> =
  merged(NGINX_FAMILIES.map((f) => f.directives)) as ReadonlyMap<string, DirectiveCheck>;
/** Checks run on every occurrence of a directive, however it is written, by its name. */
export const AS_WRITTEN_CHECKS: ReadonlyMap<string, DirectiveCheck> =
  merged(NGINX_FAMILIES.map((f) => f.asWritten)) as ReadonlyMap<string, DirectiveCheck>;
/** Checks run after a block's contents, by the block's name. */
export const BLOCK_END_CHECKS: ReadonlyMap<string, BlockEndCheck> = merged(NGINX_FAMILIES.map((f) => f.blockEnd));
/** Checks run once the whole configuration has been walked. */
export const END_CHECKS: readonly EndCheck[] = NGINX_FAMILIES.flatMap((f) => (f.end ? [f.end] : []));
/** Quick fixes by rule id. */
export const NGINX_FIXES = fixTable<FixSite>(NGINX_FAMILIES);
/** Quick fixes for findings that stand on a comment, by rule id. */
export const NGINX_COMMENT_FIXES = fixTable<CommentFixSite>(NGINX_FAMILIES.map((f) => ({ ...f, fixes: f.commentFixes })));
