/** GET of one object and LIST of a collection. */
import { parseListQuery } from '../../registry/list-options.js';
import { renderList, renderObject } from '../representation.js';
import type { HandlerContext } from './context.js';

/** resourceVersion=0: any recent state will do, so no round trip to catch up with peer replicas first. */
function syncUnlessAny(c: HandlerContext): void {
  if (c.query.resourceVersion !== '0') c.store.syncReads();
}

export function getObject(c: HandlerContext): void {
  syncUnlessAny(c);
  renderObject(c, 200, c.store.getJson(c.info.namespace, c.info.name!));
}

export function listObjects(c: HandlerContext): void {
  const opts = parseListQuery(c.store.def, c.query);
  syncUnlessAny(c);
  renderList(c, c.store.list(c.info.namespace, opts));
}
