/**
 * Schemas of meta/v1: object and list metadata, owner references, label selectors, Status and
 * DeleteOptions, plus `listSchema` to build the `<Kind>List` of any kind.
 */
import { Type, type Static, type TArray, type TObject, type TOptional, type TString } from '@sinclair/typebox';
import {
  X,
  atomicList,
  atomicStruct,
  bool,
  field,
  int32,
  int64,
  mergeList,
  openObject,
  setList,
  str,
  stringMap,
  time,
  type GroupVersionKind,
} from './extensions.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const OwnerReferenceSchema = Type.Object(
  {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner, in the same namespace as the dependent.'),
    uid: str('UID of the owner; a reference to a recreated owner with another UID does not hold.'),
    controller: Type.Optional(bool('Whether this owner is the managing controller; at most one owner may be.')),
    blockOwnerDeletion: Type.Optional(bool('When true, foreground deletion of the owner waits until this dependent is removed.')),
  },
  {
    $id: `${META}.OwnerReference`,
    description: 'Points at the object that owns this one; owned objects are garbage-collected with their owner.',
    ...atomicStruct,
  },
);

export const ManagedFieldsEntrySchema = Type.Object(
  {
    manager: Type.Optional(str('Name of the actor (field manager) that owns these fields.')),
    operation: Type.Optional(str('How the fields were last written: Apply or Update.')),
    apiVersion: Type.Optional(str('API version in which the field set is expressed.')),
    time: Type.Optional(time('When the entry was last changed.')),
    fieldsType: Type.Optional(str('Format of fieldsV1; only "FieldsV1" is defined.')),
    fieldsV1: Type.Optional(
      openObject('The owned fields as a trie of "f:<name>", "k:<key>", "v:<value>" and "i:<index>" entries.', {
        $id: `${META}.FieldsV1`,
      }),
    ),
    subresource: Type.Optional(str('Subresource the entry was written through, empty for the main resource.')),
  },
  {
    $id: `${META}.ManagedFieldsEntry`,
    description: 'The set of fields one field manager owns, as recorded by server-side apply.',
  },
);

export const ObjectMetaSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the object, unique per kind within its namespace (or cluster-wide).')),
    generateName: Type.Optional(str('Prefix from which the server makes a unique name when name is left empty on create.')),
    namespace: Type.Optional(str('Namespace of the object; empty for cluster-scoped kinds.')),
    selfLink: Type.Optional(str('Legacy; never set by current servers.')),
    uid: Type.Optional(str('Unique identifier the server assigns on create; never reused.')),
    resourceVersion: Type.Optional(
      str('Opaque version of this object, changed on every write; used for optimistic concurrency and watches.'),
    ),
    generation: Type.Optional(int64('Sequence number of the desired state, bumped by the server when the spec changes.')),
    creationTimestamp: Type.Optional(time('When the server created the object.')),
    deletionTimestamp: Type.Optional(
      time('When the object is due to disappear; set when deletion was requested and finalizers or a grace period remain.'),
    ),
    deletionGracePeriodSeconds: Type.Optional(
      int64('Seconds the object was granted to terminate gracefully when its deletion was requested.'),
    ),
    labels: Type.Optional(stringMap('Key/value pairs used to organize and select objects.')),
    annotations: Type.Optional(stringMap('Key/value pairs for arbitrary non-identifying data attached to the object.')),
    ownerReferences: Type.Optional(
      mergeList(OwnerReferenceSchema, 'uid', 'Objects this one depends on; at most one of them may be a controller.'),
    ),
    finalizers: Type.Optional(
      setList(
        str('A finalizer name, usually a qualified name.'),
        'Names of pending clean-up steps; the object is only removed once this list is empty.',
        'merge',
      ),
    ),
    managedFields: Type.Optional(atomicList(ManagedFieldsEntrySchema, 'Which field manager owns which fields, maintained by the server.')),
  },
  {
    $id: `${META}.ObjectMeta`,
    description: 'Metadata every persisted object carries: identity, labels, ownership and lifecycle markers.',
  },
);

export const ListMetaSchema = Type.Object(
  {
    selfLink: Type.Optional(str('Legacy; never set by current servers.')),
    resourceVersion: Type.Optional(str('Version of the collection at the time it was read; start a watch from here.')),
    continue: Type.Optional(str('Token to fetch the next page when the list was limited; empty on the last page.')),
    remainingItemCount: Type.Optional(
      int64('Number of items after this page, when the server can tell; an estimate under concurrent writes.'),
    ),
  },
  { $id: `${META}.ListMeta`, description: 'Metadata of a list response: its version and paging state.' },
);

export const LabelSelectorRequirementSchema = Type.Object(
  {
    key: str('The label key the requirement applies to.', { [X.patchStrategy]: 'merge', [X.patchMergeKey]: 'key' }),
    operator: str('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: Type.Optional(
      atomicList(str('A label value.'), 'Values for In and NotIn (non-empty); must be empty for Exists and DoesNotExist.'),
    ),
  },
  { $id: `${META}.LabelSelectorRequirement`, description: 'One condition on a label: a key, an operator and values.' },
);

export const LabelSelectorSchema = Type.Object(
  {
    matchLabels: Type.Optional(stringMap('Labels that must all be present with exactly these values.')),
    matchExpressions: Type.Optional(atomicList(LabelSelectorRequirementSchema, 'Further requirements, all of which must hold.')),
  },
  {
    $id: `${META}.LabelSelector`,
    description: 'A label query; all its parts are ANDed, an empty selector matches everything, a null one nothing.',
    ...atomicStruct,
  },
);

export const StatusCauseSchema = Type.Object(
  {
    reason: Type.Optional(str('Machine-readable cause of the error, such as FieldValueInvalid.')),
    message: Type.Optional(str('Human-readable explanation of the cause.')),
    field: Type.Optional(str('Path of the offending field, such as "spec.containers[0].name".')),
  },
  { $id: `${META}.StatusCause`, description: 'One specific reason a request failed, often tied to a field.' },
);

export const StatusDetailsSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the object the status refers to.')),
    group: Type.Optional(str('API group of the object the status refers to.')),
    kind: Type.Optional(str('Resource kind (or plural) the status refers to.')),
    uid: Type.Optional(str('UID of the object the status refers to.')),
    causes: Type.Optional(atomicList(StatusCauseSchema, 'The individual causes of the failure.')),
    retryAfterSeconds: Type.Optional(int32('Seconds the client should wait before retrying, when set.')),
  },
  { $id: `${META}.StatusDetails`, description: 'Extra, reason-specific data about a failed or partial request.' },
);

export const StatusSchema = Type.Object(
  {
    kind: Type.Optional(str('Always "Status".')),
    apiVersion: Type.Optional(str('Version of the schema of this object; "v1".')),
    metadata: Type.Optional(field(ListMetaSchema, 'List metadata; usually empty.')),
    status: Type.Optional(str('"Success" or "Failure".')),
    message: Type.Optional(str('Human-readable description of the outcome.')),
    reason: Type.Optional(str('Machine-readable category of a failure, such as NotFound or Conflict.')),
    details: Type.Optional(field(StatusDetailsSchema, 'Reason-specific details; their shape depends on reason.')),
    code: Type.Optional(int32('HTTP status code of the response.')),
  },
  {
    $id: `${META}.Status`,
    description: 'The result of a call that does not return an object, and the body of every error.',
    [X.gvk]: [{ group: '', version: 'v1', kind: 'Status' }],
  },
);

export const PreconditionsSchema = Type.Object(
  {
    uid: Type.Optional(str('The object must have this UID.')),
    resourceVersion: Type.Optional(str('The object must be at this resource version.')),
  },
  { $id: `${META}.Preconditions`, description: 'Conditions the stored object must meet for the operation to go ahead.' },
);

export const DeleteOptionsSchema = Type.Object(
  {
    kind: Type.Optional(str('Always "DeleteOptions".')),
    apiVersion: Type.Optional(str('Version of the schema of this object.')),
    gracePeriodSeconds: Type.Optional(int64('Seconds to wait before the object is removed; 0 means now, unset means the kind default.')),
    preconditions: Type.Optional(field(PreconditionsSchema, 'Checks made against the stored object before deleting.')),
    orphanDependents: Type.Optional(bool('Deprecated: use propagationPolicy. Whether to orphan the dependents.')),
    propagationPolicy: Type.Optional(str('What happens to dependents: Orphan, Background (the default for most kinds) or Foreground.')),
    dryRun: Type.Optional(atomicList(str('A dry-run stage; only "All" is defined.'), 'When set, nothing is persisted.')),
    ignoreStoreReadErrorWithClusterBreakingPotential: Type.Optional(
      bool('Deletes an object that can no longer be read from storage (unsafe; needs extra permission).'),
    ),
  },
  {
    $id: `${META}.DeleteOptions`,
    description: 'Options of a delete call: grace period, preconditions and what happens to dependents.',
    [X.gvk]: [
      { group: '', version: 'v1', kind: 'DeleteOptions' },
      { group: 'apps', version: 'v1', kind: 'DeleteOptions' },
      { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' },
    ],
  },
);

/** `kind` and `apiVersion` of any top-level object, in metav1.TypeMeta's order. */
export function typeMeta(): { kind: TOptional<TString>; apiVersion: TOptional<TString> } {
  return {
    kind: Type.Optional(str('Kind of object this representation holds, in CamelCase.')),
    apiVersion: Type.Optional(str('Versioned schema of this representation, e.g. "v1" or "apps/v1".')),
  };
}

export type ListSchema<T extends TObject> = TObject<{
  kind: TOptional<TString>;
  apiVersion: TOptional<TString>;
  metadata: TOptional<typeof ListMetaSchema>;
  items: TArray<T>;
}>;

/** Reads the group/version/kind extension of a top-level schema. */
export function gvkOf(schema: object): GroupVersionKind | undefined {
  const list = (schema as Record<string, unknown>)[X.gvk];
  return Array.isArray(list) ? (list[0] as GroupVersionKind) : undefined;
}

/**
 * Builds the `<Kind>List` schema of a kind; `id` defaults to the item's `$id` + "List" and the
 * group/version are taken from the item's `x-kubernetes-group-version-kind`.
 */
export function listSchema<T extends TObject>(itemSchema: T, kind: string, id?: string): ListSchema<T> {
  const item = gvkOf(itemSchema);
  const listKind = `${kind}List`;
  return Type.Object(
    {
      ...typeMeta(),
      metadata: Type.Optional(field(ListMetaSchema, 'Metadata of the list: resource version and paging token.')),
      items: Type.Array(itemSchema, { description: `The ${kind} objects in the list.` }),
    },
    {
      $id: id ?? `${itemSchema.$id ?? kind}List`,
      description: `A list of ${kind} objects.`,
      [X.gvk]: [{ group: item?.group ?? '', version: item?.version ?? 'v1', kind: listKind }],
    },
  );
}

export type OwnerReference = Static<typeof OwnerReferenceSchema>;
export type LabelSelector = Static<typeof LabelSelectorSchema>;
