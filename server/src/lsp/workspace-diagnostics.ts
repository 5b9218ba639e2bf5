/**
 * Workspace diagnostics: the problems of every nginx configuration and Ingress manifest of the
 * workspace, open or not, checked in the background after start and again after each change.
 *
 * Clients that pull (LSP 3.17 `workspace/diagnostic`) get them from `pull`: vscode-languageclient 9
 * sends that request once the server declares `workspaceDiagnostics`, and sends it again two seconds
 * after each answer (a `workspace/diagnostic/refresh` re-pulls only open documents). So an answer
 * with nothing new is held until a later pass has something new (a long poll): the client does not
 * spin, and a change on disk reaches it when the pass that follows it ends. Other clients get
 * `textDocument/publishDiagnostics` for the files that are not open.
 *
 * The pass checks one file per turn of the event loop (setImmediate), so a request about the open
 * document waits for one file's check at most, and any change starts the pass over. Open documents
 * are never reported here: their diagnostics come from the open buffer, by document pull or push.
 * Each file's analysis goes through the language modes' caches, so the files of one configuration
 * share its single analysis.
 */
import { pathToFileURL } from 'node:url';
import {
  CancellationToken, Diagnostic, DocumentDiagnosticReportKind, WorkDoneProgressServerReporter, WorkspaceDiagnosticParams,
  WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { localPath } from './convert';
import type { Log } from './runner';

export interface WorkspaceDiagnosticsSettings {
  enabled: boolean;
  /** Most files checked in the background; the first ones by path, so the choice does not change from run to run. */
  maxFiles: number;
}

export const DEFAULT_WORKSPACE_DIAGNOSTICS: WorkspaceDiagnosticsSettings = { enabled: true, maxFiles: 2000 };

export interface WorkspaceDiagnosticsHost {
  /** The diagnostics of a file as it is on disk; undefined when it gets none (not nginx, YAML without an Ingress, unreadable). */
  diagnose(file: string): Diagnostic[] | undefined;
  /** Whether the editor has the file open (its diagnostics then come from the buffer). */
  isOpen(file: string): boolean;
  /** Publishes a closed file's diagnostics to a client that does not pull (a no-op for the others). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** A progress reporter for a pass; undefined when the client shows no server-initiated progress. */
  createProgress(): Promise<WorkDoneProgressServerReporter> | undefined;
  log: Log;
}

/** What a file was last reported with: the client holds these diagnostics under `resultId`. */
interface Report {
  diagnostics: Diagnostic[];
  json: string;
  resultId: string;
}

/** Lets the event loop run whatever is waiting (incoming requests first) before the pass goes on. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class WorkspaceDiagnostics {
  private settings = DEFAULT_WORKSPACE_DIAGNOSTICS;
  /** Every workspace file that may get diagnostics, sorted by path; a pass checks the first `maxFiles`. */
  private files: string[] = [];
  private readonly reports = new Map<string, Report>();
  /** Result ids of an earlier server process must never match ours. */
  private readonly idPrefix = `${process.pid.toString(36)}.${Date.now().toString(36)}.`;
  private nextId = 1;
  /** Bumped by every change; a pass that sees a newer generation stops. */
  private generation = 0;
  private running = false;
  private runAgain = false;
  private complete = false;
  private timer: NodeJS.Timeout | undefined;
  /** Pull requests waiting for a pass to end. */
  private waiters = new Set<() => void>();
  private progress: WorkDoneProgressServerReporter | undefined;
  /** Only the first check of the workspace shows progress: the passes after each edit would flash it. */
  private progressShown = false;
  /** No pass runs before the settings are in: they may turn the check off or bound it. */
  private started = false;

  constructor(private readonly host: WorkspaceDiagnosticsHost) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  configure(settings: WorkspaceDiagnosticsSettings): void {
    this.settings = settings;
  }

  /** The workspace files (nginx candidates and YAML files) found under the roots. */
  setFiles(files: readonly string[]): void {
    this.files = [...new Set(files)].sort();
  }

  /** A file appeared on disk. */
  added(file: string): void {
    if (this.files.includes(file)) return;
    this.files.push(file);
    this.files.sort();
  }

  /** A file left the disk: its problems are cleared by the next pass. */
  removed(file: string): void {
    this.files = this.files.filter((f) => f !== file);
  }

  /** The document is open: its diagnostics now come from the buffer, and after closing it is reported afresh. */
  opened(file: string): void {
    this.reports.delete(file);
  }

  /** The settings are in (or will not come): the first pass starts. */
  start(): void {
    this.started = true;
    this.restart();
  }

  /**
   * Something changed: the pass starts over after `delay` ms (edits are debounced so that typing
   * does not restart it on every key).
   */
  restart(delay = 0): void {
    this.generation++;
    this.complete = false;
    clearTimeout(this.timer);
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /**
   * The diagnostics of a file that is not open, as the workspace check sees it: for a document pull
   * that comes after the document was closed, so that its problems do not blink out. Undefined when
   * the workspace check does not cover it.
   */
  diagnoseClosed(uri: string): Diagnostic[] | undefined {
    const file = localPath(uri);
    if (!this.settings.enabled || file === undefined) return undefined;
    return this.checked().includes(file) ? this.host.diagnose(file) ?? [] : undefined;
  }

  /**
   * Answers `workspace/diagnostic`: full reports for files whose diagnostics differ from the result
   * ids the client holds, unchanged reports for the rest, empty ones for files it holds that have
   * no report any more. Waits for the running pass; held while there is nothing new.
   */
  async pull(params: WorkspaceDiagnosticParams, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const previous = new Map<string, string>();
    for (const { uri, value } of params.previousResultIds) {
      const file = localPath(uri);
      if (file !== undefined) previous.set(file, value);
    }
    if (!this.settings.enabled) return { items: this.answer(previous) };
    while (!this.complete && !token.isCancellationRequested) await this.passEnd(token);
    let items = this.answer(previous);
    while (!items.some((i) => i.kind === DocumentDiagnosticReportKind.Full) && this.settings.enabled && !token.isCancellationRequested) {
      await this.passEnd(token);
      if (this.complete) items = this.answer(previous);
    }
    return { items };
  }

  private answer(previous: ReadonlyMap<string, string>): WorkspaceDocumentDiagnosticReport[] {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    // Turned off: whatever the client still holds is cleared, and nothing else is said.
    const reports = this.settings.enabled ? this.reports : new Map<string, Report>();
    for (const [file, report] of reports) {
      if (this.host.isOpen(file)) continue;
      const held = previous.get(file);
      const uri = pathToFileURL(file).href;
      if (held === report.resultId) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: held });
      else if (report.diagnostics.length > 0 || held !== undefined) {
        items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: report.resultId, items: report.diagnostics });
      }
    }
    for (const file of previous.keys()) {
      if (reports.has(file) || this.host.isOpen(file)) continue;
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri: pathToFileURL(file).href, version: null, items: [] });
    }
    return items;
  }

  /** Resolves when a pass ends or the request is cancelled. */
  private passEnd(token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        cancelled.dispose();
        resolve();
      };
      const cancelled = token.onCancellationRequested(done);
      this.waiters.add(done);
    });
  }

  /** The files a pass checks: the first `maxFiles` by path, none when off. */
  private checked(): string[] {
    return this.settings.enabled ? this.files.slice(0, Math.max(0, this.settings.maxFiles)) : [];
  }

  private async run(): Promise<void> {
    if (this.running) {
      // The running pass sees the newer generation and stops; this one starts when it has.
      this.runAgain = true;
      return;
    }
    this.running = true;
    try {
      await this.pass(this.generation);
    } catch (e) {
      this.host.log.error(`nginx-ls: workspace diagnostics failed: ${(e as Error).stack}`);
    } finally {
      this.running = false;
    }
    if (this.runAgain) {
      this.runAgain = false;
      void this.run();
    }
  }

  private async pass(generation: number): Promise<void> {
    const files = this.checked();
    const stale = (): boolean => generation !== this.generation;
    await this.beginProgress(files.length);
    const covered = new Set<string>();
    for (let i = 0; i < files.length; i++) {
      await nextTurn();
      if (stale()) return;
      const file = files[i];
      covered.add(file);
      if (this.host.isOpen(file)) continue;
      let diagnostics: Diagnostic[] | undefined;
      try {
        diagnostics = this.host.diagnose(file);
      } catch (e) {
        this.host.log.error(`nginx-ls: workspace diagnostics of ${file} failed: ${(e as Error).stack}`);
      }
      this.update(file, diagnostics ?? []);
      if (i % 50 === 49) this.progress?.report(Math.floor((100 * (i + 1)) / files.length), `${i + 1}/${files.length} files`);
    }
    // Files deleted, beyond the bound, or all of them when the check was turned off.
    for (const file of [...this.reports.keys()]) if (!covered.has(file) && !this.host.isOpen(file)) this.update(file, []);
    this.complete = true;
    this.progress?.done();
    this.progress = undefined;
    for (const wake of [...this.waiters]) wake();
  }

  private async beginProgress(total: number): Promise<void> {
    if (this.progress || this.progressShown || total === 0) return;
    this.progressShown = true;
    try {
      const created = this.host.createProgress();
      if (!created) return;
      this.progress = await created;
      this.progress.begin('nginx-ls: checking the workspace', 0, `${total} files`, false);
    } catch {
      // The client refused the progress token: the check runs without one.
    }
  }

  /** Records a file's diagnostics; a change gets a new result id, and push clients get it published. */
  private update(file: string, diagnostics: Diagnostic[]): void {
    const json = JSON.stringify(diagnostics);
    const old = this.reports.get(file);
    if (old ? old.json === json : diagnostics.length === 0) return;
    this.reports.set(file, { diagnostics, json, resultId: `${this.idPrefix}${this.nextId++}` });
    this.host.publish(pathToFileURL(file).href, diagnostics);
  }
}
