/**
 * pods/log: one container's output as text/plain, with the query parameters kubectl sends
 * (container, tailLines, timestamps, follow, previous, sinceSeconds, sinceTime, limitBytes). The
 * API server validates the request and the container name, then asks the node's kubelet.
 */
import { PassThrough } from 'node:stream';
import { badRequest, invalid, StatusError } from '../../apimachinery/status.js';
import { forbiddenField, invalidValue, path, type FieldError } from '../../apimachinery/field-errors.js';
import { parseGoTime } from '../../apimachinery/go-time.js';
import { parseQueryBool, parseQueryInt64 } from '../../apimachinery/query-params.js';
import { sendRaw } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';
import type { ContainerLog, KubeletClient } from '../../resources/pods/kubelet-client.js';

import type { StoredPod as Pod } from '../../resources/stored.js';

const TEXT = 'text/plain';

interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  sinceTime?: number;
}

/**
 * The query's PodLogOptions, checked as ValidatePodLogOptions checks them: every finding in one
 * 422, in upstream's order. `stream` is refused while its feature (PodLogsQuerySplitStreams,
 * alpha in 1.33) is off.
 */
function logOptions(c: HandlerContext): LogOptions {
  const q = c.query;
  const opts: LogOptions = {};
  const tailLines = parseQueryInt64(q.tailLines);
  const sinceSeconds = parseQueryInt64(q.sinceSeconds);
  const limitBytes = parseQueryInt64(q.limitBytes);
  const sinceTime = sinceTimeParam(c);
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push(invalidValue(path('tailLines'), tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) errs.push(invalidValue(path('limitBytes'), limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined)
    errs.push(forbiddenField(path(''), 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (sinceSeconds !== undefined && sinceSeconds < 1)
    errs.push(invalidValue(path('sinceSeconds'), sinceSeconds, 'must be greater than 0'));
  if (q.stream !== undefined) errs.push(forbiddenField(path('stream'), 'may not be specified'));
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, c.info.name ?? '', errs);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  if (sinceTime !== undefined) opts.sinceTime = sinceTime;
  return opts;
}

/** sinceTime as metav1.Time reads a query parameter (RFC 3339; empty or "null" is none): milliseconds, or Go's parse error (400). */
function sinceTimeParam(c: HandlerContext): number | undefined {
  const raw = c.query.sinceTime;
  if (raw === undefined || raw === '' || raw === 'null') return undefined;
  const parsed = parseGoTime(raw, 'Time');
  if (parsed.error !== undefined) throw badRequest(parsed.error);
  return Date.parse(parsed.text);
}

/** The container the request names, or the only one; the errors upstream gives otherwise. */
function pickContainer(pod: Pod, name: string | undefined): string {
  const podName = pod.metadata.name ?? '';
  const main = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (!name) {
    if (main.length === 1) return main[0];
    const more = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${main.join(' ')}]${more}`);
  }
  if (!main.includes(name) && !init.includes(name)) throw badRequest(`container ${name} is not valid for pod ${podName}`);
  return name;
}

/**
 * At most `limit` bytes of the log, cut where the byte count ends (the kubelet's LimitWriter cuts
 * bytes, inside a character too): `take` answers the part of each piece still within the limit
 * (empty once it is spent).
 */
class ByteLimit {
  private left: number;
  constructor(limit: number | undefined) {
    this.left = limit ?? Infinity;
  }
  get spent(): boolean {
    return this.left <= 0;
  }
  take(text: string): Buffer {
    const bytes = Buffer.from(text);
    const part = bytes.length <= this.left ? bytes : bytes.subarray(0, this.left);
    this.left -= part.length;
    return part;
  }
}

/**
 * Streams the log: what was written so far, then each line as the kubelet writes it, until the pod
 * goes, the client hangs up or limitBytes have been sent.
 */
function follow(c: HandlerContext, log: ContainerLog, first: Buffer, limit: ByteLimit): void {
  const stream = new PassThrough();
  let stop = () => {};
  const write = (bytes: Buffer) => {
    if (bytes.length) stream.write(bytes);
    if (limit.spent) {
      stop();
      stream.end();
    }
  };
  stop = log.follow(
    (text) => write(limit.take(text)),
    () => stream.end(),
  );
  c.reply.raw.on('close', stop); // the response ended, or the client went away
  write(first);
  void c.reply.code(200).header('content-type', TEXT).send(stream);
}

/** pods/log for the kubelets `kubelet` reaches. */
export function podLogHandler(kubelet: KubeletClient): (c: HandlerContext) => void {
  return (c) => {
    if (c.info.verb !== 'get')
      throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const q = c.query;
    const { tailLines, sinceSeconds, limitBytes, sinceTime } = logOptions(c);
    const pod = c.store.get(c.info.namespace, c.info.name!) as Pod;
    const container = pickContainer(pod, q.container);
    if (!pod.spec?.nodeName) return void sendRaw(c.reply, 200, '', TEXT); // no host yet: an empty log, as upstream
    const now = c.registry.options.clock.now();
    const since = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime;
    const log = kubelet.containerLog(pod, {
      container,
      tailLines,
      since: Number.isNaN(since) ? undefined : since,
      timestamps: parseQueryBool(q.timestamps),
      previous: parseQueryBool(q.previous),
    });
    const limit = new ByteLimit(limitBytes);
    const first = limit.take(log.text);
    if (parseQueryBool(q.follow)) return follow(c, log, first, limit);
    void c.reply.code(200).header('content-type', TEXT).send(first);
  };
}
