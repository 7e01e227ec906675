/**
 * The warnings of pkg/api/pod's warningsForPodSpecAndMeta that kubemock models, for a pod
 * (GetWarningsForPod, with the pod strategy's WarningsOnCreate) and for a pod template
 * (GetWarningsForPodTemplate, paths under the template's own path): the deprecated annotations, the
 * seccomp annotations, which are non-functional since 1.27 (nothing copies them into the fields any
 * more; validation still requires the two to agree where both are set), and for a template only
 * the container AppArmor annotations (a pod gets those from its AppArmor version skew instead).
 * A pod create also warns of a name that is not a DNS label.
 */
import { path, type FieldPath } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, specObj, str } from '../../apimachinery/json-fields.js';
import { isDns1123Label } from '../../apimachinery/validation/names.js';
import { annotationsOf } from './validation-annotations.js';
import { APPARMOR_CONTAINER_PREFIX, SECCOMP_CONTAINER_PREFIX, SECCOMP_POD_ANNOTATION, containersWithPath } from './validation-profiles.js';

/** Annotations upstream warns about wherever they appear, with what it says. */
const DEPRECATED_ANNOTATIONS: [string, string][] = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
];
const SECCOMP_NON_FUNCTIONAL = 'non-functional in v1.27+; use the "seccompProfile" field instead';
const APPARMOR_DEPRECATED = 'deprecated since v1.30; use the "appArmorProfile" field instead';

const securityContextOf = (holder: unknown): Obj | undefined => asObj(asObj(holder)?.securityContext);
const hasSeccompProfile = (holder: unknown): boolean => securityContextOf(holder)?.seccompProfile != null;
const hasAppArmorProfile = (holder: unknown): boolean => securityContextOf(holder)?.appArmorProfile != null;

/**
 * The annotation part of warningsForPodSpecAndMeta, in its order: deprecated keys, the seccomp pod
 * annotation, then each container's seccomp and (templates only) AppArmor annotations. `at` is
 * the template's path; undefined for a pod.
 */
function annotationWarnings(annotations: Record<string, string>, spec: Obj, at: FieldPath | undefined): string[] {
  const warnings: string[] = [];
  const annotationsPath = at ? at.child('metadata').child('annotations') : path('metadata', 'annotations');
  const warn = (key: string, message: string) => warnings.push(`${String(annotationsPath.key(key))}: ${message}`);
  for (const [key, message] of DEPRECATED_ANNOTATIONS) {
    if (key in annotations) warn(key, message);
  }
  if (SECCOMP_POD_ANNOTATION in annotations && !hasSeccompProfile(spec)) warn(SECCOMP_POD_ANNOTATION, SECCOMP_NON_FUNCTIONAL);
  const keys = Object.keys(annotations);
  const seccomp = keys.some((k) => k.startsWith(SECCOMP_CONTAINER_PREFIX));
  const appArmor = at !== undefined && keys.some((k) => k.startsWith(APPARMOR_CONTAINER_PREFIX));
  if (!seccomp && !appArmor) return warnings;
  const podAppArmor = hasAppArmorProfile(spec);
  for (const { c } of containersWithPath(spec, path('spec'))) {
    const seccompKey = `${SECCOMP_CONTAINER_PREFIX}${str(c.name)}`;
    if (seccomp && seccompKey in annotations && !hasSeccompProfile(c)) warn(seccompKey, SECCOMP_NON_FUNCTIONAL);
    const appArmorKey = `${APPARMOR_CONTAINER_PREFIX}${str(c.name)}`;
    if (appArmor && appArmorKey in annotations && !podAppArmor && !hasAppArmorProfile(c)) warn(appArmorKey, APPARMOR_DEPRECATED);
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
  return warnings.concat(annotationWarnings(annotationsOf(pod), specObj(pod), undefined));
}

/** GetWarningsForPodTemplate (the parts kubemock models) of the template at `at` (`spec.template`). */
export function podTemplateWarnings(template: unknown, at: FieldPath): string[] {
  const meta = asObj(asObj(template)?.metadata);
  const annotations = asObj(meta?.annotations) as Record<string, string> | undefined;
  if (!annotations) return [];
  return annotationWarnings(annotations, asObj(asObj(template)?.spec) ?? {}, at);
}
