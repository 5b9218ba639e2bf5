/**
 * Quick fixes for Ingress diagnostics, computed from the file text and the diagnostic alone, by the
 * family that owns the diagnostic's rule (rules/index.ts); an nginx rule's diagnostic inside a
 * snippet annotation gets the nginx fix, written into the YAML value (snippet-fixes.ts).
 */
import type { DiagnosticRef, QuickFix } from '../family';
import { parseManifests } from './manifest';
import { INGRESS_FIXES } from './rules';
import { snippetQuickFixes } from './snippet-fixes';

export function ingressQuickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const provider = INGRESS_FIXES.get(diagnostic.code);
  // A diagnostic published before the text was cut short cannot point into it any more.
  if (diagnostic.end > text.length) return [];
  const manifests = parseManifests(text);
  if (!manifests) return [];
  const doc = manifests.documents.find((d) => diagnostic.start >= d.start && diagnostic.start <= d.end);
  if (provider) return provider({ text, manifests, doc }, diagnostic);
  return doc?.kind === 'ingress' ? snippetQuickFixes(manifests, doc, diagnostic) : [];
}
