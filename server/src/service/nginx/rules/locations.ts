/**
 * `location` blocks nginx refuses: an unknown modifier, a location nested where nginx does not allow
 * it (outside its parent's prefix, inside an exact or named location), the same match twice.
 */
import type { CheckContext, NginxFamily } from '../context';
import { locationMatch, splitModifier } from '../knowledge';
import type { Directive } from '../syntax';

export const family: NginxFamily = {
  name: 'locations',
  rules: ['location-modifier', 'location-nesting', 'duplicate-location'],
  directives: { location: checkLocation },
};

function checkLocation(d: Directive, c: CheckContext): void {
  const args = d.args;
  let modifier = '';
  let match: string;
  if (args.length === 2) {
    modifier = args[0].value;
    match = args[1].value;
    if (!['=', '~', '~*', '^~'].includes(modifier)) {
      c.report(args[0].start, args[0].end, 'location-modifier', `invalid location modifier "${modifier}"; use =, ~, ~*, ^~ or none`);
      return;
    }
  } else if (args.length === 1) {
    ({ modifier, match } = splitModifier(args[0].value));
  } else return;
  const parent = c.parents[c.parents.length - 1];
  if (parent?.name.value === 'location') {
    const p = locationMatch(parent);
    if (modifier === '@')
      c.report(d.name.start, d.name.end, 'location-nesting', `named location "@${match}" can be on the server level only`);
    else if (p.modifier === '=')
      c.report(d.name.start, d.name.end, 'location-nesting', `location "${match}" cannot be inside the exact location "${p.match}"`);
    else if (p.modifier === '@')
      c.report(d.name.start, d.name.end, 'location-nesting', `location "${match}" cannot be inside the named location "@${p.match}"`);
    else if (modifier !== '~' && modifier !== '~*' && !match.startsWith(p.match)) {
      c.report(d.name.start, d.name.end, 'location-nesting', `location "${match}" is outside location "${p.match}"`);
    }
  }
  if (modifier === '~' || modifier === '~*') return; // regex locations may repeat
  const kind = modifier === '^~' ? '' : modifier;
  const locations = (c.block.locations ??= new Map());
  let byMatch = locations.get(kind);
  if (!byMatch) locations.set(kind, (byMatch = new Map()));
  const last = args[args.length - 1];
  if (byMatch.has(match))
    c.report(last.start, last.end, 'duplicate-location', `duplicate location "${modifier === '@' ? '@' : ''}${match}"`);
  else byMatch.set(match, d);
}
