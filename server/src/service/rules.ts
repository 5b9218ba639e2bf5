/**
 * Every diagnostic nginx-ls reports comes from a rule in this table. A rule's id is the diagnostic's
 * `code`, the key of its `nginx-ls.rules.<id>` severity setting, and stable across releases.
 * "error" means nginx refuses to load the configuration; lower severities are for what it accepts.
 */

import type { Finding, Severity, SeveritySetting } from './finding';

export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  /**
   * How editors mark the range besides the severity: `deprecated` is struck through (LSP
   * DiagnosticTag.Deprecated), `unnecessary` faded out (DiagnosticTag.Unnecessary).
   */
  tags?: readonly ('deprecated' | 'unnecessary')[];
  /**
   * Reported only when `nginx-ls.rules.<id>` names a severity: hints about tuning and style that most
   * configurations do not want to hear about. `severity` is what they are shown with once turned on.
   */
  defaultOff?: true;
}

/** Where each rule's page lives: `<RULE_DOCS_BASE>/<id>.md`, written by `npm run rules` from rule-docs.ts. */
export const RULE_DOCS_BASE = 'https://github.com/nginx-ls/nginx-ls/blob/main/docs/rules';

/** The page that explains a rule (the LSP `codeDescription.href`, the SARIF `helpUri`). */
export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}/${id}.md`;
}

function rules<const T extends readonly Rule[]>(list: T): T { return list; }

export const RULES = rules([
  { id: 'syntax', severity: 'error', description: 'Text nginx cannot read: a missing ";" or brace, an unterminated quote.' },
  { id: 'unknown-directive', severity: 'error', description: 'A directive no known module defines.' },
  { id: 'module-unknown', severity: 'information',
    description: 'A load_module of a module nginx-ls has no directive table for: the directives named after it are not checked.' },
  { id: 'directive-module-missing', severity: 'warning',
    description: 'A directive of a module the nginx flavor (nginx-ls.nginx.flavor) does not build in, with no load_module for it.' },
  { id: 'directive-context', severity: 'error', description: 'A directive where nginx does not allow it.' },
  { id: 'directive-args', severity: 'error', description: 'A wrong number of arguments, or a flag that is not on/off.' },
  { id: 'directive-block', severity: 'error', description: 'A block directive ended with ";" or a simple directive given a block.' },
  { id: 'directive-removed', severity: 'warning', tags: ['deprecated'],
    description: 'A directive removed from current nginx releases (older ones accept it with a warning).' },
  { id: 'directive-version', severity: 'error',
    description: 'A directive or parameter newer than the target nginx release (nginx-ls.nginx.version).' },
  { id: 'directive-duplicate', severity: 'error', description: 'A directive nginx accepts once per block, given twice.' },
  { id: 'include-not-found', severity: 'error', description: 'An include that matches no file (a glob may match none).' },
  { id: 'include-cycle', severity: 'error', description: 'A file that includes itself through other files.' },
  { id: 'include-unreadable', severity: 'error', description: 'An include target that is not a regular file, or too large to read.' },
  { id: 'if-condition', severity: 'error', description: 'An "if" condition nginx cannot parse.' },
  { id: 'listen-address', severity: 'error', description: 'A "listen" address, port or parameter nginx rejects.' },
  { id: 'invalid-value', severity: 'error', description: 'A size, time, number or keyword nginx cannot parse.' },
  { id: 'location-modifier', severity: 'error', description: 'A "location" modifier nginx does not know.' },
  { id: 'proxy-pass-uri', severity: 'error',
    description: 'A proxy_pass URI part where nginx forbids one (regex or named location, if, limit_except).' },
  { id: 'upstream-empty', severity: 'error', description: 'An upstream block with no servers.' },
  { id: 'unknown-variable', severity: 'error', description: 'A variable that no module, set, map or regex capture defines.' },
  { id: 'regex-invalid', severity: 'error', description: 'A regular expression PCRE cannot compile.' },
  { id: 'unknown-zone', severity: 'error', description: 'A limit_req or limit_conn zone that no *_zone directive defines.' },
  { id: 'unknown-log-format', severity: 'error', description: 'An access_log format that no log_format defines.' },
  { id: 'events-missing', severity: 'error', description: 'A main configuration without an "events" block.' },
  { id: 'location-nesting', severity: 'error',
    description: 'A location nginx refuses inside another (outside its prefix, inside an exact or named one).' },
  { id: 'duplicate-location', severity: 'error', description: 'Two locations with the same match in one block.' },
  { id: 'duplicate-upstream', severity: 'error', description: 'Two upstream blocks with the same name.' },
  { id: 'tls-upstream-unverified', severity: 'warning',
    description: 'A TLS upstream (proxy_pass https://, grpc_pass grpcs://, uwsgi_pass suwsgi://, stream proxy_ssl) whose certificate is '
      + 'never verified.' },
  { id: 'tls-verify-without-trusted-ca', severity: 'error',
    description: 'Upstream verification on with no trusted CA file in effect: nginx refuses to start.' },
  { id: 'tls-certificate-without-key', severity: 'error',
    description: 'A certificate without its private key in effect: nginx refuses to start.' },
  { id: 'tls-client-verify-without-ca', severity: 'error',
    description: 'ssl_verify_client on|optional with no CA file for client certificates.' },
  { id: 'tls-listen-without-certificate', severity: 'error',
    description: 'listen … ssl in a server with no ssl_certificate: nginx refuses to start.' },
  { id: 'tls-legacy-protocol', severity: 'warning', description: 'SSLv2, SSLv3, TLSv1 or TLSv1.1 enabled.' },
  { id: 'tls-weak-cipher', severity: 'warning',
    description: 'A cipher string that enables NULL, EXPORT, RC4, DES, 3DES, MD5 or anonymous suites.' },
  { id: 'tls-upstream-no-sni', severity: 'information',
    description: 'Upstream verification of a host name without SNI (…_ssl_server_name off).' },
  { id: 'cert-not-found', severity: 'error', description: 'A certificate, key or CA path that does not exist.' },
  { id: 'cert-unreadable', severity: 'error',
    description: 'A TLS file that is not a regular file, too large, not a certificate or key, or corrupt.' },
  { id: 'cert-expired', severity: 'error', description: 'A certificate past its notAfter date.' },
  { id: 'cert-not-yet-valid', severity: 'error', description: 'A certificate before its notBefore date.' },
  { id: 'cert-expiring', severity: 'warning', description: 'A certificate that expires within nginx-ls.certificates.expiryWarningDays.' },
  { id: 'cert-key-mismatch', severity: 'error',
    description: 'A private key that does not belong to the certificate configured beside it.' },
  { id: 'cert-name-mismatch', severity: 'warning', description: 'A server_name the certificate does not cover (RFC 6125 wildcard rules).' },
  { id: 'cert-chain-order', severity: 'warning',
    description: 'A certificate file whose leaf is not first, or whose intermediates are out of order.' },
  { id: 'cert-not-ca', severity: 'warning', description: 'A certificate that is not a CA in a trusted or client-CA file.' },
  // certificates in depth (issue 13 item 6): the chain a server sends, key and signature strength, must-staple
  { id: 'cert-chain-incomplete', severity: 'warning',
    description: 'A server certificate file without the leaf\'s issuer: clients other than browsers cannot build the chain.' },
  { id: 'cert-chain-untrusted', severity: 'warning',
    description: 'An upstream served by this configuration whose certificate chain does not lead to the CA file that verifies it.' },
  { id: 'cert-weak-key', severity: 'warning', description: 'A certificate with an RSA or DSA key under 2048 bits.' },
  { id: 'cert-weak-signature', severity: 'warning',
    description: 'A certificate signed with SHA-1 or MD5 (a self-signed root\'s own signature aside).' },
  { id: 'cert-ca-as-server', severity: 'warning',
    description: 'A CA certificate (basicConstraints CA:TRUE, not self-signed) served as a server certificate.' },
  { id: 'cert-must-staple', severity: 'warning',
    description: 'A must-staple certificate (TLS feature status_request) in a server without ssl_stapling on.' },
  // suppressions: `# nginx-ls: ignore <rule> -- <reason>` comments (rules/suppressions.ts)
  { id: 'suppression-without-reason', severity: 'hint',
    description: 'A "# nginx-ls: ignore" comment that gives no reason ("-- <why>") for hiding a finding.' },
  { id: 'suppression-unused', severity: 'hint', tags: ['unnecessary'],
    description: 'A "# nginx-ls: ignore" comment, or one rule it names, that hides no finding (or names no rule).' },
  // request-data and cors (issue 13: security checks on request data)
  { id: 'alias-traversal', severity: 'warning',
    description: 'An alias a request can climb out of: "location /files { alias /data/files/; }" serves GET /files../x from /data/x.' },
  { id: 'root-is-filesystem-root', severity: 'warning', description: 'A root or alias of "/": the whole file system is served.' },
  { id: 'proxy-target-from-request', severity: 'warning',
    description: 'A proxy_pass (fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass) whose scheme or host comes from the request: SSRF.' },
  { id: 'header-injection', severity: 'warning',
    description: 'A decoded URI ($uri, a capture that admits a line break) in a redirect, add_header or proxy_set_header: '
      + '%0d%0a splits the header.' },
  { id: 'upstream-host-from-request', severity: 'warning',
    description: 'proxy_set_header Host from $http_host, X-Forwarded-Host, an argument or a cookie: the upstream trusts a client-chosen '
      + 'host.' },
  { id: 'cors-origin-reflected', severity: 'warning',
    description: 'Access-Control-Allow-Origin echoing $http_origin for any origin (information without '
      + 'Access-Control-Allow-Credentials true).' },
  { id: 'origin-regex-weak', severity: 'warning',
    description: 'A regex over $http_origin or $http_referer that others pass: no end anchor after the host, an unescaped ".", '
      + 'a wildcard before the domain.' },
  // Issue 13, configuration hygiene, regex and version checks: families resolver, regex, routing, hygiene, advisories
  // (and tls-protocols-default, in the tls family beside tls-legacy-protocol).
  { id: 'resolver-external', severity: 'warning',
    description: 'A resolver outside loopback and private networks: a spoofed answer redirects upstreams resolved at run time.' },
  { id: 'tls-stapling-ineffective', severity: 'information',
    description: 'ssl_stapling on for a certificate nginx cannot staple: no OCSP URL in it, or its issuer not found.' },
  { id: 'tls-protocols-default', severity: 'information',
    description: 'A TLS server without ssl_protocols whose target nginx release enables TLSv1 and TLSv1.1 by default.' },
  { id: 'capture-group-missing', severity: 'warning',
    description: 'A $1…$9 that no regular expression on the way to it captures: the value is silently empty.' },
  { id: 'rewrite-capture-overflow', severity: 'warning',
    description: 'A rewrite or map pattern that overflows a worker\'s heap on the target nginx release (CVE-2026-42945, -9256, -42533).' },
  { id: 'if-in-location-unsafe', severity: 'warning',
    description: 'A directive inside "if" in a location other than return, rewrite, set and break: it applies the if block\'s own '
      + 'configuration.' },
  { id: 'proxy-pass-uri-normalized', severity: 'hint',
    description: 'A proxy_pass with a URI part: the backend gets the decoded, normalised URI (%2F, .., ; undone).' },
  { id: 'error-log-off', severity: 'warning', description: '"error_log off": nginx writes to a file named "off".' },
  { id: 'version-disclosure', severity: 'information',
    description: 'server_tokens on or build: the nginx version in every error page and Server header.' },
  { id: 'security-advisory', severity: 'warning',
    description: 'A feature with a published nginx security advisory for the target release (nginx-ls.nginx.version).' },
  { id: 'server-tokens-default', severity: 'hint', defaultOff: true,
    description: 'A complete configuration that leaves server_tokens at its default, on: the version in every error page.' },
  { id: 'valid-referers-none', severity: 'hint', defaultOff: true,
    description: 'valid_referers none: requests without a Referer pass the check.' },
  { id: 'add-header-content-type', severity: 'hint', defaultOff: true,
    description: 'add_header Content-Type: a second Content-Type header beside nginx\'s own.' },
  { id: 'header-value-multiline', severity: 'hint', defaultOff: true,
    description: 'A header value that spans lines: obsolete line folding, which clients may reject.' },
  { id: 'location-regex-unanchored', severity: 'hint', defaultOff: true,
    description: 'A regex location anchored neither at the start nor at the end: it matches anywhere in the URI.' },
  { id: 'try-files-without-cache', severity: 'hint', defaultOff: true,
    description: 'try_files with no open_file_cache in effect: a file system lookup per candidate on every request.' },
  { id: 'keepalive-requests-low', severity: 'hint', defaultOff: true,
    description: 'keepalive_requests below 1000, the default since nginx 1.19.10.' },
  { id: 'worker-rlimit-nofile-low', severity: 'hint', defaultOff: true,
    description: 'worker_rlimit_nofile below twice worker_connections (a proxied request holds two descriptors).' },
  { id: 'listen-http2-deprecated', severity: 'hint', defaultOff: true, tags: ['deprecated'],
    description: '"listen … http2", deprecated since nginx 1.25.1: the "http2" directive replaces it.' },
  { id: 'upstream-resolved-once', severity: 'hint', defaultOff: true,
    description: 'An upstream host name resolved once, at start: address changes go unnoticed until a reload.' },
  { id: 'regex-redos', severity: 'hint', defaultOff: true,
    description: 'A regular expression with nested unbounded repetition: catastrophic backtracking on crafted input.' },
  // Security: inheritance and access (header-inheritance, access, default-servers families).
  { id: 'add-header-dropped', severity: 'warning',
    description: 'A level whose own add_header (add_trailer) drops the headers it would inherit; a warning when security headers go.' },
  { id: 'proxy-header-dropped', severity: 'warning',
    description: 'A level whose own proxy_set_header, proxy_hide_header or *_param list drops the lines it would inherit.' },
  { id: 'hsts-missing', severity: 'information',
    description: 'A TLS server whose responses carry no Strict-Transport-Security, or one with max-age under 180 days.' },
  { id: 'access-allow-without-deny', severity: 'warning',
    description: 'allow rules without "deny all": clients no rule names are let through, so the allowlist allows everyone.' },
  { id: 'access-bypassed-by-return', severity: 'warning',
    description: 'A return or redirect that answers before the allow/deny and auth_* checks in effect run.' },
  { id: 'status-page-exposed', severity: 'warning',
    description: 'stub_status or api in a location anyone can reach: no allow/deny or authentication restricts it.' },
  { id: 'autoindex-on', severity: 'information', description: 'Directory listings (autoindex on) open to everyone.' },
  { id: 'map-without-default', severity: 'warning',
    description: 'A map or geo without default whose empty value for unknown inputs lets requests past an access check or limit.' },
  { id: 'default-server-implicit', severity: 'information',
    description: 'Several servers on one address with none marked default_server: unknown hosts reach whichever comes first.' },
  { id: 'ingress-deprecated-api', severity: 'warning',
    description: 'An Ingress in networking.k8s.io/v1beta1 or extensions/v1beta1, removed in Kubernetes 1.22.' },
  { id: 'ingress-annotation-type', severity: 'error',
    description: 'An annotation value that is not a string to Kubernetes (unquoted true, on, 2…): kubectl rejects it.' },
  { id: 'ingress-annotation-value', severity: 'warning',
    description: 'An annotation value outside the allowed ones: the controller silently uses its default.' },
  { id: 'ingress-unknown-annotation', severity: 'warning',
    description: 'An nginx.ingress.kubernetes.io annotation the controller does not know.' },
  { id: 'ingress-secret-ref', severity: 'error', description: 'A Secret reference that is not namespace/name.' },
  { id: 'ingress-secret-unresolved', severity: 'information',
    description: 'A referenced CA Secret or ConfigMap with no manifest in the workspace.' },
  { id: 'ingress-secret-missing-key', severity: 'error', description: 'A referenced CA Secret or ConfigMap without ca.crt.' },
  { id: 'ingress-backend-tls-unverified', severity: 'warning',
    description: 'backend-protocol HTTPS or GRPCS without certificate verification.' },
  { id: 'ingress-proxy-ssl-ignored', severity: 'warning',
    description: 'A proxy-ssl-* annotation without proxy-ssl-secret: ignored by the controller.' },
  { id: 'ingress-proxy-ssl-name', severity: 'warning',
    description: 'Backend verification without proxy-ssl-name: the name checked is upstream_balancer.' },
  { id: 'ingress-snippet-disabled', severity: 'information',
    description: 'A snippet annotation: accepted only with allow-snippet-annotations "true" (off by default).' },
  { id: 'ingress-conversion-loss', severity: 'hint',
    description: 'An annotation that converting to Gateway API or F5 NGINX Ingress Controller cannot carry over, and why.' },
  { id: 'ingress-snippet-proxy-pass', severity: 'error',
    description: 'proxy_pass directly in a configuration-snippet or auth-snippet: the controller adds its own, a duplicate to nginx.' },
  { id: 'ingress-annotation-other-controller', severity: 'warning',
    description: 'An annotation of the other NGINX controller than the one that reads the Ingress: it has no effect.' },
  { id: 'ingress-nginx-retired', severity: 'information',
    description: 'An Ingress read by ingress-nginx, retired on 2026-03-24 (no more releases or security fixes).' },
  { id: 'gateway-frontend-without-https', severity: 'warning',
    description: 'Gateway client-certificate validation (spec.tls.frontend) where no HTTPS listener is: no certificate is asked for.' },
  { id: 'gateway-frontend-insecure-fallback', severity: 'warning',
    description: 'Gateway frontend validation mode AllowInsecureFallback: a missing or failing client certificate is accepted.' },
  { id: 'gateway-frontend-validation-stale', severity: 'error',
    description: 'The pre-v1.5 key frontendValidation on a Gateway: not in the API (rejected or dropped); use tls.frontend.' },
  { id: 'gateway-tls-policy-hostname', severity: 'error',
    description: 'A BackendTLSPolicy without validation.hostname, or with a wildcard one: the API server rejects it.' },
  { id: 'gateway-tls-policy-ca-source', severity: 'error',
    description: 'A BackendTLSPolicy with both or neither of caCertificateRefs and wellKnownCACertificates.' },
  { id: 'gateway-tls-policy-ca-ref', severity: 'warning',
    description: 'A BackendTLSPolicy CA reference that is not a ConfigMap of its own namespace (the only portable form).' },
  { id: 'gateway-tls-policy-section-name', severity: 'warning',
    description: 'A BackendTLSPolicy sectionName that is no port name of the target Service: the policy applies to nothing.' },
  { id: 'gateway-backend-tls-missing', severity: 'warning',
    description: 'An HTTPRoute or GRPCRoute backend on an HTTPS port with no BackendTLSPolicy: unverified or plain-text upstream.' },
  { id: 'nic-egress-unverified', severity: 'warning',
    description: 'An F5 NGINX Ingress Controller egressMTLS Policy without verifyServer: true: the upstream is not verified.' },
  { id: 'nic-egress-trusted-cert-missing', severity: 'error',
    description: 'An egressMTLS Policy with verifyServer: true and no trustedCertSecret: the controller rejects the Policy.' },
  { id: 'nic-egress-legacy-protocols', severity: 'information',
    description: 'An egressMTLS Policy that allows TLSv1 or TLSv1.1 to the upstream (the default when protocols is unset).' },
  { id: 'nic-verify-client', severity: 'error',
    description: 'An ingressMTLS verifyClient that is unquoted (YAML reads on/off as booleans) or not on, off, optional, optional_no_ca.' },
  { id: 'nic-ca-secret-type', severity: 'error',
    description: 'An F5 Policy CA Secret (clientCertSecret, trustedCertSecret) not of type nginx.org/ca: the controller rejects it.' },
  { id: 'nic-unknown-annotation', severity: 'warning',
    description: 'An nginx.org or nginx.com annotation F5 NGINX Ingress Controller does not know: ignored.' },
  { id: 'nic-annotation-value', severity: 'warning',
    description: 'An nginx.org annotation value the controller cannot parse: it logs an error and keeps the default.' },
  { id: 'nic-ssl-services-unverified', severity: 'warning',
    description: 'nginx.org/ssl-services without an egressMTLS Policy that verifies: HTTPS upstream not verified.' },
] as const);

export type RuleId = (typeof RULES)[number]['id'];

const byId = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/** `nginx-ls.rules.<id>` settings: a severity, or "off". */
export type RuleSettings = Readonly<Record<string, SeveritySetting | undefined>>;

const SETTINGS: ReadonlySet<string> = new Set(['off', 'hint', 'information', 'warning', 'error']);

/**
 * The severity a finding is shown with, or undefined when its rule is turned off: by its setting, or
 * by default for the rules that are off until a setting names a severity (Rule.defaultOff).
 */
export function effectiveSeverity(finding: Finding, settings: RuleSettings = {}): Severity | undefined {
  const setting = settings[finding.code];
  if (setting !== undefined && SETTINGS.has(setting)) return setting === 'off' ? undefined : setting;
  const rule = ruleById(finding.code);
  if (rule?.defaultOff) return undefined;
  return finding.severity ?? rule?.severity ?? 'error';
}

/** The rules off by default (Rule.defaultOff), by id. */
export const RULES_OFF_BY_DEFAULT: ReadonlySet<string> = new Set((RULES as readonly Rule[]).filter((r) => r.defaultOff).map((r) => r.id));

/** The rules off by default that `settings` turn on, by naming a severity for them. */
export function rulesTurnedOn(settings: RuleSettings = {}): Set<string> {
  const on = new Set<string>();
  for (const id of RULES_OFF_BY_DEFAULT) {
    const setting = settings[id];
    if (setting !== undefined && setting !== 'off' && SETTINGS.has(setting)) on.add(id);
  }
  return on;
}

/** The default of a rule's `nginx-ls.rules.<id>` setting: "off" for the rules off by default. */
export function defaultSetting(rule: Rule): SeveritySetting {
  return rule.defaultOff ? 'off' : rule.severity;
}
