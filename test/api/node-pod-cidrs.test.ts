/**
 * spec.podCIDR and spec.podCIDRs of a Node as kube-apiserver 1.33's v1 conversion ties them: either
 * one written alone reads back with the other, podCIDRs wins when they disagree (no error), and the
 * update rule (set once) judges the pair as one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const NODES = '/api/v1/nodes';
type Http = TestApp['http'];
type Spec = Record<string, unknown>;

const post = (http: Http, name: string, spec: Spec) => http.post(NODES).send({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });

async function put(http: Http, name: string, spec: Spec) {
  const current = (await http.get(`${NODES}/${name}`)).body as Record<string, unknown>;
  return http.put(`${NODES}/${name}`).send({ ...current, spec });
}

function assertSpec(res: { status: number; body: { spec?: Spec } }, status: number, spec: Spec) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(res.body.spec, spec);
}

describe('Node podCIDR and podCIDRs (v1 NodeSpec conversion)', () => {
  it('fills each from the other on create; podCIDRs wins over a podCIDR that disagrees', async (t) => {
    const { http } = await buildTestApp(t);
    assertSpec(await post(http, 'only-single', { podCIDR: '10.244.1.0/24' }), 201, {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
    });
    assertSpec(await post(http, 'only-list', { podCIDRs: ['fd00:10:244:2::/64', '10.244.2.0/24'] }), 201, {
      podCIDR: 'fd00:10:244:2::/64',
      podCIDRs: ['fd00:10:244:2::/64', '10.244.2.0/24'],
    });
    const both = await post(http, 'disagree', { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.3.0/24'] });
    assertSpec(both, 201, { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] });
    assert.equal(both.headers.warning, undefined);
    assertSpec(await http.get(`${NODES}/only-single`), 200, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    // The invalid singular is judged where the internal Node has it: podCIDRs[0].
    const bad = await post(http, 'bad', { podCIDR: '10.244.300.0/24' });
    assert.equal(bad.status, 422);
    assert.equal(
      bad.body.message,
      'Node "bad" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.300.0/24": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    );
  });

  it('updates: either field alone keeps or sets the pair; changing a set one is forbidden', async (t) => {
    const { http } = await buildTestApp(t);
    assertSpec(await post(http, 'n1', {}), 201, {});
    // From "" to valid, through the singular only: the list follows.
    assertSpec(await put(http, 'n1', { podCIDR: '10.244.1.0/24' }), 200, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    // Leaving out the list keeps it (the singular stands for it); leaving out the singular too.
    assertSpec(await put(http, 'n1', { podCIDR: '10.244.1.0/24', unschedulable: true }), 200, {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      unschedulable: true,
    });
    assertSpec(await put(http, 'n1', { podCIDRs: ['10.244.1.0/24'] }), 200, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    // A changed singular beside the unchanged list is overwritten by the list: no change, no error.
    assertSpec(await put(http, 'n1', { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.1.0/24'] }), 200, {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
    });
    const changed = await put(http, 'n1', { podCIDR: '10.244.7.0/24' });
    assert.equal(changed.status, 422);
    assert.equal(
      changed.body.message,
      'Node "n1" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    );
  });
});
