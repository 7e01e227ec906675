#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { isIPv4, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { packagePath } from './apimachinery/package-root.js';
import type { Kubemock } from './app.js';
import { ConfigError, helpText, parseCommandLine, type CliCommand, type KubemockConfig } from './config.js';
import { serverUrl, writeKubeconfig } from './kubeconfig.js';
import { startupBanner } from './banner.js';
import { terminalProgress } from './terminal-progress.js';
import { listenEarly, type EarlyListener } from './early-listener.js';
import { isDatabaseFile, lockDatabaseFile, type DatabaseLock } from './storage/database-lock.js';
import type { SecureServing } from './secure-serving.js';
import { DASHBOARD_PATH } from './http/dashboard/dashboard-path.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The store's file, locked unless the store is in memory or on etcd (one kubemock per file; src/storage/database-lock.ts). */
function lockStore(config: KubemockConfig): DatabaseLock | undefined {
  if (config.etcdServers.length || !isDatabaseFile(config.db)) return undefined;
  return lockDatabaseFile(config.db);
}

/** An IP address is bound at once; a name (`localhost`: 127.0.0.1 and ::1) is left to Fastify, which binds each of its addresses. */
const isIpAddress = (host: string) => host.includes(':') || isIPv4(host);

/**
 * Writes the kubeconfig and prints the banner. Over TLS, the kubeconfig has the CA and the admin's
 * client certificate; over http, insecure-skip-tls-verify: harmless to kubectl, and needed by
 * @kubernetes/client-node.
 */
async function announce(config: KubemockConfig, port: number, secure: SecureServing, dashboardToken: string | undefined): Promise<void> {
  const url = serverUrl(config.host, port, !!secure.pki);
  const kubeconfigPath = resolve(config.kubeconfig);
  const credentials = secure.pki
    ? await (await import('./secure-serving.js')).adminKubeconfig(secure.pki)
    : { insecureSkipTlsVerify: true };
  await writeKubeconfig(kubeconfigPath, url, credentials);
  process.stdout.write(
    startupBanner({
      version: version(),
      url,
      dashboardUrl: `${url}${DASHBOARD_PATH}${dashboardToken ? `#token=${dashboardToken}` : ''}`,
      kubeconfigPath,
    }),
  );
}

/**
 * The app part (src/cli-app.ts): from its own bundle with its code cache when built
 * (scripts/bundle.ts resolves this import to dist/cli-app.cjs), from the sources otherwise.
 */
async function loadAppPart(): Promise<typeof import('./cli-app.js')> {
  return import('./cli-app.js');
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
  // Taken before anything is written: a second kubemock on the file leaves the first one's kubeconfig alone. The
  // store takes it over.
  const lock = lockStore(config);
  let early: EarlyListener | undefined;
  let kubemock: Kubemock | undefined;
  // Settled when the start is: a signal during it waits for the server, then closes it (a failed start is reported by
  // main's caller).
  let started: (outcome: Promise<Kubemock>) => void = () => {};
  const starting = new Promise<Kubemock>((resolve) => (started = resolve));
  starting.catch(() => {}); // a failed start is main's caller's to report, with or without a signal
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1); // a second signal: stop waiting
    closing = true;
    starting
      .then(
        (server) => server.close(),
        () => new Promise<never>(() => {}),
      )
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`kubemock: error while closing after ${signal}: ${String(err)}\n`);
          process.exit(1);
        },
      );
  };
  // Before the banner: a signal sent as soon as it is printed must find the handlers (the default one kills the
  // process without closing the server or releasing the lock).
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  try {
    // Certificates are read or made only when TLS is on, so a plain start pays nothing for them.
    // With authentication on, the dashboard gets a token of its own (the banner's URL carries it).
    const { secureServing, withDashboardToken } = await import('./secure-serving.js');
    const { secure, token: dashboardToken } = withDashboardToken(await secureServing(config));
    // Listening, the kubeconfig and the banner come before the app is loaded; connections wait for it (src/early-listener.ts).
    if (isIpAddress(config.host)) {
      early = await listenEarly(config.host, config.port);
      await announce(config, early.address.port, secure, dashboardToken);
    }
    const { startApp } = await loadAppPart();
    // Long work (thousands of nodes, big fixtures) shows how far it got on a terminal's stderr.
    const app = startApp(config, { secure, lock, early, progress: terminalProgress(process.stderr).report });
    started(app);
    kubemock = await app;
    if (!early) await announce(config, (kubemock.fastify.server.address() as AddressInfo).port, secure, dashboardToken);
  } catch (err) {
    started(Promise.reject(err instanceof Error ? err : new Error(String(err))));
    closing = true;
    early?.close();
    await kubemock?.close().catch(() => {});
    lock?.release();
    throw err;
  }
}

/** Exit codes: 2 a bad flag or value, 3 the database file is in use by another process, 1 any other failure. */
main().catch((err: unknown) => {
  process.stderr.write(`kubemock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof Error && err.name === 'DatabaseInUseError' ? 3 : 1);
});
