/** `kubectl get runtimeclass`: NAME HANDLER AGE. */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { RuntimeClass } from './schema.js';

export const table: TableConvertor<Stored<RuntimeClass>> = {
  // Upstream looks the Handler column's description up in ObjectMeta's docs, which have no
  // `handler`: the description is empty.
  columns: [nameColumn(), column('Handler', ''), AGE_COLUMN],
  cells: (rc, now) => [rc.metadata.name, rc.handler ?? '', since(rc.metadata.creationTimestamp, now)],
};
