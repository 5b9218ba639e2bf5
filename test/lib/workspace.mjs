// A folder of files for a test, removed when the test ends; and a server started on it, closed then.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LspClient } from './lsp-client.mjs';

/** Writes `files` ({ 'conf.d/site.conf': text, … }) into a new temporary folder (its real path) and returns it. */
export function tempWorkspace(t, files, prefix = 'nginx-ls-') {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A language server for the test (`LspClient.start` options), shut down when it ends. */
export async function startServer(t, serverJs, options) {
  const client = await LspClient.start(serverJs, options);
  t.after(() => client.close());
  return client;
}
