/**
 * The nginx-ls language service: pure and deterministic. No file system, no LSP connection, no
 * clock; file access goes through a ConfigHost the caller provides, the time through options.
 * Offsets everywhere; callers convert. This is the whole public surface: what the server, the
 * CLI, the tests and the bench use.
 */
export * from './nginx';
export * from './ingress';
export { type RuleDoc, RULE_DOCS } from './rule-docs';
