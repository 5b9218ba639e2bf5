'use strict';
// Writes a tree of `files` nginx configs under `dir`, as a host with many sites might keep them:
// sites/<n>/nginx.conf (a main config) including sites/<n>/conf.d/*.conf (servers), one file of
// shared settings every main config includes (reported once, from the first site), and a snippet per
// site that nothing includes (checked on its own). Some files have findings (an unknown directive,
// legacy TLS, a missing include), so the reports are not all empty. Deterministic (no randomness).
const fs = require('node:fs');
const path = require('node:path');

const SERVERS_PER_SITE = 8;

function server(site, n) {
  const name = `app${n}.site${site}.example`;
  const lines = [
    'server {',
    '    listen 80;',
    `    server_name ${name};`,
    `    access_log /var/log/nginx/${name}.log;`,
    '    location / {',
    `        proxy_pass http://127.0.0.1:${8000 + n};`,
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Real-IP $remote_addr;',
    '        proxy_read_timeout 30s;',
    '    }',
    '    location /static/ {',
    `        root /srv/site${site};`,
    '        expires 7d;',
    '    }',
  ];
  if (n % 4 === 1) lines.push('    ssl_protocols TLSv1 TLSv1.2;');
  if (n % 4 === 2) lines.push('    proxy_buffer_sise 16k;');
  if ((site + n) % 16 === 0) lines.push(`    include /etc/nginx/missing-${site}-${n}.conf;`);
  lines.push('}', '');
  return lines.join('\n');
}

/** The tree's files, written; returns their count (`files` rounded up to whole sites). */
function generateTree(dir, files = 10000) {
  const shared = path.join(dir, 'shared', 'proxy.conf');
  fs.mkdirSync(path.dirname(shared), { recursive: true });
  fs.writeFileSync(shared, 'proxy_http_version 1.1;\nproxy_set_header Connection "";\nkeepalive_timeout 65s;\n');
  let written = 1;
  for (let site = 0; written < files; site++) {
    const root = path.join(dir, 'sites', String(site).padStart(5, '0'));
    fs.mkdirSync(path.join(root, 'conf.d'), { recursive: true });
    fs.mkdirSync(path.join(root, 'snippets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'nginx.conf'), [
      'worker_processes auto;', 'events { worker_connections 1024; }', 'http {',
      `    include ${shared};`, `    include ${path.join(root, 'conf.d')}/*.conf;`, '}', '',
    ].join('\n'));
    for (let n = 0; n < SERVERS_PER_SITE; n++) fs.writeFileSync(path.join(root, 'conf.d', `app${n}.conf`), server(site, n));
    fs.writeFileSync(path.join(root, 'snippets', 'headers.conf'),
      `add_header X-Site site${site};\nadd_header X-Frame-Options DENY;\n${site % 3 === 0 ? 'gzip maybe;\n' : ''}`);
    written += SERVERS_PER_SITE + 2;
  }
  return written;
}

module.exports = { generateTree };
