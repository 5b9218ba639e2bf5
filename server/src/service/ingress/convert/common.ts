/**
 * What both conversions share: the options and result types, the losses (annotations that cannot be
 * carried over, with the reason), the CA certificates read from workspace Secrets, and how
 * ingress-nginx's rewrite and redirect annotations behave (read once here, mapped by each target).
 */
import type { SecretManifest } from '../context';
import { ANNOTATION_PREFIX } from '../annotations';
import type { YamlDocument } from './yaml-text';
import { IngressModel, nginxAnnotation, secretRef } from './model';

export type ConversionTarget = 'gateway-api' | 'f5';

export interface ConvertOptions {
  /** Secrets of the workspace by "namespace/name" (ManifestWorkspace.secrets()). */
  secrets?: ReadonlyMap<string, SecretManifest>;
  /** Service ports of the workspace by "namespace/name" (ManifestWorkspace.services()): a named port's number. */
  services?: ReadonlyMap<string, ServicePorts>;
  /**
   * Gateway API: attach the routes to this existing, shared Gateway and give its listeners and TLS
   * settings as a fragment to merge (in comments), rather than a new Gateway of the Ingress' own.
   */
  sharedGateway?: { namespace: string; name: string };
  /** The file the Ingress came from, named in the header comment. */
  source?: string;
}

export interface ServicePorts {
  ports: { name?: string; port: number }[];
}

/** An annotation that cannot be carried over to the target, and why. */
export interface ConversionLoss {
  /** The full annotation key. */
  annotation: string;
  reason: string;
  /** The target cannot express it (a diagnostic says so), rather than nginx-ls not converting it (a comment only). */
  inexpressible: boolean;
}

export interface Conversion {
  target: ConversionTarget;
  documents: YamlDocument[];
  losses: ConversionLoss[];
}

/** Collects losses and the notes that go with them into the output. */
export class LossLog {
  readonly losses: ConversionLoss[] = [];
  constructor(private readonly model: IngressModel) {}
  /** `name` is an ingress-nginx annotation's short name, or a full key. */
  lose(name: string, reason: string, inexpressible = true): string {
    const annotation = name.includes('/') ? name : ANNOTATION_PREFIX + name;
    if (!this.losses.some((l) => l.annotation === annotation && l.reason === reason)) this.losses.push({ annotation, reason, inexpressible });
    return `NOT CARRIED OVER: ${annotation.slice(annotation.startsWith(ANNOTATION_PREFIX) ? ANNOTATION_PREFIX.length : 0)}: ${reason}`;
  }
  has(name: string): boolean {
    return this.model.annotations.has(name.includes('/') ? name : ANNOTATION_PREFIX + name);
  }
}

/** The CA bundle a Secret reference leads to, when that Secret is in the workspace with a ca.crt. */
export function caFromSecret(value: string, namespace: string, options: ConvertOptions):
{ ref: { namespace: string; name: string }; secret?: SecretManifest; pem?: string } {
  const ref = secretRef(value, namespace);
  const secret = options.secrets?.get(`${ref.namespace}/${ref.name}`);
  const pem = secret?.caCrt && new TextDecoder().decode(secret.caCrt);
  return { ref, ...(secret && { secret }), ...(pem && { pem: pem.endsWith('\n') ? pem : pem + '\n' }) };
}

/** The number of a Service port given by name, from the Service's manifest in the workspace. */
export function portNumber(options: ConvertOptions, namespace: string, service: string, portName: string): number | undefined {
  return options.services?.get(`${namespace}/${service}`)?.ports.find((p) => p.name === portName)?.port;
}

/** ingress-nginx's client-certificate verification mode; "on" unless auth-tls-verify-client says otherwise. */
export function verifyClientMode(model: IngressModel): 'on' | 'off' | 'optional' | 'optional_no_ca' {
  const value = nginxAnnotation(model, 'auth-tls-verify-client')?.trim();
  return value === 'off' || value === 'optional' || value === 'optional_no_ca' ? value : 'on';
}

/** Whether ingress-nginx reads a path as a regular expression (use-regex, or rewrite-target which implies it). */
export function regexPaths(model: IngressModel): boolean {
  return nginxAnnotation(model, 'use-regex') === 'true' || nginxAnnotation(model, 'rewrite-target') !== undefined;
}

export const hasRegex = (path: string): boolean => /[\\^$.*+?()[\]{}|]/.test(path);

/**
 * What ingress-nginx's `rewrite "(?i)<path>" <target> break;` does, as a Gateway API URL rewrite:
 * - no capture in the target: the whole path is replaced (ReplaceFullPath);
 * - a literal prefix followed by one capture of the rest (`/api(/|$)(.*)` with `/$2`, `/api/(.*)`
 *   with `/v2/$1`, `/api(/.*)` with `$1`): the prefix is replaced (PathPrefix + ReplacePrefixMatch);
 * - anything else has no Gateway API form (URLRewrite takes no captures).
 */
export type RewritePlan =
  | { kind: 'full'; path: string }
  | { kind: 'prefix'; match: string; replacement: string }
  | { kind: 'unsupported'; reason: string };

export function planRewrite(path: string, target: string): RewritePlan {
  const captures = [...target.matchAll(/\$(\d)/g)];
  if (/\$(?!\d)/.test(target)) return { kind: 'unsupported', reason: `the target "${target}" uses an nginx variable` };
  if (captures.length === 0) return { kind: 'full', path: target };
  const unsupported = { kind: 'unsupported', reason: `"${target}" takes capture groups from the path "${path}", `
    + 'and URLRewrite has no captures; only a literal prefix followed by one group for the rest converts' } as const;
  if (captures.length > 1 || !target.endsWith(captures[0][0])) return unsupported;
  const replacementBase = target.slice(0, -captures[0][0].length);
  const group = Number(captures[0][1]);
  const body = path.replace(/^\^/, '');
  const literal = /^\/[A-Za-z0-9_\-/~%]*/.exec(body)?.[0] ?? '';
  const rest = body.slice(literal.length).replace(/\$$/, '');
  // Which group holds the rest of the path, and whether it starts with the slash.
  const shapes: { pattern: string; group: number; withSlash: boolean; literalEndsWithSlash: boolean }[] = [
    { pattern: '(/|$)(.*)', group: 2, withSlash: false, literalEndsWithSlash: false },
    { pattern: '(/.*)', group: 1, withSlash: true, literalEndsWithSlash: false },
    { pattern: '(.*)', group: 1, withSlash: false, literalEndsWithSlash: true },
  ];
  const shape = shapes.find((s) => s.pattern === rest && s.group === group && literal.endsWith('/') === s.literalEndsWithSlash);
  if (!literal || !shape) return unsupported;
  const match = literal.length > 1 ? literal.replace(/\/$/, '') : '/';
  if (shape.withSlash) {
    if (replacementBase.endsWith('/')) return unsupported;
    return { kind: 'prefix', match, replacement: replacementBase || '/' };
  }
  if (!replacementBase.endsWith('/')) return unsupported;
  return { kind: 'prefix', match, replacement: replacementBase === '/' ? '/' : replacementBase.slice(0, -1) };
}

/** permanent-redirect / temporal-redirect as ingress-nginx applies them: temporal first, each with its code annotation. */
export function redirectOf(model: IngressModel): { annotation: string; url: string; code: number; ignored?: string } | undefined {
  const temporal = nginxAnnotation(model, 'temporal-redirect');
  const permanent = nginxAnnotation(model, 'permanent-redirect');
  const code = (name: string, fallback: number) => {
    const value = Number(nginxAnnotation(model, name));
    return Number.isInteger(value) && value >= 300 && value < 400 ? value : fallback;
  };
  if (temporal) {
    return { annotation: 'temporal-redirect', url: temporal, code: code('temporal-redirect-code', 302),
      ...(permanent && { ignored: 'permanent-redirect' }) };
  }
  if (permanent) return { annotation: 'permanent-redirect', url: permanent, code: code('permanent-redirect-code', 301) };
  return undefined;
}

/** A redirect URL as its parts; a reason when it holds what a RequestRedirect cannot say. */
export function redirectParts(url: string):
{ scheme?: string; hostname?: string; port?: number; path: string } | { unsupported: string } {
  if (url.includes('$')) return { unsupported: `"${url}" uses an nginx variable` };
  if (url.startsWith('/')) {
    if (/[?#]/.test(url)) return { unsupported: `"${url}" has a query or fragment, which RequestRedirect cannot set` };
    return { path: url };
  }
  let parsed: URL;
  try { parsed = new URL(url); } catch { return { unsupported: `"${url}" is not a URL` }; }
  if (parsed.search || parsed.hash) return { unsupported: `"${url}" has a query or fragment, which RequestRedirect cannot set` };
  if (parsed.username || parsed.password) return { unsupported: `"${url}" has credentials` };
  return {
    scheme: parsed.protocol.replace(/:$/, ''), hostname: parsed.hostname, ...(parsed.port && { port: Number(parsed.port) }),
    path: parsed.pathname || '/',
  };
}

/** The header comment of a conversion's output. */
export function headerComments(model: IngressModel, targetName: string, options: ConvertOptions): string[] {
  const from = options.source ? ` (${options.source})` : '';
  return [`Converted by nginx-ls from Ingress ${model.namespace}/${model.name}${from} to ${targetName}.`,
    'Lines starting "NOT CARRIED OVER" name what the target cannot express; review them before applying.'];
}
