/**
 * Builds kubemock: database, migrations, registry, HTTP routes, controllers and the simulated
 * kubelets, and wires them together (the layers below never import each other sideways: the
 * routes get the kubelets' log endpoint, chaos and the kubelet controllers get one KubeletState).
 * Never listens; main.ts (or a test) does.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { MAX_REQUEST_BODY_BYTES } from './apimachinery/status.js';
import { realClock, type Clock } from './apimachinery/clock.js';
import { openStorage } from './storage/open-storage.js';
import type { DatabaseLock } from './storage/database-lock.js';
import type { EtcdOptions } from './storage/etcd/etcd-store.js';
import { registerDurableReplies } from './http/durable-replies.js';
import { Registry } from './registry/registry.js';
import type { WatchWindowSettings } from './registry/watch-window.js';
import { ObjectExpiry } from './registry/object-expiry.js';
import type { ServiceNetwork } from './registry/resource-definition.js';
import { resources } from './resources/index.js';
import { badUrl, registerErrorHandling } from './http/error-handler.js';
import { answerClientError, lingerOnServerClose } from './http/client-errors.js';
import { registerClientLimits, type ClientLimitSettings } from './http/client-limits.js';
import { decorateRequestUser } from './http/auth/request-user.js';
import { registerAuthentication } from './http/auth/authentication.js';
import type { UserInfo } from './apimachinery/user-info.js';
import { registerAuthorization } from './http/auth/authorization.js';
import { RbacAuthorizer } from './resources/rbac-policy/authorizer.js';
import { clusterReader } from './registry/cluster-reader.js';
import { discoveryRoutes } from './http/routes/discovery.js';
import { openapiRoutes } from './http/routes/openapi.js';
import { resourceRoutes } from './http/routes/resources.js';
import { simulatedKubelets } from './kubelet/container-logs.js';
import { KubeletState } from './kubelet/kubelet-state.js';
import { DEFAULT_WATCH_SETTINGS, WatchRegistry, type WatchSettings } from './http/watch-registry.js';
import { WatchFanOut } from './http/watch-fan-out.js';
import { ensureBootstrapPolicy, ensureDefaultNamespaces, ensureNodes, ensureSystemServices } from './control/bootstrap.js';
import { DEFAULT_API_SERVER_PORT, ensureKubernetesService } from './resources/services/kubernetes-service.js';
import type { StoredService } from './resources/stored.js';
import type { Manager } from './controllers/runtime/manager.js';
import { EventRecorder } from './controllers/events/recorder.js';
import { DEFAULT_CONTROLLER_SETTINGS, type ControllerSettings } from './controllers/context.js';
import { subresourceHandlers } from './http/subresources/index.js';
import { TokenIssuer } from './resources/serviceaccounts/token-issuer.js';
import { ControlPlane } from './control/control-plane.js';
import { controlApi } from './http/control/routes.js';
import { dashboard, isDashboardFile } from './http/dashboard/routes.js';
import { lazySchemaCompilers } from './http/lazy-schema-compilers.js';
import { HEAD_TWINS_OFF, registerHeadWithGet } from './http/head-routes.js';
import { RouteGroup } from './http/route-group.js';
import { loadFixtures, readFixtures, type Fixture } from './fixtures.js';
import { assertEstablished, installCrds, readCrds } from './crds.js';
import type { KubeObject } from './apimachinery/object.js';
import { syncApiServerEndpoints, type AdvertisedAddress } from './controllers/apiserver-endpoints/sync.js';
import { ADVERTISED_ADDRESS } from './registry/service-network.js';
import { CrdController } from './controllers/crd/controller.js';
import { AppMetrics } from './control/metrics.js';
import { registerRequestMetrics } from './http/request-metrics.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { queueName } from './controllers/queue-names.js';
import { ActionLog } from './controllers/runtime/action-log.js';
import { registerRequestLog } from './http/request-log.js';
import { loggerSettings, type LogDestination } from './logging.js';
import type { LogFormat } from './config.js';
import type { ProgressCallback } from './apimachinery/progress.js';
import { Replica, type ReplicaCoordination } from './replica.js';

/** kube-apiserver's MaxHeaderBytes (Go's DefaultMaxHeaderBytes): a request line and headers up to 1 MiB (Node's default is 16 KiB); more is a 431. */
const MAX_HEADER_BYTES = 1 << 20;

export interface AppOptions {
  /** SQLite file path, or ':memory:' (unused when `etcd` is given). */
  db: string;
  /** The file's lock, taken already (the command takes it before it listens): the store keeps it instead of locking again. */
  databaseLock?: DatabaseLock;
  /**
   * Makes the app's HTTP server (Fastify's option): the command's, on a socket bound before the app
   * was loaded (src/early-listener.ts). Default: Fastify's own server, bound by `listen()`.
   */
  serverFactory?: FastifyServerFactory;
  /** Store objects in etcd v3 instead of SQLite (--etcd-servers, --etcd-prefix, --etcd-compaction-interval). */
  etcd?: EtcdOptions;
  logLevel?: string;
  /** JSON lines (the default) or text for a terminal. */
  logFormat?: LogFormat;
  /** Where log lines go (default stdout). */
  logDestination?: LogDestination;
  /** Long start-up work (fixtures) reports how far it got, to show progress on a terminal. */
  onProgress?: ProgressCallback;
  /** Run the controllers, scheduler and kubelet (default true). */
  controllers?: boolean;
  clock?: Clock;
  watch?: Partial<WatchSettings>;
  /** Revision-log rows kept for watches and paged lists (older resourceVersions answer 410). */
  retainedEvents?: number;
  /** A database file's writes on a thread of their own: true once 1,000 log rows come within a minute, a number of rows instead (0: at once); false, the default: never. */
  writerThread?: boolean | number;
  /** How far back watches may resume, per resource (default: kube-apiserver's watch cache sizing). */
  watchWindow?: Partial<WatchWindowSettings>;
  /** How long a read of a resourceVersion not reached yet waits for it (default 3 s, as kube-apiserver's watch cache). */
  freshnessWaitMs?: number;
  /** Simulation knobs of the kubelet and controllers. */
  simulation?: Partial<ControllerSettings>;
  /**
   * CustomResourceDefinitions installed at start, before the fixtures and the controllers: YAML/JSON
   * files, folders of them (as `config/crd/bases`), or objects. The build fails unless each is valid
   * and Established.
   */
  crds?: readonly (string | KubeObject)[];
  /** Objects created at start, before the controllers start: a YAML/JSON file or folder, or parsed fixtures. */
  fixtures?: string | Fixture[];
  /** Entries the request journal keeps (default 10,000). */
  journalSize?: number;
  /** The service CIDR and node port range (default 10.96.0.0/12 and 30000-32767). */
  serviceNetwork?: ServiceNetwork;
  /** Per-client concurrency and queue, answered 429 beyond (default: none, as a test owns its server). */
  clientLimits?: ClientLimitSettings;
  /** How long an Event lives after its last write (kube-apiserver's --event-ttl, default 1 h; 0: forever). */
  eventTtlMs?: number;
  /** Serve HTTPS with these PEMs (src/control/pki.ts makes them); requests are then always authenticated. */
  tls?: TlsOptions;
  /** Authenticate requests (on with `tls`); off, every request is the unsecured user of system:masters. */
  authentication?: boolean | { tokens?: ReadonlyMap<string, UserInfo> };
  /**
   * Run the controllers in one replica at a time, elected through the `kube-controller-manager`
   * Lease in kube-system, and spread the simulated kubelets over shard Leases (the CLI's
   * --leader-elect, on by default there). Default off: everything runs at once, no Lease is written.
   */
  leaderElection?: boolean | LeaderElectionOptions;
}

/** Leader election and kubelet shards: kube-controller-manager's timings (15 s, 10 s, 2 s by default), shards (default 8). */
export type LeaderElectionOptions = ReplicaCoordination;

export interface TlsOptions {
  /** The serving certificate (and chain) and its private key. */
  cert: string;
  key: string;
  /** The CA bundle clients verify the server with (published as kube-root-ca.crt). */
  serverCa: string;
  /** The CA bundle client certificates are verified against. */
  clientCa: string;
}

/** kube-apiserver's default --event-ttl. */
export const DEFAULT_EVENT_TTL_MS = 3600_000;

export interface Kubemock {
  fastify: FastifyInstance;
  registry: Registry;
  /** The controllers' manager, when controllers run. */
  manager?: Manager;
  /** This replica's controllers and kubelets, their Leases and its leadership, when controllers run. */
  replica?: Replica;
  /** Faults, chaos, journal, snapshots, clock: what the control API at /kubemock/v1 drives. */
  control: ControlPlane;
  /** The simulated kubelets' state that chaos changes (which nodes are cut off from the API server). */
  kubelets: KubeletState;
  clock: Clock;
  /** What signs service account tokens (serviceaccounts/token); its public key verifies them. */
  tokens: TokenIssuer;
  /** Ensure Ready nodes node-1 … node-N exist (reporting how far it got to onProgress). */
  ensureNodes(count: number, onProgress?: ProgressCallback): Promise<void>;
  close(): Promise<void>;
}

export async function buildApp(opts: AppOptions): Promise<Kubemock> {
  const opened = openStorage({
    db: opts.db,
    retainedEvents: opts.retainedEvents,
    etcd: opts.etcd,
    lock: opts.databaseLock,
    writerThread: opts.writerThread,
  });
  const controllers = opts.controllers ?? true;
  const clock = opts.clock ?? realClock;
  const registry = new Registry(opened.storage, resources, {
    clock,
    gracefulDeletion: controllers,
    garbageCollection: controllers,
    watchWindow: opts.watchWindow,
    freshnessWaitMs: opts.freshnessWaitMs,
    serviceNetwork: opts.serviceNetwork,
  });
  // Several replicas on one etcd: each follows what the others commit, from before its own first write.
  // Changes compacted before they arrived end open watches and refill caches (the control plane, once built).
  let onChangesLost = () => registry.hub.reset();
  if (opened.changes) registry.feed.follow(opened.changes, () => onChangesLost());
  ensureDefaultNamespaces(registry);
  ensureSystemServices(registry, DEFAULT_API_SERVER_PORT);
  ensureBootstrapPolicy(registry);

  // Client certificates are asked for, never required: the authenticator checks socket.authorized.
  const https = opts.tls && {
    key: opts.tls.key,
    cert: opts.tls.cert,
    ca: opts.tls.clientCa,
    requestCert: true,
    rejectUnauthorized: false,
    maxHeaderSize: MAX_HEADER_BYTES,
  };
  const fastify = Fastify({
    ...(https ? { https } : { http: { maxHeaderSize: MAX_HEADER_BYTES } }),
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    // A silent server (the library's default) has Fastify's null logger: pino is never loaded.
    logger: opts.logLevel === 'silent' ? false : loggerSettings(opts.logLevel ?? 'info', opts.logFormat ?? 'json', opts.logDestination),
    // Fastify's two lines per request are replaced by one at debug (registerRequestLog).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    forceCloseConnections: true,
    clientErrorHandler: answerClientError,
    schemaController: { compilersFactory: lazySchemaCompilers() },
    frameworkErrors: badUrl,
    // Our plugins are async functions that end or throw: no timer per plugin to catch one that never calls done().
    pluginTimeout: 0,
    ...HEAD_TWINS_OFF,
  }) as unknown as FastifyInstance; // an https server is typed apart, but routes and hooks are the same
  lingerOnServerClose(fastify.server);
  registerHeadWithGet(fastify);
  const authentication = opts.tls ? (typeof opts.authentication === 'object' ? opts.authentication : {}) : opts.authentication;
  const tokens = new TokenIssuer();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerErrorHandling(fastify);
  registerRequestLog(fastify);
  // The request journal (the control plane's, built below) notes each reply's resourceVersion in the same onSend hook.
  registerDurableReplies(fastify, registry.storage, (request, payload) => control.journal.notePayload(request, payload));
  decorateRequestUser(fastify);
  // Authentication and authorization read what they check (accounts, bound objects, roles) straight from storage.
  const cluster = clusterReader(registry.storage);
  if (authentication)
    registerAuthentication(fastify, { ...(authentication === true ? {} : authentication), issuer: tokens, cluster, clock });
  // Authorization (with impersonation) after authentication's hook: always on; system:masters passes at once.
  const authorizer = new RbacAuthorizer(cluster, registry.hub);
  registerAuthorization(fastify, authorizer, isDashboardFile);
  // Per-client limits hold requests at preParsing, after both onRequest hooks: a client is the (impersonated) user, as for upstream's APF.
  if (opts.clientLimits) registerClientLimits(fastify, opts.clientLimits);
  // Part of the API server (CRD status, serving custom resources), so it runs without the controllers too.
  const crds = new CrdController(registry, clock, fastify.log);
  try {
    const installed = opts.crds?.length ? installCrds(registry, readCrds(opts.crds)) : [];
    crds.syncAll();
    assertEstablished(registry, installed);
    // After the CRDs: fixtures may hold custom objects.
    if (opts.fixtures)
      loadFixtures(registry, typeof opts.fixtures === 'string' ? readFixtures(opts.fixtures) : opts.fixtures, opts.onProgress);
  } catch (err) {
    crds.stop();
    void registry.feed.close();
    opened.close();
    throw err;
  }
  // Also part of the API server: Events expire --event-ttl after their last write.
  const eventTtlMs = opts.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
  const eventExpiry = eventTtlMs > 0 ? new ObjectExpiry(registry.store('events'), registry.hub, clock, eventTtlMs) : undefined;
  eventExpiry?.start();
  const watches = new WatchRegistry();
  const events = new EventRecorder(registry, clock);
  const kubelets = new KubeletState();
  const control = new ControlPlane({
    sqlite: opened.sqlite,
    registry,
    clock,
    events,
    watches,
    kubelets,
    manager: () => manager,
    journalSize: opts.journalSize,
  });
  const metrics = new AppMetrics({
    registry,
    watches,
    faults: control.faults,
    reachability: kubelets.reachability,
    cache: () => manager?.cache,
  });
  // After authentication and authorization (their refusals are not counted), before the faults (their answers are).
  registerRequestMetrics(fastify, metrics.apiserver, { served: (i) => registry.lookup(i.group, i.version, i.resource) !== undefined });
  // The GET paths outside /api/, /apis/ and /kubemock/ (discovery's roots, health, version, metrics, OpenAPI): one
  // table behind one route, mounted once all are in.
  const rootPaths = new RouteGroup();
  // The route plugins are called on the app, not registered: none has hooks or decorations to keep to itself (the
  // control API's are the app's, as fastify-plugin makes them), and a registered plugin's turn in avvio (and its own
  // context) costs a start more than its routes.
  await metricsRoutes(fastify, { registry: metrics.registry, rootPaths });
  onChangesLost = () => control.expireWatches('etcd compacted changes before this replica saw them');
  await controlApi(fastify, { control });
  await dashboard(fastify);
  await discoveryRoutes(fastify, { definitions: registry.served, rootPaths });
  await openapiRoutes(fastify, { definitions: registry.served, generation: () => registry.generation, rootPaths });
  rootPaths.mount(fastify, ['/*']);
  await resourceRoutes(fastify, {
    registry,
    watches,
    metrics: metrics.apiserver,
    watchSettings: { ...DEFAULT_WATCH_SETTINGS, ...opts.watch },
    watchFanOut: new WatchFanOut(),
    subresources: subresourceHandlers(simulatedKubelets(registry, kubelets.reachability), tokens),
    authorizer,
  });
  fastify.addHook('preClose', async () => watches.closeAll());
  // Once listening, the `kubernetes` Endpoints and EndpointSlice name the port (the endpoint reconciler keeps them so).
  const apiServer: { advertised?: AdvertisedAddress; caBundle?: string } = { caBundle: opts.tls?.serverCa };
  fastify.addHook('onListen', async () => {
    const listening = fastify.server.address();
    if (!listening || typeof listening === 'string') return;
    apiServer.advertised = { address: ADVERTISED_ADDRESS, port: listening.port };
    syncApiServerEndpoints(registry, apiServer.advertised);
    ensureKubernetesService(registry.store<StoredService>('services'), registry.serviceNetwork, listening.port);
  });

  let manager: Manager | undefined;
  const actions = new ActionLog(fastify.log);
  let replica: Replica | undefined;
  if (controllers) {
    const election = opts.leaderElection === true ? {} : opts.leaderElection || undefined;
    replica = new Replica({
      registry,
      clock,
      events,
      log: fastify.log,
      actions,
      queueMetrics: (name) => metrics.workqueues.forQueue(queueName(name)),
      settings: { ...DEFAULT_CONTROLLER_SETTINGS, ...opts.simulation },
      kubelets,
      apiServer,
      // SQLite is owned by this process alone: a Lease left by a previous run is taken over at once. On etcd other
      // replicas may hold it: it is waited out.
      coordination: election && { ...election, exclusiveStore: election.exclusiveStore ?? !opts.etcd },
    });
    manager = replica.manager;
    replica.start();
  }

  let closed = false;
  return {
    fastify,
    registry,
    manager,
    replica,
    control,
    kubelets,
    clock,
    tokens,
    ensureNodes: async (count: number, onProgress?: ProgressCallback) => ensureNodes(registry, count, onProgress),
    close: async () => {
      if (closed) return;
      closed = true;
      await replica?.stop();
      actions.flush();
      crds.stop();
      eventExpiry?.stop();
      events.stop();
      authorizer.close();
      await fastify.close();
      registry.flushBatch();
      await registry.feed.close();
      control.close();
      opened.close();
    },
  };
}
