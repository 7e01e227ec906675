/**
 * kubemock replicas for the etcd tests: each a separate process (replica-process.ts) on a free
 * loopback port, with its own kubeconfig and kubectl cache, all serving one cluster from the etcd
 * given. Plus the little HTTP the tests need: JSON requests and a watch that collects its events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LeaderElectionOptions } from '../../src/app.js';

const PROCESS = fileURLToPath(new URL('./replica-process.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Replica {
  name: string;
  url: string;
  kubeconfigPath: string;
  /** kubectl's cache folder for this replica (never the user's). */
  cacheDir: string;
  child: ChildProcess;
  /** What the process wrote to stderr (its warnings and errors). */
  stderr(): string;
  /** SIGKILL: the process dies at once, nothing shuts down cleanly. */
  kill(): Promise<void>;
  /** SIGTERM, and SIGKILL if it has not exited 10 s later. */
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  /** etcd client URLs. */
  endpoints: string[];
  /** Key prefix in etcd: one per test cluster. */
  prefix: string;
  /** Ready nodes node-1 … node-N to ensure at start (default 0). */
  nodes?: number;
  /** Run the controllers and kubelets (default false). */
  controllers?: boolean;
  /** Elect the replica that runs the controllers, and shard the kubelets (library option). */
  leaderElection?: LeaderElectionOptions;
}

export async function startReplica(name: string, opts: ReplicaOptions): Promise<Replica> {
  const config = {
    servers: opts.endpoints,
    prefix: opts.prefix,
    nodes: opts.nodes ?? 0,
    controllers: opts.controllers ?? false,
    ...(opts.leaderElection ? { leaderElection: opts.leaderElection } : {}),
  };
  // BENCH_REPLICA_PROF=<folder>: each replica writes a V8 CPU profile there when it exits (bench/scenarios/etcd.ts).
  const profile = process.env.BENCH_REPLICA_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_REPLICA_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', TSX, PROCESS, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (sig: NodeJS.Signals) => {
    if (alive()) child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited.finally(() => clearTimeout(timer));
  };
  const deadline = Date.now() + 60_000;
  while (!out.includes('\n')) {
    if (!alive() || Date.now() > deadline) {
      await signal('SIGKILL');
      throw new Error(`replica ${name} did not start\nstdout:\n${out}\nstderr:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const started = JSON.parse(out.slice(0, out.indexOf('\n'))) as { url: string; kubeconfigPath: string; cacheDir: string };
  return {
    name,
    ...started,
    child,
    stderr: () => err,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/** A JSON request to a replica; resolves with the status and the parsed body. */
export async function request(
  replica: Pick<Replica, 'url'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(replica.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface CollectedWatch {
  events: { type: string; object: any }[];
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

/** Opens a watch (path with `watch=1`) and collects its events until closed. */
export async function collectWatch(replica: Pick<Replica, 'url'>, path: string): Promise<CollectedWatch> {
  const abort = new AbortController();
  const res = await fetch(replica.url + path, { signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`watch ${path}: ${res.status} ${await res.text()}`);
  const events: CollectedWatch['events'] = [];
  let ended = false;
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i).trim();
          buffer = buffer.slice(i + 1);
          if (line) events.push(JSON.parse(line) as CollectedWatch['events'][number]);
        }
      }
    } catch {
      // closed by the test
    }
    ended = true;
  })();
  return { events, ended: () => ended, close: () => abort.abort() };
}
