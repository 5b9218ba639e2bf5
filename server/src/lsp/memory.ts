/**
 * Memory given back once nothing is open. V8 shrinks its young generation and returns the free
 * pages of its old generation in full collections made while allocation is low, and its memory
 * reducer starts only after a full collection: an idle server makes none. After closing 1,000
 * configs (bench section 7's) the server kept 135 MB RSS (60 MB at its start) for as long as it
 * stayed idle. Two full collections a second apart, 5 s after the last document closed, bring it to
 * 97 MB; one alone to 120 MB; one made 1 to 3 s after the close to ~118 MB (the closing's own
 * allocation still counts as recent). What stays above the start is outside the JavaScript heap,
 * which is back within 3 MB of its size at the start.
 */
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * Drops a module that was required lazily (a chunk beside the bundle, named `fileName`) from Node's
 * module cache, and from the children of the modules that required it, so that a collection can
 * free it; the next `require` loads it again.
 */
export function forgetModule(fileName: string): void {
  const cache = require.cache;
  for (const [key, loaded] of Object.entries(cache)) {
    if (!loaded || path.basename(key) !== fileName) continue;
    delete cache[key];
    for (const other of [...Object.values(cache), require.main, module]) {
      const at = other?.children.indexOf(loaded) ?? -1;
      if (at >= 0) other!.children.splice(at, 1);
    }
  }
}

/** How long nothing is open before the collection. */
const IDLE_COLLECTION_DELAY_MS = 5_000;

let collect: (() => void) | undefined;

/** A full garbage collection; the collector is exposed on first use only. */
export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

export interface IdleCollector {
  /** The last document closed: collections after the delay, unless a document opens first. */
  nothingOpen(): void;
  /** A document opened: no collection is due. */
  opened(): void;
  /** How many times the collections were made (for the `nginx-ls/retained` debug request). */
  readonly collections: number;
}

/** `release` lets go of what is held outside the heap first (the analysis thread ends). */
export function idleCollector(release: () => void, delayMs = IDLE_COLLECTION_DELAY_MS): IdleCollector {
  let timer: NodeJS.Timeout | undefined;
  let collections = 0;
  return {
    nothingOpen() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        release();
        collectGarbage();
        timer = setTimeout(() => {
          timer = undefined;
          collectGarbage();
          collections++;
        }, 1000);
        timer.unref();
      }, delayMs);
      // A process that is asked to end does not wait for it.
      timer.unref();
    },
    opened() {
      clearTimeout(timer);
      timer = undefined;
    },
    get collections() {
      return collections;
    },
  };
}
