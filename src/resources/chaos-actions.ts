/**
 * The chaos actions on nodes and pods that kubemock's control API accepts: a vocabulary shared by
 * the HTTP control API (its OpenAPI document) and the kubelet's chaos engine that plays them,
 * so it sits below both (neither imports the other).
 */
export const NODE_ACTIONS = ['node-not-ready', 'node-unreachable', 'node-gone', 'node-ready'] as const;
export const POD_ACTIONS = ['pod-crash', 'pod-fail', 'pod-never-ready', 'pod-ignore-sigterm', 'pod-recover'] as const;

export type NodeChaosAction = (typeof NODE_ACTIONS)[number];
export type PodChaosAction = (typeof POD_ACTIONS)[number];
