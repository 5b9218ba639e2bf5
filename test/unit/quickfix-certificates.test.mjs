// Quick fixes of the certificates family as before/after text: the fix is computed from the document
// and the diagnostic alone, applied, and the result analysed again (with the must-staple certificate
// of the depth case beside it): the finding is gone and no new error appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FIXTURE_NOW, service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';
const certs = fileURLToPath(new URL('../../server/src/service/nginx/rules/certificates.cases/depth/certs/', import.meta.url));
const FILES = {
  '/fix/certs/must-staple-chain.pem': readFileSync(certs + 'must-staple-chain.pem', 'utf8'),
  '/fix/certs/leaf.key': readFileSync(certs + 'leaf.key', 'utf8'),
};

function findingsOf(text) {
  return service.analyzeConfig(MAIN, service.memoryHost({ [MAIN]: text, ...FILES }), { rootContexts: ['main'], now: FIXTURE_NOW })
    .findings;
}

const errorsOf = (text) => findingsOf(text).filter((f) => service.effectiveSeverity(f) === 'error').map((f) => `${f.code}: ${f.message}`);

function check(name, { before, code, title, after }) {
  test(name, () => {
    const finding = findingsOf(before).find((f) => f.code === code);
    assert.ok(finding, `no ${code} finding in:\n${before}`);
    const fix = service.quickFixes(before, finding).find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title}`);
    const result = service.applyEdits(before, fix.edits);
    assert.equal(result, after);
    assert.deepEqual(findingsOf(result).filter((f) => f.code === code), [], `${code} still reported after the fix`);
    assert.deepEqual(errorsOf(result), errorsOf(before), 'the fix introduced an error');
  });
}

const server = (body) => `events {}\nhttp {\n    resolver 127.0.0.1;\n${body}}\n`;
const staple = '    ssl_certificate certs/must-staple-chain.pem;\n';
const key = '    ssl_certificate_key certs/leaf.key;\n';
const tls = (lines) => `    server {\n        listen 443 ssl;\n        server_name app.example.test;\n${lines}    }\n`;

check('must-staple without stapling: turn it on beside the certificate', {
  before: server(tls(`    ${staple}    ${key}`)),
  code: 'cert-must-staple', title: /ssl_stapling on/,
  after: server(tls(`    ${staple.trimEnd()}\n        ssl_stapling on;\n    ${key}`)),
});

check('must-staple with "ssl_stapling off" in the server: turned on in place', {
  before: server(tls(`        ssl_stapling off;\n    ${staple}    ${key}`)),
  code: 'cert-must-staple', title: /ssl_stapling on/,
  after: server(tls(`        ssl_stapling on;\n    ${staple}    ${key}`)),
});

test('must-staple: the finding says where ssl_stapling was turned off', () => {
  const finding = findingsOf(server(tls(`        ssl_stapling off;\n    ${staple}    ${key}`))).find((f) => f.code === 'cert-must-staple');
  assert.deepEqual(finding.data.effective, [{ name: 'ssl_stapling', value: 'off', where: 'set at nginx.conf:7' }]);
});
