/** Handlers for subresources other than /status, keyed `resource/subresource`. */
import type { HandlerContext } from '../handlers/context.js';
import { namespaceFinalize } from './namespace-finalize.js';
import { podEviction } from './pod-eviction.js';
import { createPodBinding } from './pod-binding.js';
import { podLog } from './pod-log.js';

export type SubresourceHandler = (c: HandlerContext) => void | Promise<void>;

export function subresourceHandlers(): Map<string, SubresourceHandler> {
  return new Map<string, SubresourceHandler>([
    ['namespaces/finalize', namespaceFinalize],
    ['pods/eviction', podEviction],
    ['pods/binding', createPodBinding],
    ['pods/log', podLog],
  ]);
}
