/**
 * Secret manifests in the workspace, indexed by "namespace/name", so that auth-tls-secret and
 * proxy-ssl-secret references can be followed to the CA certificates they hold.
 */
import { isScalar, isSeq } from 'yaml';
import { ManifestFile, getPath, mapPairs, scalarString } from './manifest';
import type { SecretManifest } from './context';

/** Where the document's content begins (after any `---` and comments before it). */
function contentStart(doc: ManifestFile['documents'][number]): number {
  return doc.document.contents?.range?.[0] ?? doc.start;
}

export function secretsIn(file: string, manifests: ManifestFile): SecretManifest[] {
  const out: SecretManifest[] = [];
  for (const doc of manifests.documents) {
    if (doc.kind !== 'secret') continue;
    const root = doc.document.contents;
    const name = scalarString(getPath(root, 'metadata', 'name'));
    if (!name) continue;
    const start = contentStart(doc);
    const secret: SecretManifest = {
      file, name, namespace: scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default',
      start, line: manifests.text.slice(0, start).split('\n').length, keys: new Set(),
    };
    for (const pair of mapPairs(getPath(root, 'data'))) {
      const key = String(pair.key.value);
      secret.keys.add(key);
      const value = scalarString(pair.value);
      if (key === 'ca.crt' && value) secret.caCrt = new Uint8Array(Buffer.from(value.replace(/\s+/g, ''), 'base64'));
    }
    for (const pair of mapPairs(getPath(root, 'stringData'))) {
      const key = String(pair.key.value);
      secret.keys.add(key);
      const value = scalarString(pair.value);
      if (key === 'ca.crt' && value) secret.caCrt = new TextEncoder().encode(value);
    }
    const type = scalarString(getPath(root, 'type'));
    if (type) secret.type = type;
    out.push(secret);
  }
  return out;
}

/** The ports of the Service manifests of a file, by "namespace/name" (a named port's number, for the conversions). */
export function servicesIn(manifests: ManifestFile): [string, { ports: { name?: string; port: number }[] }][] {
  const out: [string, { ports: { name?: string; port: number }[] }][] = [];
  for (const doc of manifests.documents) {
    const root = doc.document.contents;
    if (doc.kind !== 'other' || scalarString(getPath(root, 'kind')) !== 'Service' || scalarString(getPath(root, 'apiVersion')) !== 'v1') continue;
    const name = scalarString(getPath(root, 'metadata', 'name'));
    if (!name) continue;
    const ports: { name?: string; port: number }[] = [];
    const list = getPath(root, 'spec', 'ports');
    for (const item of isSeq(list) ? list.items : []) {
      const port = getPath(item, 'port');
      const portName = scalarString(getPath(item, 'name'));
      if (isScalar(port) && typeof port.value === 'number') ports.push({ ...(portName && { name: portName }), port: port.value });
    }
    out.push([`${scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default'}/${name}`, { ports }]);
  }
  return out;
}
