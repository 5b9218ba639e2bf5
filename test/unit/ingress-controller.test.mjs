// Which controller reads an Ingress, across the files of a workspace and by the settings: the
// IngressClass manifests (in other files, followed when they change), the setting, the annotations.
// The rules themselves are checked by their cases (server/src/service/ingress/rules/controller.cases/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { service } from '../lib/service.mjs';

const INGRESS = '/k8s/ingress.yaml';
const CLASSES = '/k8s/classes.yaml';

const ingress = (annotations, cls = 'nginx') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
${annotations}spec:
  ingressClassName: ${cls}
  rules:
    - host: app.example.com
`;

const ingressClass = (name, controller) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: ${name}\nspec:\n  controller: ${controller}\n`;

const LEFTOVER = '    nginx.ingress.kubernetes.io/proxy-body-size: "20m"\n';

function workspaceOf(files, settings = {}) {
  const workspace = new service.ManifestWorkspace(service.memoryHost(files));
  workspace.setCandidates(Object.keys(files));
  workspace.settings = settings;
  return workspace;
}

const codes = (workspace) => workspace.analyze(INGRESS).analysis.findings.map((f) => f.code).sort();

test('an IngressClass in another file decides, and a change to that file is followed', () => {
  const files = { [INGRESS]: ingress(LEFTOVER), [CLASSES]: ingressClass('nginx', 'nginx.org/ingress-controller') };
  const workspace = workspaceOf(files);
  assert.deepEqual(codes(workspace), ['ingress-annotation-other-controller']);
  files[CLASSES] = ingressClass('nginx', 'k8s.io/ingress-nginx');
  workspace.invalidate();
  assert.deepEqual(codes(workspace), ['ingress-nginx-retired']);
});

test('two IngressClass manifests of one name that disagree decide nothing: the annotations guess', () => {
  const files = {
    [INGRESS]: ingress(LEFTOVER),
    [CLASSES]: ingressClass('nginx', 'nginx.org/ingress-controller') + ingressClass('nginx', 'k8s.io/ingress-nginx'),
  };
  assert.deepEqual(codes(workspaceOf(files)), ['ingress-nginx-retired']);
  assert.deepEqual(codes(workspaceOf(files, { controller: 'f5-nginx' })), ['ingress-annotation-other-controller']);
});

test('an IngressClass of a third controller: neither NGINX controller reads the Ingress, whatever the setting says', () => {
  const files = { [INGRESS]: ingress(LEFTOVER, 'traefik'), [CLASSES]: ingressClass('traefik', 'traefik.io/ingress-controller') };
  assert.deepEqual(codes(workspaceOf(files)), []);
  assert.deepEqual(codes(workspaceOf(files, { controller: 'ingress-nginx' })), []);
  assert.deepEqual(codes(workspaceOf(files, { controller: 'f5-nginx' })), []);
});

test('an IngressClass manifest outranks the setting', () => {
  const files = { [INGRESS]: ingress(LEFTOVER), [CLASSES]: ingressClass('nginx', 'k8s.io/ingress-nginx') };
  const f5 = workspaceOf(files, { controller: 'f5-nginx' }).analyze(INGRESS).analysis.findings;
  assert.deepEqual(f5.map((f) => f.code), ['ingress-nginx-retired']);
  assert.match(f5[0].message, /its IngressClass "nginx" names controller k8s\.io\/ingress-nginx/);
});

test('retirementNotice false turns the note off, and nothing else', () => {
  const files = { [INGRESS]: ingress(LEFTOVER + '    nginx.org/proxy-read-timeout: "30s"\n') };
  const on = workspaceOf(files, { controller: 'ingress-nginx' });
  assert.deepEqual(codes(on), ['ingress-annotation-other-controller', 'ingress-nginx-retired']);
  const off = workspaceOf(files, { controller: 'ingress-nginx', retirementNotice: false });
  assert.deepEqual(codes(off), ['ingress-annotation-other-controller']);
});

test('the retirement note covers the kind line, where actions on the whole Ingress are offered', () => {
  const text = ingress(LEFTOVER);
  const note = workspaceOf({ [INGRESS]: text }).analyze(INGRESS).analysis.findings.find((f) => f.code === 'ingress-nginx-retired');
  assert.equal(text.slice(note.start, note.end), 'kind: Ingress');
  assert.deepEqual(note.data, { controller: 'ingress-nginx' });
});

test('the equivalent is carried in the finding\'s data', () => {
  const files = { [INGRESS]: ingress(LEFTOVER), [CLASSES]: ingressClass('nginx', 'nginx.org/ingress-controller') };
  const finding = workspaceOf(files).analyze(INGRESS).analysis.findings[0];
  assert.deepEqual(finding.data, { equivalent: 'nginx.org/client-max-body-size' });
});
