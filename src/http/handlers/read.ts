/** GET of one object and LIST of a collection. */
import { parseListQuery } from '../../registry/list-options.js';
import { notOlderThanRevision } from '../../registry/paged-list.js';
import { renderList, renderObject } from '../representation.js';
import type { HandlerContext } from './context.js';

/** resourceVersion=0: any recent state will do, so no round trip to catch up with peer replicas first. */
function syncUnlessAny(c: HandlerContext): void {
  if (c.query.resourceVersion !== '0') c.store.syncReads();
}

/**
 * A read NotOlderThan a revision not reached yet waits for it, as the watch cache does, and is the
 * 504 Too large resource version when it does not come in time; any other read goes on at once.
 */
function whenReached(c: HandlerContext, rv: number | undefined, read: () => void): void | Promise<void> {
  const waiting = rv === undefined ? undefined : c.registry.waitForRevision(rv);
  return waiting ? waiting.then(read) : read();
}

/** GET's resourceVersion (other than 0): the object NotOlderThan it, from the watch cache upstream. */
function getRevision(rv: string | undefined): number | undefined {
  return rv && rv !== '0' && /^\d+$/.test(rv) && Number.isSafeInteger(Number(rv)) ? Number(rv) : undefined;
}

export function getObject(c: HandlerContext): void | Promise<void> {
  syncUnlessAny(c);
  return whenReached(c, getRevision(c.query.resourceVersion), () => renderObject(c, 200, c.store.getJson(c.info.namespace, c.info.name!)));
}

export function listObjects(c: HandlerContext): void | Promise<void> {
  const opts = parseListQuery(c.store.def, c.query);
  syncUnlessAny(c);
  return whenReached(c, notOlderThanRevision(opts), () => renderList(c, c.store.list(c.info.namespace, opts)));
}
