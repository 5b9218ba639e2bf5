/**
 * Quick fixes, computed afresh from a document's text and one diagnostic (its code, offsets and
 * data), so they work whichever analysis produced the diagnostic.
 */
import { parseConfig } from './analyze';
import { findAt } from './features';
import { Directive } from './syntax';
import { DiagnosticRef, QuickFix, TextEdit } from '../family';

/** The CA bundle Debian, Ubuntu and Alpine install (ca-certificates). */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PRIVATE_CA_PLACEHOLDER = '/etc/nginx/certs/upstream-ca.pem';

export function quickFixes(text: string, diagnostic: DiagnosticRef): QuickFix[] {
  const tree = parseConfig(text);
  const hit = findAt(tree.children, diagnostic.start);
  if (!hit) return [];
  const { directive, parents } = hit;
  switch (diagnostic.code) {
    case 'tls-upstream-unverified': return fixUnverified(text, directive, parents, diagnostic);
    case 'tls-verify-without-trusted-ca': {
      const family = familyOf(directive);
      const fix = insertSettings(text, directive, parents, [[`${family}_ssl_trusted_certificate`, SYSTEM_CA_BUNDLE]]);
      return fix ? [{ title: `Trust the system CA bundle (${family}_ssl_trusted_certificate)`, edits: fix, isPreferred: true }] : [];
    }
    case 'tls-upstream-no-sni': {
      const family = familyOf(directive);
      const fix = insertSettings(text, directive, parents, [[`${family}_ssl_server_name`, 'on']]);
      return fix ? [{ title: `Send SNI (${family}_ssl_server_name on)`, edits: fix, isPreferred: true }] : [];
    }
    case 'tls-legacy-protocol': {
      const first = directive.args[0];
      const last = directive.args[directive.args.length - 1];
      return [{ title: 'Use TLSv1.2 and TLSv1.3 only', edits: [{ start: first.start, end: last.end, newText: 'TLSv1.2 TLSv1.3' }], isPreferred: true }];
    }
    case 'unknown-directive': {
      const suggestion = diagnostic.data?.suggestion;
      if (typeof suggestion !== 'string') return [];
      return [{ title: `Change to "${suggestion}"`, edits: [{ start: directive.name.start, end: directive.name.end, newText: suggestion }], isPreferred: true }];
    }
  }
  return [];
}

/** `proxy`, `grpc` or `uwsgi`: the directive family of a pass directive. */
function familyOf(pass: Directive): string {
  return pass.name.value.replace(/_pass$/, '');
}

function fixUnverified(text: string, pass: Directive, parents: Directive[], diagnostic: DiagnosticRef): QuickFix[] {
  const family = familyOf(pass);
  const p = `${family}_ssl_`;
  const fixes: QuickFix[] = [];
  const system = insertSettings(text, pass, parents, [[`${p}verify`, 'on'], [`${p}trusted_certificate`, SYSTEM_CA_BUNDLE], [`${p}server_name`, 'on']]);
  if (system) fixes.push({ title: `Verify ${pass.args[0]?.value ?? 'the upstream'} with the system CA bundle`, edits: system, isPreferred: true });
  const privateCa = insertSettings(text, pass, parents, [[`${p}verify`, 'on'], [`${p}trusted_certificate`, PRIVATE_CA_PLACEHOLDER], [`${p}server_name`, 'on']]);
  const privateSnippet = insertSettings(text, pass, parents, [[`${p}verify`, 'on'], [`${p}trusted_certificate`, `\${1:${PRIVATE_CA_PLACEHOLDER}}`], [`${p}server_name`, 'on']]);
  if (privateCa) fixes.push({ title: `Verify ${pass.args[0]?.value ?? 'the upstream'} with a private CA (fill in its path)`, edits: privateCa, snippetEdits: privateSnippet });

  // Where "…_ssl_verify off" is written out in this document, offer to turn that one on.
  const offAt = diagnostic.data?.offAt as { file: string; start: number; end: number } | undefined;
  if (offAt?.file === 'same') {
    const off = findAt(parseConfig(text).children, offAt.start);
    if (off && off.directive.name.value === `${p}verify` && off.directive.args[0]) {
      const arg = off.directive.args[0];
      const edits: TextEdit[] = [{ start: arg.start, end: arg.end, newText: 'on' }];
      const trustedAbove = [...off.parents, undefined].some((block) => children(block, text).some((d) => d.name.value === `${p}trusted_certificate`));
      if (!trustedAbove) {
        const indent = lineIndent(text, off.directive.start);
        edits.push({ start: off.directive.end, end: off.directive.end, newText: `\n${indent}${p}trusted_certificate ${SYSTEM_CA_BUNDLE};` });
      }
      fixes.push({ title: `Change "${p}verify off" to on`, edits });
    }
  }
  return fixes;
}

/** The directives directly inside a block (or at the top of the file for undefined). */
function children(block: Directive | undefined, text: string): Directive[] {
  const nodes = block ? block.block?.children ?? [] : parseConfig(text).children;
  return nodes.filter((n): n is Directive => n.kind === 'directive');
}

/**
 * Puts `name value;` lines into the block that holds `anchor` (the nearest location or server:
 * TLS settings are not allowed inside `if` or `limit_except`). A setting the block already has is
 * changed in place instead of repeated, which nginx would refuse.
 */
function insertSettings(text: string, anchor: Directive, parents: Directive[], settings: [string, string][]): TextEdit[] | undefined {
  let index = parents.length - 1;
  while (index >= 0 && !['location', 'server'].includes(parents[index].name.value)) index--;
  const block = index >= 0 ? parents[index] : undefined;
  const siblings = block ? children(block, text) : parseConfig(text).children.filter((n): n is Directive => n.kind === 'directive');
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  for (const [name, value] of settings) {
    const existing = siblings.find((d) => d.name.value === name);
    if (!existing) { lines.push(`${name} ${value};`); continue; }
    if (name.endsWith('_trusted_certificate')) continue; // keep the CA the user chose
    const first = existing.args[0];
    const last = existing.args[existing.args.length - 1];
    if (first && first.value !== value) edits.push({ start: first.start, end: last.end, newText: value });
  }
  if (lines.length) {
    const directChild = siblings.includes(anchor);
    const at = afterLineTail(text, directChild ? anchor.end : block ? block.block!.open + 1 : anchor.end);
    const indent = directChild || !block ? lineIndent(text, anchor.start) : childIndent(text, block);
    edits.push({ start: at, end: at, newText: lines.map((l) => `\n${indent}${l}`).join('') });
  }
  return edits.length ? edits : undefined;
}

/** Past a trailing comment on the same line, so inserted lines do not steal it. */
function afterLineTail(text: string, offset: number): number {
  const m = /^[ \t]*(#[^\n]*)?/.exec(text.slice(offset, offset + 4096))!;
  return m[1] ? offset + m[0].replace(/\r$/, '').length : offset;
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

function childIndent(text: string, block: Directive): string {
  const first = block.block!.children.find((n) => n.kind === 'directive');
  if (first && text.lastIndexOf('\n', first.start) > block.block!.open) return lineIndent(text, first.start);
  const own = lineIndent(text, block.start);
  return own + (own.includes('\t') ? '\t' : '    ');
}
