import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMBINED_PREFIX, EventCorrelator, type Correlation, type EventDraft } from '../../src/controllers/events/correlator.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function draft(message: string, over: Partial<EventDraft> = {}): EventDraft {
  return {
    source: { component: 'daemonset-controller' },
    involved: { kind: 'DaemonSet', namespace: 'default', name: 'ds', uid: 'u1', apiVersion: 'apps/v1' },
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message,
    reportingComponent: 'daemonset-controller',
    reportingInstance: '',
    ...over,
  };
}

/** Correlates and, like the recorder, writes what is not skipped (new name per created event). */
function writer(c: EventCorrelator) {
  let n = 0;
  return (d: EventDraft, now = T0): Exclude<Correlation, { skip: true }> | undefined => {
    const v = c.correlate(d, now);
    if (v.skip) return undefined;
    if (v.existing) c.written(v.key, v.existing.name, v.existing.namespace, v.count, v.existing.firstTimestamp);
    else c.written(v.key, `ev-${n++}`, 'default', v.count, 'first');
    return v;
  };
}

test('an identical event bumps the count of the one already written', () => {
  const write = writer(new EventCorrelator());
  const first = write(draft('Created pod: a'))!;
  assert.equal(first.existing, undefined);
  assert.equal(first.count, 1);
  const again = write(draft('Created pod: a'))!;
  assert.deepEqual(again.existing, { name: 'ev-0', namespace: 'default', firstTimestamp: 'first' });
  assert.equal(again.count, 2);
  const otherObject = write(
    draft('Created pod: a', { involved: { kind: 'DaemonSet', namespace: 'default', name: 'other', uid: 'u2', apiVersion: 'apps/v1' } }),
  )!;
  assert.equal(otherObject.existing, undefined, 'another object is another event');
});

test('the tenth similar event (another message, same reason) starts one combined event that later ones bump', () => {
  const write = writer(new EventCorrelator());
  for (let i = 0; i < 9; i++) {
    const v = write(draft(`Created pod: p${i}`))!;
    assert.equal(v.event.message, `Created pod: p${i}`);
    assert.equal(v.existing, undefined);
  }
  const tenth = write(draft('Created pod: p9'))!;
  assert.equal(tenth.event.message, `${COMBINED_PREFIX}Created pod: p9`);
  assert.equal(tenth.existing, undefined, 'the combined event is written once');
  assert.equal(tenth.event.reportingComponent, '');
  const eleventh = write(draft('Created pod: p10'))!;
  assert.equal(eleventh.event.message, `${COMBINED_PREFIX}Created pod: p10`);
  assert.equal(eleventh.existing?.name, 'ev-9');
  assert.equal(eleventh.count, 2);
  const otherReason = write(draft('Deleted pod: p0', { reason: 'SuccessfulDelete' }))!;
  assert.equal(otherReason.event.message, 'Deleted pod: p0', 'another reason is not combined');
});

test('a source may burst 25 events about one object, then one more every five minutes', () => {
  const c = new EventCorrelator();
  const write = writer(c);
  const results = Array.from({ length: 40 }, (_, i) => write(draft('Created pod: same'), T0 + i));
  assert.equal(results.filter(Boolean).length, 25);
  assert.equal(results[25], undefined);
  assert.equal(write(draft('Created pod: same'), T0 + 60_000), undefined, 'no token after one minute');
  const later = write(draft('Created pod: same'), T0 + 300_100)!;
  assert.ok(later, 'one token after five minutes');
  assert.equal(later.count, 42, 'dropped occurrences are counted');
  assert.ok(
    write(draft('Created pod: same', { source: { component: 'kubelet', host: 'n1' } }), T0 + 300_100),
    'another source has its own budget',
  );
});

test('similar events ten minutes apart start a new group', () => {
  const write = writer(new EventCorrelator());
  for (let i = 0; i < 9; i++) write(draft(`Created pod: p${i}`), T0 + i);
  const v = write(draft('Created pod: p9'), T0 + 8 + 600_001)!;
  assert.equal(v.event.message, 'Created pod: p9');
});

test('a source remembers the events of its 4,096 most recent objects', () => {
  const write = writer(new EventCorrelator());
  const about = (uid: string) =>
    draft('Created pod: a', { involved: { kind: 'DaemonSet', namespace: 'default', name: uid, uid, apiVersion: 'apps/v1' } });
  write(about('first'));
  assert.equal(write(about('first'))!.count, 2);
  for (let i = 0; i < 4095; i++) write(about(`other-${i}`));
  assert.equal(write(about('first'))!.count, 3, 'still among the most recent 4,096');
  for (let i = 4095; i < 8191; i++) write(about(`other-${i}`));
  const after = write(about('first'))!;
  assert.equal(after.count, 1, 'forgotten: written afresh');
  assert.equal(after.existing, undefined);
});

test("one object's events are remembered up to 4,096 distinct ones, the oldest forgotten first", () => {
  const write = writer(new EventCorrelator());
  let now = T0;
  // Another reason each time: never similar, so never combined. The spam filter drops most; they are counted all the same.
  const event = (reason: string) => write(draft(`about ${reason}`, { reason }), now++);
  event('First');
  for (let i = 0; i < 4094; i++) event(`Other${i}`);
  now += 3_000_000;
  assert.equal(event('First')!.count, 2, 'remembered with 4,095 others');
  for (let i = 4094; i < 8190; i++) event(`Other${i}`);
  now += 3_000_000;
  const after = event('First')!;
  assert.equal(after.count, 1, 'forgotten after 4,096 newer distinct events');
  assert.equal(after.existing, undefined);
});
