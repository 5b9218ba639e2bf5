/**
 * Entry point of dist/cli.js (`nginx-ls`): loads the CLI bundle (dist/cli-main.js) through a V8 code
 * cache kept beside it, so that a run skips compiling the bundle and the functions a check runs.
 *
 * The cache is named after the bundle's digest, the Node version, the architecture and Node's flags. `npm run build`
 * writes it with a check of the examples; a run that finds none for its Node version (or one V8
 * rejects) writes one as it exits, if the folder is writable. It is written aside and renamed, so a
 * run never reads half a file. Worker threads of `--jobs` load the bundle through this file too, and
 * read the cache without writing it.
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

// Less inlining into optimised code: a check of 10,000 small files optimises some 230 functions in
// each thread, on background threads that the other threads of --jobs need; this budget cut the CPU
// a check takes by a sixth and changed the time of a large file's check by nothing measurable (the
// bench's section 6). Set before the bundle compiles, and so also in the worker threads.
v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');

/** A digest of cli-main.js, set by scripts/build.mjs: V8 checks a cache's source length, not its text. */
declare const CLI_BUNDLE_DIGEST: string;

const CACHE_PREFIX = 'cli-main-';
const main = path.join(__dirname, 'cli-main.js');
// V8 rejects a cache made under other flags (`node --max-semi-space-size=64 dist/cli.js` and the
// `nginx-ls` command differ): each set of flags has its own.
const flags = fnv1a(process.execArgv.join(' ')).toString(16);
const cacheFile = path.join(__dirname, `${CACHE_PREFIX}${CLI_BUNDLE_DIGEST}-${process.version}-${process.arch}-${flags}.v8cache`);

let cachedData: Buffer | undefined;
try { cachedData = fs.readFileSync(cacheFile); } catch { /* none yet: compiled as usual */ }
const script = new vm.Script(Module.wrap(fs.readFileSync(main, 'utf8')), { filename: main, cachedData });
// Not in the threads of --jobs (started with this argument; see ./cli-check.ts): the process writes it.
const isCheckThread = process.argv[2] === '--nginx-ls-check-thread';
if (!isCheckThread && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', writeCache);
const module = new Module(main);
module.filename = main;
type ModuleBody = (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
const run = script.runInThisContext() as ModuleBody;
run.call(module.exports, module.exports, createRequire(main), module, main, __dirname);

/** At exit: the cache then holds the functions this run compiled, not only the bundle's top level. */
function writeCache(): void {
  // Usage errors (exit 2) compile next to nothing: a cache made then would serve later checks badly.
  if (process.exitCode !== undefined && process.exitCode !== 0 && process.exitCode !== 1) return;
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, cacheFile);
    // Caches of earlier bundles are of no further use (those of other Node versions may be).
    for (const name of fs.readdirSync(__dirname)) {
      if (name.startsWith(CACHE_PREFIX) && name.endsWith('.v8cache') && !name.includes(CLI_BUNDLE_DIGEST)) {
        fs.rmSync(path.join(__dirname, name), { force: true });
      }
    }
  } catch {
    // A read-only installation: every run compiles, as without a cache.
    fs.rmSync(partial, { force: true });
  }
}

/** A 32-bit FNV-1a hash: enough to tell flag sets apart, without loading node:crypto. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
