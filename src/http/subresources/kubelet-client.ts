/**
 * What the API server asks a node's kubelet for. Upstream proxies pods/log to the kubelet's
 * /containerLogs endpoint; here the simulated kubelet (src/kubelet) answers through this
 * interface, handed to the routes by the app, so the HTTP layer never imports the kubelet.
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
