/**
 * Names a directive must find defined somewhere in the configuration: the shared memory zones of
 * `limit_req` and `limit_conn`, the formats of `access_log`. Judged at the end of the walk.
 */
import type { CheckContext, DirectiveCheck, NameKind, NginxFamily } from '../context';
import type { RuleId } from '../../rules';
import type { Directive } from '../syntax';

/** What an undefined use of each kind of name means, as nginx words it. */
const UNDEFINED_NAME: Record<NameKind, { code: RuleId; message: (name: string) => string }> = {
  limit_req_zone: { code: 'unknown-zone', message: (n) => `zero size shared memory zone "${n}": no limit_req_zone defines it` },
  limit_conn_zone: { code: 'unknown-zone', message: (n) => `zero size shared memory zone "${n}": no limit_conn_zone defines it` },
  log_format: { code: 'unknown-log-format', message: (n) => `unknown log format "${n}"` },
  lua_shared_dict: { code: 'unknown-zone', message: (n) => `no lua_shared_dict defines the zone "${n}"` },
};

export const family: NginxFamily = {
  name: 'names',
  rules: ['unknown-zone', 'unknown-log-format'],
  directives: {
    limit_req_zone: defineZone('limit_req_zone'),
    limit_conn_zone: defineZone('limit_conn_zone'),
    limit_req: useZone('limit_req_zone', 'zone='),
    limit_conn: useZone('limit_conn_zone', ''),
    access_log: useLogFormat,
  },
  end: (c) => {
    if (c.options.standalone) return;
    for (const use of c.facts.nameUses) {
      if (c.facts.definedNames.get(use.kind)?.has(use.name)) continue;
      const { code, message } = UNDEFINED_NAME[use.kind];
      c.report(use.file, use.word.start, use.word.end, code, message(use.name));
    }
  },
};

function defineZone(kind: NameKind): DirectiveCheck {
  return (d, c) => {
    const zone = d.args.find((a) => a.value.startsWith('zone='));
    if (zone) c.define(kind, zone.value.slice(5).split(':')[0], zone);
  };
}

function useZone(kind: NameKind, param: 'zone=' | ''): DirectiveCheck {
  return (d, c) => {
    const w = param ? d.args.find((a) => a.value.startsWith(param)) : d.args[0];
    if (!w || w.value.includes('$')) return;
    c.use(kind, param ? w.value.slice(param.length) : w.value, w);
  };
}

function useLogFormat(d: Directive, c: CheckContext): void {
  const format = d.args[1];
  if (!format || d.args[0].value === 'off' || format.value.includes('=') || format.value === 'combined'
    || format.value.includes('$')) return;
  c.use('log_format', format.value, format);
}
