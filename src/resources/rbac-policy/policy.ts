/**
 * The RBAC policy at one moment, indexed for the authorizer (k8s plugin/pkg/auth/authorizer/rbac and
 * pkg/registry/rbac/validation's rule resolver): which bindings apply to a user (ClusterRoleBindings
 * everywhere, RoleBindings in their namespace), which rules their roles hold, and why a request was
 * allowed. Bindings to a missing role are reported, not fatal.
 */
import { resourceKey } from '../../registry/resource-definition.js';
import { attributes, type Attributes, type Decision, type UserRules } from '../../apimachinery/authorization.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../rbac-schemas/kinds.js';
import { RBAC_GROUP, type PolicyRule, type RoleRef, type Subject } from '../rbac-schemas/schema.js';
import { ruleAllows } from './rule-matching.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** The four kinds' objects, as the store holds them. */
export interface PolicyObjects {
  roles: Role[];
  clusterRoles: ClusterRole[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
}

/** Told each rule of each binding that applies (with the binding's description), or an error; return false to stop. */
type RuleVisitor = (source: string, rule: PolicyRule | undefined, error: string | undefined) => boolean;

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

function appliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // A RoleBinding's service account defaults to the binding's namespace.
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.username === `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${goQuote(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${goQuote(subject.name)}`;
}

/** utilerrors.NewAggregate's message: one error as is, several in brackets. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

type Named = { metadata?: { name?: string } };
const byName = (a: Named, b: Named) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1);

export class Policy {
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoles = new Map<string, ClusterRole>();
  private readonly roleBindings = new Map<string, RoleBinding[]>();
  private readonly clusterRoleBindings: ClusterRoleBinding[];

  constructor(objects: PolicyObjects) {
    for (const r of objects.roles) this.roles.set(`${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`, r);
    for (const r of objects.clusterRoles) this.clusterRoles.set(r.metadata?.name ?? '', r);
    for (const b of [...objects.roleBindings].sort(byName)) {
      const ns = b.metadata?.namespace ?? '';
      const list = this.roleBindings.get(ns) ?? [];
      list.push(b);
      this.roleBindings.set(ns, list);
    }
    this.clusterRoleBindings = [...objects.clusterRoleBindings].sort(byName);
  }

  /** The policy stored now, read through a ClusterReader. */
  static read(cluster: ClusterReader): Policy {
    const list = <T>(plural: string) => cluster.list(resourceKey(RBAC_GROUP, plural)) as unknown as T[];
    return new Policy({
      roles: list('roles'),
      clusterRoles: list('clusterroles'),
      roleBindings: list('rolebindings'),
      clusterRoleBindings: list('clusterrolebindings'),
    });
  }

  /** The rules a role reference grants (a Role of `namespace`, or a ClusterRole); an error when the role is missing. */
  roleRules(ref: RoleRef, namespace: string): { rules: PolicyRule[] } | { error: string } {
    if (ref.kind === 'Role') {
      const role = this.roles.get(`${namespace}/${ref.name}`);
      return role ? { rules: role.rules ?? [] } : { error: `role.${RBAC_GROUP} ${goQuote(ref.name)} not found` };
    }
    if (ref.kind === 'ClusterRole') {
      const role = this.clusterRoles.get(ref.name);
      return role ? { rules: role.rules ?? [] } : { error: `clusterrole.${RBAC_GROUP} ${goQuote(ref.name)} not found` };
    }
    return { error: `unsupported role reference kind: ${goQuote(ref.kind)}` };
  }

  /** VisitRulesFor: the ClusterRoleBindings' rules, then (in a namespace) the RoleBindings' there. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    const visitBinding = (binding: RoleBinding, bindingNamespace: string, describe: (subject: Subject) => string): boolean => {
      const subject = (binding.subjects ?? []).find((s) => appliesTo(user, s, bindingNamespace));
      if (!subject) return true;
      const granted = this.roleRules(binding.roleRef, bindingNamespace);
      if ('error' in granted) return visit('', undefined, granted.error);
      const source = describe(subject);
      for (const rule of granted.rules) if (!visit(source, rule, undefined)) return false;
      return true;
    };
    for (const b of this.clusterRoleBindings) {
      const go = visitBinding(b, '', (s) => {
        const ref = b.roleRef;
        return `ClusterRoleBinding ${goQuote(b.metadata?.name ?? '')} of ${ref.kind} ${goQuote(ref.name)} to ${describeSubject(s, '')}`;
      });
      if (!go) return;
    }
    if (!namespace) return;
    for (const b of this.roleBindings.get(namespace) ?? []) {
      const go = visitBinding(b, namespace, (s) => {
        const ref = b.roleRef;
        const name = `${b.metadata?.name ?? ''}/${namespace}`;
        return `RoleBinding ${goQuote(name)} of ${ref.kind} ${goQuote(ref.name)} to ${describeSubject(s, namespace)}`;
      });
      if (!go) return;
    }
  }

  authorize(attrs: Attributes): Decision {
    const errors: string[] = [];
    let allowedBy: string | undefined;
    this.visitRulesFor(attrs.user, attrs.namespace, (source, rule, error) => {
      if (error) errors.push(error);
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source;
        return false;
      }
      return true;
    });
    if (allowedBy !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
  }

  /** Every rule the user holds in `namespace` (cluster-wide ones included), and the errors met. */
  rulesOf(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  rulesFor(user: UserInfo, namespace: string): UserRules {
    const { rules, errors } = this.rulesOf(user, namespace);
    const out: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: errors.length > 0, evaluationError: '' };
    for (const r of rules) {
      if (r.resources?.length) {
        out.resourceRules.push({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources,
          resourceNames: r.resourceNames ?? [],
        });
      }
      if (r.nonResourceURLs?.length) out.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    }
    if (errors.length) out.evaluationError = aggregate(errors);
    return out;
  }
}

/** Attributes of a check the RBAC storage makes itself (escalate on a role, bind a role). */
export function resourceCheck(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Attributes {
  return attributes(user, verb, { resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: 'v1', resource, namespace, name });
}
