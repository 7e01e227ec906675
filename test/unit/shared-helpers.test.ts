import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339, rfc3339 } from '../../src/apimachinery/object.js';
import { groupOfApiVersion, versionOfApiVersion } from '../../src/apimachinery/group-version.js';
import { isObj, specObj } from '../../src/apimachinery/json-fields.js';
import { objectKey, splitObjectKey } from '../../src/controllers/runtime/cache.js';
import { isPodReady, podReadyCondition } from '../../src/resources/pods/conditions.js';
import { isNodeReady, nodeReadyCondition } from '../../src/resources/nodes/conditions.js';
import { isPodTerminal } from '../../src/resources/pods/phase.js';

test('parseRfc3339 reads Time and MicroTime to milliseconds; absent, empty, non-string and unreadable values are undefined', () => {
  assert.equal(parseRfc3339('2025-01-02T03:04:05Z'), Date.UTC(2025, 0, 2, 3, 4, 5));
  assert.equal(parseRfc3339('2025-01-02T03:04:05.250000Z'), Date.UTC(2025, 0, 2, 3, 4, 5, 250));
  assert.equal(parseRfc3339(rfc3339(1_700_000_000_000)), 1_700_000_000_000);
  for (const v of [undefined, null, '', 'yesterday', 12345, {}]) assert.equal(parseRfc3339(v), undefined, String(v));
});

test('groupOfApiVersion and versionOfApiVersion read an apiVersion as ParseGroupVersion does', () => {
  const cases: [string, string, string][] = [
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['coordination.k8s.io/v1', 'coordination.k8s.io', 'v1'],
    ['', '', ''],
    ['a/b/c', '', ''],
  ];
  for (const [apiVersion, group, version] of cases) {
    assert.equal(groupOfApiVersion(apiVersion), group, apiVersion);
    assert.equal(versionOfApiVersion(apiVersion), version, apiVersion);
  }
});

test('splitObjectKey undoes objectKey for namespaced and cluster-scoped keys', () => {
  assert.deepEqual(splitObjectKey(objectKey('default', 'web-0')), ['default', 'web-0']);
  assert.deepEqual(splitObjectKey(objectKey(undefined, 'node-1')), [undefined, 'node-1']);
  assert.deepEqual(splitObjectKey('kube-system/'), ['kube-system', '']);
});

test('isPodReady reads the first Ready condition only; no conditions or no Ready condition is not ready', () => {
  const pod = (...conditions: { type: string; status: string }[]) => ({ status: { conditions } });
  assert.equal(isPodReady(pod({ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' })), true);
  assert.equal(isPodReady(pod({ type: 'Ready', status: 'False' })), false);
  assert.equal(isPodReady(pod({ type: 'Ready', status: 'False' }, { type: 'Ready', status: 'True' })), false);
  assert.equal(isPodReady(pod({ type: 'ContainersReady', status: 'True' })), false);
  assert.equal(isPodReady({}), false);
  assert.equal(isPodReady({ status: {} }), false);
  assert.deepEqual(podReadyCondition(pod({ type: 'Ready', status: 'Unknown' })), { type: 'Ready', status: 'Unknown' });
});

test('isNodeReady reads the first Ready condition only; a missing node, no conditions or no Ready condition is not ready', () => {
  const node = (...conditions: { type: string; status: string }[]) => ({ status: { conditions } });
  assert.equal(isNodeReady(node({ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' })), true);
  assert.equal(isNodeReady(node({ type: 'Ready', status: 'Unknown' }, { type: 'Ready', status: 'True' })), false);
  assert.equal(isNodeReady(node({ type: 'DiskPressure', status: 'True' })), false);
  assert.equal(isNodeReady(undefined), false);
  assert.equal(isNodeReady({}), false);
  assert.deepEqual(nodeReadyCondition(node({ type: 'Ready', status: 'False' })), { type: 'Ready', status: 'False' });
});

test('isPodTerminal: Succeeded and Failed pods are terminal; Pending, Running, Unknown and no phase are not', () => {
  for (const phase of ['Succeeded', 'Failed']) assert.equal(isPodTerminal({ status: { phase } }), true);
  for (const phase of ['Pending', 'Running', 'Unknown']) assert.equal(isPodTerminal({ status: { phase } }), false);
  assert.equal(isPodTerminal({}), false);
});

test('specObj is the spec when it is an object, else a fresh {}; isObj accepts only plain objects', () => {
  const spec = { nodeName: 'n' };
  assert.equal(specObj({ metadata: {}, spec }), spec);
  for (const bad of [undefined, null, 'x', [], 3]) {
    const got = specObj({ metadata: {}, spec: bad });
    assert.deepEqual(got, {}, String(bad));
  }
  assert.equal(isObj({}), true);
  for (const v of [null, [], 'x', 1, undefined]) assert.equal(isObj(v), false, String(v));
});
