/**
 * Hover in Ingress manifests: an annotation's documentation, a Secret reference's certificates,
 * and nginx hover inside snippet annotations.
 */
import { Scalar } from 'yaml';
import { HoverResult, daysBetween, hover as nginxHover, isoDate } from '../nginx';
import { ANNOTATION_PREFIX, AnnotationInfo } from './annotations';
import type { NicAnnotationInfo } from './nic-annotations';
import { IngressAnalysis, SecretReference } from './context';
import { ManifestFile } from './manifest';

/**
 * Hover at a file offset. `now` is the time certificate validity is shown at: by default the one the
 * analysis judged at (IngressOptions.now); the service reads no clock, so without either no validity
 * is shown.
 */
export function ingressHover(manifests: ManifestFile, analysis: IngressAnalysis, offset: number,
  now: Date | undefined = analysis.now): HoverResult | undefined {
  const snippet = analysis.snippets.find((s) => offset >= s.start && offset <= s.end);
  if (snippet) {
    if (!snippet.toFile) return nginxHover(snippet.tree, offset);
    // A decoded value: find the virtual offset of this file offset, and map the answer back.
    let v = 0;
    while (v < snippet.virtualText.length && snippet.toFile(v + 1) <= offset) v++;
    const result = nginxHover(snippet.tree, v);
    return result && { ...result, start: snippet.toFile(result.start), end: snippet.toFile(result.end) };
  }
  const reference = analysis.secretReferences.find((r) => inRange(r.value, offset));
  if (reference) {
    const [start, end] = reference.value.range!;
    // The findings the families reported on this reference are its verdict: the hover decides nothing itself.
    const findings = analysis.findings.filter((f) => f.start === start && f.end === end);
    return { start, end, markdown: secretHover(reference, now, findings.map((f) => f.message)) };
  }
  const note = analysis.notes?.find((n) => offset >= n.start && offset <= n.end);
  if (note) return { start: note.start, end: note.end, markdown: note.markdown };
  const annotation = analysis.annotations.find((a) => inRange(a.key, offset) && (a.info || a.nic));
  if (!annotation) return undefined;
  const markdown = annotation.info ? annotationHover(annotation.info) : nicAnnotationHover(annotation.nic!);
  return { start: annotation.key.range![0], end: annotation.key.range![1], markdown };
}

/** An F5 NGINX Ingress Controller annotation: what it does, its values, the release that added it. */
export function nicAnnotationHover(info: NicAnnotationInfo): string {
  const type = info.type;
  const values = type.kind === 'enum' ? type.values.map((v) => `"${v}"`).join(', ')
    : type.kind === 'bool' ? '"true", "false"'
    : type.kind === 'int' ? 'a whole number, quoted'
    : type.kind === 'time' ? 'a time such as "60s" or "1m"'
    : type.kind === 'size' ? 'a size such as "8k" or "1m"'
    : type.kind === 'service-list' ? 'Service names, comma-separated'
    : type.kind === 'policy-list' ? 'Policy references (name or namespace/name), comma-separated'
    : type.kind === 'port-list' ? 'ports, comma-separated'
    : type.kind === 'header-list' ? 'headers (Name or Name: value), comma-separated, no $'
    : type.kind === 'snippets' ? `nginx configuration, added to the ${type.context} block`
    : 'a string';
  const lines = [`**${info.key}** (F5 NGINX Ingress Controller)`, info.summary, `Values: ${values}`];
  const since = [info.since ? `since NIC ${info.since}` : '', info.plus ? 'NGINX Plus only' : ''].filter(Boolean);
  if (since.length) lines.push(since.join(' · '));
  for (const note of info.notes ?? []) lines.push(`- ${note}`);
  return lines.join('\n\n');
}

function inRange(node: Scalar, offset: number): boolean {
  return !!node.range && offset >= node.range[0] && offset <= node.range[1];
}

export function annotationHover(info: AnnotationInfo): string {
  const type = info.type;
  const values = type.kind === 'enum' ? type.values.map((v) => `"${v}"`).join(', ')
    : type.kind === 'bool' ? '"true", "false"'
    : type.kind === 'int' ? `a whole number${type.min !== undefined ? ` ≥ ${type.min}` : ''}`
      + `${type.max !== undefined ? ` ≤ ${type.max}` : ''}, quoted`
    : type.kind === 'secret-ref' ? '"namespace/name" of a Secret'
    : type.kind === 'nginx-snippet' ? `nginx configuration, rendered into the ${type.context} block`
    : `a ${type.kind}`;
  const lines = [
    `**${ANNOTATION_PREFIX}${info.name}**`,
    info.summary,
    `Values: ${values}${info.default !== undefined ? ` · Default: \`${info.default === '' ? '""' : info.default}\`` : ''}`,
  ];
  if (info.directive) lines.push(`Becomes: \`${info.directive}\``);
  for (const note of info.notes ?? []) lines.push(`- ${note}`);
  if (info.deprecated) lines.push(`Deprecated: ${info.deprecated}`);
  return lines.join('\n\n');
}

/**
 * A Secret reference: the verdict first (the findings on it, else how long its CA certificates stay
 * valid), then where the Secret is defined and its certificates.
 */
function secretHover(reference: SecretReference, now: Date | undefined, problems: readonly string[]): string {
  const certificates = reference.certificates ?? [];
  // A CA that has expired already is not the next to expire (one among several breaks nothing: no finding).
  const valid = now ? certificates.filter((c) => c.notAfter >= now) : [];
  const soonest = valid.length ? Math.min(...valid.map((c) => daysBetween(now!, c.notAfter))) : undefined;
  const expired = certificates.length - valid.length;
  const expiredNote = expired ? `; ${expired} of ${certificates.length} CAs expired` : '';
  const verdict = problems.length ? problems.map((p) => `**${p.charAt(0).toUpperCase()}${p.slice(1)}**`).join(' · ')
    : soonest !== undefined
      ? `Valid, ${certificates.length === 1 ? 'expires' : 'the first expires'} in ${soonest} days${expiredNote}` : undefined;
  const kind = reference.kind ?? 'Secret';
  const head = `${verdict ? `${verdict}\n\n` : ''}**${kind} \`${reference.namespace}/${reference.name}\`** (${reference.annotation})`;
  const secret = reference.secret;
  if (!secret) return `${head}\n\nNo ${kind} manifest with this name and namespace in the workspace.`;
  const parts = [head, `Defined in \`${secret.file}\` at line ${secret.line} · keys: ${[...secret.keys].join(', ') || '(none)'}`
    + `${secret.type ? ` · type: ${secret.type}` : ''}`];
  for (const [i, c] of (reference.certificates ?? []).entries()) {
    let validity = '';
    if (now) {
      const days = daysBetween(now, c.notAfter);
      validity = ` (${c.notAfter < now ? `**expired ${-days} days ago**` : `${days} days left`})`;
    }
    parts.push(`**${i + 1}.** ${c.subject}  \nIssuer: ${c.issuer}  \nNot after: ${isoDate(c.notAfter)}${validity}`);
  }
  return parts.join('\n\n');
}
