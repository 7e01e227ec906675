/**
 * Runs the kubemock command (src/main.ts through tsx, or with `built` the bundle dist/main.js) as a
 * child process, as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
export const BUILT_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run the built dist/main.js with plain node instead of the sources. */
  built?: boolean;
}

export function spawnCli(args: string[], opts: CliOptions = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  // Keep the user's own KUBEMOCK_* settings out unless a test sets them.
  for (const name of Object.keys(env)) if (name.startsWith('KUBEMOCK_') && !(opts.env && name in opts.env)) delete env[name];
  const entry = opts.built ? [BUILT_MAIN] : ['--import', TSX, MAIN];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs the command to completion (killed after timeoutMs). */
export async function runCli(args: string[], opts: CliOptions & { timeoutMs?: number } = {}) {
  const run = spawnCli(args, opts);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const code = await run.exited.finally(() => clearTimeout(timer));
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export interface StartedCli extends CliRun {
  url: string;
  kubeconfigPath: string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a server and waits for its start-up banner (the URL and the kubectl command to paste). */
export async function startCli(args: string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<StartedCli> {
  const run = spawnCli(args, opts);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const banner = /serving the Kubernetes API at (\S+)\n[\s\S]*?\n {2}kubectl --kubeconfig (\S+) get nodes\n/;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    return run.exited.finally(() => clearTimeout(timer));
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = banner.exec(run.stdout());
    if (m) return { ...run, url: m[1], kubeconfigPath: m[2], stop };
    const exited = run.child.exitCode !== null || run.child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(
        `kubemock ${args.join(' ')} ${exited ? `exited ${run.child.exitCode}` : `printed no banner in ${timeoutMs} ms`}\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
