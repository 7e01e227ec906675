/** metav1.Condition lists as apimachinery's meta helpers keep them (FindStatusCondition, SetStatusCondition). */
import { rfc3339 } from './object.js';
import type { Condition } from './schemas/condition.js';

export type NewCondition = Omit<Condition, 'lastTransitionTime'>;

export function findStatusCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * The list with `c` set: appended when its type is new, else the existing entry takes its status
 * (the transition time moving only when the status does), reason, message and observedGeneration
 * (left out when zero, as omitempty does). The store writes the fields in schema order.
 */
export function setStatusCondition(conditions: readonly Condition[] | undefined, c: NewCondition, now: number): Condition[] {
  const list = (conditions ?? []).map((x) => ({ ...x }));
  const existing = list.find((x) => x.type === c.type);
  if (!existing) {
    const added: Condition = { ...c, lastTransitionTime: rfc3339(now) };
    if (!added.observedGeneration) delete added.observedGeneration;
    list.push(added);
    return list;
  }
  if (existing.status !== c.status) {
    existing.status = c.status;
    existing.lastTransitionTime = rfc3339(now);
  }
  existing.reason = c.reason;
  existing.message = c.message;
  if (c.observedGeneration) existing.observedGeneration = c.observedGeneration;
  else delete existing.observedGeneration;
  return list;
}
