/**
 * What the simulated kubelet does to the pods bound to its node, as stages (kwok's pod-ready,
 * pod-delete): take them on (ContainerCreating), start them, fail to pull images that match the
 * failing pattern, wait for the ConfigMaps and Secrets a pod mounts or reads into its environment
 * (object-references.ts), say why a pod gets no address, report readiness (readiness gates included)
 * when it changes, restart a container whose image changed (restart-stages.ts) and stop a deleted
 * pod's containers before removing it (termination-stages.ts). Pods whose node does not exist are
 * left alone (pod GC deals with them).
 */
import type { ControllerSettings } from '../../controllers/context.js';
import { imageMatches, sandboxID } from '../container-ids.js';
import { allocatePodIP, podCIDRAddresses, sandboxNetworkError } from '../pod-cidr.js';
import { NODE_PORTS_REASON, hostPortsConflict, wantsHostPorts } from '../../controllers/scheduling/host-ports.js';
import {
  backOffMessage,
  foreignConditions,
  completedInitContainerStatus,
  kubeletPodConditions,
  pullErrorMessage,
  readinessOutdated,
  runningContainerStatus,
  unreadyContainers,
  waitingContainerStatus,
  type SetupState,
} from '../pod-status.js';
import type { ContainerStatus } from '../../resources/schemas.js';
import type { StoredNode, StoredPod } from '../../resources/stored.js';
import type { Effect, Stage } from '../stage.js';
import { containerConfigError, failedMounts, type ObjectLookup } from '../object-references.js';
import { rfc3339 } from '../../apimachinery/object.js';
import { presentAndStartedEvents, presentEvent, pullFailedEvents } from '../image-pull.js';
import { CONFIG_ERROR, PULL_ERRORS, anyStarted, containerEvent, containers, event, onNode, terminating } from './pod-facts.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import { restartStages } from './restart-stages.js';
import { terminationStages } from './termination-stages.js';

/** What the pod stages look at besides the pod: made anew for each step (answers are remembered for that step). */
export interface PodEnv {
  /** The node the pod is bound to, if it exists. */
  node?: StoredNode;
  settings: Pick<ControllerSettings, 'podStartupMs' | 'containerStopMs' | 'maxTerminationMs' | 'failingImagePattern'>;
  /** Pod IPs already given to other pods on the node. */
  podIPsInUse(): ReadonlySet<string>;
  /** How many pods are bound to the node, this one included: at least the IPs in use, plus one. */
  podsBoundHere(): number;
  /** The ConfigMaps and Secrets of the pod's namespace. */
  objects: ObjectLookup;
  /** The other pods of the node the kubelet took on (or will, being older), not finished: what its admission checks against. */
  admittedPods(): readonly StoredPod[];
}

export type PodStage = Stage<StoredPod, PodEnv>;

const pending = (pod: StoredPod) => (pod.status?.phase ?? 'Pending') === 'Pending';
const failing = (pod: StoredPod, env: PodEnv) =>
  containers(pod).filter((c) => imageMatches(c.image ?? '', env.settings.failingImagePattern));
const pullReported = (pod: StoredPod) =>
  (pod.status?.containerStatuses ?? []).some((s) => PULL_ERRORS.includes(s.state?.waiting?.reason ?? ''));
const waitingWith = (pod: StoredPod, reason: string) =>
  (pod.status?.containerStatuses ?? []).some((s) => s.state?.waiting?.reason === reason);

function nodeReady(env: PodEnv): boolean {
  return (env.node?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function hostIP(env: PodEnv): string | undefined {
  const addresses = env.node?.status?.addresses ?? [];
  return (addresses.find((a) => a.type === 'InternalIP') ?? addresses[0])?.address;
}

/** The pod's IP: kept once given; the host's with hostNetwork; else the next free one of the podCIDR. */
function podIP(pod: StoredPod, env: PodEnv): string | undefined {
  if (pod.status?.podIP) return pod.status.podIP;
  if (pod.spec?.hostNetwork) return hostIP(env);
  return allocatePodIP(env.node?.spec?.podCIDR, env.podIPsInUse());
}

/**
 * Whether the pod has or can get an IP. While the podCIDR has more addresses than the node has
 * pods one is surely free, and none is picked yet: the lowest free one is picked as the pod starts.
 */
function hasPodIP(pod: StoredPod, env: PodEnv): boolean {
  if (!pod.status?.podIP && !pod.spec?.hostNetwork && env.podsBoundHere() - 1 < podCIDRAddresses(env.node?.spec?.podCIDR)) return true;
  return Boolean(podIP(pod, env));
}

/** The kubelet takes the pod on: bound here, the node Ready with a host IP. */
const canAdmit = (pod: StoredPod, env: PodEnv) =>
  onNode(pod, env) && !terminating(pod) && pending(pod) && nodeReady(env) && Boolean(hostIP(env));

/** The kubelet's admission turns the pod away (a host port it wants is taken, as the scheduler's NodePorts filter decides). */
const rejected = (pod: StoredPod, env: PodEnv) => wantsHostPorts(pod) && hostPortsConflict(pod, env.admittedPods());

/** Every volume a container mounts is set up (the volume manager comes before the sandbox). */
const volumesReady = (pod: StoredPod, env: PodEnv) => failedMounts(pod, env.objects).length === 0;

/**
 * canStart's last answer, for the step its environment was made for: several stages of one step
 * ask it, and steps run one at a time (each makes its own environment). One entry, not a table by
 * environment: a weak table of an object per step is work for every collection.
 */
const startable: { env: PodEnv | undefined; pod: StoredPod | undefined; value: boolean } = { env: undefined, pod: undefined, value: false };

/** The kubelet can start the containers: admitted, volumes set up, with an IP for the pod. */
function canStart(pod: StoredPod, env: PodEnv): boolean {
  if (startable.env === env && startable.pod === pod) return startable.value;
  const value = canAdmit(pod, env) && volumesReady(pod, env) && hasPodIP(pod, env);
  startable.env = env;
  startable.pod = pod;
  startable.value = value;
  return value;
}

/** The containers whose environment cannot be built now, with why. */
const configErrors = (pod: StoredPod, env: PodEnv) =>
  new Map(
    containers(pod).flatMap((c) => {
      const error = containerConfigError(pod, c, env.objects);
      return error ? [[c.name, error] as const] : [];
    }),
  );

/** The first init container (they run in order) whose environment cannot be built now, with why. */
function initConfigError(pod: StoredPod, env: PodEnv): { index: number; error: string } | undefined {
  const init = pod.spec?.initContainers ?? [];
  for (let index = 0; index < init.length; index++) {
    const error = containerConfigError(pod, init[index], env.objects);
    if (error) return { index, error };
  }
  return undefined;
}

/** The status shows the init container's config error with its message. */
function initConfigErrorReported(pod: StoredPod, env: PodEnv): boolean {
  const found = initConfigError(pod, env);
  const name = found && pod.spec?.initContainers?.[found.index]?.name;
  const waiting = (pod.status?.initContainerStatuses ?? []).find((s) => s.name === name)?.state?.waiting;
  return waiting?.reason === CONFIG_ERROR && waiting.message === found?.error;
}

/** The status shows every container config error there is now, with its message. */
function configErrorsReported(pod: StoredPod, env: PodEnv): boolean {
  const shown = new Map(
    (pod.status?.containerStatuses ?? []).flatMap((s) =>
      s.state?.waiting?.reason === CONFIG_ERROR ? [[s.name, s.state.waiting.message ?? ''] as const] : [],
    ),
  );
  const errors = configErrors(pod, env);
  return errors.size === shown.size && [...errors].every(([name, message]) => shown.get(name) === message);
}

/**
 * The first status a kubelet reports for a pod it takes on: Pending, the sandbox not ready yet,
 * every container waiting (ContainerCreating, or PodInitializing behind init containers), no pod IP.
 */
function creatingStatus(pod: StoredPod, env: PodEnv, now: number): StoredPod['status'] {
  const init = pod.spec?.initContainers ?? [];
  const waitingFor = init.length ? 'PodInitializing' : 'ContainerCreating';
  const status = nodeStatus(pod, env, now, 'Pending', allContainerNames(pod), {
    sandboxReady: false,
    uninitialized: init.map((c) => c.name),
  });
  status.containerStatuses = containers(pod).map((c) => waitingContainerStatus(c, waitingFor));
  if (init.length) status.initContainerStatuses = init.map((c) => waitingContainerStatus(c, 'PodInitializing'));
  return status;
}

/**
 * A status the kubelet writes for a pod on this node: `phase`, its conditions (`unready`: the
 * containers not ready; `setup`: the sandbox and the init containers, all done unless given), the
 * host's IPs and the start time; the caller adds the pod IPs and the container statuses.
 */
function nodeStatus(
  pod: StoredPod,
  env: PodEnv,
  now: number,
  phase: string,
  unready: string[],
  setup?: SetupState,
): NonNullable<StoredPod['status']> {
  const host = hostIP(env)!;
  return {
    ...pod.status,
    phase,
    conditions: kubeletPodConditions(pod, unready, now, setup),
    hostIP: host,
    hostIPs: ipList(pod.status?.hostIPs, host),
    startTime: pod.status?.startTime ?? rfc3339(now),
  };
}

/**
 * The one-address list (hostIPs, podIPs) of `ip`: the stored list itself when it is just that, so
 * the write's later steps (field ownership, the canonical order, the controllers' cache) see it kept.
 */
function ipList(stored: readonly { ip?: string }[] | undefined, ip: string): { ip: string }[] {
  if (stored?.length === 1 && stored[0].ip === ip && onlyKey(stored[0], 'ip')) return stored as { ip: string }[];
  return [{ ip }];
}

function onlyKey(o: object, key: string): boolean {
  for (const k in o) if (k !== key) return false;
  return true;
}

/** Every container of the pod by name: all unready while it is Pending. */
const allContainerNames = (pod: StoredPod) => containers(pod).map((c) => c.name);

/** The status shared by every started pod: host and pod IPs, start time, kubelet conditions. */
function startedStatus(
  pod: StoredPod,
  env: PodEnv,
  now: number,
  phase: string,
  statuses: ContainerStatus[],
  unready: string[],
): StoredPod['status'] {
  const ip = podIP(pod, env)!;
  const init = pod.spec?.initContainers ?? [];
  const status: NonNullable<StoredPod['status']> = {
    ...nodeStatus(pod, env, now, phase, unready),
    podIP: ip,
    podIPs: ipList(pod.status?.podIPs, ip),
    containerStatuses: statuses,
  };
  if (init.length) status.initContainerStatuses = init.map((c) => completedInitContainerStatus(pod, c, now));
  return status;
}

export const podStages: PodStage[] = [
  {
    // A pod bound to the node without the scheduler (spec.nodeName) whose host port another pod
    // there already has: the kubelet's admission rejects it, Failed with reason NodePorts and the
    // predicate's message (kubectl shows NodePorts), and a Warning event of that reason.
    name: 'pod-rejected',
    when: (pod, env) => canAdmit(pod, env) && !pod.status?.startTime && rejected(pod, env),
    delayMs: () => 0,
    next(pod, _env, now) {
      const message = `Predicate NodePorts failed: ${NODE_PORTS_REASON}`;
      const status = {
        ...pod.status,
        phase: 'Failed',
        conditions: foreignConditions(pod),
        message: `Pod was rejected: ${message}`,
        reason: 'NodePorts',
        startTime: rfc3339(now),
      };
      return [{ type: 'update', subresource: 'status', object: { ...pod, status } }, event('Warning', 'NodePorts', message)];
    },
  },
  {
    // The kubelet sees a pod bound to its node for the first time: kubectl shows ContainerCreating.
    name: 'pod-create',
    when: (pod, env) => canAdmit(pod, env) && !pod.status?.startTime && !rejected(pod, env),
    delayMs: () => 0,
    next: (pod, env, now) => [{ type: 'update', subresource: 'status', object: { ...pod, status: creatingStatus(pod, env, now) } }],
  },
  ...terminationStages,
  {
    name: 'pod-ready',
    when: (pod, env) =>
      canStart(pod, env) &&
      failing(pod, env).length === 0 &&
      !initConfigError(pod, env) &&
      configErrors(pod, env).size === 0 &&
      !anyStarted(pod),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod, env, now) {
      const statuses = containers(pod).map((c) => runningContainerStatus(pod, c, now));
      // Each init container was started (and ran to completion, or keeps running as a sidecar) before the others.
      const events = [...(pod.spec?.initContainers ?? []), ...containers(pod)].flatMap((c) => presentAndStartedEvents(pod, c));
      return [
        { type: 'update', subresource: 'status', object: { ...pod, status: startedStatus(pod, env, now, 'Running', statuses, []) } },
        ...events,
      ];
    },
  },
  {
    // A volume a container mounts names a ConfigMap or Secret (or a key of one) that does not
    // exist: the volume manager cannot set it up, so the pod stays ContainerCreating (no sandbox,
    // no IP) with a FailedMount event per volume. The kubelet retries with a back-off; here the
    // attempt is made again whenever the pod is looked at again (a ConfigMap or Secret it names
    // changed), each time recording the events anew (the recorder counts them), and the pod goes
    // on once every volume can be set up. Volumes of a pod already started are not looked at.
    name: 'pod-volume-mount-failed',
    when: (pod, env) => canAdmit(pod, env) && Boolean(pod.status?.startTime) && !anyStarted(pod) && !volumesReady(pod, env),
    delayMs: () => 0,
    next: (pod, env) => failedMounts(pod, env.objects).map((f) => event('Warning', 'FailedMount', f.message)),
  },
  {
    // No address left in the node's podCIDR (or none usable): the sandbox's network cannot be set
    // up, so the pod stays ContainerCreating, and the kubelet's event says why.
    name: 'pod-sandbox-failed',
    when: (pod, env) => canAdmit(pod, env) && Boolean(pod.status?.startTime) && volumesReady(pod, env) && !hasPodIP(pod, env),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next: (pod, env) => [
      event('Warning', 'FailedCreatePodSandBox', sandboxNetworkError(sandboxID(pod.metadata.uid ?? ''), env.node?.spec?.podCIDR)),
    ],
  },
  {
    name: 'pod-image-pull-error',
    when: (pod, env) => canStart(pod, env) && failing(pod, env).length > 0 && !pullReported(pod),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod, env, now) {
      const bad = new Set(failing(pod, env).map((c) => c.name));
      const statuses = containers(pod).map((c) =>
        bad.has(c.name) ? waitingContainerStatus(c, 'ErrImagePull', pullErrorMessage(c.image ?? '')) : runningContainerStatus(pod, c, now),
      );
      const events = containers(pod)
        .filter((c) => bad.has(c.name))
        .flatMap((c) => pullFailedEvents(pod, c));
      const status = startedStatus(pod, env, now, 'Pending', statuses, [...bad]);
      return [{ type: 'update', subresource: 'status', object: { ...pod, status } }, ...events];
    },
  },
  {
    // A container's environment names a ConfigMap or Secret, or a key of one, that does not exist
    // (and is not optional): the image is there but the container cannot be created, so it waits
    // in CreateContainerConfigError with the kubelet's message and a Failed event `Error: …`; the
    // other containers start. Played again when the errors change; once they are gone the
    // container starts (pod-ready, or container-start when others already run).
    name: 'pod-config-error',
    when: (pod, env) =>
      canStart(pod, env) &&
      failing(pod, env).length === 0 &&
      !initConfigError(pod, env) &&
      configErrors(pod, env).size > 0 &&
      !configErrorsReported(pod, env),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod, env, now) {
      const errors = configErrors(pod, env);
      const current = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
      const events: Effect[] = [];
      const statuses = containers(pod).map((c) => {
        const error = errors.get(c.name);
        const was = current.get(c.name);
        if (error) {
          events.push(presentEvent(pod, c), containerEvent(pod, c, 'Warning', 'Failed', `Error: ${error}`));
          return { ...waitingContainerStatus(c, CONFIG_ERROR, error), restartCount: was?.restartCount ?? 0 };
        }
        if (was?.state?.running) return was;
        events.push(...presentAndStartedEvents(pod, c));
        return runningContainerStatus(pod, c, now);
      });
      const status = startedStatus(pod, env, now, 'Pending', statuses, [...errors.keys()]);
      return [{ type: 'update', subresource: 'status', object: { ...pod, status } }, ...events];
    },
  },
  {
    // The same for an init container: those before it complete, it waits in
    // CreateContainerConfigError (kubectl shows Init:CreateContainerConfigError), those after it
    // and the containers wait in PodInitializing; once its objects are there, pod-ready runs them.
    name: 'pod-init-config-error',
    when: (pod, env) =>
      canStart(pod, env) &&
      failing(pod, env).length === 0 &&
      !anyStarted(pod) &&
      Boolean(initConfigError(pod, env)) &&
      !initConfigErrorReported(pod, env),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod, env, now) {
      const { index, error } = initConfigError(pod, env)!;
      const init = pod.spec?.initContainers ?? [];
      const blocked = init[index];
      const ip = podIP(pod, env)!;
      const status: NonNullable<StoredPod['status']> = {
        ...nodeStatus(pod, env, now, 'Pending', allContainerNames(pod), {
          sandboxReady: true,
          uninitialized: init.slice(index).map((c) => c.name),
        }),
        podIP: ip,
        podIPs: [{ ip }],
        initContainerStatuses: init.map((c, i) =>
          i < index
            ? completedInitContainerStatus(pod, c, now)
            : i === index
              ? waitingContainerStatus(c, CONFIG_ERROR, error)
              : waitingContainerStatus(c, 'PodInitializing'),
        ),
        containerStatuses: containers(pod).map((c) => waitingContainerStatus(c, 'PodInitializing')),
      };
      const ran = init.slice(0, index).flatMap((c) => presentAndStartedEvents(pod, c));
      return [
        { type: 'update', subresource: 'status', object: { ...pod, status } },
        ...ran,
        presentEvent(pod, blocked),
        containerEvent(pod, blocked, 'Warning', 'Failed', `Error: ${error}`),
      ];
    },
  },
  // Before the back-off: a container whose image was fixed starts instead of backing off.
  ...restartStages,
  {
    name: 'pod-image-pull-backoff',
    when: (pod, env) => onNode(pod, env) && !terminating(pod) && !isPodTerminal(pod) && waitingWith(pod, 'ErrImagePull'),
    delayMs: (_pod, env) => env.settings.podStartupMs,
    next(pod) {
      const images = new Map(containers(pod).map((c) => [c.name, c.image ?? '']));
      const events: Effect[] = [];
      const statuses = (pod.status?.containerStatuses ?? []).map((s) => {
        if (s.state?.waiting?.reason !== 'ErrImagePull') return s;
        const image = images.get(s.name) ?? s.image ?? '';
        events.push(
          containerEvent(pod, s, 'Normal', 'BackOff', backOffMessage(image)),
          containerEvent(pod, s, 'Warning', 'Failed', 'Error: ImagePullBackOff'),
        );
        return { ...s, state: { waiting: { reason: 'ImagePullBackOff', message: backOffMessage(image) } } };
      });
      return [
        { type: 'update', subresource: 'status', object: { ...pod, status: { ...pod.status, containerStatuses: statuses } } },
        ...events,
      ];
    },
  },
  {
    // The kubelet reports readiness again when what it computes differs from what is stored: a
    // client set a readiness gate's condition (True or back to False), or the node lifecycle
    // controller marked the pod not Ready while the node was away and it is back and Ready.
    // Only for pods whose containers it started (not a Running status written by a fixture).
    name: 'pod-readiness',
    when: (pod, env) =>
      onNode(pod, env) &&
      !terminating(pod) &&
      pod.status?.phase === 'Running' &&
      anyStarted(pod) &&
      nodeReady(env) &&
      readinessOutdated(pod),
    delayMs: () => 0,
    next: (pod, _env, now) => [
      {
        type: 'update',
        subresource: 'status',
        object: { ...pod, status: { ...pod.status, conditions: kubeletPodConditions(pod, unreadyContainers(pod), now) } },
      },
    ],
  },
];
