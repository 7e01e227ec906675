/**
 * `POST /api/v1/namespaces/{ns}/pods/{name}/eviction` with a policy/v1 (or v1beta1) Eviction: reads
 * the Eviction and its dry-run, and hands it to evictPod (resources/pods/eviction.ts), which answers
 * to the pod's PodDisruptionBudget and deletes the pod; the answer is a 201 Status, or the 429 of
 * a budget that allows no disruption now.
 */
import { isPlainObject } from '../../apimachinery/object.js';
import { badRequest, StatusError } from '../../apimachinery/status.js';
import { parseDeleteOptions, type DeleteOptions } from '../../registry/delete-options.js';
import { evictPod } from '../../resources/pods/eviction.js';
import { decodeObjectBody } from '../content.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';
import { checkDryRun } from '../field-validation.js';
import { checkBodyKind } from '../../registry/type-meta.js';
import { queryValues, type RawQuery } from '../../apimachinery/query-params.js';

/** A policy/v1 Eviction, or a v1beta1 one (EvictionREST.AcceptsGroupVersion). */
const EVICTION = { group: 'policy', version: 'v1', kind: 'Eviction', accepts: ['policy/v1beta1'] };

function readEviction(c: HandlerContext): { name: unknown; options: DeleteOptions } {
  const body = decodeObjectBody(c.request.headers['content-type'], c.request.body);
  if (!isPlainObject(body)) throw badRequest("Object 'Eviction' is not a JSON object");
  checkBodyKind(body, EVICTION, c.request.body);
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  if (meta.namespace && meta.namespace !== c.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const options = parseDeleteOptions(isPlainObject(body.deleteOptions) ? body.deleteOptions : undefined, {});
  return { name: meta.name, options };
}

/** The dry-run of the request and of the Eviction's delete options must agree (propagateDryRun). */
function withDryRun(options: DeleteOptions, query: RawQuery): DeleteOptions {
  const requested = queryValues(query.dryRun);
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
  const deleteOptions = withDryRun(given, c.rawQuery);
  const dryRun = checkDryRun(deleteOptions.dryRun, 'CreateOptions');
  const answer = evictPod(c.registry, c.info.namespace!, c.info.name, { deleteOptions, dryRun });
  sendObject(c.reply, answer.code, answer.status, c.format);
}
