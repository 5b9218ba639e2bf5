/**
 * Inlay hints in Ingress manifests: after a Secret reference the hover resolves (auth-tls-secret,
 * proxy-ssl-secret), how long the CA certificates of the Secret stay valid. Judged at the caller's `now`.
 */
import { InlayHintEntry, expiryHint } from '../nginx';
import { IngressAnalysis } from './context';

/** One hint per Secret reference whose Secret holds certificates (its ca.crt, a CA bundle). */
export function ingressInlayHints(analysis: IngressAnalysis, now: Date): InlayHintEntry[] {
  const out: InlayHintEntry[] = [];
  for (const reference of analysis.secretReferences) {
    const hint = reference.value.range && reference.certificates && expiryHint(reference.certificates, 'ca', now);
    if (hint) out.push({ offset: reference.value.range![1], ...hint });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
