/**
 * The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass), on by
 * default: a new Ingress that names no class (no spec.ingressClassName, no kubernetes.io/ingress.class
 * annotation) gets the default IngressClass's name, the class annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`. When several are, the newest wins (the
 * latest creationTimestamp, then the first name). Updates are left alone.
 */
import type { ClusterReader } from '../../registry/resource-definition.js';
import type { IngressClass } from '../ingressclasses/schema.js';
import { INGRESS_CLASS_ANNOTATION } from './validation.js';
import type { Ingress } from './schema.js';

export const IS_DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const createdAt = (ic: IngressClass): number => Date.parse(ic.metadata?.creationTimestamp ?? '') || 0;

/** The default IngressClass, or undefined when none is marked. */
function defaultClass(cluster: ClusterReader): IngressClass | undefined {
  const marked = (cluster.list('ingressclasses.networking.k8s.io') as IngressClass[]).filter(
    (ic) => ic.metadata?.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true',
  );
  marked.sort((a, b) => createdAt(b) - createdAt(a) || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  return marked[0];
}

/** Admit on create: sets spec.ingressClassName to the default class when the Ingress names none. */
export function admitDefaultIngressClass(ing: Ingress, old: Ingress | undefined, cluster: ClusterReader): void {
  if (old !== undefined) return;
  if (ing.spec?.ingressClassName != null) return;
  if (ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return;
  const found = defaultClass(cluster);
  if (!found?.metadata?.name) return;
  ing.spec = { ...ing.spec, ingressClassName: found.metadata.name };
}
