/**
 * CLI cold start: `kubemock` (dist/main.js, or src/main.ts through tsx with BENCH_TARGET=src, or
 * another build's main.js named by BENCH_CLI_MAIN, e.g. a checkout of the commit before a change)
 * with its default flags but for a free port and a fresh folder (database file and kubeconfig in
 * it), from the spawn to the exit of the first successful `kubectl get ns` (fresh discovery cache,
 * so kubectl pays its discovery as a new user's would), median of 5 starts. kubectl is started as
 * soon as the banner is printed (the kubeconfig exists from then on). Also measured: spawn → banner,
 * spawn → the first `/readyz` answered 200 (`ready ms`, asked by a second client at the banner, as
 * kubectl is started), and the server's resident memory once it has been idle for 2 s after that
 * first kubectl. Since the command listens and prints its banner before its app is loaded
 * (src/early-listener.ts; before, the banner came once the server was ready), `banner ms` is when
 * clients may connect, not when they are answered, and `banner CPU ms`, the CPU time the process has
 * used when the banner is seen, includes whatever of the app's loading ran meanwhile: `ready ms` is
 * the server's side of the start (`ready CPU ms`, its CPU time then). The column
 * `kubectl ms` is a second `kubectl get ns` (fresh cache too) against the same warm server: the
 * part of the total that is kubectl's own start and discovery, not kubemock's; `kubectl client ms`
 * is `kubectl version --client`, which asks no server: the floor of any kubectl command on this
 * machine (with the Google Cloud SDK's kubectl, a dispatcher that also asks the server's /version
 * before running the matching kubectl, a `get` costs two program starts). Aims (issue 19):
 * total < 300 ms, idle RSS < 80 MB. When the kubectl on PATH is that dispatcher (a
 * `kubectl.1.<minor>` beside it for kubemock's minor version), a second row makes the same starts
 * with that binary itself, the kubectl the dispatcher ends up running: what a machine with a plain
 * kubectl sees.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KUBE_MINOR } from '../../src/http/discovery/version.js';
import { findKubectlVersions } from '../../test/helpers/kubectl-binaries.js';
import type { BenchContext, ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { median } from '../lib/stats.js';

const RUNS = 5;
const AIM_MS = 300;
const AIM_RSS_MB = 80;
const IDLE_MS = 2000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The kubectl on PATH, or $KUBECTL. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/**
 * The binary the PATH's kubectl runs against kubemock when it is the Google Cloud SDK's dispatcher:
 * `kubectl.1.<kubemock's minor>` beside the real kubectl. Undefined when there is none, or $KUBECTL
 * names the kubectl to use.
 */
function dispatchedKubectl(): string | undefined {
  if (process.env.KUBECTL) return undefined;
  return findKubectlVersions().find((v) => v.version === `1.${KUBE_MINOR}`)?.path;
}

interface CliTiming {
  bannerMs: number;
  /** Spawn → the first `/readyz` answered 200, asked at the banner. */
  readyMs: number | null;
  /** The server's CPU time when `/readyz` first answered 200. */
  readyCpuMs: number | null;
  /** The server's CPU time (user + system) from its start to the banner: less sensitive to a loaded machine than wall time. */
  bannerCpuMs: number | null;
  firstKubectlMs: number;
  warmKubectlMs: number;
  clientKubectlMs: number | null;
  idleRssMb: number | null;
}

/** How long `kubectl version --client` takes (no server asked), in ms; null if it fails. */
function kubectlClientMs(kubectlPath: string): Promise<number | null> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(kubectlPath, ['version', '--client'], { timeout: 30_000 }, (err) => resolve(err ? null : performance.now() - t0));
  });
}

function kubectl(kubectlPath: string, kubeconfig: string, cacheDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      kubectlPath,
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'ns', '-o', 'name'],
      { timeout: 30_000 },
      (err, stdout) => resolve(!err && /namespace\/default/.test(stdout)),
    );
  });
}

/**
 * When `/readyz` first answers 200 (ms after t0) and the server's CPU time then, asking again at once
 * on a refusal or another status; nulls if never within 30 s.
 */
async function firstReady(url: string, t0: number, pid: number): Promise<{ ms: number | null; cpuMs: number | null }> {
  while (performance.now() - t0 < 30_000) {
    const status = await fetch(`${url}/readyz`).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    if (status === 200) return { ms: performance.now() - t0, cpuMs: cpuMs(pid) };
  }
  return { ms: null, cpuMs: null };
}

/** utime + stime of a process, in ms (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function oneStart(ctx: BenchContext, kubectlPath: string): Promise<CliTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-bench-cli-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const args = process.env.BENCH_CLI_MAIN
    ? [process.env.BENCH_CLI_MAIN]
    : ctx.target === 'src'
      ? ['--import', 'tsx', join(ROOT, 'src/main.ts')]
      : [join(ROOT, 'dist/main.js')];
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('KUBEMOCK_')) delete env[name];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, '--port', '0', '--db', join(dir, 'kubemock.db'), '--kubeconfig', kubeconfig], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let bannerCpuMs: number | null = null;
  try {
    const bannerMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in 60 s; stderr: ${err.slice(0, 300)}`)), 60_000);
      const check = () => {
        if (/kubeconfig written to/.test(out)) {
          clearTimeout(timer);
          bannerCpuMs = cpuMs(child.pid!);
          resolve(performance.now() - t0);
        }
      };
      child.stdout.on('data', check);
      child.on('close', (code) => reject(new Error(`kubemock exited ${code}: ${err.slice(0, 300)}`)));
    });
    const url = /serving the Kubernetes API at (\S+)/.exec(out)?.[1];
    const ready = url ? firstReady(url, t0, child.pid!) : Promise.resolve({ ms: null, cpuMs: null });
    let ok = false;
    for (let attempt = 0; attempt < 50 && !ok; attempt++) ok = await kubectl(kubectlPath, kubeconfig, join(dir, `cache-${attempt}`));
    if (!ok) throw new Error('kubectl get ns never succeeded');
    const firstKubectlMs = performance.now() - t0;
    const { ms: readyMs, cpuMs: readyCpuMs } = await ready;
    const w0 = performance.now();
    if (!(await kubectl(kubectlPath, kubeconfig, join(dir, 'cache-warm')))) throw new Error('second kubectl get ns failed');
    const warmKubectlMs = performance.now() - w0;
    const clientKubectlMs = await kubectlClientMs(kubectlPath);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleRssMb = rssMb(child.pid!);
    return { bannerMs, readyMs, readyCpuMs, bannerCpuMs, firstKubectlMs, warmKubectlMs, clientKubectlMs, idleRssMb };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `n` starts, each to a first `kubectl get ns` by `kubectlPath`: their medians as one row, and the two headline figures. */
async function measureStarts(
  ctx: BenchContext,
  n: number,
  kubectlPath: string,
  subject: string,
): Promise<{ row: ResultRow; medianMs: number; idleRssMb: number | null }> {
  const runs: CliTiming[] = [];
  for (let i = 0; i < n; i++) {
    ctx.log(`  ${subject}: start ${i + 1} of ${n}`);
    runs.push(await oneStart(ctx, kubectlPath));
  }
  const total = median(runs.map((r) => r.firstKubectlMs));
  const rsses = runs.map((r) => r.idleRssMb).filter((v): v is number => v !== null);
  const rss = rsses.length ? median(rsses) : null;
  const notes = [total < AIM_MS ? `meets < ${AIM_MS} ms` : `above the ${AIM_MS} ms aim`];
  if (rss !== null) notes.push(rss < AIM_RSS_MB ? `RSS meets < ${AIM_RSS_MB} MB` : `RSS above the ${AIM_RSS_MB} MB aim`);
  const row: ResultRow = {
    subject,
    values: {
      'median ms': total,
      'banner ms': median(runs.map((r) => r.bannerMs)),
      'ready ms': runs.every((r) => r.readyMs !== null) ? median(runs.map((r) => r.readyMs!)) : null,
      'ready CPU ms': runs.every((r) => r.readyCpuMs !== null) ? median(runs.map((r) => r.readyCpuMs!)) : null,
      'banner CPU ms': runs.every((r) => r.bannerCpuMs !== null) ? median(runs.map((r) => r.bannerCpuMs!)) : null,
      'kubectl ms': median(runs.map((r) => r.warmKubectlMs)),
      'kubectl client ms': runs.every((r) => r.clientKubectlMs !== null) ? median(runs.map((r) => r.clientKubectlMs!)) : null,
      'idle RSS MB': rss,
    },
    note: notes.join('; '),
    details: { kubectl: kubectlPath, runs },
  };
  return { row, medianMs: total, idleRssMb: rss };
}

export const cliStartupScenario: Scenario = {
  name: 'cli-startup',
  description: `kubemock CLI (database file, default flags) from spawn to the first successful \`kubectl get ns\`, and idle RSS, median of ${RUNS}`,
  async run(ctx): Promise<ScenarioResult> {
    const n = ctx.quick ? 2 : RUNS;
    const first = await measureStarts(ctx, n, KUBECTL, 'to first kubectl get ns');
    const rows = [first.row];
    const binary = dispatchedKubectl();
    if (binary) rows.push((await measureStarts(ctx, n, binary, `to first kubectl get ns, ${binary.split('/').pop()} itself`)).row);
    return { rows, summary: { medianMs: first.medianMs, idleRssMb: first.idleRssMb } };
  },
};
