'use strict';
// A process that only parses with nginx-conf: the files given, and the .conf files of the folders
// given (found as `nginx-ls check` finds them). The bench times it as a whole, beside the CLI.
const fs = require('node:fs');
const path = require('node:path');
const { NginxParser } = require('nginx-conf');

function confFiles(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) confFiles(full, out);
    else if (e.isFile() && e.name.endsWith('.conf')) out.push(full);
  }
  return out;
}

let parsed = 0;
let failed = 0;
for (const input of process.argv.slice(2)) {
  for (const file of fs.statSync(input).isDirectory() ? confFiles(input, []) : [input]) {
    let error;
    try {
      new NginxParser().parse(fs.readFileSync(file, 'utf8'), (err) => { error = err; });
    } catch (e) {
      error = e;
    }
    if (error) failed++; else parsed++;
  }
}
process.stdout.write(`${parsed} parsed, ${failed} failed\n`);
