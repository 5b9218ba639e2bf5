/**
 * The explanation of each rule, for its page `docs/rules/<id>.md` (written by `npm run rules`,
 * scripts/sync-rules.mjs): why it matters, how to fix it, and an example, a configuration where the
 * rule fires (`bad`) and the same one fixed (`good`). What the rule reports is its catalog
 * description (rules.ts). test/unit/rule-docs.test.mjs analyses every example: the rule must fire on
 * `bad` and stay quiet on `good`, so the pages stay true.
 *
 * Examples are nginx text for nginx rules (analysed as a file named nginx.conf, with `files` beside
 * it) and a manifest for Ingress rules. Certificate examples name the certificates the tests make
 * (test/lib/certs.mjs, in `certs/`): `leaf-chain.pem` (app.example.test and *.example.test, with its
 * intermediate) and its key `leaf.key`; `expired.pem`, `expiring.pem` (10 days left),
 * `not-yet-valid.pem`, `wrong-order.pem`, `mismatch.key`, `garbage.pem`, `root-ca.pem`, `leaf.pem`.
 */
import type { RuleId } from './rules';

export interface RuleDoc {
  /** What goes wrong, for whom, when: why the finding matters. */
  why: string;
  /** What to change. */
  fix: string;
  bad: string;
  good: string;
  /** Other files of the example, by path relative to nginx.conf; shown on the page. */
  files?: Readonly<Record<string, string>>;
  /** The nginx release both examples are judged for (`nginx-ls.nginx.version`), for rules that depend on it. */
  nginxVersion?: string;
}

/** A TLS server block around `body` (indented lines). */
const tlsServer = (body: string, name = 'app.example.test') =>
  `server {\n    listen 443 ssl;\n    server_name ${name};\n${body}}\n`;

/**
 * A whole configuration around `http` (its lines, unindented): what nginx checks only with the whole
 * picture (a part could be included where the missing piece is set) needs one.
 */
const whole = (http: string) => `events {}\nhttp {\n${http.replace(/^(?=.)/gm, '    ')}}\n`;

const certAndKey = '    ssl_certificate     certs/leaf-chain.pem;\n    ssl_certificate_key certs/leaf.key;\n';

/**
 * An Ingress with `annotations` (lines of `key: value` without the prefix; indented lines continue a
 * block value) and optional extra documents.
 */
const ingress = (annotations: string, more = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  namespace: shop
  annotations:
${annotations.split('\n').map((l) => (l.startsWith(' ') ? l : `    nginx.ingress.kubernetes.io/${l}`)).join('\n')}
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: app
      port:
        number: 443
${more}`;

/** An IngressClass named nginx (the name both controllers install by default) of `controller`. */
const ingressClass = (controller: string) => `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: ${controller}
`;

/** A Secret manifest in namespace shop holding `keys` (`key: base64` lines). */
const secret = (name: string, keys: string) => `---
apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: shop
data:
${keys.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n')}
`;

/**
 * A real CA certificate (P-256, "CN=Example Client CA", valid until 2126, made for these pages) as a Secret's
 * `ca.crt` value: the fixed examples must satisfy the certificate rules too, and a truncated PEM would not.
 */
const EXAMPLE_CA_BASE64 = [
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJuekNDQVVXZ0F3SUJBZ0lVRmFBYzd4QnN1MGhjRHdnMHhpYTk4OHBKakt3d0NnWUlLb1pJ',
  'emowRUF3SXcKSERFYU1CZ0dBMVVFQXd3UlJYaGhiWEJzWlNCRGJHbGxiblFnUTBFd0lCY05Nall4TWpBeU1EUTBNRFExV2hnUApNakV5TmpFeE1E',
  'Z3dORFF3TkRWYU1Cd3hHakFZQmdOVkJBTU1FVVY0WVcxd2JHVWdRMnhwWlc1MElFTkJNRmt3CkV3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RR',
  'Z0FFUzRtdTlhV2grUzJsaWdsZGtlVVdmODhwT3hmZFRWZUsKd1pLU2pvSUM3SGFDaVVrdEZGbG00d0VkTHlvSGtvMFdzN1dWRUkwb0xhTk5lczU5',
  'SDc2ZFlLTmpNR0V3SFFZRApWUjBPQkJZRUZHSUxDN3pJNnM5a1ZoREdsK0QzOXluS1JkenZNQjhHQTFVZEl3UVlNQmFBRkdJTEM3ekk2czlrClZo',
  'REdsK0QzOXluS1JkenZNQThHQTFVZEV3RUIvd1FGTUFNQkFmOHdEZ1lEVlIwUEFRSC9CQVFEQWdFR01Bb0cKQ0NxR1NNNDlCQU1DQTBnQU1FVUNJ',
  'RENtREhrNWh0dk5HdWZscjVWTnRLdkphMEMvUE13WjBaNGtqQXJzMnU3OQpBaUVBbzJxOHpRbmFHSUlGTGtvZVFxSzVvMHM1Y0tiN1FxOUF0ODk3',
  'TG1XdDlGUT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=',
].join('');

/** A plain-HTTP server block around `body` (unindented lines). */
const plainServer = (body: string) => `server {\n    listen 80;\n${body.replace(/^(?=.)/gm, '    ')}}\n`;

const proxyLocation = (body: string) => `location /api/ {\n${body}    proxy_pass https://api.example.com;\n}\n`;


/** A Gateway in namespace infra with `listeners` and `tls` (lines under spec, indented by two). */
const gateway = (listeners: string, tls: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: nginx
  listeners:
${listeners}
  tls:
${tls}`;

const httpsListener = '    - name: https\n      port: 443\n      protocol: HTTPS\n'
  + '      tls:\n        certificateRefs:\n          - name: edge-tls\n';
const httpListener = '    - name: http\n      port: 80\n      protocol: HTTP\n';
const frontend = (mode = '') => '    frontend:\n      default:\n        validation:\n'
  + `${mode ? `          mode: ${mode}\n` : ''}`
  + '          caCertificateRefs:\n            - group: ""\n              kind: ConfigMap\n              name: client-ca\n';

/** A BackendTLSPolicy in namespace shop for Service api, with `validation` (lines under it, indented by four). */
const tlsPolicy = (validation: string, target = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: api-backend-tls
  namespace: shop
spec:
  targetRefs:
    - group: ""
      kind: Service
      name: api
${target}  validation:
${validation}`;

const caConfigMapRef = '    caCertificateRefs:\n      - group: ""\n        kind: ConfigMap\n        name: api-ca\n';

/** A Service api in namespace shop with one port (its lines under the list item). */
const service = (port: string) => `---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  ports:
    - ${port}
`;

/** An HTTPRoute in namespace shop sending to Service api on `port`. */
const route = (port: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
  namespace: shop
spec:
  parentRefs:
    - name: edge
      namespace: infra
  rules:
    - backendRefs:
        - name: api
          port: ${port}
`;

/** An F5 NGINX Ingress Controller Policy in namespace shop with `spec` (lines under it, indented by two). */
const nicPolicy = (spec: string) => `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: api-egress
  namespace: shop
spec:
${spec}`;

/** An Ingress read by F5 NGINX Ingress Controller with `annotations` (full keys: indented, ingress() keeps them as written). */
const nicIngress = (annotations: string, more = '') => ingress(annotations.split('\n').map((l) => `    ${l}`).join('\n'), more);

const verifiedEgress = '  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n    protocols: "TLSv1.2 TLSv1.3"\n';

export const RULE_DOCS: Readonly<Record<RuleId, RuleDoc>> = {
  'syntax': {
    why: 'nginx stops at the first character it cannot read: `nginx -t` fails and a reload keeps the old configuration '
      + '(a restart leaves the server down). Everything after the error is read in a guessed shape, so other findings may follow from it.',
    fix: 'Add the missing `;`, `{` or `}`, or close the quote, at the place the message points to. A `#` comment runs to '
      + 'the end of the line: in a configuration pasted on one line it hides the `}` after it '
      + '(a hint marks it; its quick fix breaks the line).',
    bad: 'server {\n    listen 80;\n    location / {\n        root /srv/www;\n}\n',
    good: 'server {\n    listen 80;\n    location / {\n        root /srv/www;\n    }\n}\n',
  },
  'unknown-directive': {
    why: 'nginx refuses to start on a directive no loaded module defines ("unknown directive"). '
      + 'Usually a typo, or a directive of a module that is not loaded.',
    fix: 'Correct the name (the message suggests the nearest one valid where it stands, for the nginx flavor and release, '
      + 'and the quick fix applies it), or load the module that defines it with `load_module`.',
    bad: 'location / {\n    proxy_pas http://127.0.0.1:8080;\n}\n',
    good: 'location / {\n    proxy_pass http://127.0.0.1:8080;\n}\n',
  },
  'module-unknown': {
    why: 'nginx-ls has no directive table for this module, so the directives it defines are accepted unchecked: '
      + 'a typo in them would go unnoticed. nginx itself may be fine.',
    fix: 'Nothing to fix in nginx. Review those directives by hand, or turn the notice off with '
      + '`"nginx-ls.rules": { "module-unknown": "off" }`. The fixed example loads a module nginx-ls knows.',
    bad: '# nginx-ls: context=main\nload_module modules/ngx_http_f5_metrics_module.so;\n',
    good: '# nginx-ls: context=main\nload_module modules/ngx_http_image_filter_module.so;\n',
  },
  'directive-module-missing': {
    why: 'OpenResty builds in modules stock nginx does not have (lua and stream-lua, echo, memc, srcache, set-misc, redis2, '
      + 'redis, rds-json, rds-csv, xss, coolkit, form-input, encrypted-session, array-var; drizzle when configured for it), '
      + 'and NGINX Plus has directives of its own. nginx refuses to start on a directive of a module it lacks ("unknown directive"): '
      + 'with stock nginx the module has to be loaded with `load_module`. Which modules count as built in follows '
      + '`nginx-ls.nginx.flavor` (`auto`: OpenResty when the configuration uses Lua, NGINX Plus when it uses Plus directives).',
    fix: 'Load the module with the `load_module` line the message gives, or set `nginx-ls.nginx.flavor` to the nginx you run '
      + '(`openresty`, `plus`); with the CLI, `--flavor openresty`.',
    bad: whole('server {\n    listen 80;\n    location /hello {\n        echo "hello";\n    }\n}\n'),
    good: 'load_module modules/ngx_http_echo_module.so;\n'
      + whole('server {\n    listen 80;\n    location /hello {\n        echo "hello";\n    }\n}\n'),
  },
  'directive-context': {
    why: 'nginx refuses to start when a directive stands in a block that does not allow it ("directive is not allowed here").',
    fix: 'Move the directive into a block the message lists (often into a `location`), or remove it.',
    bad: whole('server {\n    listen 80;\n    proxy_pass http://127.0.0.1:8080;\n}\n'),
    good: whole('server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n'),
  },
  'directive-args': {
    why: 'nginx refuses to start on a directive with too few or too many arguments, or a flag that is not `on` or `off`.',
    fix: 'Give the arguments the directive\'s syntax asks for (hover the directive name to see it); flags take `on` or `off`.',
    bad: 'server {\n    listen 80;\n    gzip yes;\n}\n',
    good: 'server {\n    listen 80;\n    gzip on;\n}\n',
  },
  'directive-block': {
    why: 'nginx refuses to start when a block directive (`location`, `server`, `upstream`, …) ends with `;`, '
      + 'or a simple directive is given a `{ … }` block.',
    fix: 'Give the block directive its `{ … }`, or end the simple directive with `;`.',
    bad: 'server {\n    listen 80;\n    location /api/;\n}\n',
    good: 'server {\n    listen 80;\n    location /api/ {\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n',
  },
  'directive-removed': {
    why: 'Current nginx releases no longer know the directive and refuse to start; older ones accept it with a warning. '
      + 'An upgrade turns the warning into an outage.',
    fix: 'Use the replacement the message names (for `ssl on`: the `ssl` parameter of `listen`).',
    bad: 'server {\n    listen 443;\n    ssl on;\n    server_name app.example.test;\n' + certAndKey + '}\n',
    good: tlsServer(certAndKey),
  },
  'directive-version': {
    why: 'An nginx release refuses syntax that came after it ("unknown directive", "invalid parameter") and does not start. '
      + 'The target is `nginx-ls.nginx.version` (CLI: `--nginx-version`), the newest stable release unless set: '
      + '`http2 on` needs 1.25.1, `listen … quic` 1.25.0, `server … resolve` in an upstream 1.27.3, `early_hints` 1.29.0.',
    fix: 'Set `nginx-ls.nginx.version` to the release your servers run, then write what it accepts '
      + '(`listen 443 ssl http2` before 1.25.1), or upgrade nginx.',
    bad: 'server {\n    listen 8080;\n    location / {\n        early_hints $http2;\n        proxy_pass http://127.0.0.1:8081;\n    }\n}\n',
    good: 'server {\n    listen 8080;\n    location / {\n        proxy_pass http://127.0.0.1:8081;\n    }\n}\n',
  },
  'directive-duplicate': {
    why: 'nginx refuses to start when a directive it accepts once per block is given twice ("directive is duplicate").',
    fix: 'Keep one of them: the one with the value you mean.',
    bad: 'location / {\n    root /srv/www;\n    root /srv/site;\n}\n',
    good: 'location / {\n    root /srv/site;\n}\n',
  },
  'include-not-found': {
    why: 'nginx refuses to start when an `include` without wildcards names no file. (A pattern such as `conf.d/*.conf` '
      + 'may match nothing.) Relative paths are read from the configuration prefix, the folder of the main nginx.conf.',
    fix: 'Correct the path (relative to the folder of nginx.conf, not to the including file), or create the file.',
    bad: 'http {\n    include conf.d/sites.conf;\n}\n',
    good: 'events {}\nhttp {\n    include conf.d/site.conf;\n}\n',
    files: { 'conf.d/site.conf': 'server {\n    listen 80;\n}\n' },
  },
  'include-cycle': {
    why: 'A file that includes itself, directly or through other files, never ends: nginx 1.22 crashes on it '
      + 'instead of reporting an error. A pattern in the main folder (`*.conf`) easily matches nginx.conf itself.',
    fix: 'Include a folder that holds only the included files, or name them one by one.',
    bad: 'http {\n    include *.conf;\n}\n',
    good: 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    files: { 'conf.d/site.conf': 'server {\n    listen 80;\n}\n' },
  },
  'include-unreadable': {
    why: 'nginx refuses to start when an include names a folder, a device or something else it cannot read as a file.',
    fix: 'Name the files inside the folder with a pattern (`conf.d/*.conf`).',
    bad: 'http {\n    include conf.d;\n}\n',
    good: 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    files: { 'conf.d/site.conf': 'server {\n    listen 80;\n}\n' },
  },
  'if-condition': {
    why: 'nginx refuses to start on an `if` condition it cannot parse: a wrong operator, an unknown `-f`-style test, '
      + 'a missing parenthesis.',
    fix: 'Write the condition in parentheses, with `=`, `!=`, `~`, `~*`, `!~`, `!~*` or a file test (`-f`, `-d`, `-e`, `-x`, with `!`).',
    bad: 'location / {\n    if ($request_method => POST) {\n        return 405;\n    }\n}\n',
    good: 'location / {\n    if ($request_method = POST) {\n        return 405;\n    }\n}\n',
  },
  'listen-address': {
    why: 'nginx refuses to start on a `listen` it cannot parse (a port above 65535, an unknown parameter), '
      + 'or on the same address given twice, or two default servers for one address.',
    fix: 'Correct the port or parameter; give each address one `listen` per server and one `default_server`.',
    bad: 'server {\n    listen 80800;\n}\n',
    good: 'server {\n    listen 8080;\n}\n',
  },
  'invalid-value': {
    why: 'nginx refuses to start on a size, time, number or keyword it cannot read.',
    fix: 'Use nginx\'s units: sizes `512`, `16k`, `10m`, `1g`; times `30s`, `5m`, `1h30m`; or one of the keywords the directive takes.',
    bad: 'server {\n    listen 80;\n    client_max_body_size 10mb;\n}\n',
    good: 'server {\n    listen 80;\n    client_max_body_size 10m;\n}\n',
  },
  'location-modifier': {
    why: 'nginx refuses to start on a location modifier other than `=`, `~`, `~*` and `^~`.',
    fix: 'Use `=` (exact), `^~` (prefix, no regex after), `~` / `~*` (regex, case-sensitive / not), or no modifier (prefix).',
    bad: 'location == /health {\n    return 204;\n}\n',
    good: 'location = /health {\n    return 204;\n}\n',
  },
  'proxy-pass-uri': {
    why: 'nginx refuses to start when `proxy_pass` has a URI part where it cannot know which part of the request URI '
      + 'to replace: in a regex or named location, inside `if` or `limit_except`.',
    fix: 'Drop the URI part (the request URI is passed as it is), or rewrite the URI yourself with `rewrite … break`.',
    bad: 'location ~ ^/app/ {\n    proxy_pass http://127.0.0.1:8080/app/;\n}\n',
    good: 'location ~ ^/app/ {\n    proxy_pass http://127.0.0.1:8080;\n}\n',
  },
  'upstream-empty': {
    why: 'nginx refuses to start on an `upstream` block with no `server` in it ("no servers are inside upstream").',
    fix: 'Add the backends as `server` lines, or remove the block and what points to it.',
    bad: 'upstream backend {\n}\n',
    good: 'upstream backend {\n    server 127.0.0.1:8080;\n}\n',
  },
  'unknown-variable': {
    why: 'nginx refuses to start on a variable no module, `set`, `map`, `geo` or regex capture defines ("unknown variable"). '
      + 'Usually a typo.',
    fix: 'Correct the name (the message suggests the nearest variable the configuration defines or the module area and flavor '
      + 'build in, and the quick fix applies it), or define it with `set` or `map`.',
    bad: whole('server {\n    listen 80;\n    return 301 https://example.com$reqest_uri;\n}\n'),
    good: whole('server {\n    listen 80;\n    return 301 https://example.com$request_uri;\n}\n'),
  },
  'regex-invalid': {
    why: 'nginx compiles every regular expression at start and refuses to start when PCRE cannot compile one.',
    fix: 'Balance the parentheses and brackets; quote a regex that contains `{`, `}` or `;`.',
    bad: 'location ~ "^/(api|v1/" {\n    return 204;\n}\n',
    good: 'location ~ "^/(api|v1)/" {\n    return 204;\n}\n',
  },
  'unknown-zone': {
    why: 'nginx refuses to start when `limit_req` or `limit_conn` names a zone that no `limit_req_zone` / `limit_conn_zone` '
      + 'defines ("zero size shared memory zone").',
    fix: 'Define the zone at the http level, or correct the zone name.',
    bad: 'events {}\nhttp {\n    server {\n        listen 80;\n        limit_req zone=api;\n    }\n}\n',
    good: 'events {}\nhttp {\n    limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;\n'
      + '    server {\n        listen 80;\n        limit_req zone=api;\n    }\n}\n',
  },
  'unknown-log-format': {
    why: 'nginx refuses to start when `access_log` names a format no `log_format` defines ("unknown log format").',
    fix: 'Define the format with `log_format` in http (before it is used), correct its name, or use the built-in `combined`.',
    bad: whole('server {\n    listen 80;\n    access_log /var/log/nginx/access.log main;\n}\n'),
    good: whole('server {\n    listen 80;\n    access_log /var/log/nginx/access.log combined;\n}\n'),
  },
  'events-missing': {
    why: 'nginx refuses to start without an `events` block in the main configuration ("no events section in configuration").',
    fix: 'Add `events {}` at the top level (its settings have defaults).',
    bad: 'http {\n    server {\n        listen 80;\n    }\n}\n',
    good: 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n',
  },
  'location-nesting': {
    why: 'nginx refuses to start on a prefix location nested in one it does not extend, or any location inside an exact '
      + '(`=`) or named (`@`) one: the inner location could never match.',
    fix: 'Make the inner prefix start with the outer one, or move the location out to the server level.',
    bad: 'location /api/ {\n    location /static/ {\n        root /srv;\n    }\n}\n',
    good: 'location /api/ {\n    location /api/static/ {\n        root /srv;\n    }\n}\n',
  },
  'duplicate-location': {
    why: 'nginx refuses to start when two locations in one block have the same match ("duplicate location").',
    fix: 'Merge the two blocks into one.',
    bad: 'server {\n    listen 80;\n    location /api/ {\n        proxy_pass http://127.0.0.1:8080;\n    }\n'
      + '    location /api/ {\n        proxy_read_timeout 60s;\n    }\n}\n',
    good: 'server {\n    listen 80;\n    location /api/ {\n        proxy_pass http://127.0.0.1:8080;\n'
      + '        proxy_read_timeout 60s;\n    }\n}\n',
  },
  'duplicate-upstream': {
    why: 'nginx refuses to start when two `upstream` blocks have the same name ("duplicate upstream").',
    fix: 'Rename one (and what points to it), or merge their servers into one block.',
    bad: 'upstream backend {\n    server 10.0.0.1:8080;\n}\nupstream backend {\n    server 10.0.0.2:8080;\n}\n',
    good: 'upstream backend {\n    server 10.0.0.1:8080;\n    server 10.0.0.2:8080;\n}\n',
  },
  'tls-upstream-unverified': {
    why: 'nginx does not verify an upstream\'s certificate by default (`proxy_ssl_verify off`): the connection is encrypted '
      + 'but anyone on the path can present any certificate and read or change the traffic.',
    fix: 'Turn verification on with the CA that signs the upstream\'s certificate, and send SNI for hosts that serve several names.',
    bad: proxyLocation(''),
    good: proxyLocation('    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate certs/root-ca.pem;\n    proxy_ssl_server_name on;\n'),
  },
  'tls-verify-without-trusted-ca': {
    why: 'With verification on, nginx needs the CA certificates to verify with; without them it refuses to start '
      + '("no proxy_ssl_trusted_certificate for proxy_ssl_verify"), with no line number.',
    fix: 'Add `proxy_ssl_trusted_certificate` (or the grpc_/uwsgi_ one) with the CA file, at this level or above.',
    bad: whole(plainServer(proxyLocation('    proxy_ssl_verify on;\n    proxy_ssl_server_name on;\n'))),
    good: whole(plainServer(proxyLocation('    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate certs/root-ca.pem;\n'
      + '    proxy_ssl_server_name on;\n'))),
  },
  'tls-certificate-without-key': {
    why: 'nginx refuses to start when a certificate has no private key in effect beside it ("no ssl_certificate_key is defined").',
    fix: 'Add the matching `…_certificate_key` next to the certificate (or at a level above it).',
    bad: whole(tlsServer('    ssl_certificate certs/leaf-chain.pem;\n')),
    good: whole(tlsServer(certAndKey)),
  },
  'tls-client-verify-without-ca': {
    why: 'Verifying client certificates needs the CA that signs them; in a TLS server nginx refuses to start without it '
      + '("no ssl_client_certificate for ssl_verify_client").',
    fix: 'Add `ssl_client_certificate` with the CA file (or use `optional_no_ca` when the application checks the certificate).',
    bad: whole(tlsServer(certAndKey + '    ssl_verify_client on;\n')),
    good: whole(tlsServer(certAndKey + '    ssl_verify_client on;\n    ssl_client_certificate certs/root-ca.pem;\n')),
  },
  'tls-listen-without-certificate': {
    why: 'A `listen … ssl` needs a certificate: nginx refuses to start without one ("no ssl_certificate is defined").',
    fix: 'Add `ssl_certificate` and `ssl_certificate_key` to the server (or to http, for every server).',
    bad: whole(tlsServer('')),
    good: whole(tlsServer(certAndKey)),
  },
  'tls-legacy-protocol': {
    why: 'SSLv2, SSLv3, TLS 1.0 and TLS 1.1 have known attacks and are deprecated (RFC 8996); browsers no longer use them, '
      + 'so they only serve attackers and very old clients.',
    fix: 'Allow TLS 1.2 and 1.3 only.',
    bad: 'server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n}\n',
    good: 'server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n}\n',
  },
  'tls-weak-cipher': {
    why: 'NULL and anonymous suites give no encryption or no authentication; EXPORT, RC4, DES, 3DES and MD5 suites are broken. '
      + 'A client that offers them can be made to use them.',
    fix: 'Start from nginx\'s default `HIGH:!aNULL:!MD5`, or drop the weak names from the string.',
    bad: 'server {\n    listen 443 ssl;\n    ssl_ciphers HIGH:RC4-SHA;\n}\n',
    good: 'server {\n    listen 443 ssl;\n    ssl_ciphers HIGH:!aNULL:!MD5;\n}\n',
  },
  'tls-upstream-no-sni': {
    why: 'Without SNI (`proxy_ssl_server_name off`, the default) an upstream that serves several names may present another '
      + 'name\'s certificate, and verification then fails.',
    fix: 'Add `proxy_ssl_server_name on` (or the grpc_/uwsgi_ one).',
    bad: proxyLocation('    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate certs/root-ca.pem;\n'),
    good: proxyLocation('    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate certs/root-ca.pem;\n    proxy_ssl_server_name on;\n'),
  },
  'cert-not-found': {
    why: 'nginx reads certificates, keys and CA files at start and refuses to start when one is missing. '
      + 'Relative paths are read from the configuration prefix, the folder of the main nginx.conf.',
    fix: 'Correct the path (relative to the folder of nginx.conf), or map a server path to the workspace with `nginx-ls.pathMappings`.',
    bad: tlsServer('    ssl_certificate     certs/app.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-unreadable': {
    why: 'nginx refuses to start when a TLS file is not a certificate or key it can read (a folder, a truncated copy, '
      + 'a file of another format, a key where a certificate belongs).',
    fix: 'Point to the PEM file itself; convert other formats with `openssl x509 -inform DER -in cert.der -out cert.pem`.',
    bad: tlsServer('    ssl_certificate     certs/garbage.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-expired': {
    why: 'nginx serves an expired certificate without a word, and every client rejects it: the site is down for its visitors.',
    fix: 'Renew the certificate and reload nginx; automate renewal (ACME, cert-manager) so it does not happen again.',
    bad: tlsServer('    ssl_certificate     certs/expired.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-not-yet-valid': {
    why: 'Clients reject a certificate before its notBefore date: deployed early, it breaks the site until then.',
    fix: 'Keep serving the current certificate until the new one is valid, or check the clock of the machine that issued it.',
    bad: tlsServer('    ssl_certificate     certs/not-yet-valid.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-expiring': {
    why: 'The certificate expires within `nginx-ls.certificates.expiryWarningDays` days (30 by default); '
      + 'then every client rejects it.',
    fix: 'Renew it now, and check that automatic renewal works.',
    bad: tlsServer('    ssl_certificate     certs/expiring.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-key-mismatch': {
    why: 'A key that is not the certificate\'s makes every TLS handshake fail. nginx refuses some pairs at start '
      + 'but not all of them (keys of another type pass).',
    fix: 'Configure the key the certificate was issued for: compare `openssl x509 -noout -pubkey -in cert.pem` '
      + 'with `openssl pkey -pubout -in key.pem`.',
    bad: tlsServer('    ssl_certificate     certs/leaf-chain.pem;\n    ssl_certificate_key certs/mismatch.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-name-mismatch': {
    why: 'Clients check that the certificate names the host they asked for; a `server_name` the certificate does not cover '
      + 'gets a certificate error in every browser.',
    fix: 'Get a certificate that covers the name (subjectAltName), or serve the name from a server block with its own certificate.',
    bad: whole(tlsServer(certAndKey, 'www.example.com')),
    good: whole(tlsServer(certAndKey, 'app.example.test')),
  },
  'cert-chain-order': {
    why: 'nginx sends the certificates of the file in order, and clients expect the server\'s own certificate first, '
      + 'then each issuer: in another order they fail to build the chain.',
    fix: 'Put the leaf first, then the intermediate that signed it, and so on: `cat leaf.pem intermediate.pem > chain.pem`.',
    bad: tlsServer('    ssl_certificate     certs/wrong-order.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-not-ca': {
    why: 'A CA file holds the certificates that sign what is verified; a leaf certificate there cannot sign anything, '
      + 'so verification against it fails.',
    fix: 'Put the CA certificate (root or intermediate) that issued the client or upstream certificates in the file.',
    bad: tlsServer(certAndKey + '    ssl_verify_client on;\n    ssl_client_certificate certs/leaf.pem;\n'),
    good: tlsServer(certAndKey + '    ssl_verify_client on;\n    ssl_client_certificate certs/root-ca.pem;\n'),
  },
  'cert-chain-incomplete': {
    why: 'nginx sends the certificates of the `ssl_certificate` file and nothing else. When the leaf\'s issuer (an '
      + 'intermediate CA) is not among them, browsers may still fetch it from the URL in the certificate, but curl, wget, '
      + 'Java, Go, Python and Android clients fail with "unable to get local issuer certificate". A root left out is '
      + 'normal: clients hold their roots. Without an issuer URL in the certificate it is reported as information, '
      + 'since a leaf issued straight by a private root that every client trusts needs nothing more.',
    fix: 'Append the intermediate certificate(s) after the leaf in the same file (for Let\'s Encrypt, point '
      + '`ssl_certificate` at `fullchain.pem`, not `cert.pem`).',
    bad: tlsServer('    ssl_certificate     certs/leaf.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-chain-untrusted': {
    why: 'When an upstream over TLS is one of this configuration\'s own servers, both ends are known: the certificate '
      + 'that server sends must lead to a certificate of the CA file `proxy_ssl_trusted_certificate` names, or every '
      + 'proxied request fails with 502 ("upstream SSL certificate verify error"). Upstreams served elsewhere, and '
      + 'client certificates checked against `ssl_client_certificate`, are not in the workspace, so nothing is said of them.',
    fix: 'Name the CA that issued the upstream\'s certificate (its root or intermediate) in `proxy_ssl_trusted_certificate`, '
      + 'or serve the upstream a certificate from the CA you trust.',
    bad: 'server {\n    listen 8443 ssl;\n    server_name backend.example.test;\n' + certAndKey + '}\n'
      + plainServer('location / {\n    proxy_pass https://backend.example.test:8443;\n    proxy_ssl_verify on;\n'
        + '    proxy_ssl_server_name on;\n    proxy_ssl_trusted_certificate certs/other-ca.pem;\n}\n'),
    good: 'server {\n    listen 8443 ssl;\n    server_name backend.example.test;\n' + certAndKey + '}\n'
      + plainServer('location / {\n    proxy_pass https://backend.example.test:8443;\n    proxy_ssl_verify on;\n'
        + '    proxy_ssl_server_name on;\n    proxy_ssl_trusted_certificate certs/root-ca.pem;\n}\n'),
  },
  'cert-weak-key': {
    why: 'An RSA key under 2048 bits is within reach of factoring; browsers reject such certificates, and nginx built '
      + 'with OpenSSL at security level 2 (the Debian and Ubuntu default) refuses to start ("ee key too small", measured '
      + 'with nginx 1.22 here).',
    fix: 'Make a new key (RSA 2048 or more, or EC P-256) and have the certificate reissued for it.',
    bad: tlsServer('    ssl_certificate     certs/weak-rsa.pem;\n    ssl_certificate_key certs/weak-rsa.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-weak-signature': {
    why: 'SHA-1 signatures can be forged (chosen-prefix collisions, 2020); clients reject certificates signed with it, '
      + 'and nginx with OpenSSL at security level 2 refuses to start ("ca md too weak"). A self-signed root\'s signature '
      + 'over itself is never checked, so it is not reported.',
    fix: 'Have the certificate reissued with a SHA-256 signature.',
    bad: tlsServer('    ssl_certificate     certs/sha1-chain.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-ca-as-server': {
    why: 'The first certificate of the `ssl_certificate` file is what the server presents as itself. A CA certificate '
      + '(basicConstraints CA:TRUE) there is usually a mix-up of files, and clients refuse it '
      + '(MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY). A self-signed CA certificate, which `openssl req -x509` makes by '
      + 'default, is not reported: clients that trust it at all take it as its own trust anchor.',
    fix: 'Put the server\'s own (leaf) certificate first, followed by the intermediate that issued it.',
    bad: tlsServer('    ssl_certificate     certs/intermediate.pem;\n    ssl_certificate_key certs/intermediate.key;\n'),
    good: tlsServer(certAndKey),
  },
  'cert-must-staple': {
    why: 'A must-staple certificate (TLS feature extension, status_request) promises a stapled OCSP response in every '
      + 'handshake; without `ssl_stapling on` nginx sends none and Firefox refuses the connection '
      + '(MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING).',
    fix: 'Turn on `ssl_stapling` (with a `resolver` to reach the OCSP responder), or get a certificate without must-staple.',
    bad: tlsServer('    ssl_certificate     certs/must-staple-chain.pem;\n    ssl_certificate_key certs/leaf.key;\n'),
    good: tlsServer('    ssl_certificate     certs/must-staple-chain.pem;\n    ssl_certificate_key certs/leaf.key;\n'
      + '    ssl_stapling on;\n    resolver 127.0.0.1;\n'),
  },
  // suppressions
  'suppression-without-reason': {
    why: 'A suppression hides a finding for good. Without the reason it was judged safe, the next reader (or the author, '
      + 'a year later) cannot tell a considered exception from a silenced warning, and a change that makes it unsafe goes unnoticed.',
    fix: 'Write why the finding does not apply after `--`: `# nginx-ls: ignore <rule> -- <reason>`.',
    bad: whole(plainServer(proxyLocation('    # nginx-ls: ignore tls-upstream-unverified\n'))),
    good: whole(plainServer(proxyLocation('    # nginx-ls: ignore tls-upstream-unverified -- lab backend on a private link, no CA yet\n'))),
  },
  'suppression-unused': {
    why: 'A suppression that hides nothing is noise at best; at worst it names a misspelt rule, or stands where it covers '
      + 'nothing (after a blank line), and the finding it was meant for is still reported, or will hide a later, real one.',
    fix: 'Remove it, or move it to the line right above the statement it is for (at the top of a block for all of it), '
      + 'and check the rule id against the finding\'s code.',
    bad: whole(plainServer('# nginx-ls: ignore tls-upstream-unverified -- verified by the service mesh\n'
      + 'location / {\n    proxy_pass http://127.0.0.1:8080;\n}\n')),
    good: whole(plainServer('location / {\n    proxy_pass http://127.0.0.1:8080;\n}\n')),
  },
  // request-data and cors (issue 13)
  'alias-traversal': {
    why: 'nginx replaces the matched location prefix with the alias. When the prefix lacks the trailing "/" the alias has, '
      + '`GET /files../secret.txt` matches `location /files` and maps to `/data/files/../secret.txt`: one level above the aliased '
      + 'folder, where application code, backups and keys often live. nginx normalises "/../" segments, but "/files../" is no '
      + 'such segment. In a regex location the same happens when a capture that can start with "." follows a literal without "/" '
      + '(`^/files(.*)$` with `alias /data/files/$1`). A location without the slash whose alias has none either names one file '
      + 'or a folder without this hole, and is not reported.',
    fix: 'End the location with "/" like its alias (`location /files/`), or put the "/" before the group in the regex '
      + '(`^/files/(.*)$`). For a single file, use an exact location: `location = /favicon.ico { alias /srv/icons/site.ico; }`.',
    bad: 'location /files {\n    alias /srv/data/files/;\n}\n',
    good: 'location /files/ {\n    alias /srv/data/files/;\n}\n',
  },
  'root-is-filesystem-root': {
    why: '`root /` (or `alias /` in a prefix location) maps request paths straight onto the whole disk: `GET /etc/passwd` reads '
      + '/etc/passwd, and with PHP behind `$document_root` any script on the machine can be run.',
    fix: 'Point `root` at a folder that holds only what the site serves, such as /var/www/example.',
    bad: 'server {\n    listen 80;\n    root /;\n}\n',
    good: 'server {\n    listen 80;\n    root /var/www/example;\n}\n',
  },
  'proxy-target-from-request': {
    why: 'When the scheme or host of `proxy_pass` (or fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass) comes from the request, '
      + 'clients choose where nginx connects: cloud metadata (169.254.169.254), admin ports on localhost, internal services '
      + '(server-side request forgery). Request data means query arguments, headers, cookies, captures of the URI, and `$host` '
      + 'in a server that any Host header reaches (the default server of its socket, or one with a wildcard, regex or "_" name). '
      + 'Variables after the first "/" of the URL only choose the path and are not reported; nor are locations marked `internal`, '
      + 'whose URI comes from the configuration or an upstream\'s X-Accel-Redirect.',
    fix: 'Map the request value to an allowlist (`map $arg_backend $backend { default ""; app1 app1.internal:8080; }`) and '
      + 'refuse what the map does not list (`if ($backend = "") { return 403; }`), or mark the location `internal`.',
    bad: 'location /fetch {\n    resolver 127.0.0.1;\n    proxy_pass http://$arg_target;\n}\n',
    good: 'location /fetch {\n    resolver 127.0.0.1;\n    proxy_pass http://$arg_target;\n    internal;\n}\n',
  },
  'header-injection': {
    why: 'nginx decodes the URI before it matches locations: `%0d%0a` becomes a line break in `$uri` and in captures whose '
      + 'class admits one (`[^/]+` does, `.` does not). Put into a `return 302` URL, a redirecting rewrite, `add_header` or '
      + '`proxy_set_header`, it ends the header and starts one of the client\'s: `GET /old/x%0d%0aSet-Cookie:%20a=1` sets a cookie '
      + 'on your domain, and a request header to the upstream can be forged. `$request_uri` and `$args` are raw (never decoded), '
      + 'and a redirecting rewrite escapes its own numbered captures, so those are not reported.',
    fix: 'Use `$request_uri` (the URI as sent) instead of `$uri`, or exclude line breaks from the group: `[^\\r\\n/]+`.',
    bad: 'location ~ ^/old/([^/]+)$ {\n    return 301 /new/$1;\n}\n',
    good: 'location ~ ^/old/([^\\r\\n/]+)$ {\n    return 301 /new/$1;\n}\n',
  },
  'upstream-host-from-request': {
    why: '`$http_host` is the Host header exactly as the client sent it, even one no `server_name` matches: a request line '
      + 'naming your site (`GET http://app.example.com/`) picks the server, and the Host header beside it can say anything. '
      + 'Upstreams that trust Host build links from it (password-reset mails, redirects) and caches key on it. X-Forwarded-Host, '
      + 'arguments and cookies are the client\'s too.',
    fix: 'Send `$host` (one of this server\'s names, when the server has explicit names and a catch-all default server '
      + 'answers everything else) or `$server_name`.',
    bad: 'location / {\n    proxy_set_header Host $http_host;\n    proxy_pass http://127.0.0.1:8080;\n}\n',
    good: 'location / {\n    proxy_set_header Host $host;\n    proxy_pass http://127.0.0.1:8080;\n}\n',
  },
  'cors-origin-reflected': {
    why: 'Echoing `$http_origin` in Access-Control-Allow-Origin allows every origin, like "*", but also where "*" is refused: '
      + 'with `Access-Control-Allow-Credentials true`, any page a visitor opens reads your responses with their cookies '
      + '(a warning). Without credentials it is "*" in disguise (information). A `set` or `map` that echoes the origin for '
      + 'unknown origins (its default) counts too; an echo behind a check of the origin is an allowlist, and how good its regex is '
      + 'is origin-regex-weak\'s question.',
    fix: 'Echo only origins from an exact list: `map $http_origin $cors_origin { default ""; "https://app.example.com" '
      + '$http_origin; }` and `add_header Access-Control-Allow-Origin $cors_origin;`.',
    bad: 'location /api/ {\n    add_header Access-Control-Allow-Origin $http_origin;\n'
      + '    add_header Access-Control-Allow-Credentials true;\n    proxy_pass http://127.0.0.1:8080;\n}\n',
    // The allowlist as a map, not as `if` around add_header: inside a location that `if` is if-in-location-unsafe's warning.
    good: 'map $http_origin $cors_origin {\n    default "";\n    "https://app.example.com" $http_origin;\n}\n'
      + 'server {\n    listen 80;\n    location /api/ {\n        add_header Access-Control-Allow-Origin $cors_origin;\n'
      + '        add_header Access-Control-Allow-Credentials true;\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n',
  },
  'origin-regex-weak': {
    why: 'A regex meant to recognise trusted origins or referers lets others through when the host can go on after it '
      + '(`^https://example\\.com` matches https://example.com.evil.example), when a "." is unescaped (`www.example\\.com` '
      + 'matches www-example.com) or when a wildcard stands before the domain (`^https://.*example\\.com$` matches '
      + 'https://evilexample.com). Each of those is a name anyone can register.',
    fix: 'Anchor the regex at both ends, escape every "." of the host, and match subdomains with `([a-z0-9-]+\\.)*`: '
      + '`^https://([a-z0-9-]+\\.)*example\\.com$`.',
    bad: 'map $http_origin $cors_origin {\n    default "";\n    "~*^https://example\\.com" $http_origin;\n}\n'
      + 'server {\n    listen 80;\n    location /api/ {\n        add_header Access-Control-Allow-Origin $cors_origin;\n    }\n}\n',
    good: 'map $http_origin $cors_origin {\n    default "";\n    "~*^https://([a-z0-9-]+\\.)*example\\.com$" $http_origin;\n}\n'
      + 'server {\n    listen 80;\n    location /api/ {\n        add_header Access-Control-Allow-Origin $cors_origin;\n    }\n}\n',
  },
  // Issue 13, configuration hygiene, regex and version checks (families resolver, regex, routing, hygiene, advisories, tls).
  'resolver-external': {
    why: 'nginx resolves upstream names at run time (`proxy_pass` with variables, `server … resolve`) by plain UDP queries '
      + 'to the `resolver`, and checks no DNSSEC. A resolver across the internet lets an off-path attacker who guesses the '
      + 'query race it with a forged answer, and the next requests go to a host of the attacker\'s choice.',
    fix: 'Point `resolver` at a caching resolver on this host or its network (127.0.0.1, the VPC resolver, kube-dns).',
    bad: whole('resolver 8.8.8.8;\nserver {\n    listen 80;\n    location / {\n        set $api api.example.com;\n'
      + '        proxy_pass http://$api;\n    }\n}\n'),
    good: whole('resolver 127.0.0.1;\nserver {\n    listen 80;\n    location / {\n        set $api api.example.com;\n'
      + '        proxy_pass http://$api;\n    }\n}\n'),
  },
  'tls-stapling-ineffective': {
    why: 'nginx turns stapling off by itself, with only a warning in its log, for a certificate that names no OCSP '
      + 'responder (Let\'s Encrypt certificates no longer do, since 2025), whose responder is not an http:// URL, or whose '
      + 'issuer is neither in the certificate file nor in a CA file nginx loads. `ssl_stapling on` then does nothing.',
    fix: 'Turn stapling off for that certificate; or add the intermediate to the certificate file, or name a responder with '
      + '`ssl_stapling_responder`.',
    bad: whole('server {\n    listen 443 ssl;\n    server_name app.example.test;\n    ssl_certificate     certs/leaf-chain.pem;\n'
      + '    ssl_certificate_key certs/leaf.key;\n    ssl_stapling on;\n}\n'),
    good: whole('server {\n    listen 443 ssl;\n    server_name app.example.test;\n    ssl_certificate     certs/leaf-chain.pem;\n'
      + '    ssl_certificate_key certs/leaf.key;\n    ssl_stapling off;\n}\n'),
  },
  'tls-protocols-default': {
    why: 'Before nginx 1.27.3 a server without `ssl_protocols` enables TLS 1.0 and 1.1 (deprecated by RFC 8996) along with '
      + 'the newer ones: legacy protocols by omission, on the release the configuration is written for.',
    fix: 'Write the protocols out: `ssl_protocols TLSv1.2 TLSv1.3;`.',
    bad: whole(`server {\n    listen 443 ssl;\n${certAndKey}}\n`),
    good: whole(`server {\n    listen 443 ssl;\n${certAndKey}    ssl_protocols TLSv1.2 TLSv1.3;\n}\n`),
    nginxVersion: '1.22',
  },
  'capture-group-missing': {
    why: 'nginx accepts `$2` where the regular expression matched last has one group, and substitutes an empty string: '
      + 'the redirect or upstream URL silently loses a part.',
    fix: 'Refer to a group the expression has (named groups count), or add the group to the expression.',
    bad: whole('server {\n    listen 80;\n    location ~ ^/docs/(.*)$ {\n        return 301 /manual/$2;\n    }\n}\n'),
    good: whole('server {\n    listen 80;\n    location ~ ^/docs/(.*)$ {\n        return 301 /manual/$1;\n    }\n}\n'),
  },
  'rewrite-capture-overflow': {
    why: 'On releases before the fixes, a rewrite whose replacement has "?" leaves nginx\'s script engine escaping the '
      + 'captures read after it, and the buffer sized without that escaping overflows: a worker crash, or code execution '
      + 'where ASLR is off (CVE-2026-42945, and CVE-2026-9256 for redirects; fixed in 1.30.1/1.31.0 and 1.30.2/1.31.1, '
      + 'as nginx-lint records). A map regex with an unnamed group reads past the captures in cloned subrequests '
      + '(slice, cache background updates; CVE-2026-42533, fixed in 1.30.4/1.31.3).',
    fix: 'Use named captures (`(?<path>.*)` and `$path`), or make a map\'s groups non-capturing (`(?:…)`); better, upgrade.',
    bad: 'location /old/ {\n    rewrite ^/old/(.*)$ /new?from=old;\n    set $rest $1;\n}\n',
    good: 'location /old/ {\n    rewrite ^/old/(?<rest>.*)$ /new?from=old;\n    set $tail $rest;\n}\n',
  },
  'if-in-location-unsafe': {
    why: 'Inside a location, an `if` block is a nested location of its own: when its condition holds the request is served '
      + 'with the if block\'s configuration. A `proxy_pass` there skips the location\'s `try_files` and what follows the `if`; '
      + 'an `add_header` there drops the location\'s headers. nginx\'s own wiki page is titled "If is evil".',
    fix: 'Inside `if` keep to `return`, `rewrite … last|break|redirect|permanent`, `set` and `break`; compute values with '
      + '`map` and use them outside the `if`, or send the request to a named location.',
    bad: 'location / {\n    add_header X-Frame-Options DENY;\n    if ($arg_debug) {\n        add_header X-Debug 1;\n    }\n}\n',
    good: 'map $arg_debug $debug_header {\n    default "";\n    ~. 1;\n}\n'
      + 'server {\n    location / {\n        add_header X-Frame-Options DENY;\n        add_header X-Debug $debug_header;\n    }\n}\n',
  },
  'proxy-pass-uri-normalized': {
    why: 'With a URI part (`proxy_pass http://backend/app/;`) nginx replaces the matched location prefix in the decoded, '
      + 'normalised URI: `%2F` arrives as `/`, `..` segments are already resolved, and the backend cannot tell what the client '
      + 'sent (an encoded slash in an identifier breaks; a path check in the backend sees another path).',
    fix: 'Leave the URI part out where the mapping allows it (the request URI then goes as sent), or rewrite from '
      + '`$request_uri` and pass `$uri` yourself.',
    bad: 'location /app/ {\n    proxy_pass http://127.0.0.1:8080/app/;\n}\n',
    good: 'location /app/ {\n    proxy_pass http://127.0.0.1:8080;\n}\n',
  },
  'error-log-off': {
    why: '`off` is no keyword for `error_log`: nginx opens a file named "off" in its prefix and keeps writing errors there.',
    fix: 'To keep only serious errors: `error_log /dev/null crit;`, or name a real file and level.',
    bad: 'error_log off;\n',
    good: 'error_log /dev/null crit;\n',
  },
  'version-disclosure': {
    why: 'With `server_tokens on` (the default) or `build`, every error page and Server header names the nginx release, '
      + 'which tells an attacker which published vulnerabilities to try. Clearing the Server header with headers-more '
      + 'leaves the version in error pages.',
    fix: '`server_tokens off;` in http.',
    bad: whole('server_tokens build;\nserver {\n    listen 80;\n}\n'),
    good: whole('server_tokens off;\nserver {\n    listen 80;\n}\n'),
  },
  'security-advisory': {
    why: 'nginx publishes its security advisories with the releases each affects. When the release the configuration is '
      + 'written for (`nginx-ls.nginx.version`) is affected and the configuration uses the feature, the server is exposed '
      + 'unless the build carries the fix (distributions backport fixes without changing the version).',
    fix: 'Upgrade to the release the message names, or confirm the build has the patch; set `nginx-ls.nginx.version` to the '
      + 'release that runs.',
    bad: whole('server {\n    listen 80;\n    location /video/ {\n        mp4;\n    }\n}\n'),
    good: whole('server {\n    listen 80;\n    location /video/ {\n        root /srv;\n    }\n}\n'),
    nginxVersion: '1.22',
  },
  'server-tokens-default': {
    why: 'server_tokens is on unless set: a configuration that never mentions it sends the nginx release in every error '
      + 'page and Server header.',
    fix: '`server_tokens off;` in http.',
    bad: whole('server {\n    listen 80;\n}\n'),
    good: whole('server_tokens off;\nserver {\n    listen 80;\n}\n'),
  },
  'valid-referers-none': {
    why: '`none` accepts requests without a Referer header: direct requests, and anyone whose tools drop the header. '
      + 'Hotlink protection usually wants that; an access check does not.',
    fix: 'Drop `none` where the referer check is meant to keep other sites out.',
    bad: 'location /images/ {\n    valid_referers none blocked example.com;\n    if ($invalid_referer) {\n        return 403;\n    }\n}\n',
    good: 'location /images/ {\n    valid_referers blocked example.com;\n    if ($invalid_referer) {\n        return 403;\n    }\n}\n',
  },
  'add-header-content-type': {
    why: '`add_header Content-Type` does not replace the type nginx sends: the response carries two Content-Type headers, '
      + 'and clients pick either.',
    fix: 'Set the type with `default_type` (or `types`), or hide the upstream\'s with `proxy_hide_header`.',
    bad: 'location /feed {\n    add_header Content-Type application/rss+xml;\n}\n',
    good: 'location /feed {\n    default_type application/rss+xml;\n}\n',
  },
  'header-value-multiline': {
    why: 'A header value written over several lines keeps its line breaks: the header is folded, which HTTP/1.1 made '
      + 'obsolete (RFC 9112), and clients and proxies may reject the response.',
    fix: 'Write the value on one line.',
    bad: 'add_header Content-Security-Policy "default-src \'self\';\n    img-src \'self\' data:";\n',
    good: 'add_header Content-Security-Policy "default-src \'self\'; img-src \'self\' data:";\n',
  },
  'location-regex-unanchored': {
    why: 'A regex location anchored neither with `^` nor `$` matches anywhere in the URI: `~ /admin` also takes '
      + '`/static/admin.css` and `/blog/admin-tips`. (A location that only refuses, `deny all` or `return 404`, is left '
      + 'alone: there matching anywhere is the point.)',
    fix: 'Anchor it: `^/admin` for a prefix, `\\.php$` for a suffix.',
    bad: 'location ~ /admin {\n    proxy_pass http://127.0.0.1:8081;\n}\n',
    good: 'location ~ ^/admin {\n    proxy_pass http://127.0.0.1:8081;\n}\n',
  },
  'try-files-without-cache': {
    why: '`try_files` asks the file system about each candidate on every request; without `open_file_cache` nothing keeps '
      + 'the answers, which shows on busy servers with slow storage.',
    fix: 'Add `open_file_cache max=10000 inactive=30s;` (and `open_file_cache_errors on;` to remember misses).',
    bad: whole('server {\n    listen 80;\n    location / {\n        try_files $uri $uri/ /index.html;\n    }\n}\n'),
    good: whole('open_file_cache max=10000 inactive=30s;\nserver {\n    listen 80;\n    location / {\n'
      + '        try_files $uri $uri/ /index.html;\n    }\n}\n'),
  },
  'keepalive-requests-low': {
    why: 'A keep-alive connection closes after `keepalive_requests` requests; a low number makes clients reconnect and '
      + 'renegotiate TLS often. nginx raised the default from 100 to 1000 in 1.19.10.',
    fix: 'Remove the line, or use 1000 or more.',
    bad: 'keepalive_requests 100;\n',
    good: 'keepalive_requests 1000;\n',
  },
  'worker-rlimit-nofile-low': {
    why: 'A worker may hold `worker_connections` connections, and a proxied request holds two (client and upstream) plus '
      + 'open files and logs: a descriptor limit below twice that ends in "Too many open files" under load.',
    fix: 'Raise `worker_rlimit_nofile` to at least twice `worker_connections`.',
    bad: 'worker_rlimit_nofile 1024;\nevents {\n    worker_connections 1024;\n}\n',
    good: 'worker_rlimit_nofile 2048;\nevents {\n    worker_connections 1024;\n}\n',
  },
  'listen-http2-deprecated': {
    why: 'nginx 1.25.1 made HTTP/2 a per-server setting, the `http2` directive; the `http2` parameter of `listen` still works '
      + 'but logs a deprecation warning at every start.',
    fix: 'Drop `http2` from `listen` and write `http2 on;` in the server.',
    bad: 'server {\n    listen 443 ssl http2;\n}\n',
    good: 'server {\n    listen 443 ssl;\n    http2 on;\n}\n',
  },
  'upstream-resolved-once': {
    why: 'A host name in `proxy_pass` or an upstream\'s `server` is resolved once, when nginx starts. When its addresses '
      + 'change (a container restarts, a cloud load balancer moves) nginx keeps sending to the old ones until a reload.',
    fix: 'Put the name in an upstream with `server name resolve;` and a `resolver` (nginx 1.27.3 and later), or pass it '
      + 'through a variable with a `resolver`.',
    bad: whole('server {\n    listen 80;\n    location / {\n        proxy_pass http://app.internal:8080;\n    }\n}\n'),
    good: whole('resolver 127.0.0.1;\nupstream app {\n    zone app 64k;\n    server app.internal:8080 resolve;\n}\n'
      + 'server {\n    listen 80;\n    location / {\n        proxy_pass http://app;\n    }\n}\n'),
  },
  'regex-redos': {
    why: 'A group that repeats without bound around something that itself repeats without bound (`(a+)+`, `(\\w+\\s?)*`) can '
      + 'split a long input in exponentially many ways, and PCRE tries them all when the match fails: a few crafted requests '
      + 'keep workers busy. nginx-ls judges this from the expression alone and sends it nowhere.',
    fix: 'Repeat once (`a+`), put a required separator in the group, or make it possessive (`(?:a+)++`) or atomic (`(?>…)`).',
    bad: 'location ~ ^/(\\w+\\s?)*$ {\n    return 404;\n}\n',
    good: 'location ~ ^/[\\w\\s]*$ {\n    return 404;\n}\n',
  },
  // Security: inheritance and access (header-inheritance, access, default-servers families).
  'add-header-dropped': {
    why: 'nginx inherits `add_header` lines only into a level that has none of its own: one `add_header Cache-Control …` in a '
      + 'location silently drops the server\'s `Strict-Transport-Security`, `Content-Security-Policy` or `X-Frame-Options` for '
      + 'every response of that location (and an `add_header` inside `if` drops them for that request). The same holds for '
      + '`add_trailer`. nginx-ls compares each level with what it would inherit, through includes; since nginx 1.29.3 '
      + '`add_header_inherit merge` keeps the inherited lines (`on`, the default, still replaces them; `off` drops them on purpose).',
    fix: 'Repeat the inherited lines in the level (or `include` the snippet they come from), or, targeting nginx 1.29.3 or later, '
      + 'add `add_header_inherit merge;`. A level that repeats a header with another value is fine: only missing names count.',
    bad: whole('server {\n    listen 80;\n    add_header X-Frame-Options DENY always;\n    location /static/ {\n'
      + '        add_header Cache-Control "public, max-age=86400";\n    }\n}\n'),
    good: whole('server {\n    listen 80;\n    add_header X-Frame-Options DENY always;\n    location /static/ {\n'
      + '        add_header X-Frame-Options DENY always;\n        add_header Cache-Control "public, max-age=86400";\n    }\n}\n'),
  },
  'proxy-header-dropped': {
    why: '`proxy_set_header`, `grpc_set_header`, `proxy_hide_header` and the `fastcgi_param`/`uwsgi_param`/`scgi_param` lists '
      + 'are inherited whole, only into a level with none of its own. A location that adds `proxy_set_header Upgrade …` loses '
      + 'the server\'s `Host`, `X-Forwarded-For` and `X-Forwarded-Proto`; since nginx passes the client\'s own request headers on, '
      + 'a backend that trusts `X-Forwarded-For` or `X-Real-IP` then trusts whatever the client sent (a warning). A lost '
      + '`fastcgi_param HTTP_PROXY ""` lets a client\'s `Proxy:` header through as `HTTP_PROXY` (httpoxy); a lost `HTTPS` hides '
      + 'TLS from the application; a lost `proxy_hide_header` lets the upstream\'s header reach clients.',
    fix: 'Repeat the inherited lines in the level, or `include` the snippet they come from (`proxy_params`, `fastcgi_params`).',
    bad: whole('server {\n    listen 80;\n    proxy_set_header Host $host;\n'
      + '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    location /ws/ {\n'
      + '        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n'),
    good: whole('server {\n    listen 80;\n    proxy_set_header Host $host;\n'
      + '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    location /ws/ {\n'
      + '        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n'
      + '        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n'),
  },
  'hsts-missing': {
    why: 'Without `Strict-Transport-Security` a browser tries `http://` first on every new visit, and an attacker on the network '
      + 'can answer that request and keep the user on plain HTTP (SSL stripping). A short `max-age` is forgotten between '
      + 'visits. The header list in effect counts, with nginx\'s inheritance (a location with its own `add_header` loses it: '
      + 'that is `add-header-dropped`). `max-age=0` deliberately undoes HSTS: a hint.',
    fix: 'Add `add_header Strict-Transport-Security "max-age=63072000" always;` to the server (with `includeSubDomains` once '
      + 'every subdomain serves HTTPS), or raise the max-age to at least 15552000 (180 days).',
    bad: whole(tlsServer(certAndKey)),
    good: whole(tlsServer(certAndKey + '    add_header Strict-Transport-Security "max-age=63072000" always;\n')),
  },
  'access-allow-without-deny': {
    why: 'nginx\'s access module lets through a client that no `allow`/`deny` rule names: without a final `deny all`, an '
      + 'allowlist allows everyone. The list in effect is the nearest level\'s, whole, read through includes (a `deny all` in '
      + 'an included file counts). With `satisfy any` and authentication in effect the others are asked for credentials '
      + 'instead, which is fine. `deny 0.0.0.0/0` alone leaves IPv6 clients in.',
    fix: 'End the list with `deny all;`.',
    bad: whole(plainServer('location /admin/ {\n    allow 10.0.0.0/8;\n    root /srv/admin;\n}\n')),
    good: whole(plainServer('location /admin/ {\n    allow 10.0.0.0/8;\n    deny all;\n    root /srv/admin;\n}\n')),
  },
  'access-bypassed-by-return': {
    why: '`return` (and a redirecting `rewrite`) runs in the rewrite phase, before `allow`/`deny`, `auth_basic` and '
      + '`auth_request` run in the access phase: the response goes to everyone. A `return 200 "…"` in a location restricted to '
      + 'the office network answers the whole internet (a warning); a redirect does too (a hint; not one to https://, which '
      + 'should come first). Returns in named locations, reached after the checks (`error_page`, `try_files`), are not judged.',
    fix: 'Move the response into a named location reached with `try_files "" @name;`: try_files runs after the access phase.',
    bad: whole(plainServer('location /admin/ {\n    allow 10.0.0.0/8;\n    deny all;\n    return 200 "admin\\n";\n}\n')),
    good: whole(plainServer('location /admin/ {\n    allow 10.0.0.0/8;\n    deny all;\n    try_files "" @admin;\n}\n'
      + 'location @admin {\n    return 200 "admin\\n";\n}\n')),
  },
  'status-page-exposed': {
    why: '`stub_status` tells anyone how busy the server is; the NGINX Plus `api` shows upstreams, zones and certificates, and '
      + 'with `write=on` lets anyone change them. nginx-ls reads the access rules, `satisfy` and authentication in effect '
      + '(inherited from the server too) and where the server listens (loopback and unix sockets are not exposed).',
    fix: 'Restrict the location: `allow 127.0.0.1; deny all;` (or your monitoring\'s addresses), or authentication.',
    bad: whole(plainServer('location = /nginx_status {\n    stub_status;\n}\n')),
    good: whole(plainServer('location = /nginx_status {\n    stub_status;\n    allow 127.0.0.1;\n    deny all;\n}\n')),
  },
  'autoindex-on': {
    why: '`autoindex on` lists every file of a folder, including backups and files nobody links to, to anyone who asks, when '
      + 'no `allow`/`deny` or authentication is in effect where it serves files.',
    fix: 'Turn it off (`autoindex off;`), or restrict the location.',
    bad: whole(plainServer('location /files/ {\n    root /srv;\n    autoindex on;\n}\n')),
    good: whole(plainServer('location /files/ {\n    root /srv;\n    autoindex off;\n}\n')),
  },
  'map-without-default': {
    why: 'A `map` or `geo` without `default` gives inputs it does not list the empty value. Where that value decides access '
      + '(`if ($denied) { return 403; }` with listed values that pass), unknown inputs pass too; as a `limit_req_zone` or '
      + '`limit_conn_zone` key, an empty value is never counted, so unknown inputs escape the limit. A hint otherwise; nothing '
      + 'for a map fed only by values it lists (a `geo` with a default), a one-entry map that picks what to limit, or one an '
      + '`add_header` value uses (an empty value sends no header: a header for some responses only).',
    fix: 'Add `default <value>;` with the value unknown inputs should get (the message suggests the refusing one).',
    bad: whole('map $http_x_api_key $api_denied {\n    key-1 0;\n    key-2 0;\n}\n'
      + plainServer('location /api/ {\n    if ($api_denied) {\n        return 403;\n    }\n    proxy_pass http://127.0.0.1:8080;\n}\n')),
    good: whole('map $http_x_api_key $api_denied {\n    default 1;\n    key-1 0;\n    key-2 0;\n}\n'
      + plainServer('location /api/ {\n    if ($api_denied) {\n        return 403;\n    }\n    proxy_pass http://127.0.0.1:8080;\n}\n')),
  },
  'default-server-implicit': {
    why: 'A request for a name no `server_name` lists (or with no Host) goes to the default server of the address and port it '
      + 'came in on: the one marked `default_server`, else the first in the configuration. Without a mark, the order of includes '
      + 'decides which application answers unknown hosts (and trusts their Host header). `server_name _` marks nothing. '
      + 'With TLS the default server also hands its certificate to any client; a hint when it does not `ssl_reject_handshake`.',
    fix: 'Add `default_server` to the listen of the server meant to answer, or put a catch-all server first: '
      + '`listen 80 default_server; return 444;` (with TLS: `listen 443 ssl default_server; ssl_reject_handshake on;`).',
    bad: whole('server {\n    listen 80;\n    server_name shop.example.com;\n}\n'
      + 'server {\n    listen 80;\n    server_name blog.example.com;\n}\n'),
    good: whole('server {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n'
      + 'server {\n    listen 80;\n    server_name shop.example.com;\n}\n'
      + 'server {\n    listen 80;\n    server_name blog.example.com;\n}\n'),
  },
  'ingress-deprecated-api': {
    why: 'Kubernetes 1.22 removed `networking.k8s.io/v1beta1` and `extensions/v1beta1` Ingress: `kubectl apply` rejects the manifest.',
    fix: 'Use `networking.k8s.io/v1`: `backend.service.name` and `backend.service.port.number` (or `.name`), '
      + 'and a `pathType` on every path. The quick fix migrates the manifest.',
    bad: 'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: app\nspec:\n  rules:\n    - host: app.example.com\n'
      + '      http:\n        paths:\n          - path: /\n            backend:\n'
      + '              serviceName: app\n              servicePort: 80\n',
    good: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\nspec:\n  rules:\n    - host: app.example.com\n'
      + '      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n'
      + '                name: app\n                port:\n                  number: 80\n',
  },
  'ingress-annotation-type': {
    why: 'Annotation values must be strings; Kubernetes reads manifests as YAML 1.1, where unquoted `true`, `on`, `no` or `2` '
      + 'are not strings, and `kubectl apply` rejects the manifest.',
    fix: 'Quote the value.',
    bad: ingress('ssl-redirect: false'),
    good: ingress('ssl-redirect: "false"'),
  },
  'ingress-annotation-value': {
    why: 'ingress-nginx replaces a value it does not accept with its default and only logs it: the setting silently does nothing.',
    fix: 'Use one of the values the message lists (hover the annotation to see them).',
    bad: ingress('ssl-redirect: "yes"'),
    good: ingress('ssl-redirect: "false"'),
  },
  'ingress-unknown-annotation': {
    why: 'The controller ignores annotations it does not know, without a word, so a misspelt key changes nothing.',
    fix: 'Correct the name (the message suggests the nearest one), or use the ingress-nginx annotation for the same setting.',
    bad: ingress('rewrite-targt: /'),
    good: ingress('rewrite-target: /'),
  },
  'ingress-secret-ref': {
    why: 'ingress-nginx reads these annotations as `namespace/name`; anything else finds no Secret, and the feature is off.',
    fix: 'Write the Secret\'s namespace and name, separated by `/`.',
    bad: ingress('auth-tls-secret: "client-ca"'),
    good: ingress('auth-tls-secret: "shop/client-ca"'),
  },
  'ingress-secret-unresolved': {
    why: 'No manifest of the Secret is in the workspace, so nginx-ls cannot check its CA certificates '
      + '(present, readable, not expired). It may well exist in the cluster.',
    fix: 'Add the Secret\'s manifest to the workspace, or turn the notice off with '
      + '`"nginx-ls.rules": { "ingress-secret-unresolved": "off" }`.',
    bad: ingress('auth-tls-secret: "shop/client-ca"'),
    good: ingress('auth-tls-secret: "shop/client-ca"', secret('client-ca', `ca.crt: ${EXAMPLE_CA_BASE64}`)),
  },
  'ingress-secret-missing-key': {
    why: 'ingress-nginx reads the CA certificates from the Secret\'s `ca.crt` key; without it, client or backend verification '
      + 'cannot be set up and the controller refuses the setting.',
    fix: 'Add the CA certificate(s) under `ca.crt`: `kubectl create secret generic client-ca --from-file=ca.crt=ca.pem`.',
    bad: ingress('auth-tls-secret: "shop/client-ca"', secret('client-ca', 'tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t')),
    good: ingress('auth-tls-secret: "shop/client-ca"', secret('client-ca', `ca.crt: ${EXAMPLE_CA_BASE64}`)),
  },
  'ingress-backend-tls-unverified': {
    why: 'With backend-protocol HTTPS or GRPCS the controller encrypts to the backend but does not verify its certificate: '
      + 'anyone on the path can present one.',
    fix: 'Add `proxy-ssl-secret` (a Secret with the CA under ca.crt), `proxy-ssl-verify: "on"` and `proxy-ssl-name` '
      + '(the name in the backend\'s certificate).',
    bad: ingress('backend-protocol: "HTTPS"'),
    good: ingress('backend-protocol: "HTTPS"\nproxy-ssl-secret: "shop/backend-ca"\nproxy-ssl-verify: "on"\n'
      + 'proxy-ssl-name: "app.shop.svc"\nproxy-ssl-server-name: "on"'),
  },
  'ingress-proxy-ssl-ignored': {
    why: 'ingress-nginx applies the proxy-ssl-* annotations only when `proxy-ssl-secret` is set; without it they are ignored '
      + 'and the backend is not verified.',
    fix: 'Add `proxy-ssl-secret` with the Secret that holds the backend\'s CA.',
    bad: ingress('backend-protocol: "HTTPS"\nproxy-ssl-verify: "on"\nproxy-ssl-name: "app.shop.svc"'),
    good: ingress('backend-protocol: "HTTPS"\nproxy-ssl-secret: "shop/backend-ca"\nproxy-ssl-verify: "on"\n'
      + 'proxy-ssl-name: "app.shop.svc"'),
  },
  'ingress-proxy-ssl-name': {
    why: 'Without proxy-ssl-name the name verified is `upstream_balancer`, which no backend certificate carries: '
      + 'with verification on, every request fails.',
    fix: 'Set `proxy-ssl-name` to a name in the backend\'s certificate (and `proxy-ssl-server-name: "on"` to send it as SNI).',
    bad: ingress('backend-protocol: "HTTPS"\nproxy-ssl-secret: "shop/backend-ca"\nproxy-ssl-verify: "on"'),
    good: ingress('backend-protocol: "HTTPS"\nproxy-ssl-secret: "shop/backend-ca"\nproxy-ssl-verify: "on"\nproxy-ssl-name: "app.shop.svc"'),
  },
  'ingress-snippet-disabled': {
    why: 'Snippet annotations are off by default (ConfigMap `allow-snippet-annotations: "false"`) because they let anyone who '
      + 'can write an Ingress change the controller\'s nginx; where they are off, the Ingress is rejected.',
    fix: 'Use a dedicated annotation when one exists; otherwise make sure the controller allows snippets.',
    bad: ingress('configuration-snippet: |\n      client_max_body_size 20m;'),
    good: ingress('proxy-body-size: "20m"'),
  },
  'ingress-conversion-loss': {
    why: 'ingress-nginx is retired (2026-03-24), and the Ingresses it read are being moved to Gateway API or to F5 NGINX Ingress '
      + 'Controller. Some of what its annotations do has no form there: forwarding the client certificate to the backend, '
      + '`optional` client verification, a verification depth, HTTPS to a backend without verifying it, snippets. A converter '
      + 'that drops them silently changes who gets in and what the backend receives.',
    fix: 'Read the reason: move the behaviour into the application, pick the nearest setting the target has (the converted '
      + 'YAML says which one it wrote), or keep the Ingress on a controller that supports it. The code actions "Convert to '
      + 'Gateway API" and "Convert to F5 NGINX Ingress Controller" (and `nginx-ls convert`) write the rest.',
    bad: ingress('backend-protocol: "HTTPS"'),
    good: ingress('backend-protocol: "HTTPS"\nproxy-ssl-secret: "shop/app-ca"\nproxy-ssl-verify: "on"\nproxy-ssl-name: "app.shop.svc"'),
  },
  'ingress-snippet-proxy-pass': {
    why: 'ingress-nginx writes a configuration-snippet into each location of the Ingress and then its own `proxy_pass '
      + 'http://upstream_balancer;` after it. A location with two proxy_pass directives is an error to nginx ("proxy_pass" '
      + 'directive is duplicate): the admission webhook rejects the Ingress, or without it the controller cannot load '
      + 'a configuration that includes it. An auth-snippet is the same: it lands in the location auth-url makes, before its '
      + '`proxy_pass $target;`.',
    fix: 'Send the traffic through the Ingress\'s backend (a Service, of type ExternalName for an outside host). A '
      + 'proxy_pass inside an `if` or a nested location of the snippet belongs to that block and is not duplicated.',
    bad: ingress('configuration-snippet: |\n      proxy_pass http://legacy.shop.svc.cluster.local;'),
    good: ingress('configuration-snippet: |\n      if ($http_x_legacy) {\n          proxy_pass http://legacy.shop.svc.cluster.local;\n      }'),
  },
  'ingress-annotation-other-controller': {
    why: 'ingress-nginx and F5 NGINX Ingress Controller both install an IngressClass named `nginx`, but each reads only its '
      + 'own annotations: `nginx.ingress.kubernetes.io/*` for ingress-nginx, `nginx.org/*` for F5\'s. An annotation of the '
      + 'other controller is silently ignored, so the setting it was meant to make (a body size, a timeout, TLS to the '
      + 'backend) is not made. nginx-ls knows the controller from the IngressClass manifest in the workspace or from '
      + '`nginx-ls.ingress.controller`.',
    fix: 'Use the annotation of the controller that reads the Ingress (the message names it where one exists; a quick fix '
      + 'renames the key where both read the value the same way), or point `ingressClassName` at the other controller\'s class.',
    bad: ingress('    nginx.org/client-max-body-size: "20m"', ingressClass('k8s.io/ingress-nginx')),
    good: ingress('proxy-body-size: "20m"', ingressClass('k8s.io/ingress-nginx')),
  },
  'ingress-nginx-retired': {
    why: 'ingress-nginx was retired on 2026-03-24: its repository is archived and there are no more releases, bug fixes or '
      + 'security fixes (the last release is v1.15.1, with NGINX 1.27.1). Deployments keep working, but vulnerabilities '
      + 'found since stay open. The Kubernetes project recommends Gateway API or another controller and says no drop-in '
      + 'replacement exists. `nginx-ls.ingress.retirementNotice: false` turns this note off.',
    fix: 'Plan the move: convert the Ingress to Gateway API resources, or to F5 NGINX Ingress Controller (`nginx.org/*` '
      + 'annotations and Policy resources), and point `ingressClassName` at the new controller\'s class.',
    bad: ingress('proxy-body-size: "20m"'),
    good: ingress('    nginx.org/client-max-body-size: "20m"', ingressClass('nginx.org/ingress-controller')),
  },
  'gateway-frontend-without-https': {
    why: 'Gateway API applies `spec.tls.frontend` only to listeners with protocol HTTPS. On a Gateway (or a port) without one, '
      + 'no client certificate is ever requested, though the manifest reads as if mutual TLS were on.',
    fix: 'Add an HTTPS listener (with its certificateRefs) on the port clients use, or point the perPort entry at the HTTPS port.',
    bad: gateway(httpListener, frontend()),
    good: gateway(httpsListener, frontend()),
  },
  'gateway-frontend-insecure-fallback': {
    why: '`AllowInsecureFallback` (Extended support) lets a connection through whose client certificate is missing or fails '
      + 'validation; NGINX Gateway Fabric renders it as `ssl_verify_client optional_no_ca` without a CA bundle. A backend that '
      + 'trusts the Gateway to have verified the client is then open to anyone.',
    fix: 'Use `mode: AllowValidOnly` (the default), or make the backend check the certificate itself.',
    bad: gateway(httpsListener, frontend('AllowInsecureFallback')),
    good: gateway(httpsListener, frontend('AllowValidOnly')),
  },
  'gateway-frontend-validation-stale': {
    why: 'The GEP-91 drafts and docs written before Gateway API v1.5 call the field `frontendValidation`; the API has '
      + '`spec.tls.frontend`. kubectl\'s strict field validation rejects the Gateway, or a lenient apply drops the field and '
      + 'no client certificate is checked.',
    fix: 'Move the validation to `spec.tls.frontend.default.validation` (or `spec.tls.frontend.perPort[]` for one port).',
    bad: gateway(httpsListener, '    frontendValidation:\n      caCertificateRefs:\n        - group: ""\n          kind: ConfigMap\n'
      + '          name: client-ca\n'),
    good: gateway(httpsListener, frontend()),
  },
  'gateway-tls-policy-hostname': {
    why: '`validation.hostname` is required and must be one precise name: it is the SNI sent to the backend and the name its '
      + 'certificate is checked against. Without it, or with a wildcard, the API server refuses the policy and the backend '
      + 'gets no TLS policy at all.',
    fix: 'Set `hostname` to the name in the backend\'s certificate; to accept several names, list them in `subjectAltNames`.',
    bad: tlsPolicy(caConfigMapRef),
    good: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`),
  },
  'gateway-tls-policy-ca-source': {
    why: 'A BackendTLSPolicy verifies the backend against exactly one source: `caCertificateRefs` or `wellKnownCACertificates`. '
      + 'The CRD\'s validation refuses a policy with both or neither.',
    fix: 'Keep one: a ConfigMap with the backend\'s CA under `ca.crt`, or `wellKnownCACertificates: System` for a public CA.',
    bad: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}    wellKnownCACertificates: System\n`),
    good: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`),
  },
  'gateway-tls-policy-ca-ref': {
    why: 'Core support is one ConfigMap (group "") in the policy\'s own namespace, with the PEM under `ca.crt`. A Secret or '
      + 'another kind works only where the implementation supports it (elsewhere ResolvedRefs=False, InvalidKind, and every '
      + 'request fails with a 5xx); the reference has no namespace field.',
    fix: 'Put the CA in a ConfigMap next to the policy: `kubectl create configmap api-ca --from-file=ca.crt=ca.pem`.',
    bad: tlsPolicy('    hostname: api.shop.svc\n    caCertificateRefs:\n      - group: ""\n        kind: Secret\n        name: api-ca\n'),
    good: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`),
  },
  'gateway-tls-policy-section-name': {
    why: '`sectionName` selects a port of the Service by its name. A name the Service does not have matches nothing, so the '
      + 'policy applies to no port and the backend is reached without verification.',
    fix: 'Use the name of the Service port that serves TLS (`kubectl get svc api -o jsonpath=\'{.spec.ports[*].name}\'`).',
    bad: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`, '      sectionName: tls\n')
      + service('{name: https, port: 443, targetPort: 8443}'),
    good: tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`, '      sectionName: https\n')
      + service('{name: https, port: 443, targetPort: 8443}'),
  },
  'gateway-backend-tls-missing': {
    why: 'A Gateway speaks TLS to a backend only where a BackendTLSPolicy says so. A route to an HTTPS port without one sends '
      + 'plain HTTP to a TLS port (requests fail), or, with implementation defaults, TLS without checking the certificate. '
      + 'ingress2gateway writes no policy unless all four proxy-ssl-* annotations were set, and none for GRPCS.',
    fix: 'Add a BackendTLSPolicy targeting the Service (and its port by sectionName), with the backend\'s CA and hostname.',
    bad: route(443) + service('{name: https, port: 443, appProtocol: https}'),
    good: route(443) + service('{name: https, port: 443, appProtocol: https}') + '---\n'
      + tlsPolicy(`    hostname: api.shop.svc\n${caConfigMapRef}`, '      sectionName: https\n'),
  },
  'nic-egress-unverified': {
    why: 'Without `verifyServer: true` F5 NGINX Ingress Controller renders `proxy_ssl_verify off`: the connection to the '
      + 'upstream is encrypted but any certificate is accepted, so whoever is on the path can read and change the traffic.',
    fix: 'Set `verifyServer: true` and `trustedCertSecret` (a Secret of type nginx.org/ca with the upstream\'s CA under ca.crt).',
    bad: nicPolicy('  egressMTLS:\n    tlsSecret: egress-client\n    protocols: "TLSv1.2 TLSv1.3"\n'),
    good: nicPolicy(verifiedEgress),
  },
  'nic-egress-trusted-cert-missing': {
    why: 'Verifying the upstream needs the CA to verify it against; NIC\'s validation refuses an egressMTLS with '
      + '`verifyServer: true` and no `trustedCertSecret`, and routes using the Policy answer with an error.',
    fix: 'Add `trustedCertSecret`: a Secret of type nginx.org/ca in the Policy\'s namespace with the CA under ca.crt.',
    bad: nicPolicy('  egressMTLS:\n    verifyServer: true\n    protocols: "TLSv1.2 TLSv1.3"\n'),
    good: nicPolicy(verifiedEgress),
  },
  'nic-egress-legacy-protocols': {
    why: 'TLSv1 and TLSv1.1 are deprecated (RFC 8996). When `protocols` is unset NIC writes '
      + '`proxy_ssl_protocols TLSv1 TLSv1.1 TLSv1.2`, so a downgrade to them stays possible toward the upstream.',
    fix: 'Set `protocols: "TLSv1.2 TLSv1.3"`.',
    bad: nicPolicy('  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n'),
    good: nicPolicy(verifiedEgress),
  },
  'nic-verify-client': {
    why: '`verifyClient` is a string: on, off, optional or optional_no_ca. Kubernetes reads YAML 1.1, where an unquoted `on` '
      + 'or `off` is a boolean, so the API server refuses the Policy; any other string NIC refuses.',
    fix: 'Quote the value: `verifyClient: "on"`.',
    bad: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: on\n'),
    good: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "on"\n'),
  },
  'nic-ca-secret-type': {
    why: 'NIC reads CA certificates only from Secrets of type `nginx.org/ca` (key ca.crt) and refuses a Policy whose '
      + '`clientCertSecret` or `trustedCertSecret` names another type, such as Opaque or kubernetes.io/tls.',
    fix: 'Create the Secret with `type: nginx.org/ca` and the CA under `ca.crt`.',
    bad: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "on"\n')
      + '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: client-ca\n  namespace: shop\ntype: Opaque\ndata:\n'
      + '  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n',
    good: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "on"\n')
      + '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: client-ca\n  namespace: shop\ntype: nginx.org/ca\ndata:\n'
      + `  ca.crt: ${EXAMPLE_CA_BASE64}\n`,
  },
  'nic-unknown-annotation': {
    why: 'F5 NGINX Ingress Controller ignores annotations it does not know, so a misspelt key changes nothing, silently.',
    fix: 'Use the key as NIC documents it (the quick fix offers the closest one).',
    bad: nicIngress('nginx.org/proxy-read-timout: "120s"'),
    good: nicIngress('nginx.org/proxy-read-timeout: "120s"'),
  },
  'nic-annotation-value': {
    why: 'NIC parses each annotation value; one it cannot parse is logged and ignored, and the setting keeps its default.',
    fix: 'Write the value in the form the annotation takes (the hover on the key shows it).',
    bad: nicIngress('nginx.org/proxy-read-timeout: "two minutes"'),
    good: nicIngress('nginx.org/proxy-read-timeout: "120s"'),
  },
  'nic-ssl-services-unverified': {
    why: '`nginx.org/ssl-services` makes NIC proxy to those Services over HTTPS without verifying their certificate. Since '
      + 'NIC 5.5.0 an EgressMTLS Policy attached with `nginx.org/policies` can verify it.',
    fix: 'Attach an EgressMTLS Policy with `verifyServer: true` and `trustedCertSecret` through `nginx.org/policies`.',
    bad: nicIngress('nginx.org/ssl-services: "app"'),
    good: nicIngress('nginx.org/ssl-services: "app"\nnginx.org/policies: "api-egress"', `---\n${nicPolicy(verifiedEgress)}`),
  },
};
