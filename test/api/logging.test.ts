/**
 * The server's logs: JSON lines by default, text for a terminal; one line per request at debug;
 * controllers' actions at info in words; warnings for what a client did wrong, and no noise for
 * the 404s of everyday discovery.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import type { AppOptions } from '../../src/app.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const LEVEL = { debug: 20, info: 30, warn: 40 };

/** A server whose log lines are kept (as written) for the test to read. */
async function loggedApp(t: TestContext, opts: Partial<AppOptions> = {}) {
  const written: string[] = [];
  const app = await buildTestApp(t, { logDestination: { write: (chunk: string) => written.push(chunk) }, ...opts });
  const lines = (): LogLine[] =>
    written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
  return { ...app, written, lines };
}

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'fluentd-elasticsearch', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { app: 'fluentd' } },
    template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } },
  },
};

describe('JSON lines', () => {
  it('at debug, every line parses as JSON and each request has one line with method, path, status, duration and user agent', async (t) => {
    const app = await loggedApp(t, { logLevel: 'debug' });
    await app.http.get('/api/v1/namespaces/default').set('user-agent', 'kubectl/v1.33.1 (linux/amd64)').expect(200);
    const lines = await waitFor(() => {
      const found = app.lines().filter((l) => l.path === '/api/v1/namespaces/default');
      return found.length ? found : false;
    });
    assert.equal(lines.length, 1, 'one line, not Fastify\'s "incoming request" and "request completed"');
    const [line] = lines;
    assert.equal(line.level, LEVEL.debug);
    assert.equal(line.method, 'GET');
    assert.equal(line.statusCode, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.userAgent, 'kubectl/v1.33.1 (linux/amd64)');
    assert.match(line.msg, /^GET \/api\/v1\/namespaces\/default 200 \d+\.\dms kubectl\/v1\.33\.1 \(linux\/amd64\)$/);
    assert.ok(!app.lines().some((l) => l.msg === 'incoming request' || l.msg === 'request completed'));
  });

  it('at info, requests that succeed or are everyday 404s write nothing', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info' });
    await app.http.get('/api/v1/namespaces/default').expect(200);
    await app.http.get('/apis/metrics.k8s.io/v1beta1').expect(404);
    await app.http.get('/api/v1/namespaces/default/configmaps/nope').expect(404);
    assert.deepEqual(app.lines(), []);
  });
});

describe('what a client did wrong', () => {
  it('a refused request is logged at warn with its code, reason and message', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info' });
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' } };
    await app.http
      .post('/api/v1/namespaces/default/configmaps')
      .set('content-type', 'application/json')
      .set('user-agent', 'my-operator/1.0')
      .send(JSON.stringify(bad))
      .expect(422);
    const warn = app.lines().find((l) => l.level === LEVEL.warn);
    assert.ok(warn, JSON.stringify(app.lines()));
    assert.equal(warn.statusCode, 422);
    assert.equal(warn.reason, 'Invalid');
    assert.match(
      warn.msg,
      /^POST \/api\/v1\/namespaces\/default\/configmaps: answered 422 Invalid: ConfigMap "Not_A_Name" is invalid: .*\(my-operator\/1\.0\)$/,
    );
  });

  it('a Warning header sent to the client (an unknown field under fieldValidation=Warn) is logged at warn', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dataa: { a: 'b' } };
    const res = await app.http
      .post('/api/v1/namespaces/default/configmaps?fieldValidation=Warn')
      .set('content-type', 'application/json')
      .send(JSON.stringify(cm))
      .expect(201);
    assert.ok(res.headers.warning, 'the API warned the client');
    const warn = app.lines().find((l) => l.level === LEVEL.warn);
    assert.ok(warn, JSON.stringify(app.lines()));
    assert.equal(warn.warning, 'unknown field "dataa"');
    assert.equal(warn.msg, 'POST /api/v1/namespaces/default/configmaps?fieldValidation=Warn: warned the client: unknown field "dataa"');
  });
});

describe("controllers' actions", () => {
  it('a DaemonSet converging is told in words at info: "daemonset kube-system/fluentd-elasticsearch: created 3 pods"', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info', controllers: true });
    await app.kubemock.ensureNodes(3);
    await app.http
      .post('/apis/apps/v1/namespaces/kube-system/daemonsets')
      .set('content-type', 'application/json')
      .send(JSON.stringify(daemonSet))
      .expect(201);
    const created = await waitFor(
      () => {
        const found = app.lines().filter((l) => l.level === LEVEL.info && l.daemonset === 'kube-system/fluentd-elasticsearch');
        const total = found.reduce((n, l) => n + Number(l.created ?? 0), 0);
        return total === 3 ? found : false;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(
      created.map((l) => l.msg),
      ['daemonset kube-system/fluentd-elasticsearch: created 3 pods'],
      'one line for the pass that created the three pods',
    );
  });

  it('the garbage collector tells a burst of deletions in one line, with a few of the names', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info', controllers: true });
    await app.kubemock.ensureNodes(5);
    await app.http
      .post('/apis/apps/v1/namespaces/kube-system/daemonsets')
      .set('content-type', 'application/json')
      .send(JSON.stringify(daemonSet))
      .expect(201);
    await waitFor(() => app.kubemock.registry.store('pods').list('kube-system').items.length === 5 || false, { timeoutMs: 30_000 });
    await app.http.delete('/apis/apps/v1/namespaces/kube-system/daemonsets/fluentd-elasticsearch?propagationPolicy=Background').expect(200);
    const summary = await waitFor(() => app.lines().find((l) => l.controller === 'garbage-collector') ?? false, { timeoutMs: 30_000 });
    assert.match(
      summary.msg,
      /^5 pods: deleted by the garbage collector \(its owners are gone\): kube-system\/fluentd-elasticsearch-\w+, kube-system\/fluentd-elasticsearch-\w+, kube-system\/fluentd-elasticsearch-\w+, …$/,
    );
    assert.equal(summary.count, 5);
  });
});

describe('text for a terminal', () => {
  it('--log-format text writes the time, the level and the words, no JSON', async (t) => {
    const app = await loggedApp(t, { logLevel: 'info', logFormat: 'text' });
    await app.http.post('/api/v1/namespaces/default/configmaps').set('content-type', 'application/json').send('{').expect(400);
    const text = app.written.join('');
    assert.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: POST \/api\/v1\/namespaces\/default\/configmaps: answered 400 BadRequest: .+\n$/);
  });
});
