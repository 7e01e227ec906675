/**
 * The figures a bench run is held to: bench/baseline.json keeps, per row (scenario, subject) and
 * headline column, the figure, whether lower or higher is better, the date it was measured and the
 * command that measured it. `npm run bench` compares each row it measured with its entry and prints
 * a REGRESSION line when it is more than 20% worse; a row with no entry prints "no baseline".
 * `npm run bench -- --update-baseline` writes the run's figures into the file, and the README's
 * table between its two markers is generated from the file (test/unit/bench-baseline.test.ts keeps
 * them in sync).
 *
 * The machine's speed moves under the figures (a shared virtual machine runs the same code at very
 * different speeds from one hour to the next): each entry keeps the machine probe of its run
 * (bench/lib/machine-probe.ts, `probeMs`), and a time or a rate is also compared at equal speed,
 * scaled by the probe now against the probe then. A figure more than 20% worse as measured is a
 * REGRESSION unless it is within 20% at equal speed (then "slower machine", both changes printed);
 * one within 20% as measured but more than 20% worse at equal speed is "faster machine", printed
 * but not a regression: a figure bound by the disk or by queueing does not follow a CPU probe, so
 * the scaling may only explain a regression away, never make one.
 *
 * A throughput row measured beside its bare ceiling (`kubemock` beside `bare`, `kubemock, file`
 * beside `bare, file`: Fastify and better-sqlite3 alone, same requests, same run) has a second
 * yardstick: how much slower the ceiling is than its own entry. The machine's slow states slow the
 * loopback and the load generator more than the CPU probe shows (the ceiling's GET has measured 40%
 * worse at equal probe speed), and the ceiling, which holds none of kubemock's code, measures exactly
 * that. Of the two, the one that explains more is taken; a ceiling row is compared with itself.
 */
import type { Cell } from './scenario.js';
import { formatCell, type TableRow } from './table.js';

/** How much worse than its baseline a figure may be before it is a regression. */
export const REGRESSION_TOLERANCE = 0.2;

export const README_START = '<!-- bench-baseline:start (generated from bench/baseline.json: npm run bench -- --update-baseline) -->';
export const README_END = '<!-- bench-baseline:end -->';

export interface BaselineEntry {
  scenario: string;
  subject: string;
  /** The row's column the figure is (e.g. 'median ms', 'req/s'). */
  column: string;
  value: number;
  better: 'lower' | 'higher';
  /** YYYY-MM-DD. */
  date: string;
  command: string;
  /** The machine probe (ms) of the run that measured the figure; absent for figures older than the probe. */
  probeMs?: number;
}

export interface Baseline {
  comment?: string;
  entries: BaselineEntry[];
}

/** The machine then and now, for a figure that moves with its speed: how much slower it is now (1.5 = the probe takes 1.5× as long). */
export interface MachineSpeed {
  slowdown: number;
  /** The change the figure shows at equal speed (0.25 = 25% worse). */
  atEqualSpeed: number;
  /** What told the slowdown: the machine probe, or the bare ceiling measured in the same run. */
  by: 'probe' | 'ceiling';
}

export type Verdict =
  | { kind: 'regression'; entry: BaselineEntry; value: number; change: number; machine?: MachineSpeed }
  | { kind: 'slower machine'; entry: BaselineEntry; value: number; change: number; machine: MachineSpeed }
  | { kind: 'faster machine'; entry: BaselineEntry; value: number; change: number; machine: MachineSpeed }
  | { kind: 'ok'; entry: BaselineEntry; value: number; change: number; machine?: MachineSpeed }
  | { kind: 'no baseline'; scenario: string; subject: string }
  | { kind: 'not measured'; entry: BaselineEntry };

const sameRow = (e: Pick<BaselineEntry, 'scenario' | 'subject'>, r: Pick<TableRow, 'scenario' | 'subject'>) =>
  e.scenario === r.scenario && e.subject === r.subject;

/** How much worse `value` is than `entry.value`: 0.25 = 25% worse, negative = better. */
export function worseBy(entry: Pick<BaselineEntry, 'value' | 'better'>, value: number): number {
  if (entry.value === 0) return value === 0 ? 0 : entry.better === 'lower' ? Infinity : -Infinity;
  return entry.better === 'lower' ? value / entry.value - 1 : entry.value / value - 1;
}

/**
 * Whether a column moves with the machine's speed: times (… ms, µs per write and the like) and
 * rates (… /s); sizes, counts and ratios do not.
 */
export function movesWithSpeed(column: string): boolean {
  return /(^|\s)(ms|µs)(\/[a-z]+)?$|\/s$/.test(column);
}

/**
 * The machine then (`entry.probeMs`) and now (`probeMs`) for a figure `change` worse than its entry:
 * undefined when either probe is unknown or the column does not move with speed.
 */
export function machineSpeed(entry: BaselineEntry, change: number, probeMs: number | undefined): MachineSpeed | undefined {
  if (!entry.probeMs || !probeMs || !movesWithSpeed(entry.column)) return undefined;
  return atSpeed(probeMs / entry.probeMs, change, 'probe');
}

/** A figure `change` worse than its entry, seen on a machine `slowdown` times as slow as then. */
function atSpeed(slowdown: number, change: number, by: MachineSpeed['by']): MachineSpeed {
  return { slowdown, atEqualSpeed: (1 + change) / slowdown - 1, by };
}

/** The bare ceiling's subject for a row measured beside it ('kubemock, file' → 'bare, file'); a ceiling row's own subject. */
function ceilingSubject(subject: string): string | undefined {
  if (subject === 'bare' || subject.startsWith('bare,')) return subject;
  if (subject === 'kubemock' || subject.startsWith('kubemock,')) return `bare${subject.slice('kubemock'.length)}`;
  return undefined;
}

/**
 * How much slower the row's bare ceiling measured in this run than in its own entry (the same column),
 * as a MachineSpeed for a figure `change` worse than its entry; undefined without a ceiling measured
 * both times, or when the ceiling is not slower.
 */
function ceilingSpeed(entry: BaselineEntry, change: number, rows: readonly TableRow[], baseline: Baseline): MachineSpeed | undefined {
  const subject = ceilingSubject(entry.subject);
  if (subject === undefined || !movesWithSpeed(entry.column)) return undefined;
  const ceiling = { scenario: entry.scenario, subject };
  const then = baseline.entries.find((e) => sameRow(e, ceiling) && e.column === entry.column);
  const now = rows.find((r) => sameRow(ceiling, r) && !r.error)?.values[entry.column];
  if (!then || typeof now !== 'number' || !Number.isFinite(now)) return undefined;
  const slowdown = 1 + worseBy(then, now);
  return slowdown > 1 ? atSpeed(slowdown, change, 'ceiling') : undefined;
}

/** Of the probe's and the ceiling's account of the machine, the one that explains more of a change. */
function slowerOf(a: MachineSpeed | undefined, b: MachineSpeed | undefined): MachineSpeed | undefined {
  if (!a || !b) return a ?? b;
  return b.slowdown > a.slowdown ? b : a;
}

/**
 * Each measured row against its baseline entries (a row may have several, one per column).
 * `probes`: the machine probe (ms) of this run, by scenario.
 */
export function compareWithBaseline(rows: readonly TableRow[], baseline: Baseline, probes?: ReadonlyMap<string, number>): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const row of rows) {
    if (row.error) continue; // an error row already fails the run
    const entries = baseline.entries.filter((e) => sameRow(e, row));
    if (!entries.length) {
      verdicts.push({ kind: 'no baseline', scenario: row.scenario, subject: row.subject });
      continue;
    }
    for (const entry of entries) {
      const value: Cell | undefined = row.values[entry.column];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        verdicts.push({ kind: 'not measured', entry });
        continue;
      }
      const change = worseBy(entry, value);
      const machine = slowerOf(machineSpeed(entry, change, probes?.get(row.scenario)), ceilingSpeed(entry, change, rows, baseline));
      const worse = change > REGRESSION_TOLERANCE;
      if (!machine) verdicts.push({ kind: worse ? 'regression' : 'ok', entry, value, change });
      else if (machine.atEqualSpeed <= REGRESSION_TOLERANCE)
        verdicts.push({ kind: worse ? 'slower machine' : 'ok', entry, value, change, machine });
      else verdicts.push({ kind: worse ? 'regression' : 'faster machine', entry, value, change, machine });
    }
  }
  return verdicts;
}

/** "12% worse" or "5% better". */
const changeText = (change: number) => `${Math.abs(Math.round(change * 100))}% ${change > 0 ? 'worse' : 'better'}`;

/** What told a MachineSpeed's slowdown, as a verdict's line says it. */
const yardstick = (m: MachineSpeed) =>
  m.by === 'ceiling'
    ? `bare ceiling ${m.slowdown.toFixed(2)}× slower than then in this run`
    : `machine probe ${m.slowdown.toFixed(2)}× the time it took then`;

/** One line per verdict: REGRESSION lines first, then those of a slower and of a faster machine. */
export function describeVerdicts(verdicts: readonly Verdict[]): string[] {
  const line = (v: Verdict): string => {
    if (v.kind === 'no baseline') return `no baseline: ${v.scenario} / ${v.subject}`;
    const e = v.entry;
    const what = `${e.scenario} / ${e.subject} ${e.column}`;
    if (v.kind === 'not measured') return `not measured: ${what} (baseline ${formatCell(e.value)})`;
    const m = v.machine;
    const speed = m ? `; ${yardstick(m)}, so ${changeText(m.atEqualSpeed)} at equal speed` : '';
    const against = `${formatCell(v.value)} against ${formatCell(e.value)} of ${e.date} (${changeText(v.change)}; ${e.better} is better${speed})`;
    const tolerance = `${REGRESSION_TOLERANCE * 100}%`;
    if (v.kind === 'regression') return `REGRESSION: ${what}: ${against}: more than ${tolerance} worse than bench/baseline.json`;
    if (v.kind === 'slower machine')
      return `slower machine: ${what}: ${against}: more than ${tolerance} worse as measured, not at equal speed`;
    if (v.kind === 'faster machine')
      return `faster machine: ${what}: ${against}: within ${tolerance} as measured, more than ${tolerance} worse at equal speed (worth a run on a quiet machine)`;
    return `ok: ${what}: ${against}`;
  };
  const first = ['regression', 'slower machine', 'faster machine'];
  const rank = (v: Verdict) => (first.includes(v.kind) ? first.indexOf(v.kind) : first.length);
  return [...verdicts].sort((a, b) => rank(a) - rank(b)).map(line);
}

/**
 * The baseline with this run's figures: every entry of a measured row takes its new figure, date,
 * command and the machine probe of its scenario (`probes`); a measured row with no entry gets one
 * for its first numeric column, lower is better unless the column is a rate (`/s`).
 */
export function updatedBaseline(
  baseline: Baseline,
  rows: readonly TableRow[],
  date: string,
  command: string,
  probes?: ReadonlyMap<string, number>,
): Baseline {
  const entries = baseline.entries.map((e) => ({ ...e }));
  for (const row of rows) {
    if (row.error) continue;
    const mine = entries.filter((e) => sameRow(e, row));
    if (mine.length) {
      for (const e of mine) {
        const value = row.values[e.column];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        Object.assign(e, { value, date, command });
        delete e.probeMs;
        Object.assign(e, probeOf(row));
      }
      continue;
    }
    const column = Object.keys(row.values).find((k) => typeof row.values[k] === 'number' && Number.isFinite(row.values[k]));
    if (!column) continue;
    entries.push({
      scenario: row.scenario,
      subject: row.subject,
      column,
      value: row.values[column] as number,
      better: column.endsWith('/s') ? 'higher' : 'lower',
      date,
      command,
      ...probeOf(row),
    });
  }
  return { ...baseline, entries };

  function probeOf(row: TableRow): { probeMs?: number } {
    const probeMs = probes?.get(row.scenario);
    return probeMs === undefined ? {} : { probeMs };
  }
}

const escapeCell = (s: string) => s.replaceAll('|', '\\|');

/** The README's table of baseline figures (markers included). */
export function readmeTable(baseline: Baseline): string {
  const lines = [
    README_START,
    '| Scenario | Row | Figure | Better | Measured (machine probe) | Command |',
    '| --- | --- | --- | --- | --- | --- |',
    ...baseline.entries.map(
      (e) =>
        `| ${escapeCell(e.scenario)} | ${escapeCell(e.subject)} | ${formatCell(e.value)} ${escapeCell(e.column)} | ${e.better} | ${e.date}${e.probeMs ? ` (${formatCell(e.probeMs)} ms)` : ''} | \`${escapeCell(e.command)}\` |`,
    ),
    README_END,
  ];
  return lines.join('\n');
}

/** The README with its generated table replaced by the baseline's (throws if the markers are missing). */
export function withReadmeTable(readme: string, baseline: Baseline): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no bench baseline markers (${README_START} … ${README_END})`);
  return readme.slice(0, start) + readmeTable(baseline) + readme.slice(end + README_END.length);
}

/** The generated table as it stands in the README (markers included), or undefined. */
export function readmeTableIn(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + README_END.length);
}
