/** The shapes the DaemonSet controller reads, loosely typed over the stored JSON. */
import type { KubeObject } from '../../apimachinery/object.js';
import type { LabelSelector } from '../../apimachinery/labels.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export interface PodSpecLike {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } & Record<string, unknown> } & Record<string, unknown>;
  tolerations?: Toleration[];
  hostNetwork?: boolean;
  [k: string]: unknown;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Pod extends KubeObject {
  spec: PodSpecLike;
  status?: { phase?: string; conditions?: PodCondition[]; [k: string]: unknown };
}

export interface Node extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean; [k: string]: unknown };
  status?: Record<string, unknown>;
}

export interface DaemonSet extends KubeObject {
  spec: {
    selector?: LabelSelector | null;
    template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec: PodSpecLike };
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}
