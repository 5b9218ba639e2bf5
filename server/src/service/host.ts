/**
 * The service does no I/O. Whatever it needs from the file system it asks of a `ConfigHost`, which
 * the server (real files plus open editor buffers) and the tests (an in-memory map) implement.
 * Paths are absolute POSIX paths.
 */

/** Why a file could not be read. */
export type ReadFailure =
  | { kind: 'missing' }
  /** A directory, FIFO, socket or device: never read, since reading one can block or never end. */
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; message: string };

export type ReadResult = { kind: 'text'; text: string } | ReadFailure;
export type BinaryResult = { kind: 'bytes'; bytes: Uint8Array } | ReadFailure;

export interface ConfigHost {
  /** Reads a configuration file: regular files only, up to a size cap. */
  readConfig(path: string): ReadResult;
  /**
   * Reads a certificate, key or other TLS file: regular files only, at most MAX_TLS_FILE_BYTES.
   * The same bytes object is returned while the file is unchanged, so parses can be cached on it.
   */
  readBinary(path: string): BinaryResult;
  /**
   * Expands a glob (`*`, `?`, `[…]` in any segment) to the matching regular files, sorted as nginx
   * sorts them (by name). Never follows a directory more deeply than the pattern's own segments.
   */
  glob(pattern: string): string[];
  /**
   * The files called `name` in the folder of `file` and in up to `levels` folders above it that exist
   * (regular files or open buffers), nearest first: where the main configuration of a file opened
   * without it may be. The service decides what to look for; the host does the looking.
   */
  findUpward(file: string, name: string, levels: number): string[];
  /**
   * The entries of a folder (files, open buffers and folders; `directory` for folders), sorted by
   * name, at most MAX_DIRECTORY_ENTRIES; empty when it is no readable folder. For path completion.
   */
  listDirectory(folder: string): DirectoryEntry[];
}

export interface DirectoryEntry { name: string; directory: boolean }

/** Most entries listDirectory returns: a completion list longer than this helps nobody. */
export const MAX_DIRECTORY_ENTRIES = 1000;

/** `file`'s folder and up to `levels` folders above it, nearest first (POSIX paths). */
export function foldersUpward(file: string, levels: number): string[] {
  const out: string[] = [];
  let dir = file.slice(0, Math.max(file.lastIndexOf('/'), 1));
  for (let i = 0; i <= levels; i++) {
    out.push(dir);
    if (dir === '/') break;
    dir = dir.slice(0, Math.max(dir.lastIndexOf('/'), 1));
  }
  return out;
}

/** `name` in `folder`, without doubling the slash at the root. */
export function joinPath(folder: string, name: string): string {
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

/** Largest configuration file read; nginx has no limit, but an editor must stay responsive. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** Largest certificate/key file read (a CA bundle of several hundred certificates fits). */
export const MAX_TLS_FILE_BYTES = 1024 * 1024;

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** An in-memory host, for tests and for analysing a lone buffer. */
export function memoryHost(files: Record<string, string | Uint8Array>): ConfigHost {
  const encoded = new Map<string, Uint8Array>();
  const isDirectory = (path: string) => {
    const prefix = path.endsWith('/') ? path : path + '/';
    return Object.keys(files).some((f) => f.startsWith(prefix));
  };
  return {
    readConfig(path) {
      const content = files[path];
      if (content !== undefined) return { kind: 'text', text: typeof content === 'string' ? content : new TextDecoder().decode(content) };
      return isDirectory(path) ? { kind: 'not-regular', what: 'a directory' } : { kind: 'missing' };
    },
    readBinary(path) {
      const content = files[path];
      if (content === undefined) return isDirectory(path) ? { kind: 'not-regular', what: 'a directory' } : { kind: 'missing' };
      if (typeof content !== 'string') return { kind: 'bytes', bytes: content };
      if (!encoded.has(path)) encoded.set(path, new TextEncoder().encode(content));
      return { kind: 'bytes', bytes: encoded.get(path)! };
    },
    glob(pattern) {
      const re = globToRegExp(pattern);
      return Object.keys(files).filter((f) => re.test(f)).sort();
    },
    findUpward(file, name, levels) {
      return foldersUpward(file, levels).map((dir) => joinPath(dir, name)).filter((f) => files[f] !== undefined);
    },
    listDirectory(folder) {
      const prefix = folder.endsWith('/') ? folder : folder + '/';
      const entries = new Map<string, boolean>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      return [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, MAX_DIRECTORY_ENTRIES)
        .map(([name, directory]) => ({ name, directory }));
    },
  };
}

/** `*` and `?` do not cross `/`, as in glob(3). */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) { re += '\\['; continue; }
      let set = pattern.slice(i + 1, close);
      if (set.startsWith('!')) set = '^' + set.slice(1);
      re += '[' + set.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}
