/**
 * `nginx-ls format [--check] [--tab-size N] [--use-tabs] [paths…]`: the editor's formatter over
 * files, in place. Directories are searched as `check` searches them (nginx files only). With
 * `--check` nothing is written: the files that would change are listed, and the exit code is 1 if
 * any would. A file with syntax errors is left as it is and reported (exit 1). Exit 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_CONFIG_BYTES, formatText, parseConfig, tokenDifference } from './service/nginx';
import { filesFromArguments, isNginxPath } from './node-host';

export const FORMAT_USAGE = 'usage: nginx-ls format [--check] [--tab-size N] [--use-tabs] [paths…]';

export function formatCommand(args: readonly string[]): number {
  let check = false;
  let tabSizeText = '4';
  let insertSpaces = true;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--check') check = true;
    else if (arg === '--use-tabs') insertSpaces = false;
    else if (arg === '--tab-size') tabSizeText = args[++i] ?? '';
    else if (arg.startsWith('--tab-size=')) tabSizeText = arg.slice(11);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${FORMAT_USAGE}\n`);
      return 0;
    } else if (arg.startsWith('--')) {
      process.stderr.write(`unknown option "${arg}"\n${FORMAT_USAGE}\n`);
      return 2;
    } else inputs.push(arg);
  }
  const tabSize = Number(tabSizeText);
  if (!Number.isInteger(tabSize) || tabSize < 1 || tabSize > 16) {
    process.stderr.write(`invalid --tab-size "${tabSizeText}": a whole number from 1 to 16\n${FORMAT_USAGE}\n`);
    return 2;
  }
  const given = filesFromArguments(inputs, (f) => f.endsWith('.conf') || isNginxPath(f));
  if ('missing' in given) {
    process.stderr.write(`nginx-ls: ${given.missing}: no such file or directory\n`);
    return 2;
  }
  const files = given.files;
  let changed = 0;
  let failed = 0;
  for (const file of [...new Set(files)].sort()) {
    const result = formatFile(file, { tabSize, insertSpaces }, !check);
    if (result === 'changed') {
      changed++;
      process.stdout.write(`${relative(file)}\n`);
    } else if (result !== 'unchanged') {
      failed++;
      process.stderr.write(`${relative(file)}: ${result}\n`);
    }
  }
  const files_ = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  process.stderr.write(check
    ? `${files_(changed)} would be reformatted${failed ? `, ${files_(failed)} not formatted` : ''}\n`
    : `${files_(changed)} reformatted${failed ? `, ${files_(failed)} not formatted` : ''}\n`);
  return changed && check ? 1 : failed ? 1 : 0;
}

/** Formats one file (writing it when `write`): 'changed', 'unchanged', or why it was left alone. */
function formatFile(file: string, options: { tabSize: number; insertSpaces: boolean }, write: boolean): string {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return 'not a regular file';
    if (stat.size > MAX_CONFIG_BYTES) return `larger than ${MAX_CONFIG_BYTES} bytes`;
    bytes = fs.readFileSync(file);
  } catch (e) {
    return `cannot read: ${(e as Error).message}`;
  }
  // Text that is not UTF-8 (a koi8-r charset map) is read byte for byte: the formatter moves ASCII
  // whitespace only, so every other byte is written back as it was.
  const utf8 = bytes.toString('utf8');
  const encoding: BufferEncoding = Buffer.from(utf8, 'utf8').equals(bytes) ? 'utf8' : 'latin1';
  const text = encoding === 'utf8' ? utf8 : bytes.toString('latin1');
  const tree = parseConfig(text);
  if (tree.problems.length) {
    const problem = tree.problems[0];
    const before = text.slice(0, problem.start);
    const line = before.split('\n').length;
    const column = problem.start - before.lastIndexOf('\n');
    return `not formatted: syntax error at ${line}:${column}: ${problem.message}`;
  }
  const formatted = formatText(text, options);
  if (formatted === text) return 'unchanged';
  // The formatter's promise, checked before anything is written: the same tokens in the same order.
  const difference = tokenDifference(text, formatted);
  if (difference) return `not formatted: the formatter would change token ${difference.index} (a bug: please report it)`;
  if (write) {
    try {
      fs.writeFileSync(file, Buffer.from(formatted, encoding));
    } catch (e) {
      return `cannot write: ${(e as Error).message}`;
    }
  }
  return 'changed';
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
