/**
 * The command's second part, loaded by src/main.ts once it listens and has printed its banner (a
 * bundle of its own when built, dist/cli-app.cjs, with its own code cache): builds the app on the
 * settings, the database lock and the socket main.ts holds, listens, makes the nodes, and only then
 * lets the held connections in (src/early-listener.ts), so that every request meets the server the
 * banner announces.
 */
import type { ProgressCallback } from './apimachinery/progress.js';
import { ManualClock } from './apimachinery/clock.js';
import { buildApp, type Kubemock } from './app.js';
import { defaultLogFormat, type KubemockConfig } from './config.js';
import type { EarlyListener } from './early-listener.js';
import { boundHeapGrowth } from './heap-headroom.js';
import type { SecureServing } from './secure-serving.js';
import type { DatabaseLock } from './storage/database-lock.js';
import { writerThreadStart } from './storage/open-storage.js';

export interface StartHandOver {
  /** Certificates and tokens (secureServing), with the dashboard's token. */
  secure: SecureServing;
  /** The database file's lock, taken by main.ts before it wrote anything. */
  lock?: DatabaseLock;
  /** The socket main.ts bound; without it (a host name to resolve) Fastify binds as it would. */
  early?: EarlyListener;
  /** Long work's progress, on a terminal. */
  progress: ProgressCallback;
}

/** Builds, listens and makes the nodes; resolves once the server serves what the banner says (held requests included). */
export async function startApp(config: KubemockConfig, handOver: StartHandOver): Promise<Kubemock> {
  const { secure, early, progress } = handOver;
  // With the writer thread the serving thread allocates faster, and V8 lets its heap grow by as much again (heap-headroom.ts).
  if (writerThreadStart({ db: config.db, etcd: config.etcdServers.length > 0, writerThread: config.writerThread }) !== undefined)
    boundHeapGrowth();
  const kubemock: Kubemock = await buildApp({
    tls: secure.tls,
    authentication: secure.authentication,
    db: config.db,
    databaseLock: handOver.lock,
    serverFactory: early?.serverFactory,
    ...(config.etcdServers.length
      ? { etcd: { servers: config.etcdServers, prefix: config.etcdPrefix, compactionIntervalMs: config.etcdCompactionInterval } }
      : {}),
    logLevel: config.logLevel,
    logFormat: config.logFormat ?? defaultLogFormat(process.stdout),
    onProgress: progress,
    clock: config.clock === 'manual' ? new ManualClock(Date.now()) : undefined,
    crds: config.crds,
    fixtures: config.fixtures || undefined,
    journalSize: config.journalSize,
    retainedEvents: config.history,
    writerThread: config.writerThread,
    serviceNetwork: { clusterIPRange: config.serviceClusterIPRange, nodePortRange: config.serviceNodePortRange },
    eventTtlMs: config.eventTtl,
    // A shared server's runaway client gets 429s before it starves the others (client-go retries them).
    clientLimits: { maxInFlight: config.maxRequestsPerClient, maxQueued: config.maxQueuedPerClient },
    // On by default, as kube-controller-manager's --leader-elect: alone on its SQLite file, this process leads and holds every shard at once.
    leaderElection: config.leaderElect && {
      leaseDurationMs: config.leaderElectLeaseDuration,
      renewDeadlineMs: config.leaderElectRenewDeadline,
      retryPeriodMs: config.leaderElectRetryPeriod,
      kubeletShards: config.kubeletShards,
    },
    simulation: {
      podStartupMs: config.podStartupMs,
      containerStopMs: config.containerStopMs,
      maxTerminationMs: config.maxTerminationMs,
      failingImagePattern: config.failingImages,
      nodeHeartbeatMs: config.nodeHeartbeatMs,
    },
  });
  try {
    // The last onListen hook: the app's own (the `kubernetes` Endpoints get the port) have run when it does.
    const hooksRun = new Promise<void>((resolve) => kubemock.fastify.addHook('onListen', async () => resolve()));
    await kubemock.fastify.listen({ host: config.host, port: early ? early.address.port : config.port });
    await hooksRun;
    if (config.nodes > 0) await kubemock.ensureNodes(config.nodes, progress);
    early?.release();
    return kubemock;
  } catch (err) {
    await kubemock.close().catch(() => {});
    throw err;
  }
}
