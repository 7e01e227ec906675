/**
 * The failover bench scenario runs: it loads modules that are not entries of dist's bundle, and
 * for a while it asked dist for them and every `npm run bench` printed an error row instead.
 * A smoke run (two failovers at the scenario's short lease timings, ~6 s).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failoverScenario } from '../../bench/scenarios/failover.js';

describe('the failover bench scenario', () => {
  it('times the surviving replica leading and acting after the leader dies', async () => {
    const lines: string[] = [];
    const result = await failoverScenario.run({
      durationSeconds: 1,
      warmupSeconds: 0,
      connections: 1,
      rounds: 1,
      quick: true,
      target: 'dist',
      log: (m) => lines.push(m),
    });
    assert.equal(lines.length, 2, lines.join('\n'));
    const [row] = result.rows;
    assert.equal(row.error, undefined);
    const leading = row.values['leading ms'];
    const acting = row.values['acting ms'];
    assert.ok(typeof leading === 'number' && typeof acting === 'number', JSON.stringify(row.values));
    // Not before the dead leader's lease ran out (2 s from the last renewal the survivor saw, which
    // may be up to a retry period of 0.5 s before the death), and the new node's pod made once leading.
    assert.ok(leading >= 1000 && acting >= leading, JSON.stringify(row.values));
  });
});
