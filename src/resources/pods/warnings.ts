/**
 * The warnings a pod create gets (pkg/registry/core/pod: WarningsOnCreate; pkg/api/pod:
 * GetWarningsForPod), in part: a name that is not a DNS label, the deprecated annotations, and the
 * seccomp annotations, which are non-functional since 1.27 (nothing copies them into the fields any
 * more; validation still requires the two to agree where both are set).
 */
import { path } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, specObj, str } from '../../apimachinery/json-fields.js';
import { isDns1123Label } from '../../apimachinery/validation/names.js';
import { annotationsOf } from './validation-annotations.js';
import { SECCOMP_CONTAINER_PREFIX, SECCOMP_POD_ANNOTATION, containersWithPath } from './validation-profiles.js';

/** Annotations upstream warns about wherever they appear, with what it says. */
const DEPRECATED_ANNOTATIONS: [string, string][] = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
];
const SECCOMP_NON_FUNCTIONAL = 'non-functional in v1.27+; use the "seccompProfile" field instead';

const hasSeccompProfile = (holder: unknown): boolean => asObj(asObj(holder)?.securityContext)?.seccompProfile != null;

/** The annotation part of warningsForPodSpecAndMeta, in its order: deprecated keys, then seccomp pod, then containers. */
function annotationWarnings(annotations: Record<string, string>, spec: Obj): string[] {
  const warnings: string[] = [];
  const at = (key: string) => String(path('metadata', 'annotations').key(key));
  for (const [key, message] of DEPRECATED_ANNOTATIONS) {
    if (key in annotations) warnings.push(`${at(key)}: ${message}`);
  }
  if (SECCOMP_POD_ANNOTATION in annotations && !hasSeccompProfile(spec)) {
    warnings.push(`${at(SECCOMP_POD_ANNOTATION)}: ${SECCOMP_NON_FUNCTIONAL}`);
  }
  if (!Object.keys(annotations).some((k) => k.startsWith(SECCOMP_CONTAINER_PREFIX))) return warnings;
  for (const { c } of containersWithPath(spec, path('spec'))) {
    const key = `${SECCOMP_CONTAINER_PREFIX}${str(c.name)}`;
    if (key in annotations && !hasSeccompProfile(c)) warnings.push(`${at(key)}: ${SECCOMP_NON_FUNCTIONAL}`);
  }
  return warnings;
}

/** WarningsOnCreate of the pod strategy (the parts kubemock models). */
export function podCreateWarnings(pod: KubeObject): string[] {
  const warnings: string[] = [];
  const nameProblems = isDns1123Label(str(pod.metadata?.name));
  if (nameProblems.length > 0) {
    warnings.push(
      `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${nameProblems.join(' ')}]`,
    );
  }
  if (!pod.metadata?.annotations) return warnings;
  return warnings.concat(annotationWarnings(annotationsOf(pod), specObj(pod)));
}
