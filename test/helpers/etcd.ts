/**
 * A real etcd for tests: `startEtcd({ members })` runs one or three members of /usr/bin/etcd (or
 * $ETCD_BIN) on free loopback ports with temporary data directories, and stops them with `stop()`.
 * Without etcd the tests skip with `ETCD_MISSING` as the reason, unless ETCD_REQUIRED=1 (CI), when
 * they fail instead.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './eventually.js';

const run = promisify(execFile);

const ETCD = process.env.ETCD_BIN ?? '/usr/bin/etcd';
const ETCDCTL = process.env.ETCDCTL_BIN ?? '/usr/bin/etcdctl';

/** Why the etcd tests cannot run here (undefined: they can); throws when ETCD_REQUIRED=1 and they cannot. */
export function etcdMissing(): string | undefined {
  const missing = [ETCD, ETCDCTL].filter((bin) => !existsSync(bin));
  if (!missing.length) return undefined;
  const reason = `etcd is not installed (${missing.join(', ')} missing; Debian: apt-get install etcd-server etcd-client)`;
  if (process.env.ETCD_REQUIRED === '1') throw new Error(`ETCD_REQUIRED=1 but ${reason}`);
  return reason;
}

export interface EtcdCluster {
  /** The client URLs of the members (what --etcd-servers takes). */
  endpoints: string[];
  /** Runs etcdctl (API v3) against the cluster; resolves to its stdout. */
  etcdctl(...args: string[]): Promise<string>;
  /** kill -9 of member `index` (0-based): it dies at once; the others go on. */
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A member could not listen: a port picked free was taken by another process before etcd bound it. */
class PortTaken extends Error {}

/** Starting a cluster again on other ports when a port picked free was taken meanwhile (another test listened on it first). */
const START_ATTEMPTS = 3;

export async function startEtcd(opts: { members?: 1 | 3 } = {}): Promise<EtcdCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdOnce(opts.members ?? 1);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startEtcdOnce(count: number): Promise<EtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kubemock-etcd-'));
  const members = [];
  for (let i = 0; i < count; i++) members.push({ name: `m${i}`, client: await freePort(), peer: await freePort() });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',');
  const endpoints = members.map((m) => `http://127.0.0.1:${m.client}`);
  const token = `kubemock-${process.pid}-${Date.now()}`;
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  /** Why a member is gone before the cluster was healthy (a member that cannot listen exits at once). */
  let exited: string | undefined;
  for (const m of members) {
    const p = spawn(
      ETCD,
      [
        `--name=${m.name}`,
        `--data-dir=${join(dir, m.name)}`,
        `--listen-client-urls=http://127.0.0.1:${m.client}`,
        `--advertise-client-urls=http://127.0.0.1:${m.client}`,
        `--listen-peer-urls=http://127.0.0.1:${m.peer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${m.peer}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-token=${token}`,
        '--initial-cluster-state=new',
        '--logger=zap',
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    p.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    p.once('exit', (code, signal) => (exited ??= `member ${m.name} exited (${signal ?? `code ${code}`})`));
    procs.push(p);
  }
  const etcdctl = async (...args: string[]) =>
    (await run(ETCDCTL, [`--endpoints=${endpoints.join(',')}`, ...args], { env: { ...process.env, ETCDCTL_API: '3' } })).stdout;
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A member gone ends the wait at once: the cluster cannot become healthy without it.
    await waitFor(async () => exited ?? (await etcdctl('endpoint', 'health', '--cluster=false')), { timeoutMs: 30_000, intervalMs: 100 });
    if (exited) throw new Error(exited);
  } catch (err) {
    await stop();
    const log = logs.join('');
    const message = `etcd did not become healthy: ${(err as Error).message}\n${log}`;
    throw log.includes('address already in use') ? new PortTaken(message) : new Error(message, { cause: err });
  }
  const kill = async (index: number) => {
    const p = procs[index];
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGKILL');
    await exited;
  };
  return { endpoints, etcdctl, kill, stop };
}
