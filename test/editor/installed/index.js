// Entry point of the smoke suite for the packaged extension: test/editor/run.mjs installs the .vsix
// with `code-server --install-extension` and opens a copy of examples/ with this folder as the
// development extension (an empty one), so the nginx-ls under test is the installed one.
'use strict';
const { runFolder } = require('../suite/index.js');

module.exports = { run: () => runFolder(__dirname) };
