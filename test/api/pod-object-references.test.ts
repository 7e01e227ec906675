/**
 * Pods whose volumes or environment name ConfigMaps and Secrets: the simulated kubelet keeps them
 * in ContainerCreating with FailedMount events while a mounted source is missing, holds a
 * container in CreateContainerConfigError while its environment cannot be built, and starts them
 * once the objects appear (their creation requeues the pods; no time needs to pass for that).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';

const NS = '/api/v1/namespaces/default';
const PODS = `${NS}/pods`;
type Obj = Record<string, any>;

const STARTUP_MS = 2000;

async function post(c: ManualCluster, path: string, body: Obj): Promise<void> {
  const res = await c.app.http.post(path).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
}

const configMap = (name: string, data: Obj = { k: 'v' }) => ({ metadata: { name }, data });
const secret = (name: string, stringData: Obj = { k: 'v' }) => ({ metadata: { name }, stringData });

function pod(name: string, spec: Obj): Obj {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

/** A pod whose container mounts every volume given. */
function podMounting(name: string, volumes: Obj[]): Obj {
  const mounts = volumes.map((v) => ({ name: v.name, mountPath: `/mnt/${v.name}` }));
  return pod(name, { containers: [{ name: 'c', image: 'nginx', volumeMounts: mounts }], volumes });
}

async function kubeletEvents(c: ManualCluster, pod: string): Promise<Obj[]> {
  const events = await c.get(`${NS}/events?fieldSelector=involvedObject.name%3D${pod}`);
  return (events.items as Obj[]).filter((e) => e.source.component === 'kubelet');
}

const messages = async (c: ManualCluster, pod: string, reason: string) =>
  (await kubeletEvents(c, pod)).filter((e) => e.reason === reason).map((e) => e.message as string);

const waiting = (p: Obj) => p.status.containerStatuses.map((s: Obj) => s.state.waiting ?? {});

test('a pod mounting a missing ConfigMap and Secret waits in ContainerCreating with FailedMount events, then runs once both exist', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: STARTUP_MS });
  await post(
    c,
    PODS,
    podMounting('web', [
      { name: 'config', configMap: { name: 'app-config' } },
      { name: 'creds', secret: { secretName: 'app-creds' } },
    ]),
  );
  await c.pass(3 * STARTUP_MS);
  let web = await c.get(`${PODS}/web`);
  assert.equal(web.status.phase, 'Pending');
  assert.deepEqual(waiting(web), [{ reason: 'ContainerCreating' }]);
  assert.equal(web.status.podIP, undefined, 'no sandbox before the volumes are set up');
  assert.deepEqual(await messages(c, 'web', 'FailedMount'), [
    'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
    'MountVolume.SetUp failed for volume "creds" : secret "app-creds" not found',
  ]);
  const failed = (await kubeletEvents(c, 'web')).find((e) => e.reason === 'FailedMount');
  assert.equal(failed?.type, 'Warning');
  assert.equal(failed?.involvedObject.fieldPath, undefined, 'the volume manager reports about the pod, not a container');

  await post(c, `${NS}/configmaps`, configMap('app-config'));
  await c.pass(3 * STARTUP_MS);
  web = await c.get(`${PODS}/web`);
  assert.deepEqual(waiting(web), [{ reason: 'ContainerCreating' }], 'the Secret is still missing');
  const events = await kubeletEvents(c, 'web');
  assert.equal(events.find((e) => e.message.includes('"creds"'))?.count, 2, 'the attempt is made again, and counted');
  assert.equal(events.find((e) => e.message.includes('"config"'))?.count, 1);

  await post(c, `${NS}/secrets`, secret('app-creds'));
  await c.pass(STARTUP_MS);
  web = await c.get(`${PODS}/web`);
  assert.equal(web.status.phase, 'Running');
  assert.ok(web.status.podIP);
  assert.deepEqual(
    (await kubeletEvents(c, 'web')).filter((e) => e.type === 'Normal').map((e) => e.reason),
    ['Pulled', 'Created', 'Started'],
  );
});

test('a key named in items must exist; projected volumes aggregate their sources; token and downward API sources need nothing', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await post(c, `${NS}/configmaps`, configMap('settings', { a: '1' }));
  await post(
    c,
    PODS,
    podMounting('keys', [
      {
        name: 'one',
        configMap: {
          name: 'settings',
          items: [
            { key: 'a', path: 'a' },
            { key: 'b', path: 'b' },
          ],
        },
      },
    ]),
  );
  await post(
    c,
    PODS,
    podMounting('projected', [
      {
        name: 'kube-api-access-abcde',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
            { configMap: { name: 'bundle', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { secret: { name: 'tls' } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]),
  );
  await c.pass(1000);
  assert.deepEqual(await messages(c, 'keys', 'FailedMount'), [
    'MountVolume.SetUp failed for volume "one" : configmap references non-existent config key: b',
  ]);
  assert.deepEqual(await messages(c, 'projected', 'FailedMount'), [
    'MountVolume.SetUp failed for volume "kube-api-access-abcde" : [configmap "bundle" not found, secret "tls" not found]',
  ]);

  await post(c, `${NS}/secrets`, secret('tls'));
  await c.pass(1000);
  assert.ok(
    (await messages(c, 'projected', 'FailedMount')).includes(
      'MountVolume.SetUp failed for volume "kube-api-access-abcde" : configmap "bundle" not found',
    ),
  );
  await post(c, `${NS}/configmaps`, configMap('bundle', { 'ca.crt': 'pem' }));
  await c.patch(`${NS}/configmaps/settings`, { data: { b: '2' } });
  await c.pass(1000);
  assert.equal((await c.get(`${PODS}/projected`)).status.phase, 'Running');
  assert.equal((await c.get(`${PODS}/keys`)).status.phase, 'Running');
});

test('optional sources may be missing: volumes, items keys, envFrom and key refs; a volume no container mounts is not set up', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await post(c, `${NS}/configmaps`, configMap('partial', { present: 'x' }));
  await post(
    c,
    PODS,
    pod('relaxed', {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          volumeMounts: [
            { name: 'cm', mountPath: '/a' },
            { name: 'sec', mountPath: '/b' },
            { name: 'keys', mountPath: '/c' },
          ],
          envFrom: [{ configMapRef: { name: 'nope', optional: true } }, { secretRef: { name: 'nope', optional: true } }],
          env: [
            { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'partial', key: 'absent', optional: true } } },
            { name: 'C', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
          ],
        },
      ],
      volumes: [
        { name: 'cm', configMap: { name: 'nope', optional: true } },
        { name: 'sec', secret: { secretName: 'nope', optional: true } },
        { name: 'keys', configMap: { name: 'partial', items: [{ key: 'absent', path: 'x' }], optional: true } },
        { name: 'unmounted', configMap: { name: 'nope' } },
      ],
    }),
  );
  // The same key, not optional, holds its pod.
  await post(c, PODS, podMounting('strict', [{ name: 'keys', configMap: { name: 'partial', items: [{ key: 'absent', path: 'x' }] } }]));
  await c.pass(1000);
  assert.equal((await c.get(`${PODS}/relaxed`)).status.phase, 'Running');
  assert.deepEqual(await messages(c, 'relaxed', 'FailedMount'), []);
  assert.equal((await c.get(`${PODS}/strict`)).status.phase, 'Pending');
  assert.deepEqual(await messages(c, 'strict', 'FailedMount'), [
    'MountVolume.SetUp failed for volume "keys" : configmap references non-existent config key: absent',
  ]);
});

test('env naming a missing ConfigMap, Secret or key: CreateContainerConfigError and a Failed event until it is there', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  const refs = (name: string, env: Obj[], envFrom: Obj[] = []) => pod(name, { containers: [{ name: 'c', image: 'nginx', env, envFrom }] });
  await post(c, PODS, refs('cm-key', [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }]));
  await post(c, PODS, refs('secret-key', [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]));
  await post(c, PODS, refs('from', [], [{ secretRef: { name: 'all' } }]));
  await c.pass(1000);

  let cmKey = await c.get(`${PODS}/cm-key`);
  assert.equal(cmKey.status.phase, 'Pending');
  assert.deepEqual(waiting(cmKey), [{ reason: 'CreateContainerConfigError', message: 'configmap "app" not found' }]);
  assert.ok(cmKey.status.podIP, 'the sandbox is up');
  assert.deepEqual(await messages(c, 'cm-key', 'Failed'), ['Error: configmap "app" not found']);
  assert.deepEqual(waiting(await c.get(`${PODS}/secret-key`)), [
    { reason: 'CreateContainerConfigError', message: 'secret "db" not found' },
  ]);
  assert.deepEqual(waiting(await c.get(`${PODS}/from`)), [{ reason: 'CreateContainerConfigError', message: 'secret "all" not found' }]);

  // The ConfigMap appears without the key: the message changes.
  await post(c, `${NS}/configmaps`, configMap('app', { other: 'x' }));
  await post(c, `${NS}/secrets`, secret('db', { user: 'u' }));
  await c.pass(1000);
  cmKey = await c.get(`${PODS}/cm-key`);
  assert.deepEqual(waiting(cmKey), [{ reason: 'CreateContainerConfigError', message: "couldn't find key mode in ConfigMap default/app" }]);
  assert.deepEqual(await messages(c, 'cm-key', 'Failed'), [
    'Error: configmap "app" not found',
    "Error: couldn't find key mode in ConfigMap default/app",
  ]);
  assert.deepEqual(waiting(await c.get(`${PODS}/secret-key`)), [
    { reason: 'CreateContainerConfigError', message: "couldn't find key password in Secret default/db" },
  ]);

  await c.patch(`${NS}/configmaps/app`, { data: { mode: 'fast' } });
  await post(c, `${NS}/secrets`, secret('all'));
  await c.pass(1000);
  assert.equal((await c.get(`${PODS}/cm-key`)).status.phase, 'Running');
  assert.equal((await c.get(`${PODS}/from`)).status.phase, 'Running');
  assert.equal((await c.get(`${PODS}/secret-key`)).status.phase, 'Pending', 'the Secret still lacks the key');
});

test('an init container whose env names a missing Secret holds the pod in Init:CreateContainerConfigError until it exists', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await post(
    c,
    PODS,
    pod('initializing', {
      initContainers: [
        { name: 'setup', image: 'busybox' },
        { name: 'migrate', image: 'busybox', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] },
        { name: 'warm', image: 'busybox' },
      ],
    }),
  );
  await c.pass(1000);
  let p = await c.get(`${PODS}/initializing`);
  assert.equal(p.status.phase, 'Pending');
  assert.deepEqual(
    p.status.initContainerStatuses.map((s: Obj) => [s.name, s.state.terminated?.reason ?? s.state.waiting?.reason]),
    [
      ['setup', 'Completed'],
      ['migrate', 'CreateContainerConfigError'],
      ['warm', 'PodInitializing'],
    ],
  );
  assert.equal(p.status.initContainerStatuses[1].state.waiting.message, 'secret "db" not found');
  assert.deepEqual(waiting(p), [{ reason: 'PodInitializing' }]);
  const initialized = p.status.conditions.find((x: Obj) => x.type === 'Initialized');
  assert.equal(initialized.message, 'containers with incomplete status: [migrate warm]');
  assert.deepEqual(await messages(c, 'initializing', 'Failed'), ['Error: secret "db" not found']);
  // An init container's events name it by its place among the init containers.
  assert.deepEqual(
    (await kubeletEvents(c, 'initializing')).map((e) => `${e.reason} ${e.involvedObject.fieldPath}`),
    [
      'Pulled spec.initContainers{setup}',
      'Created spec.initContainers{setup}',
      'Started spec.initContainers{setup}',
      'Pulled spec.initContainers{migrate}',
      'Failed spec.initContainers{migrate}',
    ],
  );

  await post(c, `${NS}/secrets`, secret('db', { pw: 'x' }));
  await c.pass(1000);
  p = await c.get(`${PODS}/initializing`);
  assert.equal(p.status.phase, 'Running');
  assert.deepEqual(
    p.status.initContainerStatuses.map((s: Obj) => s.state.terminated?.reason),
    ['Completed', 'Completed', 'Completed'],
  );
});

test('one container held by its config while the other runs; it starts once the ConfigMap is there', async (t) => {
  const c = await manualCluster(t, 1, { podStartupMs: 0 });
  await post(
    c,
    PODS,
    pod('mixed', {
      containers: [
        { name: 'app', image: 'nginx', envFrom: [{ configMapRef: { name: 'late' } }] },
        { name: 'sidecar', image: 'busybox' },
      ],
    }),
  );
  await c.pass(1000);
  let mixed = await c.get(`${PODS}/mixed`);
  assert.equal(mixed.status.phase, 'Pending');
  assert.deepEqual(
    mixed.status.containerStatuses.map((s: Obj) => [s.name, Object.keys(s.state)[0], s.ready]),
    [
      ['app', 'waiting', false],
      ['sidecar', 'running', true],
    ],
  );
  const ready = mixed.status.conditions.find((x: Obj) => x.type === 'Ready');
  assert.equal(ready.message, 'containers with unready status: [app]');

  await post(c, `${NS}/configmaps`, configMap('late'));
  await c.pass(1000);
  mixed = await c.get(`${PODS}/mixed`);
  assert.equal(mixed.status.phase, 'Running');
  assert.deepEqual(
    mixed.status.containerStatuses.map((s: Obj) => [s.name, Object.keys(s.state)[0], s.restartCount]),
    [
      ['app', 'running', 0],
      ['sidecar', 'running', 0],
    ],
  );
  const started = (await kubeletEvents(c, 'mixed')).filter((e) => e.reason === 'Started').map((e) => e.message);
  assert.deepEqual(started.sort(), ['Started container app', 'Started container sidecar']);
});

test('DaemonSet pods mounting a ConfigMap and a Secret wait on every node until both exist, then run', async (t) => {
  const c = await manualCluster(t, 2, { podStartupMs: 0 });
  const spec = {
    containers: [
      {
        name: 'agent',
        image: 'nginx',
        volumeMounts: [
          { name: 'config', mountPath: '/etc/agent' },
          { name: 'token', mountPath: '/var/run/agent' },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'agent-config' } },
      { name: 'token', secret: { secretName: 'agent-token' } },
    ],
  };
  await post(c, '/apis/apps/v1/namespaces/default/daemonsets', {
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec } },
  });
  await c.pass(2000);
  const list = async () => (await c.get(`${PODS}?labelSelector=app%3Dagent`)).items as Obj[];
  const pods = await list();
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.deepEqual(waiting(p), [{ reason: 'ContainerCreating' }]);
    assert.deepEqual(await messages(c, p.metadata.name, 'FailedMount'), [
      'MountVolume.SetUp failed for volume "config" : configmap "agent-config" not found',
      'MountVolume.SetUp failed for volume "token" : secret "agent-token" not found',
    ]);
  }
  assert.equal((await c.get('/apis/apps/v1/namespaces/default/daemonsets/agent')).status.numberReady, 0);

  await post(c, `${NS}/configmaps`, configMap('agent-config'));
  await post(c, `${NS}/secrets`, secret('agent-token'));
  await c.pass(1000);
  assert.deepEqual(
    (await list()).map((p) => p.status.phase),
    ['Running', 'Running'],
  );
  assert.equal((await c.get('/apis/apps/v1/namespaces/default/daemonsets/agent')).status.numberReady, 2);
});
