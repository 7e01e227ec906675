/**
 * k8s pkg/apis/rbac/validation: rules need verbs, and either resources with groups or (in
 * ClusterRoles only) non-resource URLs; a binding's roleRef names a role of this group and never
 * changes; subjects are users, groups or service accounts of the right group.
 */
import { deepEqual } from '../../apimachinery/object.js';
import { invalidValue, notSupported, path, required, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import { goStringSlice, nameIsDnsSubdomain, nameIsPathSegment } from '../../apimachinery/validation/names.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import { RBAC_GROUP, type PolicyRule, type RoleRef, type Subject } from './schema.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './kinds.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(required(fld.child('verbs'), 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    const urls = goStringSlice(rule.nonResourceURLs);
    if (namespaced) errs.push(invalidValue(fld.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errs.push(invalidValue(fld.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!rule.apiGroups?.length) errs.push(required(fld.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errs.push(required(fld.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((rule, i) => validatePolicyRule(rule, namespaced, path('rules').index(i)));
}

export const validateRole = (role: Role): FieldError[] => validateRules(role.rules, true);

export function validateClusterRole(role: ClusterRole): FieldError[] {
  const errs = validateRules(role.rules, false);
  const aggregation = role.aggregationRule;
  if (aggregation) {
    const selectors = path('aggregationRule', 'clusterRoleSelectors');
    if (!aggregation.clusterRoleSelectors?.length) {
      errs.push(required(selectors, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    aggregation.clusterRoleSelectors?.forEach((selector, i) => errs.push(...validateLabelSelector(selector, selectors.index(i))));
  }
  return errs;
}

export function validateSubject(subject: Subject, namespaced: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!subject.name) errs.push(required(fld.child('name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name)
        for (const msg of nameIsDnsSubdomain(subject.name, false)) errs.push(invalidValue(fld.child('name'), subject.name, msg));
      if (subject.apiGroup) errs.push(notSupported(fld.child('apiGroup'), subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(fld.child('namespace')));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errs.push(notSupported(fld.child('apiGroup'), subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(fld.child('kind'), subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateRoleRef(ref: RoleRef, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported(path('roleRef', 'apiGroup'), ref.apiGroup, [RBAC_GROUP]));
  if (!kinds.includes(ref.kind)) errs.push(notSupported(path('roleRef', 'kind'), ref.kind, kinds));
  if (!ref.name) errs.push(required(path('roleRef', 'name')));
  else for (const msg of nameIsPathSegment(ref.name, false)) errs.push(invalidValue(path('roleRef', 'name'), ref.name, msg));
  return errs;
}

function validateBinding(binding: RoleBinding | ClusterRoleBinding, namespaced: boolean): FieldError[] {
  return [
    ...validateRoleRef(binding.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']),
    ...(binding.subjects ?? []).flatMap((s, i) => validateSubject(s, namespaced, path('subjects').index(i))),
  ];
}

/**
 * The strategy's ValidateUpdate: ValidateRoleBinding (ObjectMeta first), then ValidateRoleBindingUpdate
 * (ValidateRoleBinding again, ObjectMetaUpdate, then the roleRef, fixed at creation: delete and
 * recreate the binding to change it).
 */
function validateBindingUpdate(binding: RoleBinding, old: RoleBinding, namespaced: boolean, meta: ObjectMetaChecks): FieldError[] {
  const once = [...meta.create(), ...validateBinding(binding, namespaced)];
  const errs = [...once, ...once, ...meta.update()];
  if (!deepEqual(binding.roleRef, old.roleRef)) {
    const ref = binding.roleRef;
    const shown = {
      go: `rbac.RoleRef{APIGroup:${goQuote(ref.apiGroup)}, Kind:${goQuote(ref.kind)}, Name:${goQuote(ref.name)}}`,
    };
    errs.push(invalidValue(path('roleRef'), shown, 'cannot change roleRef'));
  }
  return errs;
}

export const validateRoleBinding = (b: RoleBinding): FieldError[] => validateBinding(b, true);
export const validateRoleBindingUpdate = (b: RoleBinding, old: RoleBinding, meta: ObjectMetaChecks): FieldError[] =>
  validateBindingUpdate(b, old, true, meta);
export const validateClusterRoleBinding = (b: ClusterRoleBinding): FieldError[] => validateBinding(b, false);
export const validateClusterRoleBindingUpdate = (b: ClusterRoleBinding, old: ClusterRoleBinding, meta: ObjectMetaChecks): FieldError[] =>
  validateBindingUpdate(b, old, false, meta);

/** SetDefaults_*: a roleRef's and a user's or group's apiGroup default to rbac.authorization.k8s.io. */
export function defaultBinding(binding: RoleBinding | ClusterRoleBinding): void {
  if (binding.roleRef && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const s of binding.subjects ?? []) if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
}
