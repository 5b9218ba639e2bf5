/**
 * Editor features over a parsed file: hover, outline, folding. Offsets in, offsets out; the server
 * converts to line/character.
 */
import { directiveDoc, variableDoc } from './docs';
import { directiveVariants } from './knowledge';
import { ConfigFile, Directive, Node, Word } from './syntax';
import { Effective, TlsSite, siteSettings } from './tls';
import { CertificateUse } from './certcheck';
import { CertificateInfo, KeyInfo, daysBetween, isoDate, signedBy } from './certificates';

export interface OffsetRange { start: number; end: number }

export interface HoverResult extends OffsetRange { markdown: string }

/** The directive (and the word in it) under `offset`, innermost first. */
export function findAt(nodes: readonly Node[], offset: number): { directive: Directive; word?: Word; parents: Directive[] } | undefined {
  const parents: Directive[] = [];
  let list = nodes;
  let found: Directive | undefined;
  for (;;) {
    const d = list.find((n): n is Directive => n.kind === 'directive' && n.start <= offset && offset <= n.end);
    if (!d) break;
    const inBlock = d.block && offset > d.block.open && (d.block.close === undefined || offset <= d.block.close);
    if (inBlock && !d.block!.raw) {
      parents.push(d);
      list = d.block!.children;
      continue;
    }
    found = d;
    break;
  }
  if (!found) return undefined;
  const words = [found.name, ...found.args];
  const word = words.find((w) => w.start <= offset && offset <= w.end);
  return { directive: found, word, parents };
}

/**
 * Hover at `offset`. With the TLS sites of the file's analysis, a proxy_pass/grpc_pass/uwsgi_pass
 * to a TLS upstream shows the settings in effect there and where each comes from.
 */
/** The block directives whose braces enclose `offset`, outermost first. */
export function blocksAround(nodes: readonly Node[], offset: number): Directive[] {
  const out: Directive[] = [];
  let list = nodes;
  for (;;) {
    const d = list.find((n): n is Directive => n.kind === 'directive' && !!n.block && !n.block.raw
      && offset > n.block.open && (n.block.close === undefined || offset <= n.block.close));
    if (!d) return out;
    out.push(d);
    list = d.block!.children;
  }
}

export function hover(tree: ConfigFile, offset: number, sites: readonly TlsSite[] = [], describe?: (e: Effective) => string,
  certificates: readonly CertificateUse[] = [], now: Date = new Date()): HoverResult | undefined {
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

/** What a certificate, key or CA path holds. Never any key material: only public facts. */
export function certificateHover(use: CertificateUse, now: Date): string {
  const head = `**${use.directive.name.value}** ${use.word.value.startsWith('data:') ? '(inline data: value)' : `\`${use.word.value}\``}`;
  switch (use.status) {
    case 'variable': return `${head}\n\nThe path contains a variable: nginx resolves it per connection (for example per SNI name), so nginx-ls cannot read it ahead of time.`;
    case 'not-on-this-machine': return `${head}\n\n\`${use.resolved}\` is not on this machine. If the workspace holds it elsewhere, map the server path with the \`nginx-ls.pathMappings\` setting (for example \`{"/etc/nginx": "\${workspaceFolder}/deploy/nginx"}\`).`;
    case 'missing': return `${head}\n\n\`${use.resolved}\` does not exist.`;
    case 'unreadable': return `${head}\n\n\`${use.resolved}\` cannot be read: ${use.reason}.`;
  }
  const where = use.resolved && use.resolved !== 'data:' ? `\n\nFile: \`${use.resolved}\`` : use.resolved === 'data:' ? '\n\nInline (data:) value' : '';
  const contents = use.contents;
  if (!contents) return `${head}${where}`;
  if (contents.kind === 'unreadable') return `${head}${where}\n\nNot readable: ${contents.reason}.`;
  if (contents.kind === 'key' || use.kind === 'key') {
    const key = contents.kind === 'key' ? contents.key : contents.key;
    return key ? `${head}${where}\n\n${keyLines(key, use)}` : `${head}${where}\n\nNo private key in this file.`;
  }
  const certs = contents.certificates;
  const parts = [head + where, `${certs.length} certificate${certs.length === 1 ? '' : 's'}:`];
  certs.forEach((c, i) => parts.push(certificateLines(c, i, certs.length, now)));
  if (certs.length > 1 && use.kind === 'certificate') {
    const links = certs.slice(0, -1).map((c, i) => `${i + 1} ${signedBy(c, certs[i + 1]) ? 'is signed by' : 'is **not** signed by'} ${i + 2}`);
    parts.push(`**Chain**: ${certs.map((c, i) => `${i + 1}. ${c.isCA ? 'CA' : 'leaf'}`).join(' → ')}; ${links.join(', ')}.`);
  }
  return parts.join('\n\n');
}

function certificateLines(c: CertificateInfo, index: number, count: number, now: Date): string {
  const days = daysBetween(now, c.notAfter);
  const state = c.notAfter < now ? `**expired ${daysBetween(c.notAfter, now)} days ago**` : c.notBefore > now ? '**not yet valid**' : `${days} days remaining`;
  return [
    `${count > 1 ? `**${index + 1}.** ` : ''}**Subject**: ${c.subject}`,
    `**Issuer**: ${c.issuer}${c.subject === c.issuer ? ' (self-signed)' : ''}`,
    `**Names**: ${c.altNames.length ? c.altNames.join(', ') : '(no subjectAltName)'}`,
    `**Valid**: ${isoDate(c.notBefore)} → ${isoDate(c.notAfter)} (${state})`,
    `**Serial**: ${c.serial}`,
    `**SHA-256**: ${c.sha256}`,
    `**Key**: ${c.keyDescription} · ${c.isCA ? 'CA' : 'leaf'}`,
  ].join('  \n');
}

function keyLines(key: KeyInfo, use: CertificateUse): string {
  const lines = [`**Private key**: ${key.description ?? 'algorithm unknown until decrypted'} (${key.format})`, `**Encrypted**: ${key.encrypted ? 'yes (nginx reads the passphrase from ssl_password_file)' : 'no'}`];
  if (use.pairedWith && use.keyMatches !== undefined) {
    lines.push(`**Certificate**: ${use.keyMatches ? 'matches' : '**does not match**'} ${use.pairedWith.word.value.startsWith('data:') ? 'the inline data: value' : `\`${use.pairedWith.word.value}\``}`);
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
    `**TLS to \`${site.directive.args[0]?.value ?? ''}\`** — ${verified ? 'the certificate is verified' : '**the certificate is not verified**'}`,
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
    '```nginx\n' + doc.syntax.map((s) => { const body = stripMarkup(s); return `${doc.name} ${body}${body.endsWith('}') ? '' : ';'}`; }).join('\n') + '\n```',
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
  return s.replace(/<[^>]+>/g, '').replace(/\*`?([A-Za-z_][\w.-]*)`?\*/g, '$1').replace(/`/g, '').replace(/\*\*/g, '').replace(/\\([_*[\]])/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

export type SymbolKind = 'namespace' | 'module' | 'class' | 'function' | 'variable' | 'field';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: OffsetRange;
  selection: OffsetRange;
  children: OutlineSymbol[];
}

const OUTLINE = new Map<string, SymbolKind>(Object.entries({
  http: 'namespace', stream: 'namespace', mail: 'namespace', events: 'namespace',
  server: 'class', upstream: 'module', location: 'function', map: 'variable', geo: 'variable',
  split_clients: 'variable', if: 'field', limit_except: 'field', types: 'field',
} satisfies Record<string, SymbolKind>));

/** An outline of the blocks that structure a config: http, server, location, upstream, map… */
export function outline(tree: ConfigFile): OutlineSymbol[] {
  const build = (nodes: readonly Node[], depth: number): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    if (depth > MAX_FEATURE_DEPTH) return out;
    for (const n of nodes) {
      if (n.kind !== 'directive' || !n.block) continue;
      const name = n.name.value;
      const kind = OUTLINE.get(name);
      const children = n.block.raw ? [] : build(n.block.children, depth + 1);
      if (!kind) { out.push(...children); continue; }
      out.push({
        name: symbolName(n, tree.text),
        detail: name === 'server' ? serverDetail(n) : '',
        kind,
        range: { start: n.start, end: n.end },
        selection: { start: n.name.start, end: n.args.length ? n.args[n.args.length - 1].end : n.name.end },
        children,
      });
    }
    return out;
  };
  return build(tree.children, 0);
}

/** Outline and folding stop this deep: nothing real nests further, and recursion must stay bounded. */
const MAX_FEATURE_DEPTH = 200;

function symbolName(d: Directive, text: string): string {
  const name = d.name.value;
  if (name === 'server') {
    const serverName = d.block!.children.find((c): c is Directive => c.kind === 'directive' && c.name.value === 'server_name');
    return serverName ? `server ${serverName.args.map((a) => a.value).join(' ')}` : 'server';
  }
  if (d.args.length === 0) return name;
  return `${name} ${text.slice(d.args[0].start, d.args[d.args.length - 1].end).replace(/\s+/g, ' ')}`;
}

function serverDetail(d: Directive): string {
  return d.block!.children
    .filter((c): c is Directive => c.kind === 'directive' && c.name.value === 'listen')
    .map((c) => c.args.map((a) => a.value).join(' '))
    .join(', ');
}

/** Folding: every block, and runs of two or more comment lines. */
export function foldingRanges(tree: ConfigFile): OffsetRange[] {
  const out: OffsetRange[] = [];
  const visit = (nodes: readonly Node[], depth: number): void => {
    if (depth > MAX_FEATURE_DEPTH) return;
    let commentRun: OffsetRange | undefined;
    let commentCount = 0;
    const flush = () => {
      if (commentRun && commentCount >= 2) out.push(commentRun);
      commentRun = undefined;
      commentCount = 0;
    };
    for (const n of nodes) {
      if (n.kind === 'comment') {
        const between = commentRun ? tree.text.slice(commentRun.end, n.start) : '';
        if (commentRun && /^[ \t]*\r?\n[ \t]*$/.test(between)) { commentRun.end = n.end; commentCount++; }
        else { flush(); commentRun = { start: n.start, end: n.end }; commentCount = 1; }
        continue;
      }
      flush();
      if (n.block) {
        out.push({ start: n.block.open, end: n.block.close ?? n.end });
        if (!n.block.raw) visit(n.block.children, depth + 1);
      }
    }
    flush();
  };
  visit(tree.children, 0);
  return out;
}
