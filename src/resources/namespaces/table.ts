/** `kubectl get namespaces` columns: NAME STATUS AGE. */
import type { KubeObject } from '../../apimachinery/object.js';
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';

export const columns = [nameColumn(), column('Status', 'The namespace phase: Active, or Terminating while it is emptied.'), AGE_COLUMN];

export function cells(obj: KubeObject, now: number): unknown[] {
  const status = obj.status as { phase?: string } | undefined;
  return [obj.metadata.name ?? '', status?.phase ?? '', since(obj.metadata.creationTimestamp, now)];
}

export const table: TableConvertor = { columns, cells };
