/** core/v1 Pod, its status (conditions, container statuses, IPs) and PodTemplateSpec. */
import { Type } from '@sinclair/typebox';
import {
  atomicList,
  bool,
  field,
  gvk,
  int32,
  int64,
  mapList,
  mergeList,
  resourceList,
  str,
  time,
} from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE, ResourceRequirementsSchema } from './container.js';
import { PodSpecSchema } from './pod-spec.js';

export const PodConditionSchema = Type.Object(
  {
    type: str('Kind of condition: PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers …'),
    observedGeneration: Type.Optional(int64('Pod generation the condition was computed from.')),
    status: str('True, False or Unknown.'),
    lastProbeTime: Type.Optional(time('When the condition was last checked.')),
    lastTransitionTime: Type.Optional(time('When the status last changed.')),
    reason: Type.Optional(str('One-word CamelCase cause of the last transition.')),
    message: Type.Optional(str('Human-readable details of the last transition.')),
  },
  { $id: `${CORE}.PodCondition`, description: 'One aspect of the state of a pod.' },
);

export const ContainerStateWaitingSchema = Type.Object(
  {
    reason: Type.Optional(str('Why the container is not running yet, e.g. ContainerCreating or CrashLoopBackOff.')),
    message: Type.Optional(str('Details of why the container is not running yet.')),
  },
  { $id: `${CORE}.ContainerStateWaiting`, description: 'A container that is not running yet.' },
);

export const ContainerStateRunningSchema = Type.Object(
  { startedAt: Type.Optional(time('When the container last (re)started.')) },
  { $id: `${CORE}.ContainerStateRunning`, description: 'A running container.' },
);

export const ContainerStateTerminatedSchema = Type.Object(
  {
    exitCode: int32('Exit status of the process.'),
    signal: Type.Optional(int32('Signal that ended the process, if any.')),
    reason: Type.Optional(str('Short cause, e.g. Completed, Error or OOMKilled.')),
    message: Type.Optional(str('Details, such as the termination message.')),
    startedAt: Type.Optional(time('When this run of the container started.')),
    finishedAt: Type.Optional(time('When this run of the container ended.')),
    containerID: Type.Optional(str("Runtime ID of the container, as '<type>://<id>'.")),
  },
  { $id: `${CORE}.ContainerStateTerminated`, description: 'A container whose process has ended.' },
);

export const ContainerStateSchema = Type.Object(
  {
    waiting: Type.Optional(field(ContainerStateWaitingSchema, 'Set while the container waits to run.')),
    running: Type.Optional(field(ContainerStateRunningSchema, 'Set while the container runs.')),
    terminated: Type.Optional(field(ContainerStateTerminatedSchema, 'Set once the container has ended.')),
  },
  { $id: `${CORE}.ContainerState`, description: 'State of a container; exactly one member is set (waiting if none).' },
);

export const VolumeMountStatusSchema = Type.Object(
  {
    name: str('Name of the volume mount.'),
    mountPath: str('Mount path of the volume mount.'),
    readOnly: Type.Optional(bool('Whether the mount is read-only.')),
    recursiveReadOnly: Type.Optional(str('Disabled or Enabled, as actually applied.')),
  },
  { $id: `${CORE}.VolumeMountStatus`, description: 'How a volume mount was actually set up.' },
);

export const LinuxContainerUserSchema = Type.Object(
  {
    uid: int64('Primary UID of the first process.'),
    gid: int64('Primary GID of the first process.'),
    supplementalGroups: Type.Optional(atomicList(int64('A GID.'), 'Supplemental groups of the first process.')),
  },
  { $id: `${CORE}.LinuxContainerUser`, description: 'Linux identity of the first process of a container.' },
);

export const ContainerUserSchema = Type.Object(
  { linux: Type.Optional(field(LinuxContainerUserSchema, 'Identity on Linux.')) },
  { $id: `${CORE}.ContainerUser`, description: 'Identity the first process of a container started with.' },
);

export const ResourceHealthSchema = Type.Object(
  {
    resourceID: str('Identifier of the device or resource.'),
    health: Type.Optional(str('Healthy, Unhealthy or Unknown.')),
  },
  { $id: `${CORE}.ResourceHealth`, description: 'Health of one allocated device.' },
);

export const ResourceStatusSchema = Type.Object(
  {
    name: str('Resource name, e.g. a device plugin resource or "claim:<claim>/<request>".'),
    resources: Type.Optional(mapList(ResourceHealthSchema, ['resourceID'], 'Health of each allocated device.')),
  },
  { $id: `${CORE}.ResourceStatus`, description: 'Health of the devices allocated for one resource.' },
);

export const ContainerStatusSchema = Type.Object(
  {
    name: str('Name of the container.'),
    state: Type.Optional(field(ContainerStateSchema, 'Current state.')),
    lastState: Type.Optional(field(ContainerStateSchema, 'State of the previous run, after a restart.')),
    ready: bool('Whether the container passes its readiness check.'),
    restartCount: int32('Number of restarts.'),
    image: str('Image the container runs, as resolved by the runtime.'),
    imageID: str('ID (digest) of the image the container runs.'),
    containerID: Type.Optional(str("Runtime ID of the container, as '<type>://<id>'.")),
    started: Type.Optional(bool('Whether the postStart hook and the startup probe have succeeded.')),
    allocatedResources: Type.Optional(resourceList('Resources the node allocated to the container.')),
    resources: Type.Optional(field(ResourceRequirementsSchema, 'Requests and limits actually applied.')),
    volumeMounts: Type.Optional(mergeList(VolumeMountStatusSchema, 'mountPath', 'Status of the volume mounts.')),
    user: Type.Optional(field(ContainerUserSchema, 'Identity of the first process.')),
    allocatedResourcesStatus: Type.Optional(mergeList(ResourceStatusSchema, 'name', 'Health of the devices allocated to the container.')),
    stopSignal: Type.Optional(str('Signal that will be sent to stop the container.')),
  },
  { $id: `${CORE}.ContainerStatus`, description: 'Observed state of one container.' },
);

export const PodIPSchema = Type.Object(
  { ip: str('An IP address of the pod.') },
  { $id: `${CORE}.PodIP`, description: 'An IP address allocated to the pod.' },
);

export const HostIPSchema = Type.Object(
  { ip: str('An IP address of the node.') },
  { $id: `${CORE}.HostIP`, description: 'An IP address of the node the pod runs on.' },
);

export const PodResourceClaimStatusSchema = Type.Object(
  {
    name: str('Name of the entry of spec.resourceClaims.'),
    resourceClaimName: Type.Optional(str('Name of the ResourceClaim generated for the pod, if any.')),
  },
  { $id: `${CORE}.PodResourceClaimStatus`, description: 'The claim generated for a pod resource claim.' },
);

export const PodStatusSchema = Type.Object(
  {
    observedGeneration: Type.Optional(int64('Pod generation this status was computed from.')),
    phase: Type.Optional(str('Pending, Running, Succeeded, Failed or Unknown.')),
    conditions: Type.Optional(mergeList(PodConditionSchema, 'type', 'Current conditions.')),
    message: Type.Optional(str('Human-readable reason for the current state.')),
    reason: Type.Optional(str('CamelCase reason for the current state, e.g. Evicted.')),
    nominatedNodeName: Type.Optional(str('Node the pod may go to after preempting pods there.')),
    hostIP: Type.Optional(str('Primary IP of the node the pod is bound to.')),
    hostIPs: Type.Optional(mergeList(HostIPSchema, 'ip', 'IPs of the node; the first equals hostIP.', { listType: 'atomic' })),
    podIP: Type.Optional(str('Primary IP of the pod.')),
    podIPs: Type.Optional(mergeList(PodIPSchema, 'ip', 'IPs of the pod, at most one per family; the first equals podIP.')),
    startTime: Type.Optional(time('When the kubelet accepted the pod.')),
    initContainerStatuses: Type.Optional(atomicList(ContainerStatusSchema, 'One status per init container.')),
    containerStatuses: Type.Optional(atomicList(ContainerStatusSchema, 'One status per container.')),
    qosClass: Type.Optional(str('Guaranteed, Burstable or BestEffort.')),
    ephemeralContainerStatuses: Type.Optional(atomicList(ContainerStatusSchema, 'One status per ephemeral container.')),
    resize: Type.Optional(str('Deprecated: state of a requested resize (Proposed, InProgress, Deferred, Infeasible).')),
    resourceClaimStatuses: Type.Optional(
      mergeList(PodResourceClaimStatusSchema, 'name', 'Claims generated for the pod.', { strategy: 'merge,retainKeys' }),
    ),
  },
  { $id: `${CORE}.PodStatus`, description: 'Observed state of a pod, reported by its kubelet.' },
);

export const PodSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(PodSpecSchema, 'Desired state of the pod.')),
    status: Type.Optional(field(PodStatusSchema, 'Observed state of the pod; read-only for clients.')),
  },
  {
    $id: `${CORE}.Pod`,
    description: 'A group of containers scheduled together on one node.',
    ...gvk('', 'v1', 'Pod'),
  },
);

export const PodTemplateSpecSchema = Type.Object(
  {
    metadata: Type.Optional(field(ObjectMetaSchema, 'Metadata (labels, annotations) of the pods to create.')),
    spec: Type.Optional(field(PodSpecSchema, 'Spec of the pods to create.')),
  },
  { $id: `${CORE}.PodTemplateSpec`, description: 'The shape of pods a controller creates.' },
);
