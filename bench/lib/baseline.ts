/**
 * The figures a bench run is held to: bench/baseline.json keeps, per row (scenario, subject) and
 * headline column, the figure, whether lower or higher is better, the date it was measured and the
 * command that measured it. `npm run bench` compares each row it measured with its entry and prints
 * a REGRESSION line when it is more than 20% worse; a row with no entry prints "no baseline".
 * `npm run bench -- --update-baseline` writes the run's figures into the file, and the README's
 * table between its two markers is generated from the file (test/unit/bench-baseline.test.ts keeps
 * them in sync).
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
}

export interface Baseline {
  comment?: string;
  entries: BaselineEntry[];
}

export type Verdict =
  | { kind: 'regression'; entry: BaselineEntry; value: number; change: number }
  | { kind: 'ok'; entry: BaselineEntry; value: number; change: number }
  | { kind: 'no baseline'; scenario: string; subject: string }
  | { kind: 'not measured'; entry: BaselineEntry };

const sameRow = (e: Pick<BaselineEntry, 'scenario' | 'subject'>, r: Pick<TableRow, 'scenario' | 'subject'>) =>
  e.scenario === r.scenario && e.subject === r.subject;

/** How much worse `value` is than `entry.value`: 0.25 = 25% worse, negative = better. */
export function worseBy(entry: Pick<BaselineEntry, 'value' | 'better'>, value: number): number {
  if (entry.value === 0) return value === 0 ? 0 : entry.better === 'lower' ? Infinity : -Infinity;
  return entry.better === 'lower' ? value / entry.value - 1 : entry.value / value - 1;
}

/** Each measured row against its baseline entries (a row may have several, one per column). */
export function compareWithBaseline(rows: readonly TableRow[], baseline: Baseline): Verdict[] {
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
      verdicts.push({ kind: change > REGRESSION_TOLERANCE ? 'regression' : 'ok', entry, value, change });
    }
  }
  return verdicts;
}

/** "12% worse" or "5% better". */
const changeText = (change: number) => `${Math.abs(Math.round(change * 100))}% ${change > 0 ? 'worse' : 'better'}`;

/** One line per verdict, REGRESSION lines first. */
export function describeVerdicts(verdicts: readonly Verdict[]): string[] {
  const line = (v: Verdict): string => {
    if (v.kind === 'no baseline') return `no baseline: ${v.scenario} / ${v.subject}`;
    const e = v.entry;
    const what = `${e.scenario} / ${e.subject} ${e.column}`;
    if (v.kind === 'not measured') return `not measured: ${what} (baseline ${formatCell(e.value)})`;
    const against = `${formatCell(v.value)} against ${formatCell(e.value)} of ${e.date} (${changeText(v.change)}; ${e.better} is better)`;
    return v.kind === 'regression'
      ? `REGRESSION: ${what}: ${against}: more than ${REGRESSION_TOLERANCE * 100}% worse than bench/baseline.json`
      : `ok: ${what}: ${against}`;
  };
  return [...verdicts].sort((a, b) => Number(b.kind === 'regression') - Number(a.kind === 'regression')).map(line);
}

/**
 * The baseline with this run's figures: every entry of a measured row takes its new figure, date
 * and command; a measured row with no entry gets one for its first numeric column, lower is better
 * unless the column is a rate (`/s`).
 */
export function updatedBaseline(baseline: Baseline, rows: readonly TableRow[], date: string, command: string): Baseline {
  const entries = baseline.entries.map((e) => ({ ...e }));
  for (const row of rows) {
    if (row.error) continue;
    const mine = entries.filter((e) => sameRow(e, row));
    if (mine.length) {
      for (const e of mine) {
        const value = row.values[e.column];
        if (typeof value === 'number' && Number.isFinite(value)) Object.assign(e, { value, date, command });
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
    });
  }
  return { ...baseline, entries };
}

const escapeCell = (s: string) => s.replaceAll('|', '\\|');

/** The README's table of baseline figures (markers included). */
export function readmeTable(baseline: Baseline): string {
  const lines = [
    README_START,
    '| Scenario | Row | Figure | Better | Measured | Command |',
    '| --- | --- | --- | --- | --- | --- |',
    ...baseline.entries.map(
      (e) =>
        `| ${escapeCell(e.scenario)} | ${escapeCell(e.subject)} | ${formatCell(e.value)} ${escapeCell(e.column)} | ${e.better} | ${e.date} | \`${escapeCell(e.command)}\` |`,
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
