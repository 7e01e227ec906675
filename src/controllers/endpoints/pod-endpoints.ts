/**
 * Which pods back a Service and how (k8s.io/endpointslice/util and podutil.FindPort), shared by the
 * endpoints and EndpointSlice controllers.
 */
import { labelSelectorMatches } from '../../apimachinery/labels.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import type { StoredPod, StoredService } from '../../resources/stored.js';

/** A Service the controllers fill: one with a non-empty selector (the others' endpoints are written by hand). */
export function selectsPods(svc: StoredService): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

export const isHeadless = (svc: StoredService) => svc.spec?.clusterIP === 'None';

/** The pods of the Service's namespace its selector matches. */
export function selectedPods(svc: StoredService, pods: StoredPod[]): StoredPod[] {
  const selector = { matchLabels: svc.spec?.selector ?? {} };
  return pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && labelSelectorMatches(selector, p.metadata.labels));
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless terminating pods are wanted. */
export function shouldPodBeInEndpoints(pod: StoredPod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !pod.status?.podIPs?.length) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** ShouldSetHostname: the pod names a hostname and the Service as its subdomain. */
export function shouldSetHostname(pod: StoredPod, svc: StoredService): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

type ServicePort = NonNullable<NonNullable<StoredService['spec']>['ports']>[number];

/**
 * podutil.FindPort: a numeric targetPort as is; a named one is the container port of that name and
 * the Service port's protocol (regular containers, then sidecar init containers); undefined when none.
 */
export function findPort(pod: StoredPod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...pod.spec.containers, ...sidecars]) {
    const found = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** The pod's IPs, the first being status.podIP. */
export function podIPs(pod: StoredPod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}
