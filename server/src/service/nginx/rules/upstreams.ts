/** `upstream` blocks nginx refuses: one with no servers, two with the same name. */
import { type BlockState, type CheckContext, type NginxFamily, upstreamKey } from '../context';
import { UPSTREAM_SERVERS } from '../knowledge';
import type { Directive } from '../syntax';

export const family: NginxFamily = {
  name: 'upstreams',
  rules: ['upstream-empty', 'duplicate-upstream'],
  directives: { upstream: checkDuplicateUpstream },
  // Counted however it is written: a server with a typo is still a server (and has its own finding).
  asWritten: Object.fromEntries(UPSTREAM_SERVERS.map((name) => [name, countServer])),
  blockEnd: { upstream: checkServers },
};

function groupKey(d: Directive, contexts: readonly string[]): string {
  return upstreamKey(contexts.includes('stream') ? 'stream' : 'http', d.args[0].value);
}

function checkDuplicateUpstream(d: Directive, c: CheckContext): void {
  const args = d.args;
  if (args.length !== 1 || !c.contexts.includes('http') && !c.contexts.includes('stream')) return;
  const key = groupKey(d, c.contexts);
  const other = c.facts.upstreams.get(key);
  if (other && other !== d) c.report(args[0].start, args[0].end, 'duplicate-upstream', `duplicate upstream "${args[0].value}"`);
  else c.facts.upstreams.set(key, d);
}

function countServer(_d: Directive, c: CheckContext): void {
  const parent = c.parents[c.parents.length - 1];
  if (parent?.name.value === 'upstream') c.block.servers = (c.block.servers ?? 0) + 1;
}

function checkServers(d: Directive, c: CheckContext, inside: BlockState): void {
  if (!c.contexts.includes('http') && !c.contexts.includes('stream')) return;
  // nginx names the closing brace; the whole (empty) block is marked.
  if (!inside.servers) c.report(d.name.start, d.end, 'upstream-empty', `no servers are inside upstream "${d.args[0]?.value ?? ''}"`);
}
