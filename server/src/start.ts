/**
 * Entry point of dist/server.js: loads the language server bundle (dist/server-main.js).
 *
 * Given `--code-cache=DIR` (the VS Code client passes the extension's private storage folder), it
 * keeps V8's compiled code for the bundle in DIR, so that later starts skip compiling it: about
 * 25 ms of the ~100 ms the server takes to load. The cache is written once per bundle and Node
 * version, a few seconds after start, so it holds the functions the first analysis compiled too.
 * Without the option nothing is written anywhere. A cache that is missing, unreadable, stale or
 * rejected by V8 only means a normal start.
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** A digest of server-main.js, set by scripts/build.mjs: V8 checks a cache's source length, not its text. */
declare const SERVER_BUNDLE_DIGEST: string;

const WRITE_AFTER_MS = 3000;
const CACHE_OPTION = '--code-cache=';

const main = path.join(__dirname, 'server-main.js');
const cacheDir = process.argv.find((a) => a.startsWith(CACHE_OPTION))?.slice(CACHE_OPTION.length);

if (cacheDir) startWithCodeCache(cacheDir);
else createRequire(main)(main);

function startWithCodeCache(dir: string): void {
  const cacheFile = path.join(dir, `server-${SERVER_BUNDLE_DIGEST}-${process.version}-${process.arch}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(main, 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: main, cachedData });
  const module = new Module(main);
  module.filename = main;
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(main), module, main, path.dirname(main));
  if (cachedData === undefined || script.cachedDataRejected) {
    setTimeout(() => writeCache(dir, cacheFile, script), WRITE_AFTER_MS).unref();
  }
}

function writeCache(dir: string, cacheFile: string, script: vm.Script): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Caches of earlier bundles or Node versions are of no further use.
    for (const name of fs.readdirSync(dir)) {
      if (/^server-.*\.v8cache$/.test(name) && path.join(dir, name) !== cacheFile) fs.rmSync(path.join(dir, name), { force: true });
    }
    // Written aside and renamed, so that a server starting meanwhile never reads half a file.
    const partial = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
  } catch {
    // A read-only or full disk: the next start compiles as this one did.
  }
}
