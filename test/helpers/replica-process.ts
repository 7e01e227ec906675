/**
 * One kubemock replica as a process of its own (spawned by replicas.ts): the library on the etcd
 * named in its argument (JSON), listening on a free loopback port. It prints one JSON line (its
 * URL, kubeconfig and kubectl cache folder) once it serves, and shuts down on SIGTERM.
 */
import type { LeaderElectionOptions } from '../../src/app.js';
import { startServer } from './kubectl.js';

interface ReplicaConfig {
  servers: string[];
  prefix: string;
  nodes?: number;
  controllers?: boolean;
  leaderElection?: LeaderElectionOptions;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ReplicaConfig;
const server = await startServer({
  nodes: config.nodes ?? 0,
  app: {
    etcd: { servers: config.servers, prefix: config.prefix },
    controllers: config.controllers ?? false,
    logLevel: 'warn',
    ...(config.leaderElection ? { leaderElection: config.leaderElection } : {}),
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url, kubeconfigPath: server.kubeconfigPath, cacheDir: server.cacheDir })}\n`);
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
