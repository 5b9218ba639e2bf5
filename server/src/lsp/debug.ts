/**
 * `nginx-ls/retained`: what the server holds, for tests that opening and closing documents leaves it
 * where it started. The heap is measured after a full garbage collection.
 *
 *   request  null
 *   response { heapUsed: 5242880, entries: { "nginx.parsed": 3, "nginx.candidates": 2, "overlay": 1, … },
 *              analysesMade: 7, idleCollections: 1 }
 *
 * `analysesMade` counts the nginx analyses made since the start (cached ones not counted): for tests
 * that a request was answered without one. `idleCollections`: the collections made once nothing was
 * open (./memory.ts).
 */
import type { Connection } from 'vscode-languageserver/node';
import { collectGarbage } from './memory';
import type { Runners } from './runner';

export const RETAINED_REQUEST = 'nginx-ls/retained';

export interface Retained {
  heapUsed: number;
  entries: Record<string, number>;
  analysesMade: number;
  idleCollections: number;
}

export function registerRetained(connection: Connection, entries: () => Record<string, number>,
  counters: () => Pick<Retained, 'analysesMade' | 'idleCollections'>, runSafe: Runners['runSafe']): void {
  connection.onRequest(RETAINED_REQUEST, (_params: unknown, token) => runSafe('retained', token, (): Retained => {
    collectGarbage();
    return { heapUsed: process.memoryUsage().heapUsed, entries: entries(), ...counters() };
  }, { heapUsed: 0, entries: {}, analysesMade: 0, idleCollections: 0 }));
}
