/**
 * The Ingress mode: Kubernetes manifests, through the Ingress half of the language service. That
 * half (with the YAML parser) is a bundle of its own, dist/ingress.js, loaded on the first YAML
 * document, so that starting the server does not compile a third more code.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type * as Ingress from '../../service/ingress';
import { ConfigHost } from '../../service/nginx';
import { filePath } from '../convert';
import * as path from 'node:path';
import type { LanguageMode, Refactoring, RefactoringOptions } from './mode';

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
    refactorings: (document, offset, options) => conversions(manifests(), filePath(document.uri), offset, options),
  };
}

const TARGET_TITLES: Record<Ingress.ConversionTarget, string> = {
  'gateway-api': 'Convert to Gateway API', f5: 'Convert to F5 NGINX Ingress Controller',
};

/** "Convert to …" for the Ingress at `offset`, one per target (and one more for a shared Gateway when a setting names it). */
function conversions(workspace: Ingress.ManifestWorkspace, file: string, offset: number, options: RefactoringOptions): Refactoring[] {
  const parsed = workspace.manifests(file);
  if (!parsed?.documents.some((d) => d.kind === 'ingress' && offset >= d.start && offset <= d.end)) return [];
  const base = { secrets: workspace.secrets(), services: workspace.services(), source: path.basename(file) };
  const offers: { title: string; target: Ingress.ConversionTarget; options: Ingress.ConvertOptions }[] = [
    { title: TARGET_TITLES['gateway-api'], target: 'gateway-api', options: base },
    ...(options.sharedGateway ? [{
      title: `${TARGET_TITLES['gateway-api']} (routes for the shared Gateway ${options.sharedGateway.namespace}/${options.sharedGateway.name})`,
      target: 'gateway-api' as const, options: { ...base, sharedGateway: options.sharedGateway },
    }] : []),
    { title: TARGET_TITLES.f5, target: 'f5', options: base },
  ];
  return offers.flatMap(({ title, target, options: convertOptions }) => {
    const result = ingress().convertManifests(parsed, target, convertOptions, offset);
    return result ? [{ title, text: result.text, language: 'yaml', file: ingress().convertedFileName(file, target) }] : [];
  });
}
