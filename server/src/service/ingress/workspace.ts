/**
 * The YAML side of a workspace: parses manifests (cached by text), indexes Secrets across all YAML
 * files, and analyses the Ingress documents of a file against that index.
 */
import { ConfigHost } from '../host';
import { analyzeIngressFile } from './analyze';
import type { IngressAnalysis, SecretManifest } from './context';
import { ManifestFile, parseManifests } from './manifest';
import { secretsIn } from './secret-index';

export class ManifestWorkspace {
  private readonly cache = new Map<string, { text: string; manifests: ManifestFile | undefined }>();
  private candidates: string[] = [];
  /** The candidates from the workspace (setCandidates): they stay when a document closes. */
  private kept = new Set<string>();
  private secretIndex: Map<string, SecretManifest> | undefined;
  /**
   * The time certificate validity is judged at, set by the caller (the server before analysing, the
   * CLI from --now, tests to a fixed date): the service reads no clock. Unset, no validity is judged.
   */
  now: Date | undefined;

  constructor(private readonly host: ConfigHost) {}

  setCandidates(files: readonly string[]): void {
    this.candidates = [...new Set(files)];
    this.kept = new Set(files);
    this.secretIndex = undefined;
  }

  /** A file opened in the editor, until `forget`; one created on disk (`kept`) for good. */
  addCandidate(file: string, kept = false): void {
    if (kept) this.kept.add(file);
    if (!this.candidates.includes(file)) this.candidates.push(file);
    this.secretIndex = undefined;
  }

  /** A closed document: its parse goes, and its place among the candidates unless the workspace has the file. */
  forget(file: string): void {
    this.cache.delete(file);
    if (!this.kept.has(file)) this.candidates = this.candidates.filter((f) => f !== file);
    this.secretIndex = undefined;
  }

  /** How many paths the workspace holds something for: for tests of what closing releases. */
  retained(): { parsed: number; candidates: number } {
    return { parsed: this.cache.size, candidates: this.candidates.length };
  }

  /** Call when YAML files change: Secrets may have appeared, gone or changed. */
  invalidate(): void {
    this.secretIndex = undefined;
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
    return { manifests, analysis: analyzeIngressFile(file, manifests, { secrets: this.secrets(), now: this.now }) };
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
}
