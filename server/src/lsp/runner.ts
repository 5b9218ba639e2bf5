/**
 * Handler guards: one feature failing on one document must never take the server down. Requests
 * answer with an error response; notifications and document events log the error and carry on.
 */
import { CancellationToken, ResponseError } from 'vscode-languageserver/node';

export interface Log { error(message: string): void }

export interface Runners {
  /** Runs a request handler: `fallback` when cancelled before it starts, an internal error response if it throws. */
  runSafe<T>(name: string, token: CancellationToken | undefined, work: () => T, fallback: T): T | ResponseError<never>;
  /** Wraps a notification or event handler so that a throw is logged and goes no further. */
  guard<P>(name: string, handler: (params: P) => void): (params: P) => void;
}

export function runners(log: Log): Runners {
  const report = (name: string, e: unknown): string => {
    const err = e as Error;
    log.error(`nginx-ls: ${name} failed: ${err?.stack ?? err?.message ?? String(e)}`);
    return err?.message ?? String(e);
  };
  return {
    runSafe(name, token, work, fallback) {
      if (token?.isCancellationRequested) return fallback;
      try {
        return work();
      } catch (e) {
        return new ResponseError(-32603, `nginx-ls: ${name} failed: ${report(name, e)}`);
      }
    },
    guard: (name, handler) => (params) => {
      try {
        handler(params);
      } catch (e) {
        report(name, e);
      }
    },
  };
}
