/**
 * Entry point of dist/server.js: loads the language server bundle (dist/server-main.js).
 *
 * Given `--code-cache=DIR` (the VS Code client passes the extension's private storage folder), it
 * keeps V8's compiled code for the bundle in DIR, so that later starts skip compiling it (12–32 ms
 * less from spawn to first diagnostics in `npm run bench`). The cache is written once per bundle and Node
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

/** By then the first analysis has run: its compiled functions are in the cache, and the start went well. */
const SETTLED_AFTER_MS = 3000;
const STARTING = '.starting';
const CACHE_OPTION = '--code-cache=';

const main = path.join(__dirname, 'server-main.js');
const cacheDir = process.argv.find((a) => a.startsWith(CACHE_OPTION))?.slice(CACHE_OPTION.length);

if (cacheDir) startWithCodeCache(cacheDir);
else createRequire(main)(main);

function startWithCodeCache(dir: string): void {
  const cacheFile = path.join(dir, `server-${SERVER_BUNDLE_DIGEST}-${process.version}-${process.arch}.v8cache`);
  const cachedData = readCache(cacheFile);
  const source = fs.readFileSync(main, 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: main, cachedData });
  const module = new Module(main);
  module.filename = main;
  const run = script.runInThisContext() as
    (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(main), module, main, path.dirname(main));
  const settled = (): void => fs.rmSync(`${cacheFile}${STARTING}`, { force: true });
  if (cachedData !== undefined) process.once('exit', settled); // an orderly exit (the LSP exit notification)
  setTimeout(() => {
    if (cachedData === undefined || script.cachedDataRejected) writeCache(dir, cacheFile, script);
    else settled();
  }, SETTLED_AFTER_MS).unref();
}

/**
 * V8 checks a cache's header and length, not the code in it: a damaged file could crash every
 * start. A marker beside the cache lives until a start that uses it has run 3 s or exited in order;
 * finding one from an earlier start means that start died (or was killed early), and the cache is
 * dropped and written anew.
 */
function readCache(cacheFile: string): Buffer | undefined {
  const marker = `${cacheFile}${STARTING}`;
  try {
    if (fs.existsSync(marker)) {
      fs.rmSync(cacheFile, { force: true });
      fs.rmSync(marker, { force: true });
      return undefined;
    }
    const data = fs.readFileSync(cacheFile);
    fs.writeFileSync(marker, '', { mode: 0o600 });
    return data;
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, cacheFile: string, script: vm.Script): void {
  let partial: string | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Caches of earlier bundles or Node versions, and files a killed server left behind, are of no further use.
    for (const name of fs.readdirSync(dir)) {
      if (/^server-.*\.v8cache(\.\d+|\.starting)?$/.test(name) && path.join(dir, name) !== cacheFile)
        fs.rmSync(path.join(dir, name), { force: true });
    }
    // Written aside and renamed, so that a server starting meanwhile never reads half a file.
    partial = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
  } catch {
    // A read-only or full disk: the next start compiles as this one did.
    if (partial) fs.rmSync(partial, { force: true });
  }
}
