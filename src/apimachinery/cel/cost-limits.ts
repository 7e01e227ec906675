/**
 * The cost budgets kube-apiserver gives CRD validation rules (k8s.io/apiserver/pkg/apis/cel and
 * apiextensions-apiserver's validation): the estimated cost a rule (times how often it can run)
 * may have, the estimated total of a whole schema, and the actual cost one evaluation and all the
 * evaluations of one object may spend; and how upstream words an estimate over its budget.
 */

/** The largest estimated cost of one expression, times the most times it can run in one object. */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
/** The largest estimated cost of all the rules of one version's schema. */
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
/** The largest actual cost of one evaluation of one expression. */
export const PER_CALL_LIMIT = 1_000_000;
/** The largest actual cost of evaluating all the rules on one object. */
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;

/** Go's %.{digits}f: the value rounded to `digits` places, an exact half to the even digit. */
function goFixed(x: number, digits: number): string {
  const scaled = x * 10 ** digits;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && floor % 2 === 0) return (floor / 10 ** digits).toFixed(digits);
  return x.toFixed(digits);
}

/** upstream's getCostErrorMessage: by how much `cost` exceeds `limit`, and what to do about it. */
export function costExceededMessage(what: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${goFixed(factor, 6)}x` : `${goFixed(factor, 1)}x`;
  return (
    `${what} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, ` +
    'maxProperties, and maxLength where arrays, maps, and strings are declared)'
  );
}

/** baseCost × cardinality, saturating at 2^64 - 1 (0 for an empty rule). */
export function timesCardinality(baseCost: number, cardinality: number): number {
  if (baseCost === 0) return 0;
  return Math.min(baseCost * cardinality, 2 ** 64);
}
