/**
 * Navigation requests for nginx documents: definition, references, document highlight, rename (with
 * prepareRename), document links and workspace symbols. The service answers by offsets from the
 * symbol index of the document's analysis (service/nginx/navigation.ts); ./convert.ts makes LSP data,
 * with positions in other files read from their text as analysed.
 */
import {
  type Connection, type ServerCapabilities, type TextDocuments, ErrorCodes, ResponseError,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { definitions, documentLinks, highlights, prepareRename, references, rename } from '../service/nginx';
import {
  DocumentOf, documentOfText, filePath, toDefinitions, toDocumentHighlights, toDocumentLinks, toLocations, toRange, toWorkspaceEdit,
  toWorkspaceSymbols,
} from './convert';
import type { DocumentNavigation, NginxMode } from './modes/nginx';
import type { Runners } from './runner';

/** What the server offers for navigation, in its `initialize` answer. */
export const NAVIGATION_CAPABILITIES = {
  definitionProvider: true,
  referencesProvider: true,
  documentHighlightProvider: true,
  // prepareRename says why a name cannot be renamed (a built-in variable, a directive) before the user types one.
  renameProvider: { prepareProvider: true },
  documentLinkProvider: { resolveProvider: false },
  workspaceSymbolProvider: true,
} satisfies ServerCapabilities;

export function registerNavigation(
  connection: Connection, documents: TextDocuments<TextDocument>, nginx: Pick<NginxMode, 'navigation' | 'workspaceSymbols'>,
  runSafe: Runners['runSafe'], definitionLinks: () => boolean,
): void {
  /** An open nginx document and what navigation in it answers from. */
  const at = (uri: string): { document: TextDocument; nav: DocumentNavigation } | undefined => {
    const document = documents.get(uri);
    const nav = document && document.languageId === 'nginx' ? nginx.navigation(document) : undefined;
    return document && nav && { document, nav };
  };
  /** Positions in the document itself, in other open documents, or in a file's text as analysed. */
  const documentsFor = (document: TextDocument, textOf: (file: string) => string | undefined): DocumentOf => {
    const open = new Map(documents.all().map((d) => [filePath(d.uri), d]));
    open.set(filePath(document.uri), document);
    return (file) => {
      const text = textOf(file);
      const known = open.get(file);
      if (known && (text === undefined || known.getText() === text)) return known;
      return text === undefined ? undefined : documentOfText(file, text);
    };
  };

  connection.onDefinition((params, token) => runSafe('definition', token, () => {
    const target = at(params.textDocument.uri);
    if (!target) return null;
    const { document, nav } = target;
    const answer = definitions(nav.index, nav.file, document.offsetAt(params.position));
    if (!answer || answer.targets.length === 0) return null;
    return toDefinitions(answer, document, documentsFor(document, nav.textOf), definitionLinks());
  }, null));

  connection.onReferences((params, token) => runSafe('references', token, () => {
    const target = at(params.textDocument.uri);
    if (!target) return [];
    const { document, nav } = target;
    const found = references(nav.index, nav.file, document.offsetAt(params.position), params.context.includeDeclaration);
    return toLocations(found, documentsFor(document, nav.textOf));
  }, []));

  connection.onDocumentHighlight((params, token) => runSafe('document highlight', token, () => {
    const target = at(params.textDocument.uri);
    if (!target) return [];
    const { document, nav } = target;
    return toDocumentHighlights(highlights(nav.index, nav.file, document.offsetAt(params.position)), document);
  }, []));

  connection.onPrepareRename((params, token) => runSafe('prepare rename', token, () => {
    const target = at(params.textDocument.uri);
    if (!target) return null;
    const { document, nav } = target;
    const answer = prepareRename(nav.index, nav.tree, nav.file, document.offsetAt(params.position));
    // An error with the reason: clients show its message, where a null answer only says "cannot rename".
    if ('refused' in answer) return new ResponseError(ErrorCodes.InvalidRequest, answer.refused);
    return { range: toRange(document, answer.range), placeholder: answer.placeholder };
  }, null));

  connection.onRenameRequest((params, token) => runSafe('rename', token, () => {
    const target = at(params.textDocument.uri);
    if (!target) return null;
    const { document, nav } = target;
    const answer = rename(nav.index, nav.tree, nav.file, document.offsetAt(params.position), params.newName);
    if ('refused' in answer) return new ResponseError(ErrorCodes.InvalidRequest, answer.refused);
    return toWorkspaceEdit(answer.edits, documentsFor(document, nav.textOf));
  }, null));

  connection.onDocumentLinks((params, token) => runSafe('document links', token, () => {
    const target = at(params.textDocument.uri);
    return target ? toDocumentLinks(documentLinks(target.nav.index, target.nav.file), target.document) : [];
  }, []));

  connection.onWorkspaceSymbol((params, token) => runSafe('workspace symbols', token, () => {
    const { entries, textOf } = nginx.workspaceSymbols(params.query);
    const open = new Map(documents.all().map((d) => [filePath(d.uri), d]));
    return toWorkspaceSymbols(entries, (file) => {
      const text = textOf(file);
      const known = open.get(file);
      if (known && known.getText() === text) return known;
      return text === undefined ? undefined : documentOfText(file, text);
    });
  }, []));
}
