/**
 * Analyses of large nginx configurations on a worker thread, so that the main thread keeps answering
 * hover, completion and the rest while one runs (100–300 ms on 50,000 lines; every such request
 * would otherwise wait for it, bench section 7).
 *
 * Only diagnostics move: from a document's first analysis that cost at least `OFF_THREAD_FROM_MS`
 * until it closes, its analyses are made on the worker, which holds its own NodeHost and nginx mode,
 * fed with the open buffers (a text once, then the edits the main thread applies), the settings, the
 * workspace's candidates and the files changed on disk; it answers with the LSP diagnostics. The main
 * thread keeps the analysis it made last for hover, completion and inlay hints (./modes/nginx.ts
 * answers a large file's requests from it through the edit map) and makes one only for navigation.
 *
 * The worker starts with the first expensive document, and takes its analyses at once: while it is
 * cold (V8 compiles and optimises per thread) they cost it more, but the main thread stays free to
 * answer, even right after the file opened. Between requests it makes that analysis a few more times
 * to warm up. It ends a while after the last document closes, which gives back all it held. If it
 * fails, the main thread analyses again.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { NodeHost, OpenBuffer } from '../node-host';
import type { RuleSettings } from '../service/nginx';
import { filePath, toDiagnostics } from './convert';
import { nginxMode } from './modes/nginx';
import { PieceDocument } from './piece-document';
import type { Log } from './runner';

/**
 * An analysis that costs this much (ms) would hold a keystroke's hover or completion back
 * noticeably: the document's later ones go to the worker. Tests set `NGINX_LS_OFF_THREAD_FROM_MS=0`
 * to send every nginx document there after its first analysis (their small files cost a few ms).
 */
const OFF_THREAD_FROM_MS = Number(process.env.NGINX_LS_OFF_THREAD_FROM_MS ?? 50);
/**
 * How long the worker makes its first analysis again, while nothing else is asked of it: a new
 * thread's code is cold (V8 optimises per thread, over the first dozen analyses or so). On the
 * 50,000-line config of bench section 7 its first runs took 460, 310, 360, 230 ms; after 4 warm-up
 * runs the first keystrokes' analyses still took 210–270 ms, after 8 they took 145–180, then 50–140.
 * A small file needs more runs for the same: at least 8, and at least a second's worth (at most 40).
 * It is done once per worker, on the other core, one run at a time, and only while nothing else is
 * asked: a message (an edit, a request) holds it back until `WARM_UP_QUIET_MS` have passed without one.
 */
const WARM_UP = { runs: 8, ms: 1000, maxRuns: 40 };
/**
 * The wait between two warm-up runs: an edit or a request that comes meanwhile holds the next run
 * back, instead of waiting behind a run begun at once (a cold run of 50,000 lines takes ~300 ms).
 */
const WARM_UP_GAP_MS = 15;
/**
 * How long without a message before the warm-up goes on: while the user types (keystrokes come
 * 100-300 ms apart) a run would hold the next keystroke's analysis back.
 */
const WARM_UP_QUIET_MS = 600;
/**
 * A buffer this long starts the worker as it opens (`openedLarge`): on the 50,000-line config of
 * bench section 7 (1.5 MB; its first analysis ~600 ms, then ~250) the worker was otherwise started
 * after the main thread's first analysis, and the first keystroke's diagnostics waited for its start
 * and its cold first run: ~1 s. The 5,000-line config (150 kB) costs ~15 ms and stays on the main thread.
 */
export const LIKELY_EXPENSIVE_CHARS = 400_000;
/**
 * The worker's young generation: an analysis of a large file allocates ~16 MB, and with V8's default
 * semi-spaces (16 MB) most of it was copied by scavenges (70 ms median on the 1.33 MB file against
 * 19 with 64 MB, ../../../bench/README.md). Only this thread pays the memory for it.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

/** The analysis options the nginx mode takes from the settings. */
type AnalysisSettings = Parameters<ReturnType<typeof nginxMode>['configure']>[0];

/** What the main thread tells the worker, in order. */
type ToWorker =
  | { kind: 'configure'; analysis: AnalysisSettings; rules: RuleSettings }
  | { kind: 'candidates'; files: readonly string[]; kept: readonly string[] }
  | { kind: 'candidate'; file: string; kept: boolean }
  | { kind: 'text'; uri: string; file: string; text: string }
  | { kind: 'edits'; file: string; edits: TextDocumentContentChangeEvent[] }
  | { kind: 'closed'; file: string }
  | { kind: 'invalidate'; files: readonly string[] }
  | { kind: 'diagnose'; id: number; uri: string; warmUp?: typeof WARM_UP };

type FromWorker = { id: number; diagnostics: Diagnostic[]; costMs: number } | { id: number; error: string };

export interface Diagnosis {
  diagnostics: Diagnostic[];
  /** What the analysis cost, in ms (on the thread that made it). */
  costMs: number;
}

/** The worker's side: a NodeHost and an nginx mode, mirrored from the main thread's. */
export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) return;
  yieldToMainThread();
  const host = new NodeHost();
  const nginx = nginxMode(host);
  let rules: RuleSettings = {};
  /**
   * The open buffers, edited as the main thread's are: a keystroke sends its edits, not the text
   * (1.5 MB on 50,000 lines, and its line offsets computed anew for every analysis).
   */
  const buffers = new Map<string, PieceDocument>();
  const changed = (file: string, document: PieceDocument): void => {
    if (!host.overlay.has(file)) nginx.addCandidate(file);
    host.overlay.set(file, document);
    nginx.changed(file);
  };
  /** The warm-up under way: extra analyses of the first document (`spentMs`: what they took so far). */
  let warming: { document: PieceDocument; file: string; plan: typeof WARM_UP; runs: number; spentMs: number } | undefined;
  let warmTimer: NodeJS.Timeout | undefined;
  const warmAfter = (delayMs: number): void => {
    clearTimeout(warmTimer);
    warmTimer = warming ? setTimeout(warmOnce, delayMs) : undefined;
  };
  const warmOnce = (): void => {
    const w = warming;
    if (!w) return;
    const { plan } = w;
    if (w.runs >= plan.maxRuns || (w.runs >= plan.runs && w.spentMs >= plan.ms)) {
      warming = undefined;
      return;
    }
    w.runs++;
    const started = performance.now();
    try {
      nginx.changed(w.file);
      nginx.diagnose(w.document);
    } catch {
      // The document's own diagnoses report what fails; a warm-up only stops.
      warming = undefined;
      return;
    }
    w.spentMs += performance.now() - started;
    warmAfter(WARM_UP_GAP_MS);
  };
  port.on('message', (message: ToWorker) => {
    // Edits and requests go first: the warm-up waits until they stop for a while.
    warmAfter(WARM_UP_QUIET_MS);
    switch (message.kind) {
      case 'configure':
        rules = message.rules;
        nginx.configure(message.analysis);
        break;
      case 'candidates':
        nginx.setCandidates(message.files);
        for (const file of message.kept) nginx.addCandidate(file, true);
        break;
      case 'candidate':
        nginx.addCandidate(message.file, message.kept);
        break;
      case 'text': {
        const document = PieceDocument.create(message.uri, 'nginx', 0, message.text);
        buffers.set(message.file, document);
        changed(message.file, document);
        break;
      }
      case 'edits': {
        // The main thread sends edits only after the text (`send`), and ends a worker that fails.
        const document = buffers.get(message.file)!;
        document.update(message.edits, document.version + 1);
        changed(message.file, document);
        break;
      }
      case 'closed':
        if (warming?.file === message.file) warming = undefined;
        buffers.delete(message.file);
        host.overlay.delete(message.file);
        nginx.forget(message.file);
        break;
      case 'invalidate':
        for (const file of message.files) host.invalidate(file);
        nginx.invalidate();
        break;
      case 'diagnose': {
        try {
          const file = filePath(message.uri);
          const document = buffers.get(file) ?? PieceDocument.create(message.uri, 'nginx', 0, host.overlay.get(file)?.getText() ?? '');
          const started = performance.now();
          const diagnostics = toDiagnostics(nginx.diagnose(document), document, rules, true);
          port.postMessage({ id: message.id, diagnostics, costMs: performance.now() - started } satisfies FromWorker);
          // Then the same analysis again, so that V8 has optimised what it runs before the next keystroke;
          // not at once: a keystroke made as the first diagnostics appear would wait behind a run.
          if (message.warmUp) {
            warming = { document, file, plan: message.warmUp, runs: 0, spentMs: 0 };
            warmAfter(WARM_UP_QUIET_MS);
          }
        } catch (e) {
          port.postMessage({ id: message.id, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
        }
        break;
      }
    }
  });
}

/** The analysis thread's nice value: its analyses give way to the main thread's answers when cores are short. */
const ANALYSIS_THREAD_NICE = 5;

/**
 * Lowers this thread's scheduling priority (Linux, where nice is per thread: `/proc/thread-self` names
 * it). On 2 busy cores, a hover arriving while the thread analyses otherwise waited for a core: the
 * median hover right after a keystroke on 50,000 lines went from 7-8 ms to 3-7 ms with this, and the
 * keystroke's diagnostics did not slow. Elsewhere, or if the system refuses, the thread runs as it is.
 */
function yieldToMainThread(): void {
  try {
    const thread = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(thread) && thread > 0) os.setPriority(thread, ANALYSIS_THREAD_NICE);
  } catch {
    // Not Linux, or no /proc: the priority stays.
  }
}

/** True in the worker this module starts (./main.ts then runs `runAnalysisWorker` instead of a server). */
export const isAnalysisWorker = (): boolean => !isMainThread && (workerData as { nginxLsAnalysis?: boolean } | null)?.nginxLsAnalysis === true;

interface Waiting {
  promise: Promise<Diagnosis | undefined>;
  resolve(diagnosis: Diagnosis | undefined): void;
}

const waiting = (): Waiting => {
  let resolve!: (d: Diagnosis | undefined) => void;
  const promise = new Promise<Diagnosis | undefined>((r) => (resolve = r));
  return { promise, resolve };
};

/** The main thread's side. `bundle` is the script the worker runs (the server bundle, which branches on `isAnalysisWorker`). */
export class AnalysisThread {
  private worker: Worker | undefined;
  /** It failed once: the main thread analyses from then on. */
  private broken = false;
  private nextId = 1;
  private readonly replies = new Map<number, (reply: FromWorker) => void>();
  /** Per document, the diagnosis being made and the one asked for after it (made when the first is done, on the texts of then). */
  private readonly inProgress = new Map<string, { current: Waiting; next?: Waiting }>();
  /** The open documents analysed here (`analysedOnMainThread`). */
  private readonly expensive = new Set<string>();
  /** The open nginx buffers (file → URI), and those whose text the worker has. */
  private readonly buffers = new Map<string, string>();
  private readonly sent = new Set<string>();
  /** What the worker has not been sent of the open buffers: per file, its edits since, or its whole text (undefined). */
  private readonly unsent = new Map<string, TextDocumentContentChangeEvent[] | undefined>();
  private configuration: Extract<ToWorker, { kind: 'configure' }> | undefined;
  private candidates: { files: readonly string[]; kept: Set<string> } = { files: [], kept: new Set() };

  constructor(private readonly bundle: string, private readonly overlay: ReadonlyMap<string, OpenBuffer>, private readonly log: Log) {}

  /** Whether the worker is running (for the `nginx-ls/retained` debug request). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Whether the document has had an expensive analysis: it is analysed here from then on. */
  isExpensive(uri: string): boolean {
    return !this.broken && this.expensive.has(uri);
  }

  /** Whether the document is analysed here (from its first expensive analysis until it closes). */
  takes(uri: string): boolean {
    return this.worker !== undefined && !this.broken && this.expensive.has(uri);
  }

  /**
   * A document's analysis on the main thread cost `costMs`: an expensive one is analysed here from
   * now on (a document does not go back and forth: its analyses there would be cold, and its cache
   * stale), and the first starts the worker, which makes that analysis and then warms up on it.
   */
  analysedOnMainThread(uri: string, costMs: number): void {
    if (this.broken || costMs < OFF_THREAD_FROM_MS) return;
    this.expensive.add(uri);
    this.startOn(uri);
  }

  /**
   * A buffer long enough to analyse slowly opened (`LIKELY_EXPENSIVE_CHARS`): the worker starts now
   * and warms up on it while the main thread makes the first analysis, rather than after it. The
   * document itself moves to the worker only once that analysis proves expensive.
   */
  openedLarge(uri: string): void {
    if (!this.broken) this.startOn(uri);
  }

  /** Starts the worker, unless it runs: its first analysis is of `uri`, and it warms up on that document. */
  private startOn(uri: string): void {
    if (this.worker) return;
    this.start();
    void this.diagnose(uri, WARM_UP);
  }

  /** The diagnostics of an open document's buffer as it is now; undefined when the worker failed (analyse on the main thread). */
  diagnose(uri: string, warmUp?: typeof WARM_UP): Promise<Diagnosis | undefined> {
    const entry = this.inProgress.get(uri);
    if (entry) return (entry.next ??= waiting()).promise;
    const current = waiting();
    this.inProgress.set(uri, { current });
    this.send(uri, current, warmUp);
    return current.promise;
  }

  configure(analysis: AnalysisSettings, rules: RuleSettings): void {
    this.configuration = { kind: 'configure', analysis, rules };
    this.post(this.configuration);
  }

  setCandidates(files: readonly string[]): void {
    this.candidates = { files, kept: new Set() };
    this.post({ kind: 'candidates', files, kept: [] });
  }

  addCandidate(file: string, kept: boolean): void {
    if (kept) this.candidates.kept.add(file);
    this.post({ kind: 'candidate', file, kept });
  }

  /** An nginx buffer opened: its text goes to the worker before the worker's next analysis. */
  opened(uri: string, file: string): void {
    this.buffers.set(file, uri);
    this.sent.delete(file);
    this.unsent.set(file, undefined);
  }

  /** Edits of an open buffer, in the order the main thread applies them: sent before the worker's next analysis. */
  edited(uri: string, edits: readonly TextDocumentContentChangeEvent[]): void {
    const file = filePath(uri);
    if (!this.worker || this.buffers.get(file) !== uri) return;
    if (!this.sent.has(file)) return void this.unsent.set(file, undefined);
    const pending = this.unsent.has(file) ? this.unsent.get(file) : [];
    pending?.push(...edits);
    this.unsent.set(file, pending);
  }

  closed(uri: string, file: string): void {
    this.expensive.delete(uri);
    if (!this.buffers.delete(file)) return;
    this.sent.delete(file);
    this.unsent.delete(file);
    this.post({ kind: 'closed', file });
  }

  /** Files on disk changed (`files`), or the settings: the worker's analyses are made again. */
  invalidate(files: readonly string[]): void {
    this.post({ kind: 'invalidate', files });
  }

  /** Nothing is open: the worker ends, and all it held with it; the next expensive document starts another. */
  stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.removeAllListeners('exit');
    void worker.terminate();
    this.failPending();
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.bundle, {
        workerData: { nginxLsAnalysis: true },
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
        // Its output must not reach the parent's stdout, which carries the protocol under --stdio.
        stdout: true, stderr: true,
      });
    } catch (e) {
      // Node options a worker cannot take, or no threads at all: this thread analyses, as without a worker.
      this.log.error(`nginx-ls: the analysis thread cannot start (${(e as Error).message}); analysing on the main thread`);
      this.broken = true;
      return;
    }
    this.worker = worker;
    worker.stdout.pipe(process.stderr);
    worker.stderr.pipe(process.stderr);
    worker.unref();
    worker.on('message', (reply: FromWorker) => this.replies.get(reply.id)?.(reply));
    const fail = (why: string): void => {
      if (this.broken) return;
      this.log.error(`nginx-ls: the analysis thread ${why}; analysing on the main thread from now on`);
      this.broken = true;
      this.stop();
    };
    worker.on('error', (e) => fail(`failed: ${e.stack ?? e}`));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    if (this.configuration) this.post(this.configuration);
    this.post({ kind: 'candidates', files: this.candidates.files, kept: [...this.candidates.kept] });
    this.sent.clear();
    for (const file of this.buffers.keys()) this.unsent.set(file, undefined);
  }

  private send(uri: string, into: Waiting, warmUp?: typeof WARM_UP): void {
    const worker = this.worker;
    if (!worker) {
      into.resolve(undefined);
      return this.finish(uri, false);
    }
    for (const [file, edits] of this.unsent) {
      const uri = this.buffers.get(file);
      const buffer = this.overlay.get(file);
      if (edits) {
        worker.postMessage({ kind: 'edits', file, edits } satisfies ToWorker);
      } else if (uri !== undefined && buffer !== undefined) {
        // Read whole only here, once per buffer and worker: afterwards its edits are sent.
        worker.postMessage({ kind: 'text', uri, file, text: buffer.getText() } satisfies ToWorker);
        this.sent.add(file);
      }
    }
    this.unsent.clear();
    const id = this.nextId++;
    this.replies.set(id, (reply) => {
      this.replies.delete(id);
      if ('error' in reply) this.log.error(`nginx-ls: diagnostics failed on the analysis thread: ${reply.error}`);
      into.resolve('error' in reply ? undefined : reply);
      this.finish(uri, true);
    });
    worker.postMessage({ kind: 'diagnose', id, uri, warmUp } satisfies ToWorker);
  }

  /** A diagnosis of `uri` ended: the one asked for meanwhile starts, with the texts of now. */
  private finish(uri: string, workerAlive: boolean): void {
    const entry = this.inProgress.get(uri);
    if (!entry) return;
    if (!entry.next || !workerAlive) {
      this.inProgress.delete(uri);
      entry.next?.resolve(undefined);
      return;
    }
    const next = entry.next;
    this.inProgress.set(uri, { current: next });
    this.send(uri, next);
  }

  private failPending(): void {
    const entries = [...this.inProgress.values()];
    this.inProgress.clear();
    this.replies.clear();
    for (const e of entries) {
      e.current.resolve(undefined);
      e.next?.resolve(undefined);
    }
  }

  private post(message: ToWorker): void {
    try {
      this.worker?.postMessage(message);
    } catch (e) {
      // Settings a client sent that cannot be copied to another thread: this one analyses instead.
      this.log.error(`nginx-ls: the analysis thread cannot be sent a ${message.kind} message (${(e as Error).message}); `
        + 'analysing on the main thread from now on');
      this.broken = true;
      this.stop();
    }
  }
}
