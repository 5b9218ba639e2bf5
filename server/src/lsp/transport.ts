/**
 * The server's end of the wire, and the protocol rules vscode-languageserver leaves to the server.
 *
 * - A broken frame (a header without a numeric Content-Length, a Content-Length longer than its
 *   message, so that the next header lands in a body) leaves no way to find where the next message
 *   starts: the process exits with code 1 and a line on stderr, and the client starts a new server
 *   (otherwise it would wait forever on a server that reads everything as one broken message).
 * - A body that is not JSON: -32700 with id null; a JSON value that is no JSON-RPC message: -32600.
 * - Before `initialize`, requests get -32002 and notifications are dropped (`exit` aside); after
 *   `shutdown`, requests get -32600 and notifications are dropped (`exit` aside).
 * - A request with a position whose line or character is not an integer gets -32602: offsets made
 *   from one would become ranges with `null` in them. (Negative and past-the-end ones are clamped.)
 */
import {
  ErrorCodes, Event, IPCMessageReader, IPCMessageWriter, Message, MessageReader, MessageWriter, StreamMessageReader,
  StreamMessageWriter, createServerPipeTransport, createServerSocketTransport,
} from 'vscode-languageserver/node';
import type { DataCallback, Disposable, PartialMessageInfo } from 'vscode-languageserver/node';

/**
 * Refusals travel through the connection's own queue as requests of this method (params: the error
 * code and message), so that they are answered in order with the messages around them.
 */
export const REFUSED_METHOD = 'nginx-ls/$refused';
/** Sent through the queue once the stream is broken: what came before it is handled first. Params: `{ why }`. */
export const BROKEN_METHOD = 'nginx-ls/$broken';

/** A read error after which no later message can be found in the stream. */
class FramingError extends Error {}

/** A body that is not JSON: that message is lost, the frames around it are sound. */
class BodyNotJson extends Error {}

/** Decodes a message body: JSON, or an error that says whether the framing is lost. */
const jsonBodyDecoder = {
  name: 'application/vscode-jsonrpc',
  decode(bytes: Uint8Array): Promise<Message> {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    try {
      return Promise.resolve(JSON.parse(text) as Message);
    } catch (e) {
      // A header inside a body: the Content-Length was longer than its message, and the next frame was read into it.
      if (/content-length\s*:/i.test(text)) {
        return Promise.reject(new FramingError('a Content-Length longer than its message (the next header was read as its body)'));
      }
      return Promise.reject(new BodyNotJson((e as Error).message));
    }
  },
};

/** The reader and writer the command line names (--stdio, --node-ipc, --socket=PORT, --pipe=NAME), as createConnection reads it. */
export function transportFromArguments(argv: readonly string[]): { reader: MessageReader; writer: MessageWriter } | undefined {
  const value = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
  };
  if (argv.includes('--stdio')) {
    return {
      reader: new StreamMessageReader(process.stdin, { contentTypeDecoder: jsonBodyDecoder }),
      writer: new StreamMessageWriter(process.stdout),
    };
  }
  if (argv.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  const port = Number(value('--socket'));
  if (Number.isInteger(port) && port > 0) {
    const [reader, writer] = createServerSocketTransport(port);
    return { reader, writer };
  }
  const pipe = value('--pipe');
  if (pipe) {
    const [reader, writer] = createServerPipeTransport(pipe);
    return { reader, writer };
  }
  return undefined;
}

/** What the gate does when the client closes the stream: `shutdown` was received or not. */
export type OnClose = (orderly: boolean) => void;

type Phase = 'before initialize' | 'running' | 'shut down';

/** A partial message still incomplete after this many of the reader's timeouts (10 s each) is a Content-Length too long. */
const PARTIAL_TIMEOUTS_BEFORE_BROKEN = 2;

/**
 * A MessageReader in front of `inner` that enforces the rules above, answering what it refuses
 * through `writer`. The connection built on it sees only messages the server should handle.
 */
export class ProtocolGate implements MessageReader {
  private phase: Phase = 'before initialize';
  private delivered = 0;
  private partialTimeouts = 0;
  private deliveredAtLastPartial = -1;
  private deliver: DataCallback | undefined;
  private broken = false;

  constructor(private readonly inner: MessageReader, private readonly writer: MessageWriter, onClose: OnClose) {
    inner.onError((error) => this.readFailed(error));
    inner.onClose(() => onClose(this.phase === 'shut down'));
    inner.onPartialMessage((info) => this.partial(info));
  }

  /** Read errors are handled here (answered or fatal): the connection has nothing to add. */
  readonly onError: Event<Error> = Event.None;

  get onClose(): Event<void> {
    return this.inner.onClose;
  }

  get onPartialMessage(): Event<PartialMessageInfo> {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    this.deliver = callback;
    return this.inner.listen((message) => {
      if (this.broken) return;
      this.delivered++;
      this.admit(message, callback);
    });
  }

  dispose(): void {
    this.inner.dispose();
  }

  private readFailed(error: Error): void {
    if (error instanceof BodyNotJson || (error instanceof SyntaxError && !(error instanceof FramingError))) {
      this.reply(null, ErrorCodes.ParseError, `nginx-ls: a message body is not JSON: ${error.message}`);
      return;
    }
    this.breakDown(error.message.split('\n')[0]);
  }

  private breakDown(why: string): void {
    // After the messages read before the break, whose bodies are still being decoded (a promise each); none after it.
    setImmediate(() => {
      if (this.broken) return;
      this.broken = true;
      this.deliver?.({ jsonrpc: '2.0', method: BROKEN_METHOD, params: { why } } as Message);
    });
  }

  private partial(info: PartialMessageInfo): void {
    // Each timeout means no whole message for 10 s while one was begun; one alone may be a server busy for as long.
    if (this.deliveredAtLastPartial === this.delivered) this.partialTimeouts++;
    else this.partialTimeouts = 1;
    this.deliveredAtLastPartial = this.delivered;
    if (this.partialTimeouts >= PARTIAL_TIMEOUTS_BEFORE_BROKEN) {
      const waited = info.waitingTime * this.partialTimeouts;
      this.breakDown(`a message still incomplete after ${waited} ms (a Content-Length longer than its body)`);
    }
  }

  private admit(message: Message, deliver: DataCallback): void {
    const m = message as unknown as Record<string, unknown>;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      return this.reply(null, ErrorCodes.InvalidRequest, 'nginx-ls: not a JSON-RPC message');
    }
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    if (typeof m.method !== 'string') {
      if (id !== null && ('result' in m || 'error' in m)) return deliver(message); // a response to one of the server's requests
      return this.refuse(deliver, id, ErrorCodes.InvalidRequest, 'nginx-ls: a message with neither a method nor a result');
    }
    const isRequest = 'id' in m;
    if (m.method === 'exit') return deliver(message);
    if (this.phase === 'before initialize') {
      if (isRequest && m.method === 'initialize') {
        this.phase = 'running';
        return deliver(message);
      }
      // Notifications before initialize are dropped, as LSP requires (a didOpen would otherwise be analysed unconfigured).
      if (isRequest) this.refuse(deliver, id, ErrorCodes.ServerNotInitialized, `nginx-ls: ${m.method} before initialize`);
      return;
    }
    if (this.phase === 'shut down') {
      if (isRequest) this.refuse(deliver, id, ErrorCodes.InvalidRequest, `nginx-ls: ${m.method} after shutdown`);
      return;
    }
    if (isRequest) {
      const bad = badPosition(m.params, 0);
      if (bad) return this.refuse(deliver, id, ErrorCodes.InvalidParams, `nginx-ls: ${m.method}: a position must be integers, got ${bad}`);
      if (m.method === 'shutdown') this.phase = 'shut down';
    }
    deliver(message);
  }

  /** Answers request `id` with an error, in its turn among the messages the connection handles. */
  private refuse(deliver: DataCallback, id: number | string | null, code: number, message: string): void {
    if (id === null) return this.reply(null, code, message);
    deliver({ jsonrpc: '2.0', id, method: REFUSED_METHOD, params: { code, message } } as Message);
  }

  /** Writes an error response at once: for messages that have no id to answer in order. */
  private reply(id: number | string | null, code: number, message: string): void {
    this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message).catch(() => undefined);
  }
}

/** The first position (an object with `line` and `character`) in `value` whose line or character is not an integer, as JSON. */
function badPosition(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object' || depth > 6) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const bad = badPosition(item, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if ('line' in record && 'character' in record && !(Number.isInteger(record.line) && Number.isInteger(record.character))) {
    return JSON.stringify({ line: record.line, character: record.character });
  }
  for (const key in record) {
    const bad = badPosition(record[key], depth + 1);
    if (bad) return bad;
  }
  return undefined;
}
