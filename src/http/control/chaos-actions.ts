/** The chaos actions the control API accepts (its vocabulary; the kubelet's chaos engine plays them). */
export const NODE_ACTIONS = ['node-not-ready', 'node-unreachable', 'node-gone', 'node-ready'] as const;
export const POD_ACTIONS = ['pod-crash', 'pod-fail', 'pod-never-ready', 'pod-ignore-sigterm', 'pod-recover'] as const;

export type NodeChaosAction = (typeof NODE_ACTIONS)[number];
export type PodChaosAction = (typeof POD_ACTIONS)[number];
