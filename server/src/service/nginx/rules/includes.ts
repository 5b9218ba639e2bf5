/**
 * `include` targets nginx cannot use: a cycle, a file that is missing or is not a regular file.
 * The loader resolves the pattern; these say what is wrong with a target.
 */
import * as path from 'node:path/posix';
import type { CheckContext, NginxFamily } from '../context';
import type { Word } from '../syntax';

export const family: NginxFamily = { name: 'includes', rules: ['include-not-found', 'include-cycle', 'include-unreadable'] };

/**
 * Whether a finding says an include matches no file (include-not-found): an Ingress snippet is
 * analysed alone, so what it includes is in the controller's image, not in the workspace.
 */
export function isIncludeNotFound(finding: { code: string }): boolean {
  return finding.code === 'include-not-found';
}

/** Files nginx packages install beside nginx.conf. */
const SHIPPED_WITH_NGINX = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf',
  'proxy_params', 'fastcgi-php.conf', 'snakeoil.conf',
]);

/** Most includes nested inside each other before the walk stops following them. */
const MAX_INCLUDE_DEPTH = 64;

/**
 * Whether `target` may be walked from an include of `arg`: false (and reported) when it is already
 * being expanded (a cycle) or the includes nest too deep. `stack` holds the files being expanded.
 */
export function mayInclude(target: string, stack: readonly string[], prefix: string, arg: Word, c: CheckContext): boolean {
  if (stack.includes(target)) {
    const chain = [...stack.slice(stack.indexOf(target)), target].map((f) => path.relative(prefix, f) || f);
    c.report(arg.start, arg.end, 'include-cycle', `include cycle: ${chain.join(' → ')}`);
    return false;
  }
  if (stack.length > MAX_INCLUDE_DEPTH) {
    c.report(arg.start, arg.end, 'include-cycle', `includes nested more than ${MAX_INCLUDE_DEPTH} deep`);
    return false;
  }
  return true;
}

/**
 * An include target the host could not read. nginx refuses a missing include, but the workspace is
 * often not the server: files nginx ships (mime.types, fastcgi_params…) and absolute paths
 * elsewhere on the server (outside the configuration's prefix) are graded lower.
 */
export function reportIncludeFailure(target: string, failure: string, arg: Word, c: CheckContext, prefix: string): void {
  if (failure !== 'no such file') {
    c.report(arg.start, arg.end, 'include-unreadable', `cannot include "${target}": ${failure}`, { target });
  } else if (SHIPPED_WITH_NGINX.has(path.basename(target))) {
    c.report(arg.start, arg.end, 'include-not-found',
      `"${arg.value}" is not in the workspace; nginx packages ship it, so it is probably on the server`, { target }, 'information');
  } else if (path.isAbsolute(arg.value) && !target.startsWith(prefix.replace(/\/+$/, '') + '/')) {
    // Under the prefix it is the configuration's own tree, which is here: missing there is missing.
    c.report(arg.start, arg.end, 'include-not-found',
      `included file "${target}" not found on this machine (nginx refuses to start if it is missing on the server too)`,
      { target }, 'warning');
  } else {
    c.report(arg.start, arg.end, 'include-not-found', `included file "${target}" not found`, { target });
  }
}
