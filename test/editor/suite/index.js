// Entry point of the in-editor suite: the module @vscode/test-electron's runTests() (or
// test/editor/run.mjs, with code-server) loads in the Extension Development Host.
'use strict';
const path = require('path');
const fs = require('fs');
const util = require('util');
const Mocha = require('mocha'); // mocha 11: the default export is the class

/**
 * Prints to the extension host's console and, when test/editor/run.mjs set
 * $NGINX_LS_EDITOR_LOG, to that file, which the runner copies to its stdout (code-server
 * sends the extension host's console only to the browser's console).
 */
function report(...args) {
  const file = process.env.NGINX_LS_EDITOR_LOG;
  if (file) {
    try {
      fs.appendFileSync(file, util.format(...args) + '\n');
    } catch {
      /* the runner is gone */
    }
  }
  console.log(...args);
}

/** Runs every `*.test.js` of `folder` with mocha (this folder's by default). */
function runFolder(folder) {
  Mocha.reporters.Base.consoleLog = report;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    grep: process.env.EDITOR_TEST_GREP || undefined,
  });
  for (const f of fs.readdirSync(folder).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(folder, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats || {};
        report(`editor: ${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
        // A skipped test proves nothing and would pass unseen in a green run: it fails the suite.
        else if (pending > 0) reject(new Error(`${pending} editor test(s) skipped`));
        else if (passes === 0) reject(new Error('no editor test ran'));
        else resolve();
      });
    } catch (err) {
      report(err && err.stack ? err.stack : err);
      reject(err);
    }
  });
}

const run = () => runFolder(__dirname);

module.exports = { run, runFolder, report };
