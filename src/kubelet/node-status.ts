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

export function nodePodCIDR(index: number): string {
  return `10.244.${index % 256}.0/24`;
}

export function readyNodeStatus({ name, index, now }: NodeStatusOptions): Record<string, unknown> {
  const t = rfc3339(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  const resources = { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
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
