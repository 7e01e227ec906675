/** What exists from the first start: the system namespaces, and the nodes asked for with --nodes. */
import type { KubeObject } from './apimachinery/object.js';
import type { Registry } from './registry/registry.js';
import { nodePodCIDR, readyNodeStatus } from './kubelet/node-status.js';

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function ensureDefaultNamespaces(registry: Registry): void {
  const store = registry.store('namespaces');
  for (const name of DEFAULT_NAMESPACES) {
    if (!store.tryGet(undefined, name)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

export function nodeManifest(name: string, index: number, now: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
      },
    },
    spec: { podCIDR: nodePodCIDR(index), podCIDRs: [nodePodCIDR(index)] },
    status: readyNodeStatus({ name, index, now }),
  };
}

export function ensureNodes(registry: Registry, count: number): void {
  const store = registry.store('nodes');
  for (let i = 1; i <= count; i++) {
    const name = `node-${i}`;
    if (!store.tryGet(undefined, name)) store.create(nodeManifest(name, i, registry.options.clock.now()));
  }
}
