/**
 * F5 NGINX Ingress Controller's Ingress annotations (`nginx.org/*`, `nginx.com/*`), read by the table
 * in ../nic-annotations.ts:
 * - nic-unknown-annotation: a key NIC does not read (quick fix: rename to the closest known one);
 * - nic-annotation-value: a value NIC cannot parse (it logs an error and keeps the default), or a `$`
 *   in proxy-set-headers, which NIC refuses;
 * - nic-ssl-services-unverified: nginx.org/ssl-services names Services NIC proxies to over HTTPS
 *   without verifying them, and no EgressMTLS Policy with verifyServer: true is attached through
 *   nginx.org/policies (quick fix: attach a new one).
 * An unquoted value (YAML 1.1 boolean or number) is the annotations family's ingress-annotation-type.
 * `checkNginxOrgAnnotations` is the whole check, for callers that decide which controller reads an
 * Ingress; the family runs it on every Ingress that carries such keys. Cases: nic-annotations.cases/.
 */
import { Scalar, isScalar } from 'yaml';
import { closest } from '../../nginx/knowledge';
import type { DiagnosticRef, QuickFix, TextEdit } from '../../family';
import type { IngressContext, IngressFamily, IngressFixDoc } from '../context';
import { getPath, mapPairs, pairOf, scalarString } from '../manifest';
import { NIC_ANNOTATIONS, NicAnnotationInfo, isNicAnnotation, nicAnnotationInfo } from '../nic-annotations';
import { appendToMap, blockMap, replaceScalar } from '../yaml-edits';
import { notAString } from './annotations';

const SSL_SERVICES = 'nginx.org/ssl-services';
const POLICIES = 'nginx.org/policies';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const family: IngressFamily = {
  name: 'nic-annotations',
  rules: ['nic-unknown-annotation', 'nic-annotation-value', 'nic-ssl-services-unverified'],
  check(ingress) {
    return {
      done() {
        if ([...ingress.annotations.keys()].some(isNicAnnotation)) checkNginxOrgAnnotations(ingress);
      },
    };
  },
  fixes: {
    'nic-unknown-annotation': (_doc, diagnostic) => {
      const suggestion = diagnostic.data?.suggestion;
      return typeof suggestion === 'string' ? [{
        title: `Rename to ${suggestion}`, isPreferred: true, edits: [{ start: diagnostic.start, end: diagnostic.end, newText: suggestion }],
      }] : [];
    },
    'nic-ssl-services-unverified': attachEgressPolicyFix,
  },
};

/**
 * Checks the `nginx.org/*` and `nginx.com/*` annotations of an Ingress as F5 NGINX Ingress Controller
 * reads them, and records them for hover.
 */
export function checkNginxOrgAnnotations(ingress: IngressContext): void {
  const { report } = ingress;
  for (const { key, keyNode, value } of ingress.annotations.values()) {
    if (!isNicAnnotation(key)) continue;
    const info = nicAnnotationInfo(key);
    ingress.result.annotations.push({ key: keyNode, nic: info, value });
    if (!info) {
      const prefix = key.slice(0, key.indexOf('/') + 1);
      const guess = closest(key, NIC_ANNOTATIONS.filter((a) => a.key.startsWith(prefix)).map((a) => a.key));
      report(keyNode, 'nic-unknown-annotation', `unknown F5 NGINX Ingress Controller annotation "${key}": the controller ignores it`
        + `${guess ? `; did you mean "${guess}"?` : ''}`, guess ? { suggestion: guess } : undefined);
      continue;
    }
    if (!isScalar(value) || ingress.isTemplated(value) || notAString(ingress.manifests, value)) continue;
    const problem = valueProblem(info, String(value.value));
    if (problem) report(value, 'nic-annotation-value', problem);
  }
  checkSslServices(ingress);
}

function valueProblem(info: NicAnnotationInfo, value: string): string | undefined {
  const ignored = `: NIC logs an error and ignores ${info.key}`;
  const list = value.split(',').map((s) => s.trim());
  const type = info.type;
  switch (type.kind) {
    case 'bool':
      return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value) ? undefined : `"${value}" is not "true" or "false"${ignored}`;
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `"${value}" is not a whole number${ignored}`;
      return type.min !== undefined && Number(value) < type.min ? `${value} is below ${type.min}${ignored}` : undefined;
    }
    case 'time': return /^(\d+(ms|s|m|h|d|w|M|y)?\s*)+$/.test(value) ? undefined : `"${value}" is not a time such as 60s or 1m${ignored}`;
    case 'size': return /^\d+[kKmMgG]?$/.test(value) ? undefined : `"${value}" is not a size such as 8k or 1m${ignored}`;
    case 'enum':
      return type.values.includes(value) ? undefined : `"${value}" is not one of ${type.values.map((v) => `"${v}"`).join(', ')}${ignored}`;
    case 'service-list': {
      const bad = list.find((s) => !DNS_LABEL.test(s));
      return bad === undefined ? undefined : `"${bad}" is not a Service name (write names separated by commas)${ignored}`;
    }
    case 'policy-list': {
      const bad = list.find((s) => !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(s));
      return bad === undefined ? undefined : `"${bad}" is not a Policy reference (name or namespace/name)${ignored}`;
    }
    case 'port-list': {
      const bad = list.find((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65535);
      return bad === undefined ? undefined : `"${bad}" is not a port${ignored}`;
    }
    case 'header-list': return value.includes('$') ? 'NIC refuses "$" in nginx.org/proxy-set-headers values (no nginx variables here): '
      + 'forward a variable with nginx.org/location-snippets (proxy_set_header) instead' : undefined;
    default: return undefined;
  }
}

/** Whether the Policies nginx.org/policies names verify the upstream: true, false, or undefined when one is not in the workspace. */
function egressVerified(ingress: IngressContext): boolean | undefined {
  const value = scalarString(ingress.annotations.get(POLICIES)?.value);
  if (value === undefined) return false;
  let unknown = false;
  for (const ref of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [namespace, name] = ref.includes('/') ? ref.split('/', 2) : [ingress.namespace, ref];
    const policy = ingress.options.resources?.nicPolicy(namespace, name);
    if (!policy) unknown = true;
    else if (policy.egressMTLS?.verifyServer) return true;
  }
  return unknown ? undefined : false;
}

function checkSslServices(ingress: IngressContext): void {
  const entry = ingress.annotations.get(SSL_SERVICES);
  const value = entry?.value;
  if (!isScalar(value) || typeof value.value !== 'string' || ingress.isTemplated(value)) return;
  const services = value.value.split(',').map((s) => s.trim()).filter(Boolean);
  const policies = ingress.annotations.get(POLICIES)?.value;
  if (services.length === 0 || (policies && ingress.isTemplated(policies)) || egressVerified(ingress) !== false) return;
  ingress.report(value, 'nic-ssl-services-unverified', `unverified upstream: NIC proxies to ${services.join(', ')} over HTTPS `
    + 'without checking the certificate (proxy_ssl_verify is off), and no EgressMTLS Policy with verifyServer: true is attached. '
    + 'Attach one through nginx.org/policies (NIC 5.5.0 and later), with trustedCertSecret naming the upstream\'s CA',
  { services, namespace: ingress.namespace });
}

/** nginx.org/policies gains a new EgressMTLS Policy, appended to the file as a document of its own. */
function attachEgressPolicyFix({ text, doc }: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const root = doc?.document.contents;
  const annotations = blockMap(getPath(root, 'metadata', 'annotations'));
  const services = diagnostic.data?.services;
  if (!annotations || !Array.isArray(services) || typeof services[0] !== 'string') return [];
  const ingressName = scalarString(getPath(root, 'metadata', 'name')) ?? 'ingress';
  const namespace = scalarString(getPath(root, 'metadata', 'namespace')) ?? 'default';
  const policy = `${ingressName}-egress-mtls`;
  const edits: TextEdit[] = [];
  const existing = pairOf(annotations, POLICIES)?.value;
  if (isScalar(existing)) {
    const current = scalarString(existing) ?? '';
    edits.push(replaceScalar(existing as Scalar, JSON.stringify(current.trim() ? `${current},${policy}` : policy)));
  } else if (mapPairs(annotations).length) {
    const edit = appendToMap(text, annotations, [[POLICIES, `"${policy}"`]]);
    if (!edit) return [];
    edits.push(edit);
  } else {
    return [];
  }
  const lines = [
    '---', 'apiVersion: k8s.nginx.org/v1', 'kind: Policy', 'metadata:', `  name: ${policy}`, `  namespace: ${namespace}`, 'spec:',
    '  egressMTLS:', '    verifyServer: true', `    trustedCertSecret: ${ingressName}-upstream-ca`, '    serverName: true',
    `    sslName: ${services[0]}.${namespace}.svc`, '    protocols: "TLSv1.2 TLSv1.3"',
  ];
  edits.push({ start: text.length, end: text.length, newText: (text.endsWith('\n') ? '' : '\n') + lines.join('\n') + '\n' });
  return [{ title: `Attach an EgressMTLS Policy that verifies ${services.join(', ')}`, isPreferred: true, edits }];
}
