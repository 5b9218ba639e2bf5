/**
 * What the Ingress rule families share: the result of analysing a file, the options it is analysed
 * with, and the context one Ingress document is checked in (its annotations, its namespace, which
 * values a Helm template decides, and the one way to report a finding).
 */
import { Node, Scalar } from 'yaml';
import type { CertificateInfo, ConfigFile } from '../nginx';
import type { Finding, Severity } from '../finding';
import type { RuleFamily } from '../family';
import type { RuleId } from '../rules';
import type { AnnotationInfo } from './annotations';
import type { ControllerDecision, ControllerSetting, IngressClassManifest } from './controller';
import type { ManifestDocument, ManifestFile } from './manifest';

/** A Secret manifest found in the workspace. */
export interface SecretManifest {
  file: string;
  name: string;
  namespace: string;
  /** Offset and 1-based line of the Secret document (for "where is it"). */
  start: number;
  line: number;
  keys: Set<string>;
  /** The Secret's type (Opaque, kubernetes.io/tls, …), when written. */
  type?: string;
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
  /** The time certificate validity was judged at (IngressOptions.now), for hover to agree with it. */
  now?: Date;
}

export interface IngressOptions {
  /**
   * The time certificate validity is judged at. The service never reads the clock: the caller (the
   * server, the CLI) passes it. Without it, no validity is judged.
   */
  now: Date | undefined;
  /** Secrets by "namespace/name". */
  secrets?: ReadonlyMap<string, SecretManifest>;
  /** The workspace's IngressClass manifests by name, which say which controller reads an Ingress. */
  ingressClasses?: ReadonlyMap<string, readonly IngressClassManifest[]>;
  /** `nginx-ls.ingress.controller`: which controller reads Ingresses whose IngressClass is not in the workspace. */
  controller?: ControllerSetting;
  /** `nginx-ls.ingress.retirementNotice`: the note that ingress-nginx is retired (on unless false). */
  retirementNotice?: boolean;
}

/** One annotation of an Ingress, as written. */
export interface AnnotationEntry {
  /** The full key, e.g. "nginx.ingress.kubernetes.io/backend-protocol". */
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

/** The node a finding points at (its range), or the document start when it has none. */
export type Located = { range?: [number, number, number] | null };

export type Report = (node: Located, code: RuleId, message: string, data?: Record<string, unknown>, severity?: Severity) => void;

/** One Ingress document being checked. */
export interface IngressContext {
  file: string;
  manifests: ManifestFile;
  doc: ManifestDocument;
  options: IngressOptions;
  result: IngressAnalysis;
  /** metadata.namespace, or "default". */
  namespace: string;
  /** Which controller reads this Ingress, and what says so (controller.ts). */
  controller: ControllerDecision;
  /** Every annotation by full key, in the order written. */
  annotations: ReadonlyMap<string, AnnotationEntry>;
  /** The string value of an ingress-nginx annotation (by short name), when it is a scalar with a value. */
  text(name: string): string | undefined;
  /** Whether a Helm template decides the value of an ingress-nginx annotation (by short name). */
  templated(name: string): boolean;
  /** Whether a Helm template covers this node. */
  isTemplated(node: Located): boolean;
  /**
   * Whether ingress-nginx verifies the backend certificate (proxy-ssl-secret set and proxy-ssl-verify
   * "on"): it then writes proxy_ssl_verify into every location of the Ingress.
   */
  backendVerified: boolean;
  /** Records a finding; its message is made printable (no control characters, bounded length). */
  report: Report;
}

/** What a quick fix of an Ingress rule is computed from: the file as parsed, and the document of the diagnostic. */
export interface IngressFixDoc {
  text: string;
  manifests: ManifestFile;
  /** The document the diagnostic starts in. */
  doc: ManifestDocument | undefined;
}

/** Checks one Ingress: sees each annotation in the order written, then the Ingress as a whole. */
export interface IngressChecker {
  /** Returns false when the annotation is not worth checking further (families after this one do not see it). */
  annotation?(entry: AnnotationEntry): boolean | void;
  /** After every annotation was seen. */
  done?(): void;
}

/** A family of Ingress rules: its rules and quick fixes, and how it checks one Ingress. */
export interface IngressFamily extends RuleFamily<IngressFixDoc> {
  /** Starts checking one Ingress; findings that need no annotation walk may be reported right away. */
  check(ingress: IngressContext): IngressChecker;
}
