// A third real LSP client: Emacs with eglot (Debian's emacs-nox 28 and elpa-eglot 1.9), in batch.
// eglot does not support dynamic registration of workspace/didChangeConfiguration: a server that
// registers it anyway puts a *Warnings* window up on every connect. Its root is the file's folder
// when the file is in no project (as here), so this is also a per-file root in a second editor.
// Skipped, visibly, without emacs and eglot; under CI (which installs both) that skip is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_CODES, writePartialConfig } from '../lib/partial-config.mjs';
import { unavailable } from '../lib/tools.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// NGINX_LS_SERVER runs it against another build of the server (e.g. a deliberately broken one).
const serverJs = process.env.NGINX_LS_SERVER ?? path.join(root, 'dist/server.js');
const eglot = spawnSync('emacs', [
  '--batch', '--eval', "(progn (package-activate-all) (require 'eglot) (princ (locate-library \"eglot\")))"
], {
  encoding: 'utf8',
  timeout: 30_000,
});
const haveEglot = eglot.status === 0 && /eglot/.test(eglot.stdout);

// Visits the file, connects eglot, waits for flymake diagnostics (at most 20 s), writes what it saw as JSON.
const CHECK_EL = String.raw`;;; check.el --- nginx-ls through eglot, in batch  -*- lexical-binding: t -*-
(require 'package)
(package-activate-all)
(require 'json)
(require 'seq)
(require 'eglot)
(require 'flymake)

(define-derived-mode nginx-mode prog-mode "nginx")
(add-to-list 'eglot-server-programs
             (list 'nginx-mode (getenv "NGINX_LS_NODE") (getenv "NGINX_LS_SERVER") "--stdio"))

(defun nginx-ls-finish (result)
  (with-temp-file (getenv "NGINX_LS_OUT") (insert (json-encode result)))
  (kill-emacs 0))

(defun nginx-ls-buffers-text ()
  "The eglot, *Warnings* and *Messages* buffers, for failure messages."
  (mapconcat (lambda (b) (format "--- %s\n%s" (buffer-name b) (with-current-buffer b (buffer-string))))
             (seq-filter (lambda (b) (string-match-p "EGLOT\\|Warnings\\|Messages" (buffer-name b))) (buffer-list))
             "\n"))

(condition-case err
    (let ((deadline (+ (float-time) 20)) server)
      (find-file (getenv "NGINX_LS_FILE"))
      (nginx-mode)
      (apply #'eglot (eglot--guess-contact))
      (setq server (eglot-current-server))
      (unless server (error "eglot did not connect"))
      (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
        (accept-process-output nil 0.2)
        (flymake-start))
      (let* ((diagnostics
              (mapcar (lambda (d)
                        (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                              (cons 'column (save-excursion (goto-char (flymake-diagnostic-beg d)) (current-column)))
                              (cons 'type (symbol-name (flymake-diagnostic-type d)))
                              (cons 'text (flymake-diagnostic-text d))))
                      (flymake-diagnostics)))
             (warnings (let ((b (get-buffer "*Warnings*"))) (and b (with-current-buffer b (buffer-string)))))
             (events (with-current-buffer (jsonrpc-events-buffer server) (buffer-string)))
             (result (list (cons 'diagnostics (vconcat diagnostics))
                           (cons 'warnings warnings)
                           (cons 'registerCapability (if (string-match-p "client/registerCapability" events) t :json-false))
                           (cons 'root (expand-file-name (project-root (eglot--project server))))
                           (cons 'log (nginx-ls-buffers-text)))))
        (eglot-shutdown server)
        (nginx-ls-finish result)))
  (error (nginx-ls-finish (list (cons 'error (error-message-string err)) (cons 'log (nginx-ls-buffers-text))))))
`;

test('Emacs eglot connects without warnings and shows the diagnostics of conf.d/site.conf analysed in ../nginx.conf',
  { timeout: 90_000 }, (t) => {
  if (!haveEglot) {
    return unavailable(t, `emacs with eglot is not installed (apt-get install emacs-nox elpa-eglot): ` +
      `${eglot.error?.message ?? eglot.stderr.trim()}`);
  }
  assert.ok(fs.existsSync(serverJs), 'dist/server.js is missing: run `npm run build` first');
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-ls-emacs-')));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const files = writePartialConfig(path.join(tmp, 'etc-nginx'));
  const checkEl = path.join(tmp, 'check.el');
  fs.writeFileSync(checkEl, CHECK_EL);
  const out = path.join(tmp, 'result.json');
  const res = spawnSync('emacs', ['--batch', '-l', checkEl], {
    cwd: files.confD,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env, HOME: tmp, NGINX_LS_OUT: out, NGINX_LS_NODE: process.execPath, NGINX_LS_SERVER: serverJs, NGINX_LS_FILE: files.site
    },
  });
  const context = (result) => `emacs exit ${res.status ?? res.signal}${res.error ? ` (${res.error.message})` : ''}\n` +
    `stderr:\n${res.stderr}\n${result?.log ?? ''}`;
  assert.ok(fs.existsSync(out), `check.el wrote no result\n${context()}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(result.error, undefined, `check.el failed: ${result.error}\n${context(result)}`);

  // Verdict first: no warning on connect, and the reason for it, no registration at all.
  assert.equal(result.warnings, null, `eglot showed a *Warnings* buffer:\n${result.warnings}`);
  assert.doesNotMatch(res.stderr, /unsupported capability|Warning \(eglot\)/, 'eglot warned on stderr');
  assert.equal(result.registerCapability, false, 'the server sent client/registerCapability to a client without dynamic registration');

  assert.equal(result.root, files.confD + '/', 'eglot\'s root is the file\'s own folder');
  const codes = result.diagnostics.map((d) => /^nginx-ls \[([a-z-]+)\]/.exec(d.text)?.[1] ?? d.text).sort();
  assert.deepEqual(codes, SITE_CODES, `${result.diagnostics.map((d) => d.text).join('\n')}\n${context(result)}`);
  const mismatch = result.diagnostics.find((d) => d.text.includes('[cert-key-mismatch]'));
  assert.deepEqual([mismatch.line, mismatch.column, mismatch.type], [5, 24, 'eglot-error'], 'on the key path of line 5, as an error');
});
