/**
 * Custom resources whose plural equals a built-in one in another group (`pods.example.com`,
 * `daemonsets.example.com`) live beside the built-in kinds without touching them: storage, watch,
 * the controllers' cache (DaemonSet controller, garbage collector), snapshots and the journal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startKubemock, type KubemockServer } from '../../src/index.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import type { WatchEvent } from '../../src/registry/store-watch.js';

function crd(plural: string, kind: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural, kind },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

const CUSTOM_PODS = '/apis/example.com/v1/namespaces/default/pods';
const CUSTOM_DS = '/apis/example.com/v1/namespaces/default/daemonsets';
const CORE_PODS = '/api/v1/namespaces/default/pods';
const CORE_DS = '/apis/apps/v1/namespaces/default/daemonsets';

async function call(cluster: KubemockServer, method: string, path: string, body?: unknown): Promise<{ code: number; body: any }> {
  const res = await fetch(cluster.url + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  return { code: res.status, body: await res.json() };
}

const corePod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const customPod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Pod',
  metadata: { name, ...extra },
  spec: { size: 'large' },
});
const coreDaemonSet = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('custom resources with a built-in plural in another group', () => {
  it('pods.example.com and core pods of the same name are separate objects, lists and watches', async (t) => {
    const cluster = await startKubemock({ crds: [crd('pods', 'Pod'), crd('daemonsets', 'DaemonSet')], nodes: 1, kubeconfig: false });
    t.after(() => cluster.stop());
    const customEvents: WatchEvent[] = [];
    const watch = cluster.kubemock.registry.store('pods', 'example.com').watch();
    watch.start({ next: (ev) => customEvents.push(ev), end: () => {} });
    t.after(() => watch.stop());

    assert.equal((await call(cluster, 'POST', CORE_PODS, corePod('same'))).code, 201);
    assert.equal((await call(cluster, 'POST', CUSTOM_PODS, customPod('same'))).code, 201);
    assert.equal((await call(cluster, 'GET', `${CORE_PODS}/same`)).body.apiVersion, 'v1');
    assert.deepEqual((await call(cluster, 'GET', `${CUSTOM_PODS}/same`)).body.spec, { size: 'large' });
    assert.deepEqual(
      (await call(cluster, 'GET', CUSTOM_PODS)).body.items.map((p: KubeObject) => p.apiVersion),
      ['example.com/v1'],
    );
    assert.ok((await call(cluster, 'GET', CORE_PODS)).body.items.every((p: KubeObject) => p.apiVersion === 'v1'));
    assert.equal((await call(cluster, 'DELETE', `${CUSTOM_PODS}/same`)).code, 200);
    assert.equal((await call(cluster, 'GET', `${CORE_PODS}/same`)).code, 200, 'the core pod stays');
    await cluster.settle();
    // The custom pods' watch saw its own object only, never the core pod or its status updates.
    assert.deepEqual(
      customEvents.map((e) => `${e.type} ${(e.object as KubeObject).apiVersion}`),
      ['ADDED example.com/v1', 'DELETED example.com/v1'],
    );
  });

  it('the DaemonSet controller and the garbage collector keep daemonsets.example.com apart from apps', async (t) => {
    const cluster = await startKubemock({ crds: [crd('pods', 'Pod'), crd('daemonsets', 'DaemonSet')], nodes: 2, kubeconfig: false });
    t.after(() => cluster.stop());
    const owner = (await call(cluster, 'POST', CUSTOM_DS, { apiVersion: 'example.com/v1', kind: 'DaemonSet', metadata: { name: 'ds' } }))
      .body as KubeObject;
    assert.equal((await call(cluster, 'POST', CORE_DS, coreDaemonSet('ds'))).code, 201);
    const ref = { apiVersion: 'example.com/v1', kind: 'DaemonSet', name: 'ds', uid: owner.metadata.uid };
    assert.equal((await call(cluster, 'POST', CUSTOM_PODS, customPod('child', { ownerReferences: [ref] }))).code, 201);
    // The built-in DaemonSet runs a pod on each node, and only its own status moves.
    await cluster.waitForPods({ labelSelector: 'app=ds', count: 2, phase: 'Running' });
    await cluster.waitFor(async () => (await call(cluster, 'GET', `${CORE_DS}/ds`)).body.status?.numberReady === 2);
    assert.equal((await call(cluster, 'GET', `${CUSTOM_DS}/ds`)).body.status, undefined);

    const snapshot = cluster.snapshot();
    // Deleting the custom owner collects its custom dependent, never the core pods or the core DaemonSet.
    assert.equal((await call(cluster, 'DELETE', `${CUSTOM_DS}/ds`)).code, 200);
    await cluster.waitFor(async () => (await call(cluster, 'GET', `${CUSTOM_PODS}/child`)).code === 404);
    await cluster.settle();
    assert.equal((await call(cluster, 'GET', `${CORE_DS}/ds`)).code, 200);
    assert.equal(cluster.pods({ labelSelector: 'app=ds' }).length, 2);

    cluster.restore(snapshot);
    assert.equal((await call(cluster, 'GET', `${CUSTOM_PODS}/child`)).code, 200, 'the snapshot brings the custom pod back');
    assert.equal((await call(cluster, 'GET', `${CUSTOM_DS}/ds`)).code, 200);
    assert.equal(cluster.pods({ labelSelector: 'app=ds' }).length, 2);

    const custom = cluster.journal({ resource: 'pods', group: 'example.com' });
    assert.ok(custom.length >= 2);
    assert.ok(custom.every((e) => e.group === 'example.com'));
    assert.ok(cluster.journal({ resource: 'pods', group: '' }).every((e) => !e.group));
  });
});
