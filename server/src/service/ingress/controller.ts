/**
 * Which controller reads an Ingress: ingress-nginx (kubernetes/ingress-nginx, `nginx.ingress.kubernetes.io/*`
 * annotations) or F5 NGINX Ingress Controller (nginx/kubernetes-ingress, `nginx.org/*`). Both install
 * an IngressClass named `nginx` by default, so the class name alone says nothing; what decides, in order:
 * 1. the IngressClass the Ingress names (`spec.ingressClassName`, or the legacy `kubernetes.io/ingress.class`
 *    annotation) or, naming none, the workspace's default IngressClass, when its manifest is in the workspace
 *    (`spec.controller` is `k8s.io/ingress-nginx` or `nginx.org/ingress-controller`);
 * 2. the `nginx-ls.ingress.controller` setting, when it names one (it states which controller the
 *    cluster runs, so it outranks a guess from the annotations, which is what it corrects);
 * 3. the annotations' prefixes, when they all belong to one controller (a guess: findings that only a
 *    decided controller justifies are not given for it).
 */
import type { Scalar } from 'yaml';
import { ANNOTATION_PREFIX, OTHER_CONTROLLER_PREFIXES } from './annotations';
import { ManifestDocument, ManifestFile, getPath, mapPairs, scalarString } from './manifest';

export type IngressController = 'ingress-nginx' | 'f5-nginx';
/** `nginx-ls.ingress.controller`. */
export type ControllerSetting = 'auto' | IngressController;

export const CONTROLLER_SETTINGS: readonly ControllerSetting[] = ['auto', 'ingress-nginx', 'f5-nginx'];

/** The controller names an IngressClass's `spec.controller` gives for each. */
export const CONTROLLER_IDS: ReadonlyMap<string, IngressController> = new Map([
  ['k8s.io/ingress-nginx', 'ingress-nginx'],
  ['nginx.org/ingress-controller', 'f5-nginx'],
]);

export const CONTROLLER_NAMES: Readonly<Record<IngressController, string>> = {
  'ingress-nginx': 'ingress-nginx',
  'f5-nginx': 'F5 NGINX Ingress Controller',
};

/** The legacy annotation that named the class before `spec.ingressClassName` (Kubernetes 1.18). */
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** An IngressClass manifest found in the workspace. */
export interface IngressClassManifest {
  file: string;
  name: string;
  /** `spec.controller` as written. */
  controller: string;
  isDefault: boolean;
}

export interface ControllerDecision {
  /**
   * Undefined when nothing tells (no class manifest, setting `auto`, annotations of both or neither),
   * or when the IngressClass belongs to a third controller.
   */
  controller: IngressController | undefined;
  /**
   * What decided it: an IngressClass manifest (named, or the default one), the setting, or the
   * annotations' prefixes (a guess).
   */
  basis?: 'ingress-class' | 'default-class' | 'setting' | 'annotations';
  /** The IngressClass that decided, for messages. */
  ingressClass?: IngressClassManifest;
}

export function ingressClassesIn(file: string, manifests: ManifestFile): IngressClassManifest[] {
  const out: IngressClassManifest[] = [];
  for (const doc of manifests.documents) {
    if (doc.kind !== 'ingressclass') continue;
    const root = doc.document.contents;
    const name = scalarString(getPath(root, 'metadata', 'name'));
    const controller = scalarString(getPath(root, 'spec', 'controller'));
    if (!name || !controller) continue;
    const isDefault = scalarString(getPath(root, 'metadata', 'annotations', DEFAULT_CLASS_ANNOTATION)) === 'true';
    out.push({ file, name, controller, isDefault });
  }
  return out;
}

/** The class an Ingress names, by `spec.ingressClassName` or else the legacy annotation. */
export function ingressClassName(doc: ManifestDocument): Scalar | undefined {
  const root = doc.document.contents;
  const spec = getPath(root, 'spec', 'ingressClassName') as Scalar | undefined;
  if (scalarString(spec)) return spec;
  const legacy = mapPairs(getPath(root, 'metadata', 'annotations')).find((p) => p.key.value === LEGACY_CLASS_ANNOTATION);
  return scalarString(legacy?.value) ? (legacy!.value as Scalar) : undefined;
}

/**
 * Decides which controller reads `doc`. `classes` are the IngressClass manifests of the workspace by
 * name (several manifests of one name that disagree decide nothing).
 */
export function decideController(doc: ManifestDocument, annotationKeys: readonly string[],
  classes: ReadonlyMap<string, readonly IngressClassManifest[]>, setting: ControllerSetting): ControllerDecision {
  const named = scalarString(ingressClassName(doc));
  const candidates = named !== undefined
    ? classes.get(named) ?? []
    : [...classes.values()].flat().filter((c) => c.isDefault);
  const known = [...new Set(candidates.map((c) => CONTROLLER_IDS.get(c.controller)))];
  if (known.length === 1 && known[0]) {
    return { controller: known[0], basis: named !== undefined ? 'ingress-class' : 'default-class', ingressClass: candidates[0] };
  }
  // A class of a third controller (Traefik, HAProxy, …): neither NGINX controller reads the Ingress,
  // whatever the setting or the annotations suggest.
  if (candidates.length > 0 && known.length === 1 && new Set(candidates.map((c) => c.controller)).size === 1) {
    return { controller: undefined, ingressClass: candidates[0] };
  }
  if (setting !== 'auto') return { controller: setting, basis: 'setting' };
  const ingressNginx = annotationKeys.some((k) => k.startsWith(ANNOTATION_PREFIX));
  const f5 = annotationKeys.some((k) => OTHER_CONTROLLER_PREFIXES.some((p) => k.startsWith(p)));
  if (ingressNginx !== f5) return { controller: ingressNginx ? 'ingress-nginx' : 'f5-nginx', basis: 'annotations' };
  return { controller: undefined };
}

/** Whether the decision rests on more than the annotations themselves. */
export function isDecided(decision: ControllerDecision): boolean {
  return decision.controller !== undefined && decision.basis !== 'annotations';
}

/** Why nginx-ls thinks this controller reads the Ingress, for messages ("IngressClass \"nginx\" (…)"). */
export function decisionReason(decision: ControllerDecision): string {
  const c = decision.ingressClass;
  switch (decision.basis) {
    case 'ingress-class': return `its IngressClass "${c!.name}" names controller ${c!.controller}`;
    case 'default-class': return `it names no class and the default IngressClass "${c!.name}" names controller ${c!.controller}`;
    case 'setting': return 'nginx-ls.ingress.controller says so';
    case 'annotations': return `its annotations are all ${decision.controller === 'ingress-nginx' ? ANNOTATION_PREFIX : 'nginx.org/'}*`;
    default: return 'nothing tells';
  }
}
