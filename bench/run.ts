/**
 * `npm run bench [-- --only get,list] [--duration 5] [--rounds 3] [--connections 32]`
 *
 * Runs the scenarios of bench/scenarios/index.ts in order, prints one table on stdout (progress
 * goes to stderr) and writes everything to bench/results/latest.json. BENCH_QUICK=1 makes a smoke
 * run (1 s load runs, one round). BENCH_TARGET=src benches the TypeScript sources instead of dist/.
 * Exits 1 when a scenario failed or a row is an error (e.g. non-2xx answers under load).
 * Each row is then compared with its figure in bench/baseline.json: a REGRESSION line for one more
 * than 20% worse, "no baseline" for a row the file does not have. `--update-baseline` writes this
 * run's figures into the file and regenerates the README's table from it. The machine is probed
 * before and after each scenario (bench/lib/machine-probe.ts): the mean of the two is the
 * scenario's probe, printed, kept in the results and the baseline, and used to compare times and
 * rates with the baseline's at equal speed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareWithBaseline, describeVerdicts, updatedBaseline, withReadmeTable, type Baseline } from './lib/baseline.js';
import { medianMs, probeMachine } from './lib/machine-probe.js';
import type { BenchContext, ScenarioResult } from './lib/scenario.js';
import { killAllServersNow, stopAllServers } from './lib/servers.js';
import { renderTable, type TableRow } from './lib/table.js';
import { scenarios } from './scenarios/index.js';

const RESULTS_DIR = new URL('./results/', import.meta.url);
const DIST_APP = new URL('../dist/app.js', import.meta.url);
const BASELINE_FILE = new URL('./baseline.json', import.meta.url);
const README_FILE = new URL('../README.md', import.meta.url);

const USAGE = `usage: npm run bench -- [--only a,b] [--duration S] [--warmup S] [--rounds N] [--connections N] [--list]
  --only         comma-separated scenario names (default: all, in order)
  --duration     seconds per measured load run (default 5; BENCH_QUICK=1: 1)
  --warmup       seconds of unmeasured load per server first (default 1; BENCH_QUICK=1: 0.5)
  --rounds       measured runs per server, order alternating (default 3; BENCH_QUICK=1: 1)
  --connections  concurrent connections (default 32)
  --list         print the scenarios and exit
  --update-baseline  write this run's figures into bench/baseline.json and the README's table
env: BENCH_QUICK=1 smoke run; BENCH_TARGET=dist|src which kubemock build to load (default dist)`;

function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number, integer = false): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${raw}`);
  }
  return n;
}

class UsageError extends Error {}

interface ScenarioRecord {
  name: string;
  description: string;
  ok: boolean;
  startedAt: string;
  elapsedMs: number;
  /** The machine probe (ms) before and after the scenario, and their mean. */
  probe?: { beforeMs: number; afterMs: number; ms: number };
  result?: ScenarioResult;
  error?: string;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      list: { type: 'boolean' },
      'update-baseline': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(12)} ${s.description}\n`);
    return 0;
  }
  const quick = process.env.BENCH_QUICK === '1';
  if (quick && values['update-baseline']) throw new UsageError('--update-baseline takes a full run, not BENCH_QUICK=1');
  const wanted = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted) {
    const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
    if (unknown.length)
      throw new UsageError(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  }
  const selected = wanted ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;

  let target: 'dist' | 'src';
  if (process.env.BENCH_TARGET === 'src' || process.env.BENCH_TARGET === 'dist') target = process.env.BENCH_TARGET;
  else if (process.env.BENCH_TARGET) throw new UsageError(`BENCH_TARGET must be dist or src, got ${process.env.BENCH_TARGET}`);
  else target = existsSync(fileURLToPath(DIST_APP)) ? 'dist' : 'src';

  const log = (message: string) => process.stderr.write(`${message}\n`);
  const ctx: BenchContext = {
    durationSeconds: numberOption('duration', values.duration, quick ? 1 : 5, 0.5, 60),
    warmupSeconds: numberOption('warmup', values.warmup, quick ? 0.5 : 1, 0.5, 60),
    rounds: numberOption('rounds', values.rounds, quick ? 1 : 3, 1, 10, true),
    connections: numberOption('connections', values.connections, 32, 1, 1024, true),
    quick,
    target,
    log,
  };
  if (target === 'src' && !process.env.BENCH_TARGET)
    log('dist/app.js not found: benching the sources through tsx (run `npm run bench` to build first)');

  const startedAt = new Date();
  const loadAtStart = loadavg();
  const records: ScenarioRecord[] = [];
  for (const scenario of selected) {
    log(`[${scenario.name}] ${scenario.description}`);
    const probeBefore = probeMachine();
    const t0 = Date.now();
    const record: ScenarioRecord = {
      name: scenario.name,
      description: scenario.description,
      ok: false,
      startedAt: new Date(t0).toISOString(),
      elapsedMs: 0,
    };
    try {
      record.result = await scenario.run(ctx);
      record.ok = record.result.rows.every((r) => !r.error);
    } catch (e) {
      record.error = (e as Error).stack ?? String(e);
      log(`[${scenario.name}] failed: ${record.error}`);
    } finally {
      await stopAllServers();
    }
    record.elapsedMs = Date.now() - t0;
    const probeAfter = probeMachine();
    record.probe = { beforeMs: probeBefore, afterMs: probeAfter, ms: medianMs([probeBefore, probeAfter]) };
    log(`[${scenario.name}] machine probe ${record.probe.ms} ms (${probeBefore} before, ${probeAfter} after)`);
    records.push(record);
  }
  const probes = new Map(records.flatMap((r) => (r.probe ? [[r.name, r.probe.ms] as const] : [])));

  const rows: TableRow[] = records.flatMap((r) =>
    r.result
      ? r.result.rows.map((row) => ({ ...row, scenario: r.name }))
      : [{ scenario: r.name, subject: '-', values: {}, error: (r.error ?? 'failed').split('\n')[0] }],
  );
  const settings = `${ctx.connections} connections, ${ctx.durationSeconds} s × ${ctx.rounds} round(s) per server after ${ctx.warmupSeconds} s warm-up, kubemock from ${ctx.target}${quick ? ' (BENCH_QUICK: smoke run, do not compare)' : ''}`;
  const probeLine = `machine probe (bench/lib/machine-probe.ts, lower is faster): ${records.map((r) => `${r.name} ${r.probe?.ms ?? '-'} ms`).join(', ')}`;
  process.stdout.write(`\n${settings}\n${probeLine}\n\n${renderTable(rows)}\n`);

  const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline;
  const verdicts = compareWithBaseline(rows, baseline, probes);
  const regressions = verdicts.filter((v) => v.kind === 'regression').length;
  const slower = verdicts.filter((v) => v.kind === 'slower machine').length;
  process.stdout.write(
    `\nAgainst bench/baseline.json${quick ? ' (BENCH_QUICK smoke run: not comparable)' : ''}:\n${describeVerdicts(verdicts).join('\n')}\n` +
      (regressions ? `${regressions} REGRESSION(S) of more than 20%\n` : '') +
      (slower ? `${slower} figure(s) more than 20% worse as measured but not at equal speed (the machine probe was slower)\n` : ''),
  );
  if (values['update-baseline']) {
    const args = process.argv.slice(2).filter((a) => a !== '--update-baseline');
    const command = ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' ');
    const next = updatedBaseline(baseline, rows, startedAt.toISOString().slice(0, 10), command, probes);
    writeFileSync(BASELINE_FILE, `${JSON.stringify(next, null, 2)}\n`);
    writeFileSync(README_FILE, withReadmeTable(readFileSync(README_FILE, 'utf8'), next));
    log(`bench/baseline.json and README.md updated with ${rows.filter((r) => !r.error).length} row(s)`);
  }

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      totalMemBytes: totalmem(),
      loadavgAtStart: loadAtStart,
      loadavgAtEnd: loadavg(),
    },
    settings: {
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      rounds: ctx.rounds,
      connections: ctx.connections,
      quick,
      target,
      only: wanted ?? null,
    },
    scenarios: records,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = new URL('latest.json', RESULTS_DIR);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`\nresults written to ${fileURLToPath(out)}`);
  return records.every((r) => r.ok) ? 0 : 1;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    void stopAllServers().finally(() => process.exit(130));
  });
}
process.on('exit', killAllServersNow);

main().then(
  async (code) => {
    await stopAllServers();
    process.exit(code);
  },
  async (e: unknown) => {
    await stopAllServers();
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
