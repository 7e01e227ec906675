/**
 * The definitions of every served group-version: each stored kind, then one derived definition per
 * ServedVersion it declares. A derived definition keeps the stored kind's names, scope, table and
 * delete rules, and swaps in the version's group, version, schema, field labels and write
 * validation; its objects are stored (and its store works) in the stored kind's form, and the HTTP
 * layer converts at the boundary, as kube-apiserver's codecs do for one REST storage.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { TableConvertor } from '../apimachinery/table.js';
import { inSchemaOrder } from '../apimachinery/schema-order.js';
import type { ResourceDefinition, ServedVersion } from './resource-definition.js';

const OBJECT_META_LABELS = ['metadata.name', 'metadata.namespace'];

function derive<T extends KubeObject>(def: ResourceDefinition<T>, v: ServedVersion<T>): ResourceDefinition<T> {
  const { servedVersions: _versions, extraSubresources: _extra, deprecationWarning: _warning, ...shared } = def;
  const table: TableConvertor | undefined = def.table && {
    ...def.table,
    // Tables are built from served objects (a row may carry the object); cells read the stored form.
    cells: (obj, now) => def.table!.cells(v.toStorage(obj), now),
    ...(def.table.rowConditions ? { rowConditions: (obj: KubeObject) => def.table!.rowConditions!(v.toStorage(obj)) } : {}),
  };
  return {
    ...shared,
    group: v.group,
    version: v.version,
    schema: v.schema,
    listSchema: v.listSchema,
    protobuf: v.protobuf,
    ...(v.deprecationWarning !== undefined ? { deprecationWarning: v.deprecationWarning } : {}),
    table: table,
    fieldLabels: Object.keys(v.fieldLabels).filter((l) => !OBJECT_META_LABELS.includes(l)),
    strategy: {
      ...def.strategy,
      validate: v.validate ?? def.strategy.validate,
      validateUpdate: v.validateUpdate ?? def.strategy.validateUpdate,
    },
    // Served objects come out in the served type's field order (Go's), as stored ones in theirs.
    conversion: {
      storage: def,
      fromStorage: (obj) => inSchemaOrder(v.fromStorage(obj), v.schema),
      toStorage: v.toStorage,
      fieldLabels: v.fieldLabels,
    },
  };
}

const derived = new WeakMap<ResourceDefinition[], ResourceDefinition[]>();

/** The stored kinds in their order, then the versions they also serve (one array per input array). */
export function servedDefinitions(defs: ResourceDefinition[]): ResourceDefinition[] {
  let served = derived.get(defs);
  if (!served) derived.set(defs, (served = [...defs, ...defs.flatMap((def) => (def.servedVersions ?? []).map((v) => derive(def, v)))]));
  return served;
}

/** The group, version and kind objects of this definition are stored as. */
export function storageDefinition(def: ResourceDefinition): ResourceDefinition {
  return def.conversion?.storage ?? def;
}
