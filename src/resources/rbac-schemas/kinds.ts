/** The four rbac.authorization.k8s.io/v1 kinds: two roles (rules) and two bindings (subjects to a role). */
import { Type, type Static } from '@sinclair/typebox';
import { field, gvk } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { AggregationRuleSchema, RBAC_GROUP, roleRefField, rulesField, subjectsField } from './schema.js';

const RBAC = 'io.k8s.api.rbac.v1';
const metadata = () => Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.'));

export const RoleSchema = Type.Object(
  { ...typeMeta(), metadata: metadata(), rules: rulesField() },
  { $id: `${RBAC}.Role`, description: 'Rules granting access to the resources of one namespace.', ...gvk(RBAC_GROUP, 'v1', 'Role') },
);

export const ClusterRoleSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: metadata(),
    rules: rulesField(),
    aggregationRule: Type.Optional(
      field(AggregationRuleSchema, "When set, the rules are the controller's union of the selected ClusterRoles' rules."),
    ),
  },
  {
    $id: `${RBAC}.ClusterRole`,
    description: 'Rules granting access cluster-wide, or in a namespace when bound by a RoleBinding.',
    ...gvk(RBAC_GROUP, 'v1', 'ClusterRole'),
  },
);

export const RoleBindingSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: metadata(),
    subjects: subjectsField(),
    roleRef: roleRefField('The Role in this namespace, or the ClusterRole, granted; it cannot change.'),
  },
  {
    $id: `${RBAC}.RoleBinding`,
    description: "Grants a Role's or ClusterRole's rules in this namespace to its subjects.",
    ...gvk(RBAC_GROUP, 'v1', 'RoleBinding'),
  },
);

export const ClusterRoleBindingSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: metadata(),
    subjects: subjectsField(),
    roleRef: roleRefField('The ClusterRole granted; it cannot change.'),
  },
  {
    $id: `${RBAC}.ClusterRoleBinding`,
    description: "Grants a ClusterRole's rules cluster-wide to its subjects.",
    ...gvk(RBAC_GROUP, 'v1', 'ClusterRoleBinding'),
  },
);

export const RoleListSchema = listSchema(RoleSchema, 'Role');
export const ClusterRoleListSchema = listSchema(ClusterRoleSchema, 'ClusterRole');
export const RoleBindingListSchema = listSchema(RoleBindingSchema, 'RoleBinding');
export const ClusterRoleBindingListSchema = listSchema(ClusterRoleBindingSchema, 'ClusterRoleBinding');

export type Role = Static<typeof RoleSchema>;
export type ClusterRole = Static<typeof ClusterRoleSchema>;
export type RoleBinding = Static<typeof RoleBindingSchema>;
export type ClusterRoleBinding = Static<typeof ClusterRoleBindingSchema>;
