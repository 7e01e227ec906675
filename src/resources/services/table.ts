/** `kubectl get services` columns: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. */
import { AGE_COLUMN, column, formatLabels, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { StoredService as Service } from '../stored.js';

export const columns = [
  nameColumn(),
  column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
  column('Cluster-IP', 'The virtual IP of the service inside the cluster.'),
  column('External-IP', 'Addresses that reach the service from outside the cluster.'),
  column('Port(s)', 'The ports the service exposes (port[:nodePort]/protocol).'),
  AGE_COLUMN,
  column('Selector', 'Labels of the pods the service sends traffic to.', { priority: 1 }),
];

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? '';
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

function ports(svc: Service): string {
  const list = svc.spec?.ports ?? [];
  if (!list.length) return '<none>';
  return list.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

export function cells(svc: Service, now: number): unknown[] {
  const spec = svc.spec ?? {};
  return [
    svc.metadata.name ?? '',
    spec.type ?? 'ClusterIP',
    spec.clusterIP || '<none>',
    externalIP(svc),
    ports(svc),
    since(svc.metadata.creationTimestamp, now),
    formatLabels(spec.selector),
  ];
}

export const table: TableConvertor<Service> = { columns, cells };
