// Quick fixes of the default-servers family (default-server-implicit) as before/after text: each fix is computed
// from the document and the diagnostic alone, applied, and the result analysed again: the finding is gone and no
// new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';

function findingsOf(text) {
  return service.analyzeConfig(MAIN, service.memoryHost({ [MAIN]: text }), { rootContexts: ['main'] }).findings;
}

const errorsOf = (findings) => findings.filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);

function check(name, { before, code, title, after }) {
  test(name, () => {
    const findings = findingsOf(before);
    const finding = findings.find((f) => f.code === code);
    assert.ok(finding, `no ${code} finding: ${findings.map((f) => f.code).join(', ')}`);
    const fixes = service.quickFixes(before, finding);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
    const fixed = service.applyEdits(before, fix.edits);
    assert.equal(fixed, after);
    const again = findingsOf(fixed);
    assert.deepEqual(again.filter((f) => f.code === code).map((f) => f.message), [], `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(again), errorsOf(findings), 'the fix introduced an error');
  });
}

const two = (first, second = '        listen 80;\n        listen [::]:80;\n') => 'events {}\nhttp {\n    server {\n'
  + `${first}        server_name shop.example.com;\n    }\n    server {\n${second}        server_name blog.example.com;\n    }\n}\n`;

check('an implicit default server is marked default_server on each shared socket', {
  before: two('        listen 80;\n        listen [::]:80;\n'),
  code: 'default-server-implicit', title: /Make this server the default/,
  after: two('        listen 80 default_server;\n        listen [::]:80 default_server;\n'),
});

check('or a catch-all server that closes the connection goes first', {
  before: two('        listen 80;\n'),
  code: 'default-server-implicit', title: /catch-all default server that closes the connection/,
  after: 'events {}\nhttp {\n    server {\n        listen 80 default_server;\n        server_name _;\n        return 444;\n    }\n'
    + '    server {\n        listen 80;\n        server_name shop.example.com;\n    }\n    server {\n        listen 80;\n'
    + '        listen [::]:80;\n        server_name blog.example.com;\n    }\n}\n',
});

check('on a TLS socket the catch-all rejects the handshake', {
  before: 'events {}\nhttp {\n    ssl_certificate /etc/nginx/site.crt;\n    ssl_certificate_key /etc/nginx/site.key;\n'
    + '    server {\n        listen 443 ssl;\n        server_name a.example.com;\n    }\n'
    + '    server {\n        listen 443 ssl;\n        server_name b.example.com;\n    }\n}\n',
  code: 'default-server-implicit', title: /rejects the TLS handshake/,
  after: 'events {}\nhttp {\n    ssl_certificate /etc/nginx/site.crt;\n    ssl_certificate_key /etc/nginx/site.key;\n'
    + '    server {\n        listen 443 ssl default_server;\n        server_name _;\n        ssl_reject_handshake on;\n'
    + '        return 444;\n    }\n'
    + '    server {\n        listen 443 ssl;\n        server_name a.example.com;\n    }\n'
    + '    server {\n        listen 443 ssl;\n        server_name b.example.com;\n    }\n}\n',
});

