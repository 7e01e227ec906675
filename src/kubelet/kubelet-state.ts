/**
 * What one app's simulated kubelets share with the chaos that disturbs them: which nodes' kubelets
 * are cut off from the API server, and the filter on what the kubelets write. src/app.ts creates
 * it once and hands it to the kubelet controllers, the kubelets' log endpoint and the chaos
 * engine, so nothing of it lives at module level and two apps in one process never share it.
 */
import type { ControllerContext } from '../controllers/context.js';
import { EffectFilterHook } from './chaos/effect-filter.js';
import { NodeReachability } from './reachability.js';

export class KubeletState {
  readonly reachability = new NodeReachability();
  readonly effectFilter = new EffectFilterHook();
}

/** Which nodes' kubelets this replica runs (the nodes of the kubelet shards it holds). */
export interface KubeletHosts {
  runs(nodeName: string): boolean;
}

/** What the kubelet controllers are built with: the controllers' context and the kubelets' state. */
export interface KubeletContext extends ControllerContext {
  kubelets: KubeletState;
  /** The nodes whose kubelets run here (default: every node). */
  hosts?: KubeletHosts;
}
