/** metav1.Condition: the standard status condition of newer kinds (PodDisruptionBudget …). */
import { Type, type Static } from '@sinclair/typebox';
import { int64, str, time } from './extensions.js';

export const ConditionSchema = Type.Object(
  {
    type: str('What the condition is about, in CamelCase (or a domain-prefixed name).'),
    status: str('True, False or Unknown.'),
    observedGeneration: Type.Optional(int64('The metadata.generation the condition was set for.')),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('A CamelCase word saying why the condition is in its status.'),
    message: str('A human-readable explanation; may be empty.'),
  },
  { $id: 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition', description: 'One aspect of the current state of an object.' },
);

export type Condition = Static<typeof ConditionSchema>;
