'use strict';
// Child process for the memory figures: `node --expose-gc bench/memory.cjs <kind> <file>`.
// Prints JSON {kind, retainedBytes, heapUsedBytes, rssBytes} on stdout.
// "Retained" = heapUsed after the work, with its result still referenced, minus heapUsed before
// it, both after full GCs. Module code and the tables the tool loads lazily are warmed up on a
// tiny config first, so they count in the baseline, not in the result; the text itself is also
// in the baseline.
const fs = require('fs');
const path = require('path');
const [kind, file] = process.argv.slice(2);
if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
const dist = path.join(__dirname, '..', 'dist');
const tiny = 'events { }\nhttp { server { listen 80; location / { return 200; } } }\n';

let work;
if (kind === 'nginx-ls-analyze' || kind === 'nginx-ls-parse') {
  const s = require(path.join(dist, 'service.js'));
  work = kind === 'nginx-ls-parse'
    ? (p, text) => s.parseConfig(text)
    : (p, text) => s.analyzeConfig(p, s.memoryHost({ [p]: text }));
} else if (kind === 'nginx-conf') {
  const { NginxParser } = require('nginx-conf');
  work = (p, text) => {
    let tree, error;
    new NginxParser().parse(text, (err, t) => { error = err; tree = t; });
    if (error) throw new Error(`nginx-conf: ${error.message}`);
    return tree;
  };
} else {
  throw new Error(`unknown kind ${kind}`);
}

const text = fs.readFileSync(file, 'utf8');
const warm = work('/tmp/nginx-ls-bench-warm.conf', tiny);
void warm;
const settle = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
const before = settle();
globalThis.__keep = work(file, text);
const after = settle();
const mu = process.memoryUsage();
process.stdout.write(JSON.stringify({ kind, retainedBytes: after - before, heapUsedBytes: mu.heapUsed, rssBytes: mu.rss }) + '\n');
