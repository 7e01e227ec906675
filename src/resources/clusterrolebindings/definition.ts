/** rbac.authorization.k8s.io/v1 ClusterRoleBinding: a ClusterRole granted cluster-wide; NAME ROLE AGE. */
import type { Stored } from '../../apimachinery/object.js';
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { ClusterRoleBindingListSchema, ClusterRoleBindingSchema, type ClusterRoleBinding } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP } from '../rbac-schemas/schema.js';
import { defaultBinding, validateClusterRoleBinding, validateClusterRoleBindingUpdate } from '../rbac-schemas/validation.js';
import { bindingTable } from '../rbac-schemas/binding-table.js';
import { preventBindingEscalation } from '../rbac-policy/escalation.js';

const clusterRoleBindings: ResourceDefinition<Stored<ClusterRoleBinding>> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  nameValidator: nameIsPathSegment,
  schema: ClusterRoleBindingSchema,
  listSchema: ClusterRoleBindingListSchema,
  protobuf: 'k8s.io.api.rbac.v1.ClusterRoleBinding',
  table: bindingTable('clusterRoleBinding'),
  // AllowCreateOnUpdate (true in pkg/registry/rbac/clusterrolebinding/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    defaults: (b) => defaultBinding(b),
    validate: (b) => validateClusterRoleBinding(b),
    validateUpdate: (b, old, meta) => validateClusterRoleBindingUpdate(b, old, meta),
  },
  hooks: { allocate: (b, _old, cluster, write) => preventBindingEscalation(b, cluster, write.user) },
};

export default clusterRoleBindings;
