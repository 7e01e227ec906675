/**
 * Chaos on pods: a container that crashes and keeps crashing (restartCount grows,
 * CrashLoopBackOff on the clock with upstream back-off), a pod that fails, a pod that never
 * becomes ready. A pod the kubelet has not started yet is marked, and the kubelet's start is
 * rewritten through the effect filter, so no watcher ever sees it healthy. A pod whose processes
 * ignore SIGTERM gets kubemock's annotation for it, which the kubelet's stop reads.
 */
import type { CancelTimer, Clock } from '../../apimachinery/clock.js';
import { conflict, notFound, StatusError } from '../../apimachinery/status.js';
import type { EventRecorder } from '../../controllers/events/recorder.js';
import type { Registry } from '../../registry/registry.js';
import type { StoredPod } from '../../resources/stored.js';
import { isPodTerminal } from '../../resources/pods/phase.js';
import { containerFieldPath } from '../container-ref.js';
import { IGNORE_SIGTERM_ANNOTATION, ignoresSigterm } from '../container-stop.js';
import type { Effect } from '../stage.js';
import type { EffectFilterHook } from './effect-filter.js';
import { crashBackOffMs, crashedStatus, failedStatus, isStarted, podRef, recoveredStatus, unreadyStatus } from './pod-chaos-status.js';

export type PodChaosKind = 'crash' | 'fail' | 'never-ready';
/** What the chaos state lists: the kinds above, and pods annotated to ignore SIGTERM. */
export type PodChaosStateKind = PodChaosKind | 'ignore-sigterm';

interface Entry {
  kind: PodChaosKind;
  uid: string;
  namespace: string;
  name: string;
  /** Containers that crash (all when empty). */
  containers: string[];
  cancel?: CancelTimer;
}

export interface PodChaosState {
  kind: PodChaosStateKind;
  namespace: string;
  pod: string;
  uid: string;
  containers?: string[];
  /** Waiting for the kubelet to start the pod. */
  pending: boolean;
}

const GR = { group: '', resource: 'pods' };

export class PodChaos {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly events: EventRecorder,
    /** The app's filter on what its kubelets write, which this chaos sets. */
    private readonly effectFilter: EffectFilterHook,
  ) {
    effectFilter.set((resource, obj, effects) => (resource === 'pods' ? this.filter(obj as StoredPod, effects) : effects));
    this.unsubscribe = registry.hub.subscribe('pods', (ev) => {
      if (ev.type === 'DELETED') this.drop(ev.object.metadata.uid ?? '');
    });
  }

  private get pods() {
    return this.registry.store<StoredPod>('pods');
  }

  /** Starts chaos on a pod; returns the pod as it is now. */
  apply(kind: PodChaosKind, namespace: string, name: string, containers: string[] = []): StoredPod {
    const pod = this.pods.tryGet(namespace, name);
    if (!pod) throw notFound(GR, name);
    if (pod.metadata.deletionTimestamp) throw conflict(GR, name, 'the pod is being deleted');
    if (isPodTerminal(pod)) throw conflict(GR, name, `the pod has finished (phase ${pod.status?.phase})`);
    const known = new Set((pod.spec?.containers ?? []).map((c) => c.name));
    const missing = containers.filter((c) => !known.has(c));
    if (missing.length) throw new StatusError(400, 'BadRequest', `pod ${name} has no container ${missing.join(', ')}`);
    const effective: PodChaosKind = kind === 'crash' && pod.spec?.restartPolicy === 'Never' ? 'fail' : kind;
    const uid = pod.metadata.uid ?? '';
    this.drop(uid);
    const entry: Entry = { kind: effective, uid, namespace, name, containers };
    this.entries.set(uid, entry);
    if (!isStarted(pod)) return pod;
    if (effective === 'crash') return this.crash(entry) ?? pod;
    if (effective === 'fail') {
      this.entries.delete(uid);
      return this.writeStatus(entry, (p) => failedStatus(p, this.clock.now())) ?? pod;
    }
    const written = this.writeStatus(entry, (p) => unreadyStatus(p, this.clock.now()));
    // The prober records a failure about the container whose probe failed: here every one of them.
    for (const c of pod.spec?.containers ?? []) {
      this.events.record(
        { component: 'kubelet', host: pod.spec?.nodeName },
        pod,
        'Warning',
        'Unhealthy',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        containerFieldPath(pod, c.name),
      );
    }
    return written ?? pod;
  }

  /**
   * The pod's processes ignore SIGTERM from now on (kubemock's annotation on the pod, which the
   * kubelet reads when it stops them): a deletion runs to the end of the grace period.
   */
  ignoreSigterm(namespace: string, name: string): StoredPod {
    const pod = this.pods.tryGet(namespace, name);
    if (!pod) throw notFound(GR, name);
    if (pod.metadata.deletionTimestamp) throw conflict(GR, name, 'the pod is being deleted');
    if (ignoresSigterm(pod)) return pod;
    return this.annotate(pod, 'true');
  }

  /** Ends a crash loop or a readiness failure (the containers run and are ready again) and SIGTERM being ignored. */
  recover(namespace: string, name: string): StoredPod {
    let pod = this.pods.tryGet(namespace, name);
    if (!pod) throw notFound(GR, name);
    if (pod.metadata.annotations?.[IGNORE_SIGTERM_ANNOTATION] !== undefined) pod = this.annotate(pod, undefined);
    const entry = this.entries.get(pod.metadata.uid ?? '');
    this.drop(pod.metadata.uid ?? '');
    if (!entry || !isStarted(pod)) return pod;
    return this.writeStatus(entry, (p) => recoveredStatus(p, this.clock.now())) ?? pod;
  }

  list(): PodChaosState[] {
    const states = [...this.entries.values()].map((e) => {
      const pod = this.pods.tryGet(e.namespace, e.name);
      const state: PodChaosState = { kind: e.kind, namespace: e.namespace, pod: e.name, uid: e.uid, pending: !pod || !isStarted(pod) };
      if (e.containers.length) state.containers = e.containers;
      return state;
    });
    const deaf = this.pods.all().filter(ignoresSigterm);
    return [
      ...states,
      ...deaf.map((p): PodChaosState => ({
        kind: 'ignore-sigterm',
        namespace: p.metadata.namespace ?? '',
        pod: p.metadata.name ?? '',
        uid: p.metadata.uid ?? '',
        pending: !isStarted(p),
      })),
    ];
  }

  /** Sets kubemock's ignore-SIGTERM annotation on the pod (removes it for undefined). */
  private annotate(pod: StoredPod, value: string | undefined): StoredPod {
    const { object } = this.pods.patch(pod.metadata.namespace, pod.metadata.name!, (p) => {
      if (p.metadata.uid !== pod.metadata.uid) throw notFound(GR, pod.metadata.name!);
      const { [IGNORE_SIGTERM_ANNOTATION]: _old, ...others } = p.metadata.annotations ?? {};
      const annotations = value === undefined ? others : { ...others, [IGNORE_SIGTERM_ANNOTATION]: value };
      const { annotations: _all, ...rest } = p.metadata;
      return { ...p, metadata: Object.keys(annotations).length ? { ...rest, annotations } : rest };
    });
    return object as StoredPod;
  }

  /** Forgets every pod (a snapshot restore, or shutdown). */
  reset(): void {
    for (const uid of [...this.entries.keys()]) this.drop(uid);
  }

  close(): void {
    this.reset();
    this.unsubscribe();
    this.effectFilter.set(undefined);
  }

  private drop(uid: string): void {
    const e = this.entries.get(uid);
    e?.cancel?.();
    this.entries.delete(uid);
  }

  /** One crash now, the next once the back-off is over (on the clock), while the pod lives. */
  private crash(entry: Entry): StoredPod | undefined {
    const pod = this.writeStatus(entry, (p) => crashedStatus(p, this.clock.now(), entry.containers));
    if (!pod) return undefined;
    this.afterCrash(entry, pod);
    return pod;
  }

  private afterCrash(entry: Entry, pod: StoredPod): void {
    const crashed = (pod.status?.containerStatuses ?? []).filter((s) => s.state?.waiting?.reason === 'CrashLoopBackOff');
    for (const s of crashed) {
      this.events.record(
        { component: 'kubelet', host: pod.spec?.nodeName },
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${s.name} in pod ${podRef(pod)}`,
        containerFieldPath(pod, s.name),
      );
    }
    const restarts = Math.max(1, ...crashed.map((s) => s.restartCount ?? 1));
    entry.cancel = this.clock.after(crashBackOffMs(restarts), () => {
      if (this.entries.get(entry.uid) !== entry) return;
      const current = this.pods.tryGet(entry.namespace, entry.name);
      if (!current || current.metadata.uid !== entry.uid || current.metadata.deletionTimestamp || !isStarted(current))
        return this.drop(entry.uid);
      this.crash(entry);
    });
  }

  /** Writes the pod's status (undefined when the pod went away or was replaced). */
  private writeStatus(entry: Entry, status: (pod: StoredPod) => StoredPod['status']): StoredPod | undefined {
    try {
      const { object } = this.pods.patch(
        entry.namespace,
        entry.name,
        (p) => {
          if (p.metadata.uid !== entry.uid) throw notFound(GR, entry.name);
          return { ...p, status: status(p) };
        },
        { subresource: 'status' },
      );
      return object as StoredPod;
    } catch (err) {
      if (err instanceof StatusError && [404, 409].includes(err.code)) {
        this.drop(entry.uid);
        return undefined;
      }
      throw err;
    }
  }

  /** Rewrites the kubelet's start of a marked pod (and any later report of a never-ready one). */
  private filter(obj: StoredPod, effects: Effect[]): Effect[] {
    const entry = this.entries.get(obj.metadata.uid ?? '');
    if (!entry) return effects;
    const now = this.clock.now();
    return effects.map((e) => {
      if (e.type !== 'update' || e.subresource !== 'status' || !isStarted(e.object as StoredPod)) return e;
      const next = e.object as StoredPod;
      if (entry.kind === 'never-ready') return { ...e, object: { ...next, status: unreadyStatus(next, now) } };
      if (entry.kind === 'fail') {
        this.entries.delete(entry.uid);
        return { ...e, object: { ...next, status: failedStatus(next, now) } };
      }
      if (entry.cancel) return e;
      const crashed = { ...next, status: crashedStatus(next, now, entry.containers) };
      this.afterCrash(entry, crashed);
      return { ...e, object: crashed };
    });
  }
}
