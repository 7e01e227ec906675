/**
 * What the EndpointSlices of a Service should be (the EndpointSlice reconciler, pure): one endpoint
 * per selected pod with an address of the slice's type (terminating pods too, with their
 * conditions), grouped by the ports resolved on the pod, at most MAX_ENDPOINTS_PER_SLICE per
 * slice. Existing slices are kept where they can be (an endpoint stays in the slice holding it,
 * new ones fill slices with room), and a Service without endpoints keeps one empty placeholder.
 */
import { deepEqual } from '../../apimachinery/object.js';
import { newControllerRef } from '../../apimachinery/owner-refs.js';
import { isPodReady } from '../../resources/pods/conditions.js';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '../../resources/endpointslices/schema.js';
import type { Stored } from '../../apimachinery/object.js';
import type { StoredNode, StoredPod, StoredService } from '../../resources/stored.js';
import { HEADLESS_LABEL } from '../endpoints/plan.js';
import { findPort, isHeadless, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoints/pod-endpoints.js';

export type StoredSlice = Stored<EndpointSlice>;

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface SlicePlan {
  create: StoredSlice[];
  update: StoredSlice[];
  delete: StoredSlice[];
  /** Pods left out because their node is not known (yet): the Service is synced again later. */
  missingNodes: boolean;
}

export interface SliceInput {
  svc: StoredService;
  /** The pods the Service selects. */
  pods: StoredPod[];
  node(name: string): StoredNode | undefined;
  /** The slices this controller manages for the Service. */
  existing: StoredSlice[];
}

/** The address types a Service's slices have: one per IP family (IPv4 when none is set). */
export function addressTypesOf(svc: StoredService): string[] {
  const families = svc.spec?.ipFamilies?.filter((f) => f === 'IPv4' || f === 'IPv6') ?? [];
  return families.length ? families : ['IPv4'];
}

/** The slice labels: the Service's (but the reserved ones), the headless marker, the Service name and the manager. */
export function sliceLabels(svc: StoredService): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
  }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

/** getEndpointPorts: each Service port resolved on the pod (a headless Service may have none). */
function endpointPorts(svc: StoredService, pod: StoredPod): EndpointSlicePort[] {
  const ports: EndpointSlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointSlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    ports.push(ep);
  }
  return ports;
}

const isFamily = (ip: string, addressType: string) => (addressType === 'IPv6' ? ip.includes(':') : !ip.includes(':'));

/** podToEndpoint: ready only when serving and not terminating (unless not-ready addresses are published). */
function endpointOf(pod: StoredPod, node: StoredNode | undefined, svc: StoredService, addressType: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podIPs(pod).filter((ip) => isFamily(ip, addressType)),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

const identity = (ep: Endpoint) => ep.targetRef?.uid ?? ep.addresses[0];
const sortKey = (ep: Endpoint) => `${ep.targetRef?.name ?? ''}/${ep.addresses[0]}`;
const byName = (a: Endpoint, b: Endpoint) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);
const portsKey = (ports: EndpointSlicePort[] | null | undefined) =>
  (ports ?? []).map((p) => `${p.name ?? ''}/${p.protocol ?? ''}/${p.port ?? ''}/${p.appProtocol ?? ''}`).join(',');

function newSlice(svc: StoredService, addressType: string, ports: EndpointSlicePort[], endpoints: Endpoint[]): StoredSlice {
  const name = svc.metadata.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace: svc.metadata.namespace,
      // getEndpointSlicePrefix: "<service>-", or "slice-" when that is no valid name prefix.
      generateName: name.length <= 252 - 5 ? `${name}-` : 'slice-',
      labels: sliceLabels(svc),
      ownerReferences: [newControllerRef(svc, 'v1', 'Service')],
    },
    addressType,
    endpoints,
    ports,
  };
}

function slicesForAddressType(input: SliceInput, addressType: string, plan: SlicePlan): void {
  const { svc, pods } = input;
  const existing = input.existing.filter((s) => s.addressType === addressType);
  const desired = new Map<string, { ports: EndpointSlicePort[]; endpoints: Map<string, Endpoint> }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const nodeName = pod.spec.nodeName ?? '';
    const node = input.node(nodeName);
    if (!node && svc.spec?.publishNotReadyAddresses !== true) {
      plan.missingNodes = true;
      continue;
    }
    const endpoint = endpointOf(pod, node, svc, addressType);
    if (!endpoint.addresses.length) continue;
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let group = desired.get(key);
    if (!group) desired.set(key, (group = { ports, endpoints: new Map() }));
    group.endpoints.set(identity(endpoint), endpoint);
  }
  const labels = sliceLabels(svc);
  const owner = [newControllerRef(svc, 'v1', 'Service')];
  const kept: StoredSlice[] = [];
  for (const [key, group] of desired) {
    const mine = existing.filter((s) => portsKey(s.ports) === key);
    const placed = new Set<string>();
    const contents = mine.map((slice) => {
      const keep = (slice.endpoints ?? []).map(identity).filter((id) => group.endpoints.has(id) && !placed.has(id));
      for (const id of keep) placed.add(id);
      return { slice, ids: keep };
    });
    const rest = [...group.endpoints.keys()].filter((id) => !placed.has(id));
    for (const c of contents) {
      while (rest.length && c.ids.length < MAX_ENDPOINTS_PER_SLICE) c.ids.push(rest.shift()!);
    }
    for (const c of contents) {
      if (!c.ids.length) continue;
      const endpoints = c.ids.map((id) => group.endpoints.get(id)!).sort(byName);
      const unchanged =
        deepEqual(c.slice.endpoints, endpoints) &&
        deepEqual(c.slice.metadata.labels ?? {}, labels) &&
        deepEqual(c.slice.metadata.ownerReferences ?? [], owner);
      kept.push(c.slice);
      if (!unchanged) plan.update.push({ ...c.slice, metadata: { ...c.slice.metadata, labels, ownerReferences: owner }, endpoints });
    }
    while (rest.length) {
      const chunk = rest.splice(0, MAX_ENDPOINTS_PER_SLICE).map((id) => group.endpoints.get(id)!);
      plan.create.push(newSlice(svc, addressType, group.ports, chunk.sort(byName)));
    }
  }
  const toDelete = existing.filter((s) => !kept.includes(s));
  // A Service without endpoints keeps one empty placeholder slice of its first address type.
  if (!plan.create.length && !kept.length && addressType === addressTypesOf(svc)[0]) {
    const placeholder = toDelete.find((s) => !s.endpoints?.length && !s.ports?.length);
    if (!placeholder) plan.create.push(newSlice(svc, addressType, [], []));
    else {
      toDelete.splice(toDelete.indexOf(placeholder), 1);
      if (!deepEqual(placeholder.metadata.labels ?? {}, labels) || !deepEqual(placeholder.metadata.ownerReferences ?? [], owner)) {
        plan.update.push({ ...placeholder, metadata: { ...placeholder.metadata, labels, ownerReferences: owner } });
      }
    }
  }
  plan.delete.push(...toDelete);
}

/** The writes that bring a Service's slices to what its pods say. */
export function planSlices(input: SliceInput): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], missingNodes: false };
  const types = addressTypesOf(input.svc);
  plan.delete.push(...input.existing.filter((s) => !types.includes(s.addressType)));
  for (const t of types) slicesForAddressType(input, t, plan);
  reuseDeletedSlices(input.svc, plan);
  return plan;
}

/**
 * As upstream's finalize: a slice about to be created instead replaces one about to be deleted
 * (same address type, owned by this Service), so an update takes the place of a create and a delete.
 */
function reuseDeletedSlices(svc: StoredService, plan: SlicePlan): void {
  for (let i = 0; i < plan.delete.length && plan.create.length;) {
    const old = plan.delete[i];
    const slice = plan.create[plan.create.length - 1];
    const owned = old.metadata.ownerReferences?.some((r) => r.uid === svc.metadata.uid);
    if (old.addressType !== slice.addressType || !owned) {
      i++;
      continue;
    }
    plan.create.pop();
    plan.delete.splice(i, 1);
    const { generateName: _unused, ...meta } = slice.metadata;
    plan.update.push({ ...slice, metadata: { ...old.metadata, ...meta, name: old.metadata.name } });
  }
}
