/**
 * pods/log: the simulated output of one container as text/plain, with the query parameters
 * kubectl sends (container, tailLines, timestamps, follow, previous, sinceSeconds, sinceTime,
 * limitBytes) and the errors the API server and kubelet give for pods that cannot show logs.
 */
import { PassThrough } from 'node:stream';
import { badRequest, internalError, invalid, StatusError } from '../../apimachinery/status.js';
import { invalidValue, path } from '../../apimachinery/field-errors.js';
import { isNodeReachable } from '../../kubelet/reachability.js';
import { cutLines, formatLine, startupLines, tickLine, type LogLine } from '../../kubelet/pod-logs.js';
import type { ContainerStatus, KubeletPod } from '../../kubelet/pod-status.js';
import { sendRaw } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';

const TEXT = 'text/plain';

function intParam(c: HandlerContext, name: string, min: number): number | undefined {
  const raw = c.query[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${raw}`);
  if (n < min) {
    const detail = min === 0 ? 'must be greater than or equal to 0' : 'must be greater than 0';
    throw invalid({ group: '', kind: 'PodLogOptions' }, c.info.name ?? '', [invalidValue(path(name), n, detail)]);
  }
  return n;
}

const flag = (v: string | undefined) => v === 'true' || v === '1';

/** The container the request names, or the only one; the errors upstream gives otherwise. */
function pickContainer(pod: KubeletPod, name: string | undefined): string {
  const podName = pod.metadata.name ?? '';
  const main = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (!name) {
    if (main.length === 1) return main[0]!;
    const more = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${main.join(' ')}]${more}`);
  }
  if (!main.includes(name) && !init.includes(name)) throw badRequest(`container ${name} is not valid for pod ${podName}`);
  return name;
}

/** What the kubelet says when the container has no log to show (validateContainerLogStatus). */
function startedAtOrThrow(pod: KubeletPod, container: string, previous: boolean): { status: ContainerStatus; startedAt: number } {
  const podName = pod.metadata.name ?? '';
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
  const fail = (msg: string) => badRequest(msg);
  if (previous) throw fail(`previous terminated container "${container}" in pod "${podName}" not found`);
  if (!status) throw fail(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const state = status.state ?? {};
  const started = state.running?.startedAt ?? (state.terminated?.startedAt as string | undefined);
  if (started) return { status, startedAt: Date.parse(started) };
  const reason = state.waiting?.reason;
  if (reason === 'ErrImagePull') throw fail(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw fail(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) throw fail(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw fail(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** Follows the log: a line per second on the clock until the pod goes or the client hangs up. */
function follow(c: HandlerContext, pod: KubeletPod, container: string, startedAt: number, first: string, timestamps: boolean): void {
  const clock = c.registry.options.clock;
  const stream = new PassThrough();
  let n = Math.max(0, Math.floor((clock.now() - startedAt) / 1000));
  let cancel = () => {};
  let stopped = false;
  const unsubscribe = c.registry.hub.subscribe('pods', (ev) => {
    if (ev.type === 'DELETED' && ev.object.metadata.uid === pod.metadata.uid) stop();
  });
  function stop(): void {
    if (stopped) return;
    stopped = true;
    cancel();
    unsubscribe();
    stream.end();
  }
  const tick = () => {
    n += 1;
    stream.write(formatLine(tickLine(container, startedAt, n), timestamps));
    cancel = clock.after(startedAt + (n + 1) * 1000 - clock.now(), tick);
  };
  cancel = clock.after(startedAt + (n + 1) * 1000 - clock.now(), tick);
  c.reply.raw.on('close', stop); // the response ended, or the client went away
  stream.write(first);
  void c.reply.code(200).header('content-type', TEXT).send(stream);
}

export function podLog(c: HandlerContext): void {
  if (c.info.verb !== 'get') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const q = c.query;
  const tailLines = intParam(c, 'tailLines', 0);
  const sinceSeconds = intParam(c, 'sinceSeconds', 1);
  const limitBytes = intParam(c, 'limitBytes', 1);
  const timestamps = flag(q.timestamps);
  const pod = c.store.get(c.info.namespace, c.info.name!) as KubeletPod;
  const container = pickContainer(pod, q.container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return void sendRaw(c.reply, 200, '', TEXT); // no host yet: an empty log, as upstream
  if (!isNodeReachable(c.registry, nodeName)) {
    const host = pod.status?.hostIP ?? nodeName;
    throw internalError(`Get "https://${host}:10250/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}": dial tcp ${host}:10250: connect: no route to host`);
  }
  const { status, startedAt } = startedAtOrThrow(pod, container, flag(q.previous));
  const now = c.registry.options.clock.now();
  const written = Math.max(0, Math.floor((now - startedAt) / 1000));
  const lines: LogLine[] = startupLines(pod, status, startedAt);
  // The ticks written so far are history (the last 100 kept, so an old pod's log stays small).
  for (let i = Math.max(1, written - 99); i <= written; i++) lines.push(tickLine(container, startedAt, i));
  const since = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : q.sinceTime ? Date.parse(q.sinceTime) : undefined;
  let text = cutLines(lines, { tailLines, since: Number.isNaN(since) ? undefined : since }).map((l) => formatLine(l, timestamps)).join('');
  if (limitBytes !== undefined) text = Buffer.from(text).subarray(0, limitBytes).toString();
  if (flag(q.follow)) return follow(c, pod, container, startedAt, text, timestamps);
  sendRaw(c.reply, 200, text, TEXT);
}
