/**
 * The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass), the part that needs no
 * RuntimeClass: its validation refuses a new pod that sets spec.overhead without naming a
 * RuntimeClass, since only the plugin may set the overhead (from the class). kubemock serves no
 * node.k8s.io RuntimeClass, so a pod that names one is let through as before, where 1.33 would
 * refuse it (403 `pod rejected: RuntimeClass "<name>" not found`) unless the class exists.
 */
import { forbidden } from '../../apimachinery/status.js';
import type { KubeObject } from '../../apimachinery/object.js';

/** validateOverhead with no RuntimeClass: a pod overhead is refused (admission.NewForbidden). */
export function validateRuntimeClassOnCreate(pod: KubeObject): void {
  const spec = pod.spec as { overhead?: unknown; runtimeClassName?: unknown } | undefined;
  if (spec?.overhead == null || spec.runtimeClassName != null) return;
  const name = pod.metadata.name || pod.metadata.generateName || 'Unknown';
  throw forbidden(
    { group: '', resource: 'pods' },
    name,
    'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
  );
}
