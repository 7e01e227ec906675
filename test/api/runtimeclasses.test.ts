/**
 * node.k8s.io/v1 RuntimeClass as kube-apiserver 1.33 serves it: cluster-scoped, every verb, no
 * short name; ValidateRuntimeClass's handler, overhead and scheduling rules and the immutable
 * handler; the NAME HANDLER AGE table; and its place in legacy and aggregated discovery.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { storageVersionHash } from '../../src/http/discovery/documents.js';

type Obj = Record<string, any>;
const RCS = '/apis/node.k8s.io/v1/runtimeclasses';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const DNS_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const runtimeClass = (name: string, fields: Obj = {}): Obj => ({
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: { name },
  handler: 'runc',
  ...fields,
});

/** The causes of a 422, as [field, message] pairs. */
function causes(res: { status: number; body: Obj }): [string, string][] {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.reason, 'Invalid');
  return res.body.details.causes.map((c: Obj) => [c.field, c.message]);
}

describe('runtimeclasses', () => {
  it('legacy discovery lists runtimeclasses in node.k8s.io/v1: cluster-scoped, every verb, no short names', async (t) => {
    const { http } = await buildTestApp(t);
    const group = await http.get('/apis/node.k8s.io').expect(200);
    const gv = { groupVersion: 'node.k8s.io/v1', version: 'v1' };
    assert.deepEqual(group.body, { kind: 'APIGroup', apiVersion: 'v1', name: 'node.k8s.io', versions: [gv], preferredVersion: gv });
    const list = await http.get('/apis/node.k8s.io/v1').expect(200);
    assert.deepEqual(list.body.resources, [
      {
        name: 'runtimeclasses',
        singularName: 'runtimeclass',
        namespaced: false,
        kind: 'RuntimeClass',
        verbs: ALL_VERBS,
        storageVersionHash: storageVersionHash('node.k8s.io', 'v1', 'RuntimeClass'),
      },
    ]);
    // As a real 1.33 cluster answers.
    assert.equal(list.body.resources[0].storageVersionHash, 'WQTu1GL3T2Q=');
  });

  it('aggregated discovery has the node.k8s.io group with runtimeclasses, no subresources', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/apis').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(res.status, 200);
    const group = (res.body.items as Obj[]).find((g) => g.metadata.name === 'node.k8s.io');
    assert.deepEqual(group, {
      metadata: { name: 'node.k8s.io', creationTimestamp: null },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'runtimeclasses',
              responseKind: { group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass' },
              scope: 'Cluster',
              singularResource: 'runtimeclass',
              verbs: ALL_VERBS,
            },
          ],
          freshness: 'Current',
        },
      ],
    });
  });

  it('create, get, list, update and delete; fields in Go order, quantities canonical, no generation', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(RCS).send({
      scheduling: {
        tolerations: [{ key: 'sandboxed', operator: 'Exists', effect: 'NoSchedule' }],
        nodeSelector: { 'runtime/gvisor': 'yes', 'a.example/zone': 'z1' },
      },
      overhead: { podFixed: { memory: '128Mi', cpu: '0.25' } },
      handler: 'runsc',
      metadata: { name: 'gvisor' },
      kind: 'RuntimeClass',
      apiVersion: 'node.k8s.io/v1',
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'handler', 'overhead', 'scheduling']);
    assert.deepEqual(created.body.overhead, { podFixed: { cpu: '250m', memory: '128Mi' } });
    assert.deepEqual(Object.keys(created.body.scheduling.nodeSelector), ['a.example/zone', 'runtime/gvisor']);
    assert.equal(created.body.metadata.namespace, undefined);
    assert.equal(created.body.metadata.generation, undefined);

    assert.equal((await http.get(`${RCS}/gvisor`).expect(200)).text, created.text);
    const list = await http.get(RCS).expect(200);
    assert.equal(list.body.kind, 'RuntimeClassList');
    assert.deepEqual(
      list.body.items.map((i: Obj) => i.metadata.name),
      ['gvisor'],
    );
    const updated = await http.put(`${RCS}/gvisor`).send({ ...created.body, scheduling: undefined });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.scheduling, undefined);
    assert.equal((await http.delete(`${RCS}/gvisor`)).status, 200);
    assert.equal((await http.get(`${RCS}/gvisor`)).status, 404);
  });

  it('the handler is required and must be a DNS label', async (t) => {
    const { http } = await buildTestApp(t);
    const missing = await http.post(RCS).send({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'none' } });
    assert.deepEqual(causes(missing), [['handler', `Invalid value: "": ${DNS_LABEL}`]]);
    assert.equal(missing.body.message, `RuntimeClass.node.k8s.io "none" is invalid: handler: Invalid value: "": ${DNS_LABEL}`);
    assert.deepEqual(causes(await http.post(RCS).send(runtimeClass('upper', { handler: 'RunC' }))), [
      ['handler', `Invalid value: "RunC": ${DNS_LABEL}`],
    ]);
    assert.deepEqual(causes(await http.post(RCS).send(runtimeClass('dots', { handler: 'kata.qemu' }))), [
      ['handler', 'Invalid value: "kata.qemu": must not contain dots'],
    ]);
    // The name is a DNS subdomain: dots are fine there.
    assert.equal((await http.post(RCS).send(runtimeClass('kata.qemu', { handler: 'kata-qemu' }))).status, 201);
  });

  it('the handler is immutable; the rest may change', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await http.post(RCS).send(runtimeClass('rc'))).status, 201);
    const patched = await http
      .patch(`${RCS}/rc`)
      .set('content-type', 'application/merge-patch+json')
      .send({ handler: 'crun', overhead: { podFixed: { cpu: '100m' } } });
    assert.deepEqual(causes(patched), [['handler', 'Invalid value: "crun": field is immutable']]);
    const overhead = await http
      .patch(`${RCS}/rc`)
      .set('content-type', 'application/merge-patch+json')
      .send({ overhead: { podFixed: { cpu: '100m' } } });
    assert.equal(overhead.status, 200, overhead.text);
    assert.deepEqual(overhead.body.overhead, { podFixed: { cpu: '100m' } });
  });

  it("the overhead is checked as a container's limits, the nodeSelector as labels, the tolerations as a pod's and once each", async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(RCS).send(
      runtimeClass('bad', {
        overhead: { podFixed: { cpu: '-1', 'example.com/dongle': '1' } },
        scheduling: {
          nodeSelector: { 'bad key!': 'v' },
          tolerations: [
            { key: 'a', operator: 'Exists', effect: 'NoSchedule' },
            { operator: 'Equal', value: 'x' },
            { key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 },
          ],
        },
      }),
    );
    const found = causes(res);
    assert.deepEqual(
      found.map(([field]) => field),
      [
        'overhead.limits[cpu]',
        'scheduling.nodeSelector',
        'scheduling.tolerations[1].operator',
        'scheduling.tolerations[2].effect',
        'scheduling.tolerations[2]',
      ],
      JSON.stringify(found),
    );
    assert.deepEqual(found[0], ['overhead.limits[cpu]', 'Invalid value: "-1": must be greater than or equal to 0']);
    assert.deepEqual(found[2], [
      'scheduling.tolerations[1].operator',
      'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
    assert.match(found[4][1], /^Duplicate value: core\.Toleration\{Key:"a", Operator:"Exists", Value:"", Effect:"NoSchedule", /);
  });

  it('kubectl get runtimeclass: NAME HANDLER AGE', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await http.post(RCS).send(runtimeClass('gvisor', { handler: 'runsc' }))).status, 201);
    const res = await http.get(RCS).set('Accept', TABLE).expect(200);
    assert.equal(res.body.kind, 'Table');
    assert.deepEqual(
      res.body.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Handler', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.equal(res.body.columnDefinitions[1].description, '', "upstream's Handler column has no description");
    assert.equal(res.body.rows.length, 1);
    assert.deepEqual(res.body.rows[0].cells.slice(0, 2), ['gvisor', 'runsc']);
    assert.match(res.body.rows[0].cells[2], /^\d+s$/);
  });
});
