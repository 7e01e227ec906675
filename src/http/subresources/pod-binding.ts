/**
 * pods/binding: POST a Binding to assign a pending pod to a node (upstream's BindingREST). The
 * scheduler calls bindPod directly; the HTTP handler is a thin wrapper.
 */
import { badRequest, reasonless, StatusError } from '../../apimachinery/status.js';
import { aggregateMessage, notSupported, path, required, type FieldError } from '../../apimachinery/field-errors.js';
import { bindPod } from '../../resources/pods/binding.js';
import { decodeObjectBody } from '../content.js';
import { sendRaw } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';
import { parseWriteQuery } from '../field-validation.js';
import { checkBodyKind } from '../../registry/type-meta.js';

/** pods/binding decodes a core v1 Binding. */
const BINDING = { group: '', version: 'v1', kind: 'Binding' };

/** ValidatePodBinding; upstream returns these as a plain error, which the server reports as a 500. */
function validateBinding(target: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const kind = typeof target.kind === 'string' ? target.kind : '';
  if (kind !== '' && kind !== 'Node') errs.push(notSupported(path('target', 'kind'), kind, ['Node', '<empty>']));
  if (typeof target.name !== 'string' || target.name === '') errs.push(required(path('target', 'name')));
  return errs;
}

export function createPodBinding(c: HandlerContext): void {
  if (c.info.verb !== 'create')
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const body = decodeObjectBody(c.request.headers['content-type'], c.request.body) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest("Object 'Binding' is not a JSON object");
  checkBodyKind(body, BINDING, c.request.body);
  const meta = (body.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  if (meta.namespace && meta.namespace !== c.info.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (meta.name && meta.name !== c.info.name) throw badRequest('name in URL does not match name in Binding object');
  const target = (body.target ?? {}) as Record<string, unknown>;
  const errs = validateBinding(target);
  if (errs.length) throw reasonless(aggregateMessage(errs));
  bindPod(c.registry, c.info.namespace!, c.info.name!, target.name as string, {
    now: c.registry.options.clock.now(),
    uid: meta.uid,
    annotations: meta.annotations,
    dryRun: parseWriteQuery(c.rawQuery, 'CreateOptions').dryRun,
  });
  sendRaw(c.reply, 201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
}
