/**
 * How objects are written back to the client in the negotiated format: as stored (JSON), as
 * YAML, or (later) as a meta.k8s.io Table. Handlers call these; they never format by hand.
 */
import type { KubeObject } from '../apimachinery/object.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import type { ListResult } from '../registry/paged-list.js';
import { sendJsonText } from './reply.js';
import type { HandlerContext } from './handlers/context.js';

export function renderObject(c: HandlerContext, code: number, json: string): void {
  sendJsonText(c.reply, code, json, c.format);
}

export function renderList(c: HandlerContext, result: ListResult): void {
  const def = c.store.def;
  const meta: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continueToken) meta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  const head = `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(meta)},"items":[`;
  sendJsonText(c.reply, 200, `${head}${result.raw.join(',')}]}`, c.format);
}

/** Returns a function that turns one watched object into the JSON of the event's `object`. */
export function watchObjectEncoder(c: HandlerContext): (object: KubeObject, json: string | undefined) => string {
  void c;
  return (object, json) => json ?? JSON.stringify(object);
}
