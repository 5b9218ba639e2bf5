/**
 * Converting ingress-nginx Ingresses to Gateway API or to F5 NGINX Ingress Controller resources:
 * pure functions from a parsed manifest file (plus the workspace's Secrets and Services, passed in)
 * to YAML text and the list of what could not be carried over. The code actions, the CLI
 * (`nginx-ls convert`) and the conversion-loss rule all go through here.
 */
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { Conversion, ConversionTarget, ConvertOptions } from './common';
import { toF5 } from './f5';
import { toGatewayApi } from './gateway-api';
import { ingressModel } from './model';
import { yamlStream } from './yaml-text';

export type { Conversion, ConversionLoss, ConversionTarget, ConvertOptions, ServicePorts } from './common';
export { checkFields } from './field-check';

export const CONVERSION_TARGETS: readonly ConversionTarget[] = ['gateway-api', 'f5'];

/** The conversion of one Ingress document; undefined when the document cannot be read as an Ingress. */
export function convertIngressDocument(doc: ManifestDocument, target: ConversionTarget, options: ConvertOptions = {}):
Conversion | undefined {
  const model = doc.kind === 'ingress' ? ingressModel(doc.document) : undefined;
  if (!model) return undefined;
  return target === 'gateway-api' ? toGatewayApi(model, options) : toF5(model, options);
}

/** Whether a Helm template decides part of the document: its values are not known, so it is not converted. */
export function isTemplated(manifests: ManifestFile, doc: ManifestDocument): boolean {
  return manifests.templates.some((t) => t.start < doc.end && t.end > doc.start);
}

/**
 * The YAML of converting the Ingresses of a file (or only the one at `offset`), one stream; undefined
 * when there is none (Helm templates are not converted: render them first). Deterministic: the same
 * input gives the same text.
 */
export function convertManifests(manifests: ManifestFile, target: ConversionTarget, options: ConvertOptions = {}, offset?: number):
{ text: string; conversions: Conversion[] } | undefined {
  const documents = manifests.documents.filter((d) => d.kind === 'ingress' && !isTemplated(manifests, d)
    && (offset === undefined || (offset >= d.start && offset <= d.end)));
  const conversions = documents.flatMap((d) => convertIngressDocument(d, target, options) ?? []);
  if (conversions.length === 0) return undefined;
  return { text: yamlStream(conversions.flatMap((c) => c.documents)), conversions };
}

/** The file name a conversion of `file` is written to beside it: `ingress.yaml` → `ingress.gateway-api.yaml`. */
export function convertedFileName(file: string, target: ConversionTarget): string {
  return file.replace(/(\.ya?ml)?$/, (ext) => `.${target}${ext || '.yaml'}`);
}
