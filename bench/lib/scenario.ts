/**
 * What a benchmark scenario is and what it hands back. bench/run.ts runs the scenarios listed in
 * bench/scenarios/index.ts in order, prints their rows as one table and writes them as JSON.
 */

/** The run-wide settings every scenario may read (a scenario may also ignore them all). */
export interface BenchContext {
  /** Seconds per measured load run. */
  durationSeconds: number;
  /** Seconds of unmeasured load before the measured runs (JIT warm-up). */
  warmupSeconds: number;
  /** Concurrent connections of a load run. */
  connections: number;
  /** Measured runs per server; the order of the servers alternates from one round to the next. */
  rounds: number;
  /** BENCH_QUICK=1: a smoke run, figures not meant to be compared. */
  quick: boolean;
  /** Which kubemock build the child servers load: the compiled dist/ or src/ through tsx. */
  target: 'dist' | 'src';
  /** Progress lines (stderr), so stdout keeps only the table. */
  log(message: string): void;
}

/** A cell: numbers are formatted by the table printer and kept as numbers in the JSON. */
export type Cell = number | string | null;

export interface ResultRow {
  /** What the row measured: 'kubemock', 'bare', a phase name… */
  subject: string;
  /** Column → value, in the order the columns should be printed. */
  values: Record<string, Cell>;
  /** Set when the figures are not to be trusted (non-2xx answers, socket errors, timeouts…). */
  error?: string;
  /** A short remark printed in the note column. */
  note?: string;
  /** Anything else worth keeping in the JSON (raw per-round figures…); not printed. */
  details?: unknown;
}

export interface ScenarioResult {
  rows: ResultRow[];
  /** The headline figures, by name, for tools reading latest.json (e.g. { ratio: 0.61 }). */
  summary?: Record<string, number | null>;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
