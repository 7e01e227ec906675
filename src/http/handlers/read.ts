/** GET of one object and LIST of a collection. */
import { parseListOptions } from '../../registry/list-options.js';
import { renderList, renderObject } from '../representation.js';
import type { HandlerContext } from './context.js';

export function getObject(c: HandlerContext): void {
  renderObject(c, 200, c.store.getJson(c.info.namespace, c.info.name!));
}

export function listObjects(c: HandlerContext): void {
  const opts = parseListOptions(c.store.def, c.query);
  renderList(c, c.store.list(c.info.namespace, opts));
}
