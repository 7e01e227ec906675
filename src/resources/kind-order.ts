/**
 * The order kubemock serves its kinds in: by group, in the order of the groups' discovery
 * priorities (api-priorities.ts; the core group's is the highest), a group without one after them
 * by name; within a group, by folder name. Discovery orders groups and versions by those
 * priorities itself and sorts the resources of a group-version by name, as kube-apiserver does;
 * this is the order of the registry's definitions. Shared by src/resources/index.ts (which finds
 * the kinds' folders at start) and the bundle, which lists them when it is built (scripts/bundle.ts).
 */
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { builtinGroupPriority } from './api-priorities.js';

/** A kind folder's definition module. */
export interface KindModule {
  default?: ResourceDefinition | ResourceDefinition[];
}

/** Higher first; a group not in the table after every group in it. */
function groupRank(group: string): number {
  return -(builtinGroupPriority(group) ?? 0);
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
