/** The status a kubelet reports when it registers a node: Ready, addresses, capacity, info. */
import { rfc3339 } from '../apimachinery/object.js';

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

/** The conditions a healthy kubelet reports, all stamped `now`. */
export function kubeletConditions(now: number): { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string }[] {
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

export function readyNodeStatus({ name, index, now }: NodeStatusOptions): Record<string, unknown> {
  const resources = { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: kubeletConditions(now),
    addresses: [
      { type: 'InternalIP', address: nodeInternalIP(index) },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
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
    },
  };
}
