// Which controller reads an Ingress, across the files of a workspace and by the settings: the
// IngressClass manifests (in other files, followed when they change), the setting, the annotations.
// The rules themselves are checked by their cases (server/src/service/ingress/rules/controller.cases/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestWorkspace, service } from '../lib/service.mjs';

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

const workspaceOf = (files, settings = {}) => manifestWorkspace(files, { settings });

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
  assert.deepEqual(finding.data, { equivalent: 'nginx.org/client-max-body-size', rename: 'nginx.org/client-max-body-size' });
});

// ---------------------------------------------------------------- the rename fix

const F5_CLASS = ingressClass('nginx', 'nginx.org/ingress-controller');
const COMMUNITY_CLASS = ingressClass('nginx', 'k8s.io/ingress-nginx');

function otherControllerFixes(text, classes, key) {
  const workspace = workspaceOf({ [INGRESS]: text, [CLASSES]: classes });
  const finding = workspace.analyze(INGRESS).analysis.findings
    .find((f) => f.code === 'ingress-annotation-other-controller' && text.slice(f.start, f.end) === key);
  assert.ok(finding, `no ingress-annotation-other-controller on ${key}`);
  return service.ingressQuickFixes(text, finding);
}

/** The rename of `key` gives `after`; analysed again, the finding is gone and no error appears. */
function checkRename(name, { before, classes, key, after }) {
  test(name, () => {
    const fixes = otherControllerFixes(before, classes, key);
    assert.equal(fixes.length, 1, fixes.map((f) => f.title).join(' | '));
    const result = service.applyEdits(before, fixes[0].edits);
    assert.equal(result, after);
    const findings = workspaceOf({ [INGRESS]: result, [CLASSES]: classes }).analyze(INGRESS).analysis.findings;
    assert.deepEqual(findings.filter((f) => f.code === 'ingress-annotation-other-controller' || service.effectiveSeverity(f) === 'error')
      .map((f) => f.code), []);
  });
}

checkRename('rename an ingress-nginx annotation to F5\'s equivalent on an Ingress F5 reads', {
  classes: F5_CLASS, key: 'nginx.ingress.kubernetes.io/proxy-body-size',
  before: ingress('    nginx.ingress.kubernetes.io/proxy-body-size: "20m"\n'),
  after: ingress('    nginx.org/client-max-body-size: "20m"\n'),
});

checkRename('rename an F5 timeout in seconds to ingress-nginx\'s on an Ingress ingress-nginx reads', {
  classes: COMMUNITY_CLASS, key: 'nginx.org/proxy-read-timeout',
  before: ingress('    nginx.org/proxy-read-timeout: "120"\n'),
  after: ingress('    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"\n'),
});

test('no rename where the values differ, where the equivalent is no one annotation, or where it is already set', () => {
  const none = (text, classes, key) => assert.deepEqual(otherControllerFixes(text, classes, key).map((f) => f.title), [], key);
  // "60s" is an nginx time F5 reads, and no number of seconds to ingress-nginx.
  none(ingress('    nginx.org/proxy-read-timeout: "60s"\n'), COMMUNITY_CLASS, 'nginx.org/proxy-read-timeout');
  // use-regex "true" and path-regex "case_sensitive" say the same in different words.
  none(ingress('    nginx.ingress.kubernetes.io/use-regex: "true"\n'), F5_CLASS, 'nginx.ingress.kubernetes.io/use-regex');
  none(ingress('    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"\n'), F5_CLASS, 'nginx.ingress.kubernetes.io/backend-protocol');
  none(ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n    nginx.org/ssl-redirect: "true"\n'), F5_CLASS,
    'nginx.ingress.kubernetes.io/ssl-redirect');
});
