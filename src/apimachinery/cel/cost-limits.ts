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

/** Go's %.{digits}f of a non-negative number: rounded on its exact value, an exact half to the even digit. */
function goFixed(x: number, digits: number): string {
  const exact = x.toFixed(60); // a double's exact decimal expansion (here never longer than this)
  const [whole, fraction] = exact.split('.');
  const kept = BigInt(whole + fraction.slice(0, digits));
  const dropped = fraction.slice(digits);
  const half = '5'.padEnd(dropped.length, '0');
  const up = dropped > half || (dropped === half && kept % 2n === 1n);
  const digitsOut = (up ? kept + 1n : kept).toString().padStart(digits + 1, '0');
  return digits ? `${digitsOut.slice(0, -digits)}.${digitsOut.slice(-digits)}` : digitsOut;
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
