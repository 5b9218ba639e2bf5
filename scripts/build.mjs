// Bundles the three entry points (and the pure service, for benchmarks) with esbuild.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

// Loaded from node_modules on first use instead of bundled: the nginx reference alone is 1.8 MB of
// JavaScript that every start of the server would otherwise parse (they are runtime dependencies).
const lazy = ['@nginx/reference-lib', '@peculiar/x509', 'reflect-metadata'];

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // Minified: the server starts with every editor session, and less source compiles faster.
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', external: lazy, minify: true }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', external: lazy, banner: { js: '#!/usr/bin/env -S node --max-semi-space-size=64' } }),
  build({ ...common, entryPoints: ['server/src/service/index.ts'], outfile: 'dist/service.js', external: lazy }),
  build({ ...common, entryPoints: ['server/src/node-host.ts'], outfile: 'dist/node-host.js' }),
]);
