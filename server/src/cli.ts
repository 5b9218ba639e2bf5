/**
 * `nginx-ls check [paths…] [--format text|json|sarif]`: the editor's findings, for CI.
 * Exit code 1 when any error is found, 2 on bad usage. A file made by `nginx -T` is checked as the
 * configuration it holds, with findings on the dump's lines; `--no-suppress` shows what
 * `# nginx-ls: ignore` comments hide. `nginx-ls format`: ./cli-format.ts; `nginx-ls convert`: ./cli-convert.ts.
 */
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost, filesFromArguments, isNginxPath, isYamlPath } from './node-host';
import {
  MAX_CONFIG_BYTES, type ReadResult, type RuleSettings, type SeveritySetting, type WorkspaceOptions, isFlavor, parseNginxVersion, ruleById,
} from './service/nginx';
import type { ControllerSetting } from './service/ingress';
import { toDiagnostics } from './lsp/convert';
import { FORMAT_USAGE, formatCommand } from './cli-format';
import { CONVERT_USAGE, convertCommand } from './cli-convert';
import { CheckThreads, check, isCheckThread, runCheckWorker } from './cli-check';
import { ingress } from './cli-ingress';
import { type FileReport, type OutputFormat, composeOutput, reportPart, writeFully } from './cli-output';

const USAGE = 'usage: nginx-ls check [paths…] [--format text|json|sarif] [--fail-on error|warning|none] [--now YYYY-MM-DD] [--jobs N]'
  + ` [--flavor auto|nginx|openresty|plus] [--nginx-version 1.22] [--no-suppress] [--rule <id>=off|hint|information|warning|error]…`
  + ' [--ingress-controller auto|ingress-nginx|f5-nginx] [--no-retirement-notice]'
  + `\n   or: ${FORMAT_USAGE.slice('usage: '.length)}`
  + `\n   or: ${CONVERT_USAGE.slice('usage: '.length)}`;

const LEVELS = new Set(['off', 'hint', 'information', 'warning', 'error']);

/**
 * Set once `check` has written its report (synchronously) and its threads have ended: the process
 * then exits at once. Left to end on its own, it let V8 finish a collection it had started and Node
 * dispose of the heap first: ~10 ms of a check of the 1.33 MB file (bench section 6).
 */
let reportWritten = false;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'format') return formatCommand(rest);
  if (command === 'convert') return convertCommand(rest);
  if (command !== 'check') {
    process.stderr.write(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  let format = 'text';
  let failOn = 'error';
  let nowText: string | undefined;
  let flavor = 'auto';
  let nginxVersion: string | undefined;
  let suppress = true;
  // As nginx-ls.ingress.controller and nginx-ls.ingress.retirementNotice in the editor.
  let ingressController = 'auto';
  let retirementNotice = true;
  // As nginx-ls.rules in the editor: a severity per rule id, "off" to drop one; rules off by default are turned on here.
  const rules: Record<string, SeveritySetting> = {};
  const ruleArgs: string[] = [];
  const inputs: string[] = [];
  let jobsText: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format') format = rest[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice(9);
    else if (arg === '--fail-on') failOn = rest[++i] ?? '';
    else if (arg.startsWith('--fail-on=')) failOn = arg.slice(10);
    else if (arg === '--now') nowText = rest[++i] ?? '';
    else if (arg.startsWith('--now=')) nowText = arg.slice(6);
    else if (arg === '--flavor') flavor = rest[++i] ?? '';
    else if (arg.startsWith('--flavor=')) flavor = arg.slice(9);
    else if (arg === '--nginx-version') nginxVersion = rest[++i] ?? '';
    else if (arg.startsWith('--nginx-version=')) nginxVersion = arg.slice(16);
    else if (arg === '--jobs' || arg === '-j') jobsText = rest[++i] ?? '';
    else if (arg.startsWith('--jobs=')) jobsText = arg.slice(7);
    else if (arg === '--no-suppress') suppress = false;
    else if (arg === '--ingress-controller') ingressController = rest[++i] ?? '';
    else if (arg.startsWith('--ingress-controller=')) ingressController = arg.slice(21);
    else if (arg === '--no-retirement-notice') retirementNotice = false;
    else if (arg === '--rule') ruleArgs.push(rest[++i] ?? '');
    else if (arg.startsWith('--rule=')) ruleArgs.push(arg.slice(7));
    else inputs.push(arg);
  }
  for (const spec of ruleArgs) {
    const [id, level] = spec.split('=');
    if (!ruleById(id) || !LEVELS.has(level)) {
      process.stderr.write(`invalid --rule "${spec}": use a rule id and off, hint, information, warning or error\n${USAGE}\n`);
      return 2;
    }
    rules[id] = level as SeveritySetting;
  }
  if (!['error', 'warning', 'none'].includes(failOn)) {
    process.stderr.write(`unknown --fail-on "${failOn}"\n${USAGE}\n`);
    return 2;
  }
  if (!isFlavor(flavor)) {
    process.stderr.write(`unknown --flavor "${flavor}"\n${USAGE}\n`);
    return 2;
  }
  // The Ingress half is loaded only when a controller is named (or YAML files are checked).
  if (ingressController !== 'auto' && !(ingress().CONTROLLER_SETTINGS as readonly string[]).includes(ingressController)) {
    process.stderr.write(`unknown --ingress-controller "${ingressController}"\n${USAGE}\n`);
    return 2;
  }
  if (!['text', 'json', 'sarif'].includes(format)) {
    process.stderr.write(`unknown format "${format}"\n${USAGE}\n`);
    return 2;
  }
  const outputFormat = format as OutputFormat;
  // The time certificates are judged at (messages such as "expired 12 days ago" depend on it).
  const now = nowText === undefined ? new Date() : new Date(nowText);
  if (Number.isNaN(now.getTime())) {
    process.stderr.write(`invalid --now "${nowText}": use a date such as 2026-12-01 or 2026-12-01T12:00:00Z\n${USAGE}\n`);
    return 2;
  }
  if (nginxVersion !== undefined && !parseNginxVersion(nginxVersion)) {
    process.stderr.write(`invalid --nginx-version "${nginxVersion}": use a release such as 1.22 or 1.25.1\n${USAGE}\n`);
    return 2;
  }
  // Worker threads to spread the files over: the cores by default (checkInParallel).
  const jobs = jobsText === undefined ? undefined : Number(jobsText);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    process.stderr.write(`invalid --jobs "${jobsText}": use a whole number of threads, 1 or more\n${USAGE}\n`);
    return 2;
  }
  // The findings' data (what hover and quick fixes read) is never printed: not made (a tenth of a check of many files).
  const settings: WorkspaceOptions = { now, flavor, nginxVersion, suppress, rules, findingData: false };
  // What the command line names (the files under its folders were found as regular files: read with no stat first).
  const named = new Set((inputs.length ? inputs : ['.']).map((input) => path.resolve(input)));
  // What each folder walked holds: include globs are expanded from it rather than by listing the folders again.
  const listings = new Map<string, Dirent[]>();
  const threads = new CheckThreads(jobs, settings, outputFormat, named, listings);
  let nginxFound = 0;
  const accept = (f: string): boolean => {
    const nginx = f.endsWith('.conf') || isNginxPath(f);
    if (nginx || isYamlPath(f)) threads.found(nginx && !isYamlPath(f) ? ++nginxFound : nginxFound);
    return nginx || isYamlPath(f);
  };
  const given = filesFromArguments(inputs, accept, listings);
  if ('missing' in given) {
    process.stderr.write(`nginx-ls: ${given.missing}: no such file or directory\n`);
    await threads.close();
    return 2;
  }
  const files = given.files;
  const yamlFiles = files.filter(isYamlPath);
  const nginxFiles = files.filter((f) => !isYamlPath(f));
  const nginxParts = await threads.check(nginxFiles)
    ?? check(nginxFiles, settings, named, listings).map((r) => reportPart(r, outputFormat));
  const manifests = yamlFiles.length ? checkManifests(yamlFiles, now, rules, { controller: ingressController as ControllerSetting, retirementNotice })
    : { reports: [], unread: new Map<string, ReadResult>() };
  const yamlParts = manifests.reports.map((r) => reportPart(r, outputFormat));
  const parts = [...nginxParts, ...yamlParts].sort((a, b) => a.file.localeCompare(b.file));
  // Every readable nginx file is reported, even with no findings: one that no report covers could not be read.
  const reported = new Set(nginxParts.map((p) => p.file));
  const host = new NodeHost();
  const unread = [...nginxFiles.filter((f) => !reported.has(f)).map((f): [string, ReadResult] => [f, host.readConfig(f)]), ...manifests.unread];
  for (const [file, read] of unread) writeFully(2, `nginx-ls: ${file}: not checked: ${whyUnread(read)}\n`);
  writeFully(1, composeOutput(parts, outputFormat));
  reportWritten = true;
  // Exit 2 when a file could not be checked at all; else 1 when something at or above the --fail-on
  // severity was found (errors by default).
  if (unread.length) return 2;
  const worst = failOn === 'none' ? 0 : failOn === 'warning' ? 2 : 1;
  return parts.some((p) => p.worst <= worst) ? 1 : 0;
}

/** Why a file given (named or found) could not be checked: over 8 MB, not a regular file, unreadable, gone. */
function whyUnread(read: ReadResult): string {
  switch (read.kind) {
    case 'too-large': return `it is too large to check (${read.size} bytes; the limit is ${MAX_CONFIG_BYTES})`;
    case 'not-regular': return `it is ${read.what}, not a regular file`;
    case 'missing': return 'it is gone';
    case 'error': return read.message;
    case 'text': return 'it could not be read';
  }
}

/**
 * Ingress manifests; YAML files without an Ingress are not reported at all (on purpose), and those
 * that could not be read are returned with why (`unread`): a manifest too large is not one without an Ingress.
 */
function checkManifests(
  files: readonly string[], now: Date, rules: RuleSettings, settings: { controller: ControllerSetting; retirementNotice: boolean },
): { reports: FileReport[]; unread: Map<string, ReadResult> } {
  const host = new UnreadRecordingHost();
  const manifests = new (ingress().ManifestWorkspace)(host);
  manifests.now = now;
  manifests.settings = settings;
  manifests.setCandidates(files);
  const reports: FileReport[] = [];
  for (const file of files) {
    const result = manifests.analyze(file);
    if (!result) continue;
    const document = TextDocument.create(`file://${file}`, 'yaml', 0, result.manifests.text);
    reports.push({ file, diagnostics: toDiagnostics(result.analysis.findings, document, rules), suppressed: 0 });
  }
  // Only the files given: any other the analysis read is the analysis' to report.
  const given = new Set(files);
  return { reports, unread: new Map([...host.unread].filter(([file]) => given.has(file))) };
}

/** A NodeHost that keeps what it could not read, with why. */
class UnreadRecordingHost extends NodeHost {
  readonly unread = new Map<string, ReadResult>();

  override readConfig(file: string): ReadResult {
    const read = super.readConfig(file);
    if (read.kind !== 'text') this.unread.set(file, read);
    return read;
  }
}

// dist/cli.js runs this bundle in the process and in each worker thread of --jobs (see ./cli-start.ts).
if (isCheckThread()) runCheckWorker();
else {
  void main(process.argv.slice(2)).then((code) => {
    // 'exit' listeners still run (dist/cli.js writes its code cache in one).
    if (reportWritten) process.exit(code);
    process.exitCode = code;
  });
}
