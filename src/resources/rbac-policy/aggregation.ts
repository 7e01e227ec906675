/**
 * The rules of an aggregated ClusterRole (upstream's clusterrole-aggregation controller): for each
 * of its selectors in turn, the rules of every other ClusterRole the selector picks (by name), each
 * rule once.
 */
import { deepEqual } from '../../apimachinery/object.js';
import { labelSelectorMatches } from '../../apimachinery/labels.js';
import type { ClusterRole } from '../rbac-schemas/kinds.js';
import type { PolicyRule } from '../rbac-schemas/schema.js';

/** Undefined for a ClusterRole without an aggregationRule (its rules are its own). */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const name = role.metadata?.name;
  const byName = [...all].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  const rules: PolicyRule[] = [];
  // Each rule once: by a key of its lists (comparing every pair was most of a first start's aggregation).
  const seen = new Set<string>();
  for (const selector of selectors ?? []) {
    for (const other of byName) {
      if (other.metadata?.name === name || !labelSelectorMatches(selector, other.metadata?.labels)) continue;
      for (const rule of other.rules ?? []) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}

const RULE_LISTS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;

/** Equal for rules sameRule finds equal: their lists of strings, an absent list as an empty one. */
function ruleKey(rule: PolicyRule): string {
  return JSON.stringify(RULE_LISTS.map((k) => rule[k] ?? []));
}

/** Semantic equality of rules: an absent list and an empty one are the same. */
export function sameRules(a: readonly PolicyRule[] | undefined, b: readonly PolicyRule[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => sameRule(r, y[i]));
}

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return RULE_LISTS.every((k) => deepEqual(a[k] ?? [], b[k] ?? []));
}
