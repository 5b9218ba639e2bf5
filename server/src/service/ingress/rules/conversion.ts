/**
 * ingress-conversion-loss: an annotation that the conversion to Gateway API or to F5 NGINX Ingress
 * Controller (../convert) cannot carry over, with the reason, on the annotation's key. The same
 * reasons are comments in the converted YAML, so the editor and the output agree. Annotations that
 * nginx-ls merely does not convert are named in the output only. Cases: conversion.cases/.
 */
import type { IngressFamily } from '../context';
import { ANNOTATION_PREFIX } from '../annotations';
import { toF5 } from '../convert/f5';
import { toGatewayApi } from '../convert/gateway-api';
import { ingressModel } from '../convert/model';

const TARGET_NAMES = { 'gateway-api': 'Gateway API', f5: 'F5 NGINX Ingress Controller' } as const;

/**
 * The reasons per annotation of a parsed document, kept as long as the document is (the workspace
 * keeps a file's parse until its text changes): the background check of unchanged files converts nothing again.
 */
const lossesOf = new WeakMap<object, Map<string, string[]>>();

function conversionLosses(document: Parameters<typeof ingressModel>[0]): Map<string, string[]> {
  const cached = lossesOf.get(document);
  if (cached) return cached;
  const reasons = new Map<string, string[]>();
  const model = ingressModel(document);
  // No Secrets: what is lost does not depend on them, and reading their CA bundles costs.
  for (const conversion of model ? [toGatewayApi(model), toF5(model)] : []) {
    for (const loss of conversion.losses) {
      if (!loss.inexpressible) continue;
      const list = reasons.get(loss.annotation) ?? [];
      list.push(`${TARGET_NAMES[conversion.target]}: ${loss.reason}`);
      reasons.set(loss.annotation, list);
    }
  }
  lossesOf.set(document, reasons);
  return reasons;
}

export const family: IngressFamily = {
  name: 'conversion',
  rules: ['ingress-conversion-loss'],
  check(ingress) {
    return {
      done() {
        if (![...ingress.annotations.keys()].some((key) => key.startsWith(ANNOTATION_PREFIX))) return;
        for (const [annotation, list] of conversionLosses(ingress.doc.document)) {
          const entry = ingress.annotations.get(annotation);
          if (!entry || ingress.isTemplated(entry.keyNode) || (entry.value && ingress.isTemplated(entry.value))) continue;
          ingress.report(entry.keyNode, 'ingress-conversion-loss', `Lost in conversion to ${list.join(' — ')}`,
            { conversion: true });
        }
      },
    };
  },
};
