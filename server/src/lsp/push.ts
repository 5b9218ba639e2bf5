/**
 * Push diagnostics, for clients that cannot pull them (Neovim 0.7): analyses are debounced per
 * document, and a result is published only for the version it was computed from, while that
 * version is still the current one.
 */
import { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Log } from './runner';

export interface DiagnosticsPusher {
  /** Publishes the document's diagnostics after `delay` ms, replacing a publication already scheduled for it. */
  schedule(document: TextDocument, delay: number): void;
  /** Cancels a scheduled publication and clears what was published (a closed document). */
  clear(uri: string): void;
}

export function diagnosticsPusher(connection: Connection, documents: TextDocuments<TextDocument>,
  diagnose: (document: TextDocument) => Diagnostic[], log: Log): DiagnosticsPusher {
  const pending = new Map<string, NodeJS.Timeout>();

  function publish(document: TextDocument): void {
    const version = document.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = diagnose(document);
    } catch (e) {
      log.error(`nginx-ls: diagnostics failed: ${(e as Error).stack}`);
      return;
    }
    const current = documents.get(document.uri);
    if (!current || current.version !== version) return;
    void connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
  }

  return {
    schedule(document, delay) {
      clearTimeout(pending.get(document.uri));
      pending.set(document.uri, setTimeout(() => {
        pending.delete(document.uri);
        const current = documents.get(document.uri);
        if (current) publish(current);
      }, delay));
    },
    clear(uri) {
      clearTimeout(pending.get(uri));
      pending.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    },
  };
}
