/**
 * Host ports, as the scheduler's NodePorts filter and the kubelet's admission read them: the ports
 * a pod binds on its node are the hostPorts of its containers and of its sidecars (init containers
 * with restartPolicy Always, which run as long as the pod); two pods conflict on the same protocol
 * (TCP when unset) and port when their host IPs overlap (unset or 0.0.0.0 overlaps every IP).
 * Pure functions.
 */
import type { StoredPod } from '../../resources/stored.js';

/** The NodePorts filter's reason, in the scheduler's and the kubelet's messages. */
export const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

interface HostPort {
  hostPort: number;
  protocol: string;
  hostIP: string;
}

const ANY_IP = '0.0.0.0';

/** The host ports the pod binds, protocol and IP defaulted. */
function hostPorts(pod: StoredPod): HostPort[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...sidecars, ...(pod.spec?.containers ?? [])].flatMap((c) =>
    (c.ports ?? []).flatMap((p) =>
      p.hostPort ? [{ hostPort: p.hostPort, protocol: p.protocol || 'TCP', hostIP: p.hostIP || ANY_IP }] : [],
    ),
  );
}

/** Whether the pod binds any host port. */
export const wantsHostPorts = (pod: StoredPod): boolean => hostPorts(pod).length > 0;

/** Whether a host port the pod wants is taken by one of `others` (the pods already on the node). */
export function hostPortsConflict(pod: StoredPod, others: readonly StoredPod[]): boolean {
  const wanted = hostPorts(pod);
  if (!wanted.length) return false;
  const used = others.flatMap(hostPorts);
  return wanted.some((w) =>
    used.some(
      (u) =>
        u.protocol === w.protocol && u.hostPort === w.hostPort && (w.hostIP === ANY_IP || u.hostIP === ANY_IP || u.hostIP === w.hostIP),
    ),
  );
}
