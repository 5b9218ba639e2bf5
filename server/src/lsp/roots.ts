/**
 * The workspace folders a client names in `initialize`, as absolute paths. Clients send what they
 * like: no root at all (a file opened alone), the file's own folder (Neovim's per-file `root_dir`),
 * or a URI that names no usable folder (`file://main/examples`, where "main" would be a host). An
 * unusable one is skipped with a log line: roots only seed the candidate files, and the main config
 * of a file opened later is found from the file itself (ConfigWorkspace.mainOf looks upward).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InitializeParams } from 'vscode-languageserver/node';

export function workspaceRootsOf(params: InitializeParams, log: (message: string) => void): string[] {
  const uris = [...(params.workspaceFolders ?? []).map((f) => f.uri), ...(params.rootUri ? [params.rootUri] : [])];
  const roots: string[] = [];
  for (const uri of uris) {
    const root = absoluteFolderOf(uri);
    if (root) roots.push(root);
    else log(`ignoring the workspace root ${JSON.stringify(uri)}: not a file URI of an absolute path`);
  }
  // rootPath is deprecated, but an older client may send nothing else.
  const rootPath = params.rootPath;
  if (uris.length === 0 && typeof rootPath === 'string' && path.isAbsolute(rootPath)) roots.push(path.resolve(rootPath));
  return [...new Set(roots)];
}

function absoluteFolderOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    const folder = fileURLToPath(uri);
    return path.isAbsolute(folder) ? folder : undefined;
  } catch {
    // fileURLToPath throws for a host other than localhost ("file://main/examples") and for encoded slashes.
    return undefined;
  }
}
