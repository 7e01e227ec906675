/** Handlers for subresources other than /status, keyed `resource/subresource`. */
import type { HandlerContext } from '../handlers/context.js';
import { namespaceFinalize } from './namespace-finalize.js';
import { podEviction } from './pod-eviction.js';
import { createPodBinding } from './pod-binding.js';
import { podLogHandler } from './pod-log.js';
import type { KubeletClient } from '../../resources/pods/kubelet-client.js';

export type SubresourceHandler = (c: HandlerContext) => void | Promise<void>;

/** `kubelet`: how pods/log reaches the node's kubelet. */
export function subresourceHandlers(kubelet: KubeletClient): Map<string, SubresourceHandler> {
  return new Map<string, SubresourceHandler>([
    ['namespaces/finalize', namespaceFinalize],
    ['pods/eviction', podEviction],
    ['pods/binding', createPodBinding],
    ['pods/log', podLogHandler(kubelet)],
  ]);
}
