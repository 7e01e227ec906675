import { parseArgs } from 'node:util';
import { parsePortRange, type Ipv4Cidr, type PortRange } from './apimachinery/ipv4.js';
import { parseServiceClusterIPRange } from './registry/service-cluster-ip-range.js';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE } from './registry/service-network.js';
import { validateTiming } from './controllers/leader-election/leader-elector.js';

/** The levels Fastify's logger (pino) accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** JSON lines, or text for a person at a terminal. */
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The format when none is given: text on a terminal, JSON otherwise (a file, a pipe, a container's log). */
export function defaultLogFormat(stdout: { isTTY?: boolean }): LogFormat {
  return stdout.isTTY ? 'text' : 'json';
}

export interface KubemockConfig {
  host: string;
  /** 0 means "any free port". */
  port: number;
  /** SQLite file path, or ':memory:'. */
  db: string;
  /** etcd v3 client URLs to store objects in instead of SQLite (empty: SQLite). */
  etcdServers: string[];
  /** The root of every etcd key. */
  etcdPrefix: string;
  /** How often etcd's history is compacted, in milliseconds (0: never). */
  etcdCompactionInterval: number;
  /** Where the kubeconfig is written, as given (relative paths are resolved by the caller). */
  kubeconfig: string;
  /** Ready nodes node-1..node-N to ensure after listen. */
  nodes: number;
  logLevel: LogLevel;
  /** undefined: text when stdout is a terminal, JSON otherwise. */
  logFormat: LogFormat | undefined;
  /** 'manual': time stands still until advanced through the control API. */
  clock: ClockMode;
  /** CRD files or folders to install at start, before the fixtures (empty: none). */
  crds: string[];
  /** YAML/JSON file or folder of objects to create at start ('' = none). */
  fixtures: string;
  /** Entries the request journal keeps. */
  journalSize: number;
  /** Simulated kubelet: from binding to containers running. */
  podStartupMs: number;
  /** Simulated kubelet: how long a container takes to exit after SIGTERM. */
  containerStopMs: number;
  /** Upper bound on a pod's graceful termination ('' = the pod's own grace period). */
  maxTerminationMs: number | undefined;
  /** Images matching this glob never pull (ErrImagePull / ImagePullBackOff). */
  failingImages: string;
  /** Node heartbeat (Lease renewal) interval. */
  nodeHeartbeatMs: number;
  /** Revision-log rows kept for watch resumption and paged lists. */
  history: number;
  /** A database file's writes on a thread of their own, with the heap's growth bounded (see its flag's description). */
  writerThread: boolean;
  /** The service CIDR cluster IPs come from. */
  serviceClusterIPRange: Ipv4Cidr;
  /** The node ports NodePort and LoadBalancer Services get. */
  serviceNodePortRange: PortRange;
  /** How long an Event lives after its last write, in milliseconds (0: forever). */
  eventTtl: number;
  /** Requests of one client served at once (0: no per-client limits). */
  maxRequestsPerClient: number;
  /** Requests of one client waiting for a seat; more get 429. */
  maxQueuedPerClient: number;
  /** Serve HTTPS (and authenticate every request). */
  tls: boolean;
  /** Authenticate requests (client certificates, tokens, anonymous). */
  auth: boolean;
  /** The serving certificate and key ('' = made by kubemock's CA, kept beside the database). */
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  /** The CA bundle client certificates are verified against ('' = kubemock's CA). */
  clientCaFile: string;
  /** Static bearer tokens, kube-apiserver's CSV format ('' = none). */
  tokenAuthFile: string;
  /** Elect the controllers through the kube-controller-manager Lease and shard the kubelets (kube-controller-manager's --leader-elect). */
  leaderElect: boolean;
  /** Leader election timings, in milliseconds (kube-controller-manager's defaults 15 s, 10 s, 2 s). */
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  /** Shards (Leases) the simulated kubelets are spread over between replicas. */
  kubeletShards: number;
}

export const CLOCK_MODES = ['real', 'manual'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/** A bad flag or environment variable; the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigFlag {
  key: keyof KubemockConfig;
  flag: `--${string}`;
  env: `KUBEMOCK_${string}`;
  /** The default as it is written on the command line. */
  default: string;
  /** A switch: given without a value (its variable takes true or false). */
  boolean?: true;
  description: string;
  /** The flag may be given more than once (its values add up, as a comma-separated list does). */
  repeatable?: true;
}

/** Every setting: used by the parser, by --help, and checked against the README by a test. */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  {
    key: 'host',
    flag: '--host',
    env: 'KUBEMOCK_HOST',
    default: '127.0.0.1',
    description: 'Address to listen on (IPv6 allowed, e.g. ::1; 0.0.0.0 for every interface)',
  },
  { key: 'port', flag: '--port', env: 'KUBEMOCK_PORT', default: '8001', description: 'TCP port to listen on; 0 picks any free port' },
  {
    key: 'db',
    flag: '--db',
    env: 'KUBEMOCK_DB',
    default: './kubemock.db',
    description: 'SQLite database file (created if missing), or :memory:',
  },
  {
    key: 'etcdServers',
    flag: '--etcd-servers',
    env: 'KUBEMOCK_ETCD_SERVERS',
    default: '',
    description:
      "etcd v3 client URLs (comma-separated) to keep objects in instead of SQLite, laid out as kube-apiserver's --etcd-servers lays them out (empty: SQLite, --db)",
  },
  {
    key: 'etcdPrefix',
    flag: '--etcd-prefix',
    env: 'KUBEMOCK_ETCD_PREFIX',
    default: '/registry',
    description: 'The prefix of every etcd key (with --etcd-servers)',
  },
  {
    key: 'etcdCompactionInterval',
    flag: '--etcd-compaction-interval',
    env: 'KUBEMOCK_ETCD_COMPACTION_INTERVAL',
    default: '5m0s',
    description:
      "How often etcd's history is compacted, as a Go duration (0: never); resourceVersions from before the last compaction answer 410 Expired",
  },
  {
    key: 'kubeconfig',
    flag: '--kubeconfig',
    env: 'KUBEMOCK_KUBECONFIG',
    default: './kubeconfig',
    description: 'Where to write a kubeconfig for this server (cluster, context and user "kubemock")',
  },
  {
    key: 'nodes',
    flag: '--nodes',
    env: 'KUBEMOCK_NODES',
    default: '3',
    description: 'Ensure Ready nodes node-1..node-N exist after start (0: add none)',
  },
  {
    key: 'logLevel',
    flag: '--log-level',
    env: 'KUBEMOCK_LOG_LEVEL',
    default: 'info',
    description: `Log level: ${LOG_LEVELS.join('|')} (debug adds a line per request)`,
  },
  {
    key: 'logFormat',
    flag: '--log-format',
    env: 'KUBEMOCK_LOG_FORMAT',
    default: '',
    description: `Log format: ${LOG_FORMATS.join('|')} (empty: text when stdout is a terminal, json otherwise)`,
  },
  {
    key: 'clock',
    flag: '--clock',
    env: 'KUBEMOCK_CLOCK',
    default: 'real',
    description: 'real, or manual: time stands still until advanced with POST /kubemock/v1/clock/advance',
  },
  {
    key: 'crds',
    flag: '--crds',
    env: 'KUBEMOCK_CRDS',
    default: '',
    repeatable: true,
    description:
      'CustomResourceDefinition YAML or JSON files, or folders of them (as config/crd/bases), installed and Established at start; repeatable or comma-separated',
  },
  {
    key: 'fixtures',
    flag: '--fixtures',
    env: 'KUBEMOCK_FIXTURES',
    default: '',
    description: 'YAML or JSON file, or folder of them, whose objects are created at start (namespaces and nodes first)',
  },
  {
    key: 'podStartupMs',
    flag: '--pod-startup-ms',
    env: 'KUBEMOCK_POD_STARTUP_MS',
    default: '50',
    description: 'Simulated kubelet: milliseconds from a pod being bound to its containers running and Ready',
  },
  {
    key: 'containerStopMs',
    flag: '--container-stop-ms',
    env: 'KUBEMOCK_CONTAINER_STOP_MS',
    default: '100',
    description:
      'Simulated kubelet: milliseconds a container takes to exit after SIGTERM (a pod annotated kubemock.io/ignore-sigterm=true instead runs to the end of its grace period)',
  },
  {
    key: 'maxTerminationMs',
    flag: '--max-termination-ms',
    env: 'KUBEMOCK_MAX_TERMINATION_MS',
    default: '',
    description:
      'Cap in milliseconds on how long a container takes to stop (preStop hook, then SIGTERM up to the grace period), when its pod is deleted or it restarts (empty: no cap, as on a cluster)',
  },
  {
    key: 'failingImages',
    flag: '--failing-images',
    env: 'KUBEMOCK_FAILING_IMAGES',
    default: '*:non-existent',
    description: 'Images matching this glob never pull: their pods stay in ErrImagePull / ImagePullBackOff',
  },
  {
    key: 'nodeHeartbeatMs',
    flag: '--node-heartbeat-ms',
    env: 'KUBEMOCK_NODE_HEARTBEAT_MS',
    default: '10000',
    description: 'How often each simulated kubelet renews its node Lease',
  },
  {
    key: 'history',
    flag: '--history',
    env: 'KUBEMOCK_HISTORY',
    default: '100000',
    description:
      'Changes kept in the revision log for paged lists and watch replay (a watch also keeps to the watch window of its kind); older resourceVersions answer 410 Expired',
  },
  {
    key: 'writerThread',
    flag: '--writer-thread',
    env: 'KUBEMOCK_WRITER_THREAD',
    default: 'true',
    boolean: true,
    description:
      "Write the database file's revision log on a thread of its own once writes keep coming (1,000 log rows within a minute), and bound the heap's growth past what it keeps to 128 MB; --writer-thread=false keeps every write on the serving thread (no effect on :memory: or etcd)",
  },
  {
    key: 'serviceClusterIPRange',
    flag: '--service-cluster-ip-range',
    env: 'KUBEMOCK_SERVICE_CLUSTER_IP_RANGE',
    default: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    description:
      "IPv4 CIDR (read as kube-apiserver reads it: leading zeros allowed, prefix length 12 to 29) Services get cluster IPs from; its first address is the kubernetes Service's, the tenth kube-dns's",
  },
  {
    key: 'serviceNodePortRange',
    flag: '--service-node-port-range',
    env: 'KUBEMOCK_SERVICE_NODE_PORT_RANGE',
    default: DEFAULT_SERVICE_NODE_PORT_RANGE,
    description: 'Port range (first-last, inclusive) NodePort and LoadBalancer Services get node ports from',
  },
  {
    key: 'eventTtl',
    flag: '--event-ttl',
    env: 'KUBEMOCK_EVENT_TTL',
    default: '1h0m0s',
    description:
      "How long an Event is kept after its last write, as a Go duration (e.g. 1h, 30m, 90s; 0: forever), as kube-apiserver's --event-ttl",
  },
  {
    key: 'maxRequestsPerClient',
    flag: '--max-requests-per-client',
    env: 'KUBEMOCK_MAX_REQUESTS_PER_CLIENT',
    default: '20',
    description:
      'Requests one client (its user, or without authentication its address and User-Agent) has served at once; watches and logs do not count (0: no per-client limits)',
  },
  {
    key: 'maxQueuedPerClient',
    flag: '--max-queued-per-client',
    env: 'KUBEMOCK_MAX_QUEUED_PER_CLIENT',
    default: '200',
    description: 'Requests of one client that wait for one of its seats; more are answered 429 Too Many Requests with Retry-After',
  },
  {
    key: 'journalSize',
    flag: '--journal-size',
    env: 'KUBEMOCK_JOURNAL_SIZE',
    default: '10000',
    description: 'Requests the journal at /kubemock/v1/journal keeps (oldest dropped first)',
  },
  {
    key: 'tls',
    flag: '--tls',
    env: 'KUBEMOCK_TLS',
    default: 'false',
    boolean: true,
    description:
      'Serve HTTPS with a CA and serving certificate made at first start and kept beside the database (<db>.pki/); the kubeconfig gets the CA and an admin client certificate; turns --auth on',
  },
  {
    key: 'auth',
    flag: '--auth',
    env: 'KUBEMOCK_AUTH',
    default: 'false',
    boolean: true,
    description:
      'Authenticate requests: client certificates, --token-auth-file tokens, service account tokens; none is system:anonymous, a bad one 401',
  },
  {
    key: 'tlsCertFile',
    flag: '--tls-cert-file',
    env: 'KUBEMOCK_TLS_CERT_FILE',
    default: '',
    description: 'PEM serving certificate (with its chain) to use instead of the generated one; needs --tls-private-key-file',
  },
  {
    key: 'tlsPrivateKeyFile',
    flag: '--tls-private-key-file',
    env: 'KUBEMOCK_TLS_PRIVATE_KEY_FILE',
    default: '',
    description: 'PEM private key of --tls-cert-file',
  },
  {
    key: 'clientCaFile',
    flag: '--client-ca-file',
    env: 'KUBEMOCK_CLIENT_CA_FILE',
    default: '',
    description:
      "PEM CA bundle client certificates are verified against instead of kubemock's CA (the kubeconfig then has no client certificate)",
  },
  {
    key: 'tokenAuthFile',
    flag: '--token-auth-file',
    env: 'KUBEMOCK_TOKEN_AUTH_FILE',
    default: '',
    description: 'CSV file of bearer tokens as kube-apiserver reads it: token,user,uid,"group1,group2"',
  },
  {
    key: 'leaderElect',
    flag: '--leader-elect',
    env: 'KUBEMOCK_LEADER_ELECT',
    default: 'true',
    boolean: true,
    description:
      'Run the controllers in one replica at a time, elected through the kube-controller-manager Lease in kube-system, and spread the simulated kubelets over shard Leases (--leader-elect=false: everything runs here, no Lease)',
  },
  {
    key: 'leaderElectLeaseDuration',
    flag: '--leader-elect-lease-duration',
    env: 'KUBEMOCK_LEADER_ELECT_LEASE_DURATION',
    default: '15s',
    description: 'How long other replicas wait after the last renewal seen before taking the controllers or a kubelet shard over',
  },
  {
    key: 'leaderElectRenewDeadline',
    flag: '--leader-elect-renew-deadline',
    env: 'KUBEMOCK_LEADER_ELECT_RENEW_DEADLINE',
    default: '10s',
    description: 'How long the leader retries renewing before it stops its controllers (less than the lease duration)',
  },
  {
    key: 'leaderElectRetryPeriod',
    flag: '--leader-elect-retry-period',
    env: 'KUBEMOCK_LEADER_ELECT_RETRY_PERIOD',
    default: '2s',
    description: 'How long replicas wait between attempts to acquire or renew the Leases',
  },
  {
    key: 'kubeletShards',
    flag: '--kubelet-shards',
    env: 'KUBEMOCK_KUBELET_SHARDS',
    default: '8',
    description:
      'Leases (kube-system/kubemock-kubelet-shard-<i>) the simulated kubelets are spread over between replicas, a node by a hash of its name; each replica holds its share',
  },
];

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; config: KubemockConfig };

const MAX_NODES = 10_000;
const MAX_JOURNAL_SIZE = 10_000_000;
const MAX_DELAY_MS = 24 * 3600 * 1000;
const MAX_HISTORY = 100_000_000;
const MAX_EVENT_TTL_MS = 365 * 24 * 3600 * 1000;
const MAX_CLIENT_REQUESTS = 1_000_000;
const MAX_LEASE_MS = 24 * 3600 * 1000;
const MAX_KUBELET_SHARDS = 1024;

/**
 * Switches written `--flag=true` or `--flag=false`, as Go's flag package takes them (parseArgs
 * takes only the bare `--flag`): the bare switch for true, left out for false (returned apart).
 */
function splitSwitchValues(argv: string[]): { args: string[]; off: Set<string> } {
  const switches = new Set(CONFIG_FLAGS.filter((f) => f.boolean).map((f) => f.flag));
  const off = new Set<string>();
  const args: string[] = [];
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : '';
    if (!switches.has(flag as `--${string}`)) {
      args.push(arg);
      continue;
    }
    const value = arg.slice(eq + 1).trim();
    if (!['true', 'false', '1', '0'].includes(value)) throw new ConfigError(`${flag}: expected true or false, got "${value}"`);
    if (value === 'true' || value === '1') args.push(flag);
    else off.add(flag.slice(2));
  }
  return { args, off };
}

function parseFlags(argv: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const f of CONFIG_FLAGS)
    options[f.flag.slice(2)] = { type: f.boolean ? 'boolean' : 'string', ...(f.repeatable ? { multiple: true } : {}) };
  try {
    const { args, off } = splitSwitchValues(argv);
    const values: Record<string, unknown> = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
    for (const name of off) values[name] = false;
    return values;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError((err as Error).message);
  }
}

function parseInteger(raw: string, source: string, min: number, max: number): number {
  const text = raw.trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${source}: expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(text);
}

const DURATION_UNITS_MS: Record<string, number> = { h: 3600_000, m: 60_000, s: 1000, ms: 1 };

/** A Go duration such as `1h0m0s`, `90s` or `500ms` (or `0`), in whole milliseconds. */
function parseDurationMs(raw: string, source: string, max: number): number {
  const text = raw.trim();
  const fail = () => new ConfigError(`${source}: expected a duration such as 1h, 30m or 90s, got "${raw}"`);
  if (text === '0') return 0;
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) throw fail();
  let ms = 0;
  for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * DURATION_UNITS_MS[unit];
  if (ms > max) throw fail();
  return Math.round(ms);
}

function convert(key: keyof KubemockConfig, raw: string, source: string): KubemockConfig[keyof KubemockConfig] {
  switch (key) {
    case 'port':
      return parseInteger(raw, source, 0, 65535);
    case 'nodes':
      return parseInteger(raw, source, 0, MAX_NODES);
    case 'journalSize':
      return parseInteger(raw, source, 1, MAX_JOURNAL_SIZE);
    case 'podStartupMs':
    case 'containerStopMs':
      return parseInteger(raw, source, 0, MAX_DELAY_MS);
    case 'maxTerminationMs':
      return raw.trim() === '' ? undefined : parseInteger(raw, source, 0, MAX_DELAY_MS);
    case 'nodeHeartbeatMs':
      return parseInteger(raw, source, 100, MAX_DELAY_MS);
    case 'history':
      return parseInteger(raw, source, 100, MAX_HISTORY);
    case 'eventTtl':
      return parseDurationMs(raw, source, MAX_EVENT_TTL_MS);
    case 'maxRequestsPerClient':
    case 'maxQueuedPerClient':
      return parseInteger(raw, source, 0, MAX_CLIENT_REQUESTS);
    case 'failingImages':
      return raw;
    case 'leaderElectLeaseDuration':
    case 'leaderElectRenewDeadline':
    case 'leaderElectRetryPeriod':
      return parseDurationMs(raw, source, MAX_LEASE_MS);
    case 'kubeletShards':
      return parseInteger(raw, source, 1, MAX_KUBELET_SHARDS);
    case 'tls':
    case 'auth':
    case 'leaderElect':
    case 'writerThread':
      if (!['true', 'false', '1', '0'].includes(raw.trim())) throw new ConfigError(`${source}: expected true or false, got "${raw}"`);
      return raw.trim() === 'true' || raw.trim() === '1';
    case 'tlsCertFile':
    case 'tlsPrivateKeyFile':
    case 'clientCaFile':
    case 'tokenAuthFile':
      return raw;
    case 'serviceClusterIPRange': {
      const parsed = parseServiceClusterIPRange(raw, DEFAULT_SERVICE_CLUSTER_IP_RANGE);
      if ('error' in parsed) throw new ConfigError(`${source}: ${parsed.error}`);
      return parsed.range;
    }
    case 'serviceNodePortRange': {
      const range = parsePortRange(raw);
      if (!range || range.base < 1) throw new ConfigError(`${source}: expected a port range such as 30000-32767, got "${raw}"`);
      return range;
    }
    case 'clock':
      if (!(CLOCK_MODES as readonly string[]).includes(raw))
        throw new ConfigError(`${source}: expected one of ${CLOCK_MODES.join(', ')}, got "${raw}"`);
      return raw;
    case 'fixtures':
      return raw;
    case 'crds':
      return raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    case 'logFormat':
      if (raw.trim() === '') return undefined;
      if (!(LOG_FORMATS as readonly string[]).includes(raw.trim())) {
        throw new ConfigError(`${source}: expected one of ${LOG_FORMATS.join(', ')}, got "${raw}"`);
      }
      return raw.trim();
    case 'logLevel':
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
        throw new ConfigError(`${source}: expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      }
      return raw;
    case 'host': {
      const host = raw.trim();
      if (!host || /[\s/]/.test(host)) throw new ConfigError(`${source}: expected a host name or IP address, got "${raw}"`);
      return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    }
    case 'etcdServers': {
      const urls = raw
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      for (const u of urls) {
        if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(u))
          throw new ConfigError(`${source}: expected URLs such as http://127.0.0.1:2379, got "${u}"`);
      }
      return urls;
    }
    case 'etcdPrefix':
      if (!raw.startsWith('/') || /\s/.test(raw)) throw new ConfigError(`${source}: expected a key prefix starting with /, got "${raw}"`);
      return raw;
    case 'etcdCompactionInterval':
      return parseDurationMs(raw, source, MAX_EVENT_TTL_MS);
    case 'db':
    case 'kubeconfig':
      if (raw === '') throw new ConfigError(`${source}: expected a file path, got an empty value`);
      return raw;
  }
}

function resolve(values: Record<string, unknown>, env: NodeJS.ProcessEnv): KubemockConfig {
  const config: Record<string, unknown> = {};
  for (const f of CONFIG_FLAGS) {
    const given = values[f.flag.slice(2)];
    const fromFlag = Array.isArray(given) ? given.join(',') : given;
    const fromEnv = env[f.env];
    if (typeof fromFlag === 'boolean') config[f.key] = fromFlag;
    else if (typeof fromFlag === 'string') config[f.key] = convert(f.key, fromFlag, f.flag);
    // An empty variable counts as unset, as shells make it easy to export one by accident.
    else if (fromEnv !== undefined && fromEnv !== '') config[f.key] = convert(f.key, fromEnv, f.env);
    else config[f.key] = convert(f.key, f.default, `default of ${f.flag}`);
  }
  if (!!config.tlsCertFile !== !!config.tlsPrivateKeyFile) throw new ConfigError('--tls-cert-file and --tls-private-key-file go together');
  if (config.leaderElect) {
    const invalid = validateTiming({
      leaseDurationMs: config.leaderElectLeaseDuration as number,
      renewDeadlineMs: config.leaderElectRenewDeadline as number,
      retryPeriodMs: config.leaderElectRetryPeriod as number,
    });
    if (invalid) throw new ConfigError(`--leader-elect: ${invalid}`);
  }
  return config as unknown as KubemockConfig;
}

/**
 * Settings from the command line (without node and script) and the environment; a flag wins over
 * its KUBEMOCK_* variable, which wins over the default. Pure: throws ConfigError on bad input.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): KubemockConfig {
  return resolve(parseFlags(argv), env);
}

/** What the kubemock binary should do: --help and --version win over everything else. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const values = parseFlags(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  return { kind: 'run', config: resolve(values, env) };
}

/** How --help names a flag's value; any other flag takes a PATH. */
const FLAG_VALUE_NAMES: Partial<Record<keyof KubemockConfig, string>> = {
  nodes: 'N',
  port: 'N',
  journalSize: 'N',
  maxRequestsPerClient: 'N',
  maxQueuedPerClient: 'N',
  kubeletShards: 'N',
  history: 'N',
  podStartupMs: 'MS',
  containerStopMs: 'MS',
  maxTerminationMs: 'MS',
  nodeHeartbeatMs: 'MS',
  failingImages: 'GLOB',
  logLevel: 'LEVEL',
  logFormat: 'FORMAT',
  host: 'HOST',
  clock: 'MODE',
  eventTtl: 'DURATION',
  etcdCompactionInterval: 'DURATION',
  leaderElectLeaseDuration: 'DURATION',
  leaderElectRenewDeadline: 'DURATION',
  leaderElectRetryPeriod: 'DURATION',
  etcdServers: 'URLS',
  etcdPrefix: 'PREFIX',
  serviceClusterIPRange: 'CIDR',
  serviceNodePortRange: 'RANGE',
};

export function helpText(): string {
  const rows = CONFIG_FLAGS.map((f) => {
    const value = FLAG_VALUE_NAMES[f.key] ?? 'PATH';
    return [f.boolean ? `  ${f.flag}` : `  ${f.flag} ${value}`, `${f.description} [env ${f.env}, default ${f.default}]`];
  });
  rows.push(['  -h, --help', 'Show this help and exit'], ['  -v, --version', 'Print the version and exit']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    'Usage: kubemock [options]',
    '',
    'A Kubernetes API server emulator on SQLite. Point kubectl at it with the kubeconfig it writes.',
    '',
    'Options (a flag wins over its environment variable):',
    ...rows.map(([left, right]) => left.padEnd(width) + right),
    '',
  ].join('\n');
}
