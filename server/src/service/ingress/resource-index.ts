/**
 * The resources of the workspace that the analysed documents refer to, indexed by "namespace/name":
 * Secrets and ConfigMaps (followed to the CA certificates under ca.crt), Services (their ports, for
 * BackendTLSPolicy sectionName and for telling an HTTPS backend), BackendTLSPolicies (which Services
 * they cover) and F5 NGINX Ingress Controller Policies (whether their egressMTLS verifies).
 */
import { Node, isMap, isScalar, isSeq } from 'yaml';
import { ManifestDocument, ManifestFile, getPath, mapPairs, scalarString } from './manifest';
import type {
  BackendTlsPolicyManifest, NicPolicyManifest, ResourceLookup, SecretManifest, ServiceManifest, ServicePort,
} from './context';

/** Where the document's content begins (after any `---` and comments before it). */
function contentStart(doc: ManifestDocument): number {
  return doc.document.contents?.range?.[0] ?? doc.start;
}

/** Everything of one file (or many) the index holds. */
export interface ResourceIndex {
  secrets: Map<string, SecretManifest>;
  configMaps: Map<string, SecretManifest>;
  services: Map<string, ServiceManifest>;
  backendTlsPolicies: BackendTlsPolicyManifest[];
  nicPolicies: Map<string, NicPolicyManifest>;
}

export function emptyIndex(): ResourceIndex {
  return { secrets: new Map(), configMaps: new Map(), services: new Map(), backendTlsPolicies: [], nicPolicies: new Map() };
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

const INDEXED_KINDS: ReadonlySet<ManifestDocument['kind']> = new Set(['secret', 'config-map', 'service', 'backend-tls-policy', 'nic-policy']);

/** Adds the resources of one file to `index`; the first of two with one name wins. */
export function indexFile(index: ResourceIndex, file: string, manifests: ManifestFile): void {
  // Lines are counted on from the previous document's start, so a file of many documents is read once.
  let counted = 0;
  let line = 1;
  for (const doc of manifests.documents) {
    if (!INDEXED_KINDS.has(doc.kind)) continue;
    const root = doc.document.contents;
    const name = scalarString(getPath(root, 'metadata', 'name'));
    if (!name) continue;
    const namespace = scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default';
    const start = contentStart(doc);
    for (let i = manifests.text.indexOf('\n', counted); i >= 0 && i < start; i = manifests.text.indexOf('\n', i + 1)) line++;
    counted = start;
    const where = { file, name, namespace, start, line };
    switch (doc.kind) {
      case 'secret': addOnce(index.secrets, key(namespace, name), objectWithCa(where, root, 'Secret')); break;
      case 'config-map': addOnce(index.configMaps, key(namespace, name), objectWithCa(where, root, 'ConfigMap')); break;
      case 'service': addOnce(index.services, key(namespace, name), { ...where, ports: servicePorts(root) }); break;
      case 'backend-tls-policy': index.backendTlsPolicies.push({ ...where, targets: policyTargets(root) }); break;
      case 'nic-policy': addOnce(index.nicPolicies, key(namespace, name), nicPolicy(where, root, manifests.parsedText)); break;
      default: break;
    }
  }
}

function addOnce<T>(map: Map<string, T>, k: string, value: T): void {
  if (!map.has(k)) map.set(k, value);
}

/**
 * A Secret or ConfigMap: its keys, its type, and ca.crt decoded. A Secret's `data` is base64 and its
 * `stringData` plain; a ConfigMap's `data` is plain text and its `binaryData` base64.
 */
function objectWithCa(where: Omit<SecretManifest, 'keys' | 'kind'>, root: unknown, kind: 'Secret' | 'ConfigMap'): SecretManifest {
  const object: SecretManifest = { ...where, kind, keys: new Set() };
  const type = scalarString(getPath(root, 'type'));
  if (type !== undefined) object.type = type;
  const sections: [string, boolean][] = kind === 'Secret' ? [['data', true], ['stringData', false]]
    : [['data', false], ['binaryData', true]];
  for (const [section, base64] of sections) {
    for (const pair of mapPairs(getPath(root, section))) {
      const k = String(pair.key.value);
      object.keys.add(k);
      const value = scalarString(pair.value);
      if (k !== 'ca.crt' || !value) continue;
      object.caCrt = base64 ? new Uint8Array(Buffer.from(value.replace(/\s+/g, ''), 'base64')) : new TextEncoder().encode(value);
    }
  }
  return object;
}

function servicePorts(root: unknown): ServicePort[] {
  const ports = getPath(root, 'spec', 'ports');
  if (!isSeq(ports)) return [];
  return ports.items.filter(isMap).map((p) => {
    const port: ServicePort = {};
    const name = scalarString(getPath(p, 'name'));
    const number = getPath(p, 'port');
    const appProtocol = scalarString(getPath(p, 'appProtocol'));
    if (name !== undefined) port.name = name;
    if (isScalar(number) && typeof number.value === 'number') port.port = number.value;
    if (appProtocol !== undefined) port.appProtocol = appProtocol;
    return port;
  });
}

function policyTargets(root: unknown): BackendTlsPolicyManifest['targets'] {
  const refs = getPath(root, 'spec', 'targetRefs');
  if (!isSeq(refs)) return [];
  return refs.items.filter(isMap).map((ref) => {
    const target: BackendTlsPolicyManifest['targets'][number] = {
      group: scalarString(getPath(ref, 'group')) ?? '', kind: scalarString(getPath(ref, 'kind')) ?? '',
      name: scalarString(getPath(ref, 'name')) ?? '',
    };
    const sectionName = scalarString(getPath(ref, 'sectionName'));
    if (sectionName !== undefined) target.sectionName = sectionName;
    return target;
  });
}

/** A Policy's egressMTLS.verifyServer as Kubernetes reads it (YAML 1.1: a plain on, yes or true is true). */
function nicPolicy(where: Omit<NicPolicyManifest, 'egressMTLS'>, root: unknown, source: string): NicPolicyManifest {
  const egress = getPath(root, 'spec', 'egressMTLS');
  if (!isMap(egress)) return { ...where };
  const verify = getPath(egress, 'verifyServer') as Node | undefined;
  const verifyServer = isScalar(verify) && (verify.value === true
    || (verify.type === 'PLAIN' && /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(source.slice(verify.range![0], verify.range![1]))));
  return { ...where, egressMTLS: { verifyServer } };
}

/**
 * Lookups for the analysis of `file`: its own resources as its text is now, then the workspace's
 * (whose entries from `file` may be older and are skipped).
 */
export function layeredLookup(own: ResourceIndex, workspace: ResourceIndex, file: string): ResourceLookup {
  const get = <T extends { file: string }>(mine: Map<string, T>, theirs: Map<string, T>, k: string): T | undefined => {
    const found = mine.get(k);
    if (found) return found;
    const other = theirs.get(k);
    return other && other.file !== file ? other : undefined;
  };
  return {
    secret: (namespace, name) => get(own.secrets, workspace.secrets, key(namespace, name)),
    configMap: (namespace, name) => get(own.configMaps, workspace.configMaps, key(namespace, name)),
    service: (namespace, name) => get(own.services, workspace.services, key(namespace, name)),
    nicPolicy: (namespace, name) => get(own.nicPolicies, workspace.nicPolicies, key(namespace, name)),
    backendTlsPolicies: (namespace, service) => [...own.backendTlsPolicies, ...workspace.backendTlsPolicies.filter((p) => p.file !== file)]
      .filter((p) => p.namespace === namespace && p.targets.some((t) => t.group === '' && t.kind === 'Service' && t.name === service)),
  };
}
