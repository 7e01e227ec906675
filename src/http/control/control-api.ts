/**
 * What the control routes drive, as the HTTP layer sees it. src/control's ControlPlane provides
 * it; the routes depend on this shape, not on the layers above them (controllers, kubelet).
 */
import type { SnapshotInfo, SnapshotStore } from '../../storage/snapshots.js';
import type { FaultInjector } from './faults.js';
import type { RequestJournal } from './journal.js';

export interface ClockState {
  mode: 'real' | 'manual';
  /** Milliseconds since the epoch, on kubemock's clock. */
  now: number;
  time: string;
}

export interface ControlApi {
  readonly faults: FaultInjector;
  readonly journal: RequestJournal;
  readonly snapshots: Pick<SnapshotStore, 'list' | 'delete'>;
  /** Chaos requests are validated by the chaos engine; the routes pass bodies through. */
  readonly chaos: { state(): unknown; apply(request: unknown): unknown };
  takeSnapshot(): SnapshotInfo;
  restoreSnapshot(id: string): { id: string; revision: number };
  clockState(): ClockState;
  advanceClock(ms: number): Promise<ClockState>;
  addNodes(what: number | string[]): string[];
  settle(timeoutMs?: number): Promise<void>;
}
