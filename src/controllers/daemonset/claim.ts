/**
 * ClaimPods / ClaimControllerRevisions: adopt orphans the selector matches, release owned objects
 * it no longer matches.
 */
import type { KubeObject, OwnerReference } from '../../apimachinery/object.js';
import type { Selector } from '../../apimachinery/labels.js';
import { controllerRefOf, newControllerRef } from '../../apimachinery/owner-refs.js';
import { StatusError } from '../../apimachinery/status.js';
import type { ControllerContext } from '../context.js';
import { resourceKey } from '../../registry/resource-definition.js';
import type { StoredDaemonSet } from '../../resources/stored.js';

export const ORPHANS_BY_NAMESPACE = 'orphans-by-namespace';
const OWNED = 'controller-uid';

/** Index function: objects without a controller reference, by namespace. */
export function orphanNamespace(obj: KubeObject): string[] {
  return controllerRefOf(obj) ? [] : [obj.metadata.namespace ?? ''];
}

/** The controller reference a DaemonSet puts on its pods and revisions. */
export function daemonSetRef(ds: StoredDaemonSet): OwnerReference {
  return newControllerRef(ds, 'apps/v1', 'DaemonSet');
}

function patchRefs(
  ctx: ControllerContext,
  resource: string,
  group: string,
  obj: KubeObject,
  change: (refs: OwnerReference[]) => OwnerReference[],
): void {
  try {
    ctx.registry.store(resource, group).patch(obj.metadata.namespace, obj.metadata.name!, (cur) => {
      if (cur.metadata.uid !== obj.metadata.uid) return cur;
      const refs = change(cur.metadata.ownerReferences ?? []);
      return { ...cur, metadata: { ...cur.metadata, ownerReferences: refs.length ? refs : undefined } };
    });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

/**
 * `selector.matches`, remembered for the last labels object it was asked about: the controllers'
 * cache gives the pods of one DaemonSet one shared labels object, so thousands of owned pods cost
 * one match.
 */
function rememberedMatch(selector: Selector): (labels: Record<string, string> | undefined) => boolean {
  let last: Record<string, string> | undefined | null = null;
  let result = false;
  return (labels) => {
    if (labels !== last) {
      last = labels;
      result = selector.matches(labels);
    }
    return result;
  };
}

/**
 * `ownedPods`: when given, the only owned pods whose labels may have changed since the last claim
 * under the same selector (the caller knows which changed); else every owned pod is looked at.
 */
export function claim(ctx: ControllerContext, ds: StoredDaemonSet, selector: Selector, ownedPods?: Iterable<KubeObject>): void {
  const matches = rememberedMatch(selector);
  for (const [resource, group] of [
    ['pods', ''],
    ['controllerrevisions', 'apps'],
  ] as const) {
    const owned = resource === 'pods' && ownedPods ? ownedPods : ctx.cache.byIndex(resourceKey(group, resource), OWNED, ds.metadata.uid!);
    for (const obj of owned) {
      if (!matches(obj.metadata.labels)) patchRefs(ctx, resource, group, obj, (refs) => refs.filter((r) => r.uid !== ds.metadata.uid));
    }
    for (const obj of ctx.cache.byIndex(resourceKey(group, resource), ORPHANS_BY_NAMESPACE, ds.metadata.namespace!)) {
      if (obj.metadata.deletionTimestamp || !matches(obj.metadata.labels)) continue;
      patchRefs(ctx, resource, group, obj, (refs) => (refs.some((r) => r.controller) ? refs : [...refs, daemonSetRef(ds)]));
    }
  }
}
