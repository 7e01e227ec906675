/** Handlers for subresources other than /status, keyed `resource/subresource`. */
import type { HandlerContext } from '../handlers/context.js';

export type SubresourceHandler = (c: HandlerContext) => void | Promise<void>;

export function subresourceHandlers(): Map<string, SubresourceHandler> {
  return new Map<string, SubresourceHandler>([]);
}
