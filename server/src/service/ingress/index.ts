/** Kubernetes Ingress manifests: classify, analyse, hover, complete, fix. */
export * from './manifest';
export * from './analyze';
export * from './features';
export * from './workspace';
export * from './annotations';
