/** rbac.authorization.k8s.io/v1 Role: namespaced rules; `kubectl get roles` shows NAME CREATED AT (upstream prints no other column). */
import type { Stored } from '../../apimachinery/object.js';
import { nameIsPathSegment } from '../../apimachinery/validation/names.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { RoleListSchema, RoleSchema, type Role } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP } from '../rbac-schemas/schema.js';
import { validateRole } from '../rbac-schemas/validation.js';
import { preventRoleEscalation } from '../rbac-policy/escalation.js';

const roles: ResourceDefinition<Stored<Role>> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  nameValidator: nameIsPathSegment,
  schema: RoleSchema,
  listSchema: RoleListSchema,
  protobuf: 'k8s.io.api.rbac.v1.Role',
  // AllowCreateOnUpdate (true in pkg/registry/rbac/role/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    validate: (r) => validateRole(r),
    // The strategy's ValidateUpdate: ValidateRole, then ValidateRoleUpdate (ValidateRole again, then ObjectMetaUpdate).
    validateUpdate: (r, _old, meta) => [...meta.create(), ...validateRole(r), ...meta.create(), ...validateRole(r), ...meta.update()],
  },
  hooks: { allocate: (r, _old, cluster, write) => preventRoleEscalation(r, cluster, write.user) },
};

export default roles;
