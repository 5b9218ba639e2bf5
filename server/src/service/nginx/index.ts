/**
 * The nginx half of the language service (everything but Kubernetes manifests): what the server,
 * the CLI, the tests, the bench and the Ingress half use. The server loads this at start and the
 * Ingress half (../ingress, which needs the YAML parser) on the first YAML file.
 */
export { type Finding, type Severity, type SeveritySetting, printable } from '../finding';
export {
  type ConfigHost, type ReadResult, type BinaryResult, type DirectoryEntry, MAX_CONFIG_BYTES, MAX_DIRECTORY_ENTRIES, MAX_TLS_FILE_BYTES,
  hasGlob, globToRegExp, memoryHost,
} from '../host';
export {
  RULES, RULE_DOCS_BASE, type Rule, type RuleId, type RuleSettings, defaultSetting, ruleById, ruleDocsUrl, effectiveSeverity
} from '../rules';
export { type TextEdit, type QuickFix, type DiagnosticRef, applyEdits } from '../family';
export { type ConfigFile, type Directive, type Word, type Node, lineOf, parse } from './syntax';
export { type ContextKey, type FlavorSetting, closest, isFlavor, parseNginxVersion } from './knowledge';
export { PERMISSIVE_CONTEXTS, declaredContexts, parseConfig } from './load';
export { NGINX_FAMILIES } from './rules';
export { type AnalysisOptions, type ConfigAnalysis, type DumpAnalysis, type FilePlacement, analyzeConfig } from './walk';
export { ConfigWorkspace, type WorkspaceOptions, analyzeDump, looksLikeMainConfig } from './workspace';
export { type ConfigDump, type EmbeddedFile, dumpHost, embeddedAt, looksLikeDump, readDump, shifted } from './dump';
export { type EffectiveValue, type HoverResult, explainFindings, hover } from './hover';
export { type ExpiryPurpose, type InlayHintEntry, certificateExpiryHints, expiryHint } from './inlay-hints';
export { type OffsetRange, blocksAround } from './locate';
export { type OutlineSymbol, type SymbolKind, dumpFoldingRanges, dumpOutline, outline, foldingRanges } from './outline';
export { quickFixes } from './fixes';
export {
  type CompletionEntry, type CompletionOptions, type CompletionDocumentationRef, completions, completionDocumentation, contextsOf,
  expandSnippet, SNIPPETS,
} from './completion';
export { type SignatureHelpResult, signatureHelp } from './signature-help';
export { loadReference, unloadReference } from './docs';
export { type FormatOptions, formatDocument, formatRange, formatOnType, formatText, tokenDifference } from './format';
export { type CertificateInfo, readContents, daysBetween, isoDate } from './certificates';
export { type Effective, type TlsSite } from './inheritance';
export { type CertificateUse } from './certificate-files';
export { type NavigationIndex, type NavKind, navigationIndex } from './nav-index';
export {
  type DefinitionAnswer, type DocumentLinkEntry, type FileEdit, type Highlight, type NavigationRange, type NavigationTarget,
  type PrepareRenameAnswer, type RenameAnswer, definitions, documentLinks, highlights, prepareRename, references, rename,
} from './navigation';
export { type WorkspaceSymbolEntry, workspaceSymbols } from './workspace-symbols';
