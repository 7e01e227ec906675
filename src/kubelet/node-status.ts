/**
 * The status a kubelet reports when it registers a node: Ready, addresses, capacity, info; and
 * the completion of a status someone else wrote (a fixture with only a Ready condition), which a
 * kubelet registering with an existing Node object reports over it.
 */
import { isPlainObject, rfc3339 } from '../apimachinery/object.js';
import type { NodeCondition, NodeStatus } from '../resources/schemas.js';

export interface NodeStatusOptions {
  name: string;
  /** 1-based index used to derive an InternalIP and a podCIDR. */
  index: number;
  now: number;
}

export function nodeInternalIP(index: number): string {
  return `10.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;
}

/**
 * A /24 per node index: 10.244.1.0/24 … 10.255.255.0/24, then on from 10.1.0.0/24 (10.0.x.x holds
 * node addresses), unique for 65,000 nodes.
 */
/** Indexes nodePodCIDR() gives a CIDR of its own: 1 up to this (256 second octets of 10.x, 256 third octets each). */
export const MAX_NODE_INDEX = 256 * 256 - 1;

export function nodePodCIDR(index: number): string {
  const block = 244 + Math.floor(index / 256);
  return `10.${block > 255 ? block - 255 : block}.${index % 256}.0/24`;
}

/** The index nodePodCIDR() was given, or undefined for a CIDR it does not produce. */
export function nodeIndexOfPodCIDR(cidr: string | undefined): number | undefined {
  const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr ?? '');
  if (!m) return undefined;
  const block = Number(m[1]);
  const index = (block >= 244 ? block - 244 : block + 11) * 256 + Number(m[2]);
  return index > 0 && nodePodCIDR(index) === cidr ? index : undefined;
}

/** The node conditions the kubelet owns, in the order its status setters write them; others (NetworkUnavailable…) belong to other components. */
export const KUBELET_NODE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

/**
 * The labels a kubelet puts on the Node it registers: kubernetes.io/hostname, os and arch, and
 * the beta twins of os and arch (which follow the GA label's value when the node has one).
 */
export function defaultNodeLabels(name: string, labels: Readonly<Record<string, string>> = {}): Record<string, string> {
  const os = labels['kubernetes.io/os'] ?? 'linux';
  const arch = labels['kubernetes.io/arch'] ?? 'amd64';
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'beta.kubernetes.io/arch': arch,
  };
}

/** The conditions a healthy kubelet reports, all stamped `now`. */
export function kubeletConditions(
  now: number,
): { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string }[] {
  const t = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** The machine a simulated kubelet reports: its capacity (and allocatable), keys sorted as Go writes a map. */
const NODE_RESOURCES: Readonly<Record<string, string>> = {
  cpu: '4',
  'ephemeral-storage': '100Gi',
  'hugepages-2Mi': '0',
  memory: '16Gi',
  pods: '110',
};

function nodeSystemInfo(index: number): RegisteredNodeStatus['nodeInfo'] {
  return {
    machineID: index.toString(16).padStart(32, '0'),
    systemUUID: `00000000-0000-0000-0000-${index.toString(16).padStart(12, '0')}`,
    bootID: `00000000-0000-0000-0001-${index.toString(16).padStart(12, '0')}`,
    kernelVersion: '6.1.0-kubemock',
    osImage: 'kubemock simulated node',
    containerRuntimeVersion: 'containerd://1.7.27',
    kubeletVersion: 'v1.33.1',
    kubeProxyVersion: 'v1.33.1',
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
}

const NODE_INFO_FIELDS = Object.keys(nodeSystemInfo(1));
const RESOURCE_NAMES = Object.keys(NODE_RESOURCES);

/** What a registering kubelet reports: every part of the status it owns. */
export type RegisteredNodeStatus = Required<
  Pick<NodeStatus, 'capacity' | 'allocatable' | 'conditions' | 'addresses' | 'daemonEndpoints' | 'nodeInfo'>
>;

export function readyNodeStatus({ name, index, now }: NodeStatusOptions): RegisteredNodeStatus {
  return {
    capacity: { ...NODE_RESOURCES },
    allocatable: { ...NODE_RESOURCES },
    conditions: kubeletConditions(now),
    addresses: [
      { type: 'InternalIP', address: nodeInternalIP(index) },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: nodeSystemInfo(index),
  };
}

type Status = Record<string, unknown>;
type Address = { type?: string; address?: string };

/** The addresses a kubelet without a cloud provider reports, and that pods need (their hostIP). */
const KUBELET_ADDRESS_TYPES = ['InternalIP', 'Hostname'];

const objectOr = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const filled = (v: unknown) => v !== undefined && v !== null && v !== '';
/** Addresses that name one (an entry without an address says nothing). */
const givenAddresses = (v: unknown): Address[] =>
  Array.isArray(v) ? (v as unknown[]).filter((a): a is Address => isPlainObject(a) && filled(a.address)) : [];
const kubeletPort = (status: Status) => objectOr(objectOr(status.daemonEndpoints).kubeletEndpoint).Port;
/** A resource list with its keys sorted, as Go writes a map. */
const sortedKeys = (list: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(list)
      .sort()
      .map((k) => [k, list[k]]),
  );

/**
 * The kubelet's conditions refreshed at `now` (heartbeat now, transition kept while the status
 * holds), each where it already was, the missing ones appended in setter order; the conditions
 * other components own are kept as they are.
 */
export function withKubeletNodeConditions(existing: readonly NodeCondition[] | undefined, now: number): NodeCondition[] {
  const fresh = new Map(kubeletConditions(now).map((c) => [c.type, c]));
  const refresh = (c: NodeCondition): NodeCondition => {
    const next = fresh.get(c.type)!;
    fresh.delete(c.type);
    return c.status === next.status && c.lastTransitionTime ? { ...next, lastTransitionTime: c.lastTransitionTime } : next;
  };
  const kept = (existing ?? []).filter((c) => isPlainObject(c)).map((c) => (fresh.has(c.type) ? refresh(c) : c));
  return [...kept, ...fresh.values()];
}

/**
 * What a registering kubelet reports that the status lacks (field names; [] when nothing): a
 * Ready condition, an InternalIP and a Hostname address, every resource of capacity (and of
 * allocatable, which also has what capacity has), the system info and the kubelet's port.
 * Conditions present but stale are not "missing": heartbeats and chaos keep them up to date.
 */
export function missingNodeStatus(status: Status | undefined): string[] {
  const s = status ?? {};
  const missing: string[] = [];
  const conditions = Array.isArray(s.conditions) ? (s.conditions as unknown[]) : [];
  if (!conditions.some((c) => isPlainObject(c) && c.type === 'Ready' && filled(c.status))) missing.push('conditions');
  // Asked at every heartbeat of every node (the node-initialize stage's condition): no sets or copied lists.
  const addresses = givenAddresses(s.addresses);
  if (!KUBELET_ADDRESS_TYPES.every((t) => addresses.some((a) => a.type === t))) missing.push('addresses');
  const capacity = objectOr(s.capacity);
  if (RESOURCE_NAMES.some((k) => !filled(capacity[k]))) missing.push('capacity');
  const allocatable = objectOr(s.allocatable);
  const lacksAllocatable = (k: string) => !filled(allocatable[k]);
  if (RESOURCE_NAMES.some(lacksAllocatable) || Object.keys(capacity).some(lacksAllocatable)) missing.push('allocatable');
  if (!filled(kubeletPort(s)) || kubeletPort(s) === 0) missing.push('daemonEndpoints');
  const nodeInfo = objectOr(s.nodeInfo);
  if (NODE_INFO_FIELDS.some((k) => !filled(nodeInfo[k]))) missing.push('nodeInfo');
  return missing;
}

/**
 * The status a kubelet posts over one written by someone else: every value given is kept (the
 * user's addresses, capacity, allocatable, system info, other components' conditions), what is
 * missing comes from `reg` (the kubelet's own report), allocatable defaults to capacity,
 * and the kubelet's four conditions are its own, fresh at `now`. Pure; the result needs nothing
 * more (missingNodeStatus() of it is empty).
 */
export function completeNodeStatus(given: Status | undefined, reg: RegisteredNodeStatus, now: number): Status {
  const s = given ?? {};
  const capacity = { ...reg.capacity, ...pickFilled(objectOr(s.capacity)) };
  const allocatable = { ...capacity, ...pickFilled(objectOr(s.allocatable)) };
  const addresses = givenAddresses(s.addresses);
  const has = (type: string) => addresses.some((a) => a.type === type);
  const defaultsFor = (type: string) => (has(type) ? [] : reg.addresses.filter((a) => a.type === type));
  const port = kubeletPort(s);
  // Field order is the store's business (it writes every object in its schema's order).
  return {
    ...s,
    capacity: sortedKeys(capacity),
    allocatable: sortedKeys(allocatable),
    conditions: withKubeletNodeConditions(Array.isArray(s.conditions) ? (s.conditions as NodeCondition[]) : [], now),
    addresses: [...defaultsFor('InternalIP'), ...addresses, ...defaultsFor('Hostname')],
    daemonEndpoints: filled(port) && port !== 0 ? s.daemonEndpoints : reg.daemonEndpoints,
    nodeInfo: { ...reg.nodeInfo, ...pickFilled(objectOr(s.nodeInfo)) },
  };
}

function pickFilled(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => filled(v)));
}
