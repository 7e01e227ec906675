/** `kubectl get controllerrevisions` columns: NAME CONTROLLER REVISION AGE. */
import type { KubeObject } from '../../apimachinery/object.js';
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import { groupOfApiVersion } from '../../apimachinery/group-version.js';
import { controllerRefOf } from '../../apimachinery/owner-refs.js';

export const columns = [
  nameColumn(),
  column('Controller', 'The object that owns and manages this revision.'),
  column('Revision', 'The revision number of the snapshot.'),
  AGE_COLUMN,
];

/** `<kind>.<group>/<name>` (lower-cased; just `<kind>/<name>` for the core group) of the controller owner. */
export function controllerOf(obj: KubeObject): string {
  const ref = controllerRefOf(obj);
  if (!ref) return '<none>';
  const group = groupOfApiVersion(ref.apiVersion ?? '');
  const kind = ref.kind ?? '';
  if (!group && !kind) return ref.name ?? '';
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ''}`;
}

export function cells(obj: KubeObject, now: number): unknown[] {
  const revision = typeof obj.revision === 'number' ? obj.revision : 0;
  return [obj.metadata.name ?? '', controllerOf(obj), revision, since(obj.metadata.creationTimestamp, now)];
}

export const table: TableConvertor = { columns, cells };
