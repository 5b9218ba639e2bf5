/**
 * Checks Ingress documents: annotations (type, value, unknown keys), the TLS annotations that
 * ingress-nginx silently ignores or defaults, Secret references, deprecated API versions, and the
 * nginx text of snippet annotations, analysed by the nginx engine in the context it is rendered into.
 */
import { ConfigFile } from '../nginx/syntax';
import { Finding } from '../finding';
import { analyzeConfig, parseConfig } from '../nginx';
import { memoryHost } from '../host';
import { closest } from '../nginx/knowledge';
import { Severity } from '../finding';
import { RuleId } from '../rules';
import { CertificateInfo, daysBetween, isoDate, readContents } from '../nginx/certificates';
import { ANNOTATIONS, ANNOTATION_PREFIX, AnnotationInfo, OTHER_CONTROLLER_PREFIXES } from './annotations';
import { Node, Scalar, isMap, isScalar } from 'yaml';
import { ManifestDocument, ManifestFile, getPath, mapPairs, scalarString } from './manifest';

export const ANNOTATION_BY_NAME: ReadonlyMap<string, AnnotationInfo> = new Map(ANNOTATIONS.map((a) => [a.name, a]));

/** A Secret manifest found in the workspace. */
export interface SecretManifest {
  file: string;
  name: string;
  namespace: string;
  /** Offset and 1-based line of the Secret document (for "where is it"). */
  start: number;
  line: number;
  keys: Set<string>;
  /** The decoded ca.crt, when present. */
  caCrt?: Uint8Array;
}

/** An annotation whose value is nginx text, with the offsets that text occupies in the file. */
export interface SnippetRegion {
  annotation: string;
  context: string;
  start: number;
  end: number;
  /** The nginx text analysed: file-length and blank outside the snippet (offsets are file offsets), or the decoded value. */
  virtualText: string;
  tree: ConfigFile;
  /** For a decoded value: the file offset of a virtual offset. Absent when offsets are the file's. */
  toFile?: (offset: number) => number;
}

export interface SecretReference {
  annotation: string;
  value: Scalar;
  namespace: string;
  name: string;
  secret?: SecretManifest;
  certificates?: CertificateInfo[];
}

export interface IngressAnalysis {
  findings: Finding[];
  snippets: SnippetRegion[];
  secretReferences: SecretReference[];
  /** Annotation keys with their info, for hover. */
  annotations: { key: Scalar; info?: AnnotationInfo; value: Node | null }[];
}

export interface IngressOptions {
  now?: Date;
  /** Secrets by "namespace/name". */
  secrets?: ReadonlyMap<string, SecretManifest>;
}

const SNIPPET_CONTEXTS: Record<string, string> = { location: 'http>location', server: 'http>server', stream: 'stream', http: 'http' };
/** Plain scalars YAML 1.1 (which Kubernetes uses for manifests) reads as booleans, numbers or null. */
const YAML11_NON_STRING = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

export function analyzeIngressFile(file: string, manifests: ManifestFile, options: IngressOptions = {}): IngressAnalysis {
  const result: IngressAnalysis = { findings: [], snippets: [], secretReferences: [], annotations: [] };
  for (const doc of manifests.documents) {
    if (doc.kind === 'ingress') analyzeIngress(file, manifests, doc, options, result);
  }
  return result;
}

function isTemplated(manifests: ManifestFile, node: { range?: [number, number, number] | null }): boolean {
  const range = node.range;
  return !!range && manifests.templates.some((t) => t.start < range[1] && t.end > range[0]);
}

function analyzeIngress(file: string, manifests: ManifestFile, doc: ManifestDocument, options: IngressOptions, result: IngressAnalysis): void {
  const report = (node: { range?: [number, number, number] | null }, code: RuleId, message: string, data?: Record<string, unknown>, severity?: Severity) => {
    const [start, end] = node.range ?? [doc.start, doc.start];
    const finding: Finding = { file, start, end, code, message };
    if (data) finding.data = data;
    if (severity) finding.severity = severity;
    result.findings.push(finding);
  };
  const root = doc.document.contents;
  const apiVersion = doc.document.get('apiVersion', true) as Scalar;
  if (scalarString(apiVersion) !== 'networking.k8s.io/v1') {
    report(apiVersion, 'ingress-deprecated-api', `${scalarString(apiVersion)} Ingress was removed in Kubernetes 1.22: use networking.k8s.io/v1 (a quick fix migrates the manifest)`, { migrate: true });
  }
  const namespace = scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default';
  const annotationsNode = getPath(root, 'metadata', 'annotations');
  const values = new Map<string, { key: Scalar; value: Node | null }>();
  for (const pair of mapPairs(annotationsNode)) {
    const key = String(pair.key.value);
    values.set(key, { key: pair.key, value: pair.value as Node | null });
  }
  const templated = (name: string) => {
    const entry = values.get(ANNOTATION_PREFIX + name);
    return !!entry?.value && isTemplated(manifests, entry.value);
  };
  const text = (name: string) => {
    const entry = values.get(ANNOTATION_PREFIX + name);
    return entry && isScalar(entry.value) && entry.value.value !== null ? String(entry.value.value) : undefined;
  };
  // A Helm template decides a value at render time: judge nothing that depends on it. (A templated
  // value is still present: a templated proxy-ssl-secret is a secret.)
  const verifyTemplated = templated('proxy-ssl-verify');

  const snippetFindings: { snippet: SnippetRegion; findings: Finding[] }[] = [];
  for (const [key, { key: keyNode, value }] of values) {
    if (!key.startsWith(ANNOTATION_PREFIX)) {
      const other = OTHER_CONTROLLER_PREFIXES.find((p) => key.startsWith(p));
      if (other) {
        report(keyNode, 'ingress-unknown-annotation', `"${key}" is an annotation of F5's NGINX Ingress Controller (${other}*), a different controller: ingress-nginx ignores it`, undefined, 'information');
      }
      continue;
    }
    const name = key.slice(ANNOTATION_PREFIX.length);
    const info = ANNOTATION_BY_NAME.get(name);
    result.annotations.push({ key: keyNode, info, value });
    if (!info) {
      const guess = closest(name, ANNOTATION_BY_NAME.keys());
      report(keyNode, 'ingress-unknown-annotation', `unknown ingress-nginx annotation "${name}": the controller ignores it${guess ? `; did you mean "${guess}"?` : ''}`, guess ? { suggestion: ANNOTATION_PREFIX + guess } : undefined);
      continue;
    }
    if (value === null || (isScalar(value) && isTemplated(manifests, value))) continue;
    if (!isScalar(value)) { report(value, 'ingress-annotation-type', `the value of "${key}" must be a string, not a ${isMap(value) ? 'map' : 'list'}`); continue; }
    const source = isScalar(value) ? (value as Scalar).type : undefined;
    const raw = manifests.parsedText.slice(value.range![0], value.range![1]);
    if (source === 'PLAIN' && YAML11_NON_STRING.test(raw)) {
      report(value, 'ingress-annotation-type', `${raw} is not a string to Kubernetes (YAML 1.1 reads it as a ${/^[-+.0-9]/.test(raw) ? 'number' : /^(null|Null|NULL|~)$/.test(raw) ? 'null' : 'boolean'}): kubectl rejects the manifest. Quote it: "${raw}"`, { quote: raw });
      continue;
    }
    const problem = valueProblem(info, String(value.value));
    if (problem) report(value, 'ingress-annotation-value', `${problem}; the controller uses ${info.default !== undefined && info.default !== '' ? `"${info.default}"` : 'no value'} instead${info.invalidFallback === false ? '' : ' and only logs it'}`);
    if (name.endsWith('-snippet')) {
      report(keyNode, 'ingress-snippet-disabled', `"${name}" is accepted only when the controller's ConfigMap sets allow-snippet-annotations: "true" (off by default, risk level Critical); otherwise the Ingress is rejected or the snippet ignored`);
    }
    if (info.type.kind === 'nginx-snippet') {
      const snippet = snippetRegion(manifests, name, info.type.context, value as Scalar);
      if (snippet) {
        result.snippets.push(snippet);
        snippetFindings.push({ snippet, findings: analyzeSnippet(file, snippet) });
      }
    }
  }

  // TLS to the backend: what ingress-nginx renders from these annotations.
  const protocol = text('backend-protocol')?.trim().toUpperCase();
  const secret = text('proxy-ssl-secret');
  const verify = text('proxy-ssl-verify');
  const verifying = secret !== undefined && verify === 'on';
  if ((protocol === 'HTTPS' || protocol === 'GRPCS') && !verifying && !verifyTemplated && !templated('backend-protocol')) {
    const node = values.get(ANNOTATION_PREFIX + 'backend-protocol')!.value!;
    report(node, 'ingress-backend-tls-unverified',
      `backend-protocol ${protocol} renders "proxy_pass https://upstream_balancer" without certificate verification: ${secret === undefined ? 'no proxy-ssl-secret is set' : 'proxy-ssl-verify is not "on"'}. Add proxy-ssl-secret (the CA), proxy-ssl-verify: "on" and proxy-ssl-name.`, { protocol });
  }
  if (secret === undefined) {
    for (const [key, { key: keyNode }] of values) {
      if (key.startsWith(ANNOTATION_PREFIX + 'proxy-ssl-') && key !== ANNOTATION_PREFIX + 'proxy-ssl-secret') {
        report(keyNode, 'ingress-proxy-ssl-ignored', `"${key.slice(ANNOTATION_PREFIX.length)}" is ignored: ingress-nginx applies proxy-ssl-* annotations only together with proxy-ssl-secret`);
      }
    }
  }
  if (verifying && text('proxy-ssl-name') === undefined) {
    report(values.get(ANNOTATION_PREFIX + 'proxy-ssl-verify')!.value!, 'ingress-proxy-ssl-name',
      'verification is on but proxy-ssl-name is not set: the name checked is "upstream_balancer", which no backend certificate carries, so every request fails. Set proxy-ssl-name to the name in the backend certificate (and proxy-ssl-server-name: "on" to send it as SNI).');
  }

  // ingress-nginx writes the proxy-ssl-* settings into the location a configuration-snippet lands in.
  for (const { snippet, findings } of snippetFindings) {
    const inherited = verifying && snippet.context === 'location';
    result.findings.push(...findings.filter((f) => !(inherited && f.code === 'tls-upstream-unverified')));
  }

  for (const name of ['auth-tls-secret', 'proxy-ssl-secret']) {
    const entry = values.get(ANNOTATION_PREFIX + name);
    if (!entry || !isScalar(entry.value) || isTemplated(manifests, entry.value) || typeof entry.value.value !== 'string') continue;
    checkSecretReference(name, entry.value as Scalar, namespace, options, result, report);
  }
}

function valueProblem(info: AnnotationInfo, value: string): string | undefined {
  const type = info.type;
  switch (type.kind) {
    // The controller reads booleans with Go's strconv.ParseBool.
    case 'bool': return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value) ? undefined : `"${value}" is not "true" or "false"`;
    case 'enum': {
      const ok = type.caseInsensitive ? type.values.some((v) => v.toLowerCase() === value.toLowerCase()) : type.values.includes(value);
      return ok ? undefined : `"${value}" is not one of ${type.values.map((v) => `"${v}"`).join(', ')}`;
    }
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) return `"${value}" is not a whole number`;
      const n = Number(value);
      if (type.min !== undefined && n < type.min) return `${n} is below the minimum ${type.min}`;
      if (type.max !== undefined && n > type.max) return `${n} is above the maximum ${type.max}`;
      return undefined;
    }
    case 'size': return /^\d+[kKmMgG]?$/.test(value) ? undefined : `"${value}" is not a size such as 8k or 1m`;
    case 'secret-ref': return undefined; // checked with the reference itself
    default: return undefined;
  }
}

/** `namespace/name`, or a bare `name` in the Ingress' own namespace (as ingress-nginx splits it). */
const SECRET_REF = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

function checkSecretReference(annotation: string, value: Scalar, namespace: string, options: IngressOptions, result: IngressAnalysis,
  report: (node: Scalar, code: RuleId, message: string, data?: Record<string, unknown>, severity?: Severity) => void): void {
  const ref = String(value.value);
  const m = SECRET_REF.exec(ref);
  if (!m) {
    report(value, 'ingress-secret-ref', `"${ref}" is not a Secret reference: write namespace/name (lowercase letters, digits and "-")`);
    return;
  }
  if (!m[1]) {
    // ingress-nginx splits the value on "/" and denies the Ingress' locations without a namespace.
    report(value, 'ingress-secret-ref', `"${ref}" has no namespace: write "${namespace}/${ref}" (ingress-nginx requires namespace/name here)`);
    return;
  }
  const reference: SecretReference = { annotation, value, namespace: m[1], name: m[3] };
  result.secretReferences.push(reference);
  const secret = options.secrets?.get(`${reference.namespace}/${reference.name}`);
  if (!secret) {
    report(value, 'ingress-secret-unresolved', `no Secret "${reference.namespace}/${reference.name}" in the workspace, so its CA certificates cannot be checked`);
    return;
  }
  reference.secret = secret;
  if (!secret.keys.has('ca.crt')) {
    report(value, 'ingress-secret-missing-key', `Secret "${reference.namespace}/${reference.name}" has no ca.crt: ${annotation} needs the CA certificate(s) under that key (${[...secret.keys].join(', ') || 'it has no keys'})`);
    return;
  }
  if (!secret.caCrt) return;
  const contents = readContents(secret.caCrt);
  if (contents.kind !== 'certificates') {
    report(value, 'cert-unreadable', `ca.crt of Secret "${reference.namespace}/${reference.name}" holds no certificate`);
    return;
  }
  reference.certificates = contents.certificates;
  const now = options.now ?? new Date();
  const expired = contents.certificates.filter((c) => c.notAfter < now);
  if (expired.length && expired.length === contents.certificates.length) {
    report(value, 'cert-expired', `the CA certificate "${expired[0].subject}" in Secret "${reference.namespace}/${reference.name}" expired on ${isoDate(expired[0].notAfter)}, ${daysBetween(expired[0].notAfter, now)} days ago`);
  }
}

/** The nginx text of a snippet annotation, located in the file. */
function snippetRegion(manifests: ManifestFile, annotation: string, context: string, value: Scalar): SnippetRegion | undefined {
  const text = manifests.text;
  const [start, end] = value.range!;
  let contentStart = start;
  let contentEnd = end;
  if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') {
    const header = text.indexOf('\n', start);
    if (header < 0) return undefined;
    contentStart = header + 1;
  } else if (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') {
    contentStart = start + 1;
    contentEnd = end - 1;
    // Escapes change lengths; analyse the decoded value at the value's position instead.
    const raw = text.slice(contentStart, contentEnd);
    if (raw.includes('\\') || raw.includes("''")) return decodedRegion(manifests, annotation, context, value);
  }
  const virtualText = blankOutside(text, contentStart, contentEnd);
  return { annotation, context, start: contentStart, end: contentEnd, virtualText, tree: parseConfig(virtualText) };
}

/**
 * A quoted value with escapes: the decoded text is analysed on its own, and `toFile` maps each of
 * its offsets back to the character it came from in the file.
 */
function decodedRegion(manifests: ManifestFile, annotation: string, context: string, value: Scalar): SnippetRegion {
  const [start, end] = value.range!;
  const raw = manifests.text.slice(start + 1, end - 1);
  let decoded = '';
  const map: number[] = [];
  const emit = (s: string, at: number) => { for (const ch of s) { decoded += ch; map.push(start + 1 + at); } };
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', ' ': ' ', '0': '\0' };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (value.type === 'QUOTE_SINGLE') {
      if (c === "'" && raw[i + 1] === "'") { emit("'", i); i++; } else emit(c, i);
    } else if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (Object.hasOwn(simple, n)) { emit(simple[n], i); i++; }
      else if (n === 'x' || n === 'u' || n === 'U') {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        emit(String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + len), 16) || 0xfffd), i);
        i += 1 + len;
      } else if (n === '\n') { i++; } else { emit(n, i); i++; }
    } else emit(c, i);
  }
  map.push(end - 1);
  return { annotation, context, start: start + 1, end: end - 1, virtualText: decoded, tree: parseConfig(decoded), toFile: (offset) => map[Math.min(offset, map.length - 1)] };
}

/** Spaces everywhere outside [start, end), newlines kept, so offsets and lines stay the file's. */
function blankOutside(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

function analyzeSnippet(file: string, snippet: SnippetRegion): Finding[] {
  const virtual = `${file}#${snippet.annotation}`;
  const analysis = analyzeConfig(virtual, memoryHost({ [virtual]: snippet.virtualText }), {
    rootContexts: [SNIPPET_CONTEXTS[snippet.context] ?? 'http>location'],
    standalone: true,
    cache: new Map([[virtual, snippet.tree]]),
  });
  const toFile = snippet.toFile ?? ((o: number) => o);
  return analysis.findings.filter((f) => f.file === virtual && f.code !== 'include-not-found')
    .map((f) => ({
      ...f,
      file,
      start: toFile(f.start),
      end: Math.max(toFile(f.start), toFile(f.end)),
      // What encloses a snippet is the controller's template, not an including file.
      message: f.message.replace('unless a file that includes this one sets it', "unless the controller's ConfigMap sets it"),
    }));
}
