/**
 * Required node affinity and nodeSelector, as the scheduler and the DaemonSet controller evaluate
 * them (component-helpers nodeaffinity). Pure functions; preferred terms are not considered.
 */

import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '../../resources/schemas.js';

/** What node affinity reads of a node: its name and labels. */
type NodeIdentity = { metadata?: Pick<NonNullable<Node['metadata']>, 'name' | 'labels'> };

/** Every nodeSelector pair must equal a node label. */
export function matchesNodeSelector(
  nodeLabels: Record<string, string> | undefined,
  nodeSelector: Record<string, string> | undefined,
): boolean {
  for (const [k, v] of Object.entries(nodeSelector ?? {})) {
    if (nodeLabels?.[k] !== v) return false;
  }
  return true;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * One requirement against a map of values (labels, or `metadata.name` for fields); undefined when
 * the requirement is malformed (the whole term then matches nothing, as upstream's lazy errors).
 */
function requirementHolds(req: NodeSelectorRequirement, values: Record<string, string>): boolean | undefined {
  const list = req.values ?? [];
  const present = Object.prototype.hasOwnProperty.call(values, req.key);
  const actual = values[req.key];
  switch (req.operator) {
    case 'In':
      if (!list.length) return undefined;
      return present && list.includes(actual);
    case 'NotIn':
      if (!list.length) return undefined;
      return !present || !list.includes(actual);
    case 'Exists':
      if (list.length) return undefined;
      return present;
    case 'DoesNotExist':
      if (list.length) return undefined;
      return !present;
    case 'Gt':
    case 'Lt': {
      if (list.length !== 1 || !INTEGER.test(list[0])) return undefined;
      if (!present || !INTEGER.test(actual)) return false;
      const a = BigInt(actual);
      const b = BigInt(list[0]);
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return undefined;
  }
}

function fieldRequirementHolds(req: NodeSelectorRequirement, fields: Record<string, string>): boolean | undefined {
  // Only metadata.name, only In/NotIn with exactly one value are valid node field selectors.
  if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return undefined;
  if ((req.values ?? []).length !== 1) return undefined;
  return requirementHolds(req, fields);
}

function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, fields: Record<string, string>): boolean {
  const exprs = term.matchExpressions ?? [];
  const fieldReqs = term.matchFields ?? [];
  if (!exprs.length && !fieldReqs.length) return false;
  for (const r of exprs) if (requirementHolds(r, labels) !== true) return false;
  for (const r of fieldReqs) if (fieldRequirementHolds(r, fields) !== true) return false;
  return true;
}

/** Terms are ORed; an empty list, or a term with neither expressions nor fields, matches nothing. */
export function matchesNodeSelectorTerms(node: NodeIdentity, terms: readonly NodeSelectorTerm[] | undefined): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  return (terms ?? []).some((t) => termMatches(t, labels, fields));
}

/** nodeSelector AND the required node affinity (when set). */
export function podFitsNodeAffinity(podSpec: Pick<PodSpec, 'nodeSelector' | 'affinity'> | undefined, node: NodeIdentity): boolean {
  if (!matchesNodeSelector(node.metadata?.labels, podSpec?.nodeSelector)) return false;
  const required = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return matchesNodeSelectorTerms(node, required.nodeSelectorTerms);
  return true;
}
