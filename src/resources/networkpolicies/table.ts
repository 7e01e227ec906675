/** `kubectl get networkpolicies`: NAME POD-SELECTOR AGE (printNetworkPolicy: the selector as a string, `<none>` when empty). */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import { formatLabelSelector } from '../../apimachinery/labels.js';
import type { Stored } from '../../apimachinery/object.js';
import type { NetworkPolicy } from './schema.js';

export const table: TableConvertor<Stored<NetworkPolicy>> = {
  columns: [nameColumn(), column('Pod-Selector', 'The pods of the namespace the policy applies to.'), AGE_COLUMN],
  cells: (np, now) => [np.metadata.name, formatLabelSelector(np.spec?.podSelector), since(np.metadata.creationTimestamp, now)],
};
