// Quick fixes of the regex family (rules/regex.ts), as before/after text analysed again.
import { checkFix, checkNoFix, inServer } from '../lib/fix-check.mjs';

const location = (body) => inServer(`        location /old/ {\n${body}        }\n`);

checkFix('rewrite-capture-overflow (CVE-2026-42945): the rewrite and the set after it use named captures', {
  before: location('            rewrite ^/old/(.*)/(\\d+)$ /new?from=old;\n            set $rest $1-$2;\n'),
  code: 'rewrite-capture-overflow', title: /named captures/, nginxVersion: '1.28',
  after: location('            rewrite ^/old/(?<cap1>.*)/(?<cap2>\\d+)$ /new?from=old;\n            set $rest ${cap1}-${cap2};\n'),
});

checkFix('rewrite-capture-overflow (CVE-2026-9256): a redirect\'s own groups and references', {
  before: location('            rewrite ^/old/(.*)$ https://example.com/$1?src=old permanent;\n'),
  code: 'rewrite-capture-overflow', title: /named captures/, nginxVersion: '1.30.1',
  after: location('            rewrite ^/old/(?<cap1>.*)$ https://example.com/${cap1}?src=old permanent;\n'),
});

checkFix('rewrite-capture-overflow: a later rewrite renames its own groups, and the set after it follows that one', {
  before: location('            rewrite ^/old/(a)$ /new?x=1;\n            rewrite ^/new(.*)$ /newer$1;\n            set $v $1;\n'),
  code: 'rewrite-capture-overflow', title: /named captures/, nginxVersion: '1.22',
  after: location('            rewrite ^/old/(?<cap1>a)$ /new?x=1;\n            rewrite ^/new(?<cap1>.*)$ /newer${cap1};\n'
    + '            set $v ${cap1};\n'),
});

checkNoFix('rewrite-capture-overflow: no renaming where a named group already sets the numbering', {
  before: location('            rewrite ^/old/(?<a>x)(.*)$ /new?from=old;\n            set $rest $2;\n'),
  code: 'rewrite-capture-overflow', nginxVersion: '1.22',
});

const withSlice = (map) => `events {}\nhttp {\n    map $http_user_agent $bot {\n${map}        default 0;\n    }\n`
  + '    server {\n        listen 80;\n        location / { slice 1m; proxy_pass http://127.0.0.1:8080; }\n    }\n}\n';

checkFix('rewrite-capture-overflow (CVE-2026-42533): a map\'s groups become non-capturing', {
  before: withSlice('        ~*(bot|crawler)(s?) 1;\n'),
  code: 'rewrite-capture-overflow', title: /non-capturing/,
  after: withSlice('        ~*(?:bot|crawler)(?:s?) 1;\n'),
});

checkNoFix('rewrite-capture-overflow: no (?:…) where the map value reads the group', {
  before: withSlice('        ~*^(\\w+)bot $1;\n'),
  code: 'rewrite-capture-overflow',
});

checkFix('location-regex-unanchored: "^" inserted', {
  before: inServer('        location ~ /admin { proxy_pass http://127.0.0.1:8081; }\n'),
  code: 'location-regex-unanchored', title: /Anchor/,
  after: inServer('        location ~ ^/admin { proxy_pass http://127.0.0.1:8081; }\n'),
});

checkFix('location-regex-unanchored: a suffix (the modifier written against it) is anchored at the end', {
  before: inServer('        location ~*\\.(gif|png) { expires 1d; }\n'),
  code: 'location-regex-unanchored', title: /end of the URI/,
  after: inServer('        location ~*\\.(gif|png)$ { expires 1d; }\n'),
});
