/** core/v1 Namespace. */
import { Type } from '@sinclair/typebox';
import { atomicList, field, gvk, mergeList, str, time } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE } from './container.js';

export const NamespaceSpecSchema = Type.Object(
  {
    finalizers: Type.Optional(atomicList(str('A finalizer name, e.g. "kubernetes".'), 'Must be empty before the namespace is removed.')),
  },
  { $id: `${CORE}.NamespaceSpec`, description: 'Desired state of a namespace.' },
);

export const NamespaceConditionSchema = Type.Object(
  {
    type: str('Kind of condition, e.g. NamespaceContentRemaining or NamespaceDeletionContentFailure.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: Type.Optional(time('When the status last changed.')),
    reason: Type.Optional(str('Short cause of the last transition.')),
    message: Type.Optional(str('Human-readable details of the last transition.')),
  },
  { $id: `${CORE}.NamespaceCondition`, description: 'One aspect of the state of a namespace.' },
);

export const NamespaceStatusSchema = Type.Object(
  {
    phase: Type.Optional(str('Active or Terminating.')),
    conditions: Type.Optional(mergeList(NamespaceConditionSchema, 'type', 'Current conditions, mostly about deletion.')),
  },
  { $id: `${CORE}.NamespaceStatus`, description: 'Observed state of a namespace.' },
);

export const NamespaceSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(NamespaceSpecSchema, 'Desired state of the namespace.')),
    status: Type.Optional(field(NamespaceStatusSchema, 'Observed state of the namespace.')),
  },
  { $id: `${CORE}.Namespace`, description: 'A scope for names of namespaced objects.', ...gvk('', 'v1', 'Namespace') },
);
