/**
 * `nginx -T` dumps. `nginx -T` prints every file of a configuration it read, each as a line
 * `# configuration file /etc/nginx/nginx.conf:` followed by the file's text and one more newline
 * (nginx.c: ngx_write_stdout of the name, the buffer, NGX_LINEFEED). Saved with `2>&1`, its status
 * lines (`nginx: the configuration file … syntax is ok`) and warnings come first.
 *
 * A dump is split back into its files, which are analysed as the whole configuration through a host
 * that serves them (includes resolve to the embedded files; certificates come from the caller's host,
 * as for any configuration), and every finding is mapped back to its offset in the dump. The files
 * keep the paths nginx printed: they are virtual, and never claimed as files of the workspace. This
 * module reads dumps; the workspace (workspace.ts analyzeDump) analyses them.
 */
import { ConfigHost, globToRegExp } from '../host';
import type { OffsetRange } from './locate';

/** One file of a dump: the path nginx printed, and where its text lies in the dump. */
export interface EmbeddedFile extends OffsetRange {
  path: string;
  /** Offset of its `# configuration file …:` line. */
  marker: number;
}

export interface ConfigDump {
  /** The main configuration: the first file nginx printed. */
  main: string;
  /** In the order nginx printed them; a path printed twice keeps its first text. */
  files: EmbeddedFile[];
}

const MARKER = /^# configuration file (\/[^\r\n]*):\r?$/gm;
/** What may precede the first file: nginx's status lines and log lines (`2026/12/01 10:00:00 [warn] …`), blank lines. */
const PREAMBLE_LINE = /^(nginx: .*|\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] .*|\s*)$/;
const PREAMBLE_LINES = 50;

/**
 * The files of an `nginx -T` dump, or undefined when `text` is not one (it must start with a
 * `# configuration file /…:` line, after nginx's own status and log lines). Cheap on other texts:
 * only their first lines are looked at.
 */
export function readDump(text: string): ConfigDump | undefined {
  const at = firstMarker(text);
  if (at < 0) return undefined;
  const markers: { path: string; marker: number; start: number }[] = [];
  MARKER.lastIndex = at;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const lineEnd = m.index + m[0].length;
    markers.push({ path: m[1], marker: m.index, start: Math.min(lineEnd + 1, text.length) });
  }
  if (markers.length === 0 || markers[0].marker !== at) return undefined;
  const files: EmbeddedFile[] = [];
  const seen = new Set<string>();
  markers.forEach((m, i) => {
    // nginx ends each file with one newline of its own: the text before it is the file's.
    let end = i + 1 < markers.length ? markers[i + 1].marker : text.length;
    if (end > m.start && text[end - 1] === '\n') end -= text[end - 2] === '\r' && end - 1 > m.start ? 2 : 1;
    if (seen.has(m.path)) return;
    seen.add(m.path);
    files.push({ path: m.path, marker: m.marker, start: m.start, end: Math.max(end, m.start) });
  });
  return { main: files[0].path, files };
}

/** Whether `text` is an `nginx -T` dump, by its first lines only (readDump reads it whole). */
export function looksLikeDump(text: string): boolean {
  return firstMarker(text) >= 0;
}

/** The offset of the first `# configuration file /…:` line, after nginx's own lines; -1 when there is none. */
function firstMarker(text: string): number {
  let at = 0;
  for (let i = 0; i < PREAMBLE_LINES && at < text.length; i++) {
    if (text.startsWith('# configuration file /', at)) break;
    const newline = text.indexOf('\n', at);
    const line = text.slice(at, newline < 0 ? text.length : newline).replace(/\r$/, '');
    if (!PREAMBLE_LINE.test(line) || newline < 0) return -1;
    at = newline + 1;
  }
  return text.startsWith('# configuration file /', at) ? at : -1;
}

/** The embedded file whose text holds `offset` (its end included, where a cursor may stand). */
export function embeddedAt(dump: ConfigDump, offset: number): EmbeddedFile | undefined {
  return dump.files.find((f) => f.start <= offset && offset <= f.end);
}

/**
 * A host that serves the dump's files by the paths nginx printed (globs match among them), and
 * reads certificates and keys through `base`: they are not in a dump.
 */
export function dumpHost(dump: ConfigDump, text: string, base: ConfigHost): ConfigHost {
  const texts = new Map(dump.files.map((f) => [f.path, text.slice(f.start, f.end)]));
  return {
    readConfig: (file) => {
      const content = texts.get(file);
      return content === undefined ? { kind: 'missing' } : { kind: 'text', text: content };
    },
    readBinary: (file) => base.readBinary(file),
    // Path completion in a dump offers what the machine has: the dumped files are not folders to list.
    listDirectory: (folder) => base.listDirectory(folder),
    glob: (pattern) => {
      const re = globToRegExp(pattern);
      return [...texts.keys()].filter((f) => re.test(f)).sort();
    },
    findUpward: () => [],
  };
}

/** A range (or any record with start and end) moved by `by`. */
export function shifted<T extends OffsetRange>(range: T, by: number): T {
  return { ...range, start: range.start + by, end: range.end + by };
}
