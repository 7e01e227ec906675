import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;

const KUBECTL_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const DAY = 24 * 3600 * 1000;

async function app(t: Parameters<typeof buildTestApp>[0]): Promise<{ a: TestApp; clock: ManualClock }> {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  return { a: await buildTestApp(t, { clock }), clock };
}

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
});

/** Reads a watch stream with the given Accept until `count` events arrived (or the timeout). */
async function watchEvents(a: TestApp, path: string, accept: string, count: number, action: () => Promise<void>): Promise<Obj[]> {
  await a.kubemock.fastify.listen({ port: 0, host: '127.0.0.1' }).catch(() => undefined);
  const { port } = a.kubemock.fastify.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const events: Obj[] = [];
    let buffer = '';
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          events.push(JSON.parse(buffer.slice(0, i)));
          buffer = buffer.slice(i + 1);
        }
        if (events.length >= count) finish();
      });
      res.on('end', finish);
      void action().catch(reject);
    });
    const timer = setTimeout(finish, 3000);
    function finish() {
      clearTimeout(timer);
      req.destroy();
      resolve(events);
    }
    req.on('error', (e) => (events.length >= count ? undefined : reject(e)));
  });
}

describe('Table output (kubectl get)', () => {
  test('LIST with the kubectl Accept answers a Table with columns, cells and PartialObjectMetadata rows', async (t) => {
    const { a, clock } = await app(t);
    clock.advance(3 * DAY);
    const res = await a.http.get('/api/v1/namespaces').set('accept', KUBECTL_ACCEPT).expect(200);
    assert.equal(res.headers['content-type'], 'application/json');
    const table = res.body;
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.match(table.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(
      table.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Status', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    for (const c of table.columnDefinitions) assert.equal(typeof c.description, 'string');
    const row = table.rows.find((r: Obj) => r.cells[0] === 'default');
    assert.deepEqual(row.cells, ['default', 'Active', '3d']);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(row.object.metadata.name, 'default');
    assert.equal(row.object.metadata.labels['kubernetes.io/metadata.name'], 'default');
    assert.equal(row.object.spec, undefined);
  });

  test('GET of one object answers a one-row Table carrying its resourceVersion', async (t) => {
    const { a, clock } = await app(t);
    const created = (
      await a.http
        .post('/api/v1/namespaces/default/pods')
        .send(pod('web-1', { app: 'web' }))
        .expect(201)
    ).body;
    clock.advance(90_000);
    const table = (await a.http.get('/api/v1/namespaces/default/pods/web-1').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.equal(table.kind, 'Table');
    assert.equal(table.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(table.rows.length, 1);
    assert.deepEqual(table.rows[0].cells, ['web-1', '0/1', 'Pending', '0', '90s', '<none>', '<none>', '<none>', '<none>']);
    assert.deepEqual(table.rows[0].object.metadata.labels, { app: 'web' });
    assert.equal(table.rows[0].object.metadata.namespace, 'default');
    assert.deepEqual(
      table.columnDefinitions.map((c: Obj) => `${c.name}:${c.priority}`),
      ['Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1'],
    );
  });

  test('a missing object is still a 404 Status', async (t) => {
    const { a } = await app(t);
    const res = await a.http.get('/api/v1/namespaces/default/pods/nope').set('accept', KUBECTL_ACCEPT).expect(404);
    assert.equal(res.body.kind, 'Status');
  });

  test('includeObject=Object puts the full object in the rows, None leaves it out, anything else is a 400', async (t) => {
    const { a } = await app(t);
    await a.http.post('/api/v1/namespaces/default/pods').send(pod('web-1')).expect(201);
    const full = (await a.http.get('/api/v1/namespaces/default/pods?includeObject=Object').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.equal(full.rows[0].object.kind, 'Pod');
    assert.equal(full.rows[0].object.apiVersion, 'v1');
    assert.equal(full.rows[0].object.spec.containers[0].image, 'nginx:1.25');
    const meta = (await a.http.get('/api/v1/namespaces/default/pods?includeObject=Metadata').set('accept', KUBECTL_ACCEPT).expect(200))
      .body;
    assert.equal(meta.rows[0].object.kind, 'PartialObjectMetadata');
    // All of ObjectMeta, managedFields included, as upstream's asTable (meta.AsPartialObjectMetadata).
    const stored = (await a.http.get('/api/v1/namespaces/default/pods/web-1').expect(200)).body;
    assert.ok(stored.metadata.managedFields?.length);
    assert.deepEqual(meta.rows[0].object.metadata, stored.metadata);
    const none = (await a.http.get('/api/v1/namespaces/default/pods?includeObject=None').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.equal(none.rows[0].object, null);
    assert.equal(none.rows[0].cells[0], 'web-1');
    const bad = await a.http.get('/api/v1/namespaces/default/pods?includeObject=All').set('accept', KUBECTL_ACCEPT).expect(400);
    assert.equal(bad.body.reason, 'BadRequest');
    assert.equal(
      bad.body.message,
      `Unable to convert to Table as requested: includeObject: Invalid value: "All": must be 'Metadata', 'Object', 'None', or empty`,
    );
  });

  test('paged LIST keeps continue and remainingItemCount in the Table metadata; an empty list has rows []', async (t) => {
    const { a } = await app(t);
    for (const n of ['a', 'b', 'c']) await a.http.post('/api/v1/namespaces/default/pods').send(pod(n)).expect(201);
    const page = (await a.http.get('/api/v1/namespaces/default/pods?limit=2').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.deepEqual(
      page.rows.map((r: Obj) => r.cells[0]),
      ['a', 'b'],
    );
    assert.equal(typeof page.metadata.continue, 'string');
    assert.equal(page.metadata.remainingItemCount, 1);
    const rest = (
      await a.http
        .get(`/api/v1/namespaces/default/pods?limit=2&continue=${page.metadata.continue}`)
        .set('accept', KUBECTL_ACCEPT)
        .expect(200)
    ).body;
    assert.deepEqual(
      rest.rows.map((r: Obj) => r.cells[0]),
      ['c'],
    );
    assert.equal(rest.metadata.continue, undefined);
    assert.equal(rest.metadata.resourceVersion, page.metadata.resourceVersion);
    const empty = (await a.http.get('/api/v1/namespaces/kube-public/pods').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.deepEqual(empty.rows, []);
    assert.equal(empty.columnDefinitions.length, 9);
  });

  test('v1beta1-only Accept gets a meta.k8s.io/v1beta1 Table; a plain Accept gets the typed list', async (t) => {
    const { a } = await app(t);
    const beta = (await a.http.get('/api/v1/namespaces').set('accept', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io').expect(200))
      .body;
    assert.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');
    assert.equal(beta.rows[0].object.apiVersion, 'meta.k8s.io/v1beta1');
    const plain = (await a.http.get('/api/v1/namespaces').set('accept', 'application/json').expect(200)).body;
    assert.equal(plain.kind, 'NamespaceList');
    const yaml = await a.http.get('/api/v1/namespaces').set('accept', 'application/yaml').expect(200);
    assert.match(yaml.text, /^kind: NamespaceList$/m);
  });

  test('nodes and daemonsets print their kubectl columns', async (t) => {
    const { a, clock } = await app(t);
    await a.kubemock.ensureNodes(2);
    clock.advance(10 * DAY);
    const nodes = (await a.http.get('/api/v1/nodes').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.deepEqual(
      nodes.columnDefinitions.map((c: Obj) => c.name),
      ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    );
    assert.deepEqual(
      nodes.rows.map((r: Obj) => r.cells.slice(0, 4)),
      [
        ['node-1', 'Ready', '<none>', '10d'],
        ['node-2', 'Ready', '<none>', '10d'],
      ],
    );
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds1' },
      spec: {
        selector: { matchLabels: { app: 'ds1' } },
        template: {
          metadata: { labels: { app: 'ds1' } },
          spec: { nodeSelector: { disktype: 'ssd' }, containers: [{ name: 'c', image: 'nginx:1.25' }] },
        },
      },
    };
    await a.http.post('/apis/apps/v1/namespaces/default/daemonsets').send(ds).expect(201);
    const table = (await a.http.get('/apis/apps/v1/daemonsets').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    assert.deepEqual(table.rows[0].cells, ['ds1', 0, 0, 0, 0, 0, 'disktype=ssd', '0s', 'c', 'nginx:1.25', 'app=ds1']);
    assert.equal(table.rows[0].object.metadata.namespace, 'default');
  });

  test('WATCH with the Table Accept sends one-row Tables, column definitions in the first event only', async (t) => {
    const { a } = await app(t);
    const list = (await a.http.get('/api/v1/namespaces/default/pods').set('accept', KUBECTL_ACCEPT).expect(200)).body;
    const events = await watchEvents(
      a,
      `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      KUBECTL_ACCEPT,
      3,
      async () => {
        await a.http.post('/api/v1/namespaces/default/pods').send(pod('w1')).expect(201);
        await a.http
          .patch('/api/v1/namespaces/default/pods/w1/status')
          .set('content-type', 'application/merge-patch+json')
          .send({ status: { phase: 'Running', podIP: '10.244.0.7' } })
          .expect(200);
        await a.http.delete('/api/v1/namespaces/default/pods/w1').expect(200);
      },
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    for (const e of events) {
      assert.equal(e.object.kind, 'Table');
      assert.equal(e.object.apiVersion, 'meta.k8s.io/v1');
      assert.equal(e.object.rows.length, 1);
      assert.equal(e.object.rows[0].object.kind, 'PartialObjectMetadata');
      assert.equal(e.object.metadata.resourceVersion, e.object.rows[0].object.metadata.resourceVersion);
    }
    assert.equal(events[0].object.columnDefinitions.length, 9);
    assert.equal(events[1].object.columnDefinitions, null);
    assert.deepEqual(events[0].object.rows[0].cells.slice(0, 3), ['w1', '0/1', 'Pending']);
    assert.deepEqual(events[1].object.rows[0].cells.slice(0, 3), ['w1', '0/1', 'Running']);
    assert.equal(events[1].object.rows[0].cells[5], '10.244.0.7');
  });

  test('WATCH with resourceVersion=0 and includeObject=Object replays full objects as Tables', async (t) => {
    const { a } = await app(t);
    await a.http.post('/api/v1/namespaces/default/pods').send(pod('w0')).expect(201);
    const events = await watchEvents(
      a,
      '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0&includeObject=Object',
      KUBECTL_ACCEPT,
      1,
      async () => {},
    );
    assert.equal(events[0].type, 'ADDED');
    assert.equal(events[0].object.rows[0].object.kind, 'Pod');
    assert.equal(events[0].object.rows[0].object.metadata.name, 'w0');
  });

  test('WATCH without the Table Accept sends plain objects', async (t) => {
    const { a } = await app(t);
    await a.http.post('/api/v1/namespaces/default/pods').send(pod('p0')).expect(201);
    const events = await watchEvents(
      a,
      '/api/v1/namespaces/default/pods?watch=true&resourceVersion=0',
      'application/json',
      1,
      async () => {},
    );
    assert.equal(events[0].object.kind, 'Pod');
  });
});
