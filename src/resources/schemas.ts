/**
 * The schemas of every served kind, keyed by "<apiVersion>/<Kind>" ('v1/Pod', 'apps/v1/DaemonSet'),
 * with their list schemas and the TypeScript types derived from them. These schemas are the single
 * source for validation, pruning, the OpenAPI documents, strategic-merge metadata and explain.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { listSchema } from '../apimachinery/schemas/meta.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import { ControllerRevisionSchema } from './apps-schemas/controllerrevision.js';
import { DaemonSetSchema } from './apps-schemas/daemonset.js';
import { EventSchema } from './core-schemas/event.js';
import { NamespaceConditionSchema, NamespaceSchema } from './core-schemas/namespace.js';
import { NodeSchema } from './core-schemas/node.js';
import { NodeConditionSchema, NodeSpecSchema, NodeStatusSchema, TaintSchema } from './core-schemas/node.js';
import {
  ContainerStateSchema,
  ContainerStatusSchema,
  PodConditionSchema,
  PodSchema,
  PodStatusSchema,
  PodTemplateSpecSchema,
} from './core-schemas/pod.js';
import {
  AffinitySchema,
  NodeSelectorRequirementSchema,
  NodeSelectorTermSchema,
  PodSpecSchema,
  TolerationSchema,
} from './core-schemas/pod-spec.js';
import { ContainerPortSchema, ContainerSchema } from './core-schemas/container.js';
import { VolumeSchema } from './core-schemas/volume.js';
import { DaemonSetConditionSchema, DaemonSetSpecSchema, DaemonSetStatusSchema } from './apps-schemas/daemonset.js';
import { ServiceSchema, ServiceSpecSchema, ServicePortSchema } from './core-schemas/service.js';
import { LeaseSchema } from './coordination-schemas/lease.js';

export {
  ContainerStatusSchema,
  PodConditionSchema,
  PodSchema,
  PodStatusSchema,
  PodTemplateSpecSchema,
} from './core-schemas/pod.js';
export { PodSpecSchema, TolerationSchema } from './core-schemas/pod-spec.js';
export { ContainerSchema } from './core-schemas/container.js';
export { VolumeSchema } from './core-schemas/volume.js';
export { NodeConditionSchema, NodeSchema, TaintSchema } from './core-schemas/node.js';
export { NamespaceSchema } from './core-schemas/namespace.js';
export { EventSchema } from './core-schemas/event.js';
export {
  DaemonSetConditionSchema,
  DaemonSetSchema,
  DaemonSetSpecSchema,
  DaemonSetStatusSchema,
} from './apps-schemas/daemonset.js';
export { ControllerRevisionSchema } from './apps-schemas/controllerrevision.js';
export { ServicePortSchema, ServiceSchema, ServiceSpecSchema } from './core-schemas/service.js';
export { LeaseSchema } from './coordination-schemas/lease.js';

export const PodListSchema = listSchema(PodSchema, 'Pod');
export const NodeListSchema = listSchema(NodeSchema, 'Node');
export const NamespaceListSchema = listSchema(NamespaceSchema, 'Namespace');
export const EventListSchema = listSchema(EventSchema, 'Event');
export const DaemonSetListSchema = listSchema(DaemonSetSchema, 'DaemonSet');
export const ControllerRevisionListSchema = listSchema(ControllerRevisionSchema, 'ControllerRevision');
export const ServiceListSchema = listSchema(ServiceSchema, 'Service');
export const LeaseListSchema = listSchema(LeaseSchema, 'Lease');

/** Top-level kinds by "<apiVersion>/<Kind>". */
export const kindSchemas: Record<string, TObject> = {
  'v1/Pod': PodSchema,
  'v1/Node': NodeSchema,
  'v1/Namespace': NamespaceSchema,
  'v1/Event': EventSchema,
  'apps/v1/DaemonSet': DaemonSetSchema,
  'apps/v1/ControllerRevision': ControllerRevisionSchema,
  'v1/Service': ServiceSchema,
  'coordination.k8s.io/v1/Lease': LeaseSchema,
};

/** List kinds by "<apiVersion>/<Kind>List". */
export const listSchemas: Record<string, TObject> = {
  'v1/PodList': PodListSchema,
  'v1/NodeList': NodeListSchema,
  'v1/NamespaceList': NamespaceListSchema,
  'v1/EventList': EventListSchema,
  'apps/v1/DaemonSetList': DaemonSetListSchema,
  'apps/v1/ControllerRevisionList': ControllerRevisionListSchema,
  'v1/ServiceList': ServiceListSchema,
  'coordination.k8s.io/v1/LeaseList': LeaseListSchema,
};

/** The schema of a kind, from its apiVersion and kind. */
export function schemaFor(apiVersion: string, kind: string): TSchema | undefined {
  const key = `${apiVersion}/${kind}`;
  return kindSchemas[key] ?? listSchemas[key];
}

/** The schema of a served kind's definition. */
export function schemaOfDefinition(def: { group: string; version: string; kind: string; schema?: TSchema }): TSchema | undefined {
  return def.schema ?? schemaFor(apiVersionOf(def), def.kind);
}

export type Pod = Static<typeof PodSchema>;
export type PodSpec = Static<typeof PodSpecSchema>;
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
export type PodStatus = Static<typeof PodStatusSchema>;
export type PodCondition = Static<typeof PodConditionSchema>;
export type Container = Static<typeof ContainerSchema>;
export type ContainerPort = Static<typeof ContainerPortSchema>;
export type ContainerState = Static<typeof ContainerStateSchema>;
export type ContainerStatus = Static<typeof ContainerStatusSchema>;
export type Volume = Static<typeof VolumeSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type Affinity = Static<typeof AffinitySchema>;
export type NodeSelectorTerm = Static<typeof NodeSelectorTermSchema>;
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirementSchema>;
export type Taint = Static<typeof TaintSchema>;
export type NodeCondition = Static<typeof NodeConditionSchema>;
export type Node = Static<typeof NodeSchema>;
export type NodeSpec = Static<typeof NodeSpecSchema>;
export type NodeStatus = Static<typeof NodeStatusSchema>;
export type Namespace = Static<typeof NamespaceSchema>;
export type NamespaceCondition = Static<typeof NamespaceConditionSchema>;
export type Event = Static<typeof EventSchema>;
export type DaemonSet = Static<typeof DaemonSetSchema>;
export type DaemonSetSpec = Static<typeof DaemonSetSpecSchema>;
export type DaemonSetStatus = Static<typeof DaemonSetStatusSchema>;
export type DaemonSetCondition = Static<typeof DaemonSetConditionSchema>;
export type ControllerRevision = Static<typeof ControllerRevisionSchema>;
export type PodList = Static<typeof PodListSchema>;
export type NodeList = Static<typeof NodeListSchema>;
export type NamespaceList = Static<typeof NamespaceListSchema>;
export type EventList = Static<typeof EventListSchema>;
export type DaemonSetList = Static<typeof DaemonSetListSchema>;
export type ControllerRevisionList = Static<typeof ControllerRevisionListSchema>;
export type Service = Static<typeof ServiceSchema>;
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
export type ServicePort = Static<typeof ServicePortSchema>;
export type ServiceList = Static<typeof ServiceListSchema>;
export type Lease = Static<typeof LeaseSchema>;
export type LeaseList = Static<typeof LeaseListSchema>;
