/** `kubectl get servicecidrs`: NAME CIDRS AGE, the CIDRs joined by commas (printServiceCIDR). */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { ServiceCIDR } from './schema.js';

export const table: TableConvertor<Stored<ServiceCIDR>> = {
  columns: [nameColumn(), column('CIDRs', 'The subnets cluster IPs are taken from, one per IP family.'), AGE_COLUMN],
  cells: (sc, now) => [sc.metadata.name, (sc.spec?.cidrs ?? []).join(','), since(sc.metadata.creationTimestamp, now)],
};
