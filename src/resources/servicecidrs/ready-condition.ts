/**
 * The Ready condition of a ServiceCIDR, as its two writers set it: kube-apiserver's default
 * ServiceCIDR controller (once, on the `kubernetes` one) and the ServiceCIDR controller (on every
 * one). Both send it with server-side apply of /status, forced, under their own field manager; the
 * condition carries no reason unless it is Terminating.
 */
import { rfc3339 } from '../../apimachinery/object.js';
import type { ResourceStore } from '../../registry/store.js';
import { READY_CONDITION, type StoredServiceCIDR } from './readiness.js';

export interface ReadyState {
  status: 'True' | 'False';
  reason?: string;
  message: string;
}

/** The Ready condition says this already (its transition time aside): nothing to write. */
export function readyConditionIs(sc: StoredServiceCIDR, want: ReadyState): boolean {
  const ready = sc.status?.conditions?.find((c) => c.type === READY_CONDITION);
  return !!ready && ready.status === want.status && (ready.reason ?? '') === (want.reason ?? '') && ready.message === want.message;
}

/** ApplyStatus of the Ready condition, forced, as `fieldManager`, stamped `now`. */
export function applyReadyCondition(
  store: ResourceStore<StoredServiceCIDR>,
  name: string,
  want: ReadyState,
  fieldManager: string,
  now: number,
): void {
  const condition = {
    type: READY_CONDITION,
    status: want.status,
    lastTransitionTime: rfc3339(now),
    ...(want.reason ? { reason: want.reason } : {}),
    message: want.message,
  };
  const config = { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, status: { conditions: [condition] } };
  const opts = { subresource: 'status', fieldManager, applied: true } as const;
  store.patch(undefined, name, (current) => store.applyConfiguration(current, config, { ...opts, force: true }), opts);
}
