/**
 * One table row from the measured load runs of one subject (a server, a request kind): mean
 * req/s and p50, worst p99, response size and server CPU over the rounds, or an error row when
 * any run, warm-up included, was not a clean figure.
 */
import type { LoadResult } from './load.js';
import type { ResultRow } from './scenario.js';
import { median } from './stats.js';

export interface RoundFigure {
  round: number;
  /** 0 = this subject was loaded first in the round. */
  order: number;
  result: LoadResult;
  /** Percent of one core used by the server / by this process (the load generator). */
  serverCpuPercent: number | null;
  clientCpuPercent: number;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function loadRow(subject: string, runs: RoundFigure[], warmup: LoadResult): ResultRow & { reqPerSec?: number } {
  const problems = [warmup, ...runs.map((r) => r.result)].flatMap((r, i) =>
    r.error ? [`${i === 0 ? 'warm-up' : `round ${runs[i - 1].round + 1}`}: ${r.error}`] : [],
  );
  const details = { warmup, rounds: runs };
  if (problems.length)
    return {
      subject,
      values: { 'req/s': null, 'p50 ms': null, 'p99 ms': null, 'resp B': null, 'srv CPU%': null },
      error: problems.join('; '),
      details,
    };
  const figs = runs.map((r) => r.result.figures!);
  const reqPerSec = mean(figs.map((f) => f.reqPerSec));
  const cpu = runs.map((r) => r.serverCpuPercent);
  return {
    subject,
    reqPerSec,
    values: {
      'req/s': reqPerSec,
      'p50 ms': mean(figs.map((f) => f.latencyP50Ms)),
      'p99 ms': Math.max(...figs.map((f) => f.latencyP99Ms)),
      'resp B': Math.round(mean(figs.map((f) => f.bytesPerResponse))),
      'srv CPU%': cpu.every((c): c is number => c !== null) ? mean(cpu) : null,
    },
    details,
  };
}

/**
 * How `a`'s rate compares with `b`'s (a / b), as the median of the rounds' own ratios: a round
 * loads both subjects one right after the other, so its ratio is taken at one speed of the
 * machine, whose speed flips every few tens of seconds; the median keeps a round that straddled a
 * flip from moving the figure, as it moved the ratio of the means over all rounds. Null when a
 * round of either has no figure.
 */
export function pairedRatio(a: readonly RoundFigure[], b: readonly RoundFigure[]): number | null {
  const ratios: number[] = [];
  for (const ra of a) {
    const fa = ra.result.figures;
    const fb = b.find((rb) => rb.round === ra.round)?.result.figures;
    if (!fa || !fb || fb.reqPerSec <= 0) return null;
    ratios.push(fa.reqPerSec / fb.reqPerSec);
  }
  return ratios.length ? median(ratios) : null;
}
