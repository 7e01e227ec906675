/**
 * An informer from @kubernetes/client-node (list + watch) keeps an exact cache of pods through
 * creates, updates and deletes, across a kubemock restart and a forced 410 (compaction, or the
 * resourceVersion falling out of the watch window).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { buildApp, type Kubemock } from '../../src/app.js';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { waitFor } from '../helpers/eventually.js';

const NS = 'default';

async function start(
  db: string,
  port: number,
  retainedEvents?: number,
  clock?: ManualClock,
): Promise<{ kubemock: Kubemock; port: number }> {
  const kubemock = await buildApp({ db, logLevel: 'silent', controllers: false, retainedEvents, clock });
  await kubemock.fastify.listen({ host: '127.0.0.1', port });
  return { kubemock, port: (kubemock.fastify.server.address() as { port: number }).port };
}

function clientFor(port: number) {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kubemock', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'kubemock' }],
    contexts: [{ name: 'kubemock', cluster: 'kubemock', user: 'kubemock' }],
    currentContext: 'kubemock',
  });
  return { kc, core: kc.makeApiClient(k8s.CoreV1Api) };
}

const pod = (name: string): k8s.V1Pod => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

async function serverState(core: k8s.CoreV1Api): Promise<string[]> {
  const list = await core.listNamespacedPod({ namespace: NS });
  return list.items.map((p) => `${p.metadata!.name}@${p.metadata!.resourceVersion}`).sort();
}

function cacheState(informer: k8s.Informer<k8s.V1Pod> & k8s.ObjectCache<k8s.V1Pod>): string[] {
  return informer
    .list(NS)
    .map((p) => `${p.metadata!.name}@${p.metadata!.resourceVersion}`)
    .sort();
}

async function churn(core: k8s.CoreV1Api, prefix: string, count: number): Promise<void> {
  const live: string[] = [];
  for (let i = 0; i < count; i++) {
    const op = i % 10;
    if (op < 4 || live.length < 3) {
      const name = `${prefix}-${i}`;
      await core.createNamespacedPod({ namespace: NS, body: pod(name) });
      live.push(name);
    } else if (op < 7) {
      const name = live[i % live.length];
      await core.patchNamespacedPod(
        { namespace: NS, name, body: { metadata: { labels: { step: String(i) } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    } else {
      const name = live.splice(i % live.length, 1)[0];
      await core.deleteNamespacedPod({ namespace: NS, name });
    }
  }
}

test('an informer keeps an exact cache through 1,000 changes, a restart and a 410', async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'kubemock-informer-')), 'k.db');
  let server = await start(db, 0);
  const port = server.port;
  const { kc, core } = clientFor(port);
  const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => core.listNamespacedPod({ namespace: NS }));
  let relists = 0;
  let finished = false;
  informer.on('connect', () => relists++);
  // As client-node advises: restart after an error (the server was down), until the test ends.
  informer.on('error', () => setTimeout(() => finished || void informer.start().catch(() => undefined), 50));
  await informer.start();
  t.after(async () => {
    finished = true;
    await informer.stop();
    await server.kubemock.close();
  });

  await churn(core, 'a', 1000);
  await waitFor(async () => assert.deepEqual(cacheState(informer), await serverState(core)), { timeoutMs: 10_000 });

  // Restart on the same file and port: the informer reconnects and resumes from its resourceVersion.
  await server.kubemock.close();
  server = await start(db, port);
  await churn(core, 'b', 100);
  await waitFor(async () => assert.deepEqual(cacheState(informer), await serverState(core)), { timeoutMs: 10_000 });

  // Writes while it is away, beyond the retained window: the resume gets 410 and the informer re-lists.
  await informer.stop();
  await server.kubemock.close();
  server = await start(db, port, 5);
  const away = clientFor(port).core;
  await churn(away, 'c', 150);
  const before = relists;
  await informer.start();
  await churn(core, 'd', 20);
  await waitFor(async () => assert.deepEqual(cacheState(informer), await serverState(core)), { timeoutMs: 10_000 });
  assert.ok(relists > before);
});

test("an informer away while its resourceVersion left the pods' watch window re-lists on the 410 and catches up", async (t) => {
  const clock = new ManualClock();
  const server = await start(':memory:', 0, undefined, clock);
  const { kc, core } = clientFor(server.port);
  let lists = 0;
  const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => (lists++, core.listNamespacedPod({ namespace: NS })));
  t.after(async () => {
    await informer.stop();
    await server.kubemock.close();
  });
  await informer.start();
  await informer.stop();
  assert.equal(lists, 1);

  // One pod, then 75 s later 100 more: the 101st change of the window pushes the first out.
  await core.createNamespacedPod({ namespace: NS, body: pod('early') });
  clock.advance(76_000);
  for (let i = 0; i < 100; i++) await core.createNamespacedPod({ namespace: NS, body: pod(`later-${i}`) });

  await informer.start();
  await core.createNamespacedPod({ namespace: NS, body: pod('last') });
  await waitFor(async () => assert.deepEqual(cacheState(informer), await serverState(core)), { timeoutMs: 10_000 });
  assert.equal(lists, 2, 'the resume answered 410 and the informer listed again');
});
