'use strict';
// Writes a realistic nginx.conf of exactly `lines` lines: upstreams, maps, servers with TLS,
// locations that proxy, cache, rewrite and serve static files. Deterministic (no randomness).
function generateConfig(lines = 5000) {
  const out = [];
  const push = (...s) => out.push(...s);
  push('user www-data;', 'worker_processes auto;', 'pid /run/nginx.pid;', 'error_log /var/log/nginx/error.log warn;', '');
  push('events {', '    worker_connections 4096;', '    multi_accept on;', '}', '');
  push('http {', '    include /etc/nginx/mime.types;', '    default_type application/octet-stream;', '    sendfile on;',
    '    tcp_nopush on;', '    keepalive_timeout 65s;', '    server_tokens off;', '    client_max_body_size 16m;',
    '    gzip on;', '    gzip_types text/plain text/css application/json application/javascript;',
    "    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent " +
      "\"$http_referer\" \"$http_user_agent\" $request_time';",
    '    access_log /var/log/nginx/access.log main;',
    '    limit_req_zone $binary_remote_addr zone=perip:10m rate=10r/s;',
    '    proxy_cache_path /var/cache/nginx levels=1:2 keys_zone=static:50m max_size=1g inactive=60m;',
    '    map $http_upgrade $connection_upgrade {', '        default upgrade;', "        ''      close;", '    }', '');
  const tail = ['}'];
  let app = 0;
  // Each site: one upstream and one server with several locations (~70 lines).
  while (true) {
    const name = `app${app}`;
    const site = [
      `    upstream ${name}_backend {`,
      `        server 10.0.${app % 250}.10:8080 max_fails=3 fail_timeout=10s;`,
      `        server 10.0.${app % 250}.11:8080 max_fails=3 fail_timeout=10s;`,
      `        server 10.0.${app % 250}.12:8080 backup;`,
      '        keepalive 32;',
      '    }',
      '',
      '    server {',
      '        listen 80;',
      `        server_name ${name}.example.com www.${name}.example.com;`,
      '        return 301 https://$host$request_uri;',
      '    }',
      '',
      '    server {',
      '        listen 443 ssl http2;',
      `        server_name ${name}.example.com;`,
      `        root /srv/www/${name}/public;`,
      '        index index.html index.htm;',
      `        ssl_certificate /etc/ssl/certs/${name}.pem;`,
      `        ssl_certificate_key /etc/ssl/private/${name}.key;`,
      '        ssl_protocols TLSv1.2 TLSv1.3;',
      '        ssl_session_cache shared:SSL:10m;',
      '        add_header Strict-Transport-Security "max-age=63072000" always;',
      '        add_header X-Frame-Options SAMEORIGIN;',
      '',
      '        location / {',
      '            try_files $uri $uri/ @backend;',
      '        }',
      '',
      '        location @backend {',
      `            proxy_pass http://${name}_backend;`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Host $host;',
      '            proxy_set_header X-Real-IP $remote_addr;',
      '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '            proxy_set_header X-Forwarded-Proto $scheme;',
      '            proxy_read_timeout 60s;',
      '        }',
      '',
      '        location /api/ {',
      '            limit_req zone=perip burst=20 nodelay;',
      `            proxy_pass http://${name}_backend/v1/;`,
      '            proxy_set_header Host $host;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection $connection_upgrade;',
      '        }',
      '',
      '        location ~* \\.(?:css|js|png|jpg|jpeg|gif|ico|svg|woff2?)$ {',
      '            expires 30d;',
      '            access_log off;',
      '            proxy_cache static;',
      '            proxy_cache_valid 200 302 10m;',
      '        }',
      '',
      '        location = /healthz {',
      '            access_log off;',
      '            return 200 "ok\\n";',
      '        }',
      '',
      '        location ~ ^/users/(?<user>[0-9]+)/avatar$ {',
      '            rewrite ^ /avatars/$user.png break;',
      '        }',
      '',
      '        location ~ /\\. {',
      '            deny all;',
      '        }',
      '    }',
      '',
    ];
    if (out.length + site.length + tail.length > lines) break;
    out.push(...site);
    app++;
  }
  // Pad with comments up to the exact line count, then close http.
  while (out.length + tail.length < lines) out.push(`    # padding ${out.length}`);
  out.push(...tail);
  return out.join('\n') + '\n';
}
module.exports = { generateConfig };
