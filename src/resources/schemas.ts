/**
 * The schemas of every served kind and the TypeScript types derived from them. Each kind's
 * definition (src/resources/<plural>/definition.ts) carries its schema and list schema; the maps and
 * look-ups here are derived from the list of definitions, and the named schemas of the kinds other
 * modules work with are re-exported with their types.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { ListSchema } from '../apimachinery/schemas/meta.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import { servedDefinitions } from '../registry/served-versions.js';
import { resources } from './index.js';
import { ControllerRevisionSchema } from './apps-schemas/controllerrevision.js';
import { DaemonSetSchema } from './apps-schemas/daemonset.js';
import { EventSchema } from './core-schemas/event.js';
import { NamespaceConditionSchema, NamespaceSchema } from './core-schemas/namespace.js';
import { NodeSchema } from './core-schemas/node.js';
import { NodeConditionSchema, NodeStatusSchema, TaintSchema } from './core-schemas/node.js';
import { ContainerStateSchema, ContainerStatusSchema, PodConditionSchema, PodSchema, PodStatusSchema } from './core-schemas/pod.js';
import {
  AffinitySchema,
  NodeSelectorRequirementSchema,
  NodeSelectorTermSchema,
  PodSpecSchema,
  TolerationSchema,
} from './core-schemas/pod-spec.js';
import { ContainerSchema } from './core-schemas/container.js';
import { DaemonSetStatusSchema } from './apps-schemas/daemonset.js';
import { ServiceSchema, ServiceSpecSchema } from './core-schemas/service.js';
import { LeaseSchema } from './coordination-schemas/lease.js';

export { ContainerStatusSchema, PodConditionSchema, PodSchema, PodStatusSchema } from './core-schemas/pod.js';
export { PodSpecSchema, TolerationSchema } from './core-schemas/pod-spec.js';
export { ContainerSchema } from './core-schemas/container.js';
export { NodeConditionSchema, NodeSchema, TaintSchema } from './core-schemas/node.js';
export { NamespaceSchema } from './core-schemas/namespace.js';
export { EventSchema } from './core-schemas/event.js';
export { DaemonSetSchema, DaemonSetSpecSchema, DaemonSetStatusSchema } from './apps-schemas/daemonset.js';
export { ControllerRevisionSchema } from './apps-schemas/controllerrevision.js';
export { ServiceSchema, ServiceSpecSchema } from './core-schemas/service.js';
export { LeaseSchema } from './coordination-schemas/lease.js';

// Types only: the schemas the definitions carry are the ones used at run time.

const key = (def: { group: string; version: string }, kind: string) => `${apiVersionOf(def)}/${kind}`;
const stored = resources.filter((def) => !def.virtual);

/** The stored kinds' schemas by "<apiVersion>/<Kind>" ('v1/Pod', 'apps/v1/DaemonSet'). */
export const kindSchemas: Readonly<Record<string, TObject>> = Object.fromEntries(stored.map((def) => [key(def, def.kind), def.schema]));

/** The stored kinds' list schemas by "<apiVersion>/<Kind>List". */
export const listSchemas: Readonly<Record<string, TObject>> = Object.fromEntries(
  stored.map((def) => [key(def, def.listKind), def.listSchema]),
);

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

export type Pod = Static<typeof PodSchema>;
export type PodSpec = Static<typeof PodSpecSchema>;
export type PodStatus = Static<typeof PodStatusSchema>;
export type PodCondition = Static<typeof PodConditionSchema>;
export type Container = Static<typeof ContainerSchema>;
export type ContainerState = Static<typeof ContainerStateSchema>;
export type ContainerStatus = Static<typeof ContainerStatusSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type Affinity = Static<typeof AffinitySchema>;
export type NodeSelectorTerm = Static<typeof NodeSelectorTermSchema>;
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirementSchema>;
export type Taint = Static<typeof TaintSchema>;
export type NodeCondition = Static<typeof NodeConditionSchema>;
export type Node = Static<typeof NodeSchema>;
export type NodeStatus = Static<typeof NodeStatusSchema>;
export type Namespace = Static<typeof NamespaceSchema>;
export type NamespaceCondition = Static<typeof NamespaceConditionSchema>;
export type Event = Static<typeof EventSchema>;
export type DaemonSet = Static<typeof DaemonSetSchema>;
export type DaemonSetStatus = Static<typeof DaemonSetStatusSchema>;
export type ControllerRevision = Static<typeof ControllerRevisionSchema>;
export type PodList = Static<ListSchema<typeof PodSchema>>;
export type NodeList = Static<ListSchema<typeof NodeSchema>>;
export type NamespaceList = Static<ListSchema<typeof NamespaceSchema>>;
export type EventList = Static<ListSchema<typeof EventSchema>>;
export type DaemonSetList = Static<ListSchema<typeof DaemonSetSchema>>;
export type ControllerRevisionList = Static<ListSchema<typeof ControllerRevisionSchema>>;
export type Service = Static<typeof ServiceSchema>;
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
export type ServiceList = Static<ListSchema<typeof ServiceSchema>>;
export type Lease = Static<typeof LeaseSchema>;
export type LeaseList = Static<ListSchema<typeof LeaseSchema>>;
