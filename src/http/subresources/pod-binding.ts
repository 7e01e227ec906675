/**
 * pods/binding: POST a Binding to assign a pending pod to a node (upstream's BindingREST). The
 * scheduler calls bindPod directly; the HTTP handler is a thin wrapper.
 */
import { rfc3339, type KubeObject } from '../../apimachinery/object.js';
import { badRequest, conflict, StatusError, type GroupResource } from '../../apimachinery/status.js';
import { aggregateMessage, notSupported, path, required, type FieldError } from '../../apimachinery/field-errors.js';
import type { Registry } from '../../registry/registry.js';
import type { Strategy } from '../../registry/resource-definition.js';
import type { WriteResult } from '../../registry/store.js';
import { decodeObjectBody } from '../content.js';
import { sendRaw } from '../reply.js';
import { isDryRun, type HandlerContext } from '../handlers/context.js';

const BINDING: GroupResource = { group: '', resource: 'pods/binding' };

interface Pod extends KubeObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string; [k: string]: unknown }[]; [k: string]: unknown };
}

export interface BindOptions {
  now: number;
  /** Binding.metadata.uid: the pod must still be that pod. */
  uid?: string;
  /** Binding.metadata.annotations, merged into the pod's. */
  annotations?: Record<string, string>;
  dryRun?: boolean;
}

/** The binding write: only spec.nodeName, annotations and status move; the rest stays as stored. */
function bindingStrategy(annotations: Record<string, string> | undefined): Strategy<Pod> {
  return {
    prepareForUpdate(pod, old) {
      pod.spec = { ...old.spec, nodeName: pod.spec?.nodeName };
      if (annotations && Object.keys(annotations).length) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
    },
  };
}

/** Sets spec.nodeName and PodScheduled=True, once; a bound or terminating pod is a 409. */
export function bindPod(registry: Registry, namespace: string, name: string, nodeName: string, opts: BindOptions): WriteResult {
  const store = registry.store<Pod>('pods');
  return store.patch(
    namespace,
    name,
    (pod) => {
      if (opts.uid && opts.uid !== pod.metadata.uid) {
        throw conflict(BINDING, name, `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
      }
      if (pod.metadata.deletionTimestamp) throw conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (pod.spec?.nodeName) throw conflict(BINDING, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec = { ...pod.spec, nodeName };
      const conditions = (pod.status?.conditions ?? []).slice();
      const i = conditions.findIndex((c) => c.type === 'PodScheduled');
      const prev = i >= 0 ? conditions[i] : undefined;
      const scheduled = {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(opts.now),
      };
      if (i >= 0) conditions[i] = scheduled;
      else conditions.push(scheduled);
      pod.status = { ...pod.status, conditions };
      return pod;
    },
    { subresource: 'binding', subresourceStrategy: bindingStrategy(opts.annotations) as Strategy, dryRun: opts.dryRun },
  );
}

/** ValidatePodBinding; upstream returns these as a plain error, which the server reports as a 500. */
function validateBinding(target: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const kind = typeof target.kind === 'string' ? target.kind : '';
  if (kind !== '' && kind !== 'Node') errs.push(notSupported(path('target', 'kind'), kind, ['Node', '<empty>']));
  if (typeof target.name !== 'string' || target.name === '') errs.push(required(path('target', 'name')));
  return errs;
}

export function createPodBinding(c: HandlerContext): void {
  if (c.info.verb !== 'create') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const body = decodeObjectBody(c.request.headers['content-type'], c.request.body) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest("Object 'Binding' is not a JSON object");
  if (body.kind !== undefined && body.kind !== '' && body.kind !== 'Binding') {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Binding)`);
  }
  const meta = (body.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  if (meta.namespace && meta.namespace !== c.info.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (meta.name && meta.name !== c.info.name) throw badRequest('name in URL does not match name in Binding object');
  const target = (body.target ?? {}) as Record<string, unknown>;
  const errs = validateBinding(target);
  if (errs.length) throw new StatusError(500, '', aggregateMessage(errs));
  bindPod(c.registry, c.info.namespace!, c.info.name!, target.name as string, {
    now: c.registry.options.clock.now(),
    uid: meta.uid,
    annotations: meta.annotations,
    dryRun: isDryRun(c.query),
  });
  sendRaw(c.reply, 201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
}
