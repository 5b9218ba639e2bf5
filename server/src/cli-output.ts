/**
 * What `nginx-ls check` prints, in text, JSON or SARIF: each file's part made on its own (in the
 * thread that checked it, with `--jobs`), then the parts put together in path order. The result is
 * the text `JSON.stringify(…, null, 2)` gives for the whole list, byte for byte.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { RULES, type Rule, ruleDocsUrl } from './service/nginx';
import { SEVERITY_NAME } from './lsp/convert';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface FileReport {
  file: string;
  diagnostics: Diagnostic[];
  /** How many findings suppression comments hid in this file. */
  suppressed: number;
}

/** A file's part of the output, and what the summary and the exit code need of it. */
export interface ReportPart {
  file: string;
  /** Text: its lines; JSON and SARIF: its entries of the list, indented and separated as in the whole. */
  text: string;
  findings: number;
  suppressed: number;
  /** The most severe finding's LSP severity (1 = error); 5 when there is none. */
  worst: number;
}

const SARIF_LEVEL = { 1: 'error', 2: 'warning', 3: 'note', 4: 'note' } as const;
/** Depth of the results list inside the SARIF document (root → runs → run → results → entry). */
const SARIF_RESULT_INDENT = '        ';
/** Stands for the results in the SARIF document while the rest of it is stringified. */
const RESULTS_HOLE = 'nginx-ls:results';

export function reportPart(report: FileReport, format: OutputFormat): ReportPart {
  const { file, diagnostics } = report;
  let text: string;
  if (format === 'text') {
    text = diagnostics.map((d) => `${relative(file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: `
      + `${SEVERITY_NAME[d.severity!]} [${d.code}] ${d.message}\n`).join('');
  } else if (format === 'json') {
    text = diagnostics.map((d) => indented({
      file, range: d.range, severity: SEVERITY_NAME[d.severity!], code: d.code, message: d.message,
    }, '  ')).join(',\n');
  } else {
    const uri = path.relative(process.cwd(), file).split(path.sep).join('/');
    text = diagnostics.map((d) => indented({
      ruleId: String(d.code),
      level: SARIF_LEVEL[d.severity as 1 | 2 | 3 | 4],
      message: { text: d.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri },
          region: {
            startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1,
            endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
          },
        },
      }],
    }, SARIF_RESULT_INDENT)).join(',\n');
  }
  const worst = Math.min(5, ...diagnostics.map((d) => d.severity ?? 5));
  return { file, text, findings: diagnostics.length, suppressed: report.suppressed, worst };
}

/** The whole output from the files' parts, in the order given. */
export function composeOutput(parts: readonly ReportPart[], format: OutputFormat): string {
  const entries = parts.filter((p) => p.text !== '').map((p) => p.text);
  if (format === 'text') {
    const count = parts.reduce((n, p) => n + p.findings, 0);
    const suppressed = parts.reduce((n, p) => n + p.suppressed, 0);
    return `${entries.join('')}${count} finding${count === 1 ? '' : 's'} in ${parts.length} file${parts.length === 1 ? '' : 's'}`
      + `${suppressed ? ` (${suppressed} suppressed by "# nginx-ls: ignore" comments; --no-suppress shows them)` : ''}\n`;
  }
  if (format === 'json') return entries.length ? `[\n${entries.join(',\n')}\n]\n` : '[]\n';
  const sarif = JSON.stringify(sarifDocument(entries.length ? [RESULTS_HOLE] : []), null, 2);
  return `${entries.length ? sarif.replace(`${SARIF_RESULT_INDENT}"${RESULTS_HOLE}"`, () => entries.join(',\n')) : sarif}\n`;
}

function sarifDocument(results: unknown[]): unknown {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'nginx-ls',
          informationUri: 'https://github.com/nginx-ls/nginx-ls',
          rules: (RULES as readonly Rule[]).map((r) => ({
            id: r.id, shortDescription: { text: r.description }, helpUri: ruleDocsUrl(r.id),
            defaultConfiguration: {
              level: r.severity === 'error' ? 'error' : r.severity === 'warning' ? 'warning' : 'note',
              // Rules off by default (nginx-ls.rules / --rule turn them on).
              ...(r.defaultOff ? { enabled: false } : {}),
            },
          })),
        },
      },
      results,
    }],
  };
}

/** `value` as `JSON.stringify(…, null, 2)` writes it at the depth `indent` stands for. */
function indented(value: unknown, indent: string): string {
  // Strings in JSON hold no raw line breaks: each \n is one of the layout's.
  return indent + JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/**
 * Writes all of `text` to a file descriptor with write(2), so that nothing is pending when the
 * process exits: `process.stdout` is asynchronous on some pipes (Windows) and loads Node's stream
 * modules, a tenth of what a small check costs. A non-blocking pipe that is full is waited on; a
 * reader that has gone (`| head`) ends the writing.
 */
export function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) {
    try {
      at += fs.writeSync(fd, bytes, at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
