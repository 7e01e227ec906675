/** A kubemock with controllers on a manual clock, N nodes, and helpers that let time pass. */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/apimachinery/clock.js';
import type { ControllerSettings } from '../../src/controllers/context.js';
import { buildTestApp, type TestApp } from './build-app.js';

type Obj = Record<string, any>;

export interface ManualCluster {
  app: TestApp;
  clock: ManualClock;
  /** Waits until the controllers have nothing left to do at the current instant. */
  settle(): Promise<void>;
  /** Advances the clock a second at a time, letting the controllers run in between (as real time would). */
  pass(ms: number): Promise<void>;
  /** GET that must answer 200. */
  get(path: string): Promise<Obj>;
  /** JSON merge patch that must answer 200, then settle. */
  patch(path: string, body: Obj): Promise<void>;
  /** Creates a pod in `namespace`, lets a second pass and returns it, which must be Running by then. */
  runPod(body: Obj, namespace?: string): Promise<Obj>;
}

export async function manualCluster(t: TestContext, nodes: number, simulation: Partial<ControllerSettings> = {}): Promise<ManualCluster> {
  const clock = new ManualClock();
  const app = await buildTestApp(t, { controllers: true, clock, simulation });
  await app.kubemock.ensureNodes(nodes);
  const settle = () => app.kubemock.manager!.waitIdle();
  await settle();
  const cluster: ManualCluster = {
    app,
    clock,
    settle,
    async pass(ms) {
      for (let left = ms; left > 0; left -= 1000) {
        clock.advance(Math.min(1000, left));
        await settle();
      }
    },
    async get(path) {
      const res = await app.http.get(path);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      return res.body as Obj;
    },
    async patch(path, body) {
      const res = await app.http.patch(path).set('content-type', 'application/merge-patch+json').send(body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await settle();
    },
    async runPod(body, namespace = 'default') {
      const pods = `/api/v1/namespaces/${namespace}/pods`;
      const res = await app.http.post(pods).send(body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await cluster.pass(1000);
      const pod = await cluster.get(`${pods}/${body.metadata.name}`);
      assert.equal(pod.status.phase, 'Running');
      return pod;
    },
  };
  return cluster;
}
