/**
 * Whether one PolicyRule grants one request (k8s pkg/apis/rbac/v1 evaluation helpers and the RBAC
 * authorizer's RuleAllows): every part must match, '*' matching anything; a resource rule may name
 * 'resource/subresource' (or a subresource of any resource: '*' and '/subresource'), and resourceNames narrow it to objects; a
 * non-resource rule names URL paths, a trailing '*' matching every path with that prefix.
 */
import type { Attributes } from '../../apimachinery/authorization.js';
import type { PolicyRule } from '../rbac-schemas/schema.js';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/** `combined` is 'resource' or 'resource/subresource'. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some(
    (r) => r === ALL || r === combined || (subresource !== '' && r.length === subresource.length + 2 && r === `*/${subresource}`),
  );
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => {
    if (u === ALL || u === url) return true;
    if (!u.endsWith(ALL)) return false;
    return url.startsWith(u.replace(/\*+$/, ''));
  });
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path);
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return (
    apiGroupMatches(rule, attrs.apiGroup) && resourceMatches(rule, combined, attrs.subresource) && resourceNameMatches(rule, attrs.name)
  );
}
