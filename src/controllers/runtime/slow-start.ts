/**
 * controller.slowStartBatch: attempts the items in batches of 1, 2, 4, … and stops after the
 * first batch in which an attempt failed, so a failing create (quota, admission) costs a few
 * calls rather than hundreds; the rest wait for the next sync. Returns how many were attempted.
 * `together` runs one batch's attempts (upstream makes them concurrently and waits for them all:
 * Registry.together, one transaction per batch on etcd).
 */
export function slowStartBatches<T>(
  items: readonly T[],
  attempt: (item: T) => boolean,
  together: (batch: () => void) => void = (batch) => batch(),
): number {
  let pos = 0;
  for (let batch = Math.min(items.length, 1); pos < items.length; batch = Math.min(2 * batch, items.length - pos)) {
    let failed = false;
    together(() => {
      for (const item of items.slice(pos, pos + batch)) if (!attempt(item)) failed = true;
    });
    pos += batch;
    if (failed) break;
  }
  return pos;
}
