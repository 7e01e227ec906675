/** The bench's ratio of two subjects' rates (bench/lib/load-rows.ts): the median of the rounds' own ratios. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairedRatio, type RoundFigure } from '../../bench/lib/load-rows.js';

/** One measured run of a round at `reqPerSec` (0: a run that gave no figure). */
function run(round: number, reqPerSec: number): RoundFigure {
  const figures = {
    reqPerSec,
    latencyP50Ms: 1,
    latencyP99Ms: 2,
    latencyMeanMs: 1,
    bytesPerResponse: 2000,
    completed: reqPerSec * 5,
    durationSeconds: 5,
  };
  return {
    round,
    order: round % 2,
    result: { ...(reqPerSec ? { figures } : { error: 'non-2xx' }), non2xx: 0, errors: 0, timeouts: 0, statusCodes: {} },
    serverCpuPercent: 90,
    clientCpuPercent: 60,
  };
}

describe('pairedRatio', () => {
  it('takes the median of the rounds’ own ratios, so one round that straddled a change of speed does not move it', () => {
    // Rounds 1 and 3 at one speed (ratio 0.9); in round 2 the machine slowed down between the two
    // runs, so the first subject measured fast and the second slow.
    const kubemock = [run(0, 45_000), run(1, 45_000), run(2, 45_000)];
    const bare = [run(0, 50_000), run(1, 30_000), run(2, 50_000)];
    assert.equal(pairedRatio(kubemock, bare), 0.9);
    // The ratio of the means over the rounds would have read 1.04.
    const mean = (xs: RoundFigure[]) => xs.reduce((a, r) => a + r.result.figures!.reqPerSec, 0) / xs.length;
    assert.ok(Math.abs(mean(kubemock) / mean(bare) - 1.038) < 0.001);
  });

  it('pairs runs by their round, whichever subject ran first', () => {
    const a = [run(1, 20), run(0, 10)];
    const b = [run(0, 40), run(1, 40)];
    assert.equal(pairedRatio(a, b), (10 / 40 + 20 / 40) / 2);
  });

  it('gives no ratio when a round of either subject has no figure', () => {
    assert.equal(pairedRatio([run(0, 10), run(1, 10)], [run(0, 20), run(1, 0)]), null);
    assert.equal(pairedRatio([run(0, 10)], []), null);
    assert.equal(pairedRatio([], []), null);
  });
});
