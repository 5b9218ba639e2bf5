/**
 * Push diagnostics, for clients that cannot pull them (Neovim 0.7): analyses are debounced per
 * document, and a result is published only for the version it was computed from, while that
 * version is still the current one.
 *
 * After an edit the wait adapts to what the document's last analysis cost: a few ms when it took up
 * to 50 ms (the user would only wait for the timer), a fraction of it for large configurations
 * (so that a burst of keys costs one analysis, not one each). The server owns the clock: the cost is
 * measured here, never in the language service.
 */
import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnosis } from './analysis-thread';
import type { Log } from './runner';

/**
 * Analyses up to this cost are published at once after an edit: a wait of a share of them (under
 * 15 ms) is shorter than the time between two keys, even a held key's, so it would never save an
 * analysis, only delay one.
 */
const NO_WAIT_BELOW_MS = 50;
/**
 * "At once" is after this wait: long enough for the requests an editor writes right behind the
 * keystroke (completion, hover) to be read, so that they are answered before the analysis starts.
 * With no wait the timer could fire before the next read of the pipe (bench section 7: hover right
 * after a keystroke on 5,000 lines, p95 35 ms against 10).
 */
const READ_AHEAD_MS = 3;
/** Above it, the wait is this share of the cost… */
const WAIT_SHARE = 0.3;
/** …and never more than this. */
const MAX_WAIT_MS = 150;

/**
 * The wait after an edit for a document whose last analysis took `costMs` (unknown: the most).
 * None beyond the read-ahead when it is analysed on the analysis thread (`offThread`): the main
 * thread stays free meanwhile, and keys typed during an analysis cost one more, not one each
 * (./analysis-thread.ts runs one at a time per document and merges the requests made meanwhile).
 */
export function editDelay(costMs: number | undefined, offThread = false): number {
  if (costMs === undefined) return MAX_WAIT_MS;
  return costMs < NO_WAIT_BELOW_MS || offThread ? READ_AHEAD_MS : Math.min(MAX_WAIT_MS, Math.round(costMs * WAIT_SHARE));
}

export interface DiagnosticsPusher {
  /**
   * Publishes the document's diagnostics after `delay` ms, replacing a publication already scheduled
   * for it; `then` runs once they are published (or dropped, for a version edited since).
   */
  schedule(document: TextDocument, delay: number, then?: () => void): void;
  /** Publishes an edited document's diagnostics after a wait that fits what its analysis costs. */
  scheduleEdit(document: TextDocument, then?: () => void): void;
  /** Cancels a scheduled publication and clears what was published (a closed document). */
  clear(uri: string): void;
}

/**
 * `diagnose` makes a document's diagnostics, at once or on the analysis thread; `delayAfterEdit` is
 * the wait after an edit of the document (`editDelay` of what its analyses cost).
 */
export function diagnosticsPusher(connection: Connection, documents: TextDocuments<TextDocument>,
  diagnose: (document: TextDocument) => Diagnosis | Promise<Diagnosis>, delayAfterEdit: (uri: string) => number,
  log: Log): DiagnosticsPusher {
  const pending = new Map<string, NodeJS.Timeout>();
  const failed = (e: unknown): void => log.error(`nginx-ls: diagnostics failed: ${(e as Error)?.stack ?? e}`);

  /** Publishes the document's diagnostics if it is still at this version when they are made; then `then`. */
  function publish(document: TextDocument, then?: () => void): void {
    const { uri, version } = document;
    const send = ({ diagnostics }: Diagnosis): void => {
      const current = documents.get(uri);
      if (current?.version === version) void connection.sendDiagnostics({ uri, version, diagnostics });
    };
    try {
      const diagnosis = diagnose(document);
      if (!(diagnosis instanceof Promise)) {
        send(diagnosis);
        return then?.();
      }
      diagnosis.then(send, failed).finally(then);
    } catch (e) {
      failed(e);
      then?.();
    }
  }

  const pusher: DiagnosticsPusher = {
    schedule(document, delay, then) {
      clearTimeout(pending.get(document.uri));
      const timer = setTimeout(() => {
        // The messages already read go first: a hover sent with the keystroke is answered before
        // the analysis (the connection handles one message per turn of the event loop, in setImmediate).
        setImmediate(() => {
          if (pending.get(document.uri) !== timer) return;
          pending.delete(document.uri);
          const current = documents.get(document.uri);
          if (current) publish(current, then);
          else then?.();
        });
      }, delay);
      pending.set(document.uri, timer);
    },
    scheduleEdit(document, then) {
      pusher.schedule(document, delayAfterEdit(document.uri), then);
    },
    clear(uri) {
      clearTimeout(pending.get(uri));
      pending.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    },
  };
  return pusher;
}
