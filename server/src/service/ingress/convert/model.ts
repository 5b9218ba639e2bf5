/**
 * An Ingress as the converters see it: networking.k8s.io/v1 and the v1beta1 shapes read into one
 * model (service.name or serviceName, port.number, port.name or servicePort, defaultBackend or
 * backend), with its annotations as strings. Read from the parsed document, never from the text.
 */
import { Document } from 'yaml';
import { ANNOTATION_PREFIX } from '../annotations';

export interface BackendModel {
  service?: string;
  portNumber?: number;
  portName?: string;
  /** A `resource` backend (not a Service). */
  resource?: string;
}

export interface PathModel {
  path: string;
  /** Exact, Prefix or ImplementationSpecific (v1beta1 paths have none: ImplementationSpecific). */
  pathType: string;
  backend: BackendModel;
}

export interface RuleModel {
  host?: string;
  paths: PathModel[];
}

export interface IngressModel {
  name: string;
  namespace: string;
  apiVersion: string;
  labels: Record<string, string>;
  /** Every annotation, by full key, in the order written. */
  annotations: Map<string, string>;
  ingressClassName?: string;
  defaultBackend?: BackendModel;
  tls: { hosts: string[]; secretName?: string }[];
  rules: RuleModel[];
}

type Json = Record<string, unknown>;
const asMap = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? value as Json : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined =>
  (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

function backendOf(value: unknown): BackendModel | undefined {
  const backend = asMap(value);
  const service = asMap(backend.service);
  const port = asMap(service.port);
  const out: BackendModel = {};
  const name = asString(service.name) ?? asString(backend.serviceName);
  if (name) out.service = name;
  const v1beta1Port = backend.servicePort;
  if (typeof port.number === 'number') out.portNumber = port.number;
  else if (asString(port.name)) out.portName = asString(port.name);
  else if (typeof v1beta1Port === 'number' || (typeof v1beta1Port === 'string' && /^\d+$/.test(v1beta1Port))) {
    out.portNumber = Number(v1beta1Port);
  } else if (typeof v1beta1Port === 'string') out.portName = v1beta1Port;
  const resource = asMap(backend.resource);
  if (asString(resource.name)) out.resource = `${asString(resource.kind) ?? 'resource'}/${asString(resource.name)}`;
  return out.service || out.resource ? out : undefined;
}

/** The Ingress of a parsed YAML document; undefined when it cannot be read as one (not a map, aliases gone wild). */
export function ingressModel(document: Document.Parsed): IngressModel | undefined {
  let root: Json;
  try {
    root = asMap(document.toJS({ maxAliasCount: 100 }));
  } catch {
    return undefined;
  }
  const metadata = asMap(root.metadata);
  const spec = asMap(root.spec);
  const annotations = new Map<string, string>();
  for (const [key, value] of Object.entries(asMap(metadata.annotations))) {
    const text = asString(value);
    if (text !== undefined) annotations.set(key, text);
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(asMap(metadata.labels))) {
    const text = asString(value);
    if (text !== undefined) labels[key] = text;
  }
  const model: IngressModel = {
    name: asString(metadata.name) ?? 'ingress',
    namespace: asString(metadata.namespace) ?? 'default',
    apiVersion: asString(root.apiVersion) ?? '',
    labels,
    annotations,
    tls: asList(spec.tls).map((t) => {
      const entry = asMap(t);
      const secretName = asString(entry.secretName);
      return { hosts: asList(entry.hosts).map(asString).filter((h): h is string => !!h), ...(secretName && { secretName }) };
    }),
    rules: asList(spec.rules).map((r) => {
      const rule = asMap(r);
      const host = asString(rule.host);
      const paths = asList(asMap(rule.http).paths).flatMap((p) => {
        const entry = asMap(p);
        const backend = backendOf(entry.backend);
        if (!backend) return [];
        return [{ path: asString(entry.path) ?? '/', pathType: asString(entry.pathType) ?? 'ImplementationSpecific', backend }];
      });
      return { ...(host && { host }), paths };
    }),
  };
  const className = asString(spec.ingressClassName);
  if (className) model.ingressClassName = className;
  const defaultBackend = backendOf(spec.defaultBackend ?? spec.backend);
  if (defaultBackend) model.defaultBackend = defaultBackend;
  return model;
}

/** The value of an ingress-nginx annotation by its short name ("backend-protocol"). */
export function nginxAnnotation(model: IngressModel, name: string): string | undefined {
  return model.annotations.get(ANNOTATION_PREFIX + name);
}

/** Every Service the Ingress sends traffic to, in the order first named. */
export function backendServices(model: IngressModel): BackendModel[] {
  const seen = new Map<string, BackendModel>();
  const all = [...model.rules.flatMap((r) => r.paths.map((p) => p.backend)), ...(model.defaultBackend ? [model.defaultBackend] : [])];
  for (const backend of all) if (backend.service && !seen.has(backend.service)) seen.set(backend.service, backend);
  return [...seen.values()];
}

/** "namespace/name" split; a bare name is in the Ingress' namespace. */
export function secretRef(value: string, namespace: string): { namespace: string; name: string } {
  const [first, second] = value.trim().split('/');
  return second === undefined ? { namespace, name: first } : { namespace: first, name: second };
}

/** A DNS-label-like name part from a host (`*.example.com` → `wildcard-example-com`). */
export function slug(host: string | undefined): string {
  if (!host) return 'any-host';
  return host.toLowerCase().replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'host';
}
