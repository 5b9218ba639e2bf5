// Quick fixes of the routing family (rules/routing.ts), as before/after text analysed again.
import { checkFix, checkNoFix, inServer } from '../lib/fix-check.mjs';

checkFix('proxy-pass-uri-normalized: a URI part equal to the location is dropped (the same mapping, the URI as sent)', {
  before: inServer('        location /app/ {\n            proxy_pass http://127.0.0.1:9000/app/;\n        }\n'),
  code: 'proxy-pass-uri-normalized', title: /drop "\/app\/"/,
  after: inServer('        location /app/ {\n            proxy_pass http://127.0.0.1:9000;\n        }\n'),
});

checkFix('proxy-pass-uri-normalized: "/" in location "/"', {
  before: inServer('        location / { proxy_pass http://backend/; }\n', '    upstream backend { server 127.0.0.1:9000; }\n'),
  code: 'proxy-pass-uri-normalized', title: /drop "\/"/,
  after: inServer('        location / { proxy_pass http://backend; }\n', '    upstream backend { server 127.0.0.1:9000; }\n'),
});

checkNoFix('proxy-pass-uri-normalized: no fix where dropping the URI part would change the mapping', {
  before: inServer('        location /app/ {\n            proxy_pass http://127.0.0.1:9000/v2/;\n        }\n'),
  code: 'proxy-pass-uri-normalized',
});
