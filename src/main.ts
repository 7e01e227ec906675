#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { packagePath } from './apimachinery/package-root.js';
import type { Kubemock } from './app.js';
import { ConfigError, defaultLogFormat, helpText, parseCommandLine, type CliCommand } from './config.js';
import { serverUrl, writeKubeconfig } from './kubeconfig.js';
import { startupBanner } from './banner.js';
import { terminalProgress } from './terminal-progress.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`kubemock: ${err.message}\nRun 'kubemock --help' for usage.\n`);
    process.exit(2);
  }
  if (command.kind === 'help') return void process.stdout.write(helpText());
  if (command.kind === 'version') return void process.stdout.write(`kubemock ${version()}\n`);

  const config = command.config;
  // Loaded only now, so --help, --version and bad flags answer at once.
  const { buildApp } = await import('./app.js');
  const { ManualClock } = await import('./apimachinery/clock.js');
  const { secureServing, adminKubeconfig, withDashboardToken } = await import('./secure-serving.js');
  // Certificates are read or made only when TLS is on, so a plain start pays nothing for them.
  // With authentication on, the dashboard gets a token of its own (the banner's URL carries it).
  const { secure, token: dashboardToken } = withDashboardToken(await secureServing(config));
  // Long work (thousands of nodes, big fixtures) shows how far it got on a terminal's stderr.
  const progress = terminalProgress(process.stderr);
  const kubemock: Kubemock = await buildApp({
    tls: secure.tls,
    authentication: secure.authentication,
    db: config.db,
    ...(config.etcdServers.length
      ? { etcd: { servers: config.etcdServers, prefix: config.etcdPrefix, compactionIntervalMs: config.etcdCompactionInterval } }
      : {}),
    logLevel: config.logLevel,
    logFormat: config.logFormat ?? defaultLogFormat(process.stdout),
    onProgress: progress.report,
    clock: config.clock === 'manual' ? new ManualClock(Date.now()) : undefined,
    crds: config.crds,
    fixtures: config.fixtures || undefined,
    journalSize: config.journalSize,
    retainedEvents: config.history,
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
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1); // a second signal: stop waiting
    closing = true;
    kubemock.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`kubemock: error while closing after ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await kubemock.fastify.listen({ host: config.host, port: config.port });
    const { port } = kubemock.fastify.server.address() as AddressInfo;
    const url = serverUrl(config.host, port, !!secure.pki);
    const kubeconfigPath = resolve(config.kubeconfig);
    // Over TLS, the CA and the admin's client certificate; over http, insecure-skip-tls-verify:
    // harmless to kubectl, and needed by @kubernetes/client-node.
    await writeKubeconfig(kubeconfigPath, url, secure.pki ? await adminKubeconfig(secure.pki) : { insecureSkipTlsVerify: true });
    if (config.nodes > 0) await kubemock.ensureNodes(config.nodes, progress.report);
    const { DASHBOARD_PATH } = await import('./http/dashboard/routes.js');
    process.stdout.write(
      startupBanner({
        version: version(),
        url,
        dashboardUrl: `${url}${DASHBOARD_PATH}${dashboardToken ? `#token=${dashboardToken}` : ''}`,
        kubeconfigPath,
      }),
    );
  } catch (err) {
    closing = true;
    await kubemock.close().catch(() => {});
    throw err;
  }
}

/** Exit codes: 2 a bad flag or value, 3 the database file is in use by another process, 1 any other failure. */
main().catch((err: unknown) => {
  process.stderr.write(`kubemock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof Error && err.name === 'DatabaseInUseError' ? 3 : 1);
});
