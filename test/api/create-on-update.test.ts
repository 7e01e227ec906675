/**
 * Create-on-update: a PUT naming a missing object creates it (201) for the kinds whose upstream
 * strategy allows it (leases, endpoints, events, services, RBAC kinds, runtimeclasses), by the
 * create rules; every other kind answers 404. Of the /status endpoints only the Service's creates
 * (its status strategy embeds the Service strategy), without the REST storage's allocation. A uid
 * in the body is a precondition checked first (409), as kube-apiserver v1.33's storage checks it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const RBAC = 'rbac.authorization.k8s.io';

const lease = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, ...extra },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 },
});

const notFoundStatus = (message: string, name: string, kind: string, group?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'NotFound',
  details: group ? { name, group, kind } : { name, kind },
  code: 404,
});

async function leaseCount(http: TestApp['http']): Promise<number> {
  const res = await http.get(LEASES);
  assert.equal(res.status, 200, res.text);
  return res.body.items.length;
}

describe('PUT of a missing object', () => {
  it('creates a Lease: 201 with the created object, readable after, seen by a watch as ADDED', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const before = await http.get(LEASES);
    const watch = await openWatch(kubemock, `${LEASES}?watch=1&resourceVersion=${before.body.metadata.resourceVersion}`);
    t.after(() => watch.close());

    const res = await http.put(`${LEASES}/l1?fieldManager=tester`).send(lease('l1'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kind, 'Lease');
    assert.equal(res.body.metadata.name, 'l1');
    assert.equal(res.body.metadata.namespace, 'default');
    assert.match(res.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.ok(res.body.metadata.creationTimestamp);
    assert.ok(Number(res.body.metadata.resourceVersion) > Number(before.body.metadata.resourceVersion));
    assert.deepEqual(res.body.spec, { holderIdentity: 'node-1', leaseDurationSeconds: 40 });
    // The field manager records a create: one Update entry of the PUT's manager.
    assert.deepEqual(
      res.body.metadata.managedFields.map((e: Record<string, unknown>) => [e.manager, e.operation]),
      [['tester', 'Update']],
    );

    const read = await http.get(`${LEASES}/l1`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, res.body);

    const [added] = await watch.waitFor(1);
    assert.equal(added.type, 'ADDED');
    assert.deepEqual(added.object, res.body);

    // The next PUT is an ordinary update: 200.
    const again = await http.put(`${LEASES}/l1`).send({ ...res.body, spec: { ...res.body.spec, holderIdentity: 'node-2' } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.metadata.uid, res.body.metadata.uid);
    assert.equal(again.body.spec.holderIdentity, 'node-2');
  });

  it('ignores a resourceVersion the body names (the create path), as upstream storage does', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.put(`${LEASES}/pinned`).send(lease('pinned', { resourceVersion: '12345' }));
    assert.equal(res.status, 201, res.text);
    assert.notEqual(res.body.metadata.resourceVersion, '12345');
    assert.equal((await http.get(`${LEASES}/pinned`)).status, 200);
  });

  it('creates for every kind upstream allows it, in each API group', async (t) => {
    const { http } = await buildTestApp(t);
    const cases: [string, Record<string, unknown>][] = [
      ['/api/v1/namespaces/default/endpoints/ep', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ep' } }],
      [
        '/api/v1/namespaces/default/events/ev',
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'ev' },
          involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
          reason: 'Started',
          type: 'Normal',
          source: { component: 'kubelet' },
        },
      ],
      [
        '/apis/events.k8s.io/v1/namespaces/default/events/ev2',
        {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: 'ev2' },
          eventTime: '2025-01-01T00:00:00.000000Z',
          reportingController: 'example.com/c',
          reportingInstance: 'c-1',
          action: 'Started',
          reason: 'Started',
          type: 'Normal',
          regarding: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
        },
      ],
      [
        '/api/v1/namespaces/default/services/svc',
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } },
      ],
      [`/apis/${RBAC}/v1/namespaces/default/roles/r`, { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'r' }, rules: [] }],
      [
        `/apis/${RBAC}/v1/namespaces/default/rolebindings/rb`,
        { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'r' } },
      ],
      [`/apis/${RBAC}/v1/clusterroles/cr`, { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'cr' } }],
      [
        `/apis/${RBAC}/v1/clusterrolebindings/crb`,
        {
          apiVersion: `${RBAC}/v1`,
          kind: 'ClusterRoleBinding',
          metadata: { name: 'crb' },
          roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cr' },
        },
      ],
      [
        '/apis/node.k8s.io/v1/runtimeclasses/rc',
        { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'rc' }, handler: 'runc' },
      ],
    ];
    for (const [path, body] of cases) {
      const res = await http.put(path).send(body);
      assert.equal(res.status, 201, `${path}: ${res.text}`);
      assert.equal(res.body.kind, body.kind, path);
      assert.equal((await http.get(path)).status, 200, path);
    }
    // The Service went through its create hooks: a cluster IP was allocated, the status reset.
    const svc = (await http.get('/api/v1/namespaces/default/services/svc')).body;
    assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(svc.status, { loadBalancer: {} });
  });

  it('answers upstream 404 for kinds that do not allow it (ConfigMap, Pod, custom resources alike) and writes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const cm = await http.put(`${CONFIGMAPS}/cm`).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    assert.equal(cm.status, 404);
    assert.deepEqual(cm.body, notFoundStatus('configmaps "cm" not found', 'cm', 'configmaps'));
    assert.equal((await http.get(`${CONFIGMAPS}/cm`)).status, 404);

    const pod = await http.put('/api/v1/namespaces/default/pods/p').send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    assert.equal(pod.status, 404);
    assert.deepEqual(pod.body, notFoundStatus('pods "p" not found', 'p', 'pods'));

    const ds = await http
      .put('/apis/apps/v1/namespaces/default/daemonsets/d')
      .send({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' } });
    assert.equal(ds.status, 404);
    assert.deepEqual(ds.body, notFoundStatus('daemonsets.apps "d" not found', 'd', 'daemonsets', 'apps'));
  });

  it('a PUT of a Service /status creates the missing Service by the create rules, but allocates nothing', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const SVC = '/api/v1/namespaces/default/services';
    const before = await http.get(SVC);
    const watch = await openWatch(
      kubemock,
      `${SVC}?watch=1&fieldSelector=metadata.name%3Dghost&resourceVersion=${before.body.metadata.resourceVersion}`,
    );
    t.after(() => watch.close());
    const res = await http.put(`${SVC}/ghost/status?fieldManager=status-writer`).send({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ghost', labels: { app: 'ghost' }, resourceVersion: '12345' },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.notEqual(res.body.metadata.resourceVersion, '12345');
    assert.deepEqual(res.body.metadata.labels, { app: 'ghost' });
    // The Service strategy's PrepareForCreate resets the status; the spec is the body's with its
    // defaults, and no cluster IP, IP families or node port: the status store has no allocating hook.
    assert.deepEqual(res.body.status, { loadBalancer: {} });
    assert.deepEqual(res.body.spec, {
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      type: 'NodePort',
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    });
    // Recorded as a write of /status: the spec (its reset field) is not the manager's; the status it sent is.
    assert.deepEqual(
      res.body.metadata.managedFields.map((e: Record<string, unknown>) => [e.manager, e.operation, e.subresource, e.fieldsV1]),
      [
        [
          'status-writer',
          'Update',
          'status',
          { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } },
        ],
      ],
    );
    assert.deepEqual((await http.get(`${SVC}/ghost`)).body, res.body);
    const [added] = await watch.waitFor(1);
    assert.equal(added.type, 'ADDED');
    assert.deepEqual(added.object, res.body);

    // The next PUT of /status is an ordinary status update (200), here one that changes nothing.
    const again = await http.put(`${SVC}/ghost/status`).send(res.body);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.metadata.resourceVersion, res.body.metadata.resourceVersion);
  });

  it('a Service /status create validates as a create, without the clusterIPs normalizing the main PUT gets', async (t) => {
    const { http } = await buildTestApp(t);
    const SVC = '/api/v1/namespaces/default/services';
    const body = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] },
    });
    const viaStatus = await http.put(`${SVC}/a/status`).send(body('a'));
    assert.equal(viaStatus.status, 422, viaStatus.text);
    assert.equal(viaStatus.body.message, 'Service "a" is invalid: spec.clusterIPs: Required value');
    assert.equal((await http.get(`${SVC}/a`)).status, 404);
    const viaMain = await http.put(`${SVC}/b`).send(body('b'));
    assert.equal(viaMain.status, 201, viaMain.text);
    assert.deepEqual(viaMain.body.spec.clusterIPs, ['10.96.0.50']);

    const badName = await http
      .put(`${SVC}/Bad/status`)
      .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'Bad' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(badName.status, 422, badName.text);
    assert.match(badName.body.message, /^Service "Bad" is invalid: metadata\.name: Invalid value: "Bad": a DNS-1035 label/);
  });

  it('an apply of a Service /status creates it too; a merge patch of it answers 404', async (t) => {
    const { http } = await buildTestApp(t);
    const SVC = '/api/v1/namespaces/default/services';
    const applied = await http
      .patch(`${SVC}/applied/status?fieldManager=lb`)
      .set('Content-Type', 'application/apply-patch+yaml')
      .send(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'applied' },
          spec: { ports: [{ port: 81 }] },
          status: { loadBalancer: { ingress: [{ ip: '192.0.2.3' }] } },
        }),
      );
    assert.equal(applied.status, 201, applied.text);
    assert.deepEqual(applied.body.spec.ports, [{ protocol: 'TCP', port: 81, targetPort: 81 }]);
    assert.equal(applied.body.spec.clusterIP, undefined);
    assert.deepEqual(applied.body.status, { loadBalancer: {} });
    assert.deepEqual(
      applied.body.metadata.managedFields.map((e: Record<string, unknown>) => [e.manager, e.operation, e.subresource, e.fieldsV1]),
      [['lb', 'Apply', 'status', { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } }]],
    );
    // Other patches have no object to start from (upstream's createNewObject): 404.
    const merged = await http.patch(`${SVC}/merged/status`).set('Content-Type', 'application/merge-patch+json').send('{"status":{}}');
    assert.equal(merged.status, 404);
    assert.deepEqual(merged.body, notFoundStatus('services "merged" not found', 'merged', 'services'));
  });

  it('every other /status answers 404 for a missing object, by PUT and by apply, and writes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['/api/v1/namespaces/default/pods/p/status', pod, notFoundStatus('pods "p" not found', 'p', 'pods')],
      [
        '/apis/apps/v1/namespaces/default/daemonsets/d/status',
        { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' } },
        notFoundStatus('daemonsets.apps "d" not found', 'd', 'daemonsets', 'apps'),
      ],
      [
        '/api/v1/nodes/n/status',
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
        notFoundStatus('nodes "n" not found', 'n', 'nodes'),
      ],
      [
        '/api/v1/namespaces/fresh/status',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } },
        notFoundStatus('namespaces "fresh" not found', 'fresh', 'namespaces'),
      ],
    ];
    for (const [path, body, expected] of cases) {
      const put = await http.put(path).send(body);
      assert.deepEqual([put.status, put.body], [404, expected], path);
      const apply = await http
        .patch(`${path}?fieldManager=x`)
        .set('Content-Type', 'application/apply-patch+yaml')
        .send(JSON.stringify(body));
      assert.deepEqual([apply.status, apply.body], [404, expected], path);
      assert.equal((await http.get(path)).status, 404, path);
    }
  });

  it('a Service /status create needs the create verb on services/status', async (t) => {
    const { http } = await buildTestApp(t);
    const role = await http.post(`/apis/${RBAC}/v1/namespaces/default/roles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'status-updater' },
      rules: [{ apiGroups: [''], resources: ['services/status'], verbs: ['get', 'update', 'patch'] }],
    });
    assert.equal(role.status, 201, role.text);
    const binding = await http.post(`/apis/${RBAC}/v1/namespaces/default/rolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'jane-status' },
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }],
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'status-updater' },
    });
    assert.equal(binding.status, 201, binding.text);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' }, spec: { ports: [{ port: 80 }] } };
    const denied = await http.put('/api/v1/namespaces/default/services/j/status').set('Impersonate-User', 'jane').send(svc);
    assert.equal(denied.status, 403, denied.text);
    assert.equal(
      denied.body.message,
      'services "j" is forbidden: User "jane" cannot create resource "services/status" in API group "" in the namespace "default"',
    );
    const deniedApply = await http
      .patch('/api/v1/namespaces/default/services/j/status?fieldManager=jane')
      .set('Impersonate-User', 'jane')
      .set('Content-Type', 'application/apply-patch+yaml')
      .send(JSON.stringify(svc));
    assert.equal(deniedApply.status, 403, deniedApply.text);
    assert.equal(deniedApply.body.message, denied.body.message);
    assert.equal((await http.get('/api/v1/namespaces/default/services/j')).status, 404);
  });

  it('into a missing namespace: the namespace lifecycle 404 where the kind creates, the object 404 where it does not', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.put('/apis/coordination.k8s.io/v1/namespaces/nope/leases/l').send(lease('l'));
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, notFoundStatus('namespaces "nope" not found', 'nope', 'namespaces'));
    assert.equal((await http.get('/api/v1/namespaces/nope')).status, 404);

    const cm = await http
      .put('/api/v1/namespaces/nope/configmaps/c')
      .send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    assert.deepEqual(cm.body, notFoundStatus('configmaps "c" not found', 'c', 'configmaps'));
  });

  it('keeps the URL/body name check (400) and validation (422), writing nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const renamed = await http.put(`${LEASES}/a`).send(lease('b'));
    assert.equal(renamed.status, 400);
    assert.equal(renamed.body.reason, 'BadRequest');
    assert.equal(renamed.body.message, 'the name of the object (b) does not match the name on the URL (a)');

    const invalid = await http.put(`${LEASES}/bad`).send({ ...lease('bad'), spec: { leaseDurationSeconds: 0 } });
    assert.equal(invalid.status, 422, invalid.text);
    assert.equal(invalid.body.reason, 'Invalid');
    assert.match(
      invalid.body.message,
      /^Lease\.coordination\.k8s\.io "bad" is invalid: spec\.leaseDurationSeconds: Invalid value: 0: must be greater than 0$/,
    );
    assert.equal(await leaseCount(http), 0);
  });

  it('in a dry run answers 201 with the object it would create and creates nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const rv = (await http.get(LEASES)).body.metadata.resourceVersion;
    const res = await http.put(`${LEASES}/dry?dryRun=All`).send(lease('dry'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.metadata.name, 'dry');
    assert.ok(res.body.metadata.uid);
    assert.equal((await http.get(`${LEASES}/dry`)).status, 404);
    const after = await http.get(LEASES);
    assert.equal(after.body.items.length, 0);
    assert.equal(after.body.metadata.resourceVersion, rv, 'no write happened');
  });

  it('treats a uid in the body as a precondition: 409 for a missing object, and for another object of that name', async (t) => {
    const { http } = await buildTestApp(t);
    const uid = '6f7c1b0e-0000-4000-8000-0000000000aa';
    const missing = await http.put(`${LEASES}/u`).send(lease('u', { uid }));
    assert.equal(missing.status, 409);
    assert.deepEqual(missing.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on leases.coordination.k8s.io "u": StorageError: invalid object, Code: 4, ' +
        `Key: /registry/leases/default/u, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${uid}, UID in object meta: `,
      reason: 'Conflict',
      details: { name: 'u', group: 'coordination.k8s.io', kind: 'leases' },
      code: 409,
    });
    assert.equal(await leaseCount(http), 0);

    // A kind that never creates on update checks it first too.
    const cm = await http.put(`${CONFIGMAPS}/c`).send({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid } });
    assert.equal(cm.status, 409);
    assert.match(
      cm.body.message,
      /Key: \/registry\/configmaps\/default\/c, .*UID in precondition: 6f7c1b0e-0000-4000-8000-0000000000aa, UID in object meta: $/,
    );

    const created = (await http.put(`${LEASES}/u`).send(lease('u'))).body;
    const other = await http.put(`${LEASES}/u`).send({ ...created, metadata: { ...created.metadata, uid } });
    assert.equal(other.status, 409);
    assert.match(other.body.message, new RegExp(`UID in precondition: ${uid}, UID in object meta: ${created.metadata.uid}$`));
    const same = await http.put(`${LEASES}/u`).send({ ...created, spec: { ...created.spec, holderIdentity: 'x' } });
    assert.equal(same.status, 200, same.text);
  });

  it('needs the create verb too: a user who may only update gets 403 for a missing object, 200 for an existing one', async (t) => {
    const { http } = await buildTestApp(t);
    const role = await http.post(`/apis/${RBAC}/v1/namespaces/default/roles`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'lease-updater' },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update', 'patch'] }],
    });
    assert.equal(role.status, 201, role.text);
    const binding = await http.post(`/apis/${RBAC}/v1/namespaces/default/rolebindings`).send({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'jane-leases' },
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }],
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'lease-updater' },
    });
    assert.equal(binding.status, 201, binding.text);

    const denied = await http.put(`${LEASES}/j`).set('Impersonate-User', 'jane').send(lease('j'));
    assert.equal(denied.status, 403, denied.text);
    assert.deepEqual(denied.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'leases.coordination.k8s.io "j" is forbidden: User "jane" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'j', group: 'coordination.k8s.io', kind: 'leases' },
      code: 403,
    });
    assert.equal(await leaseCount(http), 0);
    // An apply that would create asks for the create verb too (upstream's patch handler wraps its create validation alike).
    const apply = (who: string) =>
      http
        .patch(`${LEASES}/j?fieldManager=jane&force=true`)
        .set('Impersonate-User', who)
        .set('Content-Type', 'application/apply-patch+yaml')
        .send(JSON.stringify(lease('j')));
    const deniedApply = await apply('jane');
    assert.equal(deniedApply.status, 403, deniedApply.text);
    assert.equal(deniedApply.body.message, denied.body.message);
    assert.equal(await leaseCount(http), 0);

    // Validation comes before the create authorization, as upstream.
    const invalid = await http
      .put(`${LEASES}/j`)
      .set('Impersonate-User', 'jane')
      .send({ ...lease('j'), spec: { leaseDurationSeconds: -1 } });
    assert.equal(invalid.status, 422, invalid.text);

    const existing = (await http.put(`${LEASES}/j`).send(lease('j'))).body;
    const updated = await http
      .put(`${LEASES}/j`)
      .set('Impersonate-User', 'jane')
      .send({ ...existing, spec: { ...existing.spec, holderIdentity: 'jane' } });
    assert.equal(updated.status, 200, updated.text);
    const appliedToExisting = await apply('jane');
    assert.equal(appliedToExisting.status, 200, appliedToExisting.text);
  });

  it('server-side apply still creates a missing object of any kind', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .patch(`${CONFIGMAPS}/applied?fieldManager=me`)
      .set('Content-Type', 'application/apply-patch+yaml')
      .send(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.data, { a: '1' });
  });
});
