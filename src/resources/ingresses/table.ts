/**
 * `kubectl get ingresses`: NAME CLASS HOSTS ADDRESS PORTS AGE (printIngress): the class or `<none>`;
 * the rules' hosts, three at most then "+ N more...", `*` when none names one; the load balancer's
 * addresses (each IP, else hostname), sorted and without repeats; "80", or "80, 443" with TLS.
 */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { Ingress, IngressLoadBalancerStatus, IngressRule } from './schema.js';

const MAX_HOSTS = 3;

function hosts(rules: IngressRule[]): string {
  const shown: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (shown.length === MAX_HOSTS) more = true;
    if (!more && rule.host) shown.push(rule.host);
  }
  if (shown.length === 0) return '*';
  return more ? `${shown.join(',')} + ${rules.length - MAX_HOSTS} more...` : shown.join(',');
}

function addresses(lb: IngressLoadBalancerStatus | undefined): string {
  const found = new Set<string>();
  for (const i of lb?.ingress ?? []) {
    if (i.ip) found.add(i.ip);
    else if (i.hostname) found.add(i.hostname);
  }
  return [...found].sort().join(',');
}

export const table: TableConvertor<Stored<Ingress>> = {
  columns: [
    nameColumn(),
    column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'Ports of TLS configurations that open'),
    AGE_COLUMN,
  ],
  cells: (ing, now) => [
    ing.metadata.name,
    ing.spec?.ingressClassName ?? '<none>',
    hosts(ing.spec?.rules ?? []),
    addresses(ing.status?.loadBalancer),
    ing.spec?.tls?.length ? '80, 443' : '80',
    since(ing.metadata.creationTimestamp, now),
  ],
};
