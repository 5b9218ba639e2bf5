/**
 * Entry point of the server bundle (dist/server-main.js, which dist/server.js loads): a connection
 * over the transport the command line names (--stdio, --node-ipc, …), and the server on it.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// Keep the process alive whatever a handler or a file does; the error is logged, not fatal.
process.on('uncaughtException', (e) => console.error(`nginx-ls: uncaught ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => console.error(`nginx-ls: unhandled rejection ${String(e)}`));

startServer(createConnection(ProposedFeatures.all));
