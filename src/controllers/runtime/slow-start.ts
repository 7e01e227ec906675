/**
 * controller.slowStartBatch: attempts the items in batches of 1, 2, 4, … and stops after the
 * first batch in which an attempt failed, so a failing create (quota, admission) costs a few
 * calls rather than hundreds; the rest wait for the next sync. Returns how many were attempted.
 */
export function slowStartBatches<T>(items: readonly T[], attempt: (item: T) => boolean): number {
  let pos = 0;
  for (let batch = Math.min(items.length, 1); pos < items.length; batch = Math.min(2 * batch, items.length - pos)) {
    let failed = false;
    for (const item of items.slice(pos, pos + batch)) if (!attempt(item)) failed = true;
    pos += batch;
    if (failed) break;
  }
  return pos;
}
