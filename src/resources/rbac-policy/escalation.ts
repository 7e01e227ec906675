/**
 * Escalation prevention (k8s pkg/registry/rbac: the policy-based role and binding storage and
 * validation.ConfirmNoEscalation): a client may write a role only with rules it holds itself (or
 * with `escalate` on the role), and bind a role only if it holds the role's rules (or has `bind` on
 * it). Members of system:masters and the server's own writes are never checked.
 */
import { forbidden } from '../../apimachinery/status.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP, type PolicyRule } from '../rbac-schemas/schema.js';
import { isPrivileged } from '../../apimachinery/user-info.js';
import { Policy, resourceCheck } from './policy.js';
import { compactString, goQuoted, missingRules } from './rule-coverage.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** ConfirmNoEscalation's error, or undefined when the user holds every rule. */
function escalationError(policy: Policy, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const held = policy.rulesOf(user, namespace);
  const missing = missingRules(held.rules, rules);
  if (!missing.length) return undefined;
  const lines = [...new Set(missing.map(compactString))].sort();
  let msg = `user ${goQuote(user.username)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (held.errors.length) msg += `; resolution errors: [${held.errors.join(' ')}]`;
  return msg;
}

const pluralOf = (kind: string) => (kind === 'Role' ? 'roles' : 'clusterroles');

export function preventRoleEscalation(role: Role | ClusterRole, cluster: ClusterReader, user: UserInfo | undefined): void {
  if (!user || isPrivileged(user)) return;
  const namespace = role.metadata?.namespace ?? '';
  const plural = namespace ? 'roles' : 'clusterroles';
  const name = role.metadata?.name ?? '';
  const policy = Policy.read(cluster);
  if (policy.authorize(resourceCheck(user, 'escalate', plural, namespace, name)).allowed) return;
  // An aggregated ClusterRole's rules are the controller's to write, not the client's grant.
  const rules = 'aggregationRule' in role && role.aggregationRule ? [] : (role.rules ?? []);
  const error = escalationError(policy, user, namespace, rules);
  if (error) throw forbidden({ group: RBAC_GROUP, resource: plural }, name, error);
}

export function preventBindingEscalation(
  binding: RoleBinding | ClusterRoleBinding,
  cluster: ClusterReader,
  user: UserInfo | undefined,
): void {
  if (!user || isPrivileged(user)) return;
  const namespace = binding.metadata?.namespace ?? '';
  const plural = namespace ? 'rolebindings' : 'clusterrolebindings';
  const name = binding.metadata?.name ?? '';
  const ref = binding.roleRef;
  const policy = Policy.read(cluster);
  if (policy.authorize(resourceCheck(user, 'bind', pluralOf(ref.kind), namespace, ref.name)).allowed) return;
  const granted = policy.roleRules(ref, namespace);
  if ('error' in granted) throw forbidden({ group: RBAC_GROUP, resource: plural }, name, granted.error);
  const error = escalationError(policy, user, namespace, granted.rules);
  if (error) throw forbidden({ group: RBAC_GROUP, resource: plural }, name, error);
}
