/**
 * Kubernetes manifests (Ingress; Gateway API Gateway, BackendTLSPolicy, HTTPRoute, GRPCRoute; F5 NGINX
 * Ingress Controller Policy): classify, analyse, hover, complete, fix. What the server, the CLI, the
 * tests and the bench use; the rest of this folder is internal.
 */
export { ManifestWorkspace } from './workspace';
export { parseManifests, MAX_YAML_BYTES } from './manifest';
export type { ManifestDocument, ManifestFile, ManifestKind } from './manifest';
export { analyzeIngressFile } from './analyze';
export type {
  IngressAnalysis, IngressContext, IngressFamily, IngressFixDoc, IngressOptions, ResourceContext, ResourceLookup, SecretManifest,
  SecretReference, ServiceManifest, SnippetRegion,
} from './context';
export { CONTROLLER_SETTINGS } from './controller';
export type { ControllerDecision, ControllerSetting, IngressClassManifest, IngressController } from './controller';
export { ingressHover } from './hover';
export { ingressInlayHints } from './inlay-hints';
export { ingressCompletions } from './completion';
export { ingressQuickFixes } from './quick-fixes';
export { migrateToV1 } from './rules/api-version';
export { INGRESS_FAMILIES } from './rules';
export { ANNOTATIONS, ANNOTATION_PREFIX, annotationInfo } from './annotations';
export type { AnnotationInfo, AnnotationValueType } from './annotations';
export { CONVERSION_TARGETS, checkFields, convertIngressDocument, convertManifests, convertedFileName } from './convert';
export type { Conversion, ConversionLoss, ConversionTarget, ConvertOptions, ServicePorts } from './convert';
export { NIC_ANNOTATIONS, nicAnnotationInfo } from './nic-annotations';
export type { NicAnnotationInfo, NicValueType } from './nic-annotations';
export { checkNginxOrgAnnotations } from './rules/nic-annotations';
export { httpsPort } from './rules/backend-tls-policy';
