/**
 * `proxy_pass` with a URI part where nginx cannot replace the matched part of the request URI: in a
 * regex or named location, inside `if` or `limit_except`.
 */
import type { CheckContext, NginxFamily } from '../context';
import { locationMatch } from '../knowledge';
import type { Directive } from '../syntax';

export const family: NginxFamily = {
  name: 'proxy-pass',
  rules: ['proxy-pass-uri'],
  directives: { proxy_pass: checkProxyPassUri },
};

function checkProxyPassUri(d: Directive, c: CheckContext): void {
  const url = d.args[0]?.value;
  if (!url || url.includes('$')) return;
  const scheme = url.indexOf('://');
  if (scheme < 0 || url.indexOf('/', scheme + 3) < 0) return; // no URI part: the common case, no regex
  const m = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(url);
  if (!m || m[1] === undefined) return;
  const where = forbiddenUriPlace(c.parents);
  if (where) {
    c.report(d.args[0].start, d.args[0].end, 'proxy-pass-uri',
      `"proxy_pass" cannot have URI part ("${m[1]}") ${where}; drop it or rewrite the URI`);
  }
}

function forbiddenUriPlace(parents: readonly Directive[]): string | undefined {
  for (let i = parents.length - 1; i >= 0; i--) {
    const p = parents[i];
    const name = p.name.value;
    if (name === 'if') return 'inside "if" statement';
    if (name === 'limit_except') return 'inside "limit_except" block';
    if (name === 'location') {
      const { modifier } = locationMatch(p);
      if (modifier === '~' || modifier === '~*') return 'in location given by regular expression';
      if (modifier === '@') return 'inside named location';
      return undefined;
    }
  }
  return undefined;
}
