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

export function ingressMode(host: ConfigHost): LanguageMode {
  let workspace: Ingress.ManifestWorkspace | undefined;
  let candidates: readonly string[] = [];
  /** Created on first use, so a workspace without YAML never loads the YAML parser. */
  const manifests = (): Ingress.ManifestWorkspace => {
    if (!workspace) {
      workspace = new (ingress().ManifestWorkspace)(host);
      workspace.setCandidates(candidates);
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
    setCandidates(files) {
      candidates = files;
      workspace?.setCandidates(files);
    },
    addCandidate: (file, kept) => manifests().addCandidate(file, kept),
    invalidate: () => workspace?.invalidate(),
    // Ingress analyses are not cached; the Secrets index is read again.
    changed: () => workspace?.invalidate(),
    forget: (file) => workspace?.forget(file),
    retained: () => workspace?.retained() ?? { parsed: 0, candidates: 0 },
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
