/**
 * `nginx-ls convert --to gateway-api|f5 [--shared-gateway NAMESPACE/NAME] [--out DIR] <files…>`:
 * the editor's "Convert to …" code actions over files. The YAML goes to stdout (one stream, the
 * files in the order given), or with `--out` to `<name>.<target>.yaml` per input file in DIR.
 * What cannot be carried over is in the output as comments, and listed on stderr. Secrets and
 * Services in any of the files given are used (CA bundles, named ports); a directory stands for its
 * YAML files. Exit 1 when a file cannot be read or no file holds an Ingress, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConversionTarget } from './service/ingress';
import { ingress } from './cli-ingress';
import { NodeHost, findConfigFiles, isYamlPath } from './node-host';

export const CONVERT_USAGE = 'usage: nginx-ls convert --to gateway-api|f5 [--shared-gateway NAMESPACE/NAME] [--out DIR] <files…>';

export function convertCommand(args: readonly string[]): number {
  const { CONVERSION_TARGETS, ManifestWorkspace, convertManifests, convertedFileName } = ingress();
  let target: string | undefined;
  let shared: string | undefined;
  let out: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--to') target = args[++i] ?? '';
    else if (arg.startsWith('--to=')) target = arg.slice(5);
    else if (arg === '--shared-gateway') shared = args[++i] ?? '';
    else if (arg.startsWith('--shared-gateway=')) shared = arg.slice(17);
    else if (arg === '--out') out = args[++i] ?? '';
    else if (arg.startsWith('--out=')) out = arg.slice(6);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${CONVERT_USAGE}\n`);
      return 0;
    } else if (arg.startsWith('--')) {
      process.stderr.write(`unknown option "${arg}"\n${CONVERT_USAGE}\n`);
      return 2;
    } else inputs.push(arg);
  }
  if (!target || !(CONVERSION_TARGETS as readonly string[]).includes(target)) {
    process.stderr.write(`${target ? `unknown target "${target}"` : 'missing --to'}: use ${CONVERSION_TARGETS.join(' or ')}\n${CONVERT_USAGE}\n`);
    return 2;
  }
  const sharedParts = shared?.split('/');
  if (shared !== undefined && (sharedParts?.length !== 2 || !sharedParts[0] || !sharedParts[1])) {
    process.stderr.write(`invalid --shared-gateway "${shared}": use NAMESPACE/NAME\n${CONVERT_USAGE}\n`);
    return 2;
  }
  if (inputs.length === 0 || out === '') {
    process.stderr.write(`${inputs.length === 0 ? 'no files given' : 'empty --out'}\n${CONVERT_USAGE}\n`);
    return 2;
  }
  const files: string[] = [];
  const names = new Map<string, string>();
  for (const input of inputs) {
    const full = path.resolve(input);
    const found = fs.existsSync(full) && fs.statSync(full).isDirectory() ? findConfigFiles([full], 20000, isYamlPath) : [full];
    for (const file of found) { files.push(file); names.set(file, path.relative(process.cwd(), file) || file); }
  }
  const host = new NodeHost();
  const workspace = new ManifestWorkspace(host);
  workspace.setCandidates(files);
  const options = {
    secrets: workspace.secrets(), services: workspace.services(),
    ...(sharedParts && { sharedGateway: { namespace: sharedParts[0], name: sharedParts[1] } }),
  };
  let failed = false;
  let converted = 0;
  const texts: string[] = [];
  for (const file of files) {
    const name = names.get(file)!;
    const read = host.readConfig(file);
    if (read.kind !== 'text') {
      process.stderr.write(`nginx-ls: ${name}: cannot be read\n`);
      failed = true;
      continue;
    }
    const manifests = workspace.manifests(file);
    // A file without an Ingress may still give Secrets and Services.
    const result = manifests && convertManifests(manifests, target as ConversionTarget, { ...options, source: path.basename(file) });
    if (manifests?.templates.length && manifests.documents.some((d) => d.kind === 'ingress')) {
      process.stderr.write(`nginx-ls: ${name}: Ingresses written with Helm templates are not converted: convert the output of helm template\n`);
    }
    if (!result) continue;
    converted++;
    for (const conversion of result.conversions) {
      for (const loss of conversion.losses) process.stderr.write(`${name}: not carried over: ${loss.annotation}: ${loss.reason}\n`);
    }
    if (out === undefined) texts.push(result.text);
    else {
      const written = path.join(out, convertedFileName(path.basename(file), target as ConversionTarget));
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(written, result.text);
      process.stderr.write(`wrote ${written}\n`);
    }
  }
  if (texts.length) process.stdout.write(texts.join('---\n'));
  if (!failed && converted === 0) {
    process.stderr.write('nginx-ls: no Ingress in the files given\n');
    return 1;
  }
  return failed ? 1 : 0;
}
