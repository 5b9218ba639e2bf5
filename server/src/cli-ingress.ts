/**
 * The Ingress half and its YAML parser for the CLI: dist/ingress.js, kept external by
 * scripts/build.mjs and loaded only when a command needs it (YAML files checked, `convert`), so a
 * check of nginx files never pays for it.
 */
import type * as Ingress from './service/ingress';

export function ingress(): typeof Ingress {
  return require('./ingress.js') as typeof Ingress;
}
