/**
 * The pod a DaemonSet creates for a node (CreatePodTemplate + GetPodFromTemplate): the template,
 * the revision labels, the owner reference, the node pinned by a matchFields affinity term and
 * the default DaemonSet tolerations.
 */
import type { StoredDaemonSet, StoredPod } from '../../resources/stored.js';
import { daemonSetRef } from './claim.js';
import type { Affinity, PodSpec, Toleration } from '../../resources/schemas.js';
import { REVISION_HASH_LABEL, TEMPLATE_GENERATION_LABEL } from './pod-state.js';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../resources/daemonsets/template-generation.js';
import { isDns1123Subdomain, maskTrailingDash } from '../../apimachinery/validation/names.js';
import { deepClone } from '../../apimachinery/object.js';

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations every DaemonSet pod carries, in upstream order. */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const list = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) list.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  return list;
}

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') &&
  (a.operator ?? '') === (b.operator ?? '') &&
  (a.value ?? '') === (b.value ?? '') &&
  (a.effect ?? '') === (b.effect ?? '');

/** A matching toleration is replaced in place by the default; otherwise the default is appended. */
export function withDaemonTolerations(tolerations: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const d of defaultDaemonTolerations(hostNetwork)) {
    const i = out.findIndex((t) => sameToleration(t, d));
    if (i >= 0) out[i] = d;
    else out.push(d);
  }
  return out;
}

/** Replaces required node affinity terms with the single matchFields term for `nodeName`. */
function pinnedAffinity(spec: PodSpec, nodeName: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const affinity = { ...(spec.affinity ?? {}) };
  affinity.nodeAffinity = {
    ...(affinity.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
  };
  return affinity;
}

export function podNamePrefix(dsName: string): string {
  const prefix = `${dsName}-`;
  return isDns1123Subdomain(maskTrailingDash(prefix)).length ? dsName : prefix;
}

export function newDaemonPod(ds: StoredDaemonSet, nodeName: string, hash: string): StoredPod {
  const template = deepClone(ds.spec.template);
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '1';
  const metadata: StoredPod['metadata'] = {
    generateName: podNamePrefix(ds.metadata.name!),
    namespace: ds.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: generation },
    ownerReferences: [daemonSetRef(ds)],
  };
  if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
  if (template.metadata?.finalizers) metadata.finalizers = template.metadata.finalizers;
  const spec: PodSpec = { ...template.spec, affinity: pinnedAffinity(template.spec, nodeName) };
  spec.tolerations = withDaemonTolerations(template.spec.tolerations, Boolean(template.spec.hostNetwork));
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
