// Quick fixes for suppression comments, as before/after text: each fix is computed from the document
// and the diagnostic alone, applied, and the result analysed again: the finding is gone and no new
// error or finding appears. Also: fixes in an `nginx -T` dump land in the dump, at the embedded file's place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/fix/nginx.conf';

function findingsOf(text) {
  const file = service.readDump(text) ? '/fix/dump.txt' : MAIN;
  const host = service.memoryHost({ [file]: text });
  if (file !== MAIN) return service.analyzeDump(file, text, service.readDump(text), host).findings;
  return service.analyzeConfig(MAIN, host, { rootContexts: ['main'] }).findings;
}

const codesOf = (text) => findingsOf(text).map((f) => f.code).sort();

/** Applies the fix whose title matches to the `index`th finding with `code`; returns the new text. */
function applyFix(before, code, title, index = 0) {
  const finding = findingsOf(before).filter((f) => f.code === code)[index];
  assert.ok(finding, `no ${code} finding #${index} in:\n${before}`);
  const fixes = service.quickFixes(before, finding);
  const fix = fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ')}`);
  return { after: service.applyEdits(before, fix.edits), fix };
}

/** The fix removes the finding it is for (`removes` of that code), and leaves every other finding as it was. */
function check(name, { before, code, title, after, index = 0, removes = 1 }) {
  test(name, () => {
    const result = applyFix(before, code, title, index);
    assert.equal(result.after, after);
    const left = codesOf(before);
    left.splice(left.indexOf(code), removes);
    assert.deepEqual(codesOf(result.after), left, 'the fix removed more than its finding, or brought a new one');
  });
}

const wrap = (body) => `events {}\nhttp {\n    server {\n        listen 8080;\n${body}    }\n}\n`;
const pass = '            proxy_pass https://127.0.0.1:8443;\n';
const location = (lines) => `        location / {\n            proxy_set_header Host a.internal;\n${lines}        }\n`;

check('an unused suppression alone on its line: the line goes', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-no-sni -- not needed\n            return 204;\n')),
  code: 'suppression-unused', title: /Remove this unused suppression/,
  after: wrap(location('            return 204;\n')),
});

check('one unused rule among used ones: that rule and its comma go, the rest keeps working', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-unverified, tls-upstream-no-sni -- loopback\n' + pass)),
  code: 'suppression-unused', title: /Remove tls-upstream-no-sni from this suppression/,
  after: wrap(location('            # nginx-ls: ignore tls-upstream-unverified -- loopback\n' + pass)),
});

check('the first rule unused: it goes with the comma after it', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-no-sni,tls-upstream-unverified -- loopback\n' + pass)),
  code: 'suppression-unused', title: /Remove tls-upstream-no-sni/,
  after: wrap(location('            # nginx-ls: ignore tls-upstream-unverified -- loopback\n' + pass)),
});

check('every rule unused: the whole comment goes', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-no-sni, cert-expired -- old\n            return 204;\n')),
  code: 'suppression-unused', title: /Remove this unused suppression/, index: 1, removes: 2,
  after: wrap(location('            return 204;\n')),
});

check('an unused suppression after a statement: the comment goes, the statement stays', {
  before: wrap(location('            return 204; # nginx-ls: ignore tls-upstream-unverified -- nothing to hide\n')),
  code: 'suppression-unused', title: /Remove this unused suppression/,
  after: wrap(location('            return 204;\n')),
});

check('a suppression without a reason gets a place for one', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-unverified\n' + pass)),
  code: 'suppression-without-reason', title: /Give this suppression a reason/,
  after: wrap(location('            # nginx-ls: ignore tls-upstream-unverified -- why this is fine here\n' + pass)),
});

check('an empty reason after "--" is filled in, not doubled', {
  before: wrap(location('            # nginx-ls: ignore tls-upstream-unverified --  \n' + pass)),
  code: 'suppression-without-reason', title: /Give this suppression a reason/,
  after: wrap(location('            # nginx-ls: ignore tls-upstream-unverified -- why this is fine here\n' + pass)),
});

test('the reason is a tab stop for clients that insert snippets', () => {
  const before = wrap(location('            # nginx-ls: ignore tls-upstream-unverified\n' + pass));
  const { fix } = applyFix(before, 'suppression-without-reason', /reason/);
  assert.deepEqual(fix.snippetEdits.map((e) => e.newText), [' -- ${1:why this is fine here}']);
});

test('a stale diagnostic that no longer stands on a suppression gets no fix', () => {
  const text = wrap(location('            return 204;\n'));
  const at = text.indexOf('return');
  assert.deepEqual(service.quickFixes(text, { code: 'suppression-unused', start: at, end: at + 6 }), []);
});

const dump = (site) => 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n'
  + 'nginx: configuration file /etc/nginx/nginx.conf test is successful\n'
  + '# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp {\n    include conf.d/*.conf;\n}\n\n'
  + `# configuration file /etc/nginx/conf.d/site.conf:\n${site}\n`;
const site = (lines) => `server {\n    listen 8080;\n    location / {\n${lines}    }\n}\n`;

check('in an nginx -T dump, a fix edits the embedded file where it stands in the dump', {
  before: dump(site('        proxy_pass https://10.0.0.5;\n')),
  code: 'tls-upstream-unverified', title: /system CA bundle/,
  after: dump(site('        proxy_pass https://10.0.0.5;\n        proxy_ssl_verify on;\n'
    + '        proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n        proxy_ssl_server_name on;\n')),
});

check('in an nginx -T dump, an unused suppression is removed from its embedded file', {
  before: dump(site('        # nginx-ls: ignore tls-upstream-unverified -- nothing to hide\n        return 204;\n')),
  code: 'suppression-unused', title: /Remove this unused suppression/,
  after: dump(site('        return 204;\n')),
});
