/** Two bench helpers: the renewals the heartbeats scenario expects, and what `npm run bench:ab` compares. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fellBehind, renewalsDue } from '../../bench/scenarios/heartbeats.js';
import { compareSides, figures } from '../../bench/lib/ab-figures.js';

describe('heartbeats: renewals due', () => {
  it('counts one renewal per node per whole 10 s period watched', () => {
    assert.equal(renewalsDue(10_000, 20_000), 20_000);
    assert.equal(renewalsDue(10_000, 20_001), 20_000);
    assert.equal(renewalsDue(500, 11_000), 500);
    assert.equal(renewalsDue(500, 9_999), 0);
  });

  it('calls the kubelets behind below 95% of what was due', () => {
    assert.equal(fellBehind(19_000, 20_000), false);
    assert.equal(fellBehind(18_999, 20_000), true);
    assert.equal(fellBehind(0, 0), false);
  });
});

describe('bench:ab figures', () => {
  it('takes numeric fields, and the median of each numeric field of a list of rounds', () => {
    const result = {
      ms: 10_052,
      pods: 10_000,
      note: 'text',
      rounds: [
        { usPerWrite: 106, cpuUsPerWrite: 115, label: 'a' },
        { usPerWrite: 110, cpuUsPerWrite: 112, label: 'b' },
        { usPerWrite: 104, cpuUsPerWrite: 120, label: 'c' },
      ],
      managers: ['kubelet'],
    };
    assert.deepEqual(figures(result), { ms: 10_052, pods: 10_000, 'rounds.usPerWrite': 106, 'rounds.cpuUsPerWrite': 115 });
  });

  it('compares the medians of the fields both sides have, with the change from A to B', () => {
    const a = [
      { ms: 11_262, rssMB: 523 },
      { ms: 11_083, rssMB: 543 },
      { ms: 12_585, rssMB: 621, extra: 1 },
    ];
    const b = [
      { ms: 10_052, rssMB: 554 },
      { ms: 10_108, rssMB: 561 },
      { ms: 9_904, rssMB: 557 },
    ];
    const rows = compareSides(a, b);
    assert.deepEqual(
      rows.map((r) => [r.field, r.a, r.b]),
      [
        ['ms', 11_262, 10_052],
        ['rssMB', 543, 557],
      ],
    );
    assert.ok(Math.abs(rows[0].change! - (10_052 - 11_262) / 11_262) < 1e-12);
    assert.equal(compareSides([{ zero: 0 }], [{ zero: 5 }])[0].change, undefined);
  });
});
