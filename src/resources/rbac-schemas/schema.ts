/**
 * The parts rbac.authorization.k8s.io/v1 kinds share (k8s.io/api/rbac/v1): a policy rule, a
 * binding's subjects and role reference, a ClusterRole's aggregation rule. Go field order.
 */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, atomicStruct, field, str } from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema } from '../../apimachinery/schemas/meta.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC = 'io.k8s.api.rbac.v1';

const strings = (description: string) => atomicList(str('One value.'), description);

export const PolicyRuleSchema = Type.Object(
  {
    verbs: strings("The verbs the rule grants ('get', 'list', 'create' …); '*' grants every verb."),
    apiGroups: Type.Optional(strings("The API groups of the resources ('' is the core group); '*' matches every group.")),
    resources: Type.Optional(
      strings(
        "The resources the rule applies to, 'resource/subresource' for a subresource; '*' every resource, '*/sub' a subresource of any.",
      ),
    ),
    resourceNames: Type.Optional(strings('Names of the objects the rule is limited to; empty means every object.')),
    nonResourceURLs: Type.Optional(
      strings("URL paths the rule grants (ClusterRoles bound by ClusterRoleBindings only); a trailing '*' matches a prefix."),
    ),
  },
  { $id: `${RBAC}.PolicyRule`, description: 'What a role grants: verbs on resources or on non-resource URLs.' },
);

export const SubjectSchema = Type.Object(
  {
    kind: str('User, Group or ServiceAccount.'),
    apiGroup: Type.Optional(str('"rbac.authorization.k8s.io" for users and groups, "" for service accounts.')),
    name: str('The name of the subject.'),
    namespace: Type.Optional(str("The service account's namespace (defaults to the binding's own in a RoleBinding).")),
  },
  { $id: `${RBAC}.Subject`, description: 'Who a binding grants its role to.', ...atomicStruct },
);

export const RoleRefSchema = Type.Object(
  {
    apiGroup: str('The group of the referenced role, "rbac.authorization.k8s.io".'),
    kind: str('Role or ClusterRole.'),
    name: str('The name of the referenced role.'),
  },
  { $id: `${RBAC}.RoleRef`, description: 'The role a binding grants.', ...atomicStruct },
);

export const AggregationRuleSchema = Type.Object(
  {
    clusterRoleSelectors: Type.Optional(
      atomicList(LabelSelectorSchema, "Selectors of the ClusterRoles whose rules are copied into this one's (the controller keeps them)."),
    ),
  },
  { $id: `${RBAC}.AggregationRule`, description: 'Which ClusterRoles an aggregated ClusterRole combines.' },
);

export const subjectsField = () =>
  Type.Optional(atomicList(SubjectSchema, 'Who the role is granted to: users, groups and service accounts.'));
export const roleRefField = (description: string) => field(RoleRefSchema, description);
export const rulesField = () => Type.Optional(atomicList(PolicyRuleSchema, 'The rules the role grants.'));

export type PolicyRule = Static<typeof PolicyRuleSchema>;
export type Subject = Static<typeof SubjectSchema>;
export type RoleRef = Static<typeof RoleRefSchema>;
