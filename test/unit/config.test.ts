import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_FLAGS, ConfigError, helpText, loadConfig, parseCommandLine, type KubemockConfig } from '../../src/config.js';

const AUTH_DEFAULTS = { tls: false, auth: false, tlsCertFile: '', tlsPrivateKeyFile: '', clientCaFile: '', tokenAuthFile: '' };

const ETCD_DEFAULTS = { etcdServers: [], etcdPrefix: '/registry', etcdCompactionInterval: 300_000 };
const LEADER_ELECTION_DEFAULTS = {
  leaderElect: true,
  leaderElectLeaseDuration: 15_000,
  leaderElectRenewDeadline: 10_000,
  leaderElectRetryPeriod: 2000,
  kubeletShards: 8,
};

const DEFAULTS: KubemockConfig = {
  host: '127.0.0.1',
  port: 8001,
  db: './kubemock.db',
  kubeconfig: './kubeconfig',
  nodes: 3,
  logLevel: 'info',
  logFormat: undefined,
  clock: 'real',
  crds: [],
  fixtures: '',
  journalSize: 10000,
  podStartupMs: 50,
  containerStopMs: 100,
  maxTerminationMs: undefined,
  failingImages: '*:non-existent',
  nodeHeartbeatMs: 10000,
  history: 100000,
  writerThread: true,
  serviceClusterIPRange: { network: 10 * 2 ** 24 + 96 * 2 ** 16, prefixLength: 12, size: 2 ** 20 },
  serviceNodePortRange: { base: 30000, size: 2768 },
  eventTtl: 3600_000,
  maxRequestsPerClient: 20,
  maxQueuedPerClient: 200,
  ...AUTH_DEFAULTS,
  ...ETCD_DEFAULTS,
  ...LEADER_ELECTION_DEFAULTS,
};

const SIMULATION_DEFAULTS = {
  podStartupMs: 50,
  containerStopMs: 100,
  maxTerminationMs: undefined,
  failingImages: '*:non-existent',
  nodeHeartbeatMs: 10000,
  history: 100000,
  writerThread: true,
};

const SERVICE_NETWORK_DEFAULTS = {
  serviceClusterIPRange: DEFAULTS.serviceClusterIPRange,
  serviceNodePortRange: DEFAULTS.serviceNodePortRange,
  eventTtl: DEFAULTS.eventTtl,
  maxRequestsPerClient: DEFAULTS.maxRequestsPerClient,
  maxQueuedPerClient: DEFAULTS.maxQueuedPerClient,
};

function configError(argv: string[], env: NodeJS.ProcessEnv, message: RegExp) {
  assert.throws(
    () => loadConfig(argv, env),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
      assert.match(err.message, message);
      return true;
    },
  );
}

describe('loadConfig', () => {
  it('reads the etcd flags and variables as kube-apiserver names them, and refuses bad ones', () => {
    const argv = [
      '--etcd-servers',
      'http://127.0.0.1:2379,http://127.0.0.1:22379',
      '--etcd-prefix',
      '/kube',
      '--etcd-compaction-interval',
      '90s',
    ];
    assert.deepEqual(loadConfig(argv, {}), {
      ...DEFAULTS,
      etcdServers: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'],
      etcdPrefix: '/kube',
      etcdCompactionInterval: 90_000,
    });
    const env = { KUBEMOCK_ETCD_SERVERS: 'https://[::1]:2379', KUBEMOCK_ETCD_COMPACTION_INTERVAL: '0' };
    assert.deepEqual(loadConfig([], env), { ...DEFAULTS, etcdServers: ['https://[::1]:2379'], etcdCompactionInterval: 0 });
    configError(
      ['--etcd-servers', '127.0.0.1:2379'],
      {},
      /--etcd-servers: expected URLs such as http:\/\/127.0.0.1:2379, got "127.0.0.1:2379"/,
    );
    configError(['--etcd-prefix', 'registry'], {}, /--etcd-prefix: expected a key prefix starting with \//);
    configError(['--etcd-compaction-interval', 'often'], {}, /--etcd-compaction-interval: expected a duration/);
  });

  it('uses the embedded defaults with no flags and no variables', () => {
    assert.deepEqual(loadConfig([], {}), DEFAULTS);
  });

  it('ignores unrelated environment variables and empty KUBEMOCK_* ones', () => {
    assert.deepEqual(loadConfig([], { PORT: '9999', HOST: 'x', KUBEMOCK_PORT: '', KUBEMOCK_DB: '' }), DEFAULTS);
  });

  it('reads every flag', () => {
    const argv = ['--host', '::1', '--port', '0', '--db', ':memory:', '--kubeconfig', '/tmp/kc', '--nodes', '4', '--log-level', 'silent'];
    argv.push('--log-format', 'text', '--clock', 'manual', '--fixtures', 'fx/', '--journal-size', '50');
    assert.deepEqual(loadConfig(argv, {}), {
      host: '::1',
      port: 0,
      db: ':memory:',
      kubeconfig: '/tmp/kc',
      nodes: 4,
      logLevel: 'silent',
      logFormat: 'text',
      clock: 'manual',
      crds: [],
      fixtures: 'fx/',
      journalSize: 50,
      ...SIMULATION_DEFAULTS,
      ...SERVICE_NETWORK_DEFAULTS,
      ...AUTH_DEFAULTS,
      ...ETCD_DEFAULTS,
      ...LEADER_ELECTION_DEFAULTS,
    });
  });

  it('takes --crds more than once and as a comma-separated list, the flag replacing the variable', () => {
    const argv = ['--crds', 'config/crd/bases', '--crds=a.yaml,b.yaml', '--crds', ' c.yaml '];
    assert.deepEqual(loadConfig(argv, { KUBEMOCK_CRDS: 'env.yaml' }).crds, ['config/crd/bases', 'a.yaml', 'b.yaml', 'c.yaml']);
    assert.deepEqual(loadConfig([], { KUBEMOCK_CRDS: 'x/,y.yaml' }).crds, ['x/', 'y.yaml']);
  });

  it('accepts --flag=value and strips brackets from an IPv6 host', () => {
    assert.deepEqual(loadConfig(['--port=6443', '--host=[::1]', '--nodes=0'], {}), { ...DEFAULTS, port: 6443, host: '::1', nodes: 0 });
  });

  it('reads every KUBEMOCK_* variable', () => {
    const env = {
      KUBEMOCK_HOST: '0.0.0.0',
      KUBEMOCK_PORT: '18001',
      KUBEMOCK_DB: '/data/k.db',
      KUBEMOCK_KUBECONFIG: 'out/kc',
      KUBEMOCK_NODES: '2',
      KUBEMOCK_LOG_LEVEL: 'debug',
      KUBEMOCK_LOG_FORMAT: 'json',
      KUBEMOCK_CLOCK: 'manual',
      KUBEMOCK_CRDS: 'a.yaml, config/crd/bases',
      KUBEMOCK_FIXTURES: 'f.yaml',
      KUBEMOCK_JOURNAL_SIZE: '7',
    };
    assert.deepEqual(loadConfig([], env), {
      host: '0.0.0.0',
      port: 18001,
      db: '/data/k.db',
      kubeconfig: 'out/kc',
      nodes: 2,
      logLevel: 'debug',
      logFormat: 'json',
      clock: 'manual',
      crds: ['a.yaml', 'config/crd/bases'],
      fixtures: 'f.yaml',
      journalSize: 7,
      ...SIMULATION_DEFAULTS,
      ...SERVICE_NETWORK_DEFAULTS,
      ...AUTH_DEFAULTS,
      ...ETCD_DEFAULTS,
      ...LEADER_ELECTION_DEFAULTS,
    });
  });

  it('reads the simulation flags and variables', () => {
    const argv = [
      '--pod-startup-ms',
      '5',
      '--container-stop-ms',
      '7',
      '--max-termination-ms',
      '250',
      '--failing-images',
      'bad/*',
      '--node-heartbeat-ms',
      '500',
      '--history',
      '2000',
    ];
    assert.deepEqual(loadConfig(argv, {}), {
      ...DEFAULTS,
      podStartupMs: 5,
      containerStopMs: 7,
      maxTerminationMs: 250,
      failingImages: 'bad/*',
      nodeHeartbeatMs: 500,
      history: 2000,
    });
    assert.equal(loadConfig([], { KUBEMOCK_MAX_TERMINATION_MS: '0' }).maxTerminationMs, 0);
    assert.equal(loadConfig([], { KUBEMOCK_CONTAINER_STOP_MS: '0' }).containerStopMs, 0);
    configError(['--container-stop-ms', 'fast'], {}, /--container-stop-ms: expected an integer/);
    configError(['--pod-startup-ms', 'soon'], {}, /--pod-startup-ms: expected an integer/);
    configError(['--history', '5'], {}, /--history: expected an integer from 100/);
    assert.equal(loadConfig(['--writer-thread=false'], {}).writerThread, false);
    assert.equal(loadConfig([], { KUBEMOCK_WRITER_THREAD: '0' }).writerThread, false);
    assert.equal(loadConfig(['--writer-thread'], { KUBEMOCK_WRITER_THREAD: '0' }).writerThread, true);
    configError([], { KUBEMOCK_WRITER_THREAD: 'yes' }, /KUBEMOCK_WRITER_THREAD: expected true or false/);
  });

  it('reads the service CIDR and node port range (host bits cleared, as Go parses a CIDR) and refuses malformed ones', () => {
    const config = loadConfig(['--service-cluster-ip-range', '10.0.5.1/16'], { KUBEMOCK_SERVICE_NODE_PORT_RANGE: '20000-20099' });
    assert.deepEqual(config.serviceClusterIPRange, { network: 10 * 2 ** 24, prefixLength: 16, size: 2 ** 16 });
    assert.deepEqual(config.serviceNodePortRange, { base: 20000, size: 100 });
    configError(
      ['--service-cluster-ip-range', '10.0.0.0/8'],
      {},
      /^--service-cluster-ip-range: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12$/,
    );
    configError(
      ['--service-cluster-ip-range', 'fd00::/108'],
      {},
      /^--service-cluster-ip-range: service IP family "fd00::\/108" must match public address family "127.0.0.1"$/,
    );
    configError(
      ['--service-cluster-ip-range', '10.96.0.0'],
      {},
      /^--service-cluster-ip-range: service-cluster-ip-range\[0\] is not a valid cidr$/,
    );
    configError(['--service-node-port-range', '32767-30000'], {}, /--service-node-port-range: expected a port range/);
    configError([], { KUBEMOCK_SERVICE_NODE_PORT_RANGE: '30000-70000' }, /KUBEMOCK_SERVICE_NODE_PORT_RANGE: expected a port range/);
  });

  it('reads --service-cluster-ip-range as kube-apiserver does: ParseCIDRSloppy, an empty value the default, its messages', () => {
    const range = (value: string) => loadConfig([`--service-cluster-ip-range=${value}`], {}).serviceClusterIPRange;
    // ParseCIDRSloppy reads leading zeros as decimal (Go 1.16's parser), in the address and the prefix length.
    assert.deepEqual(range('0010.96.0.0/12'), DEFAULTS.serviceClusterIPRange);
    assert.deepEqual(range('10.96.0.0/012'), DEFAULTS.serviceClusterIPRange);
    assert.deepEqual(range(''), DEFAULTS.serviceClusterIPRange);
    assert.deepEqual(loadConfig([], { KUBEMOCK_SERVICE_CLUSTER_IP_RANGE: '172.020.0.0/16' }).serviceClusterIPRange, {
      network: 172 * 2 ** 24 + 20 * 2 ** 16,
      prefixLength: 16,
      size: 2 ** 16,
    });
    // A range of 8 addresses is the smallest ServiceIPRange takes.
    assert.deepEqual(range('10.0.0.0/29'), { network: 10 * 2 ** 24, prefixLength: 29, size: 8 });
    configError(
      ['--service-cluster-ip-range=10.0.0.0/30'],
      {},
      /^--service-cluster-ip-range: error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses$/,
    );
    configError(['--service-cluster-ip-range= 10.96.0.0/12'], {}, /: service-cluster-ip-range\[0\] is not a valid cidr$/);
    configError(['--service-cluster-ip-range=10.96.0.0/12,fd00::/200'], {}, /: service-cluster-ip-range\[1\] is not an ip net$/);
    configError(
      ['--service-cluster-ip-range=10.96.0.0/12,10.0.0.0/16,fd00::/108'],
      {},
      /^--service-cluster-ip-range: \[--service-cluster-ip-range must not contain more than two entries, --service-cluster-ip-range\[0\] and --service-cluster-ip-range\[1\] must be of different IP family\]$/,
    );
    configError(
      [],
      { KUBEMOCK_SERVICE_CLUSTER_IP_RANGE: '10.96.0.0/12,fd00::/64' },
      /^KUBEMOCK_SERVICE_CLUSTER_IP_RANGE: specified --service-cluster-ip-range\[1\] is too large; for 128-bit addresses, the mask must be >= 108$/,
    );
    // Upstream takes a dual-stack pair; kubemock's Services are single-stack IPv4.
    configError(['--service-cluster-ip-range=10.96.0.0/12,fd00::/108'], {}, /: a second \(dual-stack\) range is not supported/);
  });

  it('reads the event TTL as a Go duration, and the per-client limits', () => {
    const argv = ['--event-ttl', '1h30m', '--max-requests-per-client', '0', '--max-queued-per-client', '5'];
    assert.deepEqual(loadConfig(argv, {}), { ...DEFAULTS, eventTtl: 5400_000, maxRequestsPerClient: 0, maxQueuedPerClient: 5 });
    assert.equal(loadConfig([], { KUBEMOCK_EVENT_TTL: '90s' }).eventTtl, 90_000);
    assert.equal(loadConfig(['--event-ttl', '1.5s'], {}).eventTtl, 1500);
    assert.equal(loadConfig(['--event-ttl', '250ms'], {}).eventTtl, 250);
    assert.equal(loadConfig(['--event-ttl', '0'], {}).eventTtl, 0);
    for (const bad of ['1', '1d', 'h', '-1h', '1h 2m'])
      configError([`--event-ttl=${bad}`], {}, new RegExp(`^--event-ttl: expected a duration such as 1h, 30m or 90s, got "${bad}"`));
    configError(['--max-requests-per-client=-1'], {}, /^--max-requests-per-client: expected an integer from 0/);
  });

  it('lets a flag win over its variable, and a variable over the default', () => {
    const env = { KUBEMOCK_PORT: '9000', KUBEMOCK_NODES: '7', KUBEMOCK_LOG_LEVEL: 'warn' };
    const config = loadConfig(['--port', '9001', '--log-level', 'error'], env);
    assert.equal(config.port, 9001);
    assert.equal(config.logLevel, 'error');
    assert.equal(config.nodes, 7);
    assert.equal(config.db, DEFAULTS.db);
  });

  it('does not validate a variable that a flag overrides', () => {
    assert.equal(loadConfig(['--port', '1'], { KUBEMOCK_PORT: 'nope' }).port, 1);
  });

  it('refuses unknown flags and positionals', () => {
    configError(['--prot', '1'], {}, /Unknown option '--prot'/);
    configError(['serve'], {}, /positional argument/i);
  });

  it('refuses a flag without its value', () => {
    configError(['--port'], {}, /--port/);
    configError(['--port', '--db', 'x'], {}, /--port/);
  });

  it('refuses bad ports, node counts and log levels, naming the flag or variable', () => {
    configError(['--port', 'http'], {}, /^--port: expected an integer from 0 to 65535, got "http"$/);
    configError(['--port', '65536'], {}, /--port/);
    configError(['--port', '-1'], {}, /--port/);
    configError(['--port', '80.5'], {}, /--port/);
    configError([], { KUBEMOCK_PORT: '1e3' }, /^KUBEMOCK_PORT: expected an integer/);
    configError(['--nodes', 'many'], {}, /^--nodes: expected an integer from 0 to/);
    configError([], { KUBEMOCK_NODES: '-2' }, /^KUBEMOCK_NODES/);
    configError(
      ['--log-level', 'verbose'],
      {},
      /^--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/,
    );
    configError([], { KUBEMOCK_LOG_LEVEL: 'INFO' }, /^KUBEMOCK_LOG_LEVEL/);
    configError(['--log-format', 'pretty'], {}, /^--log-format: expected one of json, text, got "pretty"$/);
  });

  it('reads the TLS and authentication switches and files, from flags and variables', () => {
    const argv = ['--tls', '--auth', '--tls-cert-file', 'a.crt', '--tls-private-key-file', 'a.key', '--client-ca-file', 'ca.crt'];
    argv.push('--token-auth-file', 'tokens.csv');
    assert.deepEqual(loadConfig(argv, {}), {
      ...DEFAULTS,
      tls: true,
      auth: true,
      tlsCertFile: 'a.crt',
      tlsPrivateKeyFile: 'a.key',
      clientCaFile: 'ca.crt',
      tokenAuthFile: 'tokens.csv',
    });
    assert.deepEqual(loadConfig([], { KUBEMOCK_TLS: 'true', KUBEMOCK_AUTH: '0' }), { ...DEFAULTS, tls: true, auth: false });
    configError([], { KUBEMOCK_TLS: 'yes' }, /KUBEMOCK_TLS: expected true or false, got "yes"/);
    // Go's flag package takes a switch's value after '=': so does kubemock.
    assert.deepEqual(loadConfig(['--tls=true', '--auth=false'], { KUBEMOCK_AUTH: 'true' }), { ...DEFAULTS, tls: true, auth: false });
    configError(['--tls=yes'], {}, /^--tls: expected true or false, got "yes"$/);
    configError(['--tls-cert-file', 'a.crt'], {}, /--tls-cert-file and --tls-private-key-file go together/);
  });

  it('reads leader election as kube-controller-manager does, and the kubelet shards', () => {
    const argv = ['--leader-elect-lease-duration', '30s', '--leader-elect-renew-deadline', '20s', '--leader-elect-retry-period', '500ms'];
    assert.deepEqual(loadConfig([...argv, '--kubelet-shards', '3'], {}), {
      ...DEFAULTS,
      leaderElectLeaseDuration: 30_000,
      leaderElectRenewDeadline: 20_000,
      leaderElectRetryPeriod: 500,
      kubeletShards: 3,
    });
    assert.deepEqual(loadConfig(['--leader-elect=false'], {}), { ...DEFAULTS, leaderElect: false });
    assert.deepEqual(loadConfig([], { KUBEMOCK_LEADER_ELECT: 'false' }), { ...DEFAULTS, leaderElect: false });
    configError(['--leader-elect-renew-deadline', '15s'], {}, /^--leader-elect: leaseDuration must be greater than renewDeadline$/);
    configError(
      ['--leader-elect-retry-period', '9s'],
      {},
      /^--leader-elect: renewDeadline must be greater than retryPeriod\*JitterFactor$/,
    );
    // Off, the timings are not used, so they are not checked against each other.
    assert.equal(loadConfig(['--leader-elect=false', '--leader-elect-renew-deadline', '15s'], {}).leaderElect, false);
    configError(['--kubelet-shards', '0'], {}, /^--kubelet-shards: expected an integer from 1 to 1024, got "0"$/);
    configError(['--leader-elect-lease-duration', '15'], {}, /^--leader-elect-lease-duration: expected a duration/);
  });

  it('refuses empty hosts and paths given as flags', () => {
    configError(['--host', ''], {}, /^--host: expected a host name or IP address/);
    configError(['--db', ''], {}, /^--db: expected a file path/);
    configError(['--kubeconfig', ''], {}, /^--kubeconfig: expected a file path/);
  });
});

describe('parseCommandLine', () => {
  it('runs with the loaded config by default', () => {
    assert.deepEqual(parseCommandLine(['--nodes', '1'], {}), { kind: 'run', config: { ...DEFAULTS, nodes: 1 } });
  });

  it('answers --help and --version before looking at bad values', () => {
    assert.deepEqual(parseCommandLine(['--help'], {}), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['-h', '--port', 'x'], { KUBEMOCK_NODES: 'x' }), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['--version'], {}), { kind: 'version' });
  });

  it('refuses a clock other than real or manual, and a journal size below 1', () => {
    configError(['--clock', 'fast'], {}, /--clock: expected one of real, manual, got "fast"/);
    configError(['--journal-size', '0'], {}, /--journal-size: expected an integer from 1/);
  });

  it('still refuses unknown flags next to --help', () => {
    assert.throws(() => parseCommandLine(['--help', '--nope'], {}), ConfigError);
  });
});

describe('CONFIG_FLAGS', () => {
  it('has one row per config key, each with a KUBEMOCK_ variable named after its flag', () => {
    assert.deepEqual(CONFIG_FLAGS.map((f) => f.key).sort(), Object.keys(DEFAULTS).sort());
    for (const f of CONFIG_FLAGS) {
      assert.equal(f.env, `KUBEMOCK_${f.flag.slice(2).toUpperCase().replaceAll('-', '_')}`);
      assert.ok(f.description.length > 10, `${f.flag} needs a description`);
    }
  });

  it('is what --help prints', () => {
    const help = helpText();
    for (const f of CONFIG_FLAGS) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`${f.flag} `));
      assert.ok(line, `--help lacks ${f.flag}`);
      assert.ok(line.includes(f.env) && line.includes(`default ${f.default}`) && line.includes(f.description), line);
      // Only files and folders are PATHs: a count, a duration in milliseconds or a glob is named for what it is.
      if (f.key.endsWith('Ms')) assert.ok(line.trimStart().startsWith(`${f.flag} MS `), line);
      else if (/^\d+$/.test(String(f.default))) assert.ok(line.trimStart().startsWith(`${f.flag} N `), line);
    }
    assert.match(help, /--help/);
    assert.match(help, /--version/);
  });
});
