/**
 * Hover over a parsed file: what a finding under the cursor rests on (the crafted request that shows
 * it, the values in effect and where each was set), directive and variable documentation, the TLS
 * settings in effect at an upstream over TLS (and where each was set), and what a certificate, key or
 * CA path holds.
 */
import type { Finding } from '../finding';
import { ruleDocsUrl } from '../rules';
import { directiveDoc, variableDoc } from './docs';
import { directiveVariants } from './knowledge';
import type { ConfigFile } from './syntax';
import { Effective, TlsSite, siteSettings } from './inheritance';
import { CertificateUse } from './certificate-files';
import { CertificateInfo, KeyInfo, daysBetween, isoDate, servedChain, signedBy } from './certificates';
import { OffsetRange, findAt } from './locate';

export interface HoverResult extends OffsetRange { markdown: string }

/**
 * Hover at `offset`. With the TLS sites of the file's analysis, a proxy_pass/grpc_pass/uwsgi_pass
 * to a TLS upstream shows the settings in effect there and where each comes from. With the file's
 * findings, one under the cursor that carries `data.exploit` or `data.effective` is explained first.
 */
export function hover(tree: ConfigFile, offset: number, sites: readonly TlsSite[] = [], describe?: (e: Effective) => string,
  certificates: readonly CertificateUse[] = [], now?: Date, findings: readonly Finding[] = []): HoverResult | undefined {
  const explained = explainFindings(findings, offset);
  const about = hoverOnWord(tree, offset, sites, describe, certificates, now);
  if (!explained) return about;
  if (!about) return explained;
  return { start: about.start, end: about.end, markdown: `${explained.markdown}\n\n---\n\n${about.markdown}` };
}

/** One value a finding's verdict rests on (`data.effective`): a setting, its value and where it was set. */
export interface EffectiveValue { name: string; value: string; where: string }

/**
 * The findings at `offset` that say what they rest on, explained: the verdict (the message up to its
 * first ": " or sentence end), the crafted request that shows it (`data.exploit`), and the values in
 * effect with where each was set (`data.effective`). Findings without those add nothing to what the
 * editor shows of a diagnostic already. The range is the narrowest of their ranges.
 */
export function explainFindings(findings: readonly Finding[], offset: number): HoverResult | undefined {
  const parts: string[] = [];
  let range: OffsetRange | undefined;
  for (const f of findings) {
    if (offset < f.start || offset > f.end) continue;
    const exploit = typeof f.data?.exploit === 'string' && f.data.exploit !== '' ? f.data.exploit : undefined;
    const effective = effectiveValues(f.data?.effective);
    if (!exploit && effective.length === 0) continue;
    if (!range || f.end - f.start < range.end - range.start) range = { start: f.start, end: f.end };
    const lines = [`[\`${f.code}\`](${ruleDocsUrl(f.code)}): ${escapeMarkdown(verdictOf(f.message))}`];
    if (exploit) lines.push(`**Exploit**: ${REQUEST.test(exploit) ? inlineCode(exploit) : escapeMarkdown(exploit)}`);
    if (effective.length) {
      lines.push([
        '| in effect | value | where |', '|---|---|---|',
        ...effective.map((e) => `| ${tableCell(e.name)} | ${tableCell(e.value) || '—'} | ${tableCell(e.where)} |`),
      ].join('\n'));
    }
    parts.push(lines.join('\n\n'));
  }
  return range && { ...range, markdown: parts.join('\n\n---\n\n') };
}

/** A crafted request or command, shown as code; anything else (a scenario in words) as text. */
const REQUEST = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \S|^(curl|openssl|printf|nc) /;

/** At most this many values are listed per finding. */
const MAX_EFFECTIVE = 12;

/** `data.effective` as sent by a rule, keeping only well-formed entries. */
function effectiveValues(value: unknown): EffectiveValue[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e): e is EffectiveValue => typeof e === 'object' && e !== null
    && typeof e.name === 'string' && typeof e.value === 'string' && typeof e.where === 'string').slice(0, MAX_EFFECTIVE);
}

/** The verdict a message leads with: up to its first ": " or the end of its first sentence. */
function verdictOf(message: string): string {
  const m = /^(.*?)(?:: |\. (?=[A-Z"])|$)/.exec(message);
  return m && m[1] ? m[1] : message;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, '\\$&').replace(/\s+/g, ' ');
}

/** Code that holds no backtick run as long as its fence. */
function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\s+/g, ' ')}${pad}${fence}`;
}

function tableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function hoverOnWord(tree: ConfigFile, offset: number, sites: readonly TlsSite[], describe: ((e: Effective) => string) | undefined,
  certificates: readonly CertificateUse[], now: Date | undefined): HoverResult | undefined {
  const hit = findAt(tree.children, offset);
  if (!hit?.word) return undefined;
  const { directive, word } = hit;
  const certificate = certificates.find((u) => u.word.start === word.start && u.directive.name.value === directive.name.value);
  if (certificate) return { start: word.start, end: word.end, markdown: certificateHover(certificate, now) };
  const site = sites.find((s) => s.directive.start === directive.start && s.directive.name.value === directive.name.value);
  if (site && (word === directive.name || word === directive.args[0])) {
    return { start: word.start, end: word.end, markdown: tlsHover(site, describe ?? ((e) => (e.setting ? 'set here' : 'nginx default'))) };
  }
  if (word === directive.name) {
    const markdown = directiveHover(directive.name.value);
    return markdown ? { start: word.start, end: word.end, markdown } : undefined;
  }
  const text = tree.text.slice(word.start, word.end);
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of text.matchAll(re)) {
    const start = word.start + m.index!;
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    const name = m[1] ?? m[2];
    const doc = variableDoc(name);
    if (!doc) return undefined;
    return { start, end, markdown: `**$${name}** (${doc.module})\n\n${doc.description}\n\n[Documentation](${doc.url})` };
  }
  return undefined;
}

/**
 * What a certificate, key or CA path holds. Never any key material: only public facts. It opens with
 * the verdict the certificates family recorded on the use (expired, key mismatch, names not covered,
 * valid and for how long), then a few lines per certificate; serials and fingerprints come last, so
 * the part that matters fits a small hover. Validity is judged at `now` (the caller's clock: the
 * service reads none); without it, only the dates are shown.
 */
export function certificateHover(use: CertificateUse, now: Date | undefined): string {
  const head = `**${use.directive.name.value}** ${use.word.value.startsWith('data:') ? '(inline data: value)' : `\`${use.word.value}\``}`;
  const verdicts = use.verdicts?.length ? `${verdictLine(use.verdicts)}\n\n` : '';
  switch (use.status) {
    case 'variable': return `${head}\n\nThe path contains a variable: nginx resolves it per connection (for example per SNI name), `
      + `so nginx-ls cannot read it ahead of time.`;
    case 'per-handshake': return `${head}\n\nA certificate or key in effect beside it holds a variable: nginx then loads `
      + `all of them per handshake, not at start, so nginx-ls does not read them ahead of time.`;
    case 'engine': return `${head}\n\nA key held by an OpenSSL engine (\`engine:name:id\`), not a file.`;
    case 'none': return `${head}\n\nAn empty value: no certificate is sent (it turns off one set above).`;
    case 'not-on-this-machine': return `${head}\n\n\`${use.resolved}\` is not on this machine. `
      + `If the workspace holds it elsewhere, map the server path with the \`nginx-ls.pathMappings\` setting `
      + `(for example \`{"/etc/nginx": "\${workspaceFolder}/deploy/nginx"}\`).`;
    case 'missing': return `${verdicts}${head}\n\n\`${use.resolved}\` does not exist.`;
    case 'unreadable': return `${verdicts}${head}\n\n\`${use.resolved}\` cannot be read: ${use.reason}.`;
  }
  const where = use.resolved === 'data:' ? ' · Inline (data:) value' : use.resolved ? ` · file \`${use.resolved}\`` : '';
  const contents = use.contents;
  if (!contents) return `${verdicts}${head}${where}`;
  if (contents.kind === 'unreadable') return `${verdicts}${head}${where}\n\nNot readable: ${contents.reason}.`;
  if (contents.kind === 'key' || use.kind === 'key') {
    const key = contents.kind === 'key' ? contents.key : contents.key;
    return key ? `${verdicts}${head}${where}\n\n${keyLines(key, use)}` : `${verdicts}${head}${where}\n\nNo private key in this file.`;
  }
  const certs = contents.certificates;
  const parts = [`${verdicts}${head}${where} · ${certs.length} certificate${certs.length === 1 ? '' : 's'}`];
  certs.forEach((c, i) => parts.push(certificateLines(c, i, certs.length, now)));
  // The file's order, link by link, when it is not leaf first and then each issuer in turn.
  const inOrder = certs.every((c, i) => i === 0 || signedBy(certs[i - 1], c));
  if (certs.length > 1 && use.kind === 'certificate' && !inOrder) {
    const links = certs.slice(0, -1).map((c, i) =>
      `${i + 1} ${signedBy(c, certs[i + 1]) ? 'is signed by' : 'is **not** signed by'} ${i + 2}`);
    parts.push(`**Chain**: ${certs.map((c, i) => `${i + 1}. ${c.isCA ? 'CA' : 'leaf'}`).join(' → ')}; ${links.join(', ')}.`);
  }
  if (use.kind === 'certificate') parts.push(drawnChain(use, certs));
  const number = (i: number) => (certs.length > 1 ? `${i + 1}. ` : '');
  parts.push(certs.map((c, i) => `${number(i)}**Serial**: ${c.serial} · **SHA-256**: ${c.sha256}`).join('  \n'));
  return parts.join('\n\n');
}

/** A certificate's common name, else its whole subject, for the drawn chain. */
function shortName(distinguishedName: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(distinguishedName)?.[1] ?? distinguishedName;
}

/**
 * The chain as clients build it from what nginx sends: the leaf, each issuer found in the file, and
 * where it ends (a self-signed root, the CA file of the configuration holding the root, or an issuer
 * that is missing), each with its expiry.
 */
function drawnChain(use: CertificateUse, certs: readonly CertificateInfo[]): string {
  const { links } = servedChain(certs);
  const link = (c: CertificateInfo, role: string) =>
    `\`${shortName(c.subject)}\` (${role}, ${c.keyDescription}${c.signatureHash ? `, ${c.signatureHash}` : ''}, `
    + `expires ${isoDate(c.notAfter)})`;
  const drawn = links.map((c, i) => link(c, c.selfSigned ? 'self-signed root' : i === 0 ? (c.isCA ? 'CA' : 'leaf') : 'intermediate'));
  const last = links[links.length - 1];
  if (!last.selfSigned) {
    const anchor = use.trustAnchor;
    drawn.push(anchor
      ? `${link(anchor.certificate, 'root')}: not sent, the trust anchor in \`${anchor.holder}\``
      : `\`${shortName(last.issuer)}\`: not in the file${links.length === 1 ? ' (**chain incomplete**)' : ' (a root clients must hold)'}`);
  }
  const unused = certs.length - links.length;
  return `**Chain as clients build it**: ${drawn.join(' → ')}`
    + (unused > 0 ? `  \n${unused} certificate${unused > 1 ? 's' : ''} of the file ${unused > 1 ? 'are' : 'is'} not part of it.` : '');
}

/** The verdicts as one line, problems in bold: "**Expired 12 days ago** · **Does not cover www.example.com**". */
export function verdictLine(verdicts: readonly { text: string; problem: boolean }[]): string {
  return verdicts.map((v) => {
    const text = v.text.charAt(0).toUpperCase() + v.text.slice(1);
    return v.problem ? `**${text}**` : text;
  }).join(' · ');
}

function certificateLines(c: CertificateInfo, index: number, count: number, now: Date | undefined): string {
  const state = !now ? '' : c.notAfter < now ? ` (**expired ${daysBetween(c.notAfter, now)} days ago**)`
    : c.notBefore > now ? ' (**not yet valid**)' : ` (${daysBetween(now, c.notAfter)} days remaining)`;
  return [
    `${count > 1 ? `**${index + 1}.** ` : ''}**Subject**: ${c.subject}`,
    `**Issuer**: ${c.issuer}${c.subject === c.issuer ? ' (self-signed)' : ''}`,
    `**Names**: ${c.altNames.length ? c.altNames.join(', ') : '(no subjectAltName)'}`,
    `**Valid**: ${isoDate(c.notBefore)} → ${isoDate(c.notAfter)}${state}`,
    `**Key**: ${c.keyDescription} · ${c.isCA ? 'CA' : 'leaf'}`,
  ].join('  \n');
}

function keyLines(key: KeyInfo, use: CertificateUse): string {
  const lines = [
    `**Private key**: ${key.description ?? 'algorithm unknown until decrypted'} (${key.format})`,
    `**Encrypted**: ${key.encrypted ? 'yes (nginx reads the passphrase from ssl_password_file)' : 'no'}`
  ];
  if (use.pairedWith && use.keyMatches !== undefined) {
    lines.push(`**Certificate**: ${use.keyMatches ? 'matches' : '**does not match**'} `
      + `${use.pairedWith.word.value.startsWith('data:') ? 'the inline data: value' : `\`${use.pairedWith.word.value}\``}`);
  } else if (key.encrypted) {
    lines.push('**Certificate**: cannot compare an encrypted key without its passphrase');
  }
  return lines.join('  \n');
}

function tlsHover(site: TlsSite, describe: (e: Effective) => string): string {
  const s = siteSettings(site);
  const p = `${site.family.prefix}_ssl_`;
  const row = (label: string, value: string, e: Effective) => `| ${label} | ${value.replace(/\|/g, '\\|') || '—'} | ${describe(e)} |`;
  const verified = s.verify.value.toLowerCase() === 'on';
  const nameChecked = s.name.value || site.host.replace(/:\d+$/, '');
  const nameNote = s.name.setting ? '' : site.isUpstreamGroup ? ' (the upstream group\'s name)' : ' (host of the URL)';
  return [
    `**TLS to \`${site.directive.args[0]?.value ?? ''}\`** — `
      + `${verified ? 'the certificate is verified' : '**the certificate is not verified**'}`,
    '',
    '| setting | value | from |',
    '|---|---|---|',
    row(`${p}verify`, s.verify.value, s.verify),
    row(`${p}trusted_certificate`, s.trusted.value, s.trusted),
    row('name checked', nameChecked + nameNote, s.name),
    row(`${p}server_name (SNI)`, s.serverName.value, s.serverName),
    row(`${p}protocols`, s.protocols.value, s.protocols),
    row(`${p}ciphers`, s.ciphers.value, s.ciphers),
    row(`${p}verify_depth`, s.verifyDepth.value, s.verifyDepth),
    row(`${p}certificate (client)`, s.certificate.value, s.certificate),
    row(`${p}certificate_key`, s.certificateKey.value, s.certificateKey),
  ].join('\n');
}

export function directiveHover(name: string): string | undefined {
  const docs = directiveDoc(name);
  if (docs.length === 0) {
    const variants = directiveVariants(name);
    if (!variants) return undefined;
    const origin = variants[0].origin;
    return `**${name}**\n\nFrom ${originName(origin)}. Allowed in: ${[...new Set(variants.flatMap((v) => v.contexts))].join(', ')}.`;
  }
  return docs.map((doc) => [
    `**${doc.name}** (${doc.module})`,
    '```nginx\n' + doc.syntax.map((s) => {
      const body = stripMarkup(s);
      return `${doc.name} ${body}${body.endsWith('}') ? '' : ';'}`;
    }).join('\n') + '\n```',
    `Default: \`${doc.default || '—'}\` · Context: ${doc.contexts.join(', ')}`,
    doc.description,
    `[nginx.org documentation](${doc.url})`,
  ].join('\n\n')).join('\n\n---\n\n');
}

function originName(origin: string): string {
  switch (origin) {
    case 'nginx-plus': return 'NGINX Plus (commercial)';
    case 'lua': return 'the lua-nginx-module (OpenResty)';
    case 'njs': return 'njs';
    case 'headers-more': return 'headers-more-nginx-module';
    case 'geoip2': return 'ngx_http_geoip2_module';
    case 'otel': return 'the OpenTelemetry module';
    case 'brotli': return 'ngx_brotli';
    case 'upload-progress': return 'nginx-upload-progress-module';
    case 'removed': return 'older nginx releases (removed since)';
    default: return 'nginx';
  }
}

function stripMarkup(s: string): string {
  // Placeholders are italic (*name*) in the reference; inside a code block they read as plain words.
  return s.replace(/<[^>]+>/g, '').replace(/\*`?([A-Za-z_][\w.-]*)`?\*/g, '$1').replace(/`/g, '').replace(/\*\*/g, '')
    .replace(/\\([_*[\]])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}
