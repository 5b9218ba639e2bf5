/**
 * Entry point of the server bundle (dist/server-main.js, which dist/server.js loads): a connection
 * over the transport the command line names (--stdio, --node-ipc, …), behind the protocol gate
 * (./transport.ts), and the server on it.
 */
import { ProposedFeatures, ResponseError, createConnection } from 'vscode-languageserver/node';
import { isAnalysisWorker, runAnalysisWorker } from './analysis-thread';
import { startServer } from './server';
import { BROKEN_METHOD, ProtocolGate, REFUSED_METHOD, transportFromArguments } from './transport';

if (isAnalysisWorker()) runAnalysisWorker();
else main();

function main(): void {
  // Keep the process alive whatever a handler or a file does; the error is logged, not fatal.
  process.on('uncaughtException', (e) => console.error(`nginx-ls: uncaught ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => console.error(`nginx-ls: unhandled rejection ${String(e)}`));

  const transport = transportFromArguments(process.argv);
  if (!transport) {
    process.stderr.write('nginx-ls: no transport given: start the server with --stdio, --node-ipc, --socket=PORT or --pipe=NAME\n');
    process.exit(1);
  }
  if (process.argv.includes('--stdio')) {
    // stdout carries the protocol: anything printed goes to stderr instead.
    console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  }
  // The client closing the stream ends the server: cleanly after `shutdown`, as a failure otherwise.
  const reader = new ProtocolGate(transport.reader, transport.writer, (orderly) => {
    if (!orderly) process.stderr.write('nginx-ls: the client closed the connection without shutdown; exiting\n');
    process.exit(orderly ? 0 : 1);
  });
  const connection = createConnection(ProposedFeatures.all, reader, transport.writer);
  connection.onRequest(REFUSED_METHOD, (refusal: { code: number; message: string }) => new ResponseError(refusal.code, refusal.message));
  connection.onNotification(BROKEN_METHOD, ({ why }: { why: string }) => {
    process.stderr.write(`nginx-ls: protocol stream broken (${why}); exiting so that the client starts a new server\n`);
    // The answers to the messages before the break are on their way to the writer.
    setTimeout(() => process.exit(1), 100);
  });
  startServer(connection, __filename);
}
