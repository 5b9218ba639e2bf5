/**
 * The Ingress rule families, in the order they check an Ingress: each sees every annotation in this
 * order (annotations before snippets), then each finishes in this order. Adding a family is a file
 * beside this one, its cases folder, and a line here.
 *
 * Which families check an Ingress depends on the controller that reads it (controller.ts): the
 * ingress-nginx families judge `nginx.ingress.kubernetes.io/*` annotations and snippets as
 * ingress-nginx renders them, which means nothing to an Ingress F5 NGINX Ingress Controller reads.
 */
import { fixTable } from '../../family';
import type { IngressFamily, IngressFixDoc } from '../context';
import type { IngressController } from '../controller';
import { family as apiVersion } from './api-version';
import { family as annotations } from './annotations';
import { family as backendTls } from './backend-tls';
import { family as controller } from './controller';
import { family as snippets } from './snippets';
import { family as secrets } from './secrets';
import { family as conversion } from './conversion';

/** Every family, for the rule and fix tables. */
export const INGRESS_FAMILIES: readonly IngressFamily[] = [
  apiVersion,
  controller,
  annotations,
  backendTls,
  snippets,
  secrets,
  conversion,
];

/** For an Ingress ingress-nginx reads, or one nothing says which controller reads (the checks as before controllers were told apart). */
const INGRESS_NGINX_FAMILIES = INGRESS_FAMILIES;

/**
 * For an Ingress F5 NGINX Ingress Controller reads. The seam for the nginx.org/* annotation checks
 * (issue 14 item 3, built on another branch): their family joins this list, and only this one, so
 * they run exactly where F5's controller reads the Ingress.
 */
const F5_NGINX_FAMILIES: readonly IngressFamily[] = [apiVersion, controller];

/** The families that check an Ingress read by `reader` (undefined: nothing tells). */
export function familiesFor(reader: IngressController | undefined): readonly IngressFamily[] {
  return reader === 'f5-nginx' ? F5_NGINX_FAMILIES : INGRESS_NGINX_FAMILIES;
}

/** The quick-fix provider of each Ingress rule id that has one. */
export const INGRESS_FIXES = fixTable<IngressFixDoc>(INGRESS_FAMILIES);
