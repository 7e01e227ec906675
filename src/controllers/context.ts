/** What every controller is built with. */
import type { Clock } from '../apimachinery/clock.js';
import type { Registry } from '../registry/registry.js';
import type { ObjectCache } from './runtime/cache.js';
import type { EventRecorder } from './events/recorder.js';
import type { Logger } from './runtime/manager.js';
import type { ActionLog } from './runtime/action-log.js';
import type { AdvertisedAddress } from './apiserver-endpoints/sync.js';

export interface ControllerSettings {
  /** Delay from a pod being bound to its containers running (simulated kubelet). */
  podStartupMs: number;
  /** How long a simulated container takes to exit after SIGTERM (one that ignores it is killed at the end of its grace period). */
  containerStopMs: number;
  /** Upper bound on how long a container takes to stop (deletion or restart), whatever its grace period (undefined = none). */
  maxTerminationMs?: number;
  /** Images matching this pattern (glob, `*` wildcard) never pull. */
  failingImagePattern: string;
  /** Node heartbeat (Lease renewal and Ready condition refresh) interval. */
  nodeHeartbeatMs: number;
}

export const DEFAULT_CONTROLLER_SETTINGS: ControllerSettings = {
  podStartupMs: 50,
  containerStopMs: 100,
  failingImagePattern: '*:non-existent',
  nodeHeartbeatMs: 10_000,
};

export interface ControllerContext {
  registry: Registry;
  cache: ObjectCache;
  clock: Clock;
  events: EventRecorder;
  log: Logger;
  /** What the controllers did to single objects, told in words and summed up in bursts. */
  actions: ActionLog;
  settings: ControllerSettings;
  /**
   * Where the API server listens, once it does (the `kubernetes` Endpoints name it), and the CA
   * bundle clients verify it with when it serves TLS (what kube-root-ca.crt publishes).
   */
  apiServer?: { advertised?: AdvertisedAddress; caBundle?: string };
}
