/**
 * Taints and tolerations, as the scheduler, the DaemonSet controller and the taint manager read
 * them (component-helpers ToleratesTaint / FindMatchingUntoleratedTaint). Pure functions.
 */

import type { Taint, Toleration } from '../../resources/schemas.js';

/** The effects the scheduler filters on (PreferNoSchedule only scores). */
export const SCHEDULING_EFFECTS: readonly string[] = ['NoSchedule', 'NoExecute'];

/**
 * Whether one toleration tolerates one taint: the effect (empty = any), the key (empty = any) and
 * the value (operator Equal or empty) must match; operator Exists ignores the value.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function toleratesTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/**
 * The first taint whose effect is in `effects` (all effects when omitted) that no toleration
 * tolerates; undefined when every such taint is tolerated.
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly string[] = SCHEDULING_EFFECTS,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!effects.includes(taint.effect)) continue;
    if (!toleratesTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** How the scheduler's message names a taint: `{key: value}`. */
export function describeTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}
