/** DELETE of one object and of a collection. */
import { successStatus } from '../../apimachinery/status.js';
import { parseDeleteOptions } from '../../registry/delete-options.js';
import { parseListQuery } from '../../registry/list-options.js';
import { decodeOptionalBody } from '../content.js';
import { sendObject } from '../reply.js';
import { renderItems, renderObject } from '../representation.js';
import { checkDryRun } from '../field-validation.js';
import type { HandlerContext } from './context.js';

/** DeleteOptions from the body or else the query, and whether they ask for a dry run (validated: only "All"). */
function options(c: HandlerContext) {
  const opts = parseDeleteOptions(decodeOptionalBody(c.request.headers['content-type'], c.request.body), c.rawQuery);
  return { opts, dryRun: checkDryRun(opts.dryRun, 'DeleteOptions') };
}

export function deleteObject(c: HandlerContext): void {
  const def = c.store.def;
  const { opts, dryRun } = options(c);
  const result = c.store.delete(c.info.namespace, c.info.name!, opts, { dryRun });
  if (!result.removed || def.deleteReturnsObject) {
    // Upstream answers 202 only to a client that asked for cascading with orphanDependents=false
    // and got an object not deleted yet (older clients depend on 200 otherwise).
    renderObject(c, !result.removed && opts.orphanDependents === false ? 202 : 200, result.json);
    return;
  }
  const details: Record<string, string> = { name: c.info.name! };
  // The request's group (upstream's finalizeDelete: qualifiedResourceFromContext), a served version's too.
  if (c.store.gr.group) details.group = c.store.gr.group;
  details.kind = def.plural;
  if (result.object.metadata.uid) details.uid = result.object.metadata.uid;
  sendObject(c.reply, 200, successStatus(details), c.format);
}

export function deleteCollection(c: HandlerContext): void {
  const listOpts = parseListQuery(c.store.def, c.query);
  const { opts, dryRun } = options(c);
  const deleted = c.store.deleteCollection(c.info.namespace, listOpts, opts, { dryRun });
  renderItems(c, { items: deleted }, {});
}
