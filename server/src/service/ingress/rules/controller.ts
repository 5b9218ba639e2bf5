/**
 * Which controller reads the Ingress (controller.ts decides it) and what follows from it:
 * - ingress-annotation-other-controller: an annotation of the other NGINX controller, which the one
 *   that reads the Ingress ignores (`nginx.ingress.kubernetes.io/*` under F5 NGINX Ingress Controller,
 *   `nginx.org/*` and `nginx.com/*` under ingress-nginx), with the equivalent where one exists. Only
 *   where an IngressClass manifest or the setting decided the controller: a guess from the annotations
 *   cannot contradict them, and with annotations of both kinds nothing tells (the annotations family
 *   then notes the F5 keys, as before this family).
 * - ingress-nginx-retired: ingress-nginx reads the Ingress, and it was retired on 2026-03-24. On the
 *   document's `kind: Ingress` line, so actions offered for the whole Ingress (conversions) stand
 *   where the note is; `nginx-ls.ingress.retirementNotice: false` turns it off.
 * The quick fix renames an annotation to its equivalent where both read the value the same way.
 * Cases: controller.cases/.
 */
import type { Pair, Scalar } from 'yaml';
import { isMap, isScalar } from 'yaml';
import { ANNOTATION_PREFIX, OTHER_CONTROLLER_PREFIXES } from '../annotations';
import type { DiagnosticRef, QuickFix } from '../../family';
import type { IngressContext, IngressFamily, IngressFixDoc } from '../context';
import { getPath, mapPairs } from '../manifest';
import { CONTROLLER_NAMES, decisionReason, isDecided } from '../controller';

/**
 * ingress-nginx annotations (short names) and what does the same under F5 NGINX Ingress Controller
 * (F5's migration guide, nginx-docs@76d2906:content/nic/install/migrate-ingress-nginx.md, and NIC's
 * internal/configs/annotations.go). Values starting with "nginx.org/" are annotations; the reverse
 * direction (nginx.org → ingress-nginx) is read from the same table.
 */
const F5_EQUIVALENTS: ReadonlyMap<string, string> = new Map([
  ['proxy-body-size', 'nginx.org/client-max-body-size'],
  ['proxy-connect-timeout', 'nginx.org/proxy-connect-timeout'],
  ['proxy-read-timeout', 'nginx.org/proxy-read-timeout'],
  ['proxy-send-timeout', 'nginx.org/proxy-send-timeout'],
  ['proxy-buffering', 'nginx.org/proxy-buffering'],
  ['proxy-buffer-size', 'nginx.org/proxy-buffer-size'],
  ['ssl-redirect', 'nginx.org/ssl-redirect'],
  ['force-ssl-redirect', 'nginx.org/redirect-to-https'],
  ['use-regex', 'nginx.org/path-regex'],
  ['rewrite-target', 'nginx.org/rewrites'],
  ['load-balance', 'nginx.org/lb-method'],
  ['configuration-snippet', 'nginx.org/location-snippets'],
  ['server-snippet', 'nginx.org/server-snippets'],
  ['backend-protocol', 'nginx.org/ssl-services (HTTPS), nginx.org/grpc-services (GRPC), both (GRPCS)'],
  ['auth-tls-secret', 'an IngressMTLS Policy (clientCertSecret) named in nginx.org/policies (NIC 5.5.0)'],
  ['auth-tls-verify-client', 'an IngressMTLS Policy (verifyClient) named in nginx.org/policies (NIC 5.5.0)'],
  ['auth-tls-verify-depth', 'an IngressMTLS Policy (verifyDepth) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-secret', 'an EgressMTLS Policy (trustedCertSecret, tlsSecret) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-verify', 'an EgressMTLS Policy (verifyServer) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-verify-depth', 'an EgressMTLS Policy (verifyDepth) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-name', 'an EgressMTLS Policy (sslName) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-server-name', 'an EgressMTLS Policy (serverName) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-protocols', 'an EgressMTLS Policy (protocols) named in nginx.org/policies (NIC 5.5.0)'],
  ['proxy-ssl-ciphers', 'an EgressMTLS Policy (ciphers) named in nginx.org/policies (NIC 5.5.0)'],
]);

/**
 * The pairs of the table both controllers read the same value of, so that renaming the key is the
 * whole change: sizes, booleans, nginx text. Timeouts too, when the value is a number of seconds
 * (ingress-nginx takes only that; F5's takes nginx times such as "60s").
 */
const SAME_VALUE = new Set(['proxy-body-size', 'proxy-buffer-size', 'ssl-redirect', 'force-ssl-redirect', 'configuration-snippet',
  'server-snippet', 'proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout']);

function renamable(ingressNginxName: string, value: string | undefined): boolean {
  if (!SAME_VALUE.has(ingressNginxName) || value === undefined) return false;
  return !ingressNginxName.endsWith('-timeout') || /^\d+$/.test(value.trim());
}

/** The ingress-nginx annotation that does what an nginx.org one does, from the table above. */
const INGRESS_NGINX_EQUIVALENTS: ReadonlyMap<string, string> = new Map([
  ...[...F5_EQUIVALENTS].filter(([, f5]) => /^nginx\.org\/[a-z-]+$/.test(f5)).map(([name, f5]): [string, string] => [f5, name]),
  ['nginx.org/ssl-services', 'backend-protocol: "HTTPS"'],
  ['nginx.org/grpc-services', 'backend-protocol: "GRPC"'],
]);

export const family: IngressFamily = {
  name: 'controller',
  rules: ['ingress-annotation-other-controller', 'ingress-nginx-retired'],
  check(ingress) {
    const { controller } = ingress;
    if (controller.controller === 'ingress-nginx' && ingress.options.retirementNotice !== false) reportRetired(ingress);
    if (!isDecided(controller)) return {};
    const reader = CONTROLLER_NAMES[controller.controller!];
    const why = decisionReason(controller);
    return {
      annotation({ key, keyNode, value }) {
        const text = isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
        if (controller.controller === 'f5-nginx' && key.startsWith(ANNOTATION_PREFIX)) {
          const name = key.slice(ANNOTATION_PREFIX.length);
          const equivalent = F5_EQUIVALENTS.get(name);
          ingress.report(keyNode, 'ingress-annotation-other-controller', `"${key}" has no effect: ${reader} reads this Ingress (${why}) `
            + `and ignores ingress-nginx annotations. ${equivalent ? `Its equivalent there: ${equivalent}` : 'It has no equivalent annotation there'}`,
          equivalent ? { equivalent, ...(renamable(name, text) ? { rename: equivalent } : {}) } : undefined);
          return false;
        }
        const other = OTHER_CONTROLLER_PREFIXES.find((p) => key.startsWith(p));
        if (controller.controller === 'ingress-nginx' && other) {
          const equivalent = INGRESS_NGINX_EQUIVALENTS.get(key);
          const full = equivalent && ANNOTATION_PREFIX + equivalent;
          ingress.report(keyNode, 'ingress-annotation-other-controller', `"${key}" has no effect: ${reader} reads this Ingress (${why}) `
            + `and ignores F5 NGINX Ingress Controller annotations (${other}*). `
            + `${full ? `Its equivalent there: ${full}` : 'It has no equivalent annotation there'}`,
          full ? { equivalent: full, ...(renamable(equivalent, text) ? { rename: full } : {}) } : undefined);
          return false;
        }
        return true;
      },
    };
  },
  fixes: { 'ingress-annotation-other-controller': renameFix },
};

/** Renames the key to its equivalent, unless the Ingress already has that one (a duplicate key). */
function renameFix({ doc }: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const target = diagnostic.data?.rename;
  if (typeof target !== 'string' || !doc) return [];
  const keys = mapPairs(getPath(doc.document.contents, 'metadata', 'annotations'));
  if (keys.some((p) => p.key.value === target)) return [];
  const key = keys.find((p) => p.key.range?.[0] === diagnostic.start);
  if (!key || key.key.range![1] !== diagnostic.end) return [];
  return [{ title: `Rename to ${target}`, edits: [{ start: diagnostic.start, end: diagnostic.end, newText: target }], isPreferred: true }];
}

/** The note on the document's `kind: Ingress` line (the pair, key to value). */
function reportRetired(ingress: IngressContext): void {
  const root = ingress.doc.document.contents;
  if (!isMap(root)) return;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'kind') as Pair<Scalar, Scalar> | undefined;
  const start = pair?.key.range?.[0];
  const end = pair?.value?.range?.[1];
  if (start === undefined || end === undefined) return;
  ingress.report({ range: [start, end, end] }, 'ingress-nginx-retired',
    `ingress-nginx reads this Ingress (${decisionReason(ingress.controller)}), and it was retired on 2026-03-24: `
    + 'no releases and no security fixes since (last release v1.15.1). Plan a move to Gateway API or to another controller '
    + '(F5 NGINX Ingress Controller reads nginx.org/* annotations); nginx-ls.ingress.retirementNotice: false hides this note',
  { controller: 'ingress-nginx' }, undefined);
}
