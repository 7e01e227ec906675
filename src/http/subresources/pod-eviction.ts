/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/eviction` with a policy/v1 (or v1beta1) Eviction: the
 * pod gets a DisruptionTarget condition and is deleted with the Eviction's delete options. No
 * PodDisruptionBudgets exist here, so every eviction is allowed; the answer is a 201 Status.
 */
import { isPlainObject } from '../../apimachinery/object.js';
import { badRequest, StatusError } from '../../apimachinery/status.js';
import { parseDeleteOptions, type DeleteOptions } from '../../registry/delete-options.js';
import { hasPodCondition, withPodCondition } from '../../resources/pods/conditions.js';
import type { StoredPod as Pod } from '../../resources/stored.js';
import { decodeObjectBody } from '../content.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';
import { checkDryRun } from '../field-validation.js';

const ACCEPTED_VERSIONS = ['policy/v1', 'policy/v1beta1'];
const EVICTING = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };

function readEviction(c: HandlerContext): { name: unknown; options: DeleteOptions } {
  const body = decodeObjectBody(c.request.headers['content-type'], c.request.body);
  if (!isPlainObject(body)) throw badRequest("Object 'Eviction' is not a JSON object");
  if (body.apiVersion !== undefined && body.apiVersion !== '' && !ACCEPTED_VERSIONS.includes(String(body.apiVersion))) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (policy/v1)`);
  }
  if (body.kind !== undefined && body.kind !== '' && body.kind !== 'Eviction') {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Eviction)`);
  }
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (meta.namespace && meta.namespace !== c.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const options = parseDeleteOptions(isPlainObject(body.deleteOptions) ? body.deleteOptions : undefined, {});
  return { name: meta.name, options };
}

/** The dry-run of the request and of the Eviction's delete options must agree (propagateDryRun). */
function withDryRun(options: DeleteOptions, query: Record<string, string | undefined>): DeleteOptions {
  const requested = query.dryRun ? [query.dryRun] : [];
  if (!options.dryRun?.length) return requested.length ? { ...options, dryRun: requested } : options;
  if (requested.length && requested.join() !== options.dryRun.join()) {
    throw badRequest(`Non-matching dry-run options in request and content: [${requested.join(' ')}] and [${options.dryRun.join(' ')}]`);
  }
  return options;
}

export function podEviction(c: HandlerContext): void {
  if (c.info.verb !== 'create' || !c.info.name) {
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const { name, options: given } = readEviction(c);
  if (name !== c.info.name) throw badRequest('name in URL does not match name in Eviction object');
  const options = withDryRun(given, c.query);
  const dryRun = checkDryRun(options.dryRun, 'CreateOptions');
  const ns = c.info.namespace;
  const podName = c.info.name;
  const pods = c.store;
  const pod = pods.get(ns, podName) as Pod; // 404 when missing
  // Preconditions fail exactly as on a DELETE, before anything is written.
  if (options.preconditions) pods.delete(ns, podName, options, { dryRun: true });
  let effective = options;
  if (!dryRun && !hasPodCondition(pod.status?.conditions, EVICTING)) {
    const now = c.registry.options.clock.now();
    const marked = pods.patch(
      ns,
      podName,
      (current) => {
        const p = current as Pod;
        if (p.metadata.uid !== pod.metadata.uid || hasPodCondition(p.status?.conditions, EVICTING)) return current;
        return { ...p, status: { ...(p.status ?? {}), conditions: withPodCondition(p.status?.conditions, EVICTING, now) } };
      },
      { subresource: 'status' },
    );
    // Our own write moved the resourceVersion: a resourceVersion precondition follows it, as upstream.
    if (options.preconditions?.resourceVersion) {
      effective = { ...options, preconditions: { ...options.preconditions, resourceVersion: marked.object.metadata.resourceVersion } };
    }
  }
  pods.delete(ns, podName, effective, { dryRun });
  sendObject(c.reply, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, c.format);
}
