/**
 * TLS from a Gateway to its backends, as Gateway API v1 says it (BackendTLSPolicy, Standard since
 * v1.4.0), and the routes that need it:
 * - gateway-tls-policy-hostname: validation.hostname missing or a wildcard (the API server refuses
 *   the policy: hostname is required and a PreciseHostname);
 * - gateway-tls-policy-ca-source: both or neither of caCertificateRefs and wellKnownCACertificates
 *   (the CRD's CEL rules refuse it; quick fix for both: drop wellKnownCACertificates);
 * - gateway-tls-policy-ca-ref: a CA reference that is not a core ConfigMap of the policy's namespace:
 *   a Secret or another kind is implementation-specific (where unsupported, ResolvedRefs=False,
 *   InvalidKind, and every request fails with a 5xx), and the reference has no namespace field at all
 *   (quick fix: drop it);
 * - gateway-tls-policy-section-name: a sectionName that is no port name of the target Service, when the
 *   Service is in the workspace (quick fix: each port name);
 * - gateway-backend-tls-missing: an HTTPRoute or GRPCRoute backend on an HTTPS port (see httpsPort)
 *   with no BackendTLSPolicy for that Service in the workspace: the Gateway sends plain text to a TLS
 *   port, or encrypts without verifying (quick fix: a new BackendTLSPolicy document).
 * The CA references are followed like an Ingress' CA Secret (secrets family's checkCaReference).
 * Cases: backend-tls-policy.cases/.
 */
import { Scalar, isMap, isScalar } from 'yaml';
import type { DiagnosticRef, QuickFix } from '../../family';
import type { IngressFamily, IngressFixDoc, ResourceContext, ServiceManifest, ServicePort } from '../context';
import { getPath, pairOf, scalarNumber, scalarString, seqMaps } from '../manifest';
import { checkCaReference } from './secrets';

export const family: IngressFamily = {
  name: 'backend-tls-policy',
  rules: ['gateway-tls-policy-hostname', 'gateway-tls-policy-ca-source', 'gateway-tls-policy-ca-ref',
    'gateway-tls-policy-section-name', 'gateway-backend-tls-missing'],
  resources: { 'backend-tls-policy': checkPolicy, 'http-route': checkRoute, 'grpc-route': checkRoute },
  fixes: {
    'gateway-tls-policy-ca-source': (doc, diagnostic) => deleteLineFix(doc, diagnostic, 'Keep caCertificateRefs only'),
    'gateway-tls-policy-ca-ref': (doc, diagnostic) => diagnostic.data?.namespaceField
      ? deleteLineFix(doc, diagnostic, 'Remove the namespace (the CA is read from the policy\'s namespace)') : [],
    'gateway-tls-policy-section-name': renamePortFix,
    'gateway-backend-tls-missing': createPolicyFix,
  },
};

/**
 * Whether a Service port carries TLS, in this order: an `appProtocol` decides (`https` or
 * `kubernetes.io/wss`, in any case, say yes; any other, such as `http`, `kubernetes.io/h2c`, which is
 * cleartext HTTP/2, or `kubernetes.io/ws`, says no); else a port named `https` or `https-…`; else
 * port 443. Without the Service in the workspace only the route's port 443 counts.
 */
export function httpsPort(port: ServicePort): boolean {
  if (port.appProtocol !== undefined) return ['https', 'kubernetes.io/wss'].includes(port.appProtocol.toLowerCase());
  if (port.name !== undefined && /^https(-|$)/.test(port.name)) return true;
  return port.port === 443;
}

function checkPolicy(policy: ResourceContext): void {
  const { root, report } = policy;
  const validationPair = pairOf(getPath(root, 'spec'), 'validation');
  const validation = validationPair?.value;
  if (validationPair && isMap(validation) && !policy.isTemplated(validation)) {
    const hostname = getPath(validation, 'hostname');
    if (hostname === undefined) {
      report(validationPair.key, 'gateway-tls-policy-hostname', 'the API server rejects this policy: validation.hostname is '
        + 'required (the SNI sent to the backend, and the name its certificate is checked against unless subjectAltNames are given)');
    } else if (isScalar(hostname) && typeof hostname.value === 'string' && hostname.value.includes('*')) {
      report(hostname, 'gateway-tls-policy-hostname', `the API server rejects this policy: "${hostname.value}" is a wildcard, `
        + 'and hostname must be one precise name (to accept several names, list them in subjectAltNames)');
    }
    checkCaSource(policy, validationPair.key, validation);
  }
  for (const target of seqMaps(getPath(root, 'spec', 'targetRefs'))) checkTarget(policy, target);
}

function checkCaSource(policy: ResourceContext, validationKey: Scalar, validation: unknown): void {
  const refsPair = pairOf(validation, 'caCertificateRefs');
  const refs = seqMaps(refsPair?.value);
  const wellKnown = pairOf(validation, 'wellKnownCACertificates');
  const hasWellKnown = !!wellKnown && scalarString(wellKnown.value) !== '';
  if (refs.length > 0 && hasWellKnown) {
    policy.report(wellKnown.key, 'gateway-tls-policy-ca-source', 'the API server rejects this policy: it names both '
      + 'caCertificateRefs and wellKnownCACertificates ("must not contain both"); keep one');
  } else if (refs.length === 0 && !hasWellKnown) {
    policy.report(refsPair?.key ?? validationKey, 'gateway-tls-policy-ca-source', 'the API server rejects this policy: it '
      + 'names neither caCertificateRefs nor wellKnownCACertificates ("must specify either"), so nothing would verify the backend');
  }
  for (const ref of refs) checkCaRef(policy, ref);
}

function checkCaRef(policy: ResourceContext, ref: unknown): void {
  const { report } = policy;
  const kindNode = getPath(ref, 'kind');
  const kind = scalarString(kindNode);
  const group = scalarString(getPath(ref, 'group'));
  const namespacePair = pairOf(ref, 'namespace');
  if (namespacePair) {
    report(namespacePair.key, 'gateway-tls-policy-ca-ref', 'a BackendTLSPolicy CA reference has no namespace field (a '
      + `LocalObjectReference): kubectl's strict validation rejects it, or it is dropped and the CA is read from "${policy.namespace}"`,
    { namespaceField: true });
  }
  if (kind !== undefined && kind !== 'ConfigMap' && kindNode) {
    report(kindNode, 'gateway-tls-policy-ca-ref', `a ${kind} CA reference is implementation-specific: Core support is one `
      + 'ConfigMap with the PEM under ca.crt. NGINX Gateway Fabric (2.0 and later) and Envoy Gateway read a Secret; an '
      + 'implementation that does not sets ResolvedRefs=False (InvalidKind) and answers every request with a 5xx');
  } else if (group !== undefined && group !== '') {
    report(getPath(ref, 'group')!, 'gateway-tls-policy-ca-ref', `group "${group}" is not the core group: a ConfigMap is `
      + 'group "" (the reference is InvalidKind and requests fail with a 5xx)');
  }
  const name = getPath(ref, 'name');
  if ((kind === 'ConfigMap' || kind === 'Secret') && isScalar(name) && typeof name.value === 'string' && !policy.isTemplated(name)) {
    checkCaReference(policy, {
      annotation: 'validation.caCertificateRefs', kind, value: name as Scalar, name: name.value, namespace: policy.namespace,
    });
  }
}

function checkTarget(policy: ResourceContext, target: unknown): void {
  const section = getPath(target, 'sectionName');
  const name = scalarString(getPath(target, 'name'));
  if (!isScalar(section) || typeof section.value !== 'string' || !name || policy.isTemplated(section)) return;
  if (scalarString(getPath(target, 'kind')) !== 'Service' || (scalarString(getPath(target, 'group')) ?? '') !== '') return;
  const service = policy.options.resources?.service(policy.namespace, name);
  if (!service) return;
  const names = service.ports.flatMap((p) => (p.name !== undefined ? [p.name] : []));
  if (names.includes(section.value)) return;
  const ports = names.length ? `its ports are ${names.map((n) => `"${n}"`).join(', ')}` : 'its ports have no names';
  policy.report(section, 'gateway-tls-policy-section-name', `the policy applies to nothing: Service "${policy.namespace}/${name}" `
    + `has no port named "${section.value}" (sectionName is a port name; ${ports}), so its backends are not verified`, { ports: names });
}

function renamePortFix(_doc: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const ports = diagnostic.data?.ports;
  if (!Array.isArray(ports)) return [];
  return ports.filter((p): p is string => typeof p === 'string').map((port, i) => ({
    title: `Target port "${port}"`, isPreferred: i === 0 && ports.length === 1,
    edits: [{ start: diagnostic.start, end: diagnostic.end, newText: port }],
  }));
}

/** The backends of a route that reach an HTTPS port of a Service with no BackendTLSPolicy. */
function checkRoute(route: ResourceContext): void {
  const lookup = route.options.resources;
  for (const rule of seqMaps(getPath(route.root, 'spec', 'rules'))) {
    for (const ref of seqMaps(getPath(rule, 'backendRefs'))) {
      const nameNode = getPath(ref, 'name');
      if (!isScalar(nameNode) || typeof nameNode.value !== 'string' || route.isTemplated(nameNode)) continue;
      if ((scalarString(getPath(ref, 'kind')) ?? 'Service') !== 'Service' || (scalarString(getPath(ref, 'group')) ?? '') !== '') continue;
      const service = nameNode.value;
      const namespace = scalarString(getPath(ref, 'namespace')) ?? route.namespace;
      const portNumber = scalarNumber(getPath(ref, 'port'));
      const manifest = lookup?.service(namespace, service);
      const port = manifest ? servicePort(manifest, portNumber) : portNumber !== undefined ? { port: portNumber } : undefined;
      const policies = lookup?.backendTlsPolicies(namespace, service) ?? [];
      const covering = policies.filter((p) => p.targets.some((t) => t.kind === 'Service' && t.name === service
        && (t.sectionName === undefined || !manifest || t.sectionName === port?.name)));
      noteBackend(route, nameNode as Scalar, `${namespace}/${service}`, manifest, port, covering.map((p) => p.name));
      if (!port || !httpsPort(port) || covering.length) continue;
      const why = port.appProtocol !== undefined ? `appProtocol ${port.appProtocol}`
        : /^https(-|$)/.test(port.name ?? '') ? `port name "${port.name}"` : 'port 443';
      const kind = route.doc.kind === 'grpc-route' ? 'GRPCRoute' : 'HTTPRoute';
      const other = policies.length ? ` (${policies.map((p) => `"${p.name}"`).join(', ')} targets another port)` : '';
      const data: Record<string, unknown> = { service, namespace };
      if (port.name) data.sectionName = port.name;
      route.report(nameNode, 'gateway-backend-tls-missing', `unverified or plain-text upstream: this ${kind} sends to `
        + `Service "${namespace}/${service}" on a TLS port (${why}) and no BackendTLSPolicy in the workspace covers it${other}, `
        + 'so the Gateway speaks plain HTTP to it, or TLS without checking its certificate. Add a BackendTLSPolicy with the '
        + 'backend\'s CA and hostname', data);
    }
  }
}

/** For hover on a backendRef: the Service port it reaches, whether that is TLS, and the policies that cover it. */
function noteBackend(route: ResourceContext, node: Scalar, service: string, manifest: ServiceManifest | undefined,
  port: ServicePort | undefined, policies: string[]): void {
  const tls = port !== undefined && httpsPort(port);
  const verdict = !port ? (manifest ? 'No port of the Service matches this backendRef' : 'Service not in the workspace')
    : !tls ? 'Not a TLS port: no BackendTLSPolicy needed'
      : policies.length ? `TLS, verified by BackendTLSPolicy ${policies.map((p) => `\`${p}\``).join(', ')}`
        : '**TLS port with no BackendTLSPolicy: unverified or plain-text upstream**';
  const lines = [verdict, `**Service \`${service}\`**${manifest ? ` · defined in \`${manifest.file}\` at line ${manifest.line}` : ''}`];
  if (port) {
    const appProtocol = port.appProtocol ? ` · appProtocol ${port.appProtocol}` : '';
    lines.push(`Port ${port.port ?? '?'}${port.name ? ` (\`${port.name}\`)` : ''}${appProtocol}`);
  }
  (route.result.notes ??= []).push({ start: node.range![0], end: node.range![1], markdown: lines.join('\n\n') });
}

/** The port a backendRef reaches: by number, or the Service's only port when none is given. */
function servicePort(service: ServiceManifest, port: number | undefined): ServicePort | undefined {
  if (port === undefined) return service.ports.length === 1 ? service.ports[0] : undefined;
  return service.ports.find((p) => p.port === port);
}

/** A new BackendTLSPolicy document for the Service of the diagnostic, appended to the file. */
function createPolicyFix({ text }: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const { service, namespace, sectionName } = diagnostic.data ?? {};
  if (typeof service !== 'string' || typeof namespace !== 'string') return [];
  const lines = [
    '---', 'apiVersion: gateway.networking.k8s.io/v1', 'kind: BackendTLSPolicy', 'metadata:', `  name: ${service}-backend-tls`,
    `  namespace: ${namespace}`, 'spec:', '  targetRefs:', '    - group: ""', '      kind: Service', `      name: ${service}`,
    ...(typeof sectionName === 'string' ? [`      sectionName: ${sectionName}`] : []),
    '  validation:', `    hostname: ${service}.${namespace}.svc`, '    caCertificateRefs:', '      - group: ""', '        kind: ConfigMap',
    `        name: ${service}-ca`,
  ];
  const newText = (text.endsWith('\n') || text === '' ? '' : '\n') + lines.join('\n') + '\n';
  return [{
    title: `Create a BackendTLSPolicy for Service ${namespace}/${service}`, isPreferred: true,
    edits: [{ start: text.length, end: text.length, newText }],
  }];
}

/** Deletes the line(s) of the key the diagnostic is on, with its value. */
function deleteLineFix({ text, manifests }: IngressFixDoc, diagnostic: DiagnosticRef, title: string): QuickFix[] {
  const doc = manifests.documents.find((d) => diagnostic.start >= d.start && diagnostic.start <= d.end);
  const pair = doc && findPair(doc.document.contents, diagnostic.start);
  if (!pair) return [];
  const start = text.lastIndexOf('\n', diagnostic.start - 1) + 1;
  const valueEnd = pair.value?.range?.[1] ?? diagnostic.end;
  const lineEnd = text[valueEnd - 1] === '\n' ? valueEnd : (text.indexOf('\n', valueEnd) + 1 || text.length);
  // Only a key alone on its line (a block mapping entry, not the first of a list item) is removed whole.
  if (text.slice(start, diagnostic.start).trim() !== '') return [];
  return [{ title, isPreferred: true, edits: [{ start, end: lineEnd, newText: '' }] }];
}

type LocatedPair = { value: { range?: [number, number, number] | null } | null };

/** The map pair whose key starts at `offset`, anywhere below `node`. */
function findPair(node: unknown, offset: number): LocatedPair | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return pair as LocatedPair;
      const inner = findPair(pair.value, offset);
      if (inner) return inner;
    }
  } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
    for (const item of (node as { items: unknown[] }).items) {
      const inner = findPair(item, offset);
      if (inner) return inner;
    }
  }
  return undefined;
}
