/**
 * An ingress-nginx Ingress as an F5 NGINX Ingress Controller (NIC 5.5 or later) Ingress: the same
 * rules in networking.k8s.io/v1 with `nginx.org/*` annotations, plus `k8s.nginx.org/v1` Policies
 * (`ingressMTLS` from auth-tls-*, `egressMTLS` from proxy-ssl-*) attached by `nginx.org/policies`,
 * and the `nginx.org/ca` Secrets those Policies need (filled from the workspace's Secrets).
 * Sources: docs INGRESS-2026 §4 (NIC internal/configs/annotations.go, pkg/apis/configuration/v1
 * types.go, the migration guide); field rules in ../data/f5-fields.json.
 */
import { ANNOTATION_PREFIX } from '../annotations';
import {
  Conversion, ConvertOptions, LossLog, caFromSecret, hasRegex, headerComments, redirectOf, regexPaths, verifyClientMode,
} from './common';
import { BackendModel, IngressModel, backendServices, nginxAnnotation } from './model';
import { YamlDocument, YamlValue, noted } from './yaml-text';

const POLICY_API = 'k8s.nginx.org/v1';
const NIC = 'nginx.org/';

/**
 * ingress-nginx annotations NIC has under another name with the same value syntax (nginx sizes),
 * or with seconds as an nginx time (ingress-nginx writes "60", NIC takes "60s").
 */
const SAME_MEANING: Record<string, { key: string; seconds?: boolean }> = {
  'proxy-body-size': { key: 'client-max-body-size' },
  'proxy-connect-timeout': { key: 'proxy-connect-timeout', seconds: true },
  'proxy-read-timeout': { key: 'proxy-read-timeout', seconds: true },
  'proxy-send-timeout': { key: 'proxy-send-timeout', seconds: true },
};

/** The ingress-nginx annotations this conversion reads; any other one is reported as not converted. */
const READ = new Set([
  'backend-protocol', 'auth-tls-secret', 'auth-tls-verify-client', 'auth-tls-verify-depth', 'auth-tls-pass-certificate-to-upstream',
  'auth-tls-match-cn', 'auth-tls-error-page', 'proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name', 'proxy-ssl-server-name',
  'proxy-ssl-verify-depth', 'proxy-ssl-protocols', 'proxy-ssl-ciphers', 'rewrite-target', 'use-regex', 'permanent-redirect',
  'permanent-redirect-code', 'temporal-redirect', 'temporal-redirect-code', 'ssl-redirect', 'force-ssl-redirect', 'app-root',
  'configuration-snippet', 'server-snippet', ...Object.keys(SAME_MEANING),
]);

type Json = { [key: string]: YamlValue };

export function toF5(model: IngressModel, options: ConvertOptions = {}): Conversion {
  const log = new LossLog(model);
  const ns = model.namespace;
  const annotations: Json = {};
  const policies: YamlDocument[] = [];
  const secrets = new Map<string, YamlDocument>();
  const locationSnippets: string[] = [];
  const serverSnippets: string[] = [];
  const snippetNotes: string[] = [];

  /** A Secret of type nginx.org/ca with the ca.crt of an ingress-nginx Secret reference (NIC accepts no other type). */
  const caSecret = (annotation: string): string => {
    const ca = caFromSecret(nginxAnnotation(model, annotation)!, ns, options);
    const name = `${ca.ref.name}-nginx-ca`;
    if (!secrets.has(name)) {
      secrets.set(name, ca.pem
        ? {
          comments: [`ca.crt copied from Secret ${ca.ref.namespace}/${ca.ref.name} (${annotation}): NIC Policies take only type nginx.org/ca.`],
          body: {
            apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'nginx.org/ca',
            data: { 'ca.crt': Buffer.from(ca.pem).toString('base64') },
          },
        }
        : { comments: [`Create Secret ${ns}/${name} of type nginx.org/ca with the ca.crt of Secret ${ca.ref.namespace}/${ca.ref.name} `
          + `(${annotation}; no manifest of it in the workspace).`] });
    }
    return name;
  };

  // Backend protocol: ssl-services (HTTPS, not verified by itself), grpc-services, both for GRPCS.
  const protocol = (nginxAnnotation(model, 'backend-protocol') ?? 'HTTP').trim().toUpperCase();
  const services = backendServices(model).map((b) => b.service!).join(',');
  if ((protocol === 'GRPC' || protocol === 'GRPCS') && services) annotations[NIC + 'grpc-services'] = services;
  if ((protocol === 'HTTPS' || protocol === 'GRPCS') && services) {
    annotations[NIC + 'ssl-services'] = nginxAnnotation(model, 'proxy-ssl-secret') ? services
      : noted(services, 'HTTPS to these Services without verifying their certificate, as ingress-nginx did: add an EgressMTLS Policy '
        + 'with verifyServer and trustedCertSecret to verify.');
  }
  if (!['HTTP', 'HTTPS', 'GRPC', 'GRPCS'].includes(protocol)) {
    log.lose('backend-protocol', `${protocol} has no NGINX Ingress Controller annotation.`);
  }

  // Client certificates: an IngressMTLS Policy.
  const policyNames: string[] = [];
  const authSecret = nginxAnnotation(model, 'auth-tls-secret');
  const mode = verifyClientMode(model);
  if (authSecret && mode !== 'off') {
    const ingressMTLS: Json = { clientCertSecret: caSecret('auth-tls-secret'), verifyClient: mode };
    const depth = Number(nginxAnnotation(model, 'auth-tls-verify-depth'));
    if (Number.isInteger(depth) && depth >= 0) ingressMTLS.verifyDepth = depth;
    const name = `${model.name}-ingress-mtls`;
    policyNames.push(name);
    policies.push({
      comments: [`From auth-tls-secret ${authSecret} (verify-client ${mode}). NIC applies it to the whole Ingress and needs spec.tls;`,
        'in a mergeable set, only the master may reference it.'],
      body: { apiVersion: POLICY_API, kind: 'Policy', metadata: { name, namespace: ns }, spec: { ingressMTLS } },
    });
    if (model.tls.length === 0) log.lose('auth-tls-secret', 'the Ingress has no spec.tls, and an IngressMTLS Policy needs TLS termination.');
  }
  if (nginxAnnotation(model, 'auth-tls-pass-certificate-to-upstream') === 'true') {
    locationSnippets.push('proxy_set_header ssl-client-cert $ssl_client_escaped_cert;');
    snippetNotes.push('auth-tls-pass-certificate-to-upstream: nginx.org/proxy-set-headers refuses "$" in values, so the client '
      + 'certificate is forwarded by a location snippet (same ssl-client-cert header).');
  }
  for (const name of ['auth-tls-match-cn', 'auth-tls-error-page']) {
    if (log.has(name)) log.lose(name, 'NGINX Ingress Controller has no equivalent (a snippet could do it by hand).');
  }

  // Backend TLS: an EgressMTLS Policy when proxy-ssl-secret gives the CA (and maybe a client certificate).
  const proxySecret = nginxAnnotation(model, 'proxy-ssl-secret');
  if (proxySecret && (protocol === 'HTTPS' || protocol === 'GRPCS')) {
    const ref = caFromSecret(proxySecret, ns, options);
    const egressMTLS: Json = {};
    if (ref.secret?.keys.has('tls.crt') && ref.secret.keys.has('tls.key') && ref.ref.namespace === ns) {
      egressMTLS.tlsSecret = noted(ref.ref.name, 'Its tls.crt/tls.key as the client certificate; NIC needs type kubernetes.io/tls.');
    }
    const verify = nginxAnnotation(model, 'proxy-ssl-verify') === 'on';
    egressMTLS.trustedCertSecret = caSecret('proxy-ssl-secret');
    egressMTLS.verifyServer = verify;
    const depth = Number(nginxAnnotation(model, 'proxy-ssl-verify-depth'));
    if (Number.isInteger(depth) && depth >= 0) egressMTLS.verifyDepth = depth;
    if (nginxAnnotation(model, 'proxy-ssl-server-name') === 'on') egressMTLS.serverName = true;
    const sslName = nginxAnnotation(model, 'proxy-ssl-name');
    if (sslName) egressMTLS.sslName = sslName;
    const protocols = nginxAnnotation(model, 'proxy-ssl-protocols');
    egressMTLS.protocols = protocols ?? noted('TLSv1.2 TLSv1.3', 'NIC\'s default also enables TLSv1 and TLSv1.1.');
    const ciphers = nginxAnnotation(model, 'proxy-ssl-ciphers');
    if (ciphers) egressMTLS.ciphers = ciphers;
    const name = `${model.name}-egress-mtls`;
    policyNames.push(name);
    policies.push({
      comments: [`From proxy-ssl-* (Secret ${proxySecret}).${verify ? '' : ' ingress-nginx did not verify (proxy-ssl-verify is not "on"), nor does this.'}`],
      body: { apiVersion: POLICY_API, kind: 'Policy', metadata: { name, namespace: ns }, spec: { egressMTLS } },
    });
  }
  if (policyNames.length) annotations[NIC + 'policies'] = policyNames.join(',');

  // Paths, rewrites and redirects.
  if (regexPaths(model) && model.rules.some((r) => r.paths.some((p) => p.pathType !== 'Exact' && hasRegex(p.path)))) {
    annotations[NIC + 'path-regex'] = noted('case_insensitive', 'ingress-nginx read these paths as case-insensitive regular expressions.');
  }
  const target = nginxAnnotation(model, 'rewrite-target');
  if (target !== undefined) annotations[NIC + 'rewrite-target'] = target;
  const sslRedirect = nginxAnnotation(model, 'ssl-redirect');
  if (sslRedirect === 'false' || sslRedirect === 'true') annotations[NIC + 'ssl-redirect'] = sslRedirect;
  if (nginxAnnotation(model, 'force-ssl-redirect') === 'true') {
    annotations[NIC + 'redirect-to-https'] = noted('true', 'force-ssl-redirect: redirects by the X-Forwarded-Proto of an outer load balancer.');
  }
  const redirect = redirectOf(model);
  if (redirect) {
    if (/[;{}\s]/.test(redirect.url)) log.lose(redirect.annotation, `"${redirect.url}" cannot be written into a return directive as is.`);
    else {
      locationSnippets.push(`return ${redirect.code} ${redirect.url};`);
      snippetNotes.push(`${redirect.annotation}: NIC has no redirect annotation for an Ingress (a VirtualServer action.redirect has one).`);
    }
  }
  const appRoot = nginxAnnotation(model, 'app-root');
  if (appRoot) {
    serverSnippets.push(`location = / { return 302 ${appRoot}; }`);
    snippetNotes.push('app-root: a server snippet.');
  }

  for (const [name, { key, seconds }] of Object.entries(SAME_MEANING)) {
    const value = nginxAnnotation(model, name)?.trim();
    if (value) annotations[NIC + key] = seconds && /^\d+$/.test(value) ? `${value}s` : value;
  }

  // Snippets: nginx.org/location-snippets and server-snippets (NIC turns snippets off by default).
  const configurationSnippet = nginxAnnotation(model, 'configuration-snippet');
  if (configurationSnippet) locationSnippets.push(configurationSnippet.replace(/\n$/, ''));
  const serverSnippet = nginxAnnotation(model, 'server-snippet');
  if (serverSnippet) serverSnippets.push(serverSnippet.replace(/\n$/, ''));
  const snippetWarning = 'Snippets need the controller started with -enable-snippets (Helm controller.enableSnippets: true).';
  if (locationSnippets.length) {
    annotations[NIC + 'location-snippets'] = noted(locationSnippets.join('\n') + (locationSnippets.length > 1 ? '\n' : ''),
      ...snippetNotes, snippetWarning);
  }
  if (serverSnippets.length) annotations[NIC + 'server-snippets'] = noted(serverSnippets.join('\n'), snippetWarning);

  // Other annotations: ingress-nginx's are reported, other controllers' and tools' are kept.
  for (const [key, value] of model.annotations) {
    if (key.startsWith(ANNOTATION_PREFIX)) {
      if (!READ.has(key.slice(ANNOTATION_PREFIX.length))) {
        log.lose(key, 'not converted by nginx-ls (NIC ignores nginx.ingress.kubernetes.io/*): see NIC\'s migration guide.', false);
      }
    } else if (key !== 'kubernetes.io/ingress.class') annotations[key] = value;
  }

  const ingress: Json = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: {
      name: model.name, namespace: ns, ...(Object.keys(model.labels).length ? { labels: model.labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ingressClassName: noted('nginx', 'The IngressClass of your NGINX Ingress Controller (its Helm default is also "nginx").'),
      ...(model.defaultBackend ? { defaultBackend: backendJson(model.defaultBackend) } : {}),
      ...(model.tls.length ? {
        tls: model.tls.map((t) => ({ ...(t.hosts.length ? { hosts: t.hosts } : {}), ...(t.secretName ? { secretName: t.secretName } : {}) })),
      } : {}),
      ...(model.rules.length ? {
        rules: model.rules.map((r) => ({
          ...(r.host ? { host: r.host } : {}),
          http: {
            paths: r.paths.map((p) => ({
              path: p.path, pathType: p.pathType === 'Exact' || p.pathType === 'Prefix' ? p.pathType : 'ImplementationSpecific',
              backend: backendJson(p.backend),
            })),
          },
        })),
      } : {}),
    },
  };
  const lost = log.losses.map((l) => `NOT CARRIED OVER: ${l.annotation}: ${l.reason}`);
  const documents: YamlDocument[] = [
    { comments: [...headerComments(model, 'F5 NGINX Ingress Controller (5.5 or later)', options), ...(lost.length ? ['', ...lost] : [])],
      body: ingress },
    ...policies,
  ];
  for (const secret of secrets.values()) {
    if (secret.body) documents.push(secret);
    else documents[0] = { ...documents[0], comments: [...documents[0].comments, '', ...secret.comments] };
  }
  return { target: 'f5', documents, losses: log.losses };
}

function backendJson(backend: BackendModel): Json {
  if (!backend.service) {
    const [kind, name] = (backend.resource ?? '/').split('/');
    return { resource: { kind, name } };
  }
  const port = backend.portNumber !== undefined ? { number: backend.portNumber } : { name: backend.portName ?? '' };
  return { service: { name: backend.service, port } };
}
