/**
 * Kubernetes manifests as nginx-ls sees them: every document of a YAML stream is classified once, by
 * apiVersion and kind: an Ingress of a known apiVersion; the Gateway API kinds nginx-ls checks
 * (Gateway, BackendTLSPolicy, and the HTTPRoute/GRPCRoute whose backends they protect); F5 NGINX
 * Ingress Controller's Policy (k8s.nginx.org/v1); the Secrets, ConfigMaps and Services those refer to;
 * IngressClass (which controller reads an Ingress);
 * or anything else. Only Ingress, Gateway, BackendTLSPolicy, route and Policy documents are analysed;
 * everything else gets nothing from this server, so it coexists with other YAML tooling.
 *
 * Helm templates (`{{ … }}`) are blanked before parsing, keeping every offset: a template that fills
 * a value becomes underscores (a plain scalar marked as templated), a line that is only a template
 * becomes spaces.
 */
import { Document, LineCounter, Node, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';

export const INGRESS_API_VERSIONS = ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'] as const;

/** Larger YAML files are not analysed. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
/** Deeper flow nesting is not parsed at all (the yaml package can abort the process on extreme depth). */
export const MAX_YAML_NESTING = 100;

/** Gateway API groups' apiVersions nginx-ls reads (v1 is Standard; v1beta1 is still served for Gateway and HTTPRoute). */
const GATEWAY_API_VERSIONS = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'];
/** F5 NGINX Ingress Controller's Policy resource. */
export const NIC_POLICY_API_VERSION = 'k8s.nginx.org/v1';

export type ManifestKind = 'ingress' | 'ingressclass' | 'secret' | 'config-map' | 'service' | 'gateway' | 'backend-tls-policy'
  | 'http-route' | 'grpc-route' | 'nic-policy' | 'other';

/** The kinds whose documents get findings (the others are only referred to). */
export const ANALYSED_KINDS: ReadonlySet<ManifestKind> = new Set<ManifestKind>(
  ['ingress', 'gateway', 'backend-tls-policy', 'http-route', 'grpc-route', 'nic-policy']);

/** A cheap test, before parsing, that a YAML text may hold a document nginx-ls reads. */
export const KIND_LINE = /^\s*kind\s*:\s*["']?(Ingress|IngressClass|Secret|ConfigMap|Service|Gateway|BackendTLSPolicy|HTTPRoute|GRPCRoute|Policy)\b/m;

export interface ManifestDocument {
  kind: ManifestKind;
  document: Document.Parsed;
  /** Offsets of the document in the file. */
  start: number;
  end: number;
}

export interface ManifestFile {
  text: string;
  /** The text as parsed, with Helm templates blanked (same length). */
  parsedText: string;
  documents: ManifestDocument[];
  /** Ranges of blanked Helm templates. */
  templates: { start: number; end: number }[];
}

/** Blanks `{{ … }}` (and `{{- … -}}`) keeping offsets; returns the ranges blanked. */
export function blankTemplates(text: string): { text: string; templates: { start: number; end: number }[] } {
  const templates: { start: number; end: number }[] = [];
  if (!text.includes('{{')) return { text, templates };
  let out = '';
  let last = 0;
  const re = /\{\{[\s\S]*?\}\}/g;
  for (const m of text.matchAll(re)) {
    const start = m.index!;
    const end = start + m[0].length;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
    const alone = text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
    out += text.slice(last, start) + m[0].replace(/[^\n]/g, alone ? ' ' : '_');
    last = end;
    templates.push({ start, end });
  }
  return { text: out + text.slice(last), templates };
}

/**
 * The deepest nesting of flow collections, with quoted strings skipped; stops counting past `limit`.
 * A quote opens a string only where a scalar can start (`it's` in a plain scalar is no quote).
 */
function flowNesting(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{-]/.test(text[i - 1]))) quote = c;
    else if (c === '[' || c === '{') { if (++depth > max) { max = depth; if (max > limit) return max; } }
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '#') { const eol = text.indexOf('\n', i); i = eol < 0 ? text.length : eol; }
  }
  return max;
}

/** Block collections nested past the bound: a hundred `- ` or `? ` on one line, or a huge indent. */
function blockTooDeep(text: string): boolean {
  return new RegExp(`^(?:[ \\t]*[-?:][ \\t]+){${MAX_YAML_NESTING}}`, 'm').test(text) || /^[ \t]{2000}/m.test(text);
}

/** Parses and classifies a YAML file; undefined when it is too large or too deeply nested to parse safely. */
export function parseManifests(text: string): ManifestFile | undefined {
  if (text.length > MAX_YAML_BYTES) return undefined;
  if (!KIND_LINE.test(text)) return { text, parsedText: text, documents: [], templates: [] };
  const { text: parsedText, templates } = blankTemplates(text);
  if (flowNesting(parsedText, MAX_YAML_NESTING) > MAX_YAML_NESTING || blockTooDeep(parsedText)) return undefined;
  let docs: Document.Parsed[];
  try {
    const options = { keepSourceTokens: true, lineCounter: new LineCounter(), prettyErrors: false };
    docs = parseAllDocuments(parsedText, options) as Document.Parsed[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) return { text, parsedText, documents: [], templates };
  return {
    text,
    parsedText,
    templates,
    documents: docs.map((document) => ({ kind: classify(document), document, start: document.range[0], end: document.range[2] })),
  };
}

function classify(document: Document.Parsed): ManifestDocument['kind'] {
  if (!isMap(document.contents)) return 'other';
  const kind = scalarString(document.get('kind', true));
  const apiVersion = scalarString(document.get('apiVersion', true));
  if (kind === 'Ingress' && apiVersion && (INGRESS_API_VERSIONS as readonly string[]).includes(apiVersion)) return 'ingress';
  if (kind === 'IngressClass' && apiVersion?.startsWith('networking.k8s.io/')) return 'ingressclass';
  if (apiVersion === 'v1') {
    if (kind === 'Secret') return 'secret';
    if (kind === 'ConfigMap') return 'config-map';
    if (kind === 'Service') return 'service';
  }
  if (apiVersion && GATEWAY_API_VERSIONS.includes(apiVersion)) {
    if (kind === 'Gateway') return 'gateway';
    if (kind === 'HTTPRoute') return 'http-route';
    if (kind === 'GRPCRoute') return 'grpc-route';
    // BackendTLSPolicy is Standard in v1 only (v1alpha3 is the experimental channel's).
    if (kind === 'BackendTLSPolicy' && apiVersion === 'gateway.networking.k8s.io/v1') return 'backend-tls-policy';
  }
  if (kind === 'Policy' && apiVersion === NIC_POLICY_API_VERSION) return 'nic-policy';
  return 'other';
}

export function scalarString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function mapPairs(node: unknown): Pair<Scalar, Node>[] {
  return isMap(node) ? (node as YAMLMap<Scalar, Node>).items.filter((p) => isScalar(p.key)) : [];
}

export function getPath(node: unknown, ...keys: string[]): Node | undefined {
  let current = node;
  for (const key of keys) {
    if (!isMap(current)) return undefined;
    current = (current as YAMLMap).get(key, true);
  }
  return current as Node | undefined;
}



/** The pair of `key` in a map node (key and value nodes, for ranges), when present. */
export function pairOf(node: unknown, key: string): Pair<Scalar, Node | null> | undefined {
  return isMap(node) ? mapPairs(node).find((p) => p.key.value === key) as Pair<Scalar, Node | null> | undefined : undefined;
}

/** The map items of a sequence node (others skipped); none for anything else. */
export function seqMaps(node: unknown): YAMLMap[] {
  return isSeq(node) ? node.items.filter((item): item is YAMLMap => isMap(item)) : [];
}

/** The number of a scalar node (a number, or a string of digits), when it is one. */
export function scalarNumber(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'number') return node.value;
  return typeof node.value === 'string' && /^\d+$/.test(node.value) ? Number(node.value) : undefined;
}
