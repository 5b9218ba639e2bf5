// Shared helpers for the in-editor tests: event-driven waits with a time limit, never fixed sleeps.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'nginx-ls.nginx-ls';

function workspaceUri(...segments) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

function describeDiagnostics(list) {
  return JSON.stringify(
    list.map((d) => ({
      code: typeof d.code === 'object' && d.code ? d.code.value : d.code,
      source: d.source,
      line: d.range.start.line,
      message: d.message,
    })),
  );
}

function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** The diagnostics nginx-ls published for `uri`. */
function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nginx-ls');
}

/**
 * Resolves with nginx-ls's diagnostics for `uri` as soon as `predicate(diagnostics)` holds,
 * checking now and on every onDidChangeDiagnostics for that uri; rejects after `ms`.
 */
function waitForDiagnostics(uri, predicate, what, ms = 20_000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const list = ours(uri);
      let ok = false;
      try {
        ok = predicate(list);
      } catch (e) {
        ok = false;
      }
      if (ok) {
        done = true;
        clearTimeout(timer);
        sub.dispose();
        resolve(list);
      }
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      sub.dispose();
      reject(
        new Error(
          `timed out after ${ms} ms waiting for ${what} on ${path.basename(uri.path)}; ` +
            `last diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
        ),
      );
    }, ms);
    check();
  });
}

/** Resolves when `predicate()` holds, re-checking whenever one of `events` fires; rejects after `ms`. */
function waitFor(predicate, what, ms = 20_000, events = []) {
  return new Promise((resolve, reject) => {
    let done = false;
    const subs = [];
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      subs.forEach((s) => s.dispose());
      err ? reject(err) : resolve(value);
    };
    const check = () => {
      try {
        const v = predicate();
        if (v) finish(null, v);
      } catch (e) {
        /* not yet */
      }
    };
    for (const ev of events) subs.push(ev(check));
    // Some states (extension activation) have no event: re-check the predicate on a short tick.
    const poll = setInterval(check, 50);
    const timer = setTimeout(() => finish(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    check();
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

function findExtension() {
  return (
    vscode.extensions.getExtension(EXTENSION_ID) ||
    vscode.extensions.all.find((e) => e.packageJSON && e.packageJSON.name === 'nginx-ls')
  );
}

/** Waits until the extension has activated (because an nginx document opened) and its client is ready. */
async function activeApi(ms = 30_000) {
  const ext = findExtension();
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in the Extension Development Host`);
  await waitFor(() => ext.isActive, `activation of ${ext.id}`, ms);
  const api = ext.exports;
  if (api && api.ready) await withTimeout(Promise.resolve(api.ready), ms, 'api.ready');
  return api;
}

/**
 * Asks test/editor/run.mjs for a screenshot of the workbench as it is now (a no-op when the
 * suite runs without it, e.g. under @vscode/test-electron). `waitForSelector`: a CSS selector
 * in the workbench page the runner waits (5 s at most) to see first. Never fails a test.
 */
async function screenshot(name, waitForSelector = '') {
  const dir = process.env.NGINX_LS_SCREENSHOT_REQUESTS;
  if (!dir || !fs.existsSync(dir)) return;
  const done = path.join(dir, `${name}.done`);
  try {
    fs.writeFileSync(path.join(dir, `${name}.request`), waitForSelector);
    await waitFor(() => fs.existsSync(done), `screenshot ${name}`, 15_000);
  } catch (e) {
    require('./index').report(`(screenshot ${name} skipped: ${e.message})`);
  }
}

/** The position of the `occurrence`-th (0-based) appearance of `needle` in a document. */
function positionOf(doc, needle, occurrence = 0) {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at);
}

/** The text of a list of hovers (markdown strings and MarkdownString values). */
function hoverText(hovers) {
  const parts = [];
  for (const hover of hovers || []) {
    for (const c of hover.contents) {
      if (typeof c === 'string') parts.push(c);
      else if (c && typeof c.value === 'string') parts.push(c.value);
    }
  }
  return parts.join('\n');
}

module.exports = {
  positionOf,
  hoverText,
  EXTENSION_ID,
  workspaceUri,
  ours,
  codeOf,
  describeDiagnostics,
  waitForDiagnostics,
  waitFor,
  withTimeout,
  findExtension,
  activeApi,
  screenshot,
};
