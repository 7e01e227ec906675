/**
 * What `npm run bench:ab` (bench/ab.ts) compares of a child's results: their numeric fields, and
 * each field's median per side with the change from A to B. Pure.
 */
import { median } from './stats.js';

/**
 * A result's numeric fields; a list of objects (a child's rounds) gives each numeric field of its
 * items as `list.field`, the median over the items.
 */
export function figures(result: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number') out[key] = value;
    else if (Array.isArray(value) && value.length && value.every((v) => v !== null && typeof v === 'object')) {
      const items = value as Record<string, unknown>[];
      for (const field of Object.keys(items[0])) {
        if (items.every((v) => typeof v[field] === 'number')) out[`${key}.${field}`] = median(items.map((v) => v[field] as number));
      }
    }
  }
  return out;
}

export interface FieldComparison {
  field: string;
  a: number;
  b: number;
  /** (b − a) / a; undefined when a is 0. */
  change: number | undefined;
}

/** Each field every result of both sides has: its median on each side, in the order B's first result has them. */
export function compareSides(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): FieldComparison[] {
  const ofA = a.map(figures);
  const ofB = b.map(figures);
  if (!ofB.length) return [];
  const fields = Object.keys(ofB[0]).filter((k) => ofA.every((r) => k in r) && ofB.every((r) => k in r));
  return fields.map((field) => {
    const ma = median(ofA.map((r) => r[field]));
    const mb = median(ofB.map((r) => r[field]));
    return { field, a: ma, b: mb, change: ma === 0 ? undefined : (mb - ma) / ma };
  });
}
