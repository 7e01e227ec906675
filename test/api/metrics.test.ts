/**
 * /metrics: kube-apiserver's request, watch and storage metrics with upstream's labels, the
 * controllers' work-queue metrics and kubemock's own, and who may read them (system:monitoring).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';
import { waitFor } from '../helpers/eventually.js';
import { parseExposition, valueOf, type Exposition } from '../helpers/prometheus-text.js';

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

async function scrape({ http }: TestApp): Promise<Exposition> {
  const res = await http.get('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  return parseExposition(res.text);
}

/** The labels of a core-group pods request (the rest as given). */
const podRequest = (labels: Record<string, string>): Record<string, string> => ({
  group: '',
  version: 'v1',
  resource: 'pods',
  subresource: '',
  component: 'apiserver',
  dry_run: '',
  ...labels,
});

test('a GET of a missing pod increments apiserver_request_total with verb GET, resource pods, scope resource and code 404', async (t) => {
  const app = await buildTestApp(t);
  const labels = podRequest({ verb: 'GET', scope: 'resource', code: '404' });
  const before = valueOf(await scrape(app), 'apiserver_request_total', labels);
  assert.equal((await app.http.get(`${PODS}/missing`)).status, 404);
  const after = await scrape(app);
  assert.equal(valueOf(after, 'apiserver_request_total', labels), before + 1);
  const { code: _code, ...durationLabels } = labels;
  assert.equal(valueOf(after, 'apiserver_request_duration_seconds_count', durationLabels), before + 1);
  assert.equal(after.types.get('apiserver_request_total'), 'counter');
  assert.equal(after.types.get('apiserver_request_duration_seconds'), 'histogram');
});

test('verbs and scopes as upstream reports them: LIST per namespace and cluster-wide, POST (dry run too), APPLY, PUT, DELETE', async (t) => {
  const app = await buildTestApp(t);
  const { http } = app;
  assert.equal((await http.post(PODS).send(pod('a'))).status, 201);
  assert.equal((await http.post(`${PODS}?dryRun=All`).send(pod('b'))).status, 201);
  assert.equal((await http.get(PODS)).status, 200);
  assert.equal((await http.get('/api/v1/pods')).status, 200);
  assert.equal((await http.get(`${PODS}/a`)).status, 200);
  const applied = await http
    .patch(`/api/v1/namespaces/default/configmaps/cm?fieldManager=test`)
    .set('content-type', 'application/apply-patch+yaml')
    .send(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }));
  assert.equal(applied.status, 201);
  const merged = await http
    .patch(`${PODS}/a`)
    .set('content-type', 'application/merge-patch+json')
    .send({ metadata: { labels: { x: 'y' } } });
  assert.equal(merged.status, 200);
  assert.equal((await http.put(`${PODS}/a`).send({ ...merged.body, metadata: { ...merged.body.metadata, labels: {} } })).status, 200);
  assert.equal((await http.delete(`${PODS}/a`)).status, 200);
  assert.equal((await http.delete(PODS)).status, 200);

  const m = await scrape(app);
  const count = (labels: Record<string, string>) => valueOf(m, 'apiserver_request_total', labels);
  assert.equal(count(podRequest({ verb: 'POST', scope: 'resource', code: '201' })), 1);
  assert.equal(count(podRequest({ verb: 'POST', scope: 'resource', code: '201', dry_run: 'All' })), 1);
  assert.equal(count(podRequest({ verb: 'LIST', scope: 'namespace', code: '200' })), 1);
  assert.equal(count(podRequest({ verb: 'LIST', scope: 'cluster', code: '200' })), 1);
  assert.equal(count(podRequest({ verb: 'GET', scope: 'resource', code: '200' })), 1);
  assert.equal(count(podRequest({ verb: 'PATCH', scope: 'resource', code: '200' })), 1);
  assert.equal(count(podRequest({ verb: 'PUT', scope: 'resource', code: '200' })), 1);
  assert.equal(count(podRequest({ verb: 'DELETE', scope: 'resource', code: '200' })), 1);
  // A delete of the collection is a DELETE on the namespace's scope (upstream reports the HTTP method).
  assert.equal(count(podRequest({ verb: 'DELETE', scope: 'namespace', code: '200' })), 1);
  assert.equal(count({ verb: 'APPLY', resource: 'configmaps', scope: 'resource', code: '201' }), 1);
  // Response sizes are kept for reads only.
  assert.equal(valueOf(m, 'apiserver_response_sizes_count', { verb: 'LIST', resource: 'pods', scope: 'namespace' }), 1);
  assert.equal(valueOf(m, 'apiserver_response_sizes_count', { verb: 'POST', resource: 'pods', scope: 'resource' }), 0);
  // Unknown resources are not counted (no series per mistyped URL).
  assert.equal((await http.get('/api/v1/namespaces/default/nothings')).status, 404);
  assert.equal((await scrape(app)).samples.filter((s) => s.labels.resource === 'nothings').length, 0);
});

test('a watch: open in apiserver_longrunning_requests, its events in apiserver_watch_events_total, counted as WATCH once it ends', async (t) => {
  const app = await buildTestApp(t);
  const { http, kubemock } = app;
  await http.post(PODS).send(pod('a'));
  const w = await openWatch(kubemock, `${PODS}?watch=1&resourceVersion=0`);
  await w.waitFor(1);
  await http.post(PODS).send(pod('b'));
  await w.waitFor(2);
  const open = await scrape(app);
  assert.equal(valueOf(open, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'pods', scope: 'namespace', version: 'v1' }), 1);
  assert.equal(valueOf(open, 'apiserver_watch_events_total', { group: '', version: 'v1', kind: 'Pod' }), 2);
  assert.equal(valueOf(open, 'apiserver_request_total', { verb: 'WATCH' }), 0);
  w.close();
  const ended = await waitFor(async () => {
    const m = await scrape(app);
    return valueOf(m, 'apiserver_request_total', podRequest({ verb: 'WATCH', scope: 'namespace', code: '200' })) === 1 && m;
  });
  assert.equal(valueOf(ended, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'pods' }), 0);
  // A watch is long-running: it never counts against the in-flight requests.
  assert.equal(valueOf(ended, 'apiserver_request_duration_seconds_count', { verb: 'WATCH', resource: 'pods' }), 1);
});

test('apiserver_current_inflight_requests counts a mutating request while it is being served', async (t) => {
  const app = await buildTestApp(t);
  const { http } = app;
  const fault = await http
    .post('/kubemock/v1/faults')
    .send({ action: 'latency', latencyMs: 5000, verb: ['create'], resource: 'configmaps', count: 1 });
  assert.equal(fault.status, 201);
  const slow = http.post('/api/v1/namespaces/default/configmaps').send({ metadata: { name: 'slow' } });
  const pending = slow.then(
    () => undefined,
    () => undefined,
  );
  await waitFor(async () => valueOf(await scrape(app), 'apiserver_current_inflight_requests', { request_kind: 'mutating' }) === 1);
  // The scrape itself is a read in flight.
  assert.ok(valueOf(await scrape(app), 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }) >= 1);
  slow.abort();
  await pending;
});

test('apiserver_storage_objects counts stored objects per resource, named as upstream (daemonsets.apps)', async (t) => {
  const app = await buildTestApp(t);
  const { http } = app;
  const before = await scrape(app);
  for (const name of ['one', 'two'])
    assert.equal((await http.post('/api/v1/namespaces/default/configmaps').send({ metadata: { name } })).status, 201);
  const after = await scrape(app);
  assert.equal(
    valueOf(after, 'apiserver_storage_objects', { resource: 'configmaps' }),
    valueOf(before, 'apiserver_storage_objects', { resource: 'configmaps' }) + 2,
  );
  assert.equal(valueOf(after, 'apiserver_storage_objects', { resource: 'daemonsets.apps' }), 0);
  assert.ok(valueOf(after, 'apiserver_storage_objects', { resource: 'clusterroles.rbac.authorization.k8s.io' }) > 0);
});

test('kubemock_faults_fired_total counts fault rules fired; the answer they gave is an apiserver request too', async (t) => {
  const app = await buildTestApp(t);
  const { http } = app;
  await http.post('/kubemock/v1/faults').send({ action: 'error', status: 503, verb: ['get'], resource: 'pods', count: 1 });
  assert.equal((await http.get(`${PODS}/x`)).status, 503);
  assert.equal((await http.get(`${PODS}/x`)).status, 404);
  const m = await scrape(app);
  assert.equal(valueOf(m, 'kubemock_faults_fired_total', { action: 'error', code: '503' }), 1);
  assert.equal(valueOf(m, 'apiserver_request_total', podRequest({ verb: 'GET', scope: 'resource', code: '503' })), 1);
  assert.equal(valueOf(m, 'apiserver_request_total', podRequest({ verb: 'GET', scope: 'resource', code: '404' })), 1);
});

test('/metrics is for the group system:monitoring (upstream bootstrap role and binding), not for every user', async (t) => {
  const app = await buildTestApp(t);
  const { http } = app;
  const denied = await http.get('/metrics').set('Impersonate-User', 'jane');
  assert.equal(denied.status, 403);
  assert.equal(denied.body.reason, 'Forbidden');
  assert.equal(denied.body.message, 'forbidden: User "jane" cannot get path "/metrics"');
  const allowed = await http.get('/metrics').set('Impersonate-User', 'prometheus').set('Impersonate-Group', 'system:monitoring');
  assert.equal(allowed.status, 200);
  const role = await http.get('/apis/rbac.authorization.k8s.io/v1/clusterroles/system:monitoring');
  assert.deepEqual(role.body.rules, [
    {
      verbs: ['get'],
      nonResourceURLs: ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'],
    },
  ]);
  const binding = await http.get('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:monitoring');
  assert.deepEqual(binding.body.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:monitoring' }]);
});

test('with the controllers: work-queue metrics per queue under upstream names, pods by phase, simulated nodes', async (t) => {
  const app = await buildTestApp(t, { controllers: true });
  const { http, kubemock } = app;
  await kubemock.ensureNodes(2);
  const ds = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent' }] } },
    },
  };
  assert.equal((await http.post('/apis/apps/v1/namespaces/default/daemonsets').send(ds)).status, 201);
  const m = await waitFor(
    async () => {
      const m = await scrape(app);
      return valueOf(m, 'kubemock_pods', { phase: 'Running' }) === 2 && m;
    },
    { timeoutMs: 20_000 },
  );
  assert.equal(valueOf(m, 'kubemock_pods', { phase: 'Pending' }), 0);
  assert.equal(valueOf(m, 'kubemock_simulated_nodes', { reachable: 'true' }), 2);
  assert.ok(valueOf(m, 'workqueue_adds_total', { name: 'daemonset' }) >= 1);
  assert.ok(valueOf(m, 'workqueue_work_duration_seconds_count', { name: 'daemonset' }) >= 1);
  assert.ok(valueOf(m, 'workqueue_queue_duration_seconds_count', { name: 'daemonset' }) >= 1);
  assert.equal(m.types.get('workqueue_depth'), 'gauge');
  assert.ok(valueOf(m, 'workqueue_adds_total', { name: 'garbage_collector_attempt_to_delete' }) >= 1);
  assert.equal(valueOf(m, 'apiserver_storage_objects', { resource: 'pods' }), 2);
});
