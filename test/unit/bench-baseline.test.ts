/** bench/lib/baseline.ts: rows against bench/baseline.json, and the README's table made from that file. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  compareWithBaseline,
  describeVerdicts,
  movesWithSpeed,
  readmeTable,
  readmeTableIn,
  updatedBaseline,
  withReadmeTable,
  type Baseline,
  type BaselineEntry,
} from '../../bench/lib/baseline.js';
import type { TableRow } from '../../bench/lib/table.js';

const entry = (over: Partial<BaselineEntry>): BaselineEntry => ({
  scenario: 'startup',
  subject: 'in-process',
  column: 'median ms',
  value: 100,
  better: 'lower',
  date: '2026-12-01',
  command: 'npm run bench -- --only startup',
  ...over,
});
const row = (scenario: string, subject: string, values: TableRow['values'], error?: string): TableRow => ({
  scenario,
  subject,
  values,
  error,
});

describe('bench baseline comparison', () => {
  it('calls a time more than 20% higher a regression, and 20% or less not', () => {
    const baseline: Baseline = { entries: [entry({})] };
    const [bad] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 121 })], baseline);
    assert.equal(bad.kind, 'regression');
    const [edge] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 120 })], baseline);
    assert.equal(edge.kind, 'ok');
    const [better] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 50 })], baseline);
    assert.equal(better.kind, 'ok');
  });

  it('calls a rate more than 20% worse (lower) a regression', () => {
    const baseline: Baseline = {
      entries: [entry({ scenario: 'get', subject: 'kubemock', column: 'req/s', value: 1000, better: 'higher' })],
    };
    const verdicts = compareWithBaseline(
      [row('get', 'kubemock', { 'req/s': 800 }), row('get', 'kubemock', { 'req/s': 850 }), row('get', 'kubemock', { 'req/s': 2000 })],
      baseline,
    );
    assert.deepEqual(
      verdicts.map((v) => v.kind),
      ['regression', 'ok', 'ok'],
    );
  });

  it('prints a REGRESSION line first, "no baseline" for a row the file lacks, and skips error rows', () => {
    const baseline: Baseline = { entries: [entry({})] };
    const verdicts = compareWithBaseline(
      [row('newrow', 'x', { 'median ms': 1 }), row('startup', 'in-process', { 'median ms': 150 }), row('broken', 'y', {}, 'non-2xx')],
      baseline,
    );
    const lines = describeVerdicts(verdicts);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^REGRESSION: startup \/ in-process median ms: 150 against 100 of 2026-12-01 \(50% worse; lower is better\)/);
    assert.equal(lines[1], 'no baseline: newrow / x');
  });

  it('compares times and rates at equal machine speed when both runs have a probe', () => {
    const baseline: Baseline = {
      entries: [
        entry({ probeMs: 10 }),
        entry({ scenario: 'get', subject: 'kubemock', column: 'req/s', value: 1000, better: 'higher', probeMs: 10 }),
        entry({ scenario: 'cli-startup', subject: 'cli', column: 'idle RSS MB', value: 70, probeMs: 10 }),
      ],
    };
    const probes = (ms: number) =>
      new Map([
        ['startup', ms],
        ['get', ms],
        ['cli-startup', ms],
      ]);
    // 50% slower in raw figures on a machine 1.5× as slow: not a regression of the code.
    const slow = compareWithBaseline(
      [row('startup', 'in-process', { 'median ms': 150 }), row('get', 'kubemock', { 'req/s': 2000 / 3 })],
      baseline,
      probes(15),
    );
    assert.deepEqual(
      slow.map((v) => v.kind),
      ['slower machine', 'slower machine'],
    );
    const [time] = slow;
    assert.ok(time.kind === 'slower machine');
    assert.equal(time.machine.slowdown, 1.5);
    assert.ok(Math.abs(time.machine.atEqualSpeed) < 1e-9);
    assert.match(
      describeVerdicts([time])[0],
      /^slower machine: startup \/ in-process median ms: 150 against 100 of 2026-12-01 \(50% worse; lower is better; machine probe 1\.50× the time it took then, so 0% better at equal speed\)/,
    );
    // 10% worse in raw figures on a machine twice as fast: 120% worse at equal speed, said but not a regression
    // (a figure bound by the disk does not follow the probe).
    const [hidden] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 110 })], baseline, probes(5));
    assert.equal(hidden.kind, 'faster machine');
    assert.match(
      describeVerdicts([hidden])[0],
      /^faster machine: .*120% worse at equal speed\): within 20% as measured, more than 20% worse at equal speed/,
    );
    // 60% worse on a machine 1.25× as slow: 28% worse at equal speed, a regression.
    const [real] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 160 })], baseline, probes(12.5));
    assert.equal(real.kind, 'regression');
    assert.match(
      describeVerdicts([real])[0],
      /^REGRESSION: .*60% worse; lower is better; machine probe 1\.25× .* so 28% worse at equal speed\): more than 20% worse/,
    );
    // A size does not move with the machine's speed.
    const [rss] = compareWithBaseline([row('cli-startup', 'cli', { 'idle RSS MB': 90 })], baseline, probes(15));
    assert.equal(rss.kind, 'regression');
    assert.equal(rss.kind === 'regression' && rss.machine, undefined);
  });

  it('knows every time and rate column the bench prints from sizes, counts and ratios', () => {
    for (const column of ['median ms', 'p99 ms', 'converge ms', 'banner CPU ms', 'µs/write', 'req/s'])
      assert.equal(movesWithSpeed(column), true, column);
    for (const column of ['idle RSS MB', 'RSS MB', 'kubemock/bare', 'writes', 'RSS KB/pod', 'pods'])
      assert.equal(movesWithSpeed(column), false, column);
    // The status-writes row is a time per write: compared at equal speed like any other time.
    const baseline: Baseline = {
      entries: [entry({ scenario: 'status-writes', subject: 'kubelet status', column: 'µs/write', value: 70, probeMs: 14 })],
    };
    const [slow] = compareWithBaseline(
      [row('status-writes', 'kubelet status', { 'µs/write': 100 })],
      baseline,
      new Map([['status-writes', 20]]),
    );
    assert.equal(slow.kind, 'slower machine');
  });

  it('compares a row measured beside its bare ceiling at equal ceiling speed too, taking the yardstick that explains more', () => {
    const rate = (subject: string, value: number, probeMs?: number) =>
      entry({ scenario: 'get', subject, column: 'req/s', value, better: 'higher', probeMs });
    const baseline: Baseline = {
      entries: [rate('kubemock', 1000, 10), rate('bare', 1100, 10), rate('kubemock, file', 900, 10), rate('bare, file', 1000, 10)],
    };
    const probes = new Map([['get', 11]]);
    // The loopback slowed more than the CPU probe shows: the ceiling, which holds no kubemock code, says how much.
    const slow = compareWithBaseline(
      [
        row('get', 'kubemock', { 'req/s': 600 }),
        row('get', 'bare', { 'req/s': 660 }),
        row('get', 'kubemock, file', { 'req/s': 500 }),
        row('get', 'bare, file', { 'req/s': 950 }),
      ],
      baseline,
      probes,
    );
    assert.deepEqual(
      slow.map((v) => [v.kind, v.kind === 'no baseline' || v.kind === 'not measured' ? undefined : v.machine?.by]),
      [
        ['slower machine', 'ceiling'],
        ['slower machine', 'ceiling'],
        // Its own ceiling hardly moved: 80% worse as measured, 64% at the probe's speed, a regression.
        ['regression', 'probe'],
        ['ok', 'probe'],
      ],
    );
    assert.match(
      describeVerdicts([slow[0]])[0],
      /^slower machine: get \/ kubemock req\/s: 600 against 1,000 of 2026-12-01 \(67% worse; higher is better; bare ceiling 1\.67× slower than then in this run, so 0% better at equal speed\)/,
    );
    // Without the ceiling's row in the run, the probe alone: a regression.
    const [alone] = compareWithBaseline([row('get', 'kubemock', { 'req/s': 600 })], baseline, probes);
    assert.equal(alone.kind, 'regression');
    assert.equal(alone.kind === 'regression' && alone.machine?.by, 'probe');
    // A ceiling that got faster explains nothing away.
    const [faster] = compareWithBaseline([row('get', 'kubemock', { 'req/s': 600 }), row('get', 'bare', { 'req/s': 2000 })], baseline);
    assert.equal(faster.kind, 'regression');
  });

  it('compares as measured when the baseline or the run has no probe', () => {
    const [old] = compareWithBaseline(
      [row('startup', 'in-process', { 'median ms': 150 })],
      { entries: [entry({})] },
      new Map([['startup', 15]]),
    );
    assert.equal(old.kind, 'regression');
    const [unprobed] = compareWithBaseline([row('startup', 'in-process', { 'median ms': 150 })], { entries: [entry({ probeMs: 10 })] });
    assert.equal(unprobed.kind, 'regression');
  });

  it('reports an entry whose column the run did not measure', () => {
    const [v] = compareWithBaseline([row('startup', 'in-process', { 'median ms': null })], { entries: [entry({})] });
    assert.equal(v.kind, 'not measured');
  });

  it('updates measured entries and adds a new row by its first numeric column', () => {
    const baseline: Baseline = { entries: [entry({}), entry({ subject: 'fresh process', value: 300 })] };
    const next = updatedBaseline(
      baseline,
      [
        row('startup', 'in-process', { 'median ms': 42 }),
        row('cli-startup', 'to first kubectl get ns', { note: 'x', 'median ms': 250, 'idle RSS MB': 70 }),
      ],
      '2026-12-04',
      'npm run bench -- --only startup,cli-startup',
    );
    assert.deepEqual(next.entries, [
      entry({ value: 42, date: '2026-12-04', command: 'npm run bench -- --only startup,cli-startup' }),
      entry({ subject: 'fresh process', value: 300 }),
      entry({
        scenario: 'cli-startup',
        subject: 'to first kubectl get ns',
        value: 250,
        date: '2026-12-04',
        command: 'npm run bench -- --only startup,cli-startup',
      }),
    ]);
    assert.equal(baseline.entries[0].value, 100, 'the given baseline is not changed');
    const rate = updatedBaseline({ entries: [] }, [row('get', 'kubemock', { 'req/s': 5 })], '2026-12-04', 'npm run bench');
    assert.equal(rate.entries[0].better, 'higher');
  });

  it('keeps the machine probe of the run with each figure it updates or adds, and drops an old one it has none for', () => {
    const baseline: Baseline = {
      entries: [entry({ probeMs: 12 }), entry({ scenario: 'get', subject: 'kubemock', column: 'req/s', probeMs: 9 })],
    };
    const rows = [
      row('startup', 'in-process', { 'median ms': 42 }),
      row('get', 'kubemock', { 'req/s': 7 }),
      row('post', 'kubemock', { 'req/s': 3 }),
    ];
    const next = updatedBaseline(
      baseline,
      rows,
      '2026-12-05',
      'npm run bench',
      new Map([
        ['startup', 15.5],
        ['post', 16],
      ]),
    );
    assert.deepEqual(
      next.entries.map((e) => [e.scenario, e.value, e.probeMs]),
      [
        ['startup', 42, 15.5],
        ['get', 7, undefined],
        ['post', 3, 16],
      ],
    );
    assert.match(readmeTable(next), /\| startup \| in-process \| 42 median ms \| lower \| 2026-12-05 \(15\.5 ms\) \|/);
  });

  it('replaces only the README table between the markers', () => {
    const baseline: Baseline = { entries: [entry({ subject: 'a|b' })] };
    const readme = `intro\n\n${readmeTable({ entries: [] })}\n\noutro\n`;
    const next = withReadmeTable(readme, baseline);
    assert.ok(next.startsWith('intro\n\n') && next.endsWith('\n\noutro\n'));
    assert.match(next, /\| startup \| a\\\|b \| 100 median ms \| lower \| 2026-12-01 \| `npm run bench -- --only startup` \|/);
    assert.throws(() => withReadmeTable('no markers', baseline), /markers/);
  });
});

describe('the committed baseline', () => {
  const baseline = JSON.parse(readFileSync(new URL('../../bench/baseline.json', import.meta.url), 'utf8')) as Baseline;
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('is the README table (regenerate with npm run bench -- --update-baseline)', () => {
    assert.equal(readmeTableIn(readme), readmeTable(baseline));
  });

  it('has one entry per row and column, each with a figure, a date and a command', () => {
    const keys = baseline.entries.map((e) => `${e.scenario} / ${e.subject} / ${e.column}`);
    assert.equal(new Set(keys).size, keys.length, 'duplicate entries');
    for (const e of baseline.entries) {
      assert.ok(Number.isFinite(e.value) && e.value >= 0, `${e.scenario} / ${e.subject}: figure`);
      assert.match(e.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(e.command, /npm run bench/);
      assert.ok(e.better === 'lower' || e.better === 'higher');
    }
  });
});
