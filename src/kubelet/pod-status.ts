/**
 * The pieces of a pod status a kubelet reports (h.2): conditions in kubelet order, container
 * statuses, and pod IPs from the node's podCIDR. Pure builders used by the pod stages.
 */
import { rfc3339, type KubeObject } from '../apimachinery/object.js';
import { containerID, imageID, qualifiedImage } from './container-ids.js';

export interface Container {
  name: string;
  image?: string;
  ports?: { containerPort?: number; hostPort?: number; protocol?: string; hostIP?: string }[];
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  containerID?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  lastState?: Record<string, unknown>;
  state?: { waiting?: { reason?: string; message?: string }; running?: { startedAt?: string }; terminated?: Record<string, unknown> };
}

export interface KubeletPod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: Container[];
    initContainers?: Container[];
    hostNetwork?: boolean;
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }[];
    [k: string]: unknown;
  };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    [k: string]: unknown;
  };
}

/** Conditions the kubelet owns, in the order it writes them. */
const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

export interface SetupState {
  /** The pod sandbox (network) is up: PodReadyToStartContainers. */
  sandboxReady: boolean;
  /** Init containers that have not completed. */
  uninitialized: string[];
}

const SET_UP: SetupState = { sandboxReady: true, uninitialized: [] };

/**
 * The kubelet's conditions given the containers not ready yet (and, while the pod is being set
 * up, its sandbox and init containers); a condition whose status does not change keeps its
 * lastTransitionTime; conditions other components own follow, unchanged.
 */
export function kubeletPodConditions(existing: PodCondition[] | undefined, unready: string[], now: number, setup: SetupState = SET_UP): PodCondition[] {
  const old = new Map((existing ?? []).map((c) => [c.type, c]));
  const at = rfc3339(now);
  const make = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const status = ok ? 'True' : 'False';
    const prev = old.get(type);
    const c: PodCondition = { type, status };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    c.lastProbeTime = null;
    c.lastTransitionTime = prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : at;
    return c;
  };
  const ready = unready.length === 0;
  const why = ready ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const reason = ready ? undefined : 'ContainersNotReady';
  const initialized = setup.uninitialized.length === 0;
  return [
    make('PodReadyToStartContainers', setup.sandboxReady),
    initialized ? make('Initialized', true) : make('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${setup.uninitialized.join(' ')}]`),
    make('Ready', ready, reason, why),
    make('ContainersReady', ready, reason, why),
    make('PodScheduled', true),
    ...(existing ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type)),
  ];
}

export function runningContainerStatus(pod: KubeletPod, c: Container, startedAt: number): ContainerStatus {
  const image = c.image ?? '';
  return {
    containerID: containerID(pod.metadata.uid ?? '', c.name),
    image: qualifiedImage(image),
    imageID: imageID(image),
    lastState: {},
    name: c.name,
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: rfc3339(startedAt) } },
  };
}

export function completedInitContainerStatus(pod: KubeletPod, c: Container, at: number): ContainerStatus {
  const id = containerID(pod.metadata.uid ?? '', c.name);
  const image = c.image ?? '';
  return {
    containerID: id,
    image: qualifiedImage(image),
    imageID: imageID(image),
    lastState: {},
    name: c.name,
    ready: true,
    restartCount: 0,
    started: false,
    state: { terminated: { containerID: id, exitCode: 0, finishedAt: rfc3339(at), reason: 'Completed', startedAt: rfc3339(at) } },
  };
}

export function waitingContainerStatus(c: Container, reason: string, message?: string): ContainerStatus {
  const waiting: { reason: string; message?: string } = { reason };
  if (message) waiting.message = message;
  return { image: c.image ?? '', imageID: '', lastState: {}, name: c.name, ready: false, restartCount: 0, started: false, state: { waiting } };
}

/** What containerd says when an image cannot be resolved. */
export function pullErrorMessage(image: string): string {
  const ref = qualifiedImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

export function backOffMessage(image: string): string {
  return `Back-off pulling image "${image}"`;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * The lowest free address of an IPv4 CIDR for a pod (the network address and .1, the bridge, are
 * skipped, as host-local IPAM does); undefined when the CIDR is unusable or full.
 */
export function allocatePodIP(cidr: string | undefined, inUse: ReadonlySet<string>): string | undefined {
  const m = /^([\d.]+)\/(\d+)$/.exec(cidr ?? '');
  if (!m) return undefined;
  const base = ipv4ToInt(m[1]!);
  const bits = Number(m[2]);
  if (base === undefined || bits < 8 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  const network = base - (base % size);
  for (let offset = 2; offset < size - 1; offset++) {
    const ip = intToIpv4(network + offset);
    if (!inUse.has(ip)) return ip;
  }
  return undefined;
}
