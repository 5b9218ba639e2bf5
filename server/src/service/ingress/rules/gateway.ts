/**
 * Client-certificate validation on a Gateway API Gateway (gateway.networking.k8s.io/v1, Standard since
 * Gateway API v1.5.0): `spec.tls.frontend.default.validation` for every listener handling HTTPS, and
 * `spec.tls.frontend.perPort[]` for the HTTPS listeners of one port.
 * - gateway-frontend-without-https: validation where no HTTPS listener is (the Gateway, or the port
 *   of a perPort entry): no client certificate is ever asked for;
 * - gateway-frontend-insecure-fallback: mode AllowInsecureFallback accepts a missing or failing
 *   certificate (quick fix: AllowValidOnly);
 * - gateway-frontend-validation-stale: `frontendValidation`, the key of the GEP-91 drafts and of docs
 *   written before v1.5, which the API does not have (quick fix: the same validation moved to
 *   `spec.tls.frontend`, per port when it sat on a listener).
 * The CA references are followed like an Ingress' CA Secret (secrets family's checkCaReference).
 * Cases: gateway.cases/.
 */
import { Node, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { DiagnosticRef, QuickFix } from '../../family';
import type { IngressFamily, IngressFixDoc, ResourceContext } from '../context';
import { getPath, pairOf, scalarNumber, scalarString, seqMaps } from '../manifest';
import { checkCaReference } from './secrets';

export const family: IngressFamily = {
  name: 'gateway',
  rules: ['gateway-frontend-without-https', 'gateway-frontend-insecure-fallback', 'gateway-frontend-validation-stale'],
  resources: { gateway: checkGateway },
  fixes: {
    'gateway-frontend-insecure-fallback': (_doc, diagnostic) => [{
      title: 'Require a valid client certificate (mode: AllowValidOnly)', isPreferred: true,
      edits: [{ start: diagnostic.start, end: diagnostic.end, newText: 'AllowValidOnly' }],
    }],
    'gateway-frontend-validation-stale': moveStaleValidation,
  },
};

function checkGateway(gateway: ResourceContext): void {
  const { root, report } = gateway;
  const listeners = seqMaps(getPath(root, 'spec', 'listeners'));
  const httpsPorts = new Set(listeners.filter((l) => scalarString(getPath(l, 'protocol')) === 'HTTPS')
    .map((l) => scalarNumber(getPath(l, 'port'))));
  // A Helm template may add listeners: the ports are then not known.
  const portsKnown = !gateway.isTemplated(getPath(root, 'spec', 'listeners') ?? {});
  const tls = getPath(root, 'spec', 'tls');

  const stale = [pairOf(tls, 'frontendValidation'), ...listeners.map((l) => pairOf(getPath(l, 'tls'), 'frontendValidation'))];
  for (const pair of stale) {
    if (!pair) continue;
    report(pair.key, 'gateway-frontend-validation-stale', '"frontendValidation" is not a Gateway API field: kubectl\'s strict '
      + 'validation rejects the Gateway, or the field is dropped and no client certificate is checked. Since v1.5 it is '
      + 'spec.tls.frontend.default.validation (or spec.tls.frontend.perPort[] for one port)');
  }

  const frontend = pairOf(tls, 'frontend');
  if (!frontend || !isMap(frontend.value)) return;
  const validation = getPath(frontend.value, 'default', 'validation');
  if (isMap(validation) && portsKnown && httpsPorts.size === 0) {
    report(frontend.key, 'gateway-frontend-without-https', 'no client certificate is ever asked for: the Gateway has no HTTPS '
      + 'listener, and spec.tls.frontend applies only to listeners with protocol HTTPS');
  }
  checkValidation(gateway, validation, 'spec.tls.frontend.default.validation');
  for (const entry of seqMaps(getPath(frontend.value, 'perPort'))) {
    const portNode = getPath(entry, 'port');
    const port = scalarNumber(portNode);
    if (port !== undefined && portsKnown && !httpsPorts.has(port) && portNode) {
      report(portNode, 'gateway-frontend-without-https', `no client certificate is asked for on port ${port}: no listener of `
        + 'the Gateway handles HTTPS there, so this perPort entry applies to nothing');
    }
    checkValidation(gateway, getPath(entry, 'tls', 'validation'), `spec.tls.frontend.perPort[port ${port ?? '?'}]`);
  }
}

function checkValidation(gateway: ResourceContext, validation: Node | undefined, where: string): void {
  if (!isMap(validation)) return;
  const mode = getPath(validation, 'mode');
  if (isScalar(mode) && mode.value === 'AllowInsecureFallback') {
    gateway.report(mode, 'gateway-frontend-insecure-fallback', 'client certificates are optional: AllowInsecureFallback accepts '
      + 'a connection whose certificate is missing or fails validation, so the backend must not rely on the client being '
      + 'verified (NGINX Gateway Fabric renders it as ssl_verify_client optional_no_ca, with no CA bundle)');
  }
  for (const ref of seqMaps(getPath(validation, 'caCertificateRefs'))) {
    const name = getPath(ref, 'name');
    const kind = scalarString(getPath(ref, 'kind'));
    if (!isScalar(name) || typeof name.value !== 'string' || gateway.isTemplated(name)) continue;
    if (kind !== 'ConfigMap' && kind !== 'Secret') continue;
    checkCaReference(gateway, {
      annotation: `${where}.caCertificateRefs`, kind, value: name as Scalar, name: name.value,
      namespace: scalarString(getPath(ref, 'namespace')) ?? gateway.namespace,
    });
  }
}

/**
 * Moves each `frontendValidation` of the document to where v1.5 reads it: spec.tls's to
 * spec.tls.frontend.default.validation, a listener's to a spec.tls.frontend.perPort entry for its port.
 * Nothing is offered when the place is taken already or a listener has no port.
 */
function moveStaleValidation({ text, doc: located }: IngressFixDoc, _diagnostic: DiagnosticRef): QuickFix[] {
  if (!located) return [];
  const documentText = text.slice(located.start, located.end);
  const doc = parseDocument(documentText);
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const spec = doc.get('spec', true);
  if (!isMap(spec)) return [];
  const tls = (spec.get('tls', true) as YAMLMap | undefined) ?? (doc.createNode({}) as YAMLMap);
  if (!isMap(tls)) return [];
  const frontend = (tls.get('frontend', true) as YAMLMap | undefined) ?? (doc.createNode({}) as YAMLMap);
  if (!isMap(frontend)) return [];
  let moved = false;
  const gatewayWide = tls.get('frontendValidation', true);
  if (gatewayWide !== undefined) {
    if (frontend.has('default')) return [];
    tls.delete('frontendValidation');
    frontend.set('default', doc.createNode({ validation: gatewayWide }));
    moved = true;
  }
  const listeners = spec.get('listeners', true);
  for (const listener of isSeq(listeners) ? listeners.items : []) {
    const listenerTls = isMap(listener) ? listener.get('tls', true) : undefined;
    if (!isMap(listenerTls) || !listenerTls.has('frontendValidation')) continue;
    const port = scalarNumber((listener as YAMLMap).get('port', true));
    if (port === undefined) return [];
    const perPort = (frontend.get('perPort', true) as Node | undefined) ?? doc.createNode([]);
    if (!isSeq(perPort) || perPort.items.some((e) => isMap(e) && scalarNumber(e.get('port', true)) === port)) return [];
    perPort.items.push(doc.createNode({ port, tls: { validation: listenerTls.get('frontendValidation', true) } }));
    frontend.set('perPort', perPort);
    listenerTls.delete('frontendValidation');
    moved = true;
  }
  if (!moved) return [];
  // GEP-91 requires default whenever frontend is set; per-port entries alone need an empty one.
  if (!frontend.has('default')) frontend.set('default', doc.createNode({}));
  tls.set('frontend', frontend);
  spec.set('tls', tls);
  let out = doc.toString({ lineWidth: 0 });
  if (!documentText.endsWith('\n')) out = out.replace(/\n$/, '');
  return [{
    title: 'Move frontendValidation to spec.tls.frontend (Gateway API v1.5)', isPreferred: true,
    edits: [{ start: located.start, end: located.end, newText: out }],
  }];
}
