/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition (apiextensions-apiserver pkg/registry/
 * customresourcedefinition): cluster-scoped, with generation and a status that only the /status
 * subresource writes; the storage version joins status.storedVersions on every write. A DELETE
 * leaves it Terminating under the `customresourcecleanup.apiextensions.k8s.io` finalizer until the
 * CRD controller has deleted its objects. `kubectl get crd` shows NAME and CREATED AT.
 */
import { column, nameColumn } from '../../apimachinery/table.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { statusKeepsSpec } from '../../registry/resource-definition.js';
import { path } from '../../apimachinery/field-errors.js';
import { CustomResourceDefinitionListSchema, CustomResourceDefinitionSchema, type CustomResourceDefinition } from './schema.js';
import { crdNameRule, validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate, validateNames } from './validation.js';
import { CRD_CLEANUP_FINALIZER } from './names.js';

type Crd = CustomResourceDefinition & { metadata: NonNullable<CustomResourceDefinition['metadata']> };

/**
 * SetDefaults for v1: singular and listKind from the kind, conversion None. A CRD sent without a
 * spec has Go's zero spec (a struct, not a pointer), which validation then reports field by field.
 */
function defaults(crd: Crd): void {
  crd.spec ??= {} as Crd['spec'];
  const spec = crd.spec as Partial<Crd['spec']>;
  const names = spec.names;
  if (names?.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

/** The storage version joins status.storedVersions (it is never removed by a write to the main resource). */
function withStorageVersion(crd: Crd): void {
  const storage = crd.spec.versions?.find((v) => v.storage)?.name;
  if (!storage) return;
  crd.status ??= {};
  const stored = crd.status.storedVersions ?? [];
  if (!stored.includes(storage)) crd.status.storedVersions = [...stored, storage];
}

const customResourceDefinitions: ResourceDefinition<Crd> = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: 'customresourcedefinitions',
  etcdResourcePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  tracksGeneration: true,
  // apiextensions validates a CRD's metadata with the generic ValidateObjectMeta.
  genericObjectMeta: true,
  schema: CustomResourceDefinitionSchema,
  listSchema: CustomResourceDefinitionListSchema,
  // apiextensions-apiserver decodes CRDs from protobuf too (its scheme's types have generated.proto);
  // kubectl itself sends them as JSON. The message's Go struct also gives field ownership its zeros.
  protobuf: 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  table: {
    columns: [nameColumn(), column('Created At', 'When the CustomResourceDefinition was created.', { type: 'date' })],
    cells: (crd) => [crd.metadata.name, crd.metadata.creationTimestamp],
  },
  // GetResetFields: the status strategy resets all metadata.
  resetFields: { main: ['status'], status: ['metadata', 'spec'] },
  strategy: {
    defaults,
    prepareForCreate(crd) {
      crd.status = {};
      withStorageVersion(crd);
    },
    prepareForUpdate(crd, old) {
      crd.status = old.status;
      withStorageVersion(crd);
    },
    // ValidateCustomResourceDefinition: ValidateObjectMeta with a name rule that reads the CRD, then the rest.
    validate: (crd, meta) => [...meta.create(crdNameRule(crd)), ...validateCustomResourceDefinition(crd)],
    ownObjectMetaOnCreate: true,
    // validateCustomResourceDefinitionUpdate: apimachinery's ValidateObjectMetaUpdate first, no ValidateObjectMeta.
    validateUpdate: (crd, old, meta) => [...meta.update(), ...validateCustomResourceDefinitionUpdate(crd, old)],
  },
  statusStrategy: statusKeepsSpec<Crd>({
    // ValidateUpdateCustomResourceDefinitionStatus: ValidateObjectMetaUpdate, then the status.
    validateUpdate: (crd, _old, meta) => [
      ...meta.update(),
      ...(crd.status?.acceptedNames ? validateNames(crd.status.acceptedNames, path('status', 'acceptedNames')) : []),
    ],
  }),
  prepareForDelete(crd) {
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
  },
};

export default customResourceDefinitions;
