/**
 * The file system as the language service sees it: real files, with the editor's open buffers laid
 * over them. Every read stats first (regular files only, size-capped) so a FIFO or a device can
 * never block the server; globs expand segment by segment, never following a directory beyond the
 * pattern, so symlink loops cannot trap them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BinaryResult, ConfigHost, DirectoryEntry, MAX_CONFIG_BYTES, MAX_DIRECTORY_ENTRIES, MAX_TLS_FILE_BYTES, ReadResult, globToRegExp, hasGlob,
} from './service/nginx';

/** How long a certificate file is trusted unchanged without a stat; file watching refreshes sooner. */
const BINARY_FRESH_MS = 10_000;
/** Missing paths remembered at most. */
const MAX_MISSING = 20_000;

/** An open editor buffer (the server's documents). */
export interface OpenBuffer {
  getText(): string;
}

export class NodeHost implements ConfigHost {
  /** Open editor buffers by path: they win over the disk. Read when analysed, not copied at each edit. */
  readonly overlay = new Map<string, OpenBuffer>();

  private readonly binaries = new Map<string, { bytes: Uint8Array; size: number; mtimeMs: number; checkedAt: number }>();
  /**
   * Certificate paths found missing, with when: trusted as long as the bytes above. A large config
   * names hundreds that exist only on the server, and a stat of each on every keystroke cost ~9 ms.
   */
  private readonly missing = new Map<string, number>();

  /** Certificates and keys: cached by path, size and mtime, so typing in a config reads nothing. */
  readBinary(file: string): BinaryResult {
    const cached = this.binaries.get(file);
    const now = Date.now();
    if (cached && now - cached.checkedAt < BINARY_FRESH_MS) return { kind: 'bytes', bytes: cached.bytes };
    const missedAt = this.missing.get(file);
    if (missedAt !== undefined && now - missedAt < BINARY_FRESH_MS) return { kind: 'missing' };
    const stat = statOf(file);
    if (!(stat instanceof fs.Stats)) {
      this.binaries.delete(file);
      if (stat.kind === 'missing') {
        // Stale entries are worthless: a long session's many paths are dropped at once rather than kept.
        if (this.missing.size >= MAX_MISSING) this.missing.clear();
        this.missing.set(file, now);
      }
      return stat;
    }
    this.missing.delete(file);
    if (!stat.isFile()) return { kind: 'not-regular', what: describeFileType(stat) };
    if (stat.size > MAX_TLS_FILE_BYTES) return { kind: 'too-large', size: stat.size };
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      cached.checkedAt = now;
      return { kind: 'bytes', bytes: cached.bytes };
    }
    try {
      const bytes = new Uint8Array(fs.readFileSync(file));
      this.binaries.set(file, { bytes, size: stat.size, mtimeMs: stat.mtimeMs, checkedAt: now });
      return { kind: 'bytes', bytes };
    } catch (e) {
      return { kind: 'error', message: (e as Error).message };
    }
  }

  /** Forget cached certificate bytes (a watched file changed). */
  invalidate(file?: string): void {
    if (file) {
      this.binaries.delete(file);
      this.missing.delete(file);
    } else {
      this.binaries.clear();
      this.missing.clear();
    }
  }

  readConfig(file: string): ReadResult {
    const open = this.overlay.get(file);
    if (open !== undefined) return { kind: 'text', text: open.getText() };
    return readRegularFile(file, MAX_CONFIG_BYTES);
  }

  /**
   * The files a pattern matches, sorted. A folder listing tells the type of what it holds, so only
   * symbolic links among the matches are stat'ed; the folders named literally before a wildcard are
   * not (listing them fails as a stat would), unless a `..` follows them, which needs them to exist.
   */
  glob(pattern: string): string[] {
    const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
    const checkLiteralFolders = segments.includes('..');
    // Matches whose type the listing gave: true for a folder or a regular file, as the next step needs.
    let bases = ['/'];
    let known = new Set<string>();
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i];
      const last = i === segments.length - 1;
      const next: string[] = [];
      const nextKnown = new Set<string>();
      for (const base of bases) {
        if (!hasGlob(segment)) {
          next.push(path.join(base, segment));
          continue;
        }
        const re = globToRegExp(segment);
        const entries = this.listFolder(base);
        if (!entries) continue;
        for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
          if (!re.test(entry.name)) continue;
          const full = path.join(base, entry.name);
          // A symbolic link is what it points to: left to a stat below.
          if (last ? entry.isFile() : entry.isDirectory()) nextKnown.add(full);
          else if (!entry.isSymbolicLink() && !(last && this.overlay.has(full))) continue;
          next.push(full);
        }
      }
      bases = last || (!hasGlob(segment) && !checkLiteralFolders) ? next : next.filter((p) => nextKnown.has(p) || isDirectory(p));
      known = nextKnown;
    }
    return bases.filter((p) => known.has(p) || isFileOrOverlay(p, this.overlay)).sort();
  }

  /** What a folder holds, for `glob`; undefined when it cannot be listed. */
  protected listFolder(folder: string): readonly fs.Dirent[] | undefined {
    try { return fs.readdirSync(folder, { withFileTypes: true }); } catch { return undefined; }
  }

  /** A stat per folder, at most `levels + 1` of them: cheap enough to ask on every analysis of a lone file. */
  findUpward(file: string, name: string, levels: number): string[] {
    const found: string[] = [];
    let dir = path.dirname(file);
    for (let i = 0; i <= levels; i++) {
      const candidate = path.join(dir, name);
      if (this.isFileOrOpen(candidate)) found.push(candidate);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return found;
  }

  /** Whether `p` is a regular file or an open buffer (`nginx-ls check`, which has none, remembers the answers). */
  protected isFileOrOpen(p: string): boolean {
    return isFileOrOverlay(p, this.overlay);
  }

  listDirectory(folder: string): DirectoryEntry[] {
    folder = path.resolve(folder); // no trailing slash, to compare with the open buffers' folders
    const entries = new Map<string, boolean>();
    let names: fs.Dirent[] = [];
    try { names = fs.readdirSync(folder, { withFileTypes: true }); } catch { /* no readable folder: only open buffers */ }
    for (const e of names) {
      if (entries.size >= MAX_DIRECTORY_ENTRIES) break;
      // A symbolic link is listed as what it points to (conf.d/site.conf -> ../sites-available/site.conf).
      const directory = e.isDirectory() || (e.isSymbolicLink() && isDirectory(path.join(folder, e.name)));
      if (directory || e.isFile() || e.isSymbolicLink()) entries.set(e.name, directory);
    }
    for (const open of this.overlay.keys()) if (path.dirname(open) === folder) entries.set(path.basename(open), false);
    return [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, MAX_DIRECTORY_ENTRIES)
      .map(([name, directory]) => ({ name, directory }));
  }
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function isFileOrOverlay(p: string, overlay: ReadonlyMap<string, OpenBuffer>): boolean {
  if (overlay.has(p)) return true;
  const stat = statOf(p);
  return stat instanceof fs.Stats && stat.isFile();
}

/** Reads a regular file of at most `cap` bytes as UTF-8 (invalid bytes become U+FFFD). */
export function readRegularFile(file: string, cap: number): ReadResult {
  const stat = statOf(file);
  if (!(stat instanceof fs.Stats)) return stat;
  if (!stat.isFile()) return { kind: 'not-regular', what: describeFileType(stat) };
  if (stat.size > cap) return { kind: 'too-large', size: stat.size };
  try {
    return { kind: 'text', text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
}

/**
 * A file's stat, or why there is none. A missing file is the common case (certificate paths of the
 * server that are not in the workspace), and an exception for each costs three times the stat.
 */
function statOf(file: string): fs.Stats | { kind: 'missing' } | { kind: 'error'; message: string } {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) ?? { kind: 'missing' };
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'error', message: String((e as Error).message) };
  }
}

function describeFileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const NGINX_DIRS = /(^|\/)(nginx|conf\.d|sites-available|sites-enabled|snippets)\//;

/** Whether a path looks like an nginx config (the same rule as the client's language association). */
export function isNginxPath(file: string): boolean {
  const base = path.basename(file);
  if (base === 'nginx.conf' || base.endsWith('.nginx')) return true;
  if (NGINX_DIRS.test(file) && (base.endsWith('.conf') || /(^|\/)sites-(available|enabled)\//.test(file))) return true;
  return false;
}

/** YAML files: candidates for Ingress and Secret manifests. */
export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/**
 * The files the command line names: each file as given, each folder as the files under it that `accept`
 * takes (the current folder when none is named), all as absolute paths; or the first input that does not exist.
 * `listings`, when given, receives what each folder walked holds (see `findConfigFiles`).
 */
export function filesFromArguments(
  inputs: readonly string[], accept: (file: string) => boolean, listings?: Map<string, fs.Dirent[]>,
): { files: string[] } | { missing: string } {
  const files: string[] = [];
  for (const input of inputs.length ? inputs : ['.']) {
    const full = path.resolve(input);
    let stat: fs.Stats;
    try { stat = fs.statSync(full); } catch { return { missing: input }; }
    if (stat.isDirectory()) files.push(...findConfigFiles([full], 20000, accept, listings));
    else files.push(full);
  }
  return { files };
}

/**
 * Finds candidate nginx files under `roots`: `.conf` files and names the client associates with
 * nginx. Bounded in count and depth; skips dependency and VCS folders; does not follow symlinks.
 * `listings`, when given, receives each folder's entries as read: `nginx-ls check` expands include
 * globs from them instead of listing the same folders again (a thousand `conf.d/*.conf` in a tree).
 */
export function findConfigFiles(
  roots: readonly string[], limit = 5000, accept: (file: string) => boolean = (f) => f.endsWith('.conf') || isNginxPath(f),
  listings?: Map<string, fs.Dirent[]>,
): string[] {
  const out: string[] = [];
  const skip = new Set(['node_modules', '.git', '.vscode-test', 'dist', '.hg', '.svn']);
  const visit = (dir: string, depth: number): void => {
    if (depth > 12 || out.length >= limit) return;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    listings?.set(dir, entries);
    for (const e of entries) {
      if (out.length >= limit) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) { if (!skip.has(e.name)) visit(full, depth + 1); }
      else if (e.isFile() && accept(full)) out.push(full);
    }
  };
  for (const root of roots) visit(root, 0);
  return out;
}
