/**
 * A manual clock: pod startup, minReadySeconds and watch bookmarks happen only when the clock is
 * advanced, through the control API or the library; wall-clock time changes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/apimachinery/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { startCli } from '../helpers/cli.js';
import { openWatch } from '../helpers/watch-client.js';

const PODS = '/api/v1/namespaces/default/pods';
const CLOCK = '/kubemock/v1/clock';
const START = Date.UTC(2030, 0, 1);

async function manualApp(t: Parameters<typeof buildTestApp>[0]): Promise<TestApp> {
  const app = await buildTestApp(t, { controllers: true, clock: new ManualClock(START), simulation: { podStartupMs: 2000 } });
  await app.kubemock.ensureNodes(1);
  await app.http.post('/kubemock/v1/settle').expect(200);
  return app;
}

const advance = (app: TestApp, body: Record<string, number>) => app.http.post(`${CLOCK}/advance`).send(body).expect(200);
const phase = async (app: TestApp, name: string) => (await app.http.get(`${PODS}/${name}`).expect(200)).body.status.phase as string;

describe('manual clock', () => {
  it('starts pods only when advanced by podStartupMs', async (t) => {
    const app = await manualApp(t);
    await app.http
      .post(PODS)
      .send({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } })
      .expect(201);
    await app.http.post('/kubemock/v1/settle').expect(200);
    const bound = (await app.http.get(`${PODS}/p`)).body;
    assert.equal(bound.spec.nodeName, 'node-1', 'scheduling takes no time');
    assert.equal(bound.status.containerStatuses[0].state.waiting.reason, 'ContainerCreating', 'the kubelet took it on at once');
    await sleep(300);
    assert.equal(await phase(app, 'p'), 'Pending', 'wall-clock time changes nothing');
    await advance(app, { ms: 1999 });
    assert.equal(await phase(app, 'p'), 'Pending');
    const state = (await advance(app, { ms: 1 })).body;
    assert.deepEqual(state, { mode: 'manual', now: START + 2000, time: new Date(START + 2000).toISOString() });
    const running = (await app.http.get(`${PODS}/p`)).body;
    assert.equal(running.status.phase, 'Running');
    assert.equal(running.status.startTime, '2030-01-01T00:00:00Z', 'when the kubelet took the pod on');
    assert.equal(running.status.containerStatuses[0].state.running.startedAt, '2030-01-01T00:00:02Z');
  });

  it('makes DaemonSet pods available only after minReadySeconds have passed on it', async (t) => {
    const app = await manualApp(t);
    const ds = {
      metadata: { name: 'slow' },
      spec: {
        minReadySeconds: 10,
        selector: { matchLabels: { app: 'slow' } },
        template: { metadata: { labels: { app: 'slow' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    };
    await app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send(ds).expect(201);
    const status = async () => (await app.http.get('/apis/apps/v1/namespaces/default/daemonsets/slow')).body.status;
    await advance(app, { seconds: 2 });
    assert.deepEqual([(await status()).numberReady, (await status()).numberAvailable ?? 0], [1, 0]);
    await sleep(200);
    await advance(app, { seconds: 9 });
    assert.equal((await status()).numberAvailable ?? 0, 0, '9 s after ready: not yet available');
    await advance(app, { seconds: 2 });
    assert.equal((await status()).numberAvailable, 1);
  });

  it('sends watch bookmarks and ends watch streams on its time', async (t) => {
    const app = await buildTestApp(t, { clock: new ManualClock(START), watch: { bookmarkIntervalMs: 60_000 } });
    const w = await openWatch(app.kubemock, `${PODS}?watch=1&allowWatchBookmarks=true&timeoutSeconds=300`);
    t.after(() => w.close());
    await sleep(200);
    assert.equal(w.events.length, 0);
    await advance(app, { seconds: 60 });
    assert.deepEqual(
      (await w.waitFor(1)).map((e) => e.type),
      ['BOOKMARK'],
    );
    await advance(app, { seconds: 180 });
    assert.equal((await w.waitFor(4)).length, 4);
    await advance(app, { seconds: 60 });
    await w.ended;
  });

  it('is reported by GET /kubemock/v1/clock; a real clock refuses to be advanced', async (t) => {
    const manual = await manualApp(t);
    assert.equal((await manual.http.get(CLOCK)).body.mode, 'manual');
    await manual.http.post(`${CLOCK}/advance`).send({}).expect(400);
    const real = await buildTestApp(t);
    const state = (await real.http.get(CLOCK).expect(200)).body;
    assert.equal(state.mode, 'real');
    assert.ok(Math.abs(state.now - Date.now()) < 5000);
    const refused = await real.http.post(`${CLOCK}/advance`).send({ ms: 10 }).expect(409);
    assert.equal(refused.body.kind, 'Status');
  });

  it('is what --clock=manual gives the command line, with --fixtures loaded at start', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubemock-clock-'));
    writeFileSync(join(dir, 'fx.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: fx}\nspec: {containers: [{name: c, image: nginx}]}\n');
    const cli = await startCli([
      '--port',
      '0',
      '--db',
      ':memory:',
      '--kubeconfig',
      join(dir, 'kc'),
      '--nodes',
      '1',
      '--clock=manual',
      '--fixtures',
      join(dir, 'fx.yaml'),
      '--log-level',
      'silent',
    ]);
    t.after(() => cli.stop());
    const get = async (path: string) => (await fetch(cli.url + path)).json() as Promise<Record<string, any>>;
    assert.equal((await get(CLOCK)).mode, 'manual');
    await fetch(`${cli.url}/kubemock/v1/settle`, { method: 'POST' });
    assert.equal((await get(`${PODS}/fx`)).status.phase, 'Pending');
    await fetch(`${cli.url}${CLOCK}/advance`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal((await get(`${PODS}/fx`)).status.phase, 'Running');
  });
});
