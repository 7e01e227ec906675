/**
 * Every kind kubemock serves: each folder here with a `definition.ts` (`definition.js` once built)
 * whose default export is the kind's ResourceDefinition, or an array of them. Adding a kind is
 * adding a folder: nothing else names it.
 *
 * Order: the core group first, then the groups of GROUP_ORDER (the order /apis has always listed
 * them in), then any other group by name; within a group, by folder name. Discovery sorts the
 * resources of a group-version by name itself, as kube-apiserver does.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceDefinition } from '../registry/resource-definition.js';

const GROUP_ORDER = ['', 'apps', 'coordination.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io'];

interface KindModule {
  default?: ResourceDefinition | ResourceDefinition[];
}

const here = fileURLToPath(import.meta.url);
const folder = dirname(here);
/** `.ts` when run from the sources (tsx), `.js` when built. */
const ext = extname(here);

const folders = readdirSync(folder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, `definition${ext}`)))
  .map((entry) => entry.name)
  .sort();

async function definitionsIn(name: string): Promise<ResourceDefinition[]> {
  const mod = (await import(`./${name}/definition.js`)) as KindModule;
  if (!mod.default) throw new Error(`src/resources/${name}/definition${ext} has no default export (its ResourceDefinition)`);
  return [mod.default].flat();
}

function groupRank(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

const loaded = (await Promise.all(folders.map(definitionsIn))).flat();

export const resources: ResourceDefinition[] = loaded
  .map((def, i) => ({ def, i }))
  .sort(
    (a, b) =>
      groupRank(a.def.group) - groupRank(b.def.group) || (a.def.group < b.def.group ? -1 : a.def.group > b.def.group ? 1 : 0) || a.i - b.i,
  )
  .map(({ def }) => def);
