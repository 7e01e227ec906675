/**
 * The kinds the controllers and the kubelet read and write, as the store takes them in and hands
 * them out: the schema-derived types with metadata set, and the spec that validation requires (a
 * Pod without spec.containers, a DaemonSet without spec.selector and spec.template.spec, is never
 * stored).
 */
import type { Stored } from '../apimachinery/object.js';
import type { ControllerRevision, DaemonSet, Lease, Namespace, Node, Pod, PodCondition, PodSpec, PodStatus, Service } from './schemas.js';

/**
 * A pod condition as the kubelet and the controllers write it: Go encodes the zero (non-pointer)
 * lastProbeTime as null, and so do we, while the schema (which prunes a client's null away) types
 * the field as a string.
 */
export type StoredPodCondition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };
export type StoredPodStatus = Omit<PodStatus, 'conditions'> & { conditions?: StoredPodCondition[] };

export type StoredPod = Omit<Stored<Pod, 'spec'>, 'status'> & { status?: StoredPodStatus };
export type StoredNode = Stored<Node>;
export type StoredNamespace = Stored<Namespace>;
export type StoredDaemonSet = Stored<DaemonSet, 'spec'> & { spec: { template: { spec: PodSpec } } };
export type StoredControllerRevision = Stored<ControllerRevision>;
export type StoredLease = Stored<Lease>;
export type StoredService = Stored<Service>;
