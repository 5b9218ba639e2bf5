/**
 * The YAML side of a workspace: parses manifests (cached by text), indexes the resources analysed
 * documents refer to (Secrets, ConfigMaps, Services, BackendTLSPolicies, F5 Policies) across all YAML
 * files, and analyses the Ingress, Gateway API and F5 Policy documents of a file against that index.
 */
import { ConfigHost } from '../host';
import { analyzeIngressFile } from './analyze';
import type { IngressAnalysis, SecretManifest } from './context';
import { ANALYSED_KINDS, ManifestFile, parseManifests } from './manifest';
import { ResourceIndex, emptyIndex, indexFile, layeredLookup } from './resource-index';

export class ManifestWorkspace {
  private readonly cache = new Map<string, { text: string; manifests: ManifestFile | undefined }>();
  private candidates: string[] = [];
  private resourceIndex: ResourceIndex | undefined;
  /**
   * The time certificate validity is judged at, set by the caller (the server before analysing, the
   * CLI from --now, tests to a fixed date): the service reads no clock. Unset, no validity is judged.
   */
  now: Date | undefined;

  constructor(private readonly host: ConfigHost) {}

  setCandidates(files: readonly string[]): void {
    this.candidates = [...new Set(files)];
    this.resourceIndex = undefined;
  }

  addCandidate(file: string): void {
    if (!this.candidates.includes(file)) this.candidates.push(file);
    this.resourceIndex = undefined;
  }

  /** Call when YAML files change: Secrets, ConfigMaps, Services or policies may have appeared, gone or changed. */
  invalidate(): void {
    this.resourceIndex = undefined;
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
    return { manifests, analysis: analyzeIngressFile(file, manifests, { resources, now: this.now }) };
  }

  /** Secrets by "namespace/name". */
  secrets(): Map<string, SecretManifest> {
    return this.index().secrets;
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
