/** node.k8s.io/v1 RuntimeClass: a container runtime configuration pods can name, with its overhead and placement. */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, field, gvk, resourceList, str, stringMap } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { TolerationSchema } from '../core-schemas/pod-spec.js';

const NODE = 'io.k8s.api.node.v1';

export const OverheadSchema = Type.Object(
  {
    podFixed: Type.Optional(resourceList('Resources every pod of the class uses beyond its containers (the runtime itself).')),
  },
  { $id: `${NODE}.Overhead`, description: 'What running a pod with this runtime costs on top of its containers.' },
);

export const SchedulingSchema = Type.Object(
  {
    nodeSelector: Type.Optional(
      stringMap(
        'Labels the nodes supporting this class carry; merged into the nodeSelector of every pod of the class (a pod that asks for another value of a key is refused).',
        'atomic',
      ),
    ),
    tolerations: Type.Optional(
      atomicList(TolerationSchema, 'Tolerations added to every pod of the class, those it already has kept once.'),
    ),
  },
  { $id: `${NODE}.Scheduling`, description: 'Where pods of a RuntimeClass may run: the nodes that support it.' },
);

export const RuntimeClassSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    handler: str(
      'The runtime configuration the node runs the pods of this class with, as the CRI implementation names it (e.g. runc); a DNS label, immutable.',
    ),
    overhead: Type.Optional(
      field(OverheadSchema, 'Resources a pod of this class uses beyond its containers; copied into the pod at admission.'),
    ),
    scheduling: Type.Optional(
      field(SchedulingSchema, 'The nodes that support this class; absent when every node does. Merged into the pods at admission.'),
    ),
  },
  {
    $id: `${NODE}.RuntimeClass`,
    description: 'A container runtime configuration that pods select with spec.runtimeClassName.',
    ...gvk('node.k8s.io', 'v1', 'RuntimeClass'),
  },
);

export const RuntimeClassListSchema = listSchema(RuntimeClassSchema, 'RuntimeClass');

export type RuntimeClass = Static<typeof RuntimeClassSchema>;
export type RuntimeClassScheduling = Static<typeof SchedulingSchema>;
