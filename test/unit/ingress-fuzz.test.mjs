// The Ingress engine on random manifests: real Ingress documents (apiVersion, kind, metadata) with
// random sets of real annotations from the annotation table, given valid and invalid values, quoted,
// unquoted, templated or as maps; snippet annotations holding random nginx text; Secrets with and
// without ca.crt; backend TLS combinations; then hostile mutations of the text. Parsing, analysis,
// hover, completion and quick fixes never throw, messages stay printable and bounded, most seeds
// reach the Ingress analysis, and the run produces many distinct rule codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { manifestWorkspace, service } from '../lib/service.mjs';
import { random } from '../lib/random.mjs';

const SEEDS = 400;
const NOW = new Date('2026-12-01T00:00:00Z');
const PREFIX = service.ANNOTATION_PREFIX;
const SECRETS_CASE = new URL('../../server/src/service/ingress/rules/secrets.cases/secret-references/secrets.yaml', import.meta.url);
/** A real CA (base64 PEM, valid 2026-11-25 .. 2046-11-20) from the secrets cases. */
const CA_BASE64 = /^ {2}ca\.crt: (\S+)$/m.exec(readFileSync(SECRETS_CASE, 'utf8'))[1];
const CA_PEM = Buffer.from(CA_BASE64, 'base64').toString('utf8');

const NGINX_PIECES = [
  'proxy_pass https://backend;', 'proxy_ssl_verify on;', 'proxy_ssl_trusted_certificate /etc/ca.crt;', 'add_header X-Frame-Options DENY;',
  'more_set_headers "X-A: b";', 'foo_bar baz;', 'location /x {', 'if ($http_x) {', '}', '{', 'set $a "b";',
  'return 301 https://$host$request_uri;', 'listen 443 ssl;', 'server_name a.example.com;', 'ssl_protocols TLSv1 TLSv1.2;',
  'rewrite ^/(.*)$ /$1 last;', 'proxy_set_header Host $unknown_var;',
  'limit_req zone=nope;', 'SecRuleEngine On;', 'client_max_body_size 10q;', '"', "'", '\\', '#', ';', '\t', '\x07', '$', 'include x.conf;',
];

function pick(next, list) { return list[Math.floor(next() * list.length)]; }
function chance(next, p) { return next() < p; }

function nginxText(next) {
  const lines = [];
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) lines.push(pick(next, NGINX_PIECES) + (chance(next, 0.3) ? ' ' + pick(next, NGINX_PIECES) : ''));
  return lines;
}

/** A value for an annotation of this type: usually valid, sometimes not. */
function rawValue(next, info) {
  const type = info.type;
  const invalid = chance(next, 0.35);
  switch (type.kind) {
    case 'bool': return invalid ? pick(next, ['yes', 'on', 'maybe', 'TRUE ', '2']) : pick(next, ['true', 'false', '1', 'False', 't']);
    case 'enum': return invalid ? pick(next, ['required', 'ON', 'x', '']) : pick(next, type.values);
    case 'int': return invalid ? pick(next, ['ten', '1.5', '-1', '99999999', '3s']) : String(type.min ?? 0 + Math.floor(next() * 100));
    case 'size': return invalid ? pick(next, ['10 MB', 'big', '1mb']) : pick(next, ['8k', '1m', '1000', '2G']);
    case 'secret-ref': return pick(next, ['shop/client-ca', 'shop/no-ca', 'shop/bad-ca', 'shop/missing', 'client-ca', 'Shop/CA!']);
    default: return pick(next, ['/', 'https://a.example.com/x', '10.0.0.0/24,172.16.0.1', '^/api/(.*)$', 'value with spaces', '']);
  }
}

/** The YAML of one annotation value at the given indentation: quoted, unquoted, block, templated, a map or a list. */
function yamlValue(next, info, indent) {
  const style = next();
  if (style < 0.06) return '{{ .Values.annotation }}';
  if (style < 0.09) return '{a: b}';
  if (style < 0.11) return '[x, y]';
  if (style < 0.13) return '';
  if (info?.type.kind === 'nginx-snippet') {
    const lines = nginxText(next);
    if (style < 0.6) return '|\n' + lines.map((l) => indent + '  ' + l).join('\n');
    if (style < 0.8) return JSON.stringify(lines.join('\n'));
    return "'" + lines.join(' ').replace(/'/g, "''") + "'";
  }
  const raw = info ? rawValue(next, info) : pick(next, ['x', 'true', '1']);
  if (style < 0.45) return raw; // unquoted: "true", "on" and numbers are not strings to Kubernetes
  if (style < 0.85) return JSON.stringify(raw);
  return "'" + raw.replace(/'/g, "''") + "'";
}

function misspell(next, name) {
  const i = Math.floor(next() * name.length);
  return chance(next, 0.5) ? name.slice(0, i) + name.slice(i + 1) : name.slice(0, i) + pick(next, ['x', '-', 'e']) + name.slice(i);
}

function ingressDocument(next) {
  const indent = '    ';
  const keys = new Map();
  const count = Math.floor(next() * 9);
  for (let i = 0; i < count; i++) {
    const info = pick(next, service.ANNOTATIONS);
    const r = next();
    if (r < 0.08) keys.set(PREFIX + misspell(next, info.name), undefined);
    else if (r < 0.11) keys.set(pick(next, ['nginx.org/server-snippets', 'nginx.com/jwt-realm', 'kubernetes.io/ingress.class']), undefined);
    else keys.set(PREFIX + info.name, info);
  }
  // Backend TLS combinations.
  if (chance(next, 0.4)) keys.set(PREFIX + 'backend-protocol', service.annotationInfo('backend-protocol'));
  if (chance(next, 0.3)) keys.set(PREFIX + 'proxy-ssl-secret', service.annotationInfo('proxy-ssl-secret'));
  if (chance(next, 0.3)) keys.set(PREFIX + 'proxy-ssl-verify', service.annotationInfo('proxy-ssl-verify'));
  if (chance(next, 0.2)) keys.set(PREFIX + 'proxy-ssl-name', service.annotationInfo('proxy-ssl-name'));
  if (chance(next, 0.3)) keys.set(PREFIX + 'auth-tls-secret', service.annotationInfo('auth-tls-secret'));
  if (chance(next, 0.3)) {
    const name = pick(next, ['configuration-snippet', 'server-snippet']);
    keys.set(PREFIX + name, service.annotationInfo(name));
  }
  const lines = [
    `apiVersion: ${pick(next, ['networking.k8s.io/v1', 'networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'])}`,
    'kind: Ingress',
    'metadata:',
    `  name: ing-${Math.floor(next() * 1000)}`,
  ];
  if (chance(next, 0.7)) lines.push(`  namespace: ${pick(next, ['shop', 'apps', 'default'])}`);
  if (keys.size) {
    lines.push('  annotations:');
    for (const [key, info] of keys) {
      let value;
      if (key === PREFIX + 'backend-protocol') value = pick(next, ['"HTTPS"', 'GRPCS', '"HTTP"', 'https', '{{ .Values.p }}', '"FCGI"']);
      else if (key === PREFIX + 'proxy-ssl-verify') value = pick(next, ['"on"', '"off"', 'on', '{{ .Values.verify }}']);
      else if (key === PREFIX + 'proxy-ssl-secret' || key === PREFIX + 'auth-tls-secret') {
        value = pick(next, ['"apps/backend-ca"', 'shop/client-ca', '"shop/no-ca"', 'shop/bad-ca', 'client-ca', '"Shop/CA!"',
          '{{ .Values.ca }}']);
      }
      else value = yamlValue(next, info, indent);
      lines.push(`${indent}${key}: ${value}`);
    }
  }
  lines.push('spec:');
  if (chance(next, 0.5)) lines.push('  backend:', '    serviceName: web', `    servicePort: ${pick(next, ['80', 'http'])}`);
  else lines.push('  rules:', '    - host: a.example.com', '      http:', '        paths:', '          - path: /',
    '            backend:', '              serviceName: api', '              servicePort: 443');
  return lines.join('\n');
}

function secretDocument(next) {
  const name = pick(next, ['client-ca', 'no-ca', 'bad-ca', 'backend-ca']);
  const namespace = name === 'backend-ca' ? 'apps' : 'shop';
  const head = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`;
  if (name === 'no-ca') return head + 'data:\n  tls.crt: bm90IGEgY2VydA==\n';
  if (name === 'bad-ca') return head + 'data:\n  ca.crt: bm90IGEgY2VydA==\n';
  if (chance(next, 0.5)) return head + `data:\n  ca.crt: ${CA_BASE64}\n`;
  return head + 'stringData:\n  ca.crt: |\n' + CA_PEM.trimEnd().split('\n').map((l) => '    ' + l).join('\n') + '\n';
}

const HOSTILE = ['\t', '"', "'", '\\', '{', '}', '[', ']', ': ', '#', '\n', '---\n', '{{', '}}', '&a ', '*a ', '!!str ', '\x00', '\x1b',
  '\r\n', '- '];

function mutate(next, text) {
  const r = next();
  if (r < 0.6) return text;
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = next();
    if (kind < 0.5) out = out.slice(0, at) + pick(next, HOSTILE) + out.slice(at);
    else if (kind < 0.7) out = out.slice(0, at) + out.slice(at + Math.floor(next() * 20));
    else if (kind < 0.8) out = out.slice(0, at);
    else if (kind < 0.9) out = out.replace(/\n/g, '\r\n');
    else {
      const lines = out.split('\n');
      const j = Math.floor(next() * lines.length);
      lines.splice(j, 0, lines[j]);
      out = lines.join('\n');
    }
  }
  return out;
}

function manifest(next) {
  const docs = [];
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) docs.push(chance(next, 0.65) ? ingressDocument(next) : secretDocument(next));
  if (!docs.some((d) => d.includes('kind: Ingress'))) docs.push(ingressDocument(next));
  return mutate(next, docs.join('\n---\n') + '\n');
}

test('random Ingress manifests: no exception anywhere, printable messages, most seeds analysed, many rules fire', () => {
  const started = process.cpuUsage();
  const codes = new Map();
  let reached = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const next = random(seed);
    const text = manifest(next);
    const file = '/f/ingress.yaml';
    const workspace = manifestWorkspace({ [file]: text }, { now: NOW });
    let result;
    assert.doesNotThrow(() => { result = workspace.analyze(file); }, `seed ${seed}`);
    if (result) reached++;
    const manifests = workspace.manifests(file);
    for (const offset of [0, Math.floor(next() * text.length), Math.floor(text.length / 2), text.length]) {
      assert.doesNotThrow(() => manifests && service.ingressCompletions(manifests, offset), `seed ${seed}: completion at ${offset}`);
      const hover = () => result && service.ingressHover(result.manifests, result.analysis, offset);
      assert.doesNotThrow(hover, `seed ${seed}: hover at ${offset}`);
    }
    const fixed = new Set();
    for (const finding of result?.analysis.findings ?? []) {
      codes.set(finding.code, (codes.get(finding.code) ?? 0) + 1);
      assert.ok(finding.message.length <= 401, `seed ${seed}: ${finding.code} message of ${finding.message.length} characters`);
      if (finding.code.startsWith('ingress-')) {
        assert.doesNotMatch(finding.message, /[\x00-\x08\x0b-\x1f\x7f]/, `seed ${seed}: ${finding.code}`);
      }
      assert.ok(finding.start <= finding.end && finding.end <= text.length, `seed ${seed}: ${finding.code} range`);
      // Fixes re-parse the file: once per code and seed keeps the run short.
      if (fixed.has(finding.code)) continue;
      fixed.add(finding.code);
      assert.doesNotThrow(() => service.ingressQuickFixes(text, finding), `seed ${seed}: fixes for ${finding.code}`);
    }
  }
  const ingressCodes = [...codes.keys()].filter((c) => c.startsWith('ingress-'));
  const summary = [...codes].map(([c, n]) => `${c} ${n}`).join(', ');
  assert.ok(reached >= SEEDS * 0.6, `only ${reached} of ${SEEDS} seeds reached the Ingress analysis`);
  assert.ok(codes.size >= 15, `only ${codes.size} distinct codes: ${summary}`);
  assert.ok(ingressCodes.length >= 10, `only ${ingressCodes.length} distinct Ingress codes: ${summary}`);
  // Processor time, not wall time: a loaded machine must not fail the test.
  const used = process.cpuUsage(started);
  const ms = Math.round((used.user + used.system) / 1000);
  assert.ok(ms < 5000, `took ${ms} ms of processor time`);
  console.log(`${ms} ms, ${reached} of ${SEEDS} seeds analysed, ${codes.size} codes (${ingressCodes.length} Ingress): ${summary}`);
});
