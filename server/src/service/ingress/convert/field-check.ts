/**
 * Checks a Kubernetes object against the field definitions of ../data/*-fields.json: every field is
 * one the API defines (with its type), required fields are there, enums, patterns, list sizes and
 * the one-of rules (the CRDs' CEL rules written as data) hold. Used by the tests on every
 * conversion's output; a kind the data does not define is reported as such.
 *
 * Paths are dotted (`spec.listeners[].tls.mode`): `[]` is every item of a list, `\.` a dot inside a key.
 */
import gatewayApiFields from '../data/gateway-api-fields.json';
import f5Fields from '../data/f5-fields.json';

type FieldType = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'map';
type Scalar = string | number | boolean | null;

interface Rule {
  at: string;
  if?: { field: string; in?: Scalar[]; has?: Record<string, Scalar> };
  require?: string[];
  forbid?: string[];
  exactlyOne?: string[];
  requireOneOf?: string[];
  matchesAll?: { path: string; in: Scalar[] };
  message: string;
}

interface KindFields {
  apiVersion: string;
  kind: string;
  fields: Record<string, FieldType>;
  required?: string[];
  enums?: Record<string, Scalar[]>;
  patterns?: Record<string, string>;
  minimum?: Record<string, number>;
  items?: Record<string, [number, number]>;
  unique?: Record<string, string>;
  rules?: Rule[];
  annotations?: Record<string, Scalar[] | string>;
}

const KINDS: KindFields[] = [...gatewayApiFields.kinds, ...f5Fields.kinds] as unknown as KindFields[];

const segments = (path: string): string[] => (path === '' ? [] : path.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.')));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every value at a path (lists expanded at `[]`). */
function at(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const segment of segments(path)) {
    const list = segment.endsWith('[]');
    const key = list ? segment.slice(0, -2) : segment;
    current = current.flatMap((v) => {
      if (!isObject(v) || !(key in v)) return [];
      const next = v[key];
      return list ? (Array.isArray(next) ? next : []) : [next];
    });
  }
  return current;
}

function typeOf(value: unknown): FieldType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'string';
  if (typeof value === 'object') return 'object';
  return typeof value as 'string' | 'boolean';
}

/** The fields a definition covers, for finding the kind of an object. */
export function fieldDefinition(apiVersion: unknown, kind: unknown): KindFields | undefined {
  return KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

/** Problems of one object, as readable lines; none when it satisfies its kind's definition. */
export function checkFields(object: unknown): string[] {
  if (!isObject(object)) return ['not an object'];
  const def = fieldDefinition(object.apiVersion, object.kind);
  if (!def) return [`no field definitions for ${String(object.apiVersion)} ${String(object.kind)}`];
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = (path ? `${path}.` : '') + key.replace(/\./g, '\\.');
        const type = def.fields[childPath];
        if (!type) { problems.push(`${childPath}: not a field of ${def.kind}`); continue; }
        const actual = typeOf(child);
        const fits = actual === type || (type === 'map' && actual === 'object') || (type === 'object' && actual === 'object');
        if (!fits) { problems.push(`${childPath}: ${actual}, expected ${type}`); continue; }
        if (type !== 'map') walk(child, childPath);
      }
    } else if (Array.isArray(value)) {
      const itemPath = `${path}[]`;
      const type = def.fields[itemPath];
      for (const item of value) {
        if (type && typeOf(item) !== type) problems.push(`${itemPath}: ${typeOf(item)}, expected ${type}`);
        else if (type) walk(item, itemPath);
      }
    }
  };
  walk(object, '');
  for (const path of def.required ?? []) {
    const parts = segments(path);
    const last = parts.pop()!.replace(/\[\]$/, '');
    const parentPath = parts.map((p) => p.replace(/\./g, '\\.')).join('.');
    for (const parent of at(object, parentPath)) {
      if (isObject(parent) && !(last in parent)) problems.push(`${path}: required`);
    }
  }
  for (const [path, values] of Object.entries(def.enums ?? {})) {
    for (const v of at(object, path)) if (!values.includes(v as Scalar)) problems.push(`${path}: ${JSON.stringify(v)} is not one of ${values.join(', ')}`);
  }
  for (const [path, pattern] of Object.entries(def.patterns ?? {})) {
    for (const v of at(object, path)) if (typeof v !== 'string' || !new RegExp(pattern).test(v)) problems.push(`${path}: ${JSON.stringify(v)} does not match ${pattern}`);
  }
  for (const [path, min] of Object.entries(def.minimum ?? {})) {
    for (const v of at(object, path)) if (typeof v !== 'number' || v < min) problems.push(`${path}: below ${min}`);
  }
  for (const [path, [min, max]] of Object.entries(def.items ?? {})) {
    for (const v of at(object, path)) if (Array.isArray(v) && (v.length < min || v.length > max)) problems.push(`${path}: ${v.length} items, allowed ${min}-${max}`);
  }
  for (const [path, key] of Object.entries(def.unique ?? {})) {
    for (const v of at(object, path)) {
      const seen = (Array.isArray(v) ? v : []).map((item) => (isObject(item) ? item[key] : undefined));
      if (new Set(seen).size !== seen.length) problems.push(`${path}: ${key} not unique`);
    }
  }
  for (const rule of def.rules ?? []) {
    for (const node of at(object, rule.at)) {
      if (!isObject(node) || !applies(rule, node)) continue;
      const present = (p: string) => at(node, p).length > 0;
      const where = rule.at || '(root)';
      if (rule.require?.some((p) => !present(p))) problems.push(`${where}: ${rule.message}`);
      if (rule.forbid?.some(present)) problems.push(`${where}: ${rule.message}`);
      if (rule.exactlyOne && rule.exactlyOne.filter(present).length !== 1) problems.push(`${where}: ${rule.message}`);
      if (rule.requireOneOf && !rule.requireOneOf.some(present)) problems.push(`${where}: ${rule.message}`);
      if (rule.matchesAll && at(node, rule.matchesAll.path).some((v) => !rule.matchesAll!.in.includes(v as Scalar))) {
        problems.push(`${where}: ${rule.message}`);
      }
    }
  }
  const annotations = isObject(object.metadata) && isObject(object.metadata.annotations) ? object.metadata.annotations : {};
  for (const [key, allowed] of Object.entries(def.annotations ?? {})) {
    if (Array.isArray(allowed) && key in annotations && !allowed.includes(annotations[key] as Scalar)) {
      problems.push(`metadata.annotations.${key}: ${JSON.stringify(annotations[key])} is not one of ${allowed.join(', ')}`);
    }
  }
  return problems;
}

function applies(rule: Rule, node: Record<string, unknown>): boolean {
  if (!rule.if) return true;
  const values = at(node, rule.if.field);
  if (rule.if.in) return values.length === 0 ? rule.if.in.includes(null) : values.some((v) => rule.if!.in!.includes(v as Scalar));
  if (rule.if.has) {
    const list = values.flatMap((v) => (Array.isArray(v) ? v : []));
    return list.some((item) => Object.entries(rule.if!.has!).every(([path, want]) => at(item, path).includes(want)));
  }
  return true;
}
