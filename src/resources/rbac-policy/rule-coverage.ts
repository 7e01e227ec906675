/**
 * Whether rules a user holds cover rules they grant (k8s pkg/registry/rbac/validation: Covers,
 * BreakdownRule, CompactRules, CompactString): each granted rule is broken into one rule per group,
 * resource, verb (and name), or per URL and verb, and each piece must be covered by a held rule;
 * what is not is reported compacted, one line per group and resource.
 */
import type { PolicyRule } from '../rbac-schemas/schema.js';
import { goQuote } from '../../apimachinery/go-quote.js';

const ALL = '*';
const hasAll = (set: readonly string[] | undefined, wanted: readonly string[] | undefined) =>
  (wanted ?? []).every((w) => (set ?? []).includes(w));
const has = (set: readonly string[] | undefined, value: string) => (set ?? []).includes(value);

function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length)
          for (const name of names) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourcesCover(owner: string[] | undefined, wanted: string[] | undefined): boolean {
  if (has(owner, ALL) || hasAll(owner, wanted)) return true;
  return (wanted ?? []).every((r) => {
    if (has(owner, r)) return true;
    const slash = r.indexOf('/');
    return slash >= 0 && has(owner, `*/${r.slice(slash + 1)}`);
  });
}

function urlCovers(owner: string, wanted: string): boolean {
  return owner === wanted || (owner.endsWith(ALL) && wanted.startsWith(owner.replace(/\*+$/, '')));
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, ALL) || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, ALL) || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourcesCover(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, u)));
  const ownerNames = owner.resourceNames ?? [];
  const names = sub.resourceNames?.length ? ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames) : ownerNames.length === 0;
  return verbs && groups && resources && names && urls;
}

/** The pieces of `granted` that no rule of `held` covers, compacted. */
export function missingRules(held: PolicyRule[], granted: PolicyRule[]): PolicyRule[] {
  const missing = granted.flatMap(breakdown).filter((piece) => !held.some((owner) => ruleCovers(owner, piece)));
  return compactRules(missing);
}

/** Simple rules (one group, one resource, at most one name) of the same object merged into one with all their verbs. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const isSimple =
      !rule.nonResourceURLs?.length &&
      rule.apiGroups?.length === 1 &&
      rule.resources?.length === 1 &&
      (rule.resourceNames?.length ?? 0) <= 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...rule.verbs];
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** fmt's %q of a []string: `["a" "b"]`, each element as strconv.Quote writes it. */
export const goQuoted = (values: string[]) => `[${values.map(goQuote).join(' ')}]`;

/** CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["list"]}`, only the parts present. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${goQuoted(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${goQuoted(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${goQuoted(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}
