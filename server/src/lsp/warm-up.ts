/**
 * V8 optimises what an analysis runs only after running it a number of times. Until then the first
 * keystrokes in a file of a few thousand lines were analysed by cold code: 40-75 ms against 12-35
 * once warm (bench section 7). So after the first diagnostics of such a file, while the user reads
 * it, the server analyses it a few more times, one run per turn of the event loop: requests read
 * meanwhile go first, and an edit or a close of that document ends the warm-up (its own analyses
 * warm the code from then on). The analysis thread warms itself the same way (./analysis-thread.ts).
 */

/** Extra analyses per process: enough for V8 to optimise the analysis' hot functions. */
const RUNS = 8;
/** Files that analyse faster run too little code per analysis to be worth it; slower ones go to the analysis thread. */
const MIN_COST_MS = 5;

export interface WarmUpTarget {
  uri: string;
  version: number;
}

export class WarmUp {
  private left = RUNS;
  private running = false;

  /**
   * `analyse` makes one extra analysis of a document; `current` is the document as open now
   * (undefined once closed).
   */
  constructor(private readonly analyse: (uri: string) => void, private readonly current: (uri: string) => WarmUpTarget | undefined) {}

  /** A document's diagnostics were made on the main thread in `costMs`. */
  analysed(document: WarmUpTarget, costMs: number): void {
    if (this.running || this.left === 0 || costMs < MIN_COST_MS) return;
    this.running = true;
    const { uri, version } = document;
    const next = (): void => {
      if (this.left === 0 || this.current(uri)?.version !== version) {
        this.running = false;
        return;
      }
      this.left--;
      try {
        this.analyse(uri);
      } catch {
        // The document's own diagnostics report what fails; a warm-up only stops.
        this.left = 0;
      }
      setImmediate(next);
    };
    setImmediate(next);
  }
}
