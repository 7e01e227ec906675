import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerStop, type StopSettings } from '../../src/kubelet/container-stop.js';
import { goDurationMs } from '../../src/kubelet/go-duration.js';
import type { Container } from '../../src/resources/schemas.js';
import type { StoredPod } from '../../src/resources/stored.js';

const SETTINGS: StopSettings = { containerStopMs: 100 };

function pod(opts: { deletionGrace?: number; specGrace?: number; ignoreSigterm?: boolean } = {}): StoredPod {
  const metadata: StoredPod['metadata'] = { name: 'p', namespace: 'default', uid: 'u' };
  if (opts.deletionGrace !== undefined) metadata.deletionGracePeriodSeconds = opts.deletionGrace;
  if (opts.ignoreSigterm) metadata.annotations = { 'kubemock.io/ignore-sigterm': 'true' };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { terminationGracePeriodSeconds: opts.specGrace ?? 30, containers: [] } };
}

const c = (preStop?: NonNullable<Container['lifecycle']>['preStop']): Container =>
  preStop ? { name: 'c', lifecycle: { preStop } } : { name: 'c' };
const sleep = (seconds: number) => c({ sleep: { seconds } });

describe('containerStop: when a killed container is gone, and how it ended', () => {
  const cases: [string, StoredPod, Container, Partial<StopSettings>, [number, number, string]][] = [
    ['exits containerStopMs after SIGTERM', pod({ deletionGrace: 30 }), c(), {}, [100, 0, 'Completed']],
    [
      'the deletion grace period wins over the spec',
      pod({ deletionGrace: 1, specGrace: 30, ignoreSigterm: true }),
      c(),
      {},
      [2000, 137, 'Error'],
    ],
    ['without a deletion, the spec grace period (a restart)', pod({ specGrace: 10, ignoreSigterm: true }), c(), {}, [10_000, 137, 'Error']],
    [
      'ignores SIGTERM: killed at the end of the grace period',
      pod({ deletionGrace: 30, ignoreSigterm: true }),
      c(),
      {},
      [30_000, 137, 'Error'],
    ],
    ['grace 0 still gets the 2 s minimum before SIGKILL', pod({ deletionGrace: 0, ignoreSigterm: true }), c(), {}, [2000, 137, 'Error']],
    ['a process slower than the grace period is killed', pod({ deletionGrace: 5 }), c(), { containerStopMs: 8000 }, [5000, 137, 'Error']],
    ['a preStop sleep runs first', pod({ deletionGrace: 30 }), sleep(5), {}, [5100, 0, 'Completed']],
    [
      'a preStop sleep is cut off at the grace period, then 2 s more',
      pod({ deletionGrace: 3, ignoreSigterm: true }),
      sleep(10),
      {},
      [5000, 137, 'Error'],
    ],
    [
      'what the hook used comes off the grace period',
      pod({ deletionGrace: 10, ignoreSigterm: true }),
      sleep(4),
      {},
      [10_000, 137, 'Error'],
    ],
    [
      'an exec preStop hook finishes at once',
      pod({ deletionGrace: 30 }),
      c({ exec: { command: ['sleep', '20'] } }),
      {},
      [100, 0, 'Completed'],
    ],
    ['an httpGet preStop hook finishes at once', pod({ deletionGrace: 30 }), c({ httpGet: { port: 80 } }), {}, [100, 0, 'Completed']],
    ['no preStop hook with grace 0', pod({ deletionGrace: 0 }), sleep(5), {}, [100, 0, 'Completed']],
    [
      'the cap shortens the wait, not the outcome',
      pod({ deletionGrace: 30, ignoreSigterm: true }),
      sleep(5),
      { maxTerminationMs: 2000 },
      [2000, 137, 'Error'],
    ],
    ['the cap above the natural stop changes nothing', pod({ deletionGrace: 30 }), c(), { maxTerminationMs: 2000 }, [100, 0, 'Completed']],
    ['containerStopMs 0: gone at once', pod({ deletionGrace: 30 }), c(), { containerStopMs: 0 }, [0, 0, 'Completed']],
  ];
  for (const [name, p, container, settings, [afterMs, exitCode, reason]] of cases) {
    it(name, () => assert.deepEqual(containerStop(p, container, { ...SETTINGS, ...settings }), { afterMs, exitCode, reason }));
  }
  it('an annotation other than "true" does not make the pod ignore SIGTERM', () => {
    const p = pod({ deletionGrace: 30 });
    p.metadata.annotations = { 'kubemock.io/ignore-sigterm': 'false' };
    assert.equal(containerStop(p, c(), SETTINGS).exitCode, 0);
  });
});

describe('goDurationMs: Go time.Duration text', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [50, '50ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [12_345, '12.345s'],
    [60_000, '1m0s'],
    [123_250, '2m3.25s'],
    [3_600_000, '1h0m0s'],
  ];
  for (const [ms, text] of cases) it(`${ms} ms → ${text}`, () => assert.equal(goDurationMs(ms), text));
});
