/**
 * rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide rules, or the union of other ClusterRoles'
 * (aggregationRule, kept by the clusterrole-aggregation controller); NAME CREATED AT as upstream.
 */
import type { Stored } from '../../apimachinery/object.js';
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { ClusterRoleListSchema, ClusterRoleSchema, type ClusterRole } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP } from '../rbac-schemas/schema.js';
import { validateClusterRole } from '../rbac-schemas/validation.js';
import { preventRoleEscalation } from '../rbac-policy/escalation.js';

const clusterRoles: ResourceDefinition<Stored<ClusterRole>> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  nameValidator: nameIsPathSegment,
  schema: ClusterRoleSchema,
  listSchema: ClusterRoleListSchema,
  protobuf: 'k8s.io.api.rbac.v1.ClusterRole',
  // AllowCreateOnUpdate (true in pkg/registry/rbac/clusterrole/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    validate: (r) => validateClusterRole(r),
    // The strategy's ValidateUpdate: ValidateClusterRole, then ValidateClusterRoleUpdate (ValidateClusterRole again, then ObjectMetaUpdate).
    validateUpdate: (r, _old, meta) => [
      ...meta.create(),
      ...validateClusterRole(r),
      ...meta.create(),
      ...validateClusterRole(r),
      ...meta.update(),
    ],
  },
  hooks: { allocate: (r, _old, cluster, write) => preventRoleEscalation(r, cluster, write.user) },
};

export default clusterRoles;
