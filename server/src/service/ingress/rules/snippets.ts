/**
 * Snippet annotations (configuration-snippet, server-snippet, …):
 * - ingress-snippet-disabled: the controller accepts them only when its ConfigMap allows them;
 * - the nginx text they hold is analysed by the nginx engine in the block ingress-nginx renders it
 *   into, and its findings (nginx rule ids: unknown-directive, directive-context, …) are reported
 *   at their place in the manifest. A configuration-snippet lands in a location that inherits the
 *   Ingress' backend verification, so the nginx tls family's tls-upstream-unverified is dropped
 *   there when it is on.
 * Cases: snippets.cases/.
 */
import { Scalar } from 'yaml';
import type { Finding } from '../../finding';
import { isUnverifiedUpstream } from '../../nginx/rules/tls';
import { ANNOTATION_PREFIX, annotationInfo } from '../annotations';
import type { IngressFamily, SnippetRegion } from '../context';
import { analyzeSnippet, snippetRegion } from '../snippet-region';

export const family: IngressFamily = {
  name: 'snippets',
  rules: ['ingress-snippet-disabled'],
  check(ingress) {
    const analysed: { snippet: SnippetRegion; findings: Finding[] }[] = [];
    return {
      // Sees only known annotations with a string value (the annotations family stops the others).
      annotation({ key, keyNode, value }) {
        const name = key.slice(ANNOTATION_PREFIX.length);
        if (name.endsWith('-snippet')) {
          ingress.report(keyNode, 'ingress-snippet-disabled', `"${name}" is accepted only when the controller's ConfigMap sets `
            + 'allow-snippet-annotations: "true" (off by default, risk level Critical); '
            + 'otherwise the Ingress is rejected or the snippet ignored');
        }
        const type = annotationInfo(name)?.type;
        if (type?.kind !== 'nginx-snippet') return;
        const snippet = snippetRegion(ingress.manifests, name, type.context, value as Scalar);
        if (!snippet) return;
        ingress.result.snippets.push(snippet);
        analysed.push({ snippet, findings: analyzeSnippet(ingress.file, snippet, ingress.options.now) });
      },
      done() {
        // ingress-nginx writes the proxy-ssl-* settings into the location a configuration-snippet lands in.
        for (const { snippet, findings } of analysed) {
          const inherited = ingress.backendVerified && snippet.context === 'location';
          ingress.result.findings.push(...findings.filter((f) => !(inherited && isUnverifiedUpstream(f))));
        }
      },
    };
  },
};
