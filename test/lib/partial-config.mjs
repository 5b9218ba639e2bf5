// A configuration laid out as nginx packages ship it, for root tests in every client: nginx.conf
// includes conf.d/*.conf, and conf.d/site.conf names its certificate and key by paths relative to
// nginx's prefix (the folder of nginx.conf), never to conf.d/. The certificate and key exist but do
// not fit the site (another key, another name), so an analysis inside nginx.conf reports exactly
// cert-key-mismatch and cert-name-mismatch, and one that resolves against conf.d/ reports
// cert-not-found twice instead.
import fs from 'node:fs';
import path from 'node:path';
import { openssl } from './certs.mjs';

export const SITE = [
  'server {',
  '    listen 443 ssl;',
  '    server_name www.other.test;',
  '    ssl_certificate certs/site.pem;',
  '    ssl_certificate_key certs/other.key;',
  '    add_header Strict-Transport-Security "max-age=63072000" always;',
  '}',
  '',
].join('\n');

/** The codes an analysis inside nginx.conf gives conf.d/site.conf, sorted. */
export const SITE_CODES = ['cert-key-mismatch', 'cert-name-mismatch'];

/** Writes the configuration into `dir`; returns the paths a test opens. */
export function writePartialConfig(dir) {
  fs.mkdirSync(path.join(dir, 'conf.d'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'certs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
  fs.writeFileSync(path.join(dir, 'conf.d/site.conf'), SITE);
  const certs = (name) => path.join(dir, 'certs', name);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', certs('site.key')]);
  openssl(['req', '-new', '-x509', '-key', certs('site.key'), '-out', certs('site.pem'), '-days', '365',
    '-subj', '/CN=app.example.test', '-addext', 'subjectAltName=DNS:app.example.test']);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', certs('other.key')]);
  return { main: path.join(dir, 'nginx.conf'), site: path.join(dir, 'conf.d/site.conf'), confD: path.join(dir, 'conf.d') };
}
