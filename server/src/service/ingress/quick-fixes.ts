/**
 * Quick fixes for Ingress diagnostics, computed from the file text and the diagnostic alone, by the
 * family that owns the diagnostic's rule (rules/index.ts).
 */
import type { DiagnosticRef, QuickFix } from '../family';
import { parseManifests } from './manifest';
import { INGRESS_FIXES } from './rules';

export function ingressQuickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const provider = INGRESS_FIXES.get(diagnostic.code);
  // A diagnostic published before the text was cut short cannot point into it any more.
  if (!provider || diagnostic.end > text.length) return [];
  const manifests = parseManifests(text);
  if (!manifests) return [];
  const doc = manifests.documents.find((d) => diagnostic.start >= d.start && diagnostic.start <= d.end);
  return provider({ text, manifests, doc }, diagnostic);
}
