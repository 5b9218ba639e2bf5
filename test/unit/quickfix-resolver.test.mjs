// Quick fixes of the resolver family (rules/resolver.ts), as before/after text analysed again.
import { readFileSync } from 'node:fs';
import { checkFix, inServer } from '../lib/fix-check.mjs';

checkFix('resolver-external: every address becomes a local resolver, the parameters stay', {
  before: inServer('', '    resolver 8.8.8.8 1.1.1.1 valid=30s;\n'),
  code: 'resolver-external', title: /127\.0\.0\.1/,
  after: inServer('', '    resolver 127.0.0.1 valid=30s;\n'),
});

checkFix('resolver-external: a private address beside a public one goes too (one resolver list)', {
  before: inServer('        resolver 10.0.0.2 [2001:4860:4860::8888];\n'),
  code: 'resolver-external', title: /127\.0\.0\.1/,
  after: inServer('        resolver 127.0.0.1;\n'),
});

const certs = new URL('../../server/src/service/nginx/rules/resolver.cases/stapling/certs/', import.meta.url);
const files = Object.fromEntries(['no-ocsp-chain.pem', 'leaf.key'].map((f) => [`certs/${f}`, readFileSync(new URL(f, certs), 'utf8')]));
const tlsServer = (extra) => inServer('        listen 443 ssl;\n        server_name app.example.test;\n'
  + `        ssl_certificate certs/no-ocsp-chain.pem;\n        ssl_certificate_key certs/leaf.key;\n${extra}`);

checkFix('tls-stapling-ineffective: "ssl_stapling off" written beside the certificate', {
  before: tlsServer('').replace('http {\n', 'http {\n    ssl_stapling on;\n'),
  code: 'tls-stapling-ineffective', title: /ssl_stapling off/, files,
  after: tlsServer('').replace('http {\n', 'http {\n    ssl_stapling on;\n')
    .replace('certs/no-ocsp-chain.pem;\n', 'certs/no-ocsp-chain.pem;\n        ssl_stapling off;\n'),
});

checkFix('tls-stapling-ineffective: an "ssl_stapling on" in the same server is changed, not repeated', {
  before: tlsServer('        ssl_stapling on;\n'),
  code: 'tls-stapling-ineffective', title: /ssl_stapling off/, files,
  after: tlsServer('        ssl_stapling off;\n'),
});
