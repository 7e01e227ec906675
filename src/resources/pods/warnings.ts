/**
 * pkg/api/pod's warningsForPodSpecAndMeta, for a pod (GetWarningsForPod, with the pod strategy's
 * WarningsOnCreate) and for a pod template (GetWarningsForPodTemplate, paths under the template's
 * own path), in upstream's order: deprecated node labels and null topology selectors, deprecated
 * annotations, volumes and pod-level fields, the seccomp annotations (non-functional since 1.27:
 * nothing copies them into the fields any more), per container its annotations, resources and env,
 * ports, the grace period, null pod affinity selectors, and IP addresses of dnsConfig.nameservers and
 * hostAliases not written in the standard form. The container AppArmor annotations are
 * warned of only for a template (a pod gets those from its AppArmor version skew instead). A pod
 * create also warns of a name that is not a DNS label. Upstream's oldPodSpec is unused in 1.33, so a
 * template update warns as a create does.
 */
import { path, type FieldPath } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, specObj, str } from '../../apimachinery/json-fields.js';
import { isDns1123Label } from '../../apimachinery/validation/names.js';
import { ipWarnings } from '../../apimachinery/validation/ip-warnings.js';
import { APPARMOR_CONTAINER_PREFIX, SECCOMP_CONTAINER_PREFIX, SECCOMP_POD_ANNOTATION, containersWithPath } from './validation-profiles.js';
import { nodeLabelWarnings, podAffinityWarnings } from './warnings-scheduling.js';
import { gracePeriodWarnings, volumeAndPodWarnings } from './warnings-volumes.js';
import { containerWarnings, portWarnings } from './warnings-containers.js';

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

/** GetWarningsForIP of each DNS nameserver and each host alias IP, which come last of all. */
function ipAddressWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const nameservers = specPath.child('dnsConfig').child('nameservers');
  list(asObj(spec.dnsConfig)?.nameservers).forEach((ip, i) => warnings.push(...ipWarnings(nameservers.index(i), str(ip))));
  const hostAliases = specPath.child('hostAliases');
  objList(spec.hostAliases).forEach((alias, i) => warnings.push(...ipWarnings(hostAliases.index(i).child('ip'), str(alias.ip))));
}

/**
 * warningsForPodSpecAndMeta. `at` is the template's path (`spec.template`); undefined for a pod,
 * whose container AppArmor annotations are not warned of here.
 */
function podSpecAndMetaWarnings(spec: Obj, annotations: Record<string, string>, at: FieldPath | undefined): string[] {
  const warnings: string[] = [];
  const base = at ?? path();
  const specPath = base.child('spec');
  const annotationsPath = base.child('metadata').child('annotations');
  const warnAnnotation = (key: string, message: string) => warnings.push(`${String(annotationsPath.key(key))}: ${message}`);

  nodeLabelWarnings(spec, specPath, warnings);
  for (const [key, message] of DEPRECATED_ANNOTATIONS) {
    if (Object.hasOwn(annotations, key)) warnAnnotation(key, message);
  }
  volumeAndPodWarnings(spec, specPath, warnings);
  if (Object.hasOwn(annotations, SECCOMP_POD_ANNOTATION) && !hasSeccompProfile(spec))
    warnAnnotation(SECCOMP_POD_ANNOTATION, SECCOMP_NON_FUNCTIONAL);

  const keys = Object.keys(annotations);
  const seccomp = keys.some((k) => k.startsWith(SECCOMP_CONTAINER_PREFIX));
  const appArmor = at !== undefined && keys.some((k) => k.startsWith(APPARMOR_CONTAINER_PREFIX));
  const podAppArmor = hasAppArmorProfile(spec);
  for (const container of containersWithPath(spec, specPath)) {
    const { c } = container;
    const seccompKey = `${SECCOMP_CONTAINER_PREFIX}${str(c.name)}`;
    if (seccomp && Object.hasOwn(annotations, seccompKey) && !hasSeccompProfile(c)) warnAnnotation(seccompKey, SECCOMP_NON_FUNCTIONAL);
    const appArmorKey = `${APPARMOR_CONTAINER_PREFIX}${str(c.name)}`;
    if (appArmor && Object.hasOwn(annotations, appArmorKey) && !podAppArmor && !hasAppArmorProfile(c)) {
      warnAnnotation(appArmorKey, APPARMOR_DEPRECATED);
    }
    if (c.resources != null || c.env != null) containerWarnings(c, container.at, warnings);
  }

  portWarnings(spec, specPath, warnings);
  gracePeriodWarnings(spec, specPath, warnings);
  podAffinityWarnings(spec, specPath, warnings);
  ipAddressWarnings(spec, specPath, warnings);
  return warnings;
}

const annotationsIn = (meta: unknown): Record<string, string> =>
  (asObj(asObj(meta)?.annotations) as Record<string, string> | undefined) ?? {};

/** WarningsOnCreate of the pod strategy. */
export function podCreateWarnings(pod: KubeObject): string[] {
  const warnings: string[] = [];
  const nameProblems = isDns1123Label(str(pod.metadata?.name));
  if (nameProblems.length > 0) {
    warnings.push(
      `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${nameProblems.join(' ')}]`,
    );
  }
  return warnings.concat(podSpecAndMetaWarnings(specObj(pod), annotationsIn(pod.metadata), undefined));
}

/** GetWarningsForPodTemplate of the template at `at` (`spec.template`). */
export function podTemplateWarnings(template: unknown, at: FieldPath): string[] {
  const templateObj = asObj(template);
  if (!templateObj) return [];
  return podSpecAndMetaWarnings(asObj(templateObj.spec) ?? {}, annotationsIn(templateObj.metadata), at);
}
