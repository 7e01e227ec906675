/**
 * The simulated kubelet's /containerLogs: a container's output so far, and its lines as they are
 * written while someone follows (one per second on kubemock's clock), with the answers a kubelet
 * gives for a container that has no log to show.
 */
import { badRequest, internalError } from '../apimachinery/status.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { Registry } from '../registry/registry.js';
import type { ContainerLog, ContainerLogOptions, KubeletClient } from '../resources/pods/kubelet-client.js';
import { cutLines, formatLine, startupLines, tickLine, type LogLine } from './pod-logs.js';
import type { ContainerStatus } from '../resources/schemas.js';
import type { StoredPod } from '../resources/stored.js';
import type { NodeReachability } from './reachability.js';

/** What the kubelet says when the container has no log to show (validateContainerLogStatus). */
function startedAtOrThrow(pod: StoredPod, container: string, previous: boolean): { status: ContainerStatus; startedAt: number } {
  const podName = pod.metadata.name ?? '';
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  const fail = (msg: string) => badRequest(msg);
  if (previous) throw fail(`previous terminated container "${container}" in pod "${podName}" not found`);
  if (!status) throw fail(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const state = status.state ?? {};
  const started = state.running?.startedAt ?? state.terminated?.startedAt;
  if (started) return { status, startedAt: Date.parse(started) };
  const reason = state.waiting?.reason;
  if (reason === 'ErrImagePull') throw fail(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff')
    throw fail(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) throw fail(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw fail(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** The kubelets of every simulated node, as the API server reaches them (none of an unreachable node). */
export function simulatedKubelets(registry: Registry, reachability: NodeReachability): KubeletClient {
  const clock = registry.options.clock;
  return {
    containerLog(obj: KubeObject, opts: ContainerLogOptions): ContainerLog {
      const pod = obj as StoredPod;
      const { container, timestamps } = opts;
      const nodeName = pod.spec?.nodeName ?? '';
      if (!reachability.isReachable(nodeName)) {
        const host = pod.status?.hostIP ?? nodeName;
        throw internalError(
          `Get "https://${host}:10250/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}": dial tcp ${host}:10250: connect: no route to host`,
        );
      }
      const { status, startedAt } = startedAtOrThrow(pod, container, opts.previous);
      const now = clock.now();
      const written = Math.max(0, Math.floor((now - startedAt) / 1000));
      const lines: LogLine[] = startupLines(pod, status, startedAt);
      // The ticks written so far are history (the last 100 kept, so an old pod's log stays small).
      for (let i = Math.max(1, written - 99); i <= written; i++) lines.push(tickLine(container, startedAt, i));
      const text = cutLines(lines, { tailLines: opts.tailLines, since: opts.since })
        .map((l) => formatLine(l, timestamps))
        .join('');
      return {
        text,
        follow(write, end) {
          let n = written;
          let cancel = () => {};
          let stopped = false;
          const unsubscribe = registry.hub.subscribe('pods', (ev) => {
            if (ev.type === 'DELETED' && ev.object.metadata.uid === pod.metadata.uid) stop();
          });
          function stop(): void {
            if (stopped) return;
            stopped = true;
            cancel();
            unsubscribe();
            end();
          }
          const tick = () => {
            n += 1;
            write(formatLine(tickLine(container, startedAt, n), timestamps));
            // The reader may have stopped following from within write (its limitBytes spent).
            if (stopped) return;
            cancel = clock.after(startedAt + (n + 1) * 1000 - clock.now(), tick);
          };
          cancel = clock.after(startedAt + (n + 1) * 1000 - clock.now(), tick);
          return stop;
        },
      };
    },
  };
}
