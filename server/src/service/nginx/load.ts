/**
 * Loading a configuration the way nginx does: files read through the host, parsed once (a parse is
 * reused while the text is unchanged), include patterns resolved against the configuration prefix
 * and expanded like nginx's glob. The walk (walk.ts) drives it; rules never load anything.
 */
import * as path from 'node:path/posix';
import { ConfigHost, hasGlob } from '../host';
import { ContextKey, allowedIn, argCountFits, contextsInside, directiveVariants } from './knowledge';
import { ConfigFile, parse } from './syntax';

/** Contexts for a file that no configuration includes: anything that may stand at any level. */
export const PERMISSIVE_CONTEXTS: readonly ContextKey[] = [
  'main', 'http', 'http>server', 'http>location', 'stream', 'stream>server', 'mail', 'mail>server', 'events',
];

const MAGIC_CONTEXT = /^#\s*nginx-ls:\s*context\s*=\s*([a-z>]+)/m;

/** The contexts named by a `# nginx-ls: context=http` comment, if the file has one. */
export function declaredContexts(text: string): ContextKey[] | undefined {
  const match = MAGIC_CONTEXT.exec(text.slice(0, 4096));
  if (!match) return undefined;
  const name = match[1];
  const map: Record<string, string> = { server: 'http>server', location: 'http>location', upstream: 'http>upstream' };
  return [map[name] ?? name];
}

/** Parses configuration text, recovering from a forgotten `;` before a line that reads as a directive. */
export function parseConfig(text: string): ConfigFile {
  return parse(text, { isDirectiveName: (name) => directiveVariants(name) !== undefined, statementFits });
}

/**
 * Whether some variant of a known directive takes these arguments, ended this way, inside a block of
 * this name (see ParseOptions). At a file's top level any context fits: an included file may land anywhere.
 */
function statementFits(name: string, args: readonly string[], block: boolean | undefined, enclosingBlock: string | undefined): boolean {
  const contexts = enclosingBlock === undefined ? [] : contextsInside(enclosingBlock);
  for (const variant of directiveVariants(name) ?? []) {
    if (block !== undefined && variant.block !== block) continue;
    // `server_name example.com` continued by a line `server`: no server directive stands in a server.
    if (contexts.length > 0 && !contexts.some((c) => allowedIn(variant, c))) continue;
    if (!argCountFits(variant, args.length)) continue;
    // An on|off directive takes nothing else: `gzip flush=5m` is no gzip directive.
    if (variant.args.includes('flag') && variant.args.length === 1 && !/^(on|off)$/i.test(args[0])) continue;
    return true;
  }
  return false;
}

/** A file loaded for the first time (its parse problems are still to be reported), or again. */
export type Loaded = { tree: ConfigFile; first: boolean } | { failure: string };

/** The files of one configuration, each read and parsed once. */
export class ConfigLoader {
  readonly files = new Map<string, ConfigFile>();

  /**
   * @param prefix relative include and certificate paths resolve against it (the main file's folder)
   * @param cache parsed files from earlier runs, reused when their text is unchanged (owned by the caller)
   */
  constructor(private readonly host: ConfigHost, readonly prefix: string, private readonly cache: Map<string, ConfigFile> | undefined) {}

  load(file: string): Loaded {
    const known = this.files.get(file);
    if (known) return { tree: known, first: false };
    const read = this.host.readConfig(file);
    switch (read.kind) {
      case 'text': {
        const cached = this.cache?.get(file);
        const tree = cached && cached.text === read.text ? cached : parseConfig(read.text);
        this.cache?.set(file, tree);
        this.files.set(file, tree);
        return { tree, first: true };
      }
      case 'missing': return { failure: 'no such file' };
      case 'not-regular': return { failure: `it is ${read.what}, not a regular file` };
      case 'too-large': return { failure: `it is too large to read (${read.size} bytes)` };
      case 'error': return { failure: read.message };
    }
  }

  /** The files an include pattern names: one path, or every match of a glob (which may be none). */
  includeTargets(pattern: string): string[] {
    const target = path.resolve(this.prefix, pattern);
    return hasGlob(target) ? this.host.glob(target) : [target];
  }
}
