// What an edit of one file drops from the workspace's analyses, and what it reads to decide: the server's
// buffers are read whole by joining their pieces, so an edit of a file no other configuration read must
// not read it (a copy of a large file on every keystroke).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

function countingHost(files) {
  const host = service.memoryHost(files);
  const reads = new Map();
  return {
    host: { ...host, readConfig: (file) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return host.readConfig(file);
    } },
    readsOf: (file) => reads.get(file) ?? 0,
  };
}

test('an edit drops the analyses that read another text of the file, reading the file only when another configuration read it', () => {
  const files = {
    '/srv/nginx.conf': 'events {}\nhttp { include sites/*.conf; }\n',
    '/srv/sites/a.conf': 'server { listen 80; }\n',
    '/srv/lone/lone.conf': 'server { listen 81; }\n',
  };
  const { host, readsOf } = countingHost(files);
  const workspace = new service.ConfigWorkspace(host);
  workspace.setCandidates(Object.keys(files));
  workspace.analysisFor('/srv/nginx.conf');
  workspace.analysisFor('/srv/lone/lone.conf');
  const made = workspace.analysesMade;

  // Only its own analysis read lone.conf: dropped without a read.
  const loneReads = readsOf('/srv/lone/lone.conf');
  workspace.changed('/srv/lone/lone.conf');
  assert.equal(readsOf('/srv/lone/lone.conf'), loneReads, 'lone.conf is not read to drop its own analysis');
  workspace.analysisFor('/srv/nginx.conf');
  assert.equal(workspace.analysesMade, made, 'nginx.conf\'s analysis never read lone.conf: kept');
  workspace.analysisFor('/srv/lone/lone.conf');
  assert.equal(workspace.analysesMade, made + 1, 'lone.conf is analysed again');

  // nginx.conf's analysis read a.conf: kept while a.conf reads the same, dropped once it differs.
  const siteReads = readsOf('/srv/sites/a.conf');
  workspace.changed('/srv/sites/a.conf');
  assert.equal(readsOf('/srv/sites/a.conf'), siteReads + 1, 'a.conf is read once, to compare');
  workspace.analysisFor('/srv/nginx.conf');
  assert.equal(workspace.analysesMade, made + 1, 'the same text: nginx.conf\'s analysis kept');
  files['/srv/sites/a.conf'] = 'server { listen 8080; }\n';
  workspace.changed('/srv/sites/a.conf');
  workspace.analysisFor('/srv/nginx.conf');
  assert.equal(workspace.analysesMade, made + 2, 'another text: nginx.conf analysed again');
});
