/**
 * Writes of nodes/status are validated as kube-apiserver 1.33's node status strategy validates them
 * (ValidateNodeUpdate): capacity and allocatable quantities, duplicate addresses; the spec is
 * kept, status.config is dropped, and no warnings are sent. The node's own create and update
 * check the same quantities (ValidateNode) and warn about spec.externalID.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const NODES = '/api/v1/nodes';
type Http = TestApp['http'];
type Obj = Record<string, any>;

const MACHINE = { cpu: '4', memory: '16Gi', pods: '110', 'hugepages-2Mi': '0', 'ephemeral-storage': '100Gi' };

const post = (http: Http, body: Obj) => http.post(NODES).send({ apiVersion: 'v1', kind: 'Node', ...body });
const patchStatus = (http: Http, name: string, status: Obj) =>
  http.patch(`${NODES}/${name}/status`).set('content-type', 'application/merge-patch+json').send({ status });

async function createNode(http: Http, name: string): Promise<void> {
  const res = await post(http, { metadata: { name }, status: { capacity: MACHINE, allocatable: MACHINE } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

function assertInvalid(res: { status: number; body: Obj }, name: string, causes: [field: string, message: string][]): void {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  const listed = causes.map(([field, message]) => `${field}: ${message}`);
  const message = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  assert.equal(res.body.message, `Node "${name}" is invalid: ${message}`);
  assert.deepEqual(
    res.body.details.causes.map((c: Obj) => [c.field, c.message]),
    causes,
  );
}

describe('nodes/status validation (ValidateNodeUpdate)', () => {
  it('refuses negative quantities and fractions of integer resources, capacity before allocatable', async (t) => {
    const { http } = await buildTestApp(t);
    await createNode(http, 'n1');
    assertInvalid(await patchStatus(http, 'n1', { capacity: { cpu: '-1' } }), 'n1', [
      ['status.capacity.cpu', 'Invalid value: "-1": must be greater than or equal to 0'],
    ]);
    assertInvalid(await patchStatus(http, 'n1', { capacity: { 'example.com/gpu': '-2' }, allocatable: { memory: '-1Gi' } }), 'n1', [
      ['status.capacity.example.com/gpu', 'Invalid value: "-2": must be greater than or equal to 0'],
      ['status.allocatable.memory', 'Invalid value: "-1Gi": must be greater than or equal to 0'],
    ]);
    assertInvalid(await patchStatus(http, 'n1', { allocatable: { pods: '2500m' } }), 'n1', [
      [
        'status.allocatable.pods',
        'Invalid value: resource.Quantity{i:resource.int64Amount{value:2500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2500m", Format:"DecimalSI"}: must be an integer',
      ],
    ]);
    assertInvalid(await patchStatus(http, 'n1', { capacity: { 'example.com/gpu': '500m' } }), 'n1', [
      [
        'status.capacity.example.com/gpu',
        'Invalid value: resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}: must be an integer',
      ],
    ]);
    // Nothing was written.
    assert.deepEqual((await http.get(`${NODES}/n1`)).body.status.capacity, MACHINE);
  });

  it('accepts fractions of cpu and memory, hugepages of any size, and names it does not check', async (t) => {
    const { http } = await buildTestApp(t);
    await createNode(http, 'n1');
    const capacity = { cpu: '3500m', memory: '1.5Gi', 'hugepages-1Gi': '3Mi', 'example.com/gpu': '2', pods: 0, 'not a resource name': '1' };
    const res = await patchStatus(http, 'n1', { capacity });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status.capacity.cpu, '3500m');
    assert.equal(res.body.status.capacity['hugepages-1Gi'], '3Mi');
  });

  it('refuses a duplicate address', async (t) => {
    const { http } = await buildTestApp(t);
    await createNode(http, 'n1');
    const address = { type: 'InternalIP', address: '10.0.0.1' };
    assertInvalid(await patchStatus(http, 'n1', { addresses: [address, { type: 'Hostname', address: 'n1' }, address] }), 'n1', [
      ['status.addresses[2]', 'Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}'],
    ]);
    const res = await patchStatus(http, 'n1', { addresses: [address, { type: 'ExternalIP', address: '10.0.0.1' }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  it('keeps the spec, drops status.config the node never had, and sends no warnings', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await post(http, { metadata: { name: 'n1' }, spec: { externalID: 'e1' } })).status, 201);
    const res = await http
      .patch(`${NODES}/n1/status`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { unschedulable: true }, status: { config: { assigned: {} }, capacity: MACHINE } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec, { externalID: 'e1' });
    assert.equal(res.body.status.config, undefined);
    assert.deepEqual(res.body.status.capacity, MACHINE);
    assert.equal(res.headers.warning, undefined);
  });
});

describe('Node create and update (ValidateNode, the node strategy)', () => {
  it('checks the quantities of a status given on create', async (t) => {
    const { http } = await buildTestApp(t);
    assertInvalid(await post(http, { metadata: { name: 'n1' }, status: { allocatable: { pods: '-3' } } }), 'n1', [
      ['status.allocatable.pods', 'Invalid value: "-3": must be greater than or equal to 0'],
    ]);
  });

  it('drops configSource and status.config on create; warns about externalID and keeps it unchanged', async (t) => {
    const { http } = await buildTestApp(t);
    const configMap = { namespace: 'kube-system', name: 'kubelet', kubeletConfigKey: 'kubelet' };
    const created = await post(http, {
      metadata: { name: 'n1' },
      spec: { externalID: 'e1', configSource: { configMap } },
      status: { config: { active: { configMap } } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.spec, { externalID: 'e1' });
    assert.equal(created.body.status.config, undefined);
    assert.equal(created.headers.warning, '299 - "spec.externalID: this field is deprecated, and is unused by Kubernetes"');
    const updated = await http
      .patch(`${NODES}/n1`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { externalID: 'e2' } });
    assertInvalid(updated, 'n1', [['spec.externalID', 'Forbidden: may not be updated']]);
    const kept = await http
      .patch(`${NODES}/n1`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { unschedulable: true, configSource: { configMap } } });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    assert.deepEqual(kept.body.spec, { externalID: 'e1', unschedulable: true });
  });
});
