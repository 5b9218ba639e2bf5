/**
 * YAML text written by hand rather than by a library's stringifier, so that key order, quoting and
 * comments are ours and the same on every run. Values are plain JavaScript (objects keep insertion
 * order); `noted(value, …lines)` puts comment lines above a map entry or a sequence item.
 */

const NOTE = Symbol('note');

/** A value with comment lines to print above it. */
export interface Noted {
  [NOTE]: string[];
  value: YamlValue;
}

export type YamlValue = string | number | boolean | null | undefined | Noted | YamlValue[] | { [key: string]: YamlValue };

/** The value, printed with `lines` as comments above its key (or its `- `). */
export function noted(value: YamlValue, ...lines: string[]): Noted {
  return { [NOTE]: lines.flatMap((l) => l.split('\n')), value };
}

function isNoted(value: unknown): value is Noted {
  return typeof value === 'object' && value !== null && NOTE in value;
}

/** One YAML document: comment lines first, then the body (undefined: a document of comments only). */
export interface YamlDocument {
  comments: string[];
  body?: { [key: string]: YamlValue };
}

/** Scalars YAML 1.1 or 1.2 would read as something other than a string (true, on, 1e3, null, 0x1f, …). */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d+:\d+(?::\d+)*)$/;
const PLAIN_SAFE = /^[A-Za-z0-9_./(][^\n]*$/;

/** A string as a YAML scalar on one line: plain when nothing can misread it, else double-quoted (JSON escapes are YAML escapes). */
export function scalarText(value: string): string {
  const plain = value !== '' && PLAIN_SAFE.test(value) && !NOT_A_STRING.test(value) && !/[:#]\s|\s#|:$|\s$|[{}[\],&*!|>'"%@`\t]/.test(value)
    && !value.includes(': ');
  return plain ? value : JSON.stringify(value);
}

/** Comment lines wrapped at word boundaries to stay within COMMENT_WIDTH columns (a longer word stays whole). */
const COMMENT_WIDTH = 120;

function commentLines(lines: string[], indent: string): string {
  let out = '';
  for (const line of lines) {
    if (line === '') { out += `${indent}#\n`; continue; }
    // Indented lines (YAML kept in a comment) are kept as they are.
    if (line.startsWith(' ')) { out += `${indent}# ${line}\n`; continue; }
    let current = '';
    for (const word of line.split(' ')) {
      if (current && indent.length + 2 + current.length + 1 + word.length > COMMENT_WIDTH) {
        out += `${indent}# ${current}\n`;
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    out += `${indent}# ${current}\n`;
  }
  return out;
}

function isEmptyCollection(value: YamlValue): boolean {
  return Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && !isNoted(value)
    && Object.values(value).every((v) => v === undefined);
}

/** Text after `key:` or `- ` for a value that fits on the line; undefined for a nested collection or a block scalar. */
function inline(value: YamlValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.includes('\n') ? undefined : scalarText(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return isEmptyCollection(value) ? '{}' : undefined;
}

/** A multi-line string as a literal block scalar, or quoted when its spacing would not survive one. */
function blockScalar(value: string, indent: string): string {
  const body = value.replace(/\n$/, '');
  if (/\n\n$/.test(value) || /^\s/.test(body) || /[ \t]\n|[ \t]$/.test(body)) return ` ${JSON.stringify(value)}\n`;
  const chomp = value.endsWith('\n') ? '' : '-';
  return ` |${chomp}\n${body.split('\n').map((l) => (l === '' ? '\n' : `${indent}${l}\n`)).join('')}`;
}

function mapText(map: { [key: string]: YamlValue }, indent: string): string {
  let out = '';
  for (const [key, raw] of Object.entries(map)) {
    if (raw === undefined) continue;
    const { value, notes } = unwrap(raw);
    out += commentLines(notes, indent) + `${indent}${scalarText(key)}:` + valueText(value, indent, indent + '  ');
  }
  return out;
}

function seqText(items: YamlValue[], indent: string): string {
  let out = '';
  for (const raw of items) {
    const { value, notes } = unwrap(raw);
    out += commentLines(notes, indent);
    const one = inline(value);
    if (one !== undefined) { out += `${indent}- ${one}\n`; continue; }
    if (typeof value === 'string') { out += `${indent}-${blockScalar(value, indent + '  ')}`; continue; }
    // A map's first entry shares the line of its "- ".
    const nested = Array.isArray(value) ? seqText(value, indent + '  ') : mapText(value as { [key: string]: YamlValue }, indent + '  ');
    out += `${indent}- ${nested.slice(indent.length + 2)}`;
  }
  return out;
}

function valueText(value: YamlValue, indent: string, childIndent: string): string {
  const one = inline(value);
  if (one !== undefined) return ` ${one}\n`;
  if (typeof value === 'string') return blockScalar(value, childIndent);
  // Sequences under a key are not indented further, as kubectl prints them.
  if (Array.isArray(value)) return `\n${seqText(value, indent)}`;
  return `\n${mapText(value as { [key: string]: YamlValue }, childIndent)}`;
}

function unwrap(raw: YamlValue): { value: YamlValue; notes: string[] } {
  const notes: string[] = [];
  let value = raw;
  while (isNoted(value)) { notes.push(...value[NOTE]); value = value.value; }
  return { value, notes };
}

/** Documents as one YAML stream, separated by `---`. */
export function yamlStream(documents: readonly YamlDocument[]): string {
  return documents.map((d) => commentLines(d.comments, '') + (d.body ? mapText(d.body, '') : '')).join('---\n');
}

/** Each line of `text` as a comment line (for YAML kept in a comment, such as a fragment to merge by hand). */
export function asCommentBlock(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}
