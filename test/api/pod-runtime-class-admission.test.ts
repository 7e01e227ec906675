/**
 * The RuntimeClass admission plugin on pod creates: a pod naming a class that does not exist is a
 * 403; the class's overhead becomes the pod's (a different one the pod brings is a 403), its
 * nodeSelector joins the pod's (a conflicting key is a 403) and its tolerations are merged into the
 * pod's after DefaultTolerationSeconds added its own; a pod may not set an overhead its class (or
 * the lack of one) does not define. DaemonSet pods go through the same plugin.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;
const PODS = '/api/v1/namespaces/default/pods';
const RCS = '/apis/node.k8s.io/v1/runtimeclasses';

const pod = (metadata: Obj, spec: Obj) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata,
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

/** What DefaultTolerationSeconds gives every pod that does not tolerate these taints itself. */
const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

async function createClass(app: TestApp, name: string, fields: Obj): Promise<void> {
  const res = await app.http
    .post(RCS)
    .send({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler: 'runsc', ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function created(app: TestApp, body: Obj): Promise<Obj> {
  const res = await app.http.post(PODS).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** The message of a 403 naming pods (admission.NewForbidden), checking its status and details on the way. */
async function refused(app: TestApp, body: Obj): Promise<string> {
  const res = await app.http.post(PODS).send(body);
  assert.equal(res.status, 403, JSON.stringify(res.body));
  assert.equal(res.body.reason, 'Forbidden');
  assert.equal(res.body.details.kind, 'pods');
  if (body.metadata.name) assert.equal((await app.http.get(`${PODS}/${body.metadata.name}`)).status, 404, 'not stored');
  return res.body.message;
}

describe('RuntimeClass admission', () => {
  it('a pod naming a RuntimeClass that does not exist is a 403, before validation; once it exists the pod is admitted', async (t) => {
    const app = await buildTestApp(t);
    assert.equal(
      await refused(app, pod({ name: 'p' }, { runtimeClassName: 'gvisor' })),
      'pods "p" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
    );
    // Mutating admission runs before the name is generated (the 403 names the generateName) and before validation.
    assert.equal(
      await refused(app, pod({ generateName: 'web-' }, { runtimeClassName: 'gvisor', restartPolicy: 'Sometimes' })),
      'pods "web-" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
    );
    await createClass(app, 'gvisor', {});
    const admitted = await created(app, pod({ name: 'p' }, { runtimeClassName: 'gvisor' }));
    assert.equal(admitted.spec.runtimeClassName, 'gvisor');
    assert.equal(admitted.spec.overhead, undefined, 'a class without overhead sets none');
    assert.equal(admitted.spec.nodeSelector, undefined);
    assert.deepEqual(admitted.spec.tolerations, [NOT_READY, UNREACHABLE], 'a class without scheduling adds no toleration');
  });

  it('an empty runtimeClassName is looked up, which the plugin cannot do: a 500 without reason', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(pod({ name: 'p' }, { runtimeClassName: '' }));
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resource name may not be empty',
      code: 500,
    });
  });

  it("the class's overhead becomes the pod's; an equal one the pod brings is accepted, a different one is a 403", async (t) => {
    const app = await buildTestApp(t);
    await createClass(app, 'kata', { overhead: { podFixed: { cpu: '250m', memory: '120Mi' } } });
    const p = await created(app, pod({ name: 'p' }, { runtimeClassName: 'kata' }));
    assert.deepEqual(p.spec.overhead, { cpu: '250m', memory: '120Mi' });
    assert.deepEqual(Object.keys(p.spec).indexOf('overhead') > Object.keys(p.spec).indexOf('runtimeClassName'), true, 'Go field order');
    // Quantities compare by value (Semantic.DeepEqual).
    const same = await created(app, pod({ name: 'same' }, { runtimeClassName: 'kata', overhead: { memory: '120Mi', cpu: '0.25' } }));
    assert.deepEqual(same.spec.overhead, { cpu: '250m', memory: '120Mi' });
    const mismatch = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
    assert.equal(
      await refused(app, pod({ name: 'more' }, { runtimeClassName: 'kata', overhead: { cpu: '500m', memory: '120Mi' } })),
      `pods "more" is forbidden: ${mismatch}`,
    );
    assert.equal(
      await refused(app, pod({ name: 'fewer' }, { runtimeClassName: 'kata', overhead: { cpu: '250m' } })),
      `pods "fewer" is forbidden: ${mismatch}`,
    );
  });

  it('a pod with an overhead whose class defines none is refused after validation', async (t) => {
    const app = await buildTestApp(t);
    await createClass(app, 'plain', {});
    const why = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';
    assert.equal(
      await refused(app, pod({ name: 'p' }, { runtimeClassName: 'plain', overhead: { cpu: '1' } })),
      `pods "p" is forbidden: ${why}`,
    );
    const invalid = await app.http
      .post(PODS)
      .send(pod({ name: 'p' }, { runtimeClassName: 'plain', overhead: { cpu: '1' }, restartPolicy: 'Sometimes' }));
    assert.equal(invalid.status, 422, 'validation comes first');
  });

  it('a pod with spec.overhead and no runtimeClassName is a 403 naming the pod (after validation, with its generated name)', async (t) => {
    const app = await buildTestApp(t);
    const why = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';
    const res = await app.http.post(PODS).send(pod({ name: 'p' }, { overhead: { cpu: '100m' } }));
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.message, `pods "p" is forbidden: ${why}`);
    assert.deepEqual(res.body.details, { name: 'p', kind: 'pods' });
    assert.match(
      await refused(app, pod({ generateName: 'web-' }, { overhead: { memory: '10Mi' } })),
      /^pods "web-[a-z0-9]{5}" is forbidden: pod rejected: Pod Overhead set without/,
    );
    // Upstream checks the overhead as a container's limits, and names it so.
    const invalid = await app.http.post(PODS).send(pod({ name: 'p' }, { overhead: { cpu: '-1' } }));
    assert.equal(invalid.status, 422, JSON.stringify(invalid.body));
    assert.equal(invalid.body.details.causes[0].field, 'spec.overhead.limits[cpu]');
    await created(app, pod({ name: 'ok' }, {}));
  });

  it("the class's nodeSelector joins the pod's; a key the pod gives another value is a 403", async (t) => {
    const app = await buildTestApp(t);
    await createClass(app, 'gvisor', { scheduling: { nodeSelector: { sandbox: 'gvisor', zone: 'a' } } });
    const bare = await created(app, pod({ name: 'bare' }, { runtimeClassName: 'gvisor' }));
    assert.deepEqual(bare.spec.nodeSelector, { sandbox: 'gvisor', zone: 'a' });
    const own = await created(app, pod({ name: 'own' }, { runtimeClassName: 'gvisor', nodeSelector: { zone: 'a', disk: 'ssd' } }));
    assert.deepEqual(own.spec.nodeSelector, { disk: 'ssd', sandbox: 'gvisor', zone: 'a' });
    assert.equal(
      await refused(app, pod({ name: 'clash' }, { runtimeClassName: 'gvisor', nodeSelector: { zone: 'b' } })),
      'pods "clash" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[zone] = a; pod.spec.nodeSelector[zone] = b',
    );
  });

  it("the class's tolerations are merged into the pod's after DefaultTolerationSeconds: appended, each kept once, the wider kept", async (t) => {
    const app = await buildTestApp(t);
    const sandbox = { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' };
    await createClass(app, 'gvisor', { scheduling: { tolerations: [sandbox] } });
    const p = await created(app, pod({ name: 'p' }, { runtimeClassName: 'gvisor' }));
    assert.deepEqual(p.spec.tolerations, [NOT_READY, UNREACHABLE, sandbox]);
    const twice = await created(app, pod({ name: 'twice' }, { runtimeClassName: 'gvisor', tolerations: [sandbox] }));
    assert.deepEqual(twice.spec.tolerations, [sandbox, NOT_READY, UNREACHABLE], 'an equal toleration is kept once, the first');

    // A class that tolerates not-ready for ever covers the 300 seconds DefaultTolerationSeconds gave.
    const forever = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' };
    await createClass(app, 'patient', { scheduling: { tolerations: [forever] } });
    const patient = await created(app, pod({ name: 'patient' }, { runtimeClassName: 'patient' }));
    assert.deepEqual(patient.spec.tolerations, [UNREACHABLE, forever]);
    // A pod toleration of every taint covers all of the class's.
    const all = { operator: 'Exists' };
    const everything = await created(app, pod({ name: 'everything' }, { runtimeClassName: 'gvisor', tolerations: [all] }));
    assert.deepEqual(everything.spec.tolerations, [all]);
  });

  it('a DaemonSet whose pods name a missing class records FailedCreate; once the class exists its pods get the overhead', async (t) => {
    const c = await manualCluster(t, 1, { podStartupMs: 0 });
    const ds = await c.app.http.post('/apis/apps/v1/namespaces/default/daemonsets').send({
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { runtimeClassName: 'kata', containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    await c.pass(1000);
    const events = (await c.get('/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dagent')).items as Obj[];
    const failed = events.find((e) => e.reason === 'FailedCreate');
    assert.equal(
      failed?.message,
      'Error creating: pods "agent-" is forbidden: pod rejected: RuntimeClass "kata" not found',
      JSON.stringify(events),
    );
    assert.equal((await c.get(`${PODS}?labelSelector=app%3Dagent`)).items.length, 0);

    await createClass(c.app, 'kata', { overhead: { podFixed: { memory: '64Mi' } } });
    await c.pass(5000);
    const pods = (await c.get(`${PODS}?labelSelector=app%3Dagent`)).items as Obj[];
    assert.equal(pods.length, 1);
    assert.deepEqual(pods[0].spec.overhead, { memory: '64Mi' });
  });
});
