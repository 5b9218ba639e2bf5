// A tiny LSP client over stdio, for tests: spawns a server, frames JSON-RPC with Content-Length,
// answers the server's requests, and lets a test wait for a message by predicate (event-driven,
// with a timeout; never a fixed sleep). No dependency beyond Node.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const DEFAULT_TIMEOUT = 5000;
const HEADER_END = Buffer.from('\r\n\r\n');

/** A JSON-RPC error response, thrown by `request`. */
export class ResponseError extends Error {
  constructor(method, error) {
    super(`${method}: ${error.message} (${error.code})`);
    this.code = error.code;
    this.data = error.data;
  }
}

/** `file://` URI of an absolute path. */
export const fileUri = (file) => pathToFileURL(file).href;

/**
 * One server process and its protocol state.
 *
 * @example
 *   const client = await LspClient.start('dist/server.js', { rootPath: dir });
 *   client.open(file, 'events {}\n');
 *   const pushed = await client.waitForNotification('textDocument/publishDiagnostics', (p) => p.uri === uri);
 *   await client.close();
 */
export class LspClient {
  /**
   * Spawns `node <serverJs> --stdio` and completes the initialize handshake.
   * Options: `capabilities` (ClientCapabilities), `rootPath` (an absolute folder, sent as rootUri and
   * workspaceFolders), `settings` (answered to workspace/configuration, by section),
   * `initializationOptions`, `args`, `env`, `nodeArgs` (V8 and Node options, before the script).
   */
  static async start(serverJs, options = {}) {
    const client = new LspClient(serverJs, options);
    try {
      await client.initialize();
    } catch (error) {
      // The caller never gets the client to close: a server left running would keep the test run alive.
      if (!client.exited) client.process.kill('SIGKILL');
      throw error;
    }
    return client;
  }

  constructor(serverJs, {
    capabilities = {}, rootPath, settings = {}, initializationOptions, args = ['--stdio'], env, nodeArgs = [],
  } = {}) {
    this.capabilities = capabilities;
    this.rootPath = rootPath;
    this.settings = settings;
    this.initializationOptions = initializationOptions;
    /** Every message received, in order: `{ seq, kind: 'request' | 'response' | 'notification', message }`. */
    this.received = [];
    /** Handlers for server→client requests by method; return a result or throw for an error response. */
    this.handlers = new Map([
      ['workspace/configuration', (params) => params.items.map((item) => this.configuration(item.section))],
      ['client/registerCapability', () => null],
      ['client/unregisterCapability', () => null],
      ['window/workDoneProgress/create', () => null],
      ['workspace/diagnostic/refresh', () => null],
      ['window/showMessageRequest', () => null],
    ]);
    this.stderr = '';
    this.versions = new Map();
    this.nextId = 1;
    this.pending = new Map();
    this.waiters = new Set();
    this.chunks = [];
    this.size = 0;
    this.bodyLength = undefined;
    this.exited = false;
    this.process = spawn(process.execPath, [...nodeArgs, serverJs, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    this.process.stdout.on('data', (chunk) => this.onData(chunk));
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (text) => { this.stderr += text; });
    this.process.stdin.on('error', () => undefined); // EPIPE after the server died: reported by 'exit'.
    this.exitPromise = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exited = true;
        this.exitStatus = { code, signal };
        const why = new Error(`server exited (code ${code}, signal ${signal})${this.stderrTail()}`);
        for (const { reject } of this.pending.values()) reject(why);
        this.pending.clear();
        for (const w of this.waiters) w.fail(why);
        resolve(this.exitStatus);
      });
    });
  }

  /** The value of a configuration section (`a.b` walks into nested objects), or null. */
  configuration(section) {
    if (!section) return this.settings;
    let value = this.settings;
    if (Object.hasOwn(value, section)) return value[section];
    for (const part of section.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return null;
      value = value[part];
    }
    return value;
  }

  async initialize() {
    const root = this.rootPath ? fileUri(this.rootPath) : null;
    this.initializeResult = await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'nginx-ls-test-client' },
      rootUri: root,
      workspaceFolders: root ? [{ uri: root, name: 'root' }] : null,
      capabilities: this.capabilities,
      initializationOptions: this.initializationOptions,
    });
    this.notify('initialized', {});
    return this.initializeResult;
  }

  // ---- framing ----

  send(message) {
    if (this.exited) throw new Error(`cannot send ${message.method ?? 'response'}: server has exited${this.stderrTail()}`);
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  // Chunks are kept in a list and joined only once a whole message is in: a multi-megabyte
  // message arriving in 64 KiB pieces must not be copied again for every piece.
  onData(chunk) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.bodyLength === undefined) {
        const buffer = this.joined();
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const header = buffer.subarray(0, end).toString('ascii');
        const match = /^content-length:\s*(\d+)\s*$/im.exec(header);
        if (!match) return this.protocolError(`no Content-Length in header ${JSON.stringify(header)}`);
        this.bodyLength = Number(match[1]);
        this.chunks = [buffer.subarray(end + HEADER_END.length)];
        this.size = this.chunks[0].length;
      }
      if (this.size < this.bodyLength) return;
      const buffer = this.joined();
      const body = buffer.subarray(0, this.bodyLength).toString('utf8');
      this.chunks = [buffer.subarray(this.bodyLength)];
      this.size = this.chunks[0].length;
      this.bodyLength = undefined;
      let message;
      try { message = JSON.parse(body); } catch { return this.protocolError(`invalid JSON body ${JSON.stringify(body.slice(0, 200))}`); }
      this.dispatch(message);
    }
  }

  joined() {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }

  /** The server broke the framing: nothing after can be trusted, so it is killed and every wait fails. */
  protocolError(what) {
    this.stderr += `\n[test client] LSP framing error: ${what}`;
    this.chunks = [];
    this.size = 0;
    this.process.kill('SIGKILL');
  }

  dispatch(message) {
    const isRequest = message.method !== undefined && message.id !== undefined;
    const kind = isRequest ? 'request' : message.method !== undefined ? 'notification' : 'response';
    const entry = { seq: this.received.length, kind, message };
    this.received.push(entry);
    if (kind === 'response') {
      const pending = this.pending.get(message.id);
      if (pending) {
        this.pending.delete(message.id);
        if (message.error) pending.reject(new ResponseError(pending.method, message.error));
        else pending.resolve(message.result ?? null);
      }
    } else if (kind === 'request') {
      this.answer(message);
    }
    for (const w of [...this.waiters]) w.check(entry);
  }

  answer(message) {
    const handler = this.handlers.get(message.method);
    if (!handler) {
      this.send({ id: message.id, error: { code: -32601, message: `test client: unhandled ${message.method}` } });
      return;
    }
    try {
      this.send({ id: message.id, result: handler(message.params) ?? null });
    } catch (e) {
      this.send({ id: message.id, error: { code: -32603, message: String(e?.message ?? e) } });
    }
  }

  stderrTail() {
    const tail = this.stderr.trim().split('\n').slice(-15).join('\n');
    return tail ? `\n--- server stderr (tail) ---\n${tail}` : '';
  }

  // ---- protocol ----

  /** Sends a request; resolves with its result, rejects with a ResponseError or on timeout/exit. */
  request(method, params, { timeout = DEFAULT_TIMEOUT } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} (#${id}): no response within ${timeout} ms${this.stderrTail()}`));
      }, timeout);
      const done = (fn) => (value) => { clearTimeout(timer); fn(value); };
      this.pending.set(id, { method, resolve: done(resolve), reject: done(reject) });
      this.send({ id, method, params });
    });
  }

  /** Like `request`, but resolves with `{ result }` or `{ error }` instead of rejecting on an error response. */
  async requestSettled(method, params, options) {
    try {
      return { result: await this.request(method, params, options) };
    } catch (e) {
      if (e instanceof ResponseError) return { error: { code: e.code, message: e.message } };
      throw e;
    }
  }

  notify(method, params) {
    this.send({ method, params });
  }

  /**
   * Resolves with the first received message of `kind` and `method` whose params satisfy `predicate`,
   * looking first at messages already received from `since` (a `received` index; default: all), then
   * at new ones. Rejects after `timeout` ms or when the server exits.
   */
  waitFor(kind, method, predicate = () => true, { timeout = DEFAULT_TIMEOUT, since = 0 } = {}) {
    const matches = (e) => e.kind === kind && e.message.method === method && predicate(e.message.params, e);
    const earlier = this.received.slice(since).find(matches);
    if (earlier) return Promise.resolve(earlier.message.params);
    if (this.exited) return Promise.reject(new Error(`server exited before ${method} arrived${this.stderrTail()}`));
    return new Promise((resolve, reject) => {
      const waiter = {
        check: (e) => { if (matches(e)) { finish(); resolve(e.message.params); } },
        fail: (err) => { finish(); reject(err); },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${kind} ${method} matching the predicate within ${timeout} ms${this.stderrTail()}`));
      }, timeout);
      const finish = () => { clearTimeout(timer); this.waiters.delete(waiter); };
      this.waiters.add(waiter);
    });
  }

  waitForNotification(method, predicate, options) {
    return this.waitFor('notification', method, predicate, options);
  }

  waitForServerRequest(method, predicate, options) {
    return this.waitFor('request', method, predicate, options);
  }

  /** The params of every received notification `method`, optionally filtered. */
  notifications(method, predicate = () => true) {
    return this.received.filter((e) => e.kind === 'notification' && e.message.method === method && predicate(e.message.params))
      .map((e) => e.message.params);
  }

  /** Index of the next message to be received: pass as `since` to ignore what came before. */
  get mark() {
    return this.received.length;
  }

  // ---- documents ----

  /** didOpen of an absolute path (or a URI) with `text`; returns the URI. */
  open(fileOrUri, text, { languageId = 'nginx', version = 1 } = {}) {
    const uri = fileOrUri.includes('://') ? fileOrUri : fileUri(fileOrUri);
    this.versions.set(uri, version);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  /** didChange with the given content changes (full `{text}` or incremental `{range, text}`); returns the new version. */
  change(uri, contentChanges) {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    return version;
  }

  closeDocument(uri) {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** shutdown, then exit; kills the process if it has not exited within `timeout` ms. Never rejects. */
  async close({ timeout = 3000 } = {}) {
    if (!this.exited) {
      try {
        await this.request('shutdown', null, { timeout });
        this.notify('exit');
      } catch {
        // Dead or hung: the kill below deals with it.
      }
    }
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeout); });
    const outcome = await Promise.race([this.exitPromise, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout' && !this.exited) {
      this.process.kill('SIGKILL');
      await this.exitPromise;
    }
    return this.exitStatus;
  }
}
