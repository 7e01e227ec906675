/** rbac.authorization.k8s.io/v1 RoleBinding: a Role or ClusterRole granted in one namespace; NAME ROLE AGE. */
import type { Stored } from '../../apimachinery/object.js';
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { RoleBindingListSchema, RoleBindingSchema, type RoleBinding } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP } from '../rbac-schemas/schema.js';
import { defaultBinding, validateRoleBinding, validateRoleBindingUpdate } from '../rbac-schemas/validation.js';
import { bindingTable } from '../rbac-schemas/binding-table.js';
import { preventBindingEscalation } from '../rbac-policy/escalation.js';

const roleBindings: ResourceDefinition<Stored<RoleBinding>> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  nameValidator: nameIsPathSegment,
  schema: RoleBindingSchema,
  listSchema: RoleBindingListSchema,
  protobuf: 'k8s.io.api.rbac.v1.RoleBinding',
  table: bindingTable('roleBinding'),
  // AllowCreateOnUpdate (true in pkg/registry/rbac/rolebinding/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    defaults: (b) => defaultBinding(b),
    validate: (b) => validateRoleBinding(b),
    validateUpdate: (b, old, meta) => validateRoleBindingUpdate(b, old, meta),
  },
  hooks: { allocate: (b, _old, cluster, write) => preventBindingEscalation(b, cluster, write.user) },
};

export default roleBindings;
