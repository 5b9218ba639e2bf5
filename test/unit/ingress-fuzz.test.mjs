// The Ingress engine on hostile YAML: random streams built from Kubernetes-shaped pieces never make
// parsing, analysis, hover, completion or quick fixes throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';
import { random } from '../lib/random.mjs';


const PIECES = [
  'apiVersion: networking.k8s.io/v1beta1\n', 'kind: Ingress\n', 'kind: Secret\n', 'metadata:\n', '  annotations:\n',
  '    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n', '    nginx.ingress.kubernetes.io/auth-tls-secret: ns/ca\n',
  '    nginx.ingress.kubernetes.io/configuration-snippet: |\n      proxy_pass https://x;\n', '    nginx.ingress.kubernetes.io/proxy-ssl-verify: on\n',
  'spec:\n', '  backend:\n    serviceName: a\n    servicePort: 80\n', '  rules:\n  - http:\n      paths:\n      - backend: {serviceName: b, servicePort: http}\n',
  'data:\n  ca.crt: bm90IGEgY2VydA==\n', '---\n', '{{ .Values.x }}', '  - [', ']', "'", '"', '\\', ': ', '\t', '#', '&a ', '*a ', '!!str ', '\n',
];

test('random manifests: no exception anywhere', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const next = random(seed);
    let text = '';
    const length = Math.floor(next() * 30);
    for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
    const file = '/f/ingress.yaml';
    const workspace = new service.ManifestWorkspace(service.memoryHost({ [file]: text }));
    workspace.setCandidates([file]);
    let result;
    assert.doesNotThrow(() => { result = workspace.analyze(file); }, `seed ${seed}`);
    const manifests = workspace.manifests(file);
    for (const offset of [0, Math.floor(text.length / 2), text.length]) {
      assert.doesNotThrow(() => manifests && service.ingressCompletions(manifests, offset), `seed ${seed}: completion`);
      assert.doesNotThrow(() => result && service.ingressHover(result.manifests, result.analysis, offset), `seed ${seed}: hover`);
    }
    for (const finding of result?.analysis.findings ?? []) {
      assert.doesNotThrow(() => service.ingressQuickFixes(text, finding), `seed ${seed}: fixes for ${finding.code}`);
    }
  }
});
