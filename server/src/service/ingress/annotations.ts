/**
 * What the ingress-nginx controller (kubernetes/ingress-nginx) understands in
 * `nginx.ingress.kubernetes.io/*` annotations on an Ingress: value shapes, defaults, the nginx
 * directive each one turns into, its documented risk level, and behaviour worth warning about.
 *
 * Sources: the project's annotations and annotations-risk documentation and the annotation parsers
 * and validators in `internal/ingress/annotations/*` (controller v1.12/v1.13 era).
 *
 * How the controller treats a bad value (since v1.12 `--enable-annotation-validation` is on by default):
 * a value that fails an annotation's validator either is quietly replaced by the default with only a
 * log line (`invalidFallback: true`), or makes the controller refuse the whole Ingress (the admission
 * webhook denies it; without the webhook the Ingress is skipped and an error is logged). Where
 * `invalidFallback` is absent the parser's behaviour was not confirmed. Annotation values are always
 * strings: quote `"true"`, `"on"` and numbers in YAML.
 */

/** The shape of an annotation value. */
export type AnnotationValueType =
  /** "true" | "false". The controller parses with Go's strconv.ParseBool, which also takes 1/0, t/f, TRUE/FALSE, True/False. */
  | { kind: 'bool' }
  /** One of `values`; compared exactly unless `caseInsensitive`. Surrounding spaces are trimmed. */
  | { kind: 'enum'; values: readonly string[]; caseInsensitive?: boolean }
  /** A decimal integer (Go strconv.Atoi: optional sign, no unit). `min`/`max` are the range that makes sense. */
  | { kind: 'int'; min?: number; max?: number }
  /** An nginx size: digits with an optional b/k/m/g suffix in either case, e.g. `8k`, `1M`, `1000`. */
  | { kind: 'size' }
  /** A time with a unit, e.g. `1m`, `30s` (only used by removed annotations; timeouts are plain integers of seconds). */
  | { kind: 'duration' }
  /**
   * A Secret reference `namespace/name`. `plainNameAllowed` says whether a bare `name` (meaning the
   * Ingress's own namespace) is accepted too; when false, a bare name is refused.
   */
  | { kind: 'secret-ref'; plainNameAllowed?: boolean }
  | { kind: 'url' }
  | { kind: 'string' }
  /** A PCRE regular expression. */
  | { kind: 'regex' }
  /** Comma-separated IPs and CIDRs, e.g. `10.0.0.0/24,172.10.0.1`. */
  | { kind: 'cidr-list' }
  /** Raw nginx configuration pasted into the given context of the generated nginx.conf. */
  | { kind: 'nginx-snippet'; context: 'location' | 'server' | 'stream' | 'http' };

export interface AnnotationInfo {
  /** Name without the prefix, e.g. 'auth-tls-verify-client'. */
  name: string;
  /** What it does, in one or two sentences. */
  summary: string;
  type: AnnotationValueType;
  /** The value the controller uses when the annotation is absent (or, with invalidFallback, invalid). */
  default?: string;
  /** The nginx directive or behaviour it becomes. */
  directive?: string;
  /** Behaviour a user should know about. */
  notes?: string[];
  /** True when the controller silently replaces an invalid value by the default (only logging). */
  invalidFallback?: boolean;
  /** Risk level from the project's "Annotations Scope and Risk" table. */
  risk?: 'Low' | 'Medium' | 'High' | 'Critical';
  /** Set when the annotation is removed or superseded: what to use instead. */
  deprecated?: string;
}

export const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

// F5's NGINX Ingress Controller (nginx/kubernetes-ingress) uses these prefixes: a different controller, not ingress-nginx.
export const OTHER_CONTROLLER_PREFIXES = ['nginx.org/', 'nginx.com/'] as const;

const BOOL: AnnotationValueType = { kind: 'bool' };
const ON_OFF: AnnotationValueType = { kind: 'enum', values: ['on', 'off'] };
const STRING: AnnotationValueType = { kind: 'string' };
const SIZE: AnnotationValueType = { kind: 'size' };
const URL: AnnotationValueType = { kind: 'url' };
const SECONDS: AnnotationValueType = { kind: 'int', min: 0 };

const SNIPPET_NOTES: readonly string[] = [
  'Accepted only when the controller ConfigMap sets allow-snippet-annotations: "true" (the default has been "false" since v1.9); '
    + 'otherwise the annotation is dropped.',
  'Its risk level is Critical: since v1.12 the ConfigMap key annotations-risk-level defaults to "High", so it must also be raised to '
    + '"Critical" or the Ingress is refused.',
  'The text is copied verbatim without validation. A mistake makes the generated configuration fail nginx\'s test: the admission webhook '
    + 'then refuses the Ingress, or, without it, the controller keeps running the previous configuration and logs the error.',
];

const REMOVED_IN_1_12_GLOBAL_RATE_LIMIT =
  'removed in controller v1.12 together with its memcached settings; use limit-rps / limit-rpm (counted per controller replica)';

const REMOVED_IN_1_10_OPENTRACING = 'removed in controller v1.10 with the OpenTracing module; use enable-opentelemetry';

const CROSS_NAMESPACE_NOTE =
  'A Secret in another namespace than the Ingress is refused unless the ConfigMap sets allow-cross-namespace-resources: "true" (default '
    + '"false" since v1.12).';

export const ANNOTATIONS: readonly AnnotationInfo[] = [
  // ---------------------------------------------------------------- client certificate authentication
  {
    name: 'auth-tls-secret',
    summary: 'Turns on client-certificate (mutual TLS) authentication for the host, using the CA certificates in the named Secret to '
      + 'check what clients present.',
    type: { kind: 'secret-ref', plainNameAllowed: false },
    directive: 'ssl_client_certificate',
    notes: [
      'The Secret must hold the CA bundle under the key ca.crt (one or more PEM certificates).',
      'The value must have the form namespace/name. If the Secret cannot be read or has no usable ca.crt, the controller denies the '
        + 'affected locations instead of serving them without client authentication.',
      CROSS_NAMESPACE_NOTE,
      'The client-certificate settings end up in the server block, so they act per host: every path of the host shares them.',
      'Only meaningful for a host listed under spec.tls: without TLS there is no client certificate to ask for.',
      'None of the other auth-tls-* annotations do anything without this one.',
    ],
    risk: 'Medium',
  },
  {
    name: 'auth-tls-verify-client',
    summary: 'Chooses whether a client certificate is required, optional, optional without CA check, or not requested at all.',
    type: { kind: 'enum', values: ['on', 'off', 'optional', 'optional_no_ca'] },
    default: 'on',
    directive: 'ssl_verify_client',
    notes: [
      'on: a certificate signed by a CA from auth-tls-secret is required; a request without one, or with one that fails verification, '
        + 'gets 400 Bad Request.',
      'optional: a certificate is asked for but may be missing; a certificate that fails verification still gets 400. The verification '
        + 'result is passed to the backend.',
      'optional_no_ca: a certificate is asked for but not checked against the CA; the backend must judge the result (header '
        + 'ssl-client-verify).',
      'off: no certificate is requested.',
      'Values are lower case; anything else silently becomes "on".',
    ],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'auth-tls-verify-depth',
    summary: 'Maximum length of the chain between the client certificate and a trusted CA.',
    type: { kind: 'int', min: 1 },
    default: '1',
    directive: 'ssl_verify_depth',
    notes: [
      '0 or an unparsable value is replaced by 1; with depth 1 an intermediate CA between client certificate and root is not '
        + 'accepted.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'auth-tls-error-page',
    summary: 'Where clients are sent when client-certificate verification fails, instead of the plain error response.',
    type: URL,
    default: '',
    directive: 'error_page 495 496',
    notes: ['Accepts a URL (http:// or https://, or a path) or a named location (@name).'],
    risk: 'High',
  },
  {
    name: 'auth-tls-pass-certificate-to-upstream',
    summary: 'Forwards the client certificate to the backend in a request header.',
    type: BOOL,
    default: 'false',
    directive: 'proxy_set_header ssl-client-cert $ssl_client_escaped_cert',
    notes: [
      'The header is ssl-client-cert and carries the URL-encoded PEM (nginx\'s $ssl_client_escaped_cert).',
      'Independent of this setting the backend always receives ssl-client-verify, ssl-client-subject-dn and ssl-client-issuer-dn when '
        + 'client authentication is on.',
    ],
    risk: 'Low',
  },
  {
    name: 'auth-tls-match-cn',
    summary: 'Additionally requires the client certificate\'s subject to match a regular expression; other clients get 403.',
    type: { kind: 'regex' },
    directive: 'if ($ssl_client_s_dn !~ …) { return 403; }',
    notes: [
      'The value must start with "CN=" followed by the expression, e.g. "CN=(app1|app2)".',
      'Ignored unless auth-tls-secret is set.',
    ],
    risk: 'High',
  },

  // ---------------------------------------------------------------- backend protocol and TLS to the backend
  {
    name: 'backend-protocol',
    summary: 'The protocol nginx speaks to the backend service.',
    type: { kind: 'enum', values: ['HTTP', 'HTTPS', 'AUTO_HTTP', 'GRPC', 'GRPCS', 'FCGI'], caseInsensitive: true },
    default: 'HTTP',
    directive: 'proxy_pass http(s)://upstream_balancer; | grpc_pass grpc(s)://upstream_balancer; | fastcgi_pass',
    notes: [
      'Matched without regard to case and with spaces trimmed, then upper-cased; an unknown value silently becomes HTTP.',
      'HTTPS renders proxy_pass https://upstream_balancer; the backend certificate is not checked unless proxy-ssl-secret and '
        + 'proxy-ssl-verify: "on" are set.',
      'AJP was accepted by older releases and is gone from current ones.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-ssl-secret',
    summary: 'Secret with the CA bundle used to verify an HTTPS backend, and optionally a client certificate and key to present to it.',
    type: { kind: 'secret-ref', plainNameAllowed: false },
    directive: 'proxy_ssl_trusted_certificate, proxy_ssl_certificate, proxy_ssl_certificate_key',
    notes: [
      'Without proxy-ssl-secret every other proxy-ssl-* annotation is ignored (issues #10264, #6728).',
      'The Secret holds ca.crt (trusted CAs) and, for mutual TLS towards the backend, tls.crt and tls.key.',
      'The value must have the form namespace/name; a Secret that cannot be read makes the controller deny the affected locations.',
      CROSS_NAMESPACE_NOTE,
    ],
    risk: 'Medium',
  },
  {
    name: 'proxy-ssl-verify',
    summary: 'Whether nginx checks the certificate of an HTTPS backend.',
    type: ON_OFF,
    default: 'off',
    directive: 'proxy_ssl_verify',
    notes: [
      'Off by default: the backend certificate is accepted whatever it is (users asked for "on" as default in #7083).',
      'Without proxy-ssl-secret this annotation is ignored.',
      'With "on", also set proxy-ssl-name to the name in the backend certificate: otherwise the name checked is upstream_balancer and '
        + 'verification fails (#12883).',
      'Only lower-case on/off; anything else silently becomes "off".',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-ssl-verify-depth',
    summary: 'Maximum chain length accepted when verifying the backend certificate.',
    type: { kind: 'int', min: 1 },
    default: '1',
    directive: 'proxy_ssl_verify_depth',
    notes: ['0 or an unparsable value is replaced by 1. Ignored without proxy-ssl-secret.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-ssl-name',
    summary: 'The server name checked in the backend certificate and, with proxy-ssl-server-name, sent as SNI.',
    type: STRING,
    default: '',
    directive: 'proxy_ssl_name',
    notes: [
      'When empty the name nginx uses is the host of the proxy_pass URL, which ingress-nginx renders as upstream_balancer; with '
        + 'proxy-ssl-verify: "on" that makes verification fail (#12883).',
      'Ignored without proxy-ssl-secret.',
    ],
    invalidFallback: true,
    risk: 'High',
  },
  {
    name: 'proxy-ssl-server-name',
    summary: 'Whether nginx sends the server name (SNI) when opening the TLS connection to the backend.',
    type: ON_OFF,
    default: 'off',
    directive: 'proxy_ssl_server_name',
    notes: ['Ignored without proxy-ssl-secret. Backends that host several names usually need it.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-ssl-protocols',
    summary: 'TLS protocol versions allowed on the connection to an HTTPS backend.',
    type: STRING,
    default: 'TLSv1.2',
    directive: 'proxy_ssl_protocols',
    notes: [
      'Space-separated tokens; current releases accept only TLSv1.2 and TLSv1.3 (older ones also took SSLv2/SSLv3/TLSv1/TLSv1.1).',
      'Ignored without proxy-ssl-secret.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-ssl-ciphers',
    summary: 'OpenSSL cipher list for the connection to an HTTPS backend.',
    type: STRING,
    default: 'DEFAULT',
    directive: 'proxy_ssl_ciphers',
    notes: ['Letters, digits and + : _ - ! only. Ignored without proxy-ssl-secret.'],
    invalidFallback: true,
    risk: 'Medium',
  },

  // ---------------------------------------------------------------- snippets
  {
    name: 'configuration-snippet',
    summary: 'Raw nginx directives added to the location block generated for each path of the Ingress.',
    type: { kind: 'nginx-snippet', context: 'location' },
    directive: '(inserted verbatim into location)',
    notes: [...SNIPPET_NOTES],
    risk: 'Critical',
  },
  {
    name: 'server-snippet',
    summary: 'Raw nginx directives added to the server block of the Ingress\'s host.',
    type: { kind: 'nginx-snippet', context: 'server' },
    directive: '(inserted verbatim into server)',
    notes: [...SNIPPET_NOTES, 'Only one server-snippet per host takes effect; several Ingresses for the same host must not each set one.'],
    risk: 'Critical',
  },
  {
    name: 'stream-snippet',
    summary: 'Raw nginx configuration added to the stream (TCP/UDP) section, e.g. an extra server block with its own listen.',
    type: { kind: 'nginx-snippet', context: 'stream' },
    directive: '(inserted verbatim into stream)',
    notes: [...SNIPPET_NOTES],
    risk: 'Critical',
  },
  {
    name: 'auth-snippet',
    summary: 'Raw nginx directives added to the internal location that performs the external-authentication subrequest.',
    type: { kind: 'nginx-snippet', context: 'location' },
    directive: '(inserted verbatim into the auth-url subrequest location)',
    notes: [...SNIPPET_NOTES, 'Has no effect without auth-url.'],
    risk: 'Critical',
  },
  {
    name: 'modsecurity-snippet',
    summary: 'ModSecurity rules (SecLang, not nginx syntax) added for the Ingress\'s locations.',
    type: STRING,
    directive: 'modsecurity_rules',
    notes: [
      'Counts as a snippet annotation: needs allow-snippet-annotations: "true" and annotations-risk-level "Critical".',
      'When set together with enable-owasp-core-rules only the snippet applies; include the core rule set from the snippet if wanted.',
    ],
    risk: 'Critical',
  },

  // ---------------------------------------------------------------- basic / digest authentication
  {
    name: 'auth-type',
    summary: 'Turns on HTTP authentication with user names and passwords from auth-secret.',
    type: { kind: 'enum', values: ['basic', 'digest'] },
    directive: 'auth_basic / auth_basic_user_file (digest: auth_digest)',
    notes: ['Needs auth-secret.'],
    risk: 'Low',
  },
  {
    name: 'auth-secret',
    summary: 'Secret with the users and password hashes allowed in by auth-type.',
    type: { kind: 'secret-ref', plainNameAllowed: true },
    directive: 'auth_basic_user_file',
    notes: [
      'A bare name means the Ingress\'s namespace; namespace/name looks the Secret up elsewhere.',
      'With auth-secret-type auth-file the Secret needs the key auth holding an htpasswd file.',
    ],
    risk: 'Medium',
  },
  {
    name: 'auth-secret-type',
    summary: 'How the auth-secret is laid out: one htpasswd file, or one key per user.',
    type: { kind: 'enum', values: ['auth-file', 'auth-map'] },
    default: 'auth-file',
    notes: ['auth-file: an htpasswd file under the key auth. auth-map: each key is a user name, its value the password hash.'],
    risk: 'Low',
  },
  {
    name: 'auth-realm',
    summary: 'The realm text shown in the browser\'s login prompt.',
    type: STRING,
    directive: 'auth_basic',
    risk: 'Medium',
  },

  // ---------------------------------------------------------------- external authentication
  {
    name: 'auth-url',
    summary: 'Sends a subrequest to this URL before each request; a 2xx answer lets the request through, 401/403 refuses it.',
    type: URL,
    directive: 'auth_request (to an internal location that proxies to the URL)',
    notes: ['May contain nginx variables, e.g. https://$host/oauth2/auth.', 'All other auth-* external-auth annotations depend on it.'],
    risk: 'High',
  },
  {
    name: 'auth-method',
    summary: 'HTTP method used for the auth-url subrequest.',
    type: { kind: 'enum', values: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'] },
    directive: 'proxy_method',
    risk: 'Low',
  },
  {
    name: 'auth-signin',
    summary: 'Where a client is redirected when the auth-url service answers 401, typically a login page.',
    type: URL,
    directive: 'error_page 401 = … (redirect)',
    notes: ['The original URL is appended as a query parameter named by auth-signin-redirect-param (default rd).'],
    risk: 'High',
  },
  {
    name: 'auth-signin-redirect-param',
    summary: 'Name of the query parameter that carries the original URL to the auth-signin page.',
    type: STRING,
    default: 'rd',
    risk: 'Medium',
  },
  {
    name: 'auth-response-headers',
    summary: 'Comma-separated headers copied from the auth-url response into the request sent to the backend.',
    type: STRING,
    directive: 'auth_request_set + proxy_set_header',
    notes: ['Header names only: letters, digits, - and _.'],
    risk: 'Medium',
  },
  {
    name: 'auth-proxy-set-headers',
    summary: 'ConfigMap (namespace/name) whose entries are extra headers sent to the auth-url service.',
    type: STRING,
    directive: 'proxy_set_header (in the auth subrequest location)',
    notes: [
      'The ConfigMap must be readable by the controller and, unless cross-namespace resources are allowed, be in the '
        + 'Ingress\'s namespace.',
    ],
    risk: 'Medium',
  },
  {
    name: 'auth-request-redirect',
    summary: 'Value sent as the X-Auth-Request-Redirect header to the auth-url service.',
    type: STRING,
    risk: 'Medium',
  },
  {
    name: 'auth-cache-key',
    summary: 'Turns on caching of auth-url answers, keyed by this text (usually nginx variables such as $remote_user$http_authorization).',
    type: STRING,
    directive: 'proxy_cache_key (auth location)',
    notes: ['Cached answers are kept per server and per location.'],
    risk: 'Medium',
  },
  {
    name: 'auth-cache-duration',
    summary: 'How long cached auth-url answers are kept, by status code, e.g. "200 202 10m, 401 5m".',
    type: STRING,
    default: '200 202 401 5m',
    directive: 'proxy_cache_valid',
    notes: ['Only used with auth-cache-key. Each comma-separated item is status codes followed by a time.'],
    risk: 'Medium',
  },
  {
    name: 'auth-keepalive',
    summary: 'Maximum idle keepalive connections kept open to the auth-url service.',
    type: { kind: 'int', min: 0 },
    default: '0',
    directive: 'keepalive (in a dedicated upstream)',
    notes: [
      '0 disables keepalive. It is also turned off when the host part of auth-url contains a variable.',
      'Does not work on HTTP/2 listeners (a limitation of Lua subrequests): use-http2 must be off.',
    ],
    risk: 'Low',
  },
  {
    name: 'auth-keepalive-share-vars',
    summary: 'Whether nginx variables are shared between the request and its auth subrequest when keepalive is used.',
    type: BOOL,
    default: 'false',
    risk: 'Low',
  },
  {
    name: 'auth-keepalive-requests',
    summary: 'Maximum number of requests sent over one keepalive connection to the auth-url service.',
    type: { kind: 'int', min: 1 },
    default: '1000',
    directive: 'keepalive_requests',
    notes: ['Only used when auth-keepalive is above 0; a value of 0 or less switches keepalive off.'],
    risk: 'Low',
  },
  {
    name: 'auth-keepalive-timeout',
    summary: 'Seconds an idle keepalive connection to the auth-url service stays open.',
    type: { kind: 'int', min: 1 },
    default: '60',
    directive: 'keepalive_timeout',
    notes: ['Only used when auth-keepalive is above 0; a value of 0 or less switches keepalive off.'],
    risk: 'Low',
  },
  {
    name: 'auth-always-set-cookie',
    summary: 'Passes cookies set by the auth-url service to the client on every response, not only successful ones.',
    type: BOOL,
    default: 'false',
    notes: ['By default the cookie is forwarded only when the backend answers 200, 201, 204, 206, 301, 302, 303, 304, 307 or 308.'],
    risk: 'Low',
  },
  {
    name: 'enable-global-auth',
    summary: 'Whether the cluster-wide external authentication (ConfigMap global-auth-url) applies to this Ingress.',
    type: BOOL,
    default: 'true',
    notes: ['Set "false" to exempt this Ingress from global-auth-url.'],
    risk: 'Low',
  },

  // ---------------------------------------------------------------- canary
  {
    name: 'canary',
    summary: 'Marks this Ingress as the canary of another Ingress with the same host and path, so part of the traffic can go to its '
      + 'backend.',
    type: BOOL,
    default: 'false',
    notes: [
      'On a canary Ingress all other annotations are ignored (taken from the main Ingress) except load-balance, upstream-hash-by and the '
        + 'session-affinity ones.',
      'Only one canary Ingress per rule is supported.',
      'The canary-* rules are checked in the order header, cookie, weight.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'canary-by-header',
    summary: 'Request header that routes to the canary: value "always" forces it, "never" excludes it, anything else falls through to '
      + 'the other rules.',
    type: STRING,
    notes: ['Needs canary: "true".'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'canary-by-header-value',
    summary: 'Routes to the canary when the canary-by-header header has exactly this value (instead of "always").',
    type: STRING,
    notes: ['Ignored without canary-by-header.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'canary-by-header-pattern',
    summary: 'Like canary-by-header-value but matches the header with a PCRE regular expression.',
    type: { kind: 'regex' },
    notes: ['Ignored when canary-by-header-value is set. A pattern that fails at request time counts as no match.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'canary-by-cookie',
    summary: 'Cookie that routes to the canary: value "always" forces it, "never" excludes it, anything else falls through to weight.',
    type: STRING,
    notes: ['Needs canary: "true".'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'canary-weight',
    summary: 'Share of requests (out of canary-weight-total) sent to the canary at random.',
    type: { kind: 'int', min: 0 },
    default: '0',
    notes: ['0 sends nothing by weight; a value equal to canary-weight-total sends everything.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'canary-weight-total',
    summary: 'The total that canary-weight is measured against.',
    type: { kind: 'int', min: 1 },
    default: '100',
    invalidFallback: true,
    risk: 'Low',
  },

  // ---------------------------------------------------------------- rewrite and redirects
  {
    name: 'rewrite-target',
    summary: 'Rewrites the request path before it is passed to the backend; may use capture groups $1, $2 … from a regex path.',
    type: STRING,
    directive: 'rewrite … break',
    notes: [
      'Setting it on any Ingress of a host makes all paths of that host regex (case-insensitive ~*) locations, as with use-regex.',
      'Without a capture group every request is rewritten to exactly the target.',
    ],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'app-root',
    summary: 'Redirects requests for "/" to this path.',
    type: STRING,
    directive: 'return 302 (for /)',
    notes: ['Must be a path such as /app, not an absolute URL.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'use-regex',
    summary: 'Treats the Ingress paths as regular expressions.',
    type: BOOL,
    default: 'false',
    directive: 'location ~* …',
    notes: [
      'Applies to every path of the host, whichever Ingress defines it.',
      'Paths must use pathType ImplementationSpecific.',
      'With cookie affinity, set session-cookie-path too: cookie paths cannot be regexes.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'ssl-redirect',
    summary: 'Whether plain-HTTP requests are redirected to HTTPS when the Ingress has TLS.',
    type: BOOL,
    default: 'true',
    directive: 'redirect to https (308 by default)',
    notes: ['The default comes from the ConfigMap key ssl-redirect ("true").'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'force-ssl-redirect',
    summary: 'Redirects to HTTPS even when the Ingress has no TLS section, e.g. when TLS ends at a load balancer in front.',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'preserve-trailing-slash',
    summary: 'Keeps a trailing slash in the URI when redirecting to HTTPS.',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'permanent-redirect',
    summary: 'Answers every request with a permanent redirect to this URL instead of proxying.',
    type: URL,
    directive: 'return 301 <url>',
    notes: ['temporal-redirect wins when both are set.'],
    risk: 'Medium',
  },
  {
    name: 'permanent-redirect-code',
    summary: 'Status code used by permanent-redirect.',
    type: { kind: 'int', min: 300, max: 308 },
    default: '301',
    notes: ['A number outside 300–308 is silently replaced by 301; a non-number makes the Ingress invalid.'],
    risk: 'Low',
  },
  {
    name: 'temporal-redirect',
    summary: 'Answers every request with a temporary redirect to this URL instead of proxying.',
    type: URL,
    directive: 'return 302 <url>',
    notes: ['The URL scheme must be http or https. Takes precedence over permanent-redirect.'],
    risk: 'Medium',
  },
  {
    name: 'temporal-redirect-code',
    summary: 'Status code used by temporal-redirect.',
    type: { kind: 'int', min: 300, max: 308 },
    default: '302',
    risk: 'Low',
  },
  {
    name: 'from-to-www-redirect',
    summary: 'Redirects www.<host> to <host> or the reverse, depending on which one the Ingress names.',
    type: BOOL,
    default: 'false',
    notes: [
      'Ignored if another Ingress already defines the other name as a host.',
      'For HTTPS the certificate must cover both names.',
    ],
    risk: 'Low',
  },
  {
    name: 'use-port-in-redirects',
    summary: 'Whether nginx includes the port in absolute redirects it issues.',
    type: BOOL,
    default: 'false',
    directive: 'port_in_redirect',
    risk: 'Low',
  },
  {
    name: 'relative-redirects',
    summary: 'Makes redirects issued by nginx relative (no scheme and host in the Location header).',
    type: BOOL,
    default: 'false',
    directive: 'absolute_redirect off',
    risk: 'Low',
  },
  {
    name: 'x-forwarded-prefix',
    summary: 'Adds an X-Forwarded-Prefix header with this value to requests sent to the backend; may use capture groups.',
    type: STRING,
    directive: 'proxy_set_header X-Forwarded-Prefix',
    risk: 'Medium',
  },

  // ---------------------------------------------------------------- session affinity
  {
    name: 'affinity',
    summary: 'Turns on sticky sessions for the Ingress\'s backends; "cookie" is the only type.',
    type: { kind: 'enum', values: ['cookie'] },
    directive: '(Lua balancer, sticky cookie)',
    notes: [
      'If several Ingresses share a host, only paths of the Ingress that sets affinity are sticky.',
      'Does not work together with service-upstream.',
    ],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'affinity-mode',
    summary: 'How sticky sessions are: "balanced" moves some sessions when backends scale up, "persistent" never does.',
    type: { kind: 'enum', values: ['balanced', 'persistent'] },
    default: 'balanced',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'affinity-canary-behavior',
    summary: 'With affinity on a canary: "sticky" keeps canary users on the canary, "legacy" ignores affinity for the canary decision.',
    type: { kind: 'enum', values: ['sticky', 'legacy'] },
    default: 'sticky',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'session-cookie-name',
    summary: 'Name of the sticky-session cookie.',
    type: STRING,
    default: 'INGRESSCOOKIE',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'session-cookie-path',
    summary: 'Path attribute of the sticky-session cookie.',
    type: STRING,
    notes: ['Required with use-regex: the cookie path cannot be a regular expression.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'session-cookie-domain',
    summary: 'Domain attribute of the sticky-session cookie.',
    type: STRING,
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'session-cookie-expires',
    summary: 'Lifetime in seconds written as an Expires attribute (for old browsers; prefer session-cookie-max-age).',
    type: { kind: 'int' },
    notes: ['Without it (and without max-age) the cookie lasts for the browser session.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'session-cookie-max-age',
    summary: 'Lifetime of the sticky-session cookie in seconds (Max-Age attribute).',
    type: { kind: 'int' },
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'session-cookie-secure',
    summary: 'Sets the Secure flag on the sticky-session cookie even when the request came over plain HTTP.',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'session-cookie-samesite',
    summary: 'SameSite attribute of the sticky-session cookie.',
    type: { kind: 'enum', values: ['None', 'Lax', 'Strict'], caseInsensitive: true },
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'session-cookie-conditional-samesite-none',
    summary: 'Leaves out SameSite=None for browsers known to mishandle it.',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'session-cookie-partitioned',
    summary: 'Sets the Partitioned attribute on the sticky-session cookie.',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'session-cookie-change-on-failure',
    summary: 'When a request to the cookie\'s backend fails, whether the cookie is moved to another backend ("true") or kept ("false").',
    type: BOOL,
    default: 'false',
    invalidFallback: true,
    risk: 'Low',
  },

  // ---------------------------------------------------------------- load balancing and upstreams
  {
    name: 'load-balance',
    summary: 'Load-balancing algorithm for this Ingress\'s backends.',
    type: { kind: 'enum', values: ['round_robin', 'ewma', 'chash', 'chashsubset', 'sticky_balanced', 'sticky_persistent'] },
    default: 'round_robin',
    directive: '(Lua balancer)',
    notes: [
      'The default comes from the ConfigMap key load-balance. upstream-hash-by takes precedence over this annotation.',
      'round_robin and ewma are the ones meant to be chosen directly; the others are set by upstream-hash-by and affinity.',
    ],
    risk: 'Low',
  },
  {
    name: 'upstream-hash-by',
    summary: 'Consistent hashing key (text and nginx variables, e.g. "$request_uri") that pins requests to backends.',
    type: STRING,
    directive: '(Lua balancer, consistent hash)',
    risk: 'High',
  },
  {
    name: 'upstream-hash-by-subset',
    summary: 'Hashes requests to a group of backends instead of a single one, then picks one of the group at random.',
    type: BOOL,
    default: 'false',
    risk: 'Low',
  },
  {
    name: 'upstream-hash-by-subset-size',
    summary: 'Number of backends in each group used by upstream-hash-by-subset.',
    type: { kind: 'int', min: 1 },
    default: '3',
    risk: 'Low',
  },
  {
    name: 'upstream-vhost',
    summary: 'Host header sent to the backend instead of the request\'s own host.',
    type: STRING,
    directive: 'proxy_set_header Host',
    risk: 'Low',
  },
  {
    name: 'service-upstream',
    summary: 'Proxies to the Service\'s cluster IP instead of the individual endpoint (pod) addresses.',
    type: BOOL,
    default: 'false',
    notes: ['Sticky sessions then do not work, and proxy-next-upstream cannot retry on another pod.'],
    risk: 'Low',
  },
  {
    name: 'default-backend',
    summary: 'Service (in the Ingress\'s namespace) that answers when the rule\'s service has no endpoints, and handles '
      + 'custom-http-errors.',
    type: STRING,
    notes: ['A Service name (DNS label), not namespace/name. If the Service has several ports, the first one is used.'],
    risk: 'Low',
  },
  {
    name: 'custom-http-errors',
    summary: 'Comma-separated status codes (400–599) that nginx intercepts and sends to the default backend instead of the backend\'s '
      + 'own response.',
    type: STRING,
    directive: 'proxy_intercept_errors on; error_page',
    notes: [
      'Goes to default-backend when that annotation is set, otherwise to the global default backend. Overrides the ConfigMap '
        + 'value for this Ingress.',
    ],
    risk: 'Low',
  },
  {
    name: 'disable-proxy-intercept-errors',
    summary: 'Keeps custom-http-errors from intercepting the backend\'s error responses for this Ingress.',
    type: BOOL,
    default: 'false',
    directive: 'proxy_intercept_errors off',
    risk: 'Low',
  },
  {
    name: 'custom-headers',
    summary: 'ConfigMap (namespace/name) whose entries are headers added to responses sent to the client.',
    type: STRING,
    directive: 'more_set_headers',
    notes: ['Only ConfigMaps in the Ingress\'s namespace are accepted unless cross-namespace resources are allowed.'],
    risk: 'Medium',
  },
  {
    name: 'fastcgi-index',
    summary: 'Index file name for FastCGI backends (backend-protocol FCGI), e.g. index.php.',
    type: STRING,
    directive: 'fastcgi_index',
    risk: 'Medium',
  },
  {
    name: 'fastcgi-params-configmap',
    summary: 'ConfigMap whose entries become FastCGI parameters for FCGI backends.',
    type: STRING,
    directive: 'fastcgi_param',
    notes: ['The ConfigMap must be in the Ingress\'s namespace.'],
    risk: 'Medium',
  },

  // ---------------------------------------------------------------- proxy behaviour
  {
    name: 'proxy-connect-timeout',
    summary: 'Seconds allowed for establishing the connection to the backend.',
    type: SECONDS,
    default: '5',
    directive: 'proxy_connect_timeout',
    notes: ['A plain number of seconds: "30s" is not accepted and silently becomes the ConfigMap default.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-send-timeout',
    summary: 'Seconds allowed between two writes to the backend.',
    type: SECONDS,
    default: '60',
    directive: 'proxy_send_timeout',
    notes: ['A plain number of seconds: a unit suffix is not accepted and silently becomes the ConfigMap default.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-read-timeout',
    summary: 'Seconds allowed between two reads from the backend.',
    type: SECONDS,
    default: '60',
    directive: 'proxy_read_timeout',
    notes: ['A plain number of seconds: a unit suffix is not accepted and silently becomes the ConfigMap default.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-next-upstream',
    summary: 'Which failures make nginx retry the request on another backend.',
    type: STRING,
    default: 'error timeout',
    directive: 'proxy_next_upstream',
    notes: [
      'Space-separated: error, timeout, invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, '
        + 'non_idempotent, or off.',
    ],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'proxy-next-upstream-timeout',
    summary: 'Seconds during which retries on other backends are allowed; 0 means no limit.',
    type: SECONDS,
    default: '0',
    directive: 'proxy_next_upstream_timeout',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-next-upstream-tries',
    summary: 'Maximum number of backends tried for one request; 0 means no limit.',
    type: { kind: 'int', min: 0 },
    default: '3',
    directive: 'proxy_next_upstream_tries',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-request-buffering',
    summary: 'Whether the whole request body is read before it is sent to the backend.',
    type: ON_OFF,
    default: 'on',
    directive: 'proxy_request_buffering',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-buffering',
    summary: 'Whether responses from the backend are buffered.',
    type: ON_OFF,
    default: 'off',
    directive: 'proxy_buffering',
    notes: ['limit-rate and limit-rate-after need it "on".'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-buffers-number',
    summary: 'Number of buffers used for reading a backend response.',
    type: { kind: 'int', min: 1 },
    default: '4',
    directive: 'proxy_buffers',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-buffer-size',
    summary: 'Size of the buffer for the first part of the backend response (its headers); also the size of each proxy buffer.',
    type: SIZE,
    default: '4k',
    directive: 'proxy_buffer_size',
    notes: ['Raise it when backends send large headers or cookies ("upstream sent too big header").'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-busy-buffers-size',
    summary: 'Limit on buffers busy sending to the client while the backend response is still being read.',
    type: SIZE,
    directive: 'proxy_busy_buffers_size',
    notes: ['When absent nginx\'s own default applies. nginx refuses values not smaller than the total of proxy_buffers minus one buffer.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-max-temp-file-size',
    summary: 'Largest temporary file used when a buffered response does not fit in memory; 0 disables temporary files.',
    type: SIZE,
    default: '1024m',
    directive: 'proxy_max_temp_file_size',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'proxy-body-size',
    summary: 'Largest request body accepted; bigger requests get 413.',
    type: SIZE,
    default: '1m',
    directive: 'client_max_body_size',
    notes: ['"0" disables the check. The default comes from the ConfigMap key proxy-body-size.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'client-body-buffer-size',
    summary: 'Buffer size for reading request bodies; larger bodies go to a temporary file.',
    type: SIZE,
    directive: 'client_body_buffer_size',
    notes: ['When absent nginx\'s default applies (two memory pages: 8k on x86-64, often 16k elsewhere).'],
    risk: 'Low',
  },
  {
    name: 'proxy-cookie-domain',
    summary: 'Rewrites the domain attribute of Set-Cookie headers from the backend ("from to", or "off").',
    type: STRING,
    default: 'off',
    directive: 'proxy_cookie_domain',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'proxy-cookie-path',
    summary: 'Rewrites the path attribute of Set-Cookie headers from the backend ("from to", or "off").',
    type: STRING,
    default: 'off',
    directive: 'proxy_cookie_path',
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'proxy-redirect-from',
    summary: 'First argument of proxy_redirect: the text replaced in Location and Refresh headers from the backend.',
    type: STRING,
    default: 'off',
    directive: 'proxy_redirect',
    notes: ['"off" or "default" disables proxy-redirect-to; otherwise set both. No spaces inside the value.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'proxy-redirect-to',
    summary: 'Second argument of proxy_redirect: the replacement text.',
    type: STRING,
    default: 'off',
    directive: 'proxy_redirect',
    notes: ['Only used together with proxy-redirect-from.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'proxy-http-version',
    summary: 'HTTP version nginx uses towards the backend.',
    type: { kind: 'enum', values: ['1.0', '1.1'] },
    default: '1.1',
    directive: 'proxy_http_version',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'connection-proxy-header',
    summary: 'Fixed value of the Connection header sent to the backend.',
    type: { kind: 'enum', values: ['close', 'keep-alive'] },
    directive: 'proxy_set_header Connection',
    notes: [
      'By default it is "upgrade" for WebSocket requests and otherwise empty (upstream keepalive on) or "close" (upstream '
        + 'keepalive off).',
    ],
    risk: 'Low',
  },

  // ---------------------------------------------------------------- access control and rate limits
  {
    name: 'allowlist-source-range',
    summary: 'Only clients from these IPs/CIDRs may access the Ingress\'s paths; others get 403.',
    type: { kind: 'cidr-list' },
    directive: 'allow …; deny all;',
    notes: [
      'Replaces, not extends, the ConfigMap whitelist-source-range for this Ingress.',
      'A value that cannot be parsed denies the locations instead of opening them.',
      'The client address is the connection\'s, or the one from PROXY protocol / X-Forwarded-For when the ConfigMap enables those.',
    ],
    risk: 'Medium',
  },
  {
    name: 'whitelist-source-range',
    summary: 'Older name of allowlist-source-range; still read.',
    type: { kind: 'cidr-list' },
    directive: 'allow …; deny all;',
    notes: ['Used only when allowlist-source-range is absent or empty.'],
    risk: 'Medium',
    deprecated: 'allowlist-source-range',
  },
  {
    name: 'denylist-source-range',
    summary: 'Clients from these IPs/CIDRs are refused.',
    type: { kind: 'cidr-list' },
    directive: 'deny …;',
    notes: ['Replaces the ConfigMap denylist-source-range for this Ingress.'],
    risk: 'Medium',
  },
  {
    name: 'satisfy',
    summary: 'With several access checks (IP allowlist, basic or external auth), whether all must pass or any one is enough.',
    type: { kind: 'enum', values: ['all', 'any'] },
    default: 'all',
    directive: 'satisfy',
    risk: 'Low',
  },
  {
    name: 'limit-connections',
    summary: 'Maximum concurrent connections from one client IP; more get 503.',
    type: { kind: 'int', min: 0 },
    directive: 'limit_conn',
    notes: ['Counted per controller replica.'],
    risk: 'Low',
  },
  {
    name: 'limit-rps',
    summary: 'Requests per second accepted from one client IP; the burst is this times limit-burst-multiplier.',
    type: { kind: 'int', min: 0 },
    directive: 'limit_req',
    notes: ['Excess requests get the ConfigMap limit-req-status-code (503 by default). Counted per controller replica.'],
    risk: 'Low',
  },
  {
    name: 'limit-rpm',
    summary: 'Requests per minute accepted from one client IP; the burst is this times limit-burst-multiplier.',
    type: { kind: 'int', min: 0 },
    directive: 'limit_req',
    notes: ['Excess requests get the ConfigMap limit-req-status-code (503 by default). Counted per controller replica.'],
    risk: 'Low',
  },
  {
    name: 'limit-burst-multiplier',
    summary: 'Factor applied to limit-rps / limit-rpm to get the allowed burst.',
    type: { kind: 'int', min: 1 },
    default: '5',
    directive: 'limit_req … burst=',
    risk: 'Low',
  },
  {
    name: 'limit-rate',
    summary: 'Kilobytes per second sent to one connection; 0 means no limit.',
    type: { kind: 'int', min: 0 },
    default: '0',
    directive: 'limit_rate',
    notes: ['Needs proxy-buffering "on".'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'limit-rate-after',
    summary: 'Kilobytes sent at full speed before limit-rate starts to apply.',
    type: { kind: 'int', min: 0 },
    default: '0',
    directive: 'limit_rate_after',
    notes: ['Needs proxy-buffering "on".'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'limit-allowlist',
    summary: 'Client IPs/CIDRs exempt from the limit-* rate limits.',
    type: { kind: 'cidr-list' },
    risk: 'Low',
  },
  {
    name: 'limit-whitelist',
    summary: 'Older name of limit-allowlist; still read.',
    type: { kind: 'cidr-list' },
    notes: ['Used only when limit-allowlist is absent or empty.'],
    risk: 'Low',
    deprecated: 'limit-allowlist',
  },

  // ---------------------------------------------------------------- CORS
  {
    name: 'enable-cors',
    summary: 'Adds CORS response headers and answers preflight OPTIONS requests.',
    type: BOOL,
    default: 'false',
    directive: 'Access-Control-* response headers',
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'cors-allow-origin',
    summary: 'Origins allowed for CORS: comma-separated scheme://host[:port] entries (a single-level *. wildcard is allowed), null, or *.',
    type: STRING,
    default: '*',
    notes: ['Needs enable-cors. Entries that do not match the expected form are skipped.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'cors-allow-methods',
    summary: 'Methods listed in Access-Control-Allow-Methods.',
    type: STRING,
    default: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
    notes: ['Needs enable-cors. Comma-separated words of letters only.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'cors-allow-headers',
    summary: 'Headers listed in Access-Control-Allow-Headers.',
    type: STRING,
    default: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
    notes: ['Needs enable-cors. Comma-separated names of letters, digits, - and _.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'cors-expose-headers',
    summary: 'Headers listed in Access-Control-Expose-Headers.',
    type: STRING,
    default: '',
    notes: ['Needs enable-cors. Comma-separated names, or *.'],
    invalidFallback: true,
    risk: 'Medium',
  },
  {
    name: 'cors-allow-credentials',
    summary: 'Whether Access-Control-Allow-Credentials: true is sent.',
    type: BOOL,
    default: 'true',
    notes: ['Needs enable-cors.'],
    invalidFallback: true,
    risk: 'Low',
  },
  {
    name: 'cors-max-age',
    summary: 'Seconds a browser may cache the preflight answer.',
    type: SECONDS,
    default: '1728000',
    notes: ['Needs enable-cors.'],
    invalidFallback: true,
    risk: 'Low',
  },

  // ---------------------------------------------------------------- TLS on the server side
  {
    name: 'ssl-passthrough',
    summary: 'Hands the TLS connection unopened to the backend instead of terminating it in nginx.',
    type: BOOL,
    default: 'false',
    notes: [
      'Works only when the controller runs with --enable-ssl-passthrough.',
      'Routing happens on the TLS server name at layer 4, so every other annotation on the Ingress has no effect.',
    ],
    risk: 'Low',
  },
  {
    name: 'ssl-ciphers',
    summary: 'OpenSSL cipher list offered to clients for this host.',
    type: STRING,
    directive: 'ssl_ciphers',
    notes: ['Applies to the whole server (host), not a single path.'],
    risk: 'Low',
  },
  {
    name: 'ssl-prefer-server-ciphers',
    summary: 'Whether the server\'s cipher order wins over the client\'s for this host.',
    type: BOOL,
    directive: 'ssl_prefer_server_ciphers',
    notes: ['Applies to the whole server (host).'],
    risk: 'Low',
  },
  {
    name: 'server-alias',
    summary: 'Extra host names (comma-separated) answered by the same server block.',
    type: STRING,
    directive: 'server_name',
    notes: ['An alias that equals the host of another Ingress is ignored; a later server with that host takes over.'],
    risk: 'High',
  },
  {
    name: 'http2-push-preload',
    summary: 'Turns preload links in the backend\'s Link header into HTTP/2 server pushes.',
    type: BOOL,
    default: 'false',
    directive: 'http2_push_preload',
    notes: ['nginx 1.25.1 removed HTTP/2 server push, so with controller images built on it this has no effect.'],
    risk: 'Low',
  },

  // ---------------------------------------------------------------- logging, tracing, WAF, mirroring
  {
    name: 'enable-access-log',
    summary: 'Whether requests to this Ingress are written to the access log.',
    type: BOOL,
    default: 'true',
    directive: 'access_log off (when false)',
    risk: 'Low',
  },
  {
    name: 'enable-rewrite-log',
    summary: 'Logs rewrite processing at notice level in the error log.',
    type: BOOL,
    default: 'false',
    directive: 'rewrite_log',
    risk: 'Low',
  },
  {
    name: 'enable-opentelemetry',
    summary: 'Turns OpenTelemetry tracing on or off for this Ingress, overriding the ConfigMap.',
    type: BOOL,
    directive: 'opentelemetry',
    notes: ['The collector must be configured in the ConfigMap (enable-opentelemetry, otlp-collector-host).'],
    risk: 'Low',
  },
  {
    name: 'opentelemetry-trust-incoming-span',
    summary: 'Whether spans in incoming requests are used as parents of the spans nginx creates.',
    type: BOOL,
    directive: 'opentelemetry_trust_incoming_spans',
    risk: 'Low',
  },
  {
    name: 'opentelemetry-operation-name',
    summary: 'Operation name given to the spans of this Ingress.',
    type: STRING,
    directive: 'opentelemetry_operation_name',
    risk: 'Medium',
  },
  {
    name: 'enable-modsecurity',
    summary: 'Turns the ModSecurity web application firewall on for this Ingress (detection-only with the recommended configuration).',
    type: BOOL,
    default: 'false',
    directive: 'modsecurity on',
    notes: ['The module must be enabled in the ConfigMap (enable-modsecurity).'],
    risk: 'Low',
  },
  {
    name: 'enable-owasp-core-rules',
    summary: 'Loads the OWASP Core Rule Set for this Ingress.',
    type: BOOL,
    default: 'false',
    directive: 'modsecurity_rules_file',
    notes: ['Ignored when modsecurity-snippet is set.'],
    risk: 'Low',
  },
  {
    name: 'modsecurity-transaction-id',
    summary: 'nginx variable used as the ModSecurity transaction id, e.g. $request_id.',
    type: STRING,
    directive: 'modsecurity_transaction_id',
    risk: 'High',
  },
  {
    name: 'mirror-target',
    summary: 'URL each request is copied to; the copy\'s response is discarded.',
    type: URL,
    directive: 'mirror',
    notes: [
      'Applies to every path of the Ingress. A slow mirror slows the original request.',
      'May contain variables, e.g. https://test.example.com$request_uri.',
    ],
    risk: 'High',
  },
  {
    name: 'mirror-request-body',
    summary: 'Whether the request body is copied to the mirror too.',
    type: ON_OFF,
    default: 'on',
    directive: 'mirror_request_body',
    risk: 'Low',
  },
  {
    name: 'mirror-host',
    summary: 'Host header of mirrored requests (by default the host of mirror-target).',
    type: STRING,
    risk: 'High',
  },

  // ---------------------------------------------------------------- removed or superseded
  {
    name: 'enable-opentracing',
    summary: 'Turned OpenTracing on or off for the Ingress.',
    type: BOOL,
    deprecated: REMOVED_IN_1_10_OPENTRACING,
  },
  {
    name: 'opentracing-trust-incoming-span',
    summary: 'Made incoming OpenTracing spans the parents of nginx\'s spans.',
    type: BOOL,
    deprecated: 'removed in controller v1.10 with the OpenTracing module; use opentelemetry-trust-incoming-span',
  },
  {
    name: 'global-rate-limit',
    summary: 'Requests allowed per window, counted across all replicas in memcached.',
    type: { kind: 'int', min: 0 },
    deprecated: REMOVED_IN_1_12_GLOBAL_RATE_LIMIT,
  },
  {
    name: 'global-rate-limit-window',
    summary: 'Time window of global-rate-limit, e.g. 1m.',
    type: { kind: 'duration' },
    deprecated: REMOVED_IN_1_12_GLOBAL_RATE_LIMIT,
  },
  {
    name: 'global-rate-limit-key',
    summary: 'What global-rate-limit counted by (default $remote_addr).',
    type: STRING,
    deprecated: REMOVED_IN_1_12_GLOBAL_RATE_LIMIT,
  },
  {
    name: 'global-rate-limit-ignored-cidrs',
    summary: 'Client IPs/CIDRs not counted by global-rate-limit.',
    type: { kind: 'cidr-list' },
    deprecated: REMOVED_IN_1_12_GLOBAL_RATE_LIMIT,
  },
  {
    name: 'enable-influxdb',
    summary: 'Sent per-request measurements to InfluxDB over UDP.',
    type: BOOL,
    deprecated: 'removed together with the InfluxDB module; use the controller\'s Prometheus metrics',
  },
  {
    name: 'influxdb-measurement',
    summary: 'InfluxDB measurement name for enable-influxdb.',
    type: STRING,
    deprecated: 'removed together with enable-influxdb',
  },
  {
    name: 'influxdb-port',
    summary: 'InfluxDB UDP port for enable-influxdb.',
    type: STRING,
    deprecated: 'removed together with enable-influxdb',
  },
  {
    name: 'influxdb-host',
    summary: 'InfluxDB host (an IP address) for enable-influxdb.',
    type: STRING,
    deprecated: 'removed together with enable-influxdb',
  },
  {
    name: 'influxdb-server-name',
    summary: 'Server name tag for enable-influxdb.',
    type: STRING,
    deprecated: 'removed together with enable-influxdb',
  },
  {
    name: 'secure-backends',
    summary: 'Made nginx talk HTTPS to the backend.',
    type: BOOL,
    deprecated: 'backend-protocol: "HTTPS"',
  },
  {
    name: 'grpc-backend',
    summary: 'Made nginx talk gRPC to the backend.',
    type: BOOL,
    deprecated: 'backend-protocol: "GRPC" (or "GRPCS")',
  },
];

const BY_NAME: ReadonlyMap<string, AnnotationInfo> = new Map(ANNOTATIONS.map((a) => [a.name, a]));

/** Looks an annotation up by its short name or its full key (with ANNOTATION_PREFIX). */
export function annotationInfo(nameOrKey: string): AnnotationInfo | undefined {
  const name = nameOrKey.startsWith(ANNOTATION_PREFIX) ? nameOrKey.slice(ANNOTATION_PREFIX.length) : nameOrKey;
  return BY_NAME.get(name);
}
