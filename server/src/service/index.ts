/**
 * The nginx-ls language service: pure and deterministic. No file system, no LSP connection; file
 * access goes through a ConfigHost the caller provides. Offsets everywhere; callers convert.
 */
export * from './nginx';
export * from './ingress';
