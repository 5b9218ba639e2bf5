/**
 * Formatting requests (document, range, on type) for nginx documents. Registered dynamically, for
 * nginx documents only, where the client can (VS Code): registered statically, the capability would
 * cover every document the client syncs, YAML included, and VS Code would offer nginx-ls as a YAML
 * formatter beside the YAML extension's ("There are multiple formatters for 'YAML' files"). Clients
 * that cannot register dynamically get the static capability; the Ingress mode answers no edits.
 */
import {
  ClientCapabilities, Connection, DocumentFormattingRequest, DocumentOnTypeFormattingRequest, DocumentRangeFormattingRequest,
  FormattingOptions, ServerCapabilities, TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toTextEdits } from './convert';
import type { LanguageModes } from './modes/language-modes';
import type { Runners } from './runner';

/** On-type formatting after the characters that end a statement or a block. */
const ON_TYPE = { firstTriggerCharacter: '}', moreTriggerCharacter: [';'] };
const NGINX_DOCUMENTS = [{ language: 'nginx', scheme: 'file' }, { language: 'nginx', scheme: 'untitled' }];

/** Whether the client registers all three formatting requests dynamically. */
export function dynamicFormatting(capabilities: ClientCapabilities): boolean {
  const text = capabilities.textDocument;
  return text?.formatting?.dynamicRegistration === true && text.rangeFormatting?.dynamicRegistration === true
    && text.onTypeFormatting?.dynamicRegistration === true;
}

/** The static capabilities, for clients that do not register dynamically. */
export function formattingCapabilities(dynamic: boolean): Partial<ServerCapabilities> {
  if (dynamic) return {};
  return { documentFormattingProvider: true, documentRangeFormattingProvider: true, documentOnTypeFormattingProvider: ON_TYPE };
}

/** Registers with the client, for nginx documents (after `initialized`, when `dynamic`). */
export function registerFormattingWithClient(connection: Connection): void {
  const documentSelector = NGINX_DOCUMENTS;
  void connection.client.register(DocumentFormattingRequest.type, { documentSelector }).catch(() => undefined);
  void connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector }).catch(() => undefined);
  void connection.client.register(DocumentOnTypeFormattingRequest.type, { documentSelector, ...ON_TYPE }).catch(() => undefined);
}

/** The request handlers. */
export function registerFormatting(connection: Connection, documents: TextDocuments<TextDocument>, modes: LanguageModes,
  runSafe: Runners['runSafe']): void {
  const target = (uri: string) => {
    const document = documents.get(uri);
    const mode = document && modes.modeFor(document);
    return document && mode && { document, mode };
  };
  const style = (options: FormattingOptions) => ({ tabSize: options.tabSize, insertSpaces: options.insertSpaces });

  connection.onDocumentFormatting((params, token) => runSafe('formatting', token, () => {
    const t = target(params.textDocument.uri);
    return t ? toTextEdits(t.mode.format(t.document, style(params.options)), t.document) : [];
  }, []));

  connection.onDocumentRangeFormatting((params, token) => runSafe('range formatting', token, () => {
    const t = target(params.textDocument.uri);
    if (!t) return [];
    const range = { start: t.document.offsetAt(params.range.start), end: t.document.offsetAt(params.range.end) };
    return toTextEdits(t.mode.format(t.document, style(params.options), range), t.document);
  }, []));

  connection.onDocumentOnTypeFormatting((params, token) => runSafe('on-type formatting', token, () => {
    const t = target(params.textDocument.uri);
    if (!t) return [];
    return toTextEdits(t.mode.formatOnType(t.document, t.document.offsetAt(params.position), params.ch, style(params.options)), t.document);
  }, []));
}
