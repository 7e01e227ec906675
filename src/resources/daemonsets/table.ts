/** `kubectl get daemonsets` columns: the status counters, NODE SELECTOR, AGE; wide: containers, images, selector. */
import type { KubeObject } from '../../apimachinery/object.js';
import { formatLabelSelector } from '../../apimachinery/labels.js';
import { AGE_COLUMN, column, formatLabels, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';

import type { StoredDaemonSet as DaemonSet } from '../stored.js';

export const columns = [
  nameColumn(),
  column('Desired', 'Nodes that should run the daemon pod.', { type: 'integer' }),
  column('Current', 'Nodes running at least one daemon pod that should.', { type: 'integer' }),
  column('Ready', 'Nodes whose daemon pod is ready.', { type: 'integer' }),
  column('Up-to-date', 'Nodes running the daemon pod of the current template.', { type: 'integer' }),
  column('Available', 'Nodes whose daemon pod has been ready for minReadySeconds.', { type: 'integer' }),
  column('Node Selector', 'The node selector of the pod template.'),
  AGE_COLUMN,
  column('Containers', "The names of the template's containers.", { priority: 1 }),
  column('Images', "The images of the template's containers.", { priority: 1 }),
  column('Selector', 'The label selector of the pods the daemon set manages.', { priority: 1 }),
];

function count(status: Record<string, unknown> | undefined, field: string): number {
  const v = status?.[field];
  return typeof v === 'number' ? v : 0;
}

export function cells(obj: KubeObject, now: number): unknown[] {
  const ds = obj as DaemonSet;
  const podSpec = ds.spec?.template?.spec ?? {};
  const containers = podSpec.containers ?? [];
  return [
    ds.metadata.name ?? '',
    count(ds.status, 'desiredNumberScheduled'),
    count(ds.status, 'currentNumberScheduled'),
    count(ds.status, 'numberReady'),
    count(ds.status, 'updatedNumberScheduled'),
    count(ds.status, 'numberAvailable'),
    formatLabels(podSpec.nodeSelector),
    since(ds.metadata.creationTimestamp, now),
    containers.map((c) => c.name ?? '').join(','),
    containers.map((c) => c.image ?? '').join(','),
    formatLabelSelector(ds.spec?.selector),
  ];
}

export const table: TableConvertor = { columns, cells };
