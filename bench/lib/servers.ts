/**
 * Servers under test, each in its own child process so the load generator (this process) does
 * not take CPU from them. Every child is tracked; stopAllServers() ends those still running,
 * and run.ts calls it on exit, on errors and on SIGINT / SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type ServerKind = 'kubemock' | 'bare';

export interface ServerHandle {
  kind: ServerKind;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

const ENTRY: Record<ServerKind, string> = {
  kubemock: fileURLToPath(new URL('./serve-kubemock.ts', import.meta.url)),
  bare: fileURLToPath(new URL('./serve-bare.ts', import.meta.url)),
};
/** The repository root: children resolve `--import tsx` from there, whatever the caller's cwd. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  }
  running.delete(child);
}

/** BENCH_SERVER_PROF=<folder>: each server child writes a V8 CPU profile there when it exits (NODE_OPTIONS refuses --cpu-prof). */
function profileArgs(): string[] {
  const dir = process.env.BENCH_SERVER_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

export async function startServer(kind: ServerKind, env: Record<string, string> = {}): Promise<ServerHandle> {
  const child = spawn(process.execPath, [...profileArgs(), '--import', 'tsx', ENTRY[kind]], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  running.add(child);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const timer = setTimeout(
        () => reject(new Error(`${kind} server did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`${kind} server ${why}`));
      };
      child.once('exit', (code, signal) => fail(`exited during start (code ${code}, signal ${signal})`));
      child.once('error', (e) => fail(`could not be spawned: ${e.message}`));
      lines.on('line', (line) => {
        try {
          const msg = JSON.parse(line) as { ready?: boolean; port?: number };
          if (msg.ready && typeof msg.port === 'number') {
            clearTimeout(timer);
            resolve(msg.port);
          }
        } catch {
          // not the ready line: ignore
        }
      });
    });
    // Keep draining stdout so a chatty child never blocks on a full pipe.
    child.stdout.resume();
    return { kind, baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

/** Ends every child still running (idempotent). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((c) => stopChild(c)));
}

/** Last resort on process exit: synchronous kill of what is left. */
export function killAllServersNow(): void {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Starts both servers, runs `fn`, and stops them whatever happens. */
export async function withServers<T>(
  env: Record<string, string>,
  fn: (servers: Record<ServerKind, ServerHandle>) => Promise<T>,
): Promise<T> {
  const settled = await Promise.allSettled([startServer('kubemock', env), startServer('bare', env)]);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [kubemock, bare] = started as [ServerHandle, ServerHandle];
    return await fn({ kubemock, bare });
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}
