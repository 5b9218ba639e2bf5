#!/usr/bin/env node
// Hover on a certificate path: cold (a fresh NodeHost: stat + read + parse of every TLS file, then the
// hover) against cached (the same host again: bytes and parses reused). Median and min over N runs.
// Runs alone after a build:  npm run build && node bench/certificates.mjs [N]
// Certificates are made with the openssl CLI in a temp dir (test/lib/certs.mjs), removed on exit.
// Prints PASS/MISS against the targets; exits 0 either way unless something crashes.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCertificates } from '../test/lib/certs.mjs';

const self = fileURLToPath(import.meta.url);
// Timed runs call gc() before each run (outside the timed region), so the bench re-runs itself with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.NGINX_LS_DIST ?? path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'service.js'))) {
  console.error('dist/service.js is missing: run `npm run build` first');
  process.exit(1);
}
const serviceJs = path.join(dist, 'service.js');
const nodeHostJs = path.join(dist, 'node-host.js');
const { analyzeConfig, hover } = require(serviceJs);
const { NodeHost } = require(nodeHostJs);

const RUNS = Math.max(3, Number(process.argv[2]) || 50);
const TARGET = { cached: 5, cold: 50 };

const set = makeCertificates();
process.on('exit', () => set.cleanup());
const { rel } = set;

// A realistic server: chain + key, a client CA bundle, a trusted CA, an RSA pair in a second server.
const text = `events {}
http {
    server {
        listen 443 ssl;
        server_name app.example.test;
        ssl_certificate ${rel.leafChain};
        ssl_certificate_key ${rel.leafKey};
        ssl_client_certificate ${rel.caBundle};
        ssl_trusted_certificate ${rel.rootCa};
        ssl_verify_client optional;
    }
    server {
        listen 443 ssl;
        server_name b.example.test;
        ssl_certificate ${rel.rsaCert};
        ssl_certificate_key ${rel.rsaKey};
    }
}
`;
const main = path.join(set.dir, 'nginx.conf');
fs.writeFileSync(main, text);
const offset = text.indexOf(rel.leafChain) + 3;

/** Analysis (certificates read through `host`) and the hover on the chain path, as the server does both. */
function analysisAndHover(host) {
  const now = new Date();
  const analysis = analyzeConfig(main, host, { now });
  const uses = analysis.certificateUses.filter((u) => u.file === main);
  const h = hover(analysis.files.get(main), offset, [], undefined, uses, now);
  if (!h || !h.markdown.includes('is signed by')) throw new Error('hover on the certificate path did not describe the chain');
  return analysis;
}

const clock = () => process.hrtime.bigint();
const since = (t) => Number(clock() - t) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const gc = () => globalThis.gc();

function time(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    gc();
    const t = clock();
    fn();
    times.push(since(t));
  }
  return { median: median(times), min: Math.min(...times) };
}

// First analysis + hover in a brand-new process (module load excluded): JIT-cold, file-cold.
function firstInProcess() {
  const script = `
    const { analyzeConfig, hover } = require(${JSON.stringify(serviceJs)});
    const { NodeHost } = require(${JSON.stringify(nodeHostJs)});
    const t = process.hrtime.bigint();
    const a = analyzeConfig(${JSON.stringify(main)}, new NodeHost(), {});
    const h = hover(a.files.get(${JSON.stringify(main)}), ${offset}, [], undefined, a.certificateUses, new Date());
    if (!h) throw new Error('no hover');
    process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const times = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(r.stderr || `child exited ${r.status ?? r.signal}`);
    times.push(Number(r.stdout));
  }
  return { median: median(times), min: Math.min(...times), runs: 5 };
}

// Warm the JIT once so "cold" means cold files, not cold code.
analysisAndHover(new NodeHost());

const cold = time(() => analysisAndHover(new NodeHost()));
const host = new NodeHost();
const cachedAnalysis = analysisAndHover(host);
const cached = time(() => analysisAndHover(host));
const uses = cachedAnalysis.certificateUses.filter((u) => u.file === main);
const hoverOnly = time(() => hover(cachedAnalysis.files.get(main), offset, [], undefined, uses, new Date()));
const process1 = firstInProcess();

const fmt = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2)).padStart(7);
const rows = [
  ['cold: fresh NodeHost, analysis + hover', cold, TARGET.cold, RUNS],
  ['cached: same NodeHost, analysis + hover', cached, TARGET.cached, RUNS],
  ['hover only, on an existing analysis', hoverOnly, undefined, RUNS],
  ['first analysis + hover in a new process', process1, undefined, process1.runs],
];
console.log(
  `certificate hover: ${uses.length} TLS paths (chain of 2, CA bundle of 3, RSA pair) in ${set.dir}; median/min ms; ` +
    `load ${os.loadavg()[0].toFixed(2)}`
);
console.log(`${'case'.padEnd(42)} ${'median'.padStart(7)} ${'min'.padStart(7)}  runs  target`);
for (const [name, r, target, runs] of rows) {
  const verdict = target === undefined ? '' : `< ${target} ms ${r.median < target ? 'PASS' : 'MISS'}`;
  console.log(`${name.padEnd(42)} ${fmt(r.median)} ${fmt(r.min)}  ${String(runs).padStart(4)}  ${verdict}`);
}
