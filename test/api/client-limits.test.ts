/**
 * Per-client limits (API Priority and Fairness in spirit): a client's requests beyond its seats
 * wait in its own queue, beyond the queue they get 429 with Retry-After and upstream's message,
 * while other clients and long-running requests are served as usual. Off unless configured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { buildTestApp } from '../helpers/build-app.js';
import { listening, openWatch } from '../helpers/watch-client.js';
import type { Kubemock } from '../../src/app.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, any>;
}

/** A POST whose body is held back until `finish` is called: the request stays in flight meanwhile. */
async function heldPost(kubemock: Kubemock, port: number, agent: string, name: string) {
  const body = JSON.stringify({ metadata: { name }, data: { k: 'v' } });
  const arrived = once(kubemock.fastify.server, 'request');
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: CONFIGMAPS,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': agent },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Record<string, any> }));
    });
  });
  req.write(body.slice(0, 5));
  await arrived;
  await new Promise((r) => setImmediate(r)); // its hooks have run
  return { answer, finish: () => req.end(body.slice(5)) };
}

test('a client over its seats and queue gets 429 TooManyRequests with Retry-After; others are served meanwhile', async (t) => {
  const { kubemock, http: api } = await buildTestApp(t, { clientLimits: { maxInFlight: 1, maxQueued: 1 } });
  const port = await listening(kubemock);
  const first = await heldPost(kubemock, port, 'runaway/1.0', 'a'); // served (its body still coming)
  const second = await heldPost(kubemock, port, 'runaway/1.0', 'b'); // waits in the queue
  second.finish();
  const third = await heldPost(kubemock, port, 'runaway/1.0', 'c'); // no room left
  third.finish();
  const rejected = await third.answer;
  assert.equal(rejected.status, 429);
  assert.equal(rejected.headers['retry-after'], '1');
  assert.deepEqual(rejected.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Too many requests, please try again later.',
    reason: 'TooManyRequests',
    details: { retryAfterSeconds: 1 },
    code: 429,
  });

  // Another client, and a long-running request of the same one, are not held back.
  await api.get(CONFIGMAPS).set('user-agent', 'kubectl/v1.33.0').expect(200);
  const w = await openWatch(kubemock, `${CONFIGMAPS}?watch=true`, { 'user-agent': 'runaway/1.0' });
  t.after(() => w.close());
  assert.equal(w.status, 200);

  // The queued request is served once the first is done, in order.
  first.finish();
  assert.equal((await first.answer).status, 201);
  assert.equal((await second.answer).status, 201);
  await api.get(`${CONFIGMAPS}/b`).expect(200);
  await api.get(`${CONFIGMAPS}/c`).expect(404);
  // With its seat free again, the client is served at once.
  await api.get(CONFIGMAPS).set('user-agent', 'runaway/1.0').expect(200);
});
