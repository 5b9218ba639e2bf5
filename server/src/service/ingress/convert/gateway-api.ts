/**
 * An ingress-nginx Ingress as Gateway API (v1.5 or later, Standard channel): a Gateway (or, for a
 * shared Gateway, the listeners and TLS settings to merge into it, as comments), an HTTPRoute or
 * GRPCRoute per Ingress rule, a BackendTLSPolicy per Service whenever the backend speaks HTTPS or
 * GRPCS, and the `ca.crt` ConfigMaps the CA references need (filled from the workspace's Secrets).
 * What Gateway API cannot say is a loss: a comment where it applies and an entry in `losses`.
 * Sources: docs/INGRESS-2026 §3 (gateway-api v1.6.1 apis/v1), field rules in ../data/gateway-api-fields.json.
 */
import { ANNOTATION_PREFIX } from '../annotations';
import {
  Conversion, ConvertOptions, LossLog, caFromSecret, hasRegex, headerComments, planRewrite, portNumber, redirectOf, redirectParts,
  regexPaths, verifyClientMode,
} from './common';
import { BackendModel, IngressModel, PathModel, backendServices, nginxAnnotation, slug } from './model';
import { YamlDocument, YamlValue, asCommentBlock, noted, yamlStream } from './yaml-text';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const REFERENCE_GRANT_API = 'gateway.networking.k8s.io/v1beta1';

/** The ingress-nginx annotations this conversion reads; any other one is reported as not converted. */
const READ = new Set([
  'backend-protocol', 'auth-tls-secret', 'auth-tls-verify-client', 'auth-tls-verify-depth', 'auth-tls-pass-certificate-to-upstream',
  'auth-tls-match-cn', 'auth-tls-error-page', 'proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name', 'proxy-ssl-server-name',
  'proxy-ssl-verify-depth', 'proxy-ssl-protocols', 'proxy-ssl-ciphers', 'rewrite-target', 'use-regex', 'permanent-redirect',
  'permanent-redirect-code', 'temporal-redirect', 'temporal-redirect-code', 'ssl-redirect', 'force-ssl-redirect', 'app-root',
  'configuration-snippet', 'server-snippet',
]);

type Json = { [key: string]: YamlValue };

export function toGatewayApi(model: IngressModel, options: ConvertOptions = {}): Conversion {
  const log = new LossLog(model);
  const ns = model.namespace;
  const shared = options.sharedGateway;
  const gateway = shared ?? { namespace: ns, name: model.name };
  const crossNamespace = gateway.namespace !== ns;
  const protocol = (nginxAnnotation(model, 'backend-protocol') ?? 'HTTP').trim().toUpperCase();
  const grpc = protocol === 'GRPC' || protocol === 'GRPCS';
  const backendTls = protocol === 'HTTPS' || protocol === 'GRPCS';
  const configMaps = new Map<string, YamlDocument>();
  let referenceGrant = false;

  /** A ConfigMap with ca.crt from a Secret reference; its name, and whether its content is known. */
  const caConfigMap = (annotation: string): { name: string; known: boolean; secretKeys?: Set<string> } => {
    const ca = caFromSecret(nginxAnnotation(model, annotation)!, ns, options);
    // Another kind than the Secret, so the same name.
    const name = ca.ref.name;
    if (!configMaps.has(name)) {
      const comments = ca.pem
        ? [`ca.crt copied from Secret ${ca.ref.namespace}/${ca.ref.name} (${annotation}): Gateway API's Core CA reference is a ConfigMap.`]
        : [`Create ConfigMap ${ns}/${name} with key ca.crt holding the PEM of ca.crt in Secret ${ca.ref.namespace}/${ca.ref.name}`,
          `(${annotation}; no manifest of that Secret in the workspace), e.g.:`,
          `kubectl -n ${ns} create configmap ${name} --from-file=ca.crt=<(kubectl -n ${ca.ref.namespace} get secret ${ca.ref.name} `
            + `-o jsonpath='{.data.ca\\.crt}' | base64 -d)`];
      configMaps.set(name, ca.pem
        ? { comments, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { 'ca.crt': ca.pem } } }
        : { comments });
    }
    return { name, known: !!ca.pem, ...(ca.secret && { secretKeys: ca.secret.keys }) };
  };

  // Listeners: one plain HTTP listener, and an HTTPS listener per TLS host (ingress-nginx's per-host certificates).
  const listeners: Json[] = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  const tlsHosts: { host?: string; section: string }[] = [];
  for (const tls of model.tls) {
    for (const host of tls.hosts.length ? tls.hosts : [undefined]) {
      const section = host ? `https-${slug(host)}` : 'https';
      if (tlsHosts.some((t) => t.section === section)) continue;
      tlsHosts.push({ ...(host && { host }), section });
      const certificateRef: Json = { group: '', kind: 'Secret', name: tls.secretName ?? 'default-certificate' };
      if (crossNamespace) { certificateRef.namespace = ns; referenceGrant = true; }
      const refs: YamlValue = tls.secretName ? [certificateRef]
        : noted([certificateRef], 'This TLS entry has no secretName: ingress-nginx served its default certificate. '
          + 'Name a Secret of type kubernetes.io/tls here.');
      listeners.push({ name: section, ...(host && { hostname: host }), port: 443, protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: refs } });
    }
  }
  if (shared) {
    const allowed = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } };
    for (const listener of listeners) listener.allowedRoutes = allowed;
  }
  const sectionFor = (host: string | undefined): string | undefined =>
    tlsHosts.find((t) => t.host === undefined || t.host === host
      || (t.host.startsWith('*.') && !!host && host.endsWith(t.host.slice(1)) && !host.slice(0, -t.host.length + 1).includes('.')))?.section;

  // Frontend TLS: auth-tls-* as client-certificate validation, which applies to the whole Gateway (or port), not to a host.
  const gatewayTls: Json = {};
  const authSecret = nginxAnnotation(model, 'auth-tls-secret');
  const mode = verifyClientMode(model);
  if (authSecret && mode !== 'off') {
    const ca = caConfigMap('auth-tls-secret');
    const ref: Json = { group: '', kind: 'ConfigMap', name: ca.name };
    if (crossNamespace) { ref.namespace = ns; referenceGrant = true; }
    const modeNotes: string[] = [];
    if (mode === 'optional') {
      modeNotes.push(log.lose('auth-tls-verify-client', '"optional" has no exact Gateway API mode: AllowValidOnly refuses clients '
        + 'without a certificate, AllowInsecureFallback also accepts invalid ones. AllowValidOnly is written; switch if clients '
        + 'without a certificate must still get in.'));
    } else if (mode === 'optional_no_ca') {
      modeNotes.push('optional_no_ca: AllowInsecureFallback (Extended support) accepts a missing or unverified certificate, as ingress-nginx did.');
    }
    const validation: Json = {
      mode: noted(mode === 'optional_no_ca' ? 'AllowInsecureFallback' : 'AllowValidOnly', ...modeNotes),
      caCertificateRefs: [ref],
    };
    gatewayTls.frontend = noted({ default: { validation } },
      `From auth-tls-secret ${authSecret}: client certificates are checked on every HTTPS listener of this Gateway, `
      + 'not per host as in ingress-nginx (Gateway API scopes it to the Gateway or a port).');
    if (model.tls.length === 0) {
      gatewayTls.frontend = noted(gatewayTls.frontend, 'The Ingress has no spec.tls: ingress-nginx applied auth-tls only to HTTPS, '
        + 'and this Gateway has no HTTPS listener for it to apply to.');
    }
  }
  if (nginxAnnotation(model, 'auth-tls-pass-certificate-to-upstream') === 'true') {
    log.lose('auth-tls-pass-certificate-to-upstream', 'Gateway API has no way to forward the client certificate to the backend '
      + '(gateway-api#3402): the ssl-client-cert header is gone. NGINX Gateway Fabric 2.6+: a RequestHeaderModifier setting '
      + 'ssl-client-cert to $ssl_client_escaped_cert.');
  }
  if (nginxAnnotation(model, 'auth-tls-verify-depth') !== undefined) {
    log.lose('auth-tls-verify-depth', 'Gateway API has no verification depth (NGINX Gateway Fabric uses 4).');
  }
  for (const name of ['auth-tls-match-cn', 'auth-tls-error-page']) {
    if (log.has(name)) log.lose(name, 'Gateway API has no equivalent (GEP-91 defers subject matching; no error page).');
  }

  // Backend TLS: a BackendTLSPolicy for every Service, HTTPS and GRPCS alike.
  const policies: YamlDocument[] = [];
  if (backendTls) {
    const proxySecret = nginxAnnotation(model, 'proxy-ssl-secret');
    const verified = proxySecret !== undefined && nginxAnnotation(model, 'proxy-ssl-verify') === 'on';
    const ca = proxySecret ? caConfigMap('proxy-ssl-secret') : undefined;
    const sslName = nginxAnnotation(model, 'proxy-ssl-name');
    const preciseName = sslName && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i.test(sslName) ? sslName : undefined;
    if (sslName && !preciseName) {
      log.lose('proxy-ssl-name', `"${sslName}" is not a precise host name (no variables or wildcards in BackendTLSPolicy): `
        + 'the Service name is used instead.');
    }
    if (!proxySecret) {
      log.lose('backend-protocol', `${protocol} without verification (no proxy-ssl-secret) has no Gateway API form (GEP-4152, `
        + 'gateway-api#3761): the policy verifies against the system CAs, so a backend with a self-signed certificate fails. '
        + 'Give it a CA ConfigMap instead.');
    } else if (!verified) {
      log.lose(log.has('proxy-ssl-verify') ? 'proxy-ssl-verify' : 'proxy-ssl-secret', 'ingress-nginx did not verify the backend '
        + '(proxy-ssl-verify is not "on"); a BackendTLSPolicy always verifies, against the CA of proxy-ssl-secret.');
    }
    for (const [name, reason] of [['proxy-ssl-verify-depth', 'no verification depth'], ['proxy-ssl-protocols', 'no TLS versions'],
      ['proxy-ssl-ciphers', 'no ciphers']]) {
      if (log.has(name)) log.lose(name, `BackendTLSPolicy has ${reason} (only the implementation-specific spec.options).`);
    }
    if (nginxAnnotation(model, 'proxy-ssl-server-name') === 'off' && preciseName) {
      // Not a loss: SNI is sent where ingress-nginx sent none, which backends accept.
    }
    if (ca?.secretKeys?.has('tls.crt') && ca.secretKeys.has('tls.key')) {
      const ref = caFromSecret(proxySecret!, ns, options).ref;
      const clientRef: Json = { group: '', kind: 'Secret', name: ref.name };
      if (ref.namespace !== gateway.namespace) { clientRef.namespace = ref.namespace; referenceGrant ||= ref.namespace === ns; }
      gatewayTls.backend = noted({ clientCertificateRef: clientRef }, `From proxy-ssl-secret ${proxySecret}: its tls.crt/tls.key `
        + 'as the client certificate toward backends. Gateway API has one per Gateway, for every backend; '
        + 'the Secret must be of type kubernetes.io/tls.');
    }
    for (const backend of backendServices(model)) {
      const service = backend.service!;
      const validation: Json = { hostname: preciseName ?? `${service}.${ns}.svc` };
      if (ca) validation.caCertificateRefs = [{ group: '', kind: 'ConfigMap', name: ca.name }];
      else {
        validation.wellKnownCACertificates = noted('System', 'ingress-nginx did not verify this backend; '
          + 'system CAs are the closest Gateway API has. Replace with caCertificateRefs for a private CA.');
      }
      const target: Json = { group: '', kind: 'Service', name: service };
      if (backend.portName) target.sectionName = backend.portName;
      policies.push({
        comments: [`${protocol} to Service ${service}: ${sslName && preciseName ? 'hostname from proxy-ssl-name' : 'hostname = the Service DNS name'}.`],
        body: {
          apiVersion: GATEWAY_API, kind: 'BackendTLSPolicy', metadata: { name: `${service}-backend-tls`, namespace: ns },
          spec: { targetRefs: [target], validation },
        },
      });
    }
  }

  // Snippets and the annotations this conversion does not read.
  for (const name of ['configuration-snippet', 'server-snippet']) {
    if (log.has(name)) {
      log.lose(name, 'nginx configuration has no Gateway API equivalent (NGINX Gateway Fabric: a SnippetsFilter, off by default).');
    }
  }
  for (const key of model.annotations.keys()) {
    if (key.startsWith(ANNOTATION_PREFIX) && !READ.has(key.slice(ANNOTATION_PREFIX.length))) {
      log.lose(key, 'not converted by nginx-ls: carry it over by hand, or drop it.', false);
    }
  }

  // Routes, one per Ingress rule.
  const sslRedirect = nginxAnnotation(model, 'ssl-redirect') !== 'false';
  if (nginxAnnotation(model, 'force-ssl-redirect') === 'true' && model.rules.some((r) => !sectionFor(r.host))) {
    log.lose('force-ssl-redirect', 'for hosts without TLS on the Ingress, ingress-nginx redirected by the X-Forwarded-Proto of an outer '
      + 'load balancer; a Gateway cannot tell, so no redirect is written for them.');
  }
  const parent = (section: string): Json => ({ name: gateway.name, ...(crossNamespace && { namespace: gateway.namespace }), sectionName: section });
  const routes: YamlDocument[] = [];
  const redirects: YamlDocument[] = [];
  const usedNames = new Set<string>();
  const routeName = (base: string) => {
    let name = base;
    for (let i = 2; usedNames.has(name); i++) name = `${base}-${i}`;
    usedNames.add(name);
    return name;
  };
  const rulesOf = (paths: PathModel[], notes: string[]) => (grpc ? grpcRules(model, paths, log, options, notes)
    : httpRules(model, paths, log, options, notes));
  for (const rule of model.rules) {
    const section = sectionFor(rule.host);
    const sections = section ? (sslRedirect ? [section] : [section, 'http']) : ['http'];
    const notes: string[] = [];
    const rules = rulesOf(rule.paths, notes);
    const name = routeName(`${model.name}-${slug(rule.host)}`);
    routes.push({
      comments: [`Ingress rule for ${rule.host ?? 'any host'}.`, ...notes],
      body: {
        apiVersion: GATEWAY_API, kind: grpc ? 'GRPCRoute' : 'HTTPRoute', metadata: { name, namespace: ns },
        spec: { parentRefs: sections.map(parent), ...(rule.host && { hostnames: [rule.host] }), rules },
      },
    });
    if (section && sslRedirect) {
      redirects.push({
        comments: [`ingress-nginx redirects plain HTTP to HTTPS for a TLS host (ssl-redirect, 308).`],
        body: {
          apiVersion: GATEWAY_API, kind: 'HTTPRoute', metadata: { name: routeName(`${name}-https-redirect`), namespace: ns },
          spec: {
            parentRefs: [parent('http')], ...(rule.host && { hostnames: [rule.host] }),
            rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }] }],
          },
        },
      });
    }
  }
  if (model.defaultBackend?.service) {
    const notes: string[] = [];
    const backendRefs = backendRef(model, model.defaultBackend, options, notes);
    routes.push({
      comments: ['spec.defaultBackend: requests no other route matches.', ...notes],
      body: {
        apiVersion: GATEWAY_API, kind: grpc ? 'GRPCRoute' : 'HTTPRoute',
        metadata: { name: routeName(`${model.name}-default-backend`), namespace: ns },
        spec: { parentRefs: ['http', ...tlsHosts.map((t) => t.section)].map(parent), rules: [{ backendRefs }] },
      },
    });
  }

  // The Gateway, or what to merge into the shared one.
  const spec: Json = { gatewayClassName: noted('nginx', 'The GatewayClass of your Gateway API implementation.'), listeners };
  if (Object.keys(gatewayTls).length) spec.tls = gatewayTls;
  const documents: YamlDocument[] = [];
  const lost = log.losses.map((l) => `NOT CARRIED OVER: ${l.annotation}: ${l.reason}`);
  const header = [...headerComments(model, 'Gateway API (v1.5 or later)', options), ...(lost.length ? ['', ...lost] : [])];
  if (shared) {
    const fragment = yamlStream([{ comments: [], body: { spec: { listeners, ...(spec.tls ? { tls: spec.tls } : {}) } } }]);
    documents.push({ comments: [...header, '', `Merge into the shared Gateway ${gateway.namespace}/${gateway.name} `
      + '(the listeners with names and hostnames not already there; spec.tls applies to every HTTPS listener of it):', '',
    ...asCommentBlock(fragment)] });
  } else {
    documents.push({
      comments: header,
      body: { apiVersion: GATEWAY_API, kind: 'Gateway', metadata: { name: gateway.name, namespace: gateway.namespace }, spec },
    });
  }
  if (referenceGrant) {
    documents.push({
      comments: [`Lets the Gateway in ${gateway.namespace} use the certificates and CA ConfigMaps of ${ns}.`],
      body: {
        apiVersion: REFERENCE_GRANT_API, kind: 'ReferenceGrant', metadata: { name: `${gateway.name}-tls`, namespace: ns },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace }],
          to: [{ group: '', kind: 'Secret' }, { group: '', kind: 'ConfigMap' }],
        },
      },
    });
  }
  documents.push(...configMaps.values(), ...routes, ...redirects, ...policies);
  return { target: 'gateway-api', documents: joinCommentOnly(documents), losses: log.losses };
}

/** Documents of comments only are folded into the next one, so the stream holds no empty document. */
function joinCommentOnly(documents: YamlDocument[]): YamlDocument[] {
  const out: YamlDocument[] = [];
  let pending: string[] = [];
  for (const d of documents) {
    if (!d.body) { pending.push(...d.comments, ''); continue; }
    out.push({ comments: [...pending, ...d.comments], body: d.body });
    pending = [];
  }
  if (pending.length) out.push({ comments: pending });
  return out;
}

function backendRef(model: IngressModel, backend: BackendModel, options: ConvertOptions, notes: string[]): Json[] {
  if (!backend.service) {
    notes.push(`The backend ${backend.resource} is a resource, not a Service: route it by hand.`);
    return [];
  }
  const port = backend.portNumber ?? (backend.portName ? portNumber(options, model.namespace, backend.service, backend.portName) : undefined);
  if (port === undefined) {
    notes.push(`Service ${backend.service} port "${backend.portName}" is named and no manifest of the Service is in the workspace: `
      + 'set port to its number.');
    return [{ name: backend.service }];
  }
  return [{ name: backend.service, port }];
}

function pathMatch(model: IngressModel, path: PathModel, notes: string[]): Json {
  const value = path.path || '/';
  if (path.pathType === 'Exact') return { path: { type: 'Exact', value } };
  if (regexPaths(model) && hasRegex(value)) {
    const note = 'ingress-nginx matched regex paths case-insensitively from the start (location ~* "^…"); '
      + 'RegularExpression matching (Extended) follows the implementation\'s regex syntax.';
    if (!notes.includes(note)) notes.push(note);
    return { path: { type: 'RegularExpression', value } };
  }
  return { path: { type: 'PathPrefix', value } };
}

function httpRules(model: IngressModel, paths: PathModel[], log: LossLog, options: ConvertOptions, notes: string[]): Json[] {
  const rules: Json[] = [];
  const appRoot = nginxAnnotation(model, 'app-root');
  if (appRoot) {
    const filter = { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: appRoot }, statusCode: 302 } };
    rules.push({ matches: [{ path: { type: 'Exact', value: '/' } }], filters: [filter] });
  }
  const redirect = redirectOf(model);
  let redirectFilter: Json | undefined;
  if (redirect) {
    const parts = redirectParts(redirect.url);
    if ('unsupported' in parts) log.lose(redirect.annotation, `${parts.unsupported}; the route forwards to the backend instead.`);
    else {
      const statusCode = [301, 302, 303, 307, 308].includes(redirect.code) ? redirect.code : 301;
      if (statusCode !== redirect.code) log.lose(`${redirect.annotation}-code`, `RequestRedirect allows 301, 302, 303, 307, 308; 301 is written.`);
      redirectFilter = {
        type: 'RequestRedirect',
        requestRedirect: {
          ...(parts.scheme && { scheme: parts.scheme }), ...(parts.hostname && { hostname: parts.hostname }),
          ...(parts.port && { port: parts.port }), path: { type: 'ReplaceFullPath', replaceFullPath: parts.path }, statusCode,
        },
      };
    }
    if (redirect.ignored) notes.push(`${redirect.ignored} is ignored: ingress-nginx applies temporal-redirect first, and so does this.`);
  }
  const target = nginxAnnotation(model, 'rewrite-target');
  for (const path of paths) {
    if (redirectFilter) {
      rules.push({ matches: [pathMatch(model, path, notes)], filters: [redirectFilter] });
      continue;
    }
    const plan = target === undefined ? undefined : planRewrite(path.path, target);
    let match: Json;
    let filters: Json[] | undefined;
    if (plan?.kind === 'prefix' && path.pathType !== 'Exact') {
      match = { path: { type: 'PathPrefix', value: plan.match } };
      filters = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: plan.replacement } } }];
    } else {
      match = pathMatch(model, path, notes);
      if (plan?.kind === 'full') {
        filters = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: plan.path } } }];
      } else if (plan) {
        log.lose('rewrite-target', plan.kind === 'unsupported' ? plan.reason : `"${target}" takes a capture an Exact path cannot have`);
      }
    }
    rules.push({ matches: [match], ...(filters && { filters }), backendRefs: backendRef(model, path.backend, options, notes) });
  }
  return rules;
}

/** gRPC paths are /package.Service/Method: "/" matches everything, a service or a method matches that. */
function grpcRules(model: IngressModel, paths: PathModel[], log: LossLog, options: ConvertOptions, notes: string[]): Json[] {
  for (const name of ['rewrite-target', 'permanent-redirect', 'temporal-redirect', 'app-root']) {
    if (log.has(name)) log.lose(name, 'a GRPCRoute has no URL rewrite or redirect filter.');
  }
  return paths.map((path) => {
    const backendRefs = backendRef(model, path.backend, options, notes);
    const [service, method, extra] = path.path.replace(/^\//, '').replace(/\/$/, '').split('/');
    if (!service) return { backendRefs };
    if (extra !== undefined || /[^A-Za-z0-9_.]/.test(service + (method ?? ''))) {
      notes.push(`The path "${path.path}" is not a gRPC service or method: this rule matches every call.`);
      return { backendRefs };
    }
    return { matches: [{ method: { type: 'Exact', service, ...(method && { method }) } }], backendRefs };
  });
}
