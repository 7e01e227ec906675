/**
 * The worker thread of machine-probe.ts's sampler: one timed round of the probe's work every
 * `intervalMs`, posted to the bench's thread, until terminated. JavaScript that registers tsx
 * itself: Node 20 does not hand the bench's `--import tsx` hooks to a worker thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { round, timedRound } = await import('./machine-probe.ts');
const { intervalMs } = workerData;
for (let i = 0; i < 4; i++) round(); // optimised by the JIT before it is timed
setInterval(() => parentPort.postMessage(timedRound()), intervalMs);
