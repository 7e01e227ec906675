/** Order statistics of a scenario's runs (the arrays are not changed). */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The 90th percentile: the smallest run at or above 90% of them. */
export function p90(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)];
}

/** The `q` quantile (0 < q ≤ 1) of ascending `sorted` by nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
