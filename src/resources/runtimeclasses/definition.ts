/**
 * node.k8s.io/v1 RuntimeClass (pkg/registry/node/runtimeclass): cluster-scoped, no status, its
 * handler fixed at creation. Pods name one in spec.runtimeClassName; the RuntimeClass admission
 * plugin (pods/runtime-class-admission.ts) copies its overhead and scheduling into them.
 */
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { RuntimeClassListSchema, RuntimeClassSchema, type RuntimeClass } from './schema.js';
import { table } from './table.js';
import { validateRuntimeClass, validateRuntimeClassUpdate } from './validation.js';

const runtimeClasses: ResourceDefinition<Stored<RuntimeClass>> = {
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  listKind: 'RuntimeClassList',
  plural: 'runtimeclasses',
  singular: 'runtimeclass',
  namespaced: false,
  // ValidateRuntimeClass uses the generic ObjectMeta validation (a DNS subdomain name).
  genericObjectMeta: true,
  schema: RuntimeClassSchema,
  listSchema: RuntimeClassListSchema,
  protobuf: 'k8s.io.api.node.v1.RuntimeClass',
  table,
  // AllowCreateOnUpdate (true in pkg/registry/node/runtimeclass/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    validate: (rc) => validateRuntimeClass(rc),
    validateUpdate: (rc, old, meta) => validateRuntimeClassUpdate(rc, old, meta),
  },
};

export default runtimeClasses;
