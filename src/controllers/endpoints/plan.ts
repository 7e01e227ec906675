/**
 * What the Endpoints of a Service should hold (the endpoints controller's syncService, pure): the
 * selected pods' addresses, ready or not, with each Service port resolved on each pod, repacked
 * into subsets of addresses that share the same ports (endpoints.RepackSubsets), sorted.
 */
import { isPodReady } from '../../resources/pods/conditions.js';
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../resources/endpoints/schema.js';
import type { StoredPod, StoredService } from '../../resources/stored.js';
import { findPort, isHeadless, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from './pod-endpoints.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

function addressOf(pod: StoredPod, svc: StoredService): EndpointAddress {
  const address: EndpointAddress = { ip: podIPs(pod)[0] };
  if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname;
  address.nodeName = pod.spec.nodeName ?? '';
  address.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return address;
}

/** Compares IPs as upstream's LessEndpointAddress does: by address bytes (IPv4 numerically), then target UID. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const key = (ip: string) =>
    ip.includes(':')
      ? ip
      : ip
          .split('.')
          .map((o) => o.padStart(3, '0'))
          .join('.');
  const ka = key(a.ip);
  const kb = key(b.ip);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? ''}/${p.appProtocol ?? ''}`;

/** RepackSubsets: one subset per distinct set of ports, each with its ready and not-ready addresses. */
function repack(entries: Entry[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const e of entries) {
    const ports = [...e.ports].sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    const key = ports.map(portKey).join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, ready: [], notReady: [] }));
    (e.ready ? group.ready : group.notReady).push(e.address);
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const subset: EndpointSubset = {};
    if (g.ready.length) subset.addresses = g.ready.sort(compareAddresses);
    if (g.notReady.length) subset.notReadyAddresses = g.notReady.sort(compareAddresses);
    if (g.ports.length) subset.ports = g.ports;
    subsets.push(subset);
  }
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0];
  return subsets.sort((a, b) => compareAddresses(first(a), first(b)));
}

/** The subsets of a Service with a selector, from its pods (already selected by it). */
export function desiredSubsets(svc: StoredService, pods: StoredPod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const servicePorts = svc.spec?.ports ?? [];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = addressOf(pod, svc);
    const ready = publishNotReady || isPodReady(pod);
    if (!servicePorts.length) {
      // A headless Service may have no ports: its addresses alone.
      if (isHeadless(svc)) entries.push({ address, ready, ports: [] });
      continue;
    }
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    // Each resolved port adds the address to the subset of that port; an address whose ports all
    // failed is left out.
    for (const port of ports) entries.push({ address, ready, ports: [port] });
  }
  return repack(mergePorts(entries));
}

/** One entry per address with all its ports, so that repacking groups addresses by their port sets. */
function mergePorts(entries: Entry[]): Entry[] {
  const byAddress = new Map<string, Entry>();
  for (const e of entries) {
    const key = `${e.address.ip}/${e.address.targetRef?.uid ?? ''}`;
    const seen = byAddress.get(key);
    if (seen) seen.ports.push(...e.ports);
    else byAddress.set(key, { ...e, ports: [...e.ports] });
  }
  return [...byAddress.values()];
}

/** The Endpoints' labels: the Service's, plus the headless marker for a headless Service. */
export function desiredEndpointsLabels(svc: StoredService): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}
