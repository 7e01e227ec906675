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
