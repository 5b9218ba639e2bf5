// Hover on a finding explains it: the verdict, the crafted request that shows the problem is real
// (data.exploit), and the values in effect with where each was set (data.effective), for any rule that
// fills them in. tls-upstream-unverified is the rule that does here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const MAIN = '/h/nginx.conf';

/** The hover at `marker` (+ `extra`) in `file` of the configuration `files`, with the file's findings. */
function hoverIn(files, file, marker, extra = 0) {
  const host = service.memoryHost(files);
  const analysis = service.analyzeConfig(MAIN, host);
  const text = files[file];
  const mine = (list) => list.filter((x) => x.file === file);
  return service.hover(analysis.files.get(file), text.indexOf(marker) + extra, mine(analysis.tlsSites), undefined,
    mine(analysis.certificateUses), undefined, mine(analysis.findings));
}

test('an unverified TLS upstream: verdict, exploit and the effective settings with where each was set, through an include', () => {
  const files = {
    [MAIN]: 'events {}\nhttp {\n    proxy_ssl_trusted_certificate /etc/ssl/ca.pem;\n    include conf.d/*.conf;\n}\n',
    '/h/conf.d/pay.conf': 'server {\n    listen 80;\n    proxy_ssl_verify off;\n    location / {\n'
      + '        proxy_pass https://pay.example.com;\n    }\n}\n',
  };
  const h = hoverIn(files, '/h/conf.d/pay.conf', 'https://', 3);
  assert.ok(h, 'no hover');
  const md = h.markdown;
  assert.match(md, /^\[`tls-upstream-unverified`\]\(https:\/\/\S+\/docs\/rules\/tls-upstream-unverified\.md\): /);
  assert.match(md, /proxy\\_pass to "https:\/\/pay\.example\.com" does not verify the upstream's certificate\n/);
  assert.match(md, /\*\*Exploit\*\*: a man-in-the-middle between nginx and pay\.example\.com that presents any certificate/);
  assert.match(md, /\| in effect \| value \| where \|/);
  assert.match(md, /\| proxy_ssl_verify \| off \| set at conf\.d\/pay\.conf:3 \|/);
  assert.match(md, /\| proxy_ssl_trusted_certificate \| \/etc\/ssl\/ca\.pem \| set at nginx\.conf:3 \|/);
  // The TLS settings table of the upstream follows the explanation.
  assert.match(md, /\n---\n\n\*\*TLS to `https:\/\/pay\.example\.com`\*\*/);
  const text = files['/h/conf.d/pay.conf'];
  assert.equal(text.slice(h.start, h.end), 'https://pay.example.com');
});

test('a setting nobody wrote is the nginx default; an empty value reads as a dash', () => {
  const text = 'events {}\nhttp {\n    server {\n        listen 80;\n        location / { proxy_pass https://10.0.0.1; }\n    }\n}\n';
  const md = hoverIn({ [MAIN]: text }, MAIN, 'https://', 2).markdown;
  assert.match(md, /\| proxy_ssl_verify \| off \| nginx default \|/);
  assert.match(md, /\| proxy_ssl_trusted_certificate \| — \| nginx default \|/);
});

test('no explanation away from a finding, nor for a finding that carries neither exploit nor effective values', () => {
  const text = 'events {}\nhttp {\n    servr {}\n    server {\n        listen 80;\n'
    + '        location / { proxy_pass https://10.0.0.1; }\n    }\n}\n';
  assert.doesNotMatch(hoverIn({ [MAIN]: text }, MAIN, 'listen', 1).markdown, /\*\*Exploit\*\*|\| in effect \|/);
  assert.equal(hoverIn({ [MAIN]: text }, MAIN, 'servr', 1), undefined, 'unknown-directive carries no data to explain');
});

test('any rule\'s data is shown: a crafted request as code, values escaped for the table, malformed entries left out', () => {
  const text = 'location /files { alias /srv/files/; }\n';
  const finding = {
    file: MAIN, start: text.indexOf('/files'), end: text.indexOf('/files') + 6, code: 'alias-traversal',
    message: 'alias traversal: "/files" without a trailing slash reaches the parent of /srv/files/. Add "/"',
    data: {
      exploit: 'GET /files../etc/passwd',
      effective: [
        { name: 'location', value: '/files', where: 'set at nginx.conf:1' },
        { name: 'alias', value: 'a|b `c`', where: 'set at nginx.conf:1' },
        { name: 'broken' }, 'nonsense', null,
      ],
    },
  };
  const h = service.explainFindings([finding], text.indexOf('/files') + 2);
  assert.match(h.markdown, /^\[`alias-traversal`\]\([^)]+\): alias traversal\n/);
  assert.match(h.markdown, /\*\*Exploit\*\*: `GET \/files\.\.\/etc\/passwd`/);
  assert.match(h.markdown, /\| alias \| a\\\|b `c` \| set at nginx\.conf:1 \|/);
  assert.equal(h.markdown.match(/^\| (?!in effect|---)/gm).length, 2, 'only the well-formed entries');
  assert.deepEqual([h.start, h.end], [finding.start, finding.end]);
  const words = service.explainFindings([{ ...finding, data: { exploit: 'a *scenario* in words' } }], finding.start).markdown;
  assert.match(words, /\*\*Exploit\*\*: a \\\*scenario\\\* in words/);
  assert.equal(service.explainFindings([finding], finding.end + 1), undefined, 'outside its range');
  assert.equal(service.explainFindings([{ ...finding, data: { exploit: 42, effective: 'x' } }], finding.start), undefined);
});

test('two findings on one place are both explained, the narrower range is the hover\'s', () => {
  const wide = { file: MAIN, start: 0, end: 30, code: 'a-rule', message: 'first: detail', data: { exploit: 'GET /a' } };
  const narrow = { file: MAIN, start: 5, end: 10, code: 'b-rule', message: 'second. More', data: { exploit: 'GET /b' } };
  const h = service.explainFindings([wide, narrow], 7);
  assert.deepEqual([h.start, h.end], [5, 10]);
  assert.match(h.markdown, /a-rule`\]\([^)]+\): first\n[\s\S]*\n---\n[\s\S]*b-rule`\]\([^)]+\): second\n/);
});

test('a socket a thousand servers share: the hover lists the first five and counts the rest', () => {
  const servers = Array.from({ length: 30 }, (_, i) => `    server { listen 8080; server_name s${i}.example; }\n`).join('');
  const text = `events {}\nhttp {\n${servers}}\n`;
  const md = hoverIn({ [MAIN]: text }, MAIN, '8080', 1).markdown;
  assert.match(md, /no server is marked default\\_server on/);
  const rows = md.split('\n').filter((line) => line.startsWith('| server |'));
  assert.deepEqual(rows.slice(0, 2), ['| server | s0.example | listening on *:8080 at nginx.conf:3 |',
    '| server | s1.example | listening on *:8080 at nginx.conf:4 |']);
  assert.equal(rows.length, 6);
  assert.equal(rows[5], '| server | … and 25 more | listening on *:8080 |');
});
