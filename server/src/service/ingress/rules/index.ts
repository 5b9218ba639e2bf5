/**
 * The manifest rule families, in the order they check an Ingress: each sees every annotation in this
 * order (annotations before snippets), then each finishes in this order. A Gateway, BackendTLSPolicy,
 * route or F5 Policy goes to the families naming its kind in `resources`, in this order too. Adding a
 * family is a file beside this one, its cases folder, and a line here.
 */
import { fixTable } from '../../family';
import type { IngressFamily, IngressFixDoc } from '../context';
import { family as apiVersion } from './api-version';
import { family as annotations } from './annotations';
import { family as backendTls } from './backend-tls';
import { family as snippets } from './snippets';
import { family as secrets } from './secrets';
import { family as nicAnnotations } from './nic-annotations';
import { family as gateway } from './gateway';
import { family as backendTlsPolicy } from './backend-tls-policy';
import { family as nicPolicy } from './nic-policy';

export const INGRESS_FAMILIES: readonly IngressFamily[] = [
  apiVersion,
  annotations,
  backendTls,
  snippets,
  secrets,
  nicAnnotations,
  gateway,
  backendTlsPolicy,
  nicPolicy,
];

/** The quick-fix provider of each Ingress rule id that has one. */
export const INGRESS_FIXES = fixTable<IngressFixDoc>(INGRESS_FAMILIES);
