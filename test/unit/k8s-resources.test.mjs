// Gateway API (Gateway, BackendTLSPolicy, HTTPRoute/GRPCRoute) and F5 NGINX Ingress Controller (Policy,
// nginx.org annotations) manifests: quick fixes as before/after text, analysed again (the finding is
// gone and no error appears), hover on CA references and annotations, inlay hints. Diagnostics
// themselves are the cases beside each family (server/src/service/ingress/rules/<family>.cases/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { manifestWorkspace, service } from '../lib/service.mjs';

const FILE = '/ws/resources.yaml';
/** The CA of the cases is valid 2026-11-25 .. 2046-11-20 15:43:28 UTC: 7294 whole days after this. */
const NOW = new Date('2026-12-01T00:00:00Z');
const CURSOR = '‸';
const CASES = new URL('../../server/src/service/ingress/rules/', import.meta.url).pathname;

function analyze(text, others = {}) {
  return manifestWorkspace({ [FILE]: text, ...others }, { now: NOW }).analyze(FILE);
}

const findingsOf = (text, others) => analyze(text, others)?.analysis.findings ?? [];
const errorsOf = (text, others) => findingsOf(text, others).filter((f) => service.effectiveSeverity(f) === 'error')
  .map((f) => `${f.code}: ${f.message}`);

/**
 * The fix whose title matches, on the first finding of `code` (whose message matches `on`, when
 * given), applied to `before`, gives `after`; afterwards `code` is not reported there (nor the codes
 * in `gone`), and no error appears that was not there before.
 */
function checkFix(name, { before, code, title, after, on, others = {}, gone = [] }) {
  test(name, () => {
    const finding = findingsOf(before, others).find((f) => f.code === code && (!on || on.test(f.message)));
    assert.ok(finding, `no ${code} finding in:\n${before}\n(found: ${findingsOf(before, others).map((f) => f.code).join(', ')})`);
    const fixes = service.ingressQuickFixes(before, finding);
    const fix = fixes.find((f) => title.test(f.title));
    assert.ok(fix, `no fix matching ${title} among: ${fixes.map((f) => f.title).join(' | ') || '(none)'}`);
    const result = service.applyEdits(before, fix.edits);
    assert.equal(result, after);
    const remaining = findingsOf(result, others).filter((f) => f.code === code && f.start === finding.start);
    assert.deepEqual(remaining.map((f) => f.message), [], `${code} still reported after the fix`);
    const codes = findingsOf(result, others).map((f) => f.code);
    for (const c of gone) assert.ok(!codes.includes(c), `${c} still reported after the fix: ${codes.join(', ')}`);
    const errorsBefore = errorsOf(before, others);
    assert.deepEqual(errorsOf(result, others).filter((e) => !errorsBefore.includes(e)), [], 'the fix introduced an error');
  });
}

// ---------------------------------------------------------------- Gateway

const gateway = (listeners, tls) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: nginx
  listeners:
${listeners}  tls:
${tls}`;
const HTTPS = '    - name: https\n      port: 443\n      protocol: HTTPS\n'
  + '      tls:\n        certificateRefs:\n          - name: edge-tls\n';
const REFS = (indent) => `${indent}caCertificateRefs:\n${indent}  - group: ""\n`
  + `${indent}    kind: ConfigMap\n${indent}    name: client-ca\n`;
const VALIDATION = '    frontend:\n      default:\n        validation:\n';

checkFix('AllowInsecureFallback becomes AllowValidOnly', {
  code: 'gateway-frontend-insecure-fallback', title: /AllowValidOnly/,
  before: gateway(HTTPS, `${VALIDATION}          mode: AllowInsecureFallback\n${REFS('          ')}`),
  after: gateway(HTTPS, `${VALIDATION}          mode: AllowValidOnly\n${REFS('          ')}`),
});

checkFix('spec.tls.frontendValidation moves to spec.tls.frontend.default.validation', {
  code: 'gateway-frontend-validation-stale', title: /spec\.tls\.frontend/,
  before: gateway(HTTPS, '    frontendValidation:\n' + REFS('      ')),
  after: gateway(HTTPS, VALIDATION + REFS('          ')),
});

const BACKEND = '    backend:\n      clientCertificateRef:\n        name: gw-client\n';

checkFix('a listener\'s frontendValidation moves to a perPort entry for its port (and an empty default)', {
  code: 'gateway-frontend-validation-stale', title: /spec\.tls\.frontend/,
  before: gateway(`${HTTPS}        frontendValidation:\n${REFS('          ')}`, BACKEND),
  after: gateway(HTTPS, `${BACKEND}    frontend:\n      perPort:\n        - port: 443\n`
    + '          tls:\n            validation:\n' + REFS('              ') + '      default: {}\n'),
});

test('no move is offered when spec.tls.frontend.default is taken already', () => {
  const text = gateway(HTTPS, `    frontendValidation:\n${REFS('      ')}${VALIDATION}${REFS('          ')}`);
  const finding = findingsOf(text).find((f) => f.code === 'gateway-frontend-validation-stale');
  assert.ok(finding);
  assert.deepEqual(service.ingressQuickFixes(text, finding), []);
});

// ---------------------------------------------------------------- BackendTLSPolicy and routes

const policy = (validation, target = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: api-tls
  namespace: shop
spec:
  targetRefs:
    - group: ""
      kind: Service
      name: api
${target}  validation:
    hostname: api.shop.svc
${validation}`;
const CONFIGMAP_REF = '    caCertificateRefs:\n      - group: ""\n        kind: ConfigMap\n        name: api-ca\n';
const SERVICE = {
  '/ws/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  ports:\n'
    + '    - {name: http, port: 80}\n    - {name: https, port: 443, appProtocol: https}\n',
};

checkFix('both CA sources: keep caCertificateRefs', {
  code: 'gateway-tls-policy-ca-source', title: /caCertificateRefs only/,
  before: policy(`${CONFIGMAP_REF}    wellKnownCACertificates: System\n`),
  after: policy(CONFIGMAP_REF),
});

checkFix('a namespace in a CA reference is removed', {
  code: 'gateway-tls-policy-ca-ref', title: /Remove the namespace/, on: /namespace field/,
  before: policy('    caCertificateRefs:\n      - group: ""\n        kind: ConfigMap\n        name: api-ca\n        namespace: certs\n'),
  after: policy(CONFIGMAP_REF),
});

test('no fix is offered for a Secret CA reference (which ConfigMap to write is the user\'s call)', () => {
  const text = policy('    caCertificateRefs:\n      - group: ""\n        kind: Secret\n        name: api-ca\n');
  const finding = findingsOf(text).find((f) => f.code === 'gateway-tls-policy-ca-ref');
  assert.ok(finding);
  assert.deepEqual(service.ingressQuickFixes(text, finding), []);
});

checkFix('a sectionName that is no port name: each port name of the Service is offered', {
  code: 'gateway-tls-policy-section-name', title: /"https"/, others: SERVICE,
  before: policy(CONFIGMAP_REF, '      sectionName: tls\n'),
  after: policy(CONFIGMAP_REF, '      sectionName: https\n'),
});

const route = (kind = 'HTTPRoute') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
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
          port: 443
`;

checkFix('a route to an HTTPS port without a policy: a BackendTLSPolicy for the Service and its port is added', {
  code: 'gateway-backend-tls-missing', title: /Create a BackendTLSPolicy for Service shop\/api/, others: SERVICE,
  before: route(),
  after: `${route()}---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: api-backend-tls
  namespace: shop
spec:
  targetRefs:
    - group: ""
      kind: Service
      name: api
      sectionName: https
  validation:
    hostname: api.shop.svc
    caCertificateRefs:
      - group: ""
        kind: ConfigMap
        name: api-ca
`,
});

checkFix('a GRPCRoute to port 443 of a Service not in the workspace: the policy has no sectionName', {
  code: 'gateway-backend-tls-missing', title: /Create a BackendTLSPolicy/,
  before: route('GRPCRoute').trimEnd(),
  after: `${route('GRPCRoute')}---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: api-backend-tls
  namespace: shop
spec:
  targetRefs:
    - group: ""
      kind: Service
      name: api
  validation:
    hostname: api.shop.svc
    caCertificateRefs:
      - group: ""
        kind: ConfigMap
        name: api-ca
`,
});

test('the policy the fix writes satisfies every BackendTLSPolicy rule (only its ConfigMap is missing)', () => {
  const finding = findingsOf(route(), SERVICE).find((f) => f.code === 'gateway-backend-tls-missing');
  const after = service.applyEdits(route(), service.ingressQuickFixes(route(), finding)[0].edits);
  assert.deepEqual(findingsOf(after, SERVICE).map((f) => `${f.code}: ${f.message}`),
    ['ingress-secret-unresolved: no ConfigMap "shop/api-ca" in the workspace, so its CA certificates cannot be checked']);
});

// ---------------------------------------------------------------- F5 NGINX Ingress Controller Policy

const nicPolicy = (spec) => `apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: api-egress
  namespace: shop
spec:
${spec}`;

checkFix('egressMTLS without verifyServer: verifyServer: true and a trustedCertSecret to fill in', {
  code: 'nic-egress-unverified', title: /Verify the upstream/,
  before: nicPolicy('  egressMTLS:\n    tlsSecret: egress-client\n    protocols: "TLSv1.2 TLSv1.3"\n'),
  after: nicPolicy('  egressMTLS:\n    tlsSecret: egress-client\n    protocols: "TLSv1.2 TLSv1.3"\n    verifyServer: true\n'
    + '    trustedCertSecret: api-egress-ca\n'),
});

checkFix('verifyServer: false becomes true, trustedCertSecret kept', {
  code: 'nic-egress-unverified', title: /Verify the upstream/,
  before: nicPolicy('  egressMTLS:\n    verifyServer: false # for now\n    trustedCertSecret: api-ca\n    protocols: TLSv1.3\n'),
  after: nicPolicy('  egressMTLS:\n    verifyServer: true # for now\n    trustedCertSecret: api-ca\n    protocols: TLSv1.3\n'),
});

checkFix('verifyServer: true without trustedCertSecret: one is added', {
  code: 'nic-egress-trusted-cert-missing', title: /Add trustedCertSecret/,
  before: nicPolicy('  egressMTLS:\n    verifyServer: true\n    protocols: TLSv1.3\n'),
  after: nicPolicy('  egressMTLS:\n    verifyServer: true\n    protocols: TLSv1.3\n    trustedCertSecret: api-egress-ca\n'),
});

checkFix('protocols unset (TLSv1 TLSv1.1 TLSv1.2 by default): protocols is added', {
  code: 'nic-egress-legacy-protocols', title: /TLSv1\.2 TLSv1\.3/,
  before: nicPolicy('  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n'),
  after: nicPolicy('  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n    protocols: "TLSv1.2 TLSv1.3"\n'),
});

checkFix('protocols with TLSv1: replaced', {
  code: 'nic-egress-legacy-protocols', title: /TLSv1\.2 TLSv1\.3/,
  before: nicPolicy('  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n    protocols: TLSv1 TLSv1.2\n'),
  after: nicPolicy('  egressMTLS:\n    verifyServer: true\n    trustedCertSecret: api-ca\n    protocols: "TLSv1.2 TLSv1.3"\n'),
});

checkFix('an unquoted verifyClient is quoted', {
  code: 'nic-verify-client', title: /Quote/,
  before: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: on\n'),
  after: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "on"\n'),
});

checkFix('a verifyClient outside the four values: each value is offered', {
  code: 'nic-verify-client', title: /"optional"/,
  before: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "maybe"\n'),
  after: nicPolicy('  ingressMTLS:\n    clientCertSecret: client-ca\n    verifyClient: "optional"\n'),
});

// ---------------------------------------------------------------- nginx.org annotations

const nicIngress = (annotations) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  namespace: shop
  annotations:
${annotations}spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: api
      port:
        number: 443
`;

checkFix('a misspelt nginx.org key is renamed', {
  code: 'nic-unknown-annotation', title: /Rename to nginx\.org\/proxy-read-timeout/,
  before: nicIngress('    nginx.org/proxy-read-timout: "120s"\n'),
  after: nicIngress('    nginx.org/proxy-read-timeout: "120s"\n'),
});

const EGRESS_POLICY = `---
apiVersion: k8s.nginx.org/v1
kind: Policy
metadata:
  name: app-egress-mtls
  namespace: shop
spec:
  egressMTLS:
    verifyServer: true
    trustedCertSecret: app-upstream-ca
    serverName: true
    sslName: api.shop.svc
    protocols: "TLSv1.2 TLSv1.3"
`;

checkFix('ssl-services without verification: nginx.org/policies names a new EgressMTLS Policy', {
  code: 'nic-ssl-services-unverified', title: /Attach an EgressMTLS Policy that verifies api/,
  before: nicIngress('    nginx.org/ssl-services: "api"\n'),
  after: nicIngress('    nginx.org/ssl-services: "api"\n    nginx.org/policies: "app-egress-mtls"\n') + EGRESS_POLICY,
});

checkFix('ssl-services with a Policy that does not verify: the new Policy joins nginx.org/policies', {
  code: 'nic-ssl-services-unverified', title: /Attach an EgressMTLS Policy/,
  others: { '/ws/rate-limit.yaml': 'apiVersion: k8s.nginx.org/v1\nkind: Policy\nmetadata:\n  name: rate-limit\n  namespace: shop\n'
    + 'spec:\n  rateLimit: {rate: 10r/s, key: "${binary_remote_addr}", zoneSize: 10M}\n' },
  before: nicIngress('    nginx.org/policies: rate-limit # shared\n    nginx.org/ssl-services: "api"\n'),
  after: nicIngress('    nginx.org/policies: "rate-limit,app-egress-mtls" # shared\n    nginx.org/ssl-services: "api"\n') + EGRESS_POLICY,
});

// ---------------------------------------------------------------- hover and inlay hints

function hoverAt(textWithCursor, others) {
  const offset = textWithCursor.indexOf(CURSOR);
  const text = textWithCursor.replace(CURSOR, '');
  const result = analyze(text, others);
  assert.ok(result, 'not analysed');
  return { text, hover: service.ingressHover(result.manifests, result.analysis, offset, NOW), result };
}

const CONFIGMAPS = { '/ws/configmaps.yaml': readFileSync(CASES + 'gateway.cases/ca-configmap/configmaps.yaml', 'utf8') };

test('hover on a Gateway\'s CA ConfigMap reference: where it is, its CA with subject and expiry', () => {
  const { text, hover } = hoverAt(gateway(HTTPS, '    frontend:\n      default:\n        validation:\n          caCertificateRefs:\n'
    + '            - {group: "", kind: ConfigMap, name: client‸-ca}\n'), CONFIGMAPS);
  assert.ok(hover);
  assert.equal(text.slice(hover.start, hover.end), 'client-ca');
  assert.match(hover.markdown, /ConfigMap `infra\/client-ca`/);
  assert.match(hover.markdown, /\/ws\/configmaps\.yaml/);
  assert.match(hover.markdown, /CN=Example Client CA, O=nginx-ls tests/);
  assert.match(hover.markdown, /Not after: 2046-11-20 \(7294 days left\)/);
});

test('hover on a CA reference whose certificate is no CA: the verdict first', () => {
  const { hover } = hoverAt(gateway(HTTPS, '    frontend:\n      default:\n        validation:\n          caCertificateRefs:\n'
    + '            - {group: "", kind: ConfigMap, name: leaf-as‸-ca}\n'), CONFIGMAPS);
  assert.ok(hover);
  assert.match(hover.markdown, /^\*\*"CN=app\.example\.test, O=nginx-ls cases" in ca\.crt of ConfigMap "infra\/leaf-as-ca" is not a CA/);
});

test('inlay hint after a BackendTLSPolicy CA reference: the days its CA stays valid', () => {
  const configMap = CONFIGMAPS['/ws/configmaps.yaml'].replace(/namespace: infra/g, 'namespace: shop');
  const text = policy('    caCertificateRefs:\n      - group: ""\n        kind: ConfigMap\n        name: client-ca\n');
  const result = analyze(text, { '/ws/configmaps.yaml': configMap });
  const hints = service.ingressInlayHints(result.analysis, NOW);
  assert.equal(hints.length, 1);
  assert.equal(hints[0].offset, text.indexOf('client-ca') + 'client-ca'.length);
  assert.match(hints[0].label, /7294/);
});

test('hover on an F5 Policy\'s CA Secret: its type and certificate', () => {
  const secrets = { '/ws/secrets.yaml': readFileSync(CASES + 'nic-policy.cases/ca-secrets/secrets.yaml', 'utf8') };
  const { hover } = hoverAt(nicPolicy('  ingressMTLS:\n    clientCertSecret: client‸-ca\n    verifyClient: "on"\n'), secrets);
  assert.ok(hover);
  assert.match(hover.markdown, /Secret `shop\/client-ca`\*\* \(ingressMTLS\.clientCertSecret\)/);
  assert.match(hover.markdown, /type: nginx\.org\/ca/);
  assert.match(hover.markdown, /CN=Example Client CA/);
});

test('hover on an nginx.org annotation: its values and the release that added it', () => {
  const { hover } = hoverAt(nicIngress('    nginx.org/pol‸icies: "api-egress"\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /\*\*nginx\.org\/policies\*\* \(F5 NGINX Ingress Controller\)/);
  assert.match(hover.markdown, /since NIC 5\.4\.0/);
  assert.match(hover.markdown, /5\.5\.0/);
});

test('hover on nginx.org/ssl-services says the upstream is not verified', () => {
  const { hover } = hoverAt(nicIngress('    nginx.org/ssl-serv‸ices: "api"\n'));
  assert.ok(hover);
  assert.match(hover.markdown, /not verified/);
});

// ---------------------------------------------------------------- what gets analysed

test('only the kinds nginx-ls checks are analysed: a file of Services and ConfigMaps gets nothing', () => {
  assert.equal(analyze(SERVICE['/ws/service.yaml']), undefined);
  assert.equal(analyze(CONFIGMAPS['/ws/configmaps.yaml']), undefined);
  assert.ok(analyze(route()));
});

test('a Policy of another API group (Kyverno\'s) is not F5\'s', () => {
  const kyverno = 'apiVersion: kyverno.io/v1\nkind: Policy\nmetadata:\n  name: p\nspec:\n  egressMTLS: {}\n';
  assert.equal(analyze(kyverno), undefined);
});

test('an open file\'s own Service is read as its text is now, not as the index saw it', () => {
  const host = { '/ws/a.yaml': route() + '---\n' + SERVICE['/ws/service.yaml'].replace('appProtocol: https', 'appProtocol: http') };
  const workspace = new service.ManifestWorkspace(service.memoryHost(host));
  workspace.setCandidates(Object.keys(host));
  assert.deepEqual(workspace.analyze('/ws/a.yaml').analysis.findings.map((f) => f.code), []);
  host['/ws/a.yaml'] = route() + '---\n' + SERVICE['/ws/service.yaml'];
  assert.deepEqual(workspace.analyze('/ws/a.yaml').analysis.findings.map((f) => f.code), ['gateway-backend-tls-missing']);
});

test('hover on a route\'s backend: the Service port it reaches, TLS or not, and the policy that covers it', () => {
  const missing = hoverAt(route().replace('        - name: api', '        - name: a‸pi'), SERVICE).hover;
  assert.ok(missing);
  assert.match(missing.markdown, /^\*\*TLS port with no BackendTLSPolicy: unverified or plain-text upstream\*\*/);
  assert.match(missing.markdown, /Service `shop\/api`\*\* · defined in `\/ws\/service\.yaml` at line 1/);
  assert.match(missing.markdown, /Port 443 \(`https`\) · appProtocol https/);
  const covered = hoverAt(route().replace('        - name: api', '        - name: a‸pi'),
    { ...SERVICE, '/ws/policy.yaml': policy(CONFIGMAP_REF, '      sectionName: https\n') }).hover;
  assert.match(covered.markdown, /^TLS, verified by BackendTLSPolicy `api-tls`/);
  const plain = hoverAt(route().replace('port: 443', 'port: 80').replace('        - name: api', '        - name: a‸pi'), SERVICE).hover;
  assert.match(plain.markdown, /^Not a TLS port/);
});
