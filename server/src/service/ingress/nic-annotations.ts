/**
 * What F5's NGINX Ingress Controller (nginx/kubernetes-ingress, "NIC") reads from `nginx.org/*` and
 * `nginx.com/*` annotations on an Ingress: the value each takes, the release that added it where
 * known, and behaviour worth knowing. A different controller from ingress-nginx, with its own keys.
 *
 * Sources: NIC's internal/configs/annotations.go (parseAnnotations and the service-list getters),
 * internal/configs/version1/header_parsing_helper.go (proxy-set-headers), and the facts gathered in
 * the project's notes on NIC 5.3–5.5 (ssl-ciphers 5.3.0; ssl-redirect and policies 5.4.0; IngressMTLS
 * and EgressMTLS Policies on an Ingress through `nginx.org/policies` since 5.5.0). A value the
 * controller cannot parse is logged and ignored: the setting keeps its default.
 */

export type NicValueType =
  /** Go's strconv.ParseBool: true/false, 1/0, t/f, TRUE/FALSE, True/False. */
  | { kind: 'bool' }
  /** A decimal integer. */
  | { kind: 'int'; min?: number }
  /** An nginx time (NIC's ParseTime): digits with an optional unit, e.g. `60s`, `1m`, `500ms`. */
  | { kind: 'time' }
  /** An nginx size (NIC's ParseSize): digits with an optional k/m/g suffix. */
  | { kind: 'size' }
  | { kind: 'enum'; values: readonly string[] }
  /** Comma-separated Service names of this Ingress' backends. */
  | { kind: 'service-list' }
  /** Comma-separated Policy references, `name` or `namespace/name`. */
  | { kind: 'policy-list' }
  /** Comma-separated ports. */
  | { kind: 'port-list' }
  /** Comma-separated `Name: value` headers; NIC refuses `$` in values. */
  | { kind: 'header-list' }
  /** nginx configuration pasted into the given block (needs `enableSnippets`). */
  | { kind: 'snippets'; context: 'server' | 'location' }
  | { kind: 'string' };

export interface NicAnnotationInfo {
  /** The full key, e.g. `nginx.org/ssl-services`. */
  key: string;
  summary: string;
  type: NicValueType;
  /** The NIC release that added it, where known. */
  since?: string;
  /** Read only by NGINX Plus builds. */
  plus?: true;
  notes?: readonly string[];
}

const BOOL: NicValueType = { kind: 'bool' };
const TIME: NicValueType = { kind: 'time' };
const SIZE: NicValueType = { kind: 'size' };
const INT: NicValueType = { kind: 'int', min: 0 };
const STRING: NicValueType = { kind: 'string' };

const table = (entries: readonly [string, string, NicValueType, Partial<NicAnnotationInfo>?][]): NicAnnotationInfo[] =>
  entries.map(([key, summary, type, more]) => ({ key, summary, type, ...more }));

export const NIC_ANNOTATIONS: readonly NicAnnotationInfo[] = table([
  ['nginx.org/ssl-services', 'Services this Ingress proxies to over HTTPS (proxy_pass https://).', { kind: 'service-list' }, {
    notes: ['The upstream certificate is not verified: attach an EgressMTLS Policy with verifyServer: true and trustedCertSecret '
      + 'through nginx.org/policies (NIC 5.5.0 and later).',
    'gRPC over TLS needs the Service in both ssl-services and grpc-services.'],
  }],
  ['nginx.org/grpc-services', 'Services this Ingress proxies to over gRPC (grpc_pass).', { kind: 'service-list' }],
  ['nginx.org/websocket-services', 'Services that get the WebSocket upgrade headers.', { kind: 'service-list' }],
  ['nginx.org/policies', 'Policy resources (k8s.nginx.org/v1) applied to this Ingress: `name` or `namespace/name`, comma-separated.',
    { kind: 'policy-list' }, { since: '5.4.0', notes: ['IngressMTLS and EgressMTLS Policies are accepted on an Ingress since 5.5.0; '
      + 'IngressMTLS needs TLS termination on the Ingress, and only the master of a mergeable set may reference it.'] }],
  ['nginx.org/mergeable-ingress-type', 'Master or minion of a mergeable set of Ingresses for one host.',
    { kind: 'enum', values: ['master', 'minion'] }],
  ['nginx.org/rewrites', 'Rewrites of the path per Service: `serviceName=svc rewrite=/path/;…`.', STRING],
  ['nginx.org/rewrite-target', 'The path requests are rewritten to (regex paths may use $1…); not with nginx.org/rewrites.', STRING],
  ['nginx.org/path-regex', 'Treat the paths of this Ingress as regular expressions.',
    { kind: 'enum', values: ['case_sensitive', 'case_insensitive', 'exact'] }],
  ['nginx.org/ssl-redirect', 'Redirect HTTP to HTTPS when the Ingress terminates TLS (default true).', BOOL,
    { since: '5.4.0', notes: ['Replaces ingress.kubernetes.io/ssl-redirect.'] }],
  ['nginx.org/redirect-to-https', 'Redirect to HTTPS by the X-Forwarded-Proto header (behind a TLS-terminating load balancer).', BOOL],
  ['nginx.org/http-redirect-code', 'The status of the HTTP to HTTPS redirect.',
    { kind: 'enum', values: ['301', '302', '307', '308'] }],
  ['nginx.org/hsts', 'Send Strict-Transport-Security.', BOOL],
  ['nginx.org/hsts-max-age', 'max-age of Strict-Transport-Security, in seconds.', INT],
  ['nginx.org/hsts-include-subdomains', 'includeSubDomains in Strict-Transport-Security.', BOOL],
  ['nginx.org/hsts-behind-proxy', 'Send HSTS by X-Forwarded-Proto rather than the connection\'s scheme.', BOOL],
  ['nginx.org/ssl-ciphers', 'ssl_ciphers of the server (frontend TLS).', STRING, { since: '5.3.0' }],
  ['nginx.org/ssl-prefer-server-ciphers', 'ssl_prefer_server_ciphers of the server.', BOOL, { since: '5.3.0' }],
  ['nginx.org/server-tokens', 'server_tokens (NGINX Plus also takes a string).', STRING],
  ['nginx.org/listen-ports', 'Ports the server listens on for HTTP.', { kind: 'port-list' }],
  ['nginx.org/listen-ports-ssl', 'Ports the server listens on for HTTPS.', { kind: 'port-list' }],
  ['nginx.org/proxy-connect-timeout', 'proxy_connect_timeout.', TIME],
  ['nginx.org/proxy-read-timeout', 'proxy_read_timeout.', TIME],
  ['nginx.org/proxy-send-timeout', 'proxy_send_timeout.', TIME],
  ['nginx.org/proxy-next-upstream', 'proxy_next_upstream.', STRING],
  ['nginx.org/proxy-next-upstream-timeout', 'proxy_next_upstream_timeout.', TIME],
  ['nginx.org/proxy-next-upstream-tries', 'proxy_next_upstream_tries.', INT],
  ['nginx.org/proxy-hide-headers', 'proxy_hide_header, comma-separated header names.', STRING],
  ['nginx.org/proxy-pass-headers', 'proxy_pass_header, comma-separated header names.', STRING],
  ['nginx.org/proxy-set-headers', 'proxy_set_header, comma-separated `Name` or `Name: value`.', { kind: 'header-list' }, {
    notes: ['Values may not contain `$`: a header from an nginx variable (such as $ssl_client_escaped_cert) needs '
      + 'nginx.org/location-snippets.'],
  }],
  ['nginx.org/client-max-body-size', 'client_max_body_size.', SIZE],
  ['nginx.org/client-body-buffer-size', 'client_body_buffer_size.', SIZE],
  ['nginx.org/proxy-buffering', 'proxy_buffering.', BOOL],
  ['nginx.org/proxy-buffers', 'proxy_buffers, `number size`.', STRING],
  ['nginx.org/proxy-buffer-size', 'proxy_buffer_size.', SIZE],
  ['nginx.org/proxy-busy-buffers-size', 'proxy_busy_buffers_size.', SIZE],
  ['nginx.org/proxy-max-temp-file-size', 'proxy_max_temp_file_size.', SIZE],
  ['nginx.org/upstream-zone-size', 'The size of the upstream\'s shared memory zone.', SIZE],
  ['nginx.org/lb-method', 'The load-balancing method of the upstream (round_robin, least_conn, ip_hash, hash …).', STRING],
  ['nginx.org/keepalive', 'keepalive connections to the upstream.', INT],
  ['nginx.org/max-fails', 'max_fails of each upstream server.', INT],
  ['nginx.org/max-conns', 'max_conns of each upstream server.', INT],
  ['nginx.org/fail-timeout', 'fail_timeout of each upstream server.', TIME],
  ['nginx.org/use-cluster-ip', 'Proxy to the Service\'s cluster IP instead of its endpoints.', BOOL],
  ['nginx.org/app-root', 'Redirect requests for / to this path.', STRING],
  ['nginx.org/basic-auth-secret', 'Secret (type nginx.org/htpasswd) with the users of HTTP basic authentication.', STRING],
  ['nginx.org/basic-auth-realm', 'The realm of HTTP basic authentication.', STRING],
  ['nginx.org/server-snippets', 'nginx configuration added to the server block.', { kind: 'snippets', context: 'server' }, {
    notes: ['Read only when the controller runs with -enable-snippets (enableSnippets: false by default).'],
  }],
  ['nginx.org/location-snippets', 'nginx configuration added to each location.', { kind: 'snippets', context: 'location' }, {
    notes: ['Read only when the controller runs with -enable-snippets (enableSnippets: false by default).'],
  }],
  ['nginx.org/limit-req-rate', 'Rate limit, e.g. `10r/s`.', STRING],
  ['nginx.org/limit-req-key', 'The key of the rate limit, e.g. `${binary_remote_addr}`.', STRING],
  ['nginx.org/limit-req-zone-size', 'The size of the rate limit zone.', SIZE],
  ['nginx.org/limit-req-delay', 'limit_req delay.', INT],
  ['nginx.org/limit-req-no-delay', 'limit_req nodelay.', BOOL],
  ['nginx.org/limit-req-burst', 'limit_req burst.', INT],
  ['nginx.org/limit-req-dry-run', 'limit_req_dry_run.', BOOL],
  ['nginx.org/limit-req-log-level', 'limit_req_log_level.', { kind: 'enum', values: ['info', 'notice', 'warn', 'error'] }],
  ['nginx.org/limit-req-reject-code', 'limit_req_status.', INT],
  ['nginx.org/limit-req-scale', 'Divide the rate among the controller\'s replicas.', BOOL],
  ['nginx.com/health-checks', 'Active health checks of the upstream.', BOOL, { plus: true }],
  ['nginx.com/health-checks-mandatory', 'New upstream servers start unhealthy until they pass a check.', BOOL, { plus: true }],
  ['nginx.com/health-checks-mandatory-queue', 'Requests queued while no server is healthy.', INT, { plus: true }],
  ['nginx.com/slow-start', 'slow_start of each upstream server.', TIME, { plus: true }],
  ['nginx.com/sticky-cookie-services', 'Session persistence by cookie, per Service.', STRING, { plus: true }],
  ['nginx.com/jwt-key', 'Secret with the JSON Web Key set for JWT validation.', STRING, { plus: true }],
  ['nginx.com/jwt-realm', 'The realm of JWT validation.', STRING, { plus: true }],
  ['nginx.com/jwt-token', 'Where the JWT is read from, e.g. `$cookie_auth_token`.', STRING, { plus: true }],
  ['nginx.com/jwt-login-url', 'Where a request without a valid JWT is redirected.', STRING, { plus: true }],
]);

/** The prefixes of F5 NGINX Ingress Controller's Ingress annotations. */
export const NIC_PREFIXES = ['nginx.org/', 'nginx.com/'] as const;

const BY_KEY = new Map(NIC_ANNOTATIONS.map((a) => [a.key, a]));

/** The entry of a full key, e.g. `nginx.org/ssl-services`. */
export function nicAnnotationInfo(key: string): NicAnnotationInfo | undefined {
  return BY_KEY.get(key);
}

/** Whether a key is one of NIC's (by prefix). */
export function isNicAnnotation(key: string): boolean {
  return NIC_PREFIXES.some((p) => key.startsWith(p));
}
