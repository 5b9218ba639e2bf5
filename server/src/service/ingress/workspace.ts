/**
 * The YAML side of a workspace: parses manifests (cached by text), indexes the resources analysed
 * documents refer to (Secrets, ConfigMaps, Services, BackendTLSPolicies, F5 Policies) across all YAML
 * files, and analyses the Ingress, Gateway API and F5 Policy documents of a file against that index.
 */
import { ConfigHost } from '../host';
import { analyzeIngressFile } from './analyze';
import type { IngressAnalysis, IngressOptions, SecretManifest } from './context';
import { IngressClassManifest, ingressClassesIn } from './controller';
import type { ServicePorts } from './convert/common';
import { ANALYSED_KINDS, ManifestFile, parseManifests } from './manifest';
import { ResourceIndex, emptyIndex, indexFile, layeredLookup } from './resource-index';

export class ManifestWorkspace {
  private readonly cache = new Map<string, { text: string; manifests: ManifestFile | undefined }>();
  private candidates: string[] = [];
  private resourceIndex: ResourceIndex | undefined;
  private serviceIndex: Map<string, ServicePorts> | undefined;
  private classIndex: Map<string, IngressClassManifest[]> | undefined;
  /** The `nginx-ls.ingress.*` settings: which controller reads Ingresses, and whether the retirement note is given. */
  settings: Pick<IngressOptions, 'controller' | 'retirementNotice'> = {};
  /** The candidates from the workspace (setCandidates): they stay when a document closes. */
  private kept = new Set<string>();
  /**
   * The time certificate validity is judged at, set by the caller (the server before analysing, the
   * CLI from --now, tests to a fixed date): the service reads no clock. Unset, no validity is judged.
   */
  now: Date | undefined;

  constructor(private readonly host: ConfigHost) {}

  setCandidates(files: readonly string[]): void {
    this.candidates = [...new Set(files)];
    this.kept = new Set(files);
    this.invalidate();
  }

  /** A file opened in the editor, until `forget`; one created on disk (`kept`) for good. */
  addCandidate(file: string, kept = false): void {
    if (kept) this.kept.add(file);
    if (!this.candidates.includes(file)) this.candidates.push(file);
    this.invalidate();
  }

  /** A closed document: its parse goes, and its place among the candidates unless the workspace has the file. */
  forget(file: string): void {
    this.cache.delete(file);
    if (!this.kept.has(file)) this.candidates = this.candidates.filter((f) => f !== file);
    this.invalidate();
  }

  /** How many paths the workspace holds something for: for tests of what closing releases. */
  retained(): { parsed: number; candidates: number } {
    return { parsed: this.cache.size, candidates: this.candidates.length };
  }

  /** Call when YAML files change: Secrets, ConfigMaps, Services, policies or IngressClasses may have appeared, gone or changed. */
  invalidate(): void {
    this.resourceIndex = undefined;
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

  /** The analysis of a file; undefined for files with nothing nginx-ls checks (they get nothing). */
  analyze(file: string): { manifests: ManifestFile; analysis: IngressAnalysis } | undefined {
    const manifests = this.manifests(file);
    if (!manifests || !manifests.documents.some((d) => ANALYSED_KINDS.has(d.kind))) return undefined;
    // The file's own resources as its text is now (an open buffer may be ahead of the index).
    const own = emptyIndex();
    indexFile(own, file, manifests);
    const resources = layeredLookup(own, this.index(), file);
    const options: IngressOptions = { ...this.settings, resources, ingressClasses: this.ingressClasses(), now: this.now };
    return { manifests, analysis: analyzeIngressFile(file, manifests, options) };
  }

  /** Secrets by "namespace/name". */
  secrets(): Map<string, SecretManifest> {
    return this.index().secrets;
  }

  /** Service ports by "namespace/name", for the conversions (a named port's number). */
  services(): Map<string, ServicePorts> {
    if (this.serviceIndex) return this.serviceIndex;
    const index = new Map<string, ServicePorts>();
    for (const [key, service] of this.index().services) {
      index.set(key, { ports: service.ports.flatMap((p) => (p.port === undefined ? [] : [{ ...(p.name && { name: p.name }), port: p.port }])) });
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

  private index(): ResourceIndex {
    if (this.resourceIndex) return this.resourceIndex;
    const index = emptyIndex();
    for (const file of this.candidates) {
      const manifests = this.manifests(file);
      if (manifests) indexFile(index, file, manifests);
    }
    this.resourceIndex = index;
    return index;
  }
}
