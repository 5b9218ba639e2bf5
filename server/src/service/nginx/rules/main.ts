/** What a whole configuration needs at its top level: an `events` block. */
import type { NginxFamily } from '../context';
import type { Directive } from '../syntax';

export const family: NginxFamily = {
  name: 'main',
  rules: ['events-missing'],
  end: (c) => {
    const tree = c.mainTree;
    const rootContexts = c.options.rootContexts ?? ['main'];
    if (!tree || rootContexts.length !== 1 || rootContexts[0] !== 'main' || c.options.standalone) return;
    // A file nginx cannot read is refused for that: what its blocks would hold is a guess.
    if (tree.problems.length > 0) return;
    // Only a config declared main (`# nginx-ls: context=main`) or that looks whole (it has http,
    // stream or mail), and that includes nothing that could hold the events block, lacks one.
    const top = tree.children.filter((n): n is Directive => n.kind === 'directive');
    const looksWhole = c.options.rootContexts !== undefined
      || top.some((d) => d.name.value === 'http' || d.name.value === 'stream' || d.name.value === 'mail');
    if (looksWhole && !top.some((d) => d.name.value === 'events' || d.name.value === 'include')) {
      c.report(c.main, 0, 0, 'events-missing', 'no "events" section in configuration: nginx refuses to start without "events {}"');
    }
  },
};
