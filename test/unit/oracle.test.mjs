// Oracle test: real `nginx -t` decides whether each config in test/oracle/ is accepted, and
// `nginx-ls check` must agree: at least one error diagnostic exactly when nginx refuses the file,
// covering the line nginx names when it names one. See test/oracle/README.md.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const ORACLE = path.join(ROOT, 'test/oracle');
const CLI = path.join(ROOT, 'dist/cli.js');
const NGINX_TIMEOUT_MS = 10_000;
const KEEP = process.env.NGINX_LS_ORACLE_KEEP === '1';

function findNginx() {
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  // Debian installs it in /usr/sbin, which a non-root PATH may lack.
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx']) if (fs.existsSync(p)) return p;
  return null;
}

/** Runs `nginx -t` on `<prefix>/<file>`; resolves to { code, stderr, timedOut }. */
function nginxTest(nginx, prefix, confPath) {
  return new Promise((resolve) => {
    execFile(
      nginx,
      ['-t', '-q', '-p', prefix + path.sep, '-e', 'stderr', '-c', confPath],
      { timeout: NGINX_TIMEOUT_MS, killSignal: 'SIGKILL', encoding: 'utf8' },
      (err, _stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stderr: stderr ?? '', timedOut: Boolean(err && err.killed) });
      },
    );
  });
}

/** `nginx: [emerg] <message> in <file>:<line>` (the "in file:line" part is optional). */
function parseEmerg(stderr, prefix) {
  const out = [];
  for (const raw of stderr.split('\n')) {
    const m = /\[emerg\] (?:\d+#\d+: )?(.*)$/.exec(raw.trimEnd());
    if (!m) continue;
    const loc = /^(.*) in (\S.*):(\d+)$/.exec(m[1]);
    if (loc) out.push({ message: loc[1], file: path.resolve(prefix, loc[2]), line: Number(loc[3]) });
    else out.push({ message: m[1] });
  }
  return out;
}

async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

function expectedVerdict(text) {
  const first = text.split(/\r?\n/, 1)[0];
  if (!first.startsWith('#')) return null;
  if (/\binvalid\b/i.test(first)) return 'invalid';
  if (/\bvalid\b/i.test(first)) return 'valid';
  return null;
}

function diagFile(f) {
  if (typeof f !== 'string') return '';
  return f.startsWith('file:') ? fileURLToPath(f) : path.resolve(ROOT, f);
}

const isError = (d) => d.severity === 'error' || d.severity === 1;
const fmt = (d) =>
  `${path.basename(diagFile(d.file))}:${d.range?.start?.line + 1}-${d.range?.end?.line + 1} ${d.severity} ${d.code ?? ''} ${d.message}`;

const nginx = findNginx();
const confNames = fs.readdirSync(ORACLE).filter((n) => n.endsWith('.conf')).sort();

let skipReason = null;
if (!nginx) skipReason = 'nginx not installed: `command -v nginx` failed (apt-get install nginx-core to run the oracle test)';
else if (spawnSync('sh', ['-c', 'command -v openssl']).status !== 0) skipReason = 'openssl not installed: cannot generate the test certificate';

let tmp = null;
let cases = [];
let cli = null; // { diagnostics: [...] } or { error: string }

if (!skipReason) {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-oracle-')));
  const certs = path.join(tmp, 'certs');
  fs.mkdirSync(certs);
  const ssl = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test', '-days', '30',
    '-keyout', path.join(certs, 'test.key'), '-out', path.join(certs, 'test.crt'),
  ], { encoding: 'utf8' });
  if (ssl.status !== 0) skipReason = `openssl could not make a test certificate: ${ssl.stderr.trim()}`;

  const makePrefix = (name, text) => {
    const prefix = path.join(tmp, name.replace(/\.conf$/, ''));
    fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    fs.cpSync(path.join(ORACLE, 'inc'), path.join(prefix, 'inc'), { recursive: true });
    fs.cpSync(certs, path.join(prefix, 'certs'), { recursive: true });
    const conf = path.join(prefix, name);
    fs.writeFileSync(conf, text);
    return { prefix, conf };
  };

  // Sanity probe: can nginx -t run here at all (permissions on its default paths, etc.)?
  if (!skipReason) {
    const probe = makePrefix('_probe.conf', 'events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n');
    const r = await nginxTest(nginx, probe.prefix, probe.conf);
    if (r.code !== 0) skipReason = `nginx -t refuses even a minimal config here: ${r.stderr.trim()}`;
  }

  if (!skipReason) {
    const parallel = Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
    cases = await pool(confNames, parallel, async (name) => {
      const text = fs.readFileSync(path.join(ORACLE, name), 'utf8');
      const { prefix, conf } = makePrefix(name, text);
      const r = await nginxTest(nginx, prefix, conf);
      return { name, text, prefix, conf, ...r, emerg: parseEmerg(r.stderr, prefix) };
    });

    if (!fs.existsSync(CLI)) {
      cli = { error: `${path.relative(ROOT, CLI)} does not exist: run \`npm run build\` first` };
    } else {
      const r = spawnSync(process.execPath, [CLI, 'check', ...cases.map((c) => c.conf), '--format', 'json'], {
        cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
      });
      try {
        const diagnostics = JSON.parse(r.stdout);
        if (!Array.isArray(diagnostics)) throw new Error('output is not a JSON array');
        cli = { diagnostics, status: r.status };
      } catch (e) {
        cli = { error: `\`nginx-ls check --format json\` gave no JSON array (exit ${r.status}, ${e.message}): ${(r.stderr || r.stdout).slice(0, 2000)}` };
      }
    }
  }
}

after(() => {
  if (tmp && !KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  else if (tmp) console.log(`oracle: prefixes kept in ${tmp}`);
});

if (skipReason) {
  console.log(`oracle test skipped: ${skipReason}`);
  test('oracle: nginx -t agrees with nginx-ls check', { skip: skipReason }, () => {});
} else {
  test('oracle: the CLI exit code is 1 exactly when some config has an error', (t) => {
    if (cli.error) assert.fail(cli.error);
    const anyError = cli.diagnostics.some(isError);
    assert.equal(cli.status, anyError ? 1 : 0);
  });

  for (const c of cases) {
    test(c.name, async (t) => {
      const refused = c.code !== 0;
      const emergText = c.emerg.map((e) => (e.file ? `${e.message} (${path.relative(c.prefix, e.file)}:${e.line})` : e.message)).join('; ');

      await t.test('nginx gave a verdict', () => {
        assert.ok(!c.timedOut, `nginx -t did not finish in ${NGINX_TIMEOUT_MS} ms`);
        assert.ok(c.code === 0 || c.emerg.length > 0, `nginx exited ${c.code} without an [emerg] line: ${c.stderr}`);
      });

      await t.test('first-line comment matches nginx', () => {
        const expected = expectedVerdict(c.text);
        assert.ok(expected, 'the first line must be a comment saying "valid" or "invalid"');
        assert.equal(refused ? 'invalid' : 'valid', expected, refused ? `nginx refused it: ${emergText}` : 'nginx accepted it');
      });

      await t.test('nginx-ls agrees with nginx', () => {
        if (cli.error) assert.fail(cli.error);
        const mine = cli.diagnostics.filter((d) => {
          const rel = path.relative(c.prefix, diagFile(d.file));
          return rel && !rel.startsWith('..') && !path.isAbsolute(rel);
        });
        const errors = mine.filter(isError);
        const shown = mine.map(fmt).join('\n    ') || '(none)';
        if (!refused) {
          assert.equal(errors.length, 0, `nginx accepts this file but nginx-ls reports errors:\n    ${shown}`);
          return;
        }
        assert.ok(errors.length > 0, `nginx refuses this file (${emergText}) but nginx-ls reports no error:\n    ${shown}`);
        for (const e of c.emerg.filter((x) => x.file)) {
          const hit = errors.some((d) => {
            if (diagFile(d.file) !== e.file) return false;
            return d.range.start.line + 1 <= e.line && e.line <= d.range.end.line + 1;
          });
          assert.ok(hit, `nginx names ${path.relative(c.prefix, e.file)}:${e.line} (${e.message}) but no nginx-ls error covers that line:\n    ${shown}`);
        }
      });
    });
  }
}
