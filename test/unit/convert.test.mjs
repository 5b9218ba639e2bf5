// Conversions of ingress-nginx Ingresses to Gateway API and to F5 NGINX Ingress Controller, as
// before/after text: each folder of test/conversion/ holds input.yaml (the Ingresses, with any
// Secrets and Services the conversion may read) and the expected output per target
// (gateway-api.yaml, f5.yaml). A missing expected file is written from the output (review it
// before committing); NGINX_LS_UPDATE=1 rewrites them all. Every output is also parsed, checked
// against the field definitions (service/ingress/data/*-fields.json) and analysed again by
// nginx-ls, which must find no error in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FIXTURE_NOW, diagnoseFiles, service } from '../lib/service.mjs';

const ROOT = new URL('../conversion/', import.meta.url).pathname;
const UPDATE = process.env.NGINX_LS_UPDATE === '1';
/** A first-line option of a case: `# convert: shared-gateway=infra/edge`. */
const OPTION = /^# convert: shared-gateway=([^/\s]+)\/(\S+)$/m;

function convert(input, target, options = {}) {
  const host = service.memoryHost({ '/case/input.yaml': input });
  const workspace = new service.ManifestWorkspace(host);
  workspace.setCandidates(['/case/input.yaml']);
  const manifests = workspace.manifests('/case/input.yaml');
  return service.convertManifests(manifests, target, { secrets: workspace.secrets(), services: workspace.services(), ...options });
}

for (const name of readdirSync(ROOT).sort()) {
  const input = readFileSync(join(ROOT, name, 'input.yaml'), 'utf8');
  const shared = OPTION.exec(input);
  const options = shared ? { sharedGateway: { namespace: shared[1], name: shared[2] } } : {};
  for (const target of service.CONVERSION_TARGETS) {
    test(`${name} → ${target}`, () => {
      const result = convert(input, target, options);
      assert.ok(result, 'no Ingress converted');
      const expectedFile = join(ROOT, name, `${target}.yaml`);
      if (UPDATE || !existsSync(expectedFile)) writeFileSync(expectedFile, result.text);
      assert.equal(result.text, readFileSync(expectedFile, 'utf8'), `${name}/${target}.yaml differs (NGINX_LS_UPDATE=1 rewrites it)`);
      assert.equal(convert(input, target, options).text, result.text, 'the same input converts to different text');

      const documents = parseAllDocuments(result.text);
      const problems = [];
      for (const [i, doc] of documents.entries()) {
        for (const error of doc.errors) problems.push(`document ${i}: ${error.message}`);
        const object = doc.toJS();
        if (object) for (const p of service.checkFields(object)) problems.push(`${object.kind} ${object.metadata?.name}: ${p}`);
      }
      // The fragment for a shared Gateway, kept in comments: merged into a Gateway, it must check too.
      const fragment = /^# spec:\n(?:# .*\n)+/m.exec(result.text)?.[0];
      if (fragment) {
        const spec = parseAllDocuments(fragment.replace(/^# /gm, ''))[0].toJS().spec;
        const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'shared' },
          spec: { gatewayClassName: 'nginx', ...spec } };
        for (const p of service.checkFields(gateway)) problems.push(`the shared Gateway fragment: ${p}`);
      }
      assert.equal(!!fragment, !!shared && target === 'gateway-api', 'a fragment exactly when converting for a shared Gateway');
      assert.deepEqual(problems, []);

      // Analysed again, with the Secrets of the input beside it: no error.
      const diagnostics = diagnoseFiles({ '/case/output.yaml': result.text, '/case/input.yaml': input }, {}, FIXTURE_NOW)['/case/output.yaml'];
      assert.deepEqual(diagnostics.filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`), []);
    });
  }
}

test('the losses of a conversion are named in its output, each once with its annotation', () => {
  const input = readFileSync(join(ROOT, 'seed', 'input.yaml'), 'utf8');
  for (const target of service.CONVERSION_TARGETS) {
    const { text, conversions } = convert(input, target);
    for (const loss of conversions[0].losses) assert.ok(text.includes(loss.annotation), `${target}: ${loss.annotation} not named`);
  }
  const gateway = convert(input, 'gateway-api').conversions[0].losses.map((l) => l.annotation.split('/')[1]).sort();
  assert.deepEqual(gateway, ['auth-tls-pass-certificate-to-upstream', 'auth-tls-verify-client', 'auth-tls-verify-depth']);
  assert.deepEqual(convert(input, 'f5').conversions[0].losses, []);
});

test('the field checker reports what the Gateway API would refuse', () => {
  const policy = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'p' },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
      validation: { hostname: '*.example.com', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], wellKnownCACertificates: 'System' },
    },
  };
  const problems = service.checkFields(policy);
  assert.ok(problems.some((p) => p.includes('must specify either')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('spec.validation.hostname')), problems.join('\n'));
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' },
    spec: { gatewayClassName: 'x', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }], tls: { frontendValidation: {} } },
  };
  const gatewayProblems = service.checkFields(gateway);
  assert.ok(gatewayProblems.includes('spec.tls.frontendValidation: not a field of Gateway'), gatewayProblems.join('\n'));
  assert.ok(gatewayProblems.some((p) => p.includes('an HTTPS listener needs tls')), gatewayProblems.join('\n'));
  const f5 = { apiVersion: 'k8s.nginx.org/v1', kind: 'Policy', metadata: { name: 'p' }, spec: { egressMTLS: { verifyServer: true } } };
  assert.ok(service.checkFields(f5).some((p) => p.includes('trustedCertSecret is required')));
  assert.deepEqual(service.checkFields({ apiVersion: 'v1', kind: 'Pod' }), ['no field definitions for v1 Pod']);
});

test('an Ingress a Helm template writes is not converted (its values are not known)', () => {
  const templated = readFileSync(join(ROOT, 'seed', 'input.yaml'), 'utf8').replace('name: shop\n', 'name: {{ .Release.Name }}\n');
  for (const target of service.CONVERSION_TARGETS) assert.equal(convert(templated, target), undefined);
});
