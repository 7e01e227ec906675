/**
 * What the API server asks a node's kubelet for. Upstream proxies pods/log to the kubelet's
 * /containerLogs endpoint, and the pod registry holds the kubelet connection it uses (the pods/log
 * REST storage); here, likewise, this interface belongs to the pods kind: the HTTP layer calls it,
 * the simulated kubelet (src/kubelet) implements it, and the app hands the one to the other, so
 * neither imports the other.
 */
import type { KubeObject } from '../../apimachinery/object.js';

export interface ContainerLogOptions {
  container: string;
  tailLines?: number;
  /** Only lines written at or after this instant (ms since the epoch). */
  since?: number;
  timestamps: boolean;
  previous: boolean;
}

export interface ContainerLog {
  /** The log so far, as the kubelet sends it. */
  text: string;
  /**
   * Streams the lines written from now on (kubectl logs -f) until the container's pod goes;
   * returns a function that stops following.
   */
  follow(write: (text: string) => void, end: () => void): () => void;
}

export interface KubeletClient {
  /** Throws a StatusError as the API server would relay it (kubelet unreachable, container not started). */
  containerLog(pod: KubeObject, options: ContainerLogOptions): ContainerLog;
}
