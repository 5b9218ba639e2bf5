// Quick fixes of the default-servers family (default-server-implicit) as before/after text: each fix is computed
// from the document and the diagnostic alone, applied, and the result analysed again: the finding is gone and no
// new error appears.
import { checkFix as check } from '../lib/fix-check.mjs';

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

