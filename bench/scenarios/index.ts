/**
 * The scenarios `npm run bench` runs, in this order. A new scenario is a module exporting a
 * Scenario ({ name, description, run(ctx) → { rows, summary? } }) added to this array.
 */
import type { Scenario } from '../lib/scenario.js';
import { getScenario, listScenario, postScenario } from './crud.js';
import { applyScenario } from './apply.js';
import { watchScenario } from './watch.js';
import { convergenceScenario } from './convergence.js';
import { statusWritesScenario } from './status-writes.js';
import { eventWritesScenario } from './event-writes.js';
import { heartbeatsScenario } from './heartbeats.js';
import { rollingUpdateScenario } from './rolling-update.js';
import { startupScenario } from './startup.js';
import { cliStartupScenario } from './cli-startup.js';
import { snapshotScenario } from './snapshot.js';
import { crdScenario } from './crd.js';
import { slowWatchersScenario } from './slow-watchers.js';
import { initialStateScenario } from './initial-state.js';
import { failoverScenario } from './failover.js';
import { etcdScenario } from './etcd.js';

export const scenarios: Scenario[] = [
  getScenario,
  listScenario,
  postScenario,
  applyScenario,
  watchScenario,
  convergenceScenario,
  statusWritesScenario,
  eventWritesScenario,
  heartbeatsScenario,
  rollingUpdateScenario,
  startupScenario,
  cliStartupScenario,
  snapshotScenario,
  crdScenario,
  slowWatchersScenario,
  initialStateScenario,
  failoverScenario,
  etcdScenario,
];
