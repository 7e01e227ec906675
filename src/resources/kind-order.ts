/**
 * The order kubemock serves its kinds in: the core group first, then the groups of GROUP_ORDER (the
 * order /apis has always listed them in), then any other group by name; within a group, by folder
 * name. Discovery sorts the resources of a group-version by name itself, as kube-apiserver does.
 * Shared by src/resources/index.ts (which finds the kinds' folders at start) and the bundle, which
 * lists them when it is built (scripts/bundle.ts).
 */
import type { ResourceDefinition } from '../registry/resource-definition.js';

const GROUP_ORDER = ['', 'apps', 'coordination.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io'];

/** A kind folder's definition module. */
export interface KindModule {
  default?: ResourceDefinition | ResourceDefinition[];
}

function groupRank(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

/** The definitions of the kinds' folders (given in folder name order), in serving order. */
export function inServingOrder(kinds: readonly (readonly [folder: string, module: KindModule])[]): ResourceDefinition[] {
  const loaded = kinds.flatMap(([folder, mod]) => {
    if (!mod.default) throw new Error(`src/resources/${folder}/definition has no default export (its ResourceDefinition)`);
    return [mod.default].flat();
  });
  return loaded
    .map((def, i) => ({ def, i }))
    .sort(
      (a, b) =>
        groupRank(a.def.group) - groupRank(b.def.group) ||
        (a.def.group < b.def.group ? -1 : a.def.group > b.def.group ? 1 : 0) ||
        a.i - b.i,
    )
    .map(({ def }) => def);
}
