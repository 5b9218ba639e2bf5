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
import type { IngressContext, IngressFamily, SnippetRegion } from '../context';
import { analyzeSnippet, snippetRegion } from '../snippet-region';

export const family: IngressFamily = {
  name: 'snippets',
  rules: ['ingress-snippet-disabled', 'ingress-snippet-proxy-pass'],
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
        if (name === 'configuration-snippet' || (name === 'auth-snippet' && ingress.text('auth-url') !== undefined)) {
          reportProxyPass(ingress, snippet);
        }
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

/** backend-protocol values for which the controller's location passes with another directive than proxy_pass. */
const OTHER_PASS = new Set(['GRPC', 'GRPCS', 'FCGI', 'AJP']);

function reportProxyPass(ingress: IngressContext, snippet: SnippetRegion): void {
  const auth = snippet.annotation === 'auth-snippet';
  const protocol = ingress.text('backend-protocol')?.trim().toUpperCase();
  if (!auth && (ingress.templated('backend-protocol') || (protocol && OTHER_PASS.has(protocol)))) return;
  const toFile = snippet.toFile ?? ((o: number) => o);
  for (const node of snippet.tree.children) {
    if (node.kind !== 'directive' || node.name.value !== 'proxy_pass' || node.block) continue;
    ingress.report({ range: [toFile(node.name.start), toFile(node.name.end), toFile(node.name.end)] }, 'ingress-snippet-proxy-pass',
      auth
        ? 'proxy_pass directly in an auth-snippet: ingress-nginx writes "proxy_pass $target" (auth-url) into the same '
          + 'authentication location after the snippet, and nginx refuses a location with two ("proxy_pass" directive is '
          + 'duplicate), so the controller cannot load its configuration with this Ingress. Point auth-url at the service instead'
        : 'proxy_pass directly in a configuration-snippet: ingress-nginx writes its own proxy_pass into the same location after '
          + 'the snippet, and nginx refuses a location with two ("proxy_pass" directive is duplicate), so the controller cannot '
          + 'load its configuration with this Ingress. Send the traffic through the Ingress\'s backend instead (a Service of type '
          + 'ExternalName for a host outside the cluster)');
  }
}
