/**
 * The manifest rule families, in the order they check an Ingress: each sees every annotation in this
 * order (annotations before snippets), then each finishes in this order. A Gateway, BackendTLSPolicy,
 * route or F5 Policy goes to the families naming its kind in `resources`, in this order too. Adding a
 * family is a file beside this one, its cases folder, and a line here.
 *
 * Which families check an Ingress depends on the controller that reads it (controller.ts): the
 * ingress-nginx families judge `nginx.ingress.kubernetes.io/*` annotations and snippets as
 * ingress-nginx renders them, which means nothing to an Ingress F5 NGINX Ingress Controller reads;
 * the `nginx.org/*` table (nic-annotations) means nothing to ingress-nginx.
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
import { family as nicAnnotations } from './nic-annotations';
import { family as gateway } from './gateway';
import { family as backendTlsPolicy } from './backend-tls-policy';
import { family as nicPolicy } from './nic-policy';

/** Every family, for the rule and fix tables. */
export const INGRESS_FAMILIES: readonly IngressFamily[] = [
  apiVersion,
  controller,
  annotations,
  backendTls,
  snippets,
  secrets,
  conversion,
  nicAnnotations,
  gateway,
  backendTlsPolicy,
  nicPolicy,
];

/** The families with checks for an Ingress (the others check Gateway API and F5 Policy documents). */
const withIngressCheck = (families: readonly IngressFamily[]) => families.filter((f) => f.check !== undefined);

/** For an Ingress ingress-nginx reads. */
const INGRESS_NGINX_FAMILIES = withIngressCheck(INGRESS_FAMILIES.filter((f) => f !== nicAnnotations));

/**
 * For an Ingress nothing says which controller reads: the checks of both, each looking only at its own
 * annotations' prefix (as before controllers were told apart).
 */
const EITHER_FAMILIES = withIngressCheck(INGRESS_FAMILIES);

/** For an Ingress F5 NGINX Ingress Controller reads: its `nginx.org/*` table, and nothing of ingress-nginx's. */
const F5_NGINX_FAMILIES: readonly IngressFamily[] = [apiVersion, controller, nicAnnotations];

/** The families that check an Ingress read by `reader` (undefined: nothing tells). */
export function familiesFor(reader: IngressController | undefined): readonly IngressFamily[] {
  return reader === 'f5-nginx' ? F5_NGINX_FAMILIES : reader === 'ingress-nginx' ? INGRESS_NGINX_FAMILIES : EITHER_FAMILIES;
}

/** The quick-fix provider of each Ingress rule id that has one. */
export const INGRESS_FIXES = fixTable<IngressFixDoc>(INGRESS_FAMILIES);
