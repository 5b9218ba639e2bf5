// Bundles the client, the server (a small loader, the server itself and its lazily loaded Ingress half)
// and the CLI, plus the pure service and the Node host for benchmarks and tests, with esbuild.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

// Bundled apart, as chunks beside the bundles in dist/, and required on first use: the nginx reference
// alone is 1.8 MB of JavaScript that every start of the server would otherwise parse. Each bundle's
// `require('<package>')` becomes `require('./<chunk>.js')`, so the packaged extension and the npm
// package run with no node_modules. reflect-metadata is its own chunk because the service loads it
// before @peculiar/x509, which looks for it on the global Reflect.
const lazyChunks = { '@nginx/reference-lib': 'reference-lib', '@peculiar/x509': 'x509', 'reflect-metadata': 'reflect-metadata' };
const lazyPackagePattern = new RegExp(`^(${Object.keys(lazyChunks).map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
const chunkRequires = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: lazyPackagePattern }, (args) => ({ path: `./${lazyChunks[args.path]}.js`, external: true }));
  },
};

// vscode-jsonrpc loads node:crypto at start only to name pipes with random bytes, which stdio and
// IPC transports never do; crypto takes ~15 ms to load. The server bundle gets it on first use.
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^crypto$/ }, (args) =>
      (args.importer.includes('vscode-jsonrpc') ? { path: 'lazy-crypto', namespace: 'lazy-crypto' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: "module.exports = { randomBytes: (...args) => require('node:crypto').randomBytes(...args) };",
      loader: 'js',
    }));
  },
};

// convert.ts imports the LSP types from vscode-languageserver-types, which the server library also
// requires; its package maps `import` to an ES module build and `require` to a UMD one, and the
// server bundle would carry both. Every import of it gets the one `require` gets. (The CLI has only
// the import, and keeps the smaller ES module build.)
const typesEntry = createRequire(import.meta.url).resolve('vscode-languageserver-types');
const oneLspTypes = {
  name: 'one-lsp-types',
  setup(b) {
    b.onResolve({ filter: /^vscode-languageserver-types$/ }, () => ({ path: typesEntry }));
  },
};

// The server bundle first: its digest goes into the small loader that starts it (dist/server.js),
// which names V8 code caches after it (server/src/start.ts).
// Minified: the server starts with every editor session, and less source compiles faster.
// './ingress.js' stays a run-time require (server/src/lsp/modes/ingress.ts): the Ingress half is built on its own below.
await build({
  ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-main.js', external: ['./ingress.js'], minify: true,
  plugins: [lazyCrypto, chunkRequires, oneLspTypes],
});
const serverDigest = createHash('sha256').update(readFileSync('dist/server-main.js')).digest('hex').slice(0, 16);

// The CLI likewise: a minified bundle (dist/cli-main.js; the source map names the TypeScript lines
// under `node --enable-source-maps`), started by a small loader (dist/cli.js) that keeps V8's compiled
// code beside it (server/src/cli-start.ts). The Ingress half is the server's dist/ingress.js, loaded
// for YAML files only.
await build({
  ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js', external: ['./ingress.js'], minify: true,
  plugins: [chunkRequires],
});
const cliDigest = createHash('sha256').update(readFileSync('dist/cli-main.js')).digest('hex').slice(0, 16);

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({
    ...common, entryPoints: ['server/src/start.ts'], outfile: 'dist/server.js',
    define: { SERVER_BUNDLE_DIGEST: JSON.stringify(serverDigest) },
  }),
  build({
    ...common, entryPoints: ['server/src/cli-start.ts'], outfile: 'dist/cli.js',
    define: { CLI_BUNDLE_DIGEST: JSON.stringify(cliDigest) },
    // No --max-semi-space-size: a check of 10,000 small files took a sixth more CPU with 64 MB semi-spaces
    // (the parses it keeps are dropped batch by batch), and the large file gained nothing (bench/README.md, section 6).
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common, entryPoints: ['server/src/service/ingress/index.ts'], outfile: 'dist/ingress.js', minify: true, plugins: [chunkRequires],
  }),
  build({ ...common, entryPoints: ['server/src/service/index.ts'], outfile: 'dist/service.js', plugins: [chunkRequires] }),
  build({ ...common, entryPoints: ['server/src/node-host.ts'], outfile: 'dist/node-host.js' }),
  // For tests: the CLI's one-thread loop (cli-check.ts `check`) in the test's process, the reference
  // the batches of `nginx-ls check` (on one thread or several) are compared with.
  build({
    ...common, outfile: 'dist/cli-check.js', plugins: [chunkRequires],
    stdin: {
      contents: "export { check } from './server/src/cli-check'; export { composeOutput, reportPart } from './server/src/cli-output';"
        + " export { findConfigFiles } from './server/src/node-host';",
      resolveDir: process.cwd(), loader: 'ts',
    },
  }),
  // For tests: the analysis thread's main-thread side in the test's process, started on scripts that fail.
  build({
    ...common, outfile: 'dist/analysis-thread.js', plugins: [chunkRequires, oneLspTypes],
    stdin: { contents: "export { AnalysisThread } from './server/src/lsp/analysis-thread';", resolveDir: process.cwd(), loader: 'ts' },
  }),
  // For tests: parts of the server alone. Its documents, compared with vscode-languageserver-textdocument's
  // over random edits; the edit map made from what they record, compared with the one made by comparing
  // texts; the warm-up's schedule.
  build({
    ...common, outfile: 'dist/server-parts.js',
    stdin: {
      contents: "export { PieceDocument } from './server/src/lsp/piece-document';"
        + " export { editMap, editMapOf } from './server/src/lsp/modes/edit-map';"
        + " export { WarmUp } from './server/src/lsp/warm-up';",
      resolveDir: process.cwd(), loader: 'ts',
    },
  }),
  // Third-party code, minified and without source maps: nobody debugs into it.
  ...Object.entries(lazyChunks).map(([name, chunk]) => build({
    ...common, sourcemap: false, minify: true, outfile: `dist/${chunk}.js`,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: 'js' },
  })),
]);

// The CLI's code cache for this Node version, written by a check of the examples as it exits (the
// functions a check compiles are in it then). A failed check here fails the build.
const warm = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples', '--fail-on', 'none'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) throw new Error(`dist/cli.js check examples exited with ${warm.status}`);
