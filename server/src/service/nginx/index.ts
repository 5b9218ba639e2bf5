/**
 * The nginx half of the language service (everything but Kubernetes manifests). The server loads
 * this at start and the Ingress half (../ingress, which needs the YAML parser) on the first YAML file.
 */
export * from '../finding';
export * from '../host';
export * from '../rules';
export * from '../family';
export * from './syntax';
export * from './knowledge';
export * from './analyze';
export * from './features';
export * from './workspace';
export * from './actions';
export * from './tls';
export * from './completion';
export * from './certificates';
export * from './certcheck';
