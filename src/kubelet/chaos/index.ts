/**
 * Chaos as data: `{action, node}` and `{action, namespace, pod}` requests, as the control API
 * posts them, applied to the simulated kubelets.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Clock } from '../../apimachinery/clock.js';
import { badRequest } from '../../apimachinery/status.js';
import type { EventRecorder } from '../../controllers/events/recorder.js';
import type { Registry } from '../../registry/registry.js';
import type { KubeletState } from '../kubelet-state.js';
import { NodeChaos } from './node-chaos.js';
import { PodChaos, type PodChaosState } from './pod-chaos.js';
import { NODE_ACTIONS, POD_ACTIONS, type NodeChaosAction, type PodChaosAction } from '../../resources/chaos-actions.js';

export type ChaosRequest =
  { action: NodeChaosAction; node: string } | { action: PodChaosAction; namespace?: string; pod: string; containers?: string[] };

export interface ChaosResult {
  action: string;
  /** The node or pod as it is after the action (a deleted node: its last state). */
  object: KubeObject;
}

export interface ChaosState {
  unreachableNodes: string[];
  pods: PodChaosState[];
}

export class Chaos {
  readonly nodes: NodeChaos;
  readonly pods: PodChaos;

  constructor(registry: Registry, clock: Clock, events: EventRecorder, kubelets: KubeletState) {
    this.nodes = new NodeChaos(registry, clock, events, kubelets.reachability);
    this.pods = new PodChaos(registry, clock, events, kubelets.effectFilter);
  }

  apply(request: unknown): ChaosResult {
    const r = parseChaosRequest(request);
    switch (r.action) {
      case 'node-not-ready':
        return { action: r.action, object: this.nodes.notReady(r.node) };
      case 'node-unreachable':
        return { action: r.action, object: this.nodes.unreachable(r.node) };
      case 'node-gone':
        return { action: r.action, object: this.nodes.gone(r.node) };
      case 'node-ready':
        return { action: r.action, object: this.nodes.ready(r.node) };
      case 'pod-ignore-sigterm':
        if (r.containers) throw badRequest('chaos: pod-ignore-sigterm applies to every container of the pod; leave out containers');
        return { action: r.action, object: this.pods.ignoreSigterm(r.namespace ?? 'default', r.pod) };
      case 'pod-recover':
        return { action: r.action, object: this.pods.recover(r.namespace ?? 'default', r.pod) };
      default: {
        const kind = r.action === 'pod-crash' ? 'crash' : r.action === 'pod-fail' ? 'fail' : 'never-ready';
        return { action: r.action, object: this.pods.apply(kind, r.namespace ?? 'default', r.pod, r.containers) };
      }
    }
  }

  state(): ChaosState {
    return { unreachableNodes: this.nodes.unreachableNodes(), pods: this.pods.list() };
  }

  reset(): void {
    this.nodes.reset();
    this.pods.reset();
  }

  close(): void {
    this.nodes.reset();
    this.pods.close();
  }
}

export function parseChaosRequest(body: unknown): ChaosRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('chaos: expected a JSON object');
  const b = body as Record<string, unknown>;
  const action = b.action;
  const str = (key: string, required: boolean): string | undefined => {
    const v = b[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') throw badRequest(`chaos: ${String(action)} needs ${key} (a non-empty string)`);
    return v;
  };
  if ((NODE_ACTIONS as readonly unknown[]).includes(action)) return { action: action as NodeChaosAction, node: str('node', true)! };
  if ((POD_ACTIONS as readonly unknown[]).includes(action)) {
    const req: ChaosRequest = { action: action as PodChaosAction, pod: str('pod', true)! };
    const namespace = str('namespace', false);
    if (namespace) req.namespace = namespace;
    const containers = b.containers ?? (b.container !== undefined ? [b.container] : undefined);
    if (containers !== undefined) {
      if (!Array.isArray(containers) || containers.some((c) => typeof c !== 'string' || c === ''))
        throw badRequest('chaos: containers must be a list of container names');
      req.containers = containers as string[];
    }
    return req;
  }
  throw badRequest(`chaos: action must be one of ${[...NODE_ACTIONS, ...POD_ACTIONS].join(', ')}`);
}
