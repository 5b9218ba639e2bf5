// Quick fixes of the hygiene family (rules/hygiene.ts), as before/after text analysed again.
import { checkFix, checkNoFix, inServer } from '../lib/fix-check.mjs';

checkFix('error-log-off: /dev/null at crit', {
  before: 'error_log off;\nevents {}\n',
  code: 'error-log-off', title: /\/dev\/null crit/,
  after: 'error_log /dev/null crit;\nevents {}\n',
});

checkFix('error-log-off: the level written after "off" is kept', {
  before: inServer('        error_log off warn;\n'),
  code: 'error-log-off', title: /\/dev\/null warn/,
  after: inServer('        error_log /dev/null warn;\n'),
});

checkFix('version-disclosure: server_tokens build → off', {
  before: inServer('        server_tokens build;\n'),
  code: 'version-disclosure', title: /server_tokens off/,
  after: inServer('        server_tokens off;\n'),
});

checkFix('server-tokens-default: "server_tokens off;" first in http', {
  before: 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n',
  code: 'server-tokens-default', title: /server_tokens off in http/,
  after: 'events {}\nhttp {\n    server_tokens off;\n    server {\n        listen 80;\n    }\n}\n',
});

checkFix('valid-referers-none: "none" dropped', {
  before: inServer('        valid_referers none blocked example.com;\n'),
  code: 'valid-referers-none', title: /Drop "none"/,
  after: inServer('        valid_referers blocked example.com;\n'),
});

checkNoFix('valid-referers-none: no fix where "none" is all there is (valid_referers needs an argument)', {
  before: inServer('        valid_referers none;\n'),
  code: 'valid-referers-none',
});

checkFix('add-header-content-type: default_type instead', {
  before: inServer('        location /feed { add_header Content-Type "application/rss+xml"; }\n'),
  code: 'add-header-content-type', title: /default_type/,
  after: inServer('        location /feed { default_type "application/rss+xml"; }\n'),
});

checkNoFix('add-header-content-type: no default_type inside if (nginx does not take it there)', {
  before: inServer('        location /feed { if ($arg_rss) { add_header Content-Type application/rss+xml; } }\n'),
  code: 'add-header-content-type',
});

checkFix('header-value-multiline: the value on one line', {
  before: inServer('        add_header Content-Security-Policy "default-src \'self\';\n            img-src \'self\'" always;\n'),
  code: 'header-value-multiline', title: /one line/,
  after: inServer('        add_header Content-Security-Policy "default-src \'self\'; img-src \'self\'" always;\n'),
});

checkFix('keepalive-requests-low: 1000', {
  before: inServer('        keepalive_requests 100;\n'),
  code: 'keepalive-requests-low', title: /1000/,
  after: inServer('        keepalive_requests 1000;\n'),
});

checkFix('worker-rlimit-nofile-low: twice worker_connections', {
  before: 'worker_rlimit_nofile 1024;\nevents { worker_connections 4096; }\n',
  code: 'worker-rlimit-nofile-low', title: /8192/,
  after: 'worker_rlimit_nofile 8192;\nevents { worker_connections 4096; }\n',
});

checkFix('listen-http2-deprecated: the parameter dropped, "http2 on;" in the server', {
  before: inServer('        listen 8443 http2;\n'),
  code: 'listen-http2-deprecated', title: /http2 on/,
  after: inServer('        listen 8443;\n        http2 on;\n'),
});
