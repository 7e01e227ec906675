/**
 * A paired comparison of two builds on this machine: `npm run bench:ab -- <git ref> <child> [args…]`
 * builds the commit `ref` in a temporary worktree (its node_modules linked to this checkout's) and
 * this working tree, then runs one of bench/lib's child measurements (converge, status-writes,
 * heartbeats…) in each tree in turn, BENCH_AB_RUNS times (default 3), A (the ref) then B (the
 * working tree), and prints every result and each numeric field's median side by side. `{db}` in the
 * arguments is a fresh database file per run. On a machine whose speed flips within minutes (see
 * README, Benchmarks) a figure compared with one measured hours earlier tells little; the same
 * measurement alternated between two builds tells whether a change is the code's. Both sides run
 * their child through tsx (resident sets then include tsx's, unlike `npm run bench`'s rows).
 * Example: `npm run bench:ab -- 0555f3c converge 10000 1 {db}`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareSides } from './lib/ab-figures.js';
import { positiveIntFromEnv } from './lib/env.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const [ref, child, ...childArgs] = process.argv.slice(2);
if (!ref || !child) {
  process.stderr.write('usage: npm run bench:ab -- <git ref> <child of bench/lib, e.g. converge> [args…; {db}: a fresh database file]\n');
  process.exit(2);
}
const runs = positiveIntFromEnv('BENCH_AB_RUNS', 3);
const script = join('bench', 'lib', `${child}.ts`);

function build(dir: string): void {
  const out = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`npm run build failed in ${dir}:\n${out.stdout}${out.stderr}`);
}

function measure(dir: string): Record<string, unknown> {
  const scratch = mkdtempSync(join(tmpdir(), 'kubemock-ab-'));
  try {
    const args = childArgs.map((a) => a.replaceAll('{db}', join(scratch, 'kubemock.db')));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, BENCH_TARGET: 'dist' },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const worktree = mkdtempSync(join(tmpdir(), 'kubemock-ab-ref-'));
try {
  execFileSync('git', ['worktree', 'add', '--detach', worktree, ref], { cwd: ROOT, stdio: 'ignore' });
  symlinkSync(join(ROOT, 'node_modules'), join(worktree, 'node_modules'));
  if (!existsSync(join(worktree, script))) throw new Error(`${ref} has no ${script}`);
  process.stderr.write(`building ${ref} and the working tree\n`);
  build(worktree);
  build(ROOT);
  const sides = { A: [] as Record<string, unknown>[], B: [] as Record<string, unknown>[] };
  for (let i = 0; i < runs; i++) {
    for (const [side, dir] of [
      ['A', worktree],
      ['B', ROOT],
    ] as const) {
      const result = measure(dir);
      sides[side].push(result);
      process.stdout.write(`${side} ${JSON.stringify(result)}\n`);
    }
  }
  process.stdout.write(`\nmedians of ${runs} alternated runs: A = ${ref}, B = the working tree\n`);
  for (const { field, a, b, change } of compareSides(sides.A, sides.B)) {
    const pct = change === undefined ? '' : ` (${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%)`;
    process.stdout.write(`  ${field}: A ${Number(a.toPrecision(4))}  B ${Number(b.toPrecision(4))}${pct}\n`);
  }
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: ROOT, stdio: 'ignore' });
  rmSync(worktree, { recursive: true, force: true });
}
