/** Handlers for subresources other than /status, keyed `resource/subresource`. */
import type { HandlerContext } from '../handlers/context.js';
import { namespaceFinalize } from './namespace-finalize.js';
import { podEviction } from './pod-eviction.js';
import { createPodBinding } from './pod-binding.js';
import { podLogHandler } from './pod-log.js';
import type { KubeletClient } from '../../resources/pods/kubelet-client.js';
import type { TokenIssuer } from '../../resources/serviceaccounts/token-issuer.js';
import { serviceAccountToken } from './serviceaccount-token.js';

export type SubresourceHandler = (c: HandlerContext) => void | Promise<void>;

/** `kubelet`: how pods/log reaches the node's kubelet; `tokens`: what signs serviceaccounts/token's tokens. */
export function subresourceHandlers(kubelet: KubeletClient, tokens: TokenIssuer): Map<string, SubresourceHandler> {
  return new Map<string, SubresourceHandler>([
    ['namespaces/finalize', namespaceFinalize],
    ['pods/eviction', podEviction],
    ['pods/binding', createPodBinding],
    ['pods/log', podLogHandler(kubelet)],
    ['serviceaccounts/token', serviceAccountToken(tokens)],
  ]);
}
