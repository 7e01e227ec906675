/**
 * `kubectl get ipaddresses` (printIPAddress): the parent as `<resource>[.<group>]/[<namespace>/]<name>`
 * in lower case, `<none>` without one. Upstream defines two columns, NAME and PARENTREF, but gives
 * each row a third cell, its age: kubectl shows the two columns and drops the extra cell.
 */
import { column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { IPAddress } from './schema.js';

function parentRefText(ip: IPAddress): string {
  const ref = ip.spec?.parentRef;
  if (!ref) return '<none>';
  // schema.GroupResource's String(): the resource, then `.<group>` when there is a group.
  const resource = ref.resource ?? '';
  const gr = ref.group ? `${resource}.${ref.group}` : resource;
  return `${gr.toLowerCase()}${ref.namespace ? `/${ref.namespace}` : ''}/${ref.name ?? ''}`;
}

export const table: TableConvertor<Stored<IPAddress>> = {
  columns: [nameColumn(), column('ParentRef', 'The object the address belongs to.')],
  cells: (ip, now) => [ip.metadata.name, parentRefText(ip), since(ip.metadata.creationTimestamp, now)],
};
