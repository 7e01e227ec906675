/**
 * The schemas of every served kind and the TypeScript types derived from them. Each kind's
 * definition (src/resources/<plural>/definition.ts) carries its schema and list schema; the maps and
 * look-ups here are derived from the list of definitions, and the named schemas of the kinds other
 * modules work with are re-exported with their types.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { listSchema } from '../apimachinery/schemas/meta.js';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource-definition.js';
import { servedDefinitions } from '../registry/served-versions.js';
import { resources } from './index.js';
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

// Types only: the schemas the definitions carry are the ones used at run time.
const PodListSchema = listSchema(PodSchema, 'Pod');
const NodeListSchema = listSchema(NodeSchema, 'Node');
const NamespaceListSchema = listSchema(NamespaceSchema, 'Namespace');
const EventListSchema = listSchema(EventSchema, 'Event');
const DaemonSetListSchema = listSchema(DaemonSetSchema, 'DaemonSet');
const ControllerRevisionListSchema = listSchema(ControllerRevisionSchema, 'ControllerRevision');
const ServiceListSchema = listSchema(ServiceSchema, 'Service');
const LeaseListSchema = listSchema(LeaseSchema, 'Lease');

const key = (def: { group: string; version: string }, kind: string) => `${apiVersionOf(def)}/${kind}`;
const stored = resources.filter((def) => !def.virtual);

/** The stored kinds' schemas by "<apiVersion>/<Kind>" ('v1/Pod', 'apps/v1/DaemonSet'). */
export const kindSchemas: Readonly<Record<string, TObject>> = Object.fromEntries(stored.map((def) => [key(def, def.kind), def.schema]));

/** The stored kinds' list schemas by "<apiVersion>/<Kind>List". */
export const listSchemas: Readonly<Record<string, TObject>> = Object.fromEntries(stored.map((def) => [key(def, def.listKind), def.listSchema]));

/** Every served group-version's kind and list schemas (served versions and create-only kinds too). */
const served = new Map<string, TObject>(
  servedDefinitions(resources).flatMap((def) => [
    [key(def, def.kind), def.schema],
    [key(def, def.listKind), def.listSchema],
  ]),
);

/** The schema of a served kind or list, from its apiVersion and kind. */
export function schemaFor(apiVersion: string, kind: string): TSchema | undefined {
  return served.get(`${apiVersion}/${kind}`);
}

/** The schema of a served kind's definition. */
export function schemaOfDefinition(def: ResourceDefinition): TSchema {
  return def.schema;
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
