/**
 * The Ingress mode: Kubernetes manifests, through the Ingress half of the language service. That
 * half (with the YAML parser) is a bundle of its own, dist/ingress.js, loaded on the first YAML
 * document, so that starting the server does not compile a third more code.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type * as Ingress from '../../service/ingress';
import { ConfigHost } from '../../service/nginx';
import { filePath } from '../convert';
import type { LanguageMode } from './mode';

let ingressModule: typeof Ingress | undefined;
function ingress(): typeof Ingress {
  // Resolved beside the server bundle at run time (dist/ingress.js), not beside this file:
  // scripts/build.mjs keeps './ingress.js' external.
  return (ingressModule ??= require('./ingress.js') as typeof Ingress);
}

/** The `nginx-ls.ingress.*` settings, as the Ingress half takes them. */
export type IngressSettings = Ingress.ManifestWorkspace['settings'];

export interface IngressMode extends LanguageMode {
  /** Which controller reads Ingresses, and whether ingress-nginx's retirement is noted. */
  configure(settings: IngressSettings): void;
}

export function ingressMode(host: ConfigHost): IngressMode {
  let workspace: Ingress.ManifestWorkspace | undefined;
  let candidates: readonly string[] = [];
  let settings: IngressSettings = {};
  /** Created on first use, so a workspace without YAML never loads the YAML parser. */
  const manifests = (): Ingress.ManifestWorkspace => {
    if (!workspace) {
      workspace = new (ingress().ManifestWorkspace)(host);
      workspace.setCandidates(candidates);
      workspace.settings = settings;
    }
    return workspace;
  };
  /** Ingress analyses are not cached: each one judges certificates at the time it is asked for. */
  const analyze = (document: TextDocument, now: Date) => {
    const manifestWorkspace = manifests();
    manifestWorkspace.now = now;
    return manifestWorkspace.analyze(filePath(document.uri));
  };

  return {
    id: 'ingress',
    configure(value) {
      settings = value;
      if (workspace) workspace.settings = value;
    },
    setCandidates(files) {
      candidates = files;
      workspace?.setCandidates(files);
    },
    addCandidate: (file) => manifests().addCandidate(file),
    invalidate: () => workspace?.invalidate(),
    diagnose: (document) => analyze(document, new Date())?.analysis.findings ?? [],
    hover(document, offset, now) {
      const yaml = analyze(document, now);
      return yaml && ingress().ingressHover(yaml.manifests, yaml.analysis, offset, now);
    },
    // Not offered for YAML yet.
    symbols: () => [],
    folding: () => [],
    quickFixes: (text, diagnostic) => ingress().ingressQuickFixes(text, diagnostic),
    completion(document, offset) {
      const parsed = manifests().manifests(filePath(document.uri));
      return parsed ? ingress().ingressCompletions(parsed, offset) : [];
    },
    inlayHints(document, now) {
      const yaml = analyze(document, now);
      return yaml ? ingress().ingressInlayHints(yaml.analysis, now) : [];
    },
    // Annotation entries carry their text with them; snippets are not directives.
    completionDocumentation: () => undefined,
    signatureHelp: () => undefined,
    // YAML is the YAML tools' to format.
    format: () => [],
    formatOnType: () => [],
  };
}
