/**
 * What an annotation is, read the way Kubernetes and ingress-nginx read it:
 * - ingress-unknown-annotation: a key the controller does not know (quick fix: rename to the
 *   closest known one);
 * - ingress-annotation-type: a value that is not a string to Kubernetes (quick fix: quote it), on
 *   ingress-nginx's keys and F5 NGINX Ingress Controller's (whose table is nic-annotations.ts');
 * - ingress-annotation-value: a string outside what the controller accepts.
 * An annotation that fails the first two is not checked further by later families.
 * Cases: annotations.cases/.
 */
import { Node, Scalar, isMap, isScalar } from 'yaml';
import { closest } from '../../nginx/knowledge';
import type { DiagnosticRef, QuickFix } from '../../family';
import { ANNOTATIONS, ANNOTATION_PREFIX, AnnotationInfo, annotationInfo } from '../annotations';
import type { IngressContext, IngressFamily, IngressFixDoc } from '../context';
import type { ManifestFile } from '../manifest';
import { isNicAnnotation } from '../nic-annotations';

/** Plain scalars YAML 1.1 (which Kubernetes uses for manifests) reads as booleans, numbers or null. */
const YAML11_NON_STRING = new RegExp('^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF'
  + '|null|Null|NULL|~|[-+]?(0|[1-9][0-9_]*)|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?'
  + '|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$');

export const family: IngressFamily = {
  name: 'annotations',
  rules: ['ingress-unknown-annotation', 'ingress-annotation-type', 'ingress-annotation-value'],
  check(ingress) {
    const { report } = ingress;
    return {
      annotation({ key, keyNode, value }) {
        if (!key.startsWith(ANNOTATION_PREFIX)) {
          // F5 NGINX Ingress Controller's keys are strings to Kubernetes too; what they mean is the nic-annotations family's.
          if (isNicAnnotation(key) && value !== null) reportNotString(ingress, key, value);
          return false;
        }
        const name = key.slice(ANNOTATION_PREFIX.length);
        const info = annotationInfo(name);
        if (!info) {
          const guess = closest(name, ANNOTATIONS.map((a) => a.name));
          report(keyNode, 'ingress-unknown-annotation',
            `unknown ingress-nginx annotation "${name}": the controller ignores it${guess ? `; did you mean "${guess}"?` : ''}`,
            guess ? { suggestion: ANNOTATION_PREFIX + guess } : undefined);
          return false;
        }
        if (value === null || (isScalar(value) && ingress.isTemplated(value)) || reportNotString(ingress, key, value)) return false;
        const problem = valueProblem(info, String((value as Scalar).value));
        if (problem) {
          const fallback = info.default !== undefined && info.default !== '' ? `"${info.default}"` : 'no value';
          report(value, 'ingress-annotation-value',
            `${problem}; the controller uses ${fallback} instead${info.invalidFallback === false ? '' : ' and only logs it'}`);
        }
        return true;
      },
    };
  },
  fixes: {
    'ingress-annotation-type': quoteFix,
    'ingress-unknown-annotation': renameFix,
  },
};

/**
 * Whether an annotation value is no string to Kubernetes (a map, a list, or a plain scalar YAML 1.1
 * reads as a boolean, number or null). A value a Helm template decides is not judged.
 */
export function notAString(manifests: ManifestFile, value: Node): boolean {
  if (isScalar(value)) {
    if (value.type !== 'PLAIN') return false;
    return YAML11_NON_STRING.test(manifests.parsedText.slice(value.range![0], value.range![1]));
  }
  return true;
}

/** Reports ingress-annotation-type when the value is no string (see notAString); returns whether it did. */
function reportNotString(ingress: IngressContext, key: string, value: Node): boolean {
  if (ingress.isTemplated(value) || !notAString(ingress.manifests, value)) return false;
  if (!isScalar(value)) {
    ingress.report(value, 'ingress-annotation-type', `the value of "${key}" must be a string, not a ${isMap(value) ? 'map' : 'list'}`);
    return true;
  }
  const raw = ingress.manifests.parsedText.slice(value.range![0], value.range![1]);
  ingress.report(value, 'ingress-annotation-type', `${raw} is not a string to Kubernetes (YAML 1.1 reads it as a ${readAs(raw)}): `
    + `kubectl rejects the manifest. Quote it: "${raw}"`, { quote: raw });
  return true;
}

function readAs(raw: string): string {
  return /^[-+.0-9]/.test(raw) ? 'number' : /^(null|Null|NULL|~)$/.test(raw) ? 'null' : 'boolean';
}

function valueProblem(info: AnnotationInfo, value: string): string | undefined {
  const type = info.type;
  switch (type.kind) {
    // The controller reads booleans with Go's strconv.ParseBool.
    case 'bool': return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value) ? undefined : `"${value}" is not "true" or "false"`;
    case 'enum': {
      const ok = type.caseInsensitive ? type.values.some((v) => v.toLowerCase() === value.toLowerCase()) : type.values.includes(value);
      return ok ? undefined : `"${value}" is not one of ${type.values.map((v) => `"${v}"`).join(', ')}`;
    }
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) return `"${value}" is not a whole number`;
      const n = Number(value);
      if (type.min !== undefined && n < type.min) return `${n} is below the minimum ${type.min}`;
      if (type.max !== undefined && n > type.max) return `${n} is above the maximum ${type.max}`;
      return undefined;
    }
    case 'size': return /^\d+[kKmMgG]?$/.test(value) ? undefined : `"${value}" is not a size such as 8k or 1m`;
    case 'secret-ref': return undefined; // checked with the reference itself (secrets family)
    default: return undefined;
  }
}

function quoteFix({ text }: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const raw = text.slice(diagnostic.start, diagnostic.end);
  const edit = { start: diagnostic.start, end: diagnostic.end, newText: JSON.stringify(raw) };
  return [{ title: `Quote the value: "${raw}"`, edits: [edit], isPreferred: true }];
}

function renameFix(_doc: IngressFixDoc, diagnostic: DiagnosticRef): QuickFix[] {
  const suggestion = diagnostic.data?.suggestion;
  if (typeof suggestion !== 'string') return [];
  const edit = { start: diagnostic.start, end: diagnostic.end, newText: suggestion };
  return [{ title: `Rename to ${suggestion}`, edits: [edit], isPreferred: true }];
}
