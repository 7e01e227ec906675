/**
 * kubemock as a library: `startKubemock()` gives a Kubernetes API server with controllers on an
 * in-memory database, listening on 127.0.0.1 on a free port, with a kubeconfig for any client,
 * plus helpers for tests (nodes, chaos, faults, journal, snapshots, a manual clock, waits).
 *
 *   const cluster = await startKubemock({ clock: 'manual' });
 *   // KUBECONFIG=cluster.kubeconfigPath, or kc.loadFromString(cluster.kubeconfig)
 *   await cluster.stop();
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp, type AppOptions, type Kubemock, type LeaderElectionOptions } from './app.js';
import { ManualClock, realClock, type Clock } from './apimachinery/clock.js';
import type { KubeObject } from './apimachinery/object.js';
import type { LogLevel } from './config.js';
import type { ControlPlane } from './control/control-plane.js';
import type { ControllerSettings } from './controllers/context.js';
import type { Fixture } from './fixtures.js';
import type { FaultRule } from './http/control/faults.js';
import type { JournalEntry, JournalQuery } from './http/control/journal.js';
import type { WatchSettings } from './http/watch-registry.js';
import type { ClientLimitSettings } from './http/client-limits.js';
import type { ChaosRequest, ChaosResult } from './kubelet/chaos/index.js';
import { kubeconfigYaml, serverUrl, writeKubeconfig, writeKubeconfigFile, type KubeconfigOptions } from './kubeconfig.js';
import { adminKubeconfig, certificateKubeconfig, secureServing } from './secure-serving.js';
import type { ServerPki } from './control/pki.js';
import { API_AUDIENCES, tokenClaims } from './resources/serviceaccounts/token-request.js';
import { listPods, waitFor, waitForPods, type PodQuery, type WaitOptions } from './library/wait.js';

export interface StartOptions {
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** TCP port (default 0: any free port). */
  port?: number;
  /** SQLite file, or ':memory:' (the default). */
  db?: string;
  /**
   * A database file's writes on a thread of their own, as the CLI's --writer-thread: true after the
   * first 1,000 log rows written within a minute, a number of rows instead (0: at once); false, the default: never.
   */
  writerThread?: boolean | number;
  /** etcd v3 client URLs: keep objects in etcd instead of SQLite (as kube-apiserver's --etcd-servers). */
  etcdServers?: string[];
  /** The prefix of every etcd key (default /registry). */
  etcdPrefix?: string;
  /** How often etcd's history is compacted, in milliseconds (default 5 minutes; 0: never). */
  etcdCompactionIntervalMs?: number;
  /** Where to write the kubeconfig (default: a fresh temporary folder, removed by stop()); false: write none. */
  kubeconfig?: string | false;
  /** Ready nodes node-1..node-N created at start (default 3, as the CLI). */
  nodes?: number;
  /** Default 'silent'. */
  logLevel?: LogLevel;
  /** 'real' (default), 'manual' (frozen until advanceClock), or a Clock of your own. */
  clock?: 'real' | 'manual' | Clock;
  /** Where a manual clock starts (ms since the epoch; default now). */
  clockStart?: number;
  /**
   * CustomResourceDefinitions to install before the controllers start: paths of YAML/JSON files or
   * folders (an operator's `config/crd/bases`; multi-document YAML), or CRD objects. startKubemock
   * resolves once every one is Established, and rejects naming the file and the field error of a bad one.
   */
  crds?: (string | KubeObject)[];
  /** Objects created at start (after the CRDs): a YAML/JSON file or folder, or objects. */
  fixtures?: string | KubeObject[];
  /** Entries the request journal keeps (default 10,000). */
  journalSize?: number;
  /** Run the controllers, scheduler and simulated kubelets (default true). */
  controllers?: boolean;
  simulation?: Partial<ControllerSettings>;
  watch?: Partial<WatchSettings>;
  retainedEvents?: number;
  /** How long a read of a resourceVersion not reached yet waits for it before the 504 (default 3 s, as kube-apiserver's watch cache). */
  freshnessWaitMs?: number;
  /** How long an Event lives after its last write, in ms (default 1 h, as kube-apiserver; 0: forever). */
  eventTtlMs?: number;
  /** Per-client concurrency and queue, 429 beyond (default: none; the CLI's are 20 and 200). */
  clientLimits?: ClientLimitSettings;
  /**
   * Serve HTTPS with a CA made for this server (kept in `<db>.pki/` for a file database): the
   * kubeconfig carries the CA and the admin's client certificate. Requests are authenticated.
   */
  tls?: boolean;
  /**
   * Authenticate requests, over TLS (this turns `tls` on, so that client certificates can be
   * issued): the kubeconfig is the admin's (`kubernetes-admin` in `system:masters`), and
   * `kubeconfigFor` gives one for any user or service account.
   */
  auth?: boolean;
  /** A static token file, kube-apiserver's CSV format (`token,user,uid,"group1,group2"`). */
  tokenAuthFile?: string;
  /**
   * Elect the controllers through the kube-controller-manager Lease and spread the simulated
   * kubelets over kubelet shard Leases, as the CLI's --leader-elect does (default off: everything
   * runs at once and no Lease is written). Timings in ms (default 15 s, 10 s, 2 s), kubeletShards (8).
   */
  leaderElection?: boolean | LeaderElectionOptions;
}

/** Whom `kubeconfigFor` makes a kubeconfig for. */
export type Identity =
  /** A user with a client certificate from the server's CA: CN the user, O each group. */
  | { user: string; groups?: string[] }
  /**
   * A ServiceAccount (which must exist) with a token from the server's issuer, as TokenRequest gives
   * (default lifetime one year, so a manual clock advanced far does not expire it).
   */
  | { serviceAccount: { namespace: string; name: string }; expirationSeconds?: number };

export interface IdentityKubeconfig {
  /** The kubeconfig as YAML (cluster, context and user all named after the identity). */
  kubeconfig: string;
  /** Where it was written: in a temporary folder that stop() removes. */
  kubeconfigPath: string;
}

export interface KubemockServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The kubeconfig as YAML (cluster, context and user "kubemock"); with auth, the admin's. */
  kubeconfig: string;
  /** Where it was written (undefined with kubeconfig: false). */
  kubeconfigPath: string | undefined;
  kubemock: Kubemock;
  control: ControlPlane;
  clock: Clock;
  /** Closes the server and the database; removes the temporary kubeconfigs. */
  stop(): Promise<void>;
  /**
   * A kubeconfig acting as a user (client certificate) or a ServiceAccount (token), so a test runs
   * under that identity's RBAC. Needs `auth` or `tls` (and kubemock's own client CA).
   */
  kubeconfigFor(identity: Identity): Promise<IdentityKubeconfig>;
  /** Adds `count` nodes node-N (lowest free N), or the named ones; returns their names. */
  addNodes(what: number | string[]): Promise<string[]>;
  /** Ready (and reachable), or NotReady (the kubelet reports KubeletNotReady). */
  setNodeReady(name: string, ready: boolean): Promise<void>;
  /** Cuts a node's kubelet off (it goes Unknown after the grace period), or reconnects it. */
  setNodeReachable(name: string, reachable: boolean): Promise<void>;
  /** The machine is gone: its kubelet falls silent and the Node is deleted. */
  removeNode(name: string): Promise<void>;
  /** Chaos as data, as POST /kubemock/v1/chaos takes it. */
  chaos(request: ChaosRequest): ChaosResult;
  /** A fault rule, as POST /kubemock/v1/faults takes it. */
  addFault(spec: Record<string, unknown>): FaultRule;
  clearFaults(): void;
  journal(query?: JournalQuery): JournalEntry[];
  clearJournal(): void;
  /** Snapshots the whole state; returns its id. */
  snapshot(): string;
  restore(id: string): void;
  /** Advances a manual clock, letting the controllers catch up at each timer on the way. */
  advanceClock(ms: number): Promise<void>;
  /** Resolves once the controllers have nothing queued or running. */
  settle(): Promise<void>;
  waitFor<T>(fn: () => T | Promise<T>, opts?: WaitOptions): Promise<Exclude<T, false | undefined>>;
  waitForPods(query?: PodQuery): Promise<KubeObject[]>;
  /** The pods of a namespace (or all), optionally by label selector, read directly. */
  pods(query?: { namespace?: string; labelSelector?: string }): KubeObject[];
}

/** So that @kubernetes/client-node, too, accepts the http server. */
const HTTP_KUBECONFIG_OPTIONS = { insecureSkipTlsVerify: true };
/** What the library's kubeconfigFor gives a ServiceAccount token by default: a year. */
const IDENTITY_TOKEN_SECONDS = 365 * 24 * 3600;

function clockFor(opts: StartOptions): Clock {
  if (opts.clock === 'manual') return new ManualClock(opts.clockStart ?? Date.now());
  if (opts.clock === undefined || opts.clock === 'real') return realClock;
  return opts.clock;
}

export async function startKubemock(opts: StartOptions = {}): Promise<KubemockServer> {
  const clock = clockFor(opts);
  const appOptions: AppOptions = {
    db: opts.db ?? ':memory:',
    writerThread: opts.writerThread,
    logLevel: opts.logLevel ?? 'silent',
    clock,
    controllers: opts.controllers,
    simulation: opts.simulation,
    watch: opts.watch,
    retainedEvents: opts.retainedEvents,
    freshnessWaitMs: opts.freshnessWaitMs,
    journalSize: opts.journalSize,
    ...(opts.etcdServers?.length
      ? { etcd: { servers: opts.etcdServers, prefix: opts.etcdPrefix, compactionIntervalMs: opts.etcdCompactionIntervalMs } }
      : {}),
    crds: opts.crds,
    eventTtlMs: opts.eventTtlMs,
    clientLimits: opts.clientLimits,
    leaderElection: opts.leaderElection,
  };
  if (opts.fixtures !== undefined)
    appOptions.fixtures =
      typeof opts.fixtures === 'string' ? opts.fixtures : opts.fixtures.map((object, i): Fixture => ({ object, source: `fixtures[${i}]` }));
  const host = opts.host ?? '127.0.0.1';
  const secure = await secureServing({
    tls: opts.tls || opts.auth,
    auth: opts.auth,
    db: appOptions.db,
    host,
    tokenAuthFile: opts.tokenAuthFile,
  });
  appOptions.tls = secure.tls;
  appOptions.authentication = secure.authentication;
  const kubemock = await buildApp(appOptions);
  let tempDir: string | undefined;
  try {
    await kubemock.fastify.listen({ host, port: opts.port ?? 0 });
    const port = (kubemock.fastify.server.address() as AddressInfo).port;
    const url = serverUrl(host, port, !!secure.pki);
    const kubeconfigOptions = secure.pki ? await adminKubeconfig(secure.pki) : HTTP_KUBECONFIG_OPTIONS;
    tempDir = mkdtempSync(join(tmpdir(), 'kubemock-'));
    // Made once: the file and the handle's `kubeconfig` are the same text.
    const kubeconfig = kubeconfigYaml(url, 'kubemock', kubeconfigOptions);
    let kubeconfigPath: string | undefined;
    if (opts.kubeconfig !== false) {
      kubeconfigPath = opts.kubeconfig === undefined ? join(tempDir, 'kubeconfig') : resolve(opts.kubeconfig);
      writeKubeconfigFile(kubeconfigPath, kubeconfig);
    }
    if ((opts.nodes ?? 3) > 0) await kubemock.ensureNodes(opts.nodes ?? 3);
    return handle(kubemock, { url, port, kubeconfig, kubeconfigPath, tempDir, pki: secure.pki });
  } catch (err) {
    await kubemock.close().catch(() => undefined);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
}

interface Serving {
  url: string;
  port: number;
  /** The admin's (or anonymous) kubeconfig, as YAML. */
  kubeconfig: string;
  kubeconfigPath?: string;
  /** Holds the kubeconfigs this handle writes; removed by stop(). */
  tempDir: string;
  pki?: ServerPki;
}

/** The kubeconfig options of an identity: its client certificate, or a token for its ServiceAccount. */
async function identityOptions(kubemock: Kubemock, pki: ServerPki | undefined, identity: Identity): Promise<KubeconfigOptions> {
  if (!pki) throw new Error('kubeconfigFor needs a server started with auth: true (or tls: true)');
  if ('user' in identity) {
    if (!pki.issueClientCertificate) throw new Error("kubeconfigFor cannot issue client certificates: the client CA is not kubemock's");
    return certificateKubeconfig(pki, identity.user, identity.groups ?? []);
  }
  const { namespace, name } = identity.serviceAccount;
  const account = kubemock.registry.store('serviceaccounts').tryGet(namespace, name);
  if (!account) throw new Error(`kubeconfigFor: serviceaccount ${namespace}/${name} does not exist`);
  const spec = {
    audiences: [...API_AUDIENCES],
    expirationSeconds: identity.expirationSeconds ?? IDENTITY_TOKEN_SECONDS,
    boundObjectRef: null,
  };
  const subject = { serviceAccount: { namespace, name, uid: account.metadata.uid! } };
  const token = await kubemock.tokens.sign(tokenClaims(subject, spec, kubemock.clock.now(), randomUUID()));
  return { certificateAuthority: pki.serverCa, credentials: { token } };
}

/** A file-safe name for an identity's kubeconfig (cluster, context and user entries too). */
function identityName(identity: Identity): string {
  const raw = 'user' in identity ? identity.user : `${identity.serviceAccount.namespace}-${identity.serviceAccount.name}`;
  return raw.replace(/[^A-Za-z0-9._-]/g, '_');
}

function handle(kubemock: Kubemock, at: Serving): KubemockServer {
  const { control, registry } = kubemock;
  let written = 0;
  const chaos = (request: ChaosRequest) => control.chaos.apply(request);
  let stopped: Promise<void> | undefined;
  return {
    url: at.url,
    port: at.port,
    kubeconfig: at.kubeconfig,
    kubeconfigPath: at.kubeconfigPath,
    kubemock,
    control,
    clock: kubemock.clock,
    stop: () =>
      (stopped ??= (async () => {
        await kubemock.close();
        await rm(at.tempDir, { recursive: true, force: true });
      })()),
    kubeconfigFor: async (identity) => {
      const options = await identityOptions(kubemock, at.pki, identity);
      const name = identityName(identity);
      const kubeconfigPath = join(at.tempDir, `kubeconfig-${++written}-${name}`);
      return { kubeconfig: await writeKubeconfig(kubeconfigPath, at.url, options, name), kubeconfigPath };
    },
    addNodes: async (what) => control.addNodes(what),
    setNodeReady: async (name, ready) => void chaos({ action: ready ? 'node-ready' : 'node-not-ready', node: name }),
    setNodeReachable: async (name, reachable) => void chaos({ action: reachable ? 'node-ready' : 'node-unreachable', node: name }),
    removeNode: async (name) => void chaos({ action: 'node-gone', node: name }),
    chaos,
    addFault: (spec) => control.faults.add(spec),
    clearFaults: () => void control.faults.clear(),
    journal: (query) => control.journal.entries(query),
    clearJournal: () => void control.journal.clear(),
    snapshot: () => control.takeSnapshot().id,
    restore: (id) => void control.restoreSnapshot(id),
    advanceClock: async (ms) => void (await control.advanceClock(ms)),
    settle: () => control.settle(),
    waitFor: (fn, opts) => waitFor(fn, opts),
    waitForPods: (query) => waitForPods(registry, query),
    pods: (query) => listPods(registry, query),
  };
}

export { buildApp, type AppOptions, type Kubemock, type LeaderElectionOptions } from './app.js';
export type { Replica } from './replica.js';
export { ManualClock, realClock, type Clock } from './apimachinery/clock.js';
export type { KubeObject } from './apimachinery/object.js';
export type {
  ControllerRevision,
  ControllerRevisionList,
  DaemonSet,
  DaemonSetList,
  Event,
  EventList,
  Lease,
  LeaseList,
  Namespace,
  NamespaceList,
  Node,
  NodeList,
  Pod,
  PodList,
  Service,
  ServiceList,
} from './resources/schemas.js';
export type { Status } from './apimachinery/status.js';
export type { LogLevel, ClockMode } from './config.js';
export type { ControlPlane, ClockState } from './control/control-plane.js';
export type { ControllerSettings } from './controllers/context.js';
export { parseFixtures, readFixtures, type Fixture } from './fixtures.js';
export { CrdInstallError } from './crds.js';
export type { FaultRule } from './http/control/faults.js';
export type { FaultAction, FaultSpec } from './http/control/fault-rules.js';
export type { JournalEntry, JournalQuery } from './http/control/journal.js';
export type { WatchSettings } from './http/watch-registry.js';
export type { ClientLimitSettings } from './http/client-limits.js';
export type { ChaosRequest, ChaosResult, ChaosState } from './kubelet/chaos/index.js';
export type { SnapshotInfo } from './storage/snapshots.js';
export { DatabaseInUseError } from './storage/database-lock.js';
export { kubeconfigYaml } from './kubeconfig.js';
export { waitFor, type PodQuery, type WaitOptions } from './library/wait.js';
