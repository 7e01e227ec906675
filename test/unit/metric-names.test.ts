/**
 * Our metrics carry kube-apiserver's and kube-controller-manager's names, types, label names and
 * buckets. The reference below is written from the upstream sources (Kubernetes 1.33, the version
 * /version reports):
 * - test/instrumentation/testdata/stable-metrics-list.yaml: apiserver_request_total,
 *   apiserver_request_duration_seconds, apiserver_response_sizes, apiserver_current_inflight_requests,
 *   apiserver_longrunning_requests, apiserver_storage_objects (STABLE);
 * - staging/src/k8s.io/apiserver/pkg/endpoints/metrics/metrics.go: apiserver_watch_events_total
 *   (ALPHA; labelled group, version, kind until 1.34 turned kind into resource);
 * - staging/src/k8s.io/component-base/metrics/prometheus/workqueue/metrics.go: workqueue_* (BETA),
 *   buckets ExponentialBuckets(10e-7, 10, 10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ApiServerMetrics } from '../../src/apimachinery/metrics/apiserver.js';
import { WorkQueueMetrics } from '../../src/apimachinery/metrics/workqueue.js';
import { parseExposition } from '../helpers/prometheus-text.js';

interface Reference {
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
  buckets?: number[];
}

const UPSTREAM: Record<string, Reference> = {
  apiserver_request_total: {
    type: 'counter',
    labels: ['code', 'component', 'dry_run', 'group', 'resource', 'scope', 'subresource', 'verb', 'version'],
  },
  apiserver_request_duration_seconds: {
    type: 'histogram',
    labels: ['component', 'dry_run', 'group', 'resource', 'scope', 'subresource', 'verb', 'version'],
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
  },
  apiserver_response_sizes: {
    type: 'histogram',
    labels: ['component', 'group', 'resource', 'scope', 'subresource', 'verb', 'version'],
    buckets: [1000, 10000, 100000, 1e6, 1e7, 1e8, 1e9],
  },
  apiserver_current_inflight_requests: { type: 'gauge', labels: ['request_kind'] },
  apiserver_longrunning_requests: { type: 'gauge', labels: ['component', 'group', 'resource', 'scope', 'subresource', 'verb', 'version'] },
  apiserver_storage_objects: { type: 'gauge', labels: ['resource'] },
  apiserver_watch_events_total: { type: 'counter', labels: ['group', 'kind', 'version'] },
  workqueue_depth: { type: 'gauge', labels: ['name'] },
  workqueue_adds_total: { type: 'counter', labels: ['name'] },
  workqueue_queue_duration_seconds: {
    type: 'histogram',
    labels: ['name'],
    buckets: [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000],
  },
  workqueue_work_duration_seconds: { type: 'histogram', labels: ['name'], buckets: [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000] },
  workqueue_retries_total: { type: 'counter', labels: ['name'] },
};

/** A registry where every metric has a series: one request, one open watch, one stored kind, one queue at work. */
async function exposition() {
  const registry = new Registry();
  const labels = { group: 'apps', version: 'v1', resource: 'daemonsets', subresource: '', scope: 'namespace', component: 'apiserver' };
  const apiserver = new ApiServerMetrics(registry, {
    storedObjects: () => [['daemonsets.apps', 3]],
    longRunning: () => [{ ...labels, verb: 'WATCH' }],
  });
  apiserver.observeRequest({ ...labels, verb: 'LIST', dry_run: '' }, 200, 0.01, 2048);
  apiserver.watchEventCell('apps', 'v1', 'DaemonSet').n += 4;
  apiserver.requestStarted('mutating');
  const queue = new WorkQueueMetrics(registry).forQueue('daemonset');
  queue.added();
  queue.waited(0.001);
  queue.worked(0.002);
  queue.retried();
  return parseExposition(await registry.metrics());
}

test('every metric has upstream name, type and label names', async () => {
  const exp = await exposition();
  for (const [name, ref] of Object.entries(UPSTREAM)) {
    assert.equal(exp.types.get(name), ref.type, `${name}'s type`);
    const series = exp.samples.filter((s) => s.name === (ref.type === 'histogram' ? `${name}_count` : name));
    assert.ok(series.length > 0, `${name} has a series`);
    for (const s of series) assert.deepEqual(Object.keys(s.labels).sort(), ref.labels, `${name}'s labels`);
  }
});

test('histograms have upstream buckets', async () => {
  const exp = await exposition();
  for (const [name, ref] of Object.entries(UPSTREAM)) {
    if (!ref.buckets) continue;
    const first = exp.samples.find((s) => s.name === `${name}_bucket`)!;
    const { le: _le, ...series } = first.labels;
    const les = exp.samples
      .filter((s) => s.name === `${name}_bucket` && Object.entries(series).every(([k, v]) => s.labels[k] === v))
      .map((s) => s.labels.le);
    assert.deepEqual(les, [...ref.buckets.map(String), '+Inf'], `${name}'s buckets`);
  }
});

test('the values reach the series: counts, the in-flight watermark, events and stored objects', async () => {
  const exp = await exposition();
  const value = (name: string) => exp.samples.find((s) => s.name === name)!.value;
  assert.equal(value('apiserver_request_total'), 1);
  assert.equal(exp.samples.find((s) => s.name === 'apiserver_current_inflight_requests' && s.labels.request_kind === 'mutating')!.value, 1);
  assert.equal(value('apiserver_watch_events_total'), 4);
  assert.equal(value('apiserver_storage_objects'), 3);
  assert.equal(value('apiserver_longrunning_requests'), 1);
  assert.equal(value('workqueue_adds_total'), 1);
  assert.equal(value('workqueue_retries_total'), 1);
});
