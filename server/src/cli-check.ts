/**
 * `nginx-ls check` over nginx files: on one thread (`check`), or spread over this thread and worker
 * threads (`CheckThreads`, `--jobs N`) with the same reports in the same order.
 *
 * On one thread each file is reported once, from the analysis of the configuration it belongs to:
 * the first main config (in path order) whose includes reach it, or its own when none does. The
 * threads compute the same analyses and the caller replays the one-thread loop over their reports:
 * 1. the candidate files, in runs of neighbouring paths (a main config and its includes tend to share
 *    a folder, so a thread parses each file once), are parsed; the main configs are analysed;
 * 2. the owner of each file is decided as `ConfigWorkspace` decides it, from the main configs'
 *    placements in path order; the files no main config reaches are analysed on their own;
 * 3. the loop of `check` runs over the reports.
 * One thing only the one-thread loop does: a file no candidate includes makes the workspace look for
 * an nginx.conf above it and add it as a candidate. When any such file has one, the threads' work is
 * dropped and the check runs on one thread.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { type FileReport, type OutputFormat, type ReportPart, reportPart, writeFully } from './cli-output';
import { NodeHost } from './node-host';
import { type ConfigAnalysis, ConfigWorkspace, MAX_CONFIG_BYTES, type ReadResult, type RuleSettings, type WorkspaceOptions } from './service/nginx';
import { toDiagnostics } from './lsp/convert';

/** What one analysis reports: the configuration it is of, and each file's part of the output, in the analysis's order of files. */
interface AnalysisReport {
  main: string;
  /** For main configs: the files their includes reach (`ConfigAnalysis.placements`), which decide owners. */
  placements?: string[];
  parts: ReportPart[];
  /**
   * For the files a main config's placements leave out and every file of a standalone analysis: the
   * nginx.conf files above it (`ConfigWorkspace.mainsAbove` with no candidates), looked for in the
   * thread that analysed it.
   */
  above?: Record<string, string[]>;
}

/** `named`: the paths named on the command line (the other files of the batches were found by a folder walk). */
type WorkerData = { settings: WorkspaceOptions; format: OutputFormat; named: string[] };
type WorkerRequest = { kind: 'mains' | 'standalone'; batch: number; files: string[] };
type WorkerAnswer = { batch: number; analyses: AnalysisReport[] };

/** Fewer files than this per thread and the threads' start (each compiles and warms up the bundle) costs more than it saves. */
const MIN_FILES_PER_WORKER = 50;
/** Files a thread takes at a time: small enough to balance the load, large enough to keep a folder together. */
const BATCH_FILES = 64;

/**
 * The file system as one check reads it: each file once. The workspace parses a candidate to see
 * whether it is a main config and the loader reads it again; the same text object the second time
 * also makes the parse cache's text comparison instant.
 *
 * A thread of the pipeline (`BatchChecker`) keeps only what the last two batches read (`nextBatch`):
 * texts and parses kept for the whole check survive every young-generation GC and are copied by
 * each, which cost a tenth of a check of 10,000 files.
 */
export class CheckHost extends NodeHost {
  private reads = new Map<string, ReadResult>();
  private lastBatch = new Map<string, ReadResult>();
  /** Whether a path is a file, for `findUpward`: the files of a folder share the folders above them. */
  private readonly isFileCache = new Map<string, boolean>();

  /**
   * @param walked whether a folder walk found `file` as a regular file (a candidate not named on the
   * command line): such a file is read with no stat first.
   * @param listings what the walk found in each folder it listed (`findConfigFiles`).
   */
  constructor(private readonly walked: (file: string) => boolean = () => false,
    private readonly listings: ReadonlyMap<string, fs.Dirent[]> = new Map()) {
    super();
  }

  /** A folder the walk listed is not listed again: the check reads the tree as it was a moment ago. */
  protected override listFolder(folder: string): readonly fs.Dirent[] | undefined {
    return this.listings.get(folder) ?? super.listFolder(folder);
  }

  override readConfig(file: string): ReadResult {
    let read = this.reads.get(file) ?? this.lastBatch.get(file);
    if (!read) {
      const text = this.walked(file) ? readWithoutStat(file, MAX_CONFIG_BYTES) : undefined;
      read = text === undefined ? super.readConfig(file) : { kind: 'text', text };
    }
    this.reads.set(file, read);
    return read;
  }

  protected override isFileOrOpen(file: string): boolean {
    let found = this.isFileCache.get(file);
    if (found === undefined) this.isFileCache.set(file, (found = super.isFileOrOpen(file)));
    return found;
  }

  /** Starts a batch: what neither this batch nor the last reads is read again if asked for. */
  nextBatch(): void {
    this.lastBatch = this.reads;
    this.reads = new Map();
  }

  /** Whether the last batch read `file` (after `nextBatch`: the batch before). */
  readLately(file: string): boolean {
    return this.reads.has(file) || this.lastBatch.has(file);
  }
}

let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The text of a file a folder walk found regular, read with no stat first (a stat costs half a read of
 * a small config: a tenth of a check of many files); undefined when it is empty, larger than `cap` or
 * unreadable, which the stat-first read (`NodeHost.readConfig`) then tells apart. Opened non-blocking:
 * should the file have become a FIFO since the walk, the open does not wait for a writer.
 */
function readWithoutStat(file: string, cap: number): string | undefined {
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK); } catch { return undefined; }
  let length = 0;
  try {
    for (;;) {
      const read = fs.readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > cap) return undefined;
      if (length === readBuffer.length) {
        // At most a byte over the cap: enough to tell the file is too large.
        const larger = Buffer.allocUnsafe(Math.min(readBuffer.length * 2, cap + 1));
        readBuffer.copy(larger, 0, 0, length);
        readBuffer = larger;
      }
    }
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
  return length === 0 ? undefined : readBuffer.toString('utf8', 0, length);
}

/** What `analysis` finds in `file`, one of the files it covers. */
function fileReport(analysis: ConfigAnalysis, file: string, rules: RuleSettings): FileReport {
  const document = lineIndexedDocument(`file://${file}`, analysis.files.get(file)!.text);
  return {
    file, diagnostics: toDiagnostics(analysis.findings.filter((f) => f.file === file), document, rules),
    suppressed: analysis.suppressed.filter((f) => f.file === file).length,
  };
}

/** A report for each file an analysis covers, in the order of `analysis.files`. */
function fileReports(analysis: ConfigAnalysis, rules: RuleSettings): FileReport[] {
  return [...analysis.files.keys()].map((file) => fileReport(analysis, file, rules));
}

/**
 * Diagnoses every file given, and every file their configurations include; each file is reported
 * once, from the analysis of the configuration it belongs to. `named`: the paths named on the command
 * line; the other files given were found by a folder walk, as regular files (read with no stat first),
 * which listed the folders in `listings`.
 */
export function check(files: readonly string[], settings: WorkspaceOptions, named?: ReadonlySet<string>,
  listings?: ReadonlyMap<string, fs.Dirent[]>): FileReport[] {
  const given = new Set(files);
  const workspace = new ConfigWorkspace(new CheckHost(named ? (file) => given.has(file) && !named.has(file) : undefined, listings));
  workspace.settings = settings;
  workspace.setCandidates(files);
  const reports = new Map<string, FileReport>();
  for (const file of [...given].sort()) {
    if (reports.has(file)) continue;
    const analysis = workspace.analysisFor(file);
    for (const [covered] of analysis.files) {
      if (reports.has(covered) || (covered !== file && workspace.mainOf(covered) !== analysis.main && given.has(covered))) continue;
      reports.set(covered, fileReport(analysis, covered, settings.rules ?? {}));
    }
  }
  return [...reports.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * `check` spread over threads: `jobs` of them (by default one per core), this one among them, fewer
 * when the files are few (`MIN_FILES_PER_WORKER` each). The worker threads are started by `found`, as
 * soon as the files found are enough for two, so that they load while the folders are still walked.
 * With one thread (`--jobs 1`, one core) the same batches run on this thread alone: unlike `check`,
 * which keeps every analysis until the end, each batch's analyses are dropped once reported.
 */
export class CheckThreads {
  private pool: WorkerPool | undefined;

  /** `named` and `listings` (filled by the walk, read by this thread's checks): as `check`'s. */
  constructor(private readonly jobs: number | undefined, private readonly settings: WorkspaceOptions,
    private readonly format: OutputFormat, private readonly named: ReadonlySet<string>,
    private readonly listings: ReadonlyMap<string, fs.Dirent[]> = new Map()) {}

  /** Called with the number of nginx files found so far. */
  found(count: number): void {
    if (!this.pool && count >= 2 * MIN_FILES_PER_WORKER && this.threadsFor(count) >= 2) {
      this.pool = new WorkerPool(this.threadsFor(Infinity), { settings: this.settings, format: this.format, named: [...this.named] }, this.listings);
    }
  }

  /**
   * The same parts `check` gives, or undefined when the files are too few for two threads or only the
   * one-thread loop can tell who owns what (see above).
   */
  async check(files: readonly string[]): Promise<ReportPart[] | undefined> {
    const candidates = [...new Set(files)].sort();
    if (candidates.length < 2 * MIN_FILES_PER_WORKER) {
      await this.close();
      return undefined;
    }
    const threads = Math.max(1, this.threadsFor(candidates.length));
    this.found(candidates.length);
    const pool = this.pool ??= new WorkerPool(1, { settings: this.settings, format: this.format, named: [...this.named] }, this.listings);
    try {
      pool.keep(threads);
      return await replayOverThreads(candidates, pool);
    } catch (error) {
      // The threads are a speed-up only: whatever stops one, the same check runs on this thread.
      const reason = error instanceof Error ? error.message : String(error);
      writeFully(2, `nginx-ls: check threads failed (${reason}); checking on one thread\n`);
      return undefined;
    } finally {
      await pool.close();
    }
  }

  /** Stops the worker threads, if any were started (a check that ends early). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  private threadsFor(count: number): number {
    if (this.jobs === 1) return 1;
    const most = Math.floor(count / MIN_FILES_PER_WORKER);
    return most < 2 ? most : Math.min(this.jobs ?? defaultJobs(), most);
  }
}

/**
 * One thread per core but one: a check's thread keeps more than one core busy by itself (V8 compiles
 * and collects garbage beside it), so a thread on every core made a 10,000-file check on 2 cores slower
 * than one thread (bench section 6: 0.8x).
 */
function defaultJobs(): number {
  return Math.max(1, (require('node:os') as typeof import('node:os')).availableParallelism() - 1);
}

/** Steps 1 to 3 above. */
async function replayOverThreads(candidates: readonly string[], pool: WorkerPool): Promise<ReportPart[] | undefined> {
  const mains = await pool.run('mains', candidates);
  // As ConfigWorkspace.buildOwners: main configs in path order, the first to reach a file owns it.
  const owners = new Map<string, string>();
  for (const analysis of mains) {
    owners.set(analysis.main, analysis.main);
    for (const file of analysis.placements ?? []) if (!owners.has(file)) owners.set(file, analysis.main);
  }
  const alone = candidates.filter((file) => !owners.has(file));
  const analyses = new Map([...mains, ...await pool.run('standalone', alone)].map((a) => [a.main, a]));
  // The files whose main config the one-thread loop would look for above them.
  const given = new Set(candidates);
  const unowned = new Map(alone.map((file) => [file, analyses.get(file)!.above?.[file]]));
  for (const analysis of analyses.values()) {
    for (const part of analysis.parts) if (!owners.has(part.file)) unowned.set(part.file, analysis.above?.[part.file]);
  }
  const here = new ConfigWorkspace(new NodeHost());
  for (const [file, above] of unowned) if ((above ?? here.mainsAbove(file)).some((found) => !given.has(found))) return undefined;

  const parts = new Map<string, ReportPart>();
  for (const file of candidates) {
    if (parts.has(file)) continue;
    const analysis = analyses.get(owners.get(file) ?? file)!;
    for (const part of analysis.parts) {
      const covered = part.file;
      if (parts.has(covered) || (covered !== file && owners.get(covered) !== analysis.main && given.has(covered))) continue;
      parts.set(covered, part);
    }
  }
  return [...parts.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/** The argument a check thread is started with (dist/cli.js tells threads from the process by it). */
export const CHECK_THREAD_ARGUMENT = '--nginx-ls-check-thread';

/** Whether this is a thread of `checkInParallel`; asked without loading node:worker_threads. */
export function isCheckThread(): boolean {
  return process.argv[2] === CHECK_THREAD_ARGUMENT;
}

/** node:worker_threads loads two dozen modules of Node's own (streams, messaging): only where threads are used. */
function workerThreads(): typeof WorkerThreads {
  return require('node:worker_threads') as typeof WorkerThreads;
}

/** What a check thread is to the pool: a worker thread, or this thread (`InlineThread`). */
type CheckThread = EventEmitter & { postMessage(request: WorkerRequest): void; terminate(): Promise<unknown> };

/**
 * This thread as one of the pool's: batches are checked between the worker threads' messages, so a
 * check with N jobs starts N - 1 workers (each costs a start and a warm-up of its own).
 */
class InlineThread extends EventEmitter {
  private readonly checker: BatchChecker;

  constructor(data: WorkerData, listings: ReadonlyMap<string, fs.Dirent[]>) {
    super();
    this.checker = new BatchChecker(data, listings);
  }

  postMessage(request: WorkerRequest): void {
    setImmediate(() => {
      let answer: WorkerAnswer;
      try {
        answer = this.checker.answer(request);
      } catch (error) {
        this.emit('error', error);
        return;
      }
      this.emit('message', answer);
    });
  }

  async terminate(): Promise<void> {
    this.removeAllListeners();
  }
}

/** This thread and worker threads running `runCheckWorker`, each handed the next batch of files when it answers one. */
class WorkerPool {
  private readonly workers: CheckThread[];

  /** `listings`: the walk's, for this thread (the worker threads list folders themselves). */
  constructor(size: number, workerData: WorkerData, listings: ReadonlyMap<string, fs.Dirent[]>) {
    this.workers = [new InlineThread(workerData, listings)];
    // dist/cli.js, the loader beside this bundle: the threads use its code cache too.
    const entry = path.join(__dirname, 'cli.js');
    const { Worker } = workerThreads();
    for (let i = 1; i < size; i++) this.workers.push(new Worker(entry, { argv: [CHECK_THREAD_ARGUMENT], workerData }));
  }

  /** Stops the threads beyond the first `count`. */
  keep(count: number): void {
    for (const extra of this.workers.splice(count)) void extra.terminate();
  }

  /**
   * The analyses of every batch of `files`, in the order of the files. Each thread holds two batches,
   * so that it has the next at hand while this thread takes in the answer to the last.
   */
  run(kind: WorkerRequest['kind'], files: readonly string[]): Promise<AnalysisReport[]> {
    const batches: string[][] = [];
    const size = Math.max(1, Math.min(BATCH_FILES, Math.ceil(files.length / (this.workers.length * 4))));
    for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
    const answers: AnalysisReport[][] = new Array(batches.length);
    let sent = 0;
    let received = 0;
    return new Promise((resolve, reject) => {
      const stopped = (error: unknown): void => {
        done();
        reject(error instanceof Error ? error : new Error(`check thread stopped (${String(error)})`));
      };
      const send = (worker: CheckThread): void => {
        if (sent < batches.length) worker.postMessage({ kind, batch: sent, files: batches[sent++] } satisfies WorkerRequest);
      };
      const listeners = this.workers.map((worker) => {
        const answered = ({ batch, analyses }: WorkerAnswer): void => {
          answers[batch] = analyses;
          if (++received === batches.length) {
            done();
            resolve(answers.flat());
          } else {
            send(worker);
          }
        };
        worker.on('message', answered).on('error', stopped).on('exit', stopped);
        return { worker, answered };
      });
      const done = (): void => {
        for (const { worker, answered } of listeners) worker.off('message', answered).off('error', stopped).off('exit', stopped);
      };
      if (batches.length === 0) {
        done();
        resolve([]);
        return;
      }
      for (let round = 0; round < 2; round++) for (const worker of this.workers) send(worker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Checks batches of files in one thread: the analyses of the files it is sent, each file's part of the
 * output made here. Parsed files are kept from batch to batch (the next batch may hold the main
 * config that includes them); analyses are dropped once reported.
 */
class BatchChecker {
  private readonly host: CheckHost;
  private readonly workspace: ConfigWorkspace;
  private readonly rules: RuleSettings;
  private readonly format: OutputFormat;
  /** The files of the batch being checked: candidates, found by a folder walk unless named. */
  private batchFiles = new Set<string>();

  constructor({ settings, format, named }: WorkerData, listings?: ReadonlyMap<string, fs.Dirent[]>) {
    const namedFiles = new Set(named);
    this.host = new CheckHost((file) => this.batchFiles.has(file) && !namedFiles.has(file), listings);
    this.workspace = new ConfigWorkspace(this.host);
    this.workspace.settings = settings;
    this.rules = settings.rules ?? {};
    this.format = format;
  }

  answer({ kind, batch, files }: WorkerRequest): WorkerAnswer {
    this.host.nextBatch();
    this.batchFiles = new Set(files);
    const analyses: AnalysisReport[] = [];
    for (const file of files) {
      if (kind === 'standalone') {
        const analysis = this.workspace.standaloneAnalysis(file);
        analyses.push({ main: file, parts: this.partsOf(analysis), above: this.above([file, ...analysis.files.keys()]) });
      } else if (this.workspace.isMainConfig(file)) {
        const analysis = this.workspace.analysisOfMain(file);
        const left = [...analysis.files.keys()].filter((f) => !analysis.placements.has(f));
        analyses.push({
          main: file, placements: [...analysis.placements.keys()], parts: this.partsOf(analysis),
          ...(left.length ? { above: this.above(left) } : {}),
        });
      }
    }
    this.workspace.invalidate();
    // The parses the next batch may reuse: those of the files this batch or the last read.
    for (const file of this.workspace.cache.keys()) if (!this.host.readLately(file)) this.workspace.cache.delete(file);
    return { batch, analyses };
  }

  private above(files: Iterable<string>): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const file of files) found[file] = this.workspace.mainsAbove(file);
    return found;
  }

  private partsOf(analysis: ConfigAnalysis): ReportPart[] {
    return fileReports(analysis, this.rules).map((r) => reportPart(r, this.format));
  }
}

/** The body of a worker thread: batches checked as they come. */
export function runCheckWorker(): void {
  const { parentPort, workerData } = workerThreads();
  if (!parentPort) {
    process.stderr.write(`${CHECK_THREAD_ARGUMENT} is for the threads nginx-ls check starts\n`);
    process.exitCode = 2;
    return;
  }
  const checker = new BatchChecker(workerData as WorkerData);
  parentPort.on('message', (request: WorkerRequest) => parentPort.postMessage(checker.answer(request) satisfies WorkerAnswer));
}

/**
 * A document that converts offsets as `TextDocument` does (lines end at \r\n, \n or \r; an offset
 * inside a line break is placed at its start), with its line starts found by `indexOf` (a regular
 * expression where the text has a \r) and only as far as the offsets asked for: `TextDocument` finds
 * all of them a character at a time, which a run of the CLI pays on cold code (10 ms for a 1.3 MB file
 * with one finding near its top). The CLI only converts offsets to positions.
 */
function lineIndexedDocument(uri: string, text: string): TextDocument {
  const starts = [0];
  // Every line start up to here is in `starts`; it is itself a line start (or the end of the text).
  let scanned = 0;
  const carriageReturns = text.includes('\r');
  const breaks = /\r\n?|\n/g;
  /** The line starts up to `offset`, and the first after it when there is one. */
  const startsThrough = (offset: number): number[] => {
    while (scanned < text.length && starts[starts.length - 1] <= offset) {
      let next = -1;
      if (!carriageReturns) {
        const at = text.indexOf('\n', scanned);
        if (at >= 0) next = at + 1;
      } else {
        breaks.lastIndex = scanned;
        const m = breaks.exec(text);
        if (m) next = m.index + m[0].length;
      }
      if (next < 0) {
        scanned = text.length;
        break;
      }
      starts.push(next);
      scanned = next;
    }
    return starts;
  };
  const positionAt = (at: number): Position => {
    const offset = Math.max(Math.min(at, text.length), 0);
    const lines = startsThrough(offset);
    let low = 0, high = lines.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lines[mid] > offset) high = mid; else low = mid + 1;
    }
    const line = low - 1;
    let before = offset;
    while (before > lines[line] && (text.charCodeAt(before - 1) === 13 || text.charCodeAt(before - 1) === 10)) before--;
    return { line, character: before - lines[line] };
  };
  const unsupported = (): never => { throw new Error('not needed by the CLI'); };
  return {
    uri, languageId: 'nginx', version: 0, get lineCount() { return startsThrough(Infinity).length; },
    getText: () => text, positionAt, offsetAt: unsupported, getLineRange: unsupported, getEOLCharacters: unsupported,
  };
}
