/** Every kind kubemock serves. Adding a kind is adding a folder and a line here. */
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { namespaces } from './namespaces/definition.js';
import { nodes } from './nodes/definition.js';
import { pods } from './pods/definition.js';
import { events } from './events/definition.js';
import { daemonSets } from './daemonsets/definition.js';
import { controllerRevisions } from './controllerrevisions/definition.js';
import { leases } from './leases/definition.js';
import { services } from './services/definition.js';
import { selfSubjectAccessReviews, selfSubjectRulesReviews } from './authorization/definition.js';

export const resources: ResourceDefinition[] = [namespaces, nodes, pods, events, daemonSets, controllerRevisions, leases, services, selfSubjectAccessReviews, selfSubjectRulesReviews] as ResourceDefinition[];
