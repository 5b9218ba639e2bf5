/**
 * `nginx-ls/retained`: what the server holds, for tests that opening and closing documents leaves it
 * where it started. The heap is measured after a full garbage collection.
 *
 *   request  null
 *   response { heapUsed: 5242880, entries: { "nginx.parsed": 3, "nginx.candidates": 2, "overlay": 1, … }, analysesMade: 7 }
 *
 * `analysesMade` counts the nginx analyses made since the start (cached ones not counted): for tests
 * that a request was answered without one.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Connection } from 'vscode-languageserver/node';
import type { Runners } from './runner';

export const RETAINED_REQUEST = 'nginx-ls/retained';

export interface Retained {
  heapUsed: number;
  entries: Record<string, number>;
  analysesMade: number;
}

let collect: (() => void) | undefined;
/** The garbage collector, exposed on first use only (tests ask; editors never do). */
function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

export function registerRetained(connection: Connection, entries: () => Record<string, number>, analysesMade: () => number,
  runSafe: Runners['runSafe']): void {
  connection.onRequest(RETAINED_REQUEST, (_params: unknown, token) => runSafe('retained', token, (): Retained => {
    collectGarbage();
    return { heapUsed: process.memoryUsage().heapUsed, entries: entries(), analysesMade: analysesMade() };
  }, { heapUsed: 0, entries: {}, analysesMade: 0 }));
}
