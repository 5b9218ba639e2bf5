// Hover: directive documentation, variables, and the effective TLS settings of an upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

function hoverAt(text, marker, extra = 0, options = {}) {
  const file = '/h/nginx.conf';
  const analysis = service.analyzeConfig(file, service.memoryHost({ [file]: text }), options);
  return service.hover(analysis.files.get(file), text.indexOf(marker) + extra, analysis.tlsSites,
    (e) => (e.setting ? 'set here' : 'nginx default'));
}

test('directive hover shows syntax, default, context and a link', () => {
  const h = hoverAt('events {}\nhttp { proxy_buffering off; }\n', 'proxy_buffering', 2);
  assert.match(h.markdown, /proxy_buffering on \| off;/);
  assert.match(h.markdown, /Default: `on`/);
  assert.match(h.markdown, /https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_buffering/);
});

test('variable hover explains $ssl_client_escaped_cert', () => {
  const h = hoverAt('events {}\nhttp { server { listen 443; add_header X $ssl_client_escaped_cert; } }\n', '$ssl_client_escaped_cert', 3);
  assert.match(h.markdown, /\$ssl_client_escaped_cert/);
  assert.match(h.markdown, /urlencoded|URL/i);
});

test('hover on a TLS proxy_pass shows the effective settings and where they come from', () => {
  const text = 'events {}\nhttp {\n  upstream pay { server 10.0.0.1:443; }\n  proxy_ssl_verify on;\n'
    + '  proxy_ssl_trusted_certificate /etc/ca.pem;\n  server { listen 80; location / { proxy_pass https://pay; } }\n}\n';
  const h = hoverAt(text, 'proxy_pass', 1);
  assert.match(h.markdown, /the certificate is verified/);
  assert.match(h.markdown, /\| proxy_ssl_verify \| on \| set here \|/);
  assert.match(h.markdown, /\| proxy_ssl_trusted_certificate \| \/etc\/ca\.pem \| set here \|/);
  assert.match(h.markdown, /\| name checked \| pay \(the upstream group's name\) \| nginx default \|/);
  assert.match(h.markdown, /\| proxy_ssl_server_name \(SNI\) \| off \| nginx default \|/);
});

test('the TLS hover shows the protocols the target release enables by default', () => {
  const text = 'events {}\nhttp { server { listen 80; location / { proxy_pass https://api.example.com; } } }\n';
  assert.match(hoverAt(text, 'https://', 2).markdown, /\| proxy_ssl_protocols \| TLSv1\.2 TLSv1\.3 \| nginx default \|/);
  assert.match(hoverAt(text, 'https://', 2, { nginxVersion: '1.22' }).markdown,
    /\| proxy_ssl_protocols \| TLSv1 TLSv1\.1 TLSv1\.2 \| nginx default \|/);
  assert.match(hoverAt(text, 'https://', 2, { nginxVersion: '1.24' }).markdown,
    /\| proxy_ssl_protocols \| TLSv1 TLSv1\.1 TLSv1\.2 TLSv1\.3 \| nginx default \|/);
});

test('hover on an unverified proxy_pass says so', () => {
  const h = hoverAt('events {}\nhttp { server { listen 80; location / { proxy_pass https://api.example.com; } } }\n', 'https://', 2);
  assert.match(h.markdown, /\*\*the certificate is not verified\*\*/);
  assert.match(h.markdown, /name checked \| api\.example\.com \(host of the URL\)/);
});

test('documented syntax placeholders are plain words in the code block', () => {
  const h = hoverAt('events {}\nhttp { server { server_name a.test; } }\n', 'server_name', 1);
  assert.doesNotMatch(h.markdown, /\*name\*/);
});
