/** policy/v1 PodDisruptionBudget: how many of the selected pods voluntary disruptions must leave running. */
import { Type, type Static } from '@sinclair/typebox';
import { field, gvk, int32, int64, intOrString, mergeList, str, time } from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema, ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { ConditionSchema } from '../../apimachinery/schemas/condition.js';

const POLICY = 'io.k8s.api.policy.v1';

export const PodDisruptionBudgetSpecSchema = Type.Object(
  {
    minAvailable: Type.Optional(
      intOrString(
        'Selected pods that must stay available after an eviction, as a number or a percentage of the expected pods; excludes maxUnavailable.',
      ),
    ),
    selector: Type.Optional(
      field(LabelSelectorSchema, 'The pods the budget covers: null selects none, an empty selector every pod of the namespace.'),
    ),
    maxUnavailable: Type.Optional(
      intOrString(
        'Selected pods that may be unavailable after an eviction, as a number or a percentage of the expected pods; excludes minAvailable.',
      ),
    ),
    unhealthyPodEvictionPolicy: Type.Optional(
      str(
        'When a running but not ready pod may be evicted: IfHealthyBudget (the default: only while the budget has its healthy pods) or AlwaysAllow.',
      ),
    ),
  },
  { $id: `${POLICY}.PodDisruptionBudgetSpec`, description: 'What a PodDisruptionBudget protects and how much.' },
);

export const PodDisruptionBudgetStatusSchema = Type.Object(
  {
    observedGeneration: Type.Optional(int64('The generation of the spec the disruption controller last computed this status for.')),
    disruptedPods: Type.Optional(
      Type.Record(Type.String(), time('When the eviction was allowed.'), {
        description:
          'Pods whose eviction the API server allowed but the controller has not yet seen deleted, by name; dropped after two minutes.',
      }),
    ),
    disruptionsAllowed: int32('Evictions allowed now.'),
    currentHealthy: int32('Selected pods that are healthy (ready) now.'),
    desiredHealthy: int32('Selected pods that must stay healthy.'),
    expectedPods: int32('Pods the budget expects: the scale of their controllers, or the selected pods for an integer minAvailable.'),
    conditions: Type.Optional(
      mergeList(ConditionSchema, 'type', 'Conditions of the budget: DisruptionAllowed says whether an eviction is allowed now.'),
    ),
  },
  {
    $id: `${POLICY}.PodDisruptionBudgetStatus`,
    description: 'Observed state of a PodDisruptionBudget, written by the disruption controller.',
  },
);

export const PodDisruptionBudgetSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(PodDisruptionBudgetSpecSchema, 'What the budget protects.')),
    status: Type.Optional(field(PodDisruptionBudgetStatusSchema, 'Observed state of the budget; read-only for clients.')),
  },
  {
    $id: `${POLICY}.PodDisruptionBudget`,
    description: 'A limit on voluntary disruptions (evictions) of a set of pods.',
    ...gvk('policy', 'v1', 'PodDisruptionBudget'),
  },
);

export const PodDisruptionBudgetListSchema = listSchema(PodDisruptionBudgetSchema, 'PodDisruptionBudget');

export type PodDisruptionBudget = Static<typeof PodDisruptionBudgetSchema>;
export type PodDisruptionBudgetSpec = Static<typeof PodDisruptionBudgetSpecSchema>;
export type PodDisruptionBudgetStatus = Static<typeof PodDisruptionBudgetStatusSchema>;
