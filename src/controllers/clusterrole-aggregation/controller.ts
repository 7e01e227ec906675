/**
 * The clusterrole-aggregation controller: an aggregated ClusterRole's rules are the union of the
 * ClusterRoles its aggregationRule selects (admin / edit / view gather the aggregate-to-* roles).
 * Level-triggered: any ClusterRole change re-checks every aggregated one; it writes only when the
 * rules differ.
 */
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { keyOf, splitObjectKey } from '../runtime/cache.js';
import { isWriteRace } from '../runtime/write-races.js';
import type { ClusterRole } from '../../resources/rbac-schemas/kinds.js';
import { RBAC_GROUP } from '../../resources/rbac-schemas/schema.js';
import { aggregatedRules, sameRules } from '../../resources/rbac-policy/aggregation.js';
import type { KubeObject } from '../../apimachinery/object.js';
import { resourceKey } from '../../registry/resource-definition.js';

const RESOURCE = 'clusterroles';
/** Where the cache and storage keep ClusterRoles. */
const CACHED = resourceKey(RBAC_GROUP, RESOURCE);
const FIELD_MANAGER = 'clusterrole-aggregation-controller';

export function clusterRoleAggregationController(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  const aggregatedKeys = () =>
    cache
      .list<ClusterRole & KubeObject>(CACHED)
      .filter((r) => r.aggregationRule)
      .map(keyOf);

  function reconcile(key: string): void {
    const [, name] = splitObjectKey(key);
    const role = cache.get<ClusterRole & KubeObject>(CACHED, undefined, name);
    if (!role) return;
    const rules = aggregatedRules(role, cache.list<ClusterRole & KubeObject>(CACHED));
    if (!rules || sameRules(rules, role.rules)) return;
    try {
      registry.store<ClusterRole & KubeObject>(RESOURCE, RBAC_GROUP).patch(
        undefined,
        name,
        (current) => {
          const fresh = aggregatedRules(current, cache.list<ClusterRole & KubeObject>(CACHED));
          return fresh && !sameRules(fresh, current.rules) ? { ...current, rules: fresh } : current;
        },
        { fieldManager: FIELD_MANAGER },
      );
    } catch (e) {
      if (isWriteRace(e)) return;
      throw e;
    }
  }

  return {
    name: 'clusterrole-aggregation-controller',
    caches: [{ resource: RESOURCE, group: RBAC_GROUP }],
    watches: [{ resource: RESOURCE, group: RBAC_GROUP, keys: () => aggregatedKeys() }],
    initialKeys: aggregatedKeys,
    reconcile,
  };
}
