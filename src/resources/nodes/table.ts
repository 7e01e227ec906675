/** `kubectl get nodes` columns: STATUS from the Ready condition, ROLES from the role labels. */
import type { KubeObject } from '../../apimachinery/object.js';
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';

import type { StoredNode as Node } from '../stored.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

export const columns = [
  nameColumn(),
  column('Status', 'Whether the node is Ready, and whether it takes new pods.'),
  column('Roles', "The roles the node's labels give it."),
  AGE_COLUMN,
  column('Version', 'The kubelet version the node reports.'),
  column('Internal-IP', "The node's first InternalIP address.", { priority: 1 }),
  column('External-IP', "The node's first ExternalIP address.", { priority: 1 }),
  column('OS-Image', 'The operating system image the node reports.', { priority: 1 }),
  column('Kernel-Version', 'The kernel version the node reports.', { priority: 1 }),
  column('Container-Runtime', 'The container runtime and its version.', { priority: 1 }),
];

/**
 * `Ready`, `NotReady` or `Unknown` (no Ready condition), plus `,SchedulingDisabled` when cordoned.
 * Unlike nodeReadyCondition (resources/nodes/conditions.ts: the first Ready condition, as the
 * controllers read it), the node printer (printNode) keeps the last condition of each type.
 */
export function nodeStatus(node: Node): string {
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c.status === 'True' ? 'Ready' : 'NotReady';
  const parts = [ready ?? 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export function cells(obj: KubeObject, now: number): unknown[] {
  const node = obj as Node;
  const info = node.status?.nodeInfo;
  const roles = nodeRoles(node).join(',');
  return [
    node.metadata.name ?? '',
    nodeStatus(node),
    roles || '<none>',
    since(node.metadata.creationTimestamp, now),
    info?.kubeletVersion ?? '',
    address(node, 'InternalIP'),
    address(node, 'ExternalIP'),
    info?.osImage || '<unknown>',
    info?.kernelVersion || '<unknown>',
    info?.containerRuntimeVersion || '<unknown>',
  ];
}

export const table: TableConvertor = { columns, cells };
