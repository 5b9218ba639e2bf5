/**
 * One language mode per kind of document the server handles (nginx configs, Kubernetes Ingress
 * manifests): the handlers in ../server.ts ask `modeFor(document)` and call the same method whatever
 * the language. Modes speak the language service's terms (offsets, findings); ../convert.ts turns
 * their answers into LSP data.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isYamlPath } from '../../node-host';
import type { ConfigHost } from '../../service/nginx';
import { IngressMode, ingressMode } from './ingress';
import type { LanguageMode } from './mode';
import { NginxMode, nginxMode } from './nginx';

export type { LanguageMode } from './mode';

export interface LanguageModes {
  readonly nginx: NginxMode;
  readonly ingress: IngressMode;
  all(): LanguageMode[];
  /** The mode for a document, undefined for documents the server does not handle. */
  modeFor(document: TextDocument): LanguageMode | undefined;
}

/** A YAML document (by language id, or by file name when the editor calls it something else). */
export const isYaml = (document: TextDocument): boolean => document.languageId === 'yaml' || isYamlPath(document.uri);

export function getLanguageModes(host: ConfigHost): LanguageModes {
  const nginx = nginxMode(host);
  const ingress = ingressMode(host);
  return {
    nginx,
    ingress,
    all: () => [nginx, ingress],
    modeFor: (document) => (isYaml(document) ? ingress : document.languageId === 'nginx' ? nginx : undefined),
  };
}
