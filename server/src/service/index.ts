/**
 * The nginx-ls language service: pure and deterministic. No file system, no LSP connection; file
 * access goes through a ConfigHost the caller provides. Offsets everywhere; callers convert.
 */
export * from './syntax';
export * from './host';
export * from './rules';
export * from './knowledge';
export * from './analyze';
export * from './features';
export * from './workspace';
export * from './severity';
export * from './actions';
export * from './tls';
export * from './completion';
export * from './certificates';
export * from './certcheck';
export * from './ingress/manifest';
export * from './ingress/analyze';
export * from './ingress/features';
export * from './ingress/workspace';
export * from './ingress/annotations';
