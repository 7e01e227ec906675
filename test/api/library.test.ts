/** The library API: startKubemock() and its helpers, as a test suite would use them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import { ObjectStore } from '../../src/storage/object-store.js';

/** Whether the server's revision log is written on a thread of its own. */
const threaded = (server: KubemockServer) =>
  server.kubemock.registry.storage instanceof ObjectStore && server.kubemock.registry.storage.threaded;

const podBody = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

async function post(server: KubemockServer, path: string, body: unknown): Promise<Response> {
  return fetch(server.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

describe('startKubemock', () => {
  it('serves on 127.0.0.1 on a free port with a kubeconfig any client can load, and cleans up on stop', async () => {
    const server = await startKubemock();
    const nodes = (await (await fetch(`${server.url}/api/v1/nodes`)).json()) as { items: unknown[] };
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(nodes.items.length, 3, 'three nodes by default, as the CLI');
      assert.ok(server.kubeconfigPath && existsSync(server.kubeconfigPath));
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(server.kubeconfigPath);
      assert.equal(kc.getCurrentCluster()?.server, server.url);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      assert.deepEqual(
        (await core.listNode()).items.map((n) => n.metadata?.name),
        ['node-1', 'node-2', 'node-3'],
      );
      const fromString = new k8s.KubeConfig();
      fromString.loadFromString(server.kubeconfig);
      assert.equal(fromString.getCurrentCluster()?.server, server.url);
    } finally {
      await server.stop();
    }
    assert.equal(existsSync(dirname(server.kubeconfigPath)), false, 'the temporary kubeconfig is removed');
    await assert.rejects(fetch(`${server.url}/api/v1/nodes`));
    await server.stop();
  });

  it('a manual clock: pods start only when the test advances it', async (t) => {
    const server = await startKubemock({ clock: 'manual', nodes: 1, kubeconfig: false, simulation: { podStartupMs: 5000 } });
    t.after(() => server.stop());
    assert.equal(server.kubeconfigPath, undefined);
    assert.equal((await post(server, '/api/v1/namespaces/default/pods', podBody('p', { app: 'x' }))).status, 201);
    await server.settle();
    await server.waitForPods({ labelSelector: 'app=x', count: 1, phase: 'Pending', timeoutMs: 10_000 });
    await server.advanceClock(4999);
    assert.equal((server.pods()[0].status as { phase: string }).phase, 'Pending');
    await server.advanceClock(1);
    const [p] = await server.waitForPods({ namespace: 'default', count: 1, phase: 'Running', ready: true, timeoutMs: 10_000 });
    assert.equal(p.metadata.name, 'p');
  });

  it('adds, breaks and removes nodes', async (t) => {
    const server = await startKubemock({ kubeconfig: false });
    t.after(() => server.stop());
    assert.deepEqual(await server.addNodes(2), ['node-4', 'node-5']);
    assert.deepEqual(await server.addNodes(['edge-a']), ['edge-a']);
    await server.setNodeReady('node-1', false);
    const readyOf = async (name: string) => {
      const node = (await (await fetch(`${server.url}/api/v1/nodes/${name}`)).json()) as {
        status: { conditions: { type: string; status: string }[] };
      };
      return node.status.conditions.find((c) => c.type === 'Ready')!.status;
    };
    assert.equal(await readyOf('node-1'), 'False');
    await server.setNodeReady('node-1', true);
    assert.equal(await readyOf('node-1'), 'True');
    await server.removeNode('edge-a');
    assert.equal((await fetch(`${server.url}/api/v1/nodes/edge-a`)).status, 404);
    const cidrs = (await (await fetch(`${server.url}/api/v1/nodes`)).json()) as { items: { spec: { podCIDR: string } }[] };
    assert.equal(new Set(cidrs.items.map((n) => n.spec.podCIDR)).size, cidrs.items.length, 'every node has its own podCIDR');
  });

  it('faults, journal, snapshot and restore from the library', async (t) => {
    const server = await startKubemock({ kubeconfig: false, nodes: 0, controllers: false });
    t.after(() => server.stop());
    const id = server.snapshot();
    server.addFault({ verb: 'create', resource: 'pods', status: 429, count: 1 });
    assert.equal((await post(server, '/api/v1/namespaces/default/pods', podBody('a'))).status, 429);
    assert.equal((await post(server, '/api/v1/namespaces/default/pods', podBody('a'))).status, 201);
    assert.deepEqual(
      server.journal({ verb: ['create'] }).map((e) => e.code),
      [429, 201],
    );
    server.clearJournal();
    assert.deepEqual(server.journal(), []);
    server.restore(id);
    assert.deepEqual(server.pods(), []);
    await assert.rejects(server.advanceClock(10), /the clock is real time/);
  });

  it('takes fixtures as objects, and a database file that outlives a stop', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'kubemock-lib-')), 'k.db');
    const first = await startKubemock({
      db,
      kubeconfig: false,
      nodes: 0,
      fixtures: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seeded' } }],
    });
    await first.stop();
    const second = await startKubemock({ db, kubeconfig: false, nodes: 0 });
    try {
      assert.equal((await fetch(`${second.url}/api/v1/namespaces/seeded`)).status, 200);
      assert.equal(threaded(second), false, 'no writer thread unless asked for');
    } finally {
      await second.stop();
    }
  });

  it('writes a database file on a thread of its own when asked, as --writer-thread', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'kubemock-lib-')), 'k.db');
    const first = await startKubemock({ db, kubeconfig: false, nodes: 1, writerThread: 0 });
    try {
      assert.equal((await post(first, '/api/v1/namespaces', { metadata: { name: 'threaded' } })).status, 201);
      await first.waitFor(() => threaded(first));
      assert.equal((await post(first, '/api/v1/namespaces/threaded/configmaps', { metadata: { name: 'c' } })).status, 201);
    } finally {
      await first.stop();
    }
    const second = await startKubemock({ db, kubeconfig: false, nodes: 0 });
    try {
      assert.equal(
        (await fetch(`${second.url}/api/v1/namespaces/threaded/configmaps/c`)).status,
        200,
        'what the thread wrote is in the file',
      );
    } finally {
      await second.stop();
    }
  });
});
