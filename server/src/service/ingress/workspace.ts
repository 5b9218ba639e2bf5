/**
 * The YAML side of a workspace: parses manifests (cached by text), indexes Secrets across all YAML
 * files, and analyses the Ingress documents of a file against that index.
 */
import { ConfigHost } from '../host';
import { analyzeIngressFile } from './analyze';
import type { IngressAnalysis, IngressOptions, SecretManifest } from './context';
import { IngressClassManifest, ingressClassesIn } from './controller';
import { ManifestFile, parseManifests } from './manifest';
import { secretsIn, servicesIn } from './secret-index';
import type { ServicePorts } from './convert/common';

export class ManifestWorkspace {
  private readonly cache = new Map<string, { text: string; manifests: ManifestFile | undefined }>();
  private candidates: string[] = [];
  private secretIndex: Map<string, SecretManifest> | undefined;
  private serviceIndex: Map<string, ServicePorts> | undefined;
  private classIndex: Map<string, IngressClassManifest[]> | undefined;
  /** The `nginx-ls.ingress.*` settings: which controller reads Ingresses, and whether the retirement note is given. */
  settings: Pick<IngressOptions, 'controller' | 'retirementNotice'> = {};
  /**
   * The time certificate validity is judged at, set by the caller (the server before analysing, the
   * CLI from --now, tests to a fixed date): the service reads no clock. Unset, no validity is judged.
   */
  now: Date | undefined;

  constructor(private readonly host: ConfigHost) {}

  setCandidates(files: readonly string[]): void {
    this.candidates = [...new Set(files)];
    this.invalidate();
  }

  addCandidate(file: string): void {
    if (!this.candidates.includes(file)) this.candidates.push(file);
    this.invalidate();
  }

  /** Call when YAML files change: Secrets and IngressClasses may have appeared, gone or changed. */
  invalidate(): void {
    this.secretIndex = undefined;
    this.serviceIndex = undefined;
    this.classIndex = undefined;
  }

  manifests(file: string): ManifestFile | undefined {
    const read = this.host.readConfig(file);
    if (read.kind !== 'text') return undefined;
    const cached = this.cache.get(file);
    if (cached && cached.text === read.text) return cached.manifests;
    const manifests = parseManifests(read.text);
    this.cache.set(file, { text: read.text, manifests });
    return manifests;
  }

  /** The Ingress analysis of a file; undefined for files with no Ingress (they get nothing). */
  analyze(file: string): { manifests: ManifestFile; analysis: IngressAnalysis } | undefined {
    const manifests = this.manifests(file);
    if (!manifests || !manifests.documents.some((d) => d.kind === 'ingress')) return undefined;
    const options: IngressOptions = { ...this.settings, secrets: this.secrets(), ingressClasses: this.ingressClasses(), now: this.now };
    return { manifests, analysis: analyzeIngressFile(file, manifests, options) };
  }

  secrets(): Map<string, SecretManifest> {
    if (this.secretIndex) return this.secretIndex;
    const index = new Map<string, SecretManifest>();
    for (const file of this.candidates) {
      const manifests = this.manifests(file);
      if (!manifests) continue;
      for (const secret of secretsIn(file, manifests)) {
        const key = `${secret.namespace}/${secret.name}`;
        if (!index.has(key)) index.set(key, secret);
      }
    }
    this.secretIndex = index;
    return index;
  }

  /** Service ports by "namespace/name", for the conversions (a named port's number). */
  services(): Map<string, ServicePorts> {
    if (this.serviceIndex) return this.serviceIndex;
    const index = new Map<string, ServicePorts>();
    for (const file of this.candidates) {
      const manifests = this.manifests(file);
      if (!manifests) continue;
      for (const [key, ports] of servicesIn(manifests)) if (!index.has(key)) index.set(key, ports);
    }
    this.serviceIndex = index;
    return index;
  }

  /** The IngressClass manifests of the workspace by name. */
  ingressClasses(): Map<string, IngressClassManifest[]> {
    if (this.classIndex) return this.classIndex;
    const index = new Map<string, IngressClassManifest[]>();
    for (const file of this.candidates) {
      const manifests = this.manifests(file);
      if (!manifests) continue;
      for (const c of ingressClassesIn(file, manifests)) index.set(c.name, [...(index.get(c.name) ?? []), c]);
    }
    this.classIndex = index;
    return index;
  }
}
