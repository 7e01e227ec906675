/** Adding nodes on demand (tests, the control API): `node-N` names or given ones, each with its own podCIDR and address. */
import { nodeManifest } from './bootstrap.js';
import { MAX_NODE_INDEX, nodeIndexOfPodCIDR } from '../kubelet/node-status.js';
import { KUBELET_FIELD_MANAGER } from '../kubelet/stage-runner.js';
import type { Registry } from '../registry/registry.js';
import { alreadyExists, badRequest } from '../apimachinery/status.js';
import type { StoredNode } from '../resources/stored.js';

/** Creates `count` more nodes named node-N (the lowest free N), or the named ones; returns their names. */
export function addNodes(registry: Registry, what: number | string[]): string[] {
  const store = registry.store<StoredNode>('nodes');
  const existing = store.all();
  const names = new Set(existing.map((n) => n.metadata.name!));
  const indexes = new Set(existing.map((n) => nodeIndexOfPodCIDR(n.spec?.podCIDR)).filter((i): i is number => i !== undefined));
  let wanted: string[];
  if (typeof what === 'number') {
    if (!Number.isInteger(what) || what < 0 || what > 10_000)
      throw badRequest(`nodes: count must be an integer from 0 to 10000, got ${what}`);
    wanted = [];
    for (let k = 1; wanted.length < what; k++) if (!names.has(`node-${k}`)) wanted.push(`node-${k}`);
  } else {
    if (what.length > 10_000) throw badRequest(`nodes: at most 10000 names at once, got ${what.length}`);
    wanted = what;
    for (const name of wanted) if (names.has(name)) throw alreadyExists({ group: '', resource: 'nodes' }, name);
  }
  if (indexes.size + wanted.length > MAX_NODE_INDEX)
    throw badRequest(`nodes: at most ${MAX_NODE_INDEX} nodes get a pod CIDR of their own; ${indexes.size} have one`);
  const lowestFree = () => {
    let i = 1;
    while (indexes.has(i)) i++;
    return i;
  };
  for (const name of wanted) {
    // node-N gets the Nth pod CIDR when it is free and exists; any other name the lowest free one.
    const n = Number(/^node-(\d+)$/.exec(name)?.[1]);
    const index = Number.isInteger(n) && n > 0 && n <= MAX_NODE_INDEX && !indexes.has(n) ? n : lowestFree();
    indexes.add(index);
    store.create(nodeManifest(name, index, registry.options.clock.now()), { fieldManager: KUBELET_FIELD_MANAGER });
  }
  return wanted;
}
