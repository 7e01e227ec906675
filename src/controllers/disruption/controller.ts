/**
 * The disruption controller (upstream pkg/controller/disruption): keeps each PodDisruptionBudget's
 * status (expected, desired and current healthy pods, disruptions allowed, pending evictions and
 * the DisruptionAllowed condition) level with the pods it selects. A budget is reconciled when it
 * or one of its pods changes, and again when an entry of status.disruptedPods expires.
 */
import { labelSelectorMatches } from '../../apimachinery/labels.js';
import type { KubeObject, OwnerReference, Stored } from '../../apimachinery/object.js';
import { groupResourceString } from '../../apimachinery/status.js';
import { resourceKey } from '../../registry/resource-definition.js';
import { groupOfApiVersion, versionOfApiVersion } from '../../apimachinery/group-version.js';
import type { PodDisruptionBudget } from '../../resources/poddisruptionbudgets/schema.js';
import type { StoredPod } from '../../resources/stored.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { ControllerContext } from '../context.js';
import type { Controller, ReconcileResult } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { planDisruptionStatus, type ScaleLookup } from './plan.js';
import { isWriteRace } from '../runtime/write-races.js';

type Pdb = Stored<PodDisruptionBudget>;
const SOURCE = { component: 'controllermanager' };
const PDBS = 'poddisruptionbudgets';
const PDBS_KEY = resourceKey('policy', PDBS);

/** A selector that does not parse selects nothing (upstream logs and skips it). */
function selects(pdb: Pdb, pod: KubeObject): boolean {
  try {
    return pdb.spec?.selector != null && labelSelectorMatches(pdb.spec.selector, pod.metadata.labels);
  } catch {
    return false;
  }
}

export function disruptionController(ctx: ControllerContext): Controller {
  const { cache, registry, clock } = ctx;
  const budgets = registry.store<Pdb>(PDBS, 'policy');

  /**
   * getScaleController for an owner: no served kind has a scale subresource, so a served owner is
   * "<resource> does not implement the scale subresource", an unknown one has no REST mapping.
   */
  const scaleOf: ScaleLookup = (ref: OwnerReference) => {
    const [group, version] = [groupOfApiVersion(ref.apiVersion), versionOfApiVersion(ref.apiVersion)];
    const def = registry.served.find((d) => d.group === group && d.version === version && d.kind === ref.kind);
    if (!def) return { error: `no matches for kind "${ref.kind}" in version "${ref.apiVersion}"` };
    return { error: `${groupResourceString({ group: def.group, resource: def.plural })} does not implement the scale subresource` };
  };

  function reconcile(key: string): ReconcileResult | void {
    const [namespace, name] = splitObjectKey(key);
    const pdb = cache.get<Pdb>(PDBS_KEY, namespace, name);
    if (!pdb) return;
    const pods = cache.list<StoredPod>('pods', namespace).filter((p) => selects(pdb, p));
    const plan = planDisruptionStatus(pdb, pods, scaleOf, clock.now());
    for (const e of plan.events) {
      const on = e.on;
      const involved = on === 'pdb' ? pdb : pods.find((p) => p.metadata.name === on.pod);
      if (involved) ctx.events.record(SOURCE, involved, e.type, e.reason, e.message);
    }
    if (plan.status) {
      try {
        budgets.update(namespace, name, { ...pdb, metadata: { ...pdb.metadata }, status: plan.status }, { subresource: 'status' });
      } catch (e) {
        // A newer budget (409) comes back through the watch; a deleted one (404) needs nothing.
        if (isWriteRace(e)) return;
        throw e;
      }
    }
    if (plan.recheckAfterMs !== undefined) return { requeueAfterMs: Math.max(0, plan.recheckAfterMs) };
  }

  /** The budgets of the pod's namespace that select it (before or after the change). */
  const podKeys = (ev: ChangeEvent): string[] => {
    const objects = [ev.object, ev.previous].filter((o): o is KubeObject => !!o);
    return cache
      .list<Pdb>(PDBS_KEY, ev.namespace)
      .filter((pdb) => objects.some((o) => selects(pdb, o)))
      .map(keyOf);
  };

  return {
    name: 'disruption-controller',
    caches: [{ resource: PDBS, group: 'policy' }, { resource: 'pods' }],
    watches: [
      { resource: PDBS, group: 'policy', keys: (ev) => (ev.type === 'DELETED' ? [] : [keyOf(ev.object)]) },
      { resource: 'pods', keys: podKeys },
    ],
    initialKeys: () => cache.list<Pdb>(PDBS_KEY).map(keyOf),
    reconcile,
  };
}
