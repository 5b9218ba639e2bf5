// Bundles the three entry points (and the pure service, for benchmarks) with esbuild.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/service/index.ts'], outfile: 'dist/service.js' }),
  build({ ...common, entryPoints: ['server/src/node-host.ts'], outfile: 'dist/node-host.js' }),
]);
