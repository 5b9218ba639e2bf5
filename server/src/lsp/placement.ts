/**
 * `nginx-ls/placement`: where an open nginx file is analysed, for the client's status item. A partial
 * file is checked inside the main configuration that includes it; the answer names that main file and
 * the chain of includes that leads from it to the file.
 *
 *   request  { uri: "file:///etc/nginx/conf.d/app.conf" }
 *   response { kind: "included", main: "file:///etc/nginx/nginx.conf",
 *              chain: [{ uri: "file:///etc/nginx/nginx.conf", line: 30 }] }
 *
 * `chain` runs from the main file down to the file's parent, each with the 0-based line of the
 * `include` that leads on. `kind` is "main" for a main configuration, "standalone" for a file no
 * main configuration includes (checked on its own, permissively), and the answer is null for a
 * document that is not an open nginx file.
 */
import { pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigAnalysis, lineOf, looksLikeMainConfig } from '../service/nginx';
import { filePath } from './convert';
import type { NginxMode } from './modes/nginx';
import type { Runners } from './runner';

export const PLACEMENT_REQUEST = 'nginx-ls/placement';

export interface PlacementParams { uri: string }

export interface Placement {
  kind: 'main' | 'included' | 'standalone';
  main: string;
  chain: { uri: string; line: number }[];
}

/**
 * The placement of `file` in `analysis` (the analysis `analysisFor(file)` gave); `uri` names files in
 * the answer (an untitled document's own name is not a path).
 */
export function placementOf(file: string, analysis: ConfigAnalysis, uri = (f: string): string => pathToFileURL(f).href): Placement {
  if (analysis.main === file) {
    const tree = analysis.files.get(file);
    return { kind: tree && looksLikeMainConfig(file, tree) ? 'main' : 'standalone', main: uri(file), chain: [] };
  }
  const chain: Placement['chain'] = [];
  const seen = new Set<string>([file]);
  const includer = (f: string) => analysis.placements.get(f)?.includedFrom;
  for (let at = includer(file); at && !seen.has(at.file); at = includer(at.file)) {
    seen.add(at.file);
    const text = analysis.files.get(at.file)?.text ?? '';
    chain.unshift({ uri: uri(at.file), line: lineOf(text, at.directive.start) - 1 });
  }
  return { kind: 'included', main: uri(analysis.main), chain };
}

export function registerPlacement(
  connection: Connection, documents: TextDocuments<TextDocument>, nginx: Pick<NginxMode, 'analysisFor'>, runSafe: Runners['runSafe'],
): void {
  connection.onRequest(PLACEMENT_REQUEST, (params: PlacementParams, token) => runSafe('placement', token, () => {
    const document = documents.get(params.uri);
    if (!document || document.languageId !== 'nginx') return null;
    const file = filePath(document.uri);
    return placementOf(file, nginx.analysisFor(file), (f) => (f === file ? document.uri : pathToFileURL(f).href));
  }, null));
}
