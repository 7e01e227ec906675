/** apps/v1 DaemonSet: one pod per eligible node, rolled out by revision. */
import { Type } from '@sinclair/typebox';
import { field, gvk, int32, int64, intOrString, mergeList, str, time } from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema, ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { PodTemplateSpecSchema } from '../core-schemas/pod.js';

export const APPS = 'io.k8s.api.apps.v1';

export const RollingUpdateDaemonSetSchema = Type.Object(
  {
    maxUnavailable: Type.Optional(
      intOrString('Pods that may be unavailable during the update, as a number or a percentage (rounded up); 1 by default.'),
    ),
    maxSurge: Type.Optional(
      intOrString('Nodes that may run an updated pod next to the old one, as a number or a percentage; 0 by default.'),
    ),
  },
  { $id: `${APPS}.RollingUpdateDaemonSet`, description: 'Pace of a rolling update of a DaemonSet.' },
);

export const DaemonSetUpdateStrategySchema = Type.Object(
  {
    type: Type.Optional(str('RollingUpdate (default) or OnDelete (replace a pod only once it is deleted).')),
    rollingUpdate: Type.Optional(field(RollingUpdateDaemonSetSchema, 'Parameters of a RollingUpdate.')),
  },
  { $id: `${APPS}.DaemonSetUpdateStrategy`, description: 'How pods are replaced when the template changes.' },
);

export const DaemonSetSpecSchema = Type.Object(
  {
    selector: field(LabelSelectorSchema, 'Pods managed by the DaemonSet; must match the template labels.'),
    template: field(PodTemplateSpecSchema, 'Pod created on every eligible node; restartPolicy must be Always.'),
    updateStrategy: Type.Optional(field(DaemonSetUpdateStrategySchema, 'How pods are replaced on template changes.')),
    minReadySeconds: Type.Optional(int32('Seconds a new pod must be ready before it counts as available; 0 by default.')),
    revisionHistoryLimit: Type.Optional(int32('Old ControllerRevisions kept for rollback; 10 by default.')),
  },
  { $id: `${APPS}.DaemonSetSpec`, description: 'Desired state of a DaemonSet.' },
);

export const DaemonSetConditionSchema = Type.Object(
  {
    type: str('Kind of condition.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: Type.Optional(time('When the status last changed.')),
    reason: Type.Optional(str('Short cause of the last transition.')),
    message: Type.Optional(str('Human-readable details of the last transition.')),
  },
  { $id: `${APPS}.DaemonSetCondition`, description: 'One aspect of the state of a DaemonSet.' },
);

export const DaemonSetStatusSchema = Type.Object(
  {
    currentNumberScheduled: int32('Nodes that should run the pod and run at least one.'),
    numberMisscheduled: int32('Nodes that run the pod but should not.'),
    desiredNumberScheduled: int32('Nodes that should run the pod.'),
    numberReady: int32('Nodes that should run the pod and have at least one ready.'),
    observedGeneration: Type.Optional(int64('Generation last acted upon by the controller.')),
    updatedNumberScheduled: Type.Optional(int32('Nodes running a pod of the current template.')),
    numberAvailable: Type.Optional(int32('Nodes that should run the pod and have one available (ready for minReadySeconds).')),
    numberUnavailable: Type.Optional(int32('Nodes that should run the pod and have none available.')),
    collisionCount: Type.Optional(int32('Hash collisions met naming ControllerRevisions; mixed into the next name.')),
    conditions: Type.Optional(mergeList(DaemonSetConditionSchema, 'type', 'Current conditions.')),
  },
  { $id: `${APPS}.DaemonSetStatus`, description: 'Observed state of a DaemonSet, written by its controller.' },
);

export const DaemonSetSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(DaemonSetSpecSchema, 'Desired state of the DaemonSet.')),
    status: Type.Optional(field(DaemonSetStatusSchema, 'Observed state of the DaemonSet; read-only for clients.')),
  },
  {
    $id: `${APPS}.DaemonSet`,
    description: 'Runs a copy of a pod on every node that matches its template.',
    ...gvk('apps', 'v1', 'DaemonSet'),
  },
);
