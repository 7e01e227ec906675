/** GET of one object and LIST of a collection. */
import { apiVersionOf } from '../../registry/resource-definition.js';
import { parseListOptions } from '../../registry/list-options.js';
import { sendJsonText } from '../reply.js';
import type { HandlerContext } from './context.js';

export function getObject(c: HandlerContext): void {
  const json = c.store.getJson(c.info.namespace, c.info.name!);
  sendJsonText(c.reply, 200, json, c.format);
}

export function listObjects(c: HandlerContext): void {
  const def = c.store.def;
  const opts = parseListOptions(def, c.query);
  const result = c.store.list(c.info.namespace, opts);
  const meta: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continueToken) meta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  const head = `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(meta)},"items":[`;
  sendJsonText(c.reply, 200, `${head}${result.raw.join(',')}]}`, c.format);
}
