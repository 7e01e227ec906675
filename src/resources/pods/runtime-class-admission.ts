/**
 * The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass) for new pods. A pod that
 * names a RuntimeClass gets the class's overhead (spec.overhead) and scheduling (its nodeSelector
 * merged into the pod's, its tolerations merged into the pod's) while the mutating plugins run; the
 * validating part, after the pod's validation, checks that the overhead is still the class's, and
 * that a pod without a class (or whose class has none) sets no overhead. Each refusal is a 403; a
 * class that does not exist is one too. A pod that names no class costs one property read.
 */
import { forbidden, reasonless } from '../../apimachinery/status.js';
import { asObj, ensureObj, isObj, objList, strMap, type Obj } from '../../apimachinery/json-fields.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { compareQuantities, parseQuantity } from '../../apimachinery/quantity.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import type { RuntimeClass } from '../runtimeclasses/schema.js';
import { mergeTolerations } from './merge-tolerations.js';

/** `pods "<name>" is forbidden: <why>` (admission.NewForbidden: before name generation, the generateName). */
function refuse(pod: KubeObject, why: string): never {
  throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name || pod.metadata.generateName || 'Unknown', why);
}

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

/**
 * prepareObjects: the class the pod names; undefined when it names none (a nil runtimeClassName;
 * an empty one is looked up, which the plugin's client refuses before asking).
 */
function runtimeClassOf(pod: KubeObject, cluster: ClusterReader): RuntimeClass | undefined {
  const name = (pod.spec as { runtimeClassName?: unknown } | undefined)?.runtimeClassName;
  if (typeof name !== 'string') return undefined;
  if (name === '') throw reasonless('resource name may not be empty');
  const found = cluster.get('runtimeclasses.node.k8s.io', undefined, name) as RuntimeClass | undefined;
  if (!found) refuse(pod, `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`);
  return found;
}

/** apiequality.Semantic.DeepEqual of two ResourceLists: the same names, equal quantities (nil and empty alike). */
function sameResources(a: Obj | undefined, b: Obj | undefined): boolean {
  const names = Object.keys(a ?? {});
  if (names.length !== Object.keys(b ?? {}).length) return false;
  return names.every((name) => {
    if (!b || !Object.hasOwn(b, name)) return false;
    const x = parseQuantity(String(a![name]));
    const y = parseQuantity(String(b[name]));
    return x !== undefined && y !== undefined && compareQuantities(x, y) === 0;
  });
}

/** setOverhead: the class's overhead becomes the pod's; a pod that brought a different one is refused. */
function setOverhead(pod: KubeObject, spec: Obj, rc: RuntimeClass): void {
  if (!rc.overhead) return;
  const podFixed = rc.overhead.podFixed;
  if (spec.overhead != null && !sameResources(podFixed, asObj(spec.overhead))) refuse(pod, OVERHEAD_MISMATCH);
  // An empty ResourceList is left out of the pod as Go's omitempty does.
  if (podFixed && Object.keys(podFixed).length > 0) spec.overhead = { ...podFixed };
  else delete spec.overhead;
}

/** setScheduling: the class's nodeSelector joins the pod's (a key the pod sets otherwise is refused), its tolerations are merged. */
function setScheduling(pod: KubeObject, spec: Obj, rc: RuntimeClass): void {
  const scheduling = rc.scheduling;
  if (!scheduling) return;
  const classSelector = scheduling.nodeSelector;
  const podSelector = strMap(spec.nodeSelector);
  if (podSelector && classSelector) {
    // Go ranges over the class's map in random order; with several conflicts, any one is named.
    for (const key of Object.keys(classSelector).sort()) {
      const podValue = podSelector[key];
      if (podValue !== undefined && podValue !== classSelector[key]) {
        refuse(
          pod,
          `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${classSelector[key]}; pod.spec.nodeSelector[${key}] = ${podValue}`,
        );
      }
      podSelector[key] = classSelector[key];
    }
  }
  const selector = podSelector ?? classSelector;
  if (selector && Object.keys(selector).length > 0) spec.nodeSelector = { ...selector };
  else delete spec.nodeSelector;

  const tolerations = mergeTolerations(objList(spec.tolerations), objList(scheduling.tolerations));
  if (tolerations.length > 0) spec.tolerations = tolerations;
  else delete spec.tolerations;
}

/** Admit: the mutating part, on create only (after the ServiceAccount, Priority and DefaultTolerationSeconds plugins). */
export function admitRuntimeClass(pod: KubeObject, cluster: ClusterReader): void {
  const rc = runtimeClassOf(pod, cluster);
  if (!rc) return;
  const spec = ensureObj(pod, 'spec');
  setOverhead(pod, spec, rc);
  setScheduling(pod, spec, rc);
}

/** Validate: after the pod's validation, the overhead must be the class's, or absent without one. */
export function validateRuntimeClassOnCreate(pod: KubeObject, cluster: ClusterReader): void {
  const spec = asObj(pod.spec);
  if (spec?.runtimeClassName == null && spec?.overhead == null) return;
  const rc = runtimeClassOf(pod, cluster);
  if (rc?.overhead) {
    if (!sameResources(rc.overhead.podFixed, isObj(spec?.overhead) ? spec.overhead : undefined)) refuse(pod, OVERHEAD_MISMATCH);
  } else if (spec?.overhead != null) {
    refuse(pod, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
  }
}
