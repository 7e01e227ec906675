/**
 * policy/v1 PodDisruptionBudgets against the disruption controller and pods/eviction: the status of a
 * budget over a DaemonSet's pods, an eviction refused with 429 and then allowed once the budget is
 * relaxed or more pods are healthy, the pod recorded in status.disruptedPods, upstream's 500 for a
 * pod under two budgets, and validation.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { manualCluster, type ManualCluster } from '../helpers/manual-cluster.js';
import { openWatch } from '../helpers/watch-client.js';

type Obj = Record<string, any>;
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const PODS = '/api/v1/namespaces/default/pods';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const budget = (name: string, spec: Obj): Obj => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });

/** A cluster of `nodes` nodes running a ready pod of DaemonSet `web` on each. */
async function daemonCluster(t: TestContext, nodes: number): Promise<ManualCluster> {
  const c = await manualCluster(t, nodes, { podStartupMs: 0 });
  const res = await c.app.http.post(DS).send({
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.pass(2000);
  assert.equal((await c.get(`${DS}/web`)).status.numberReady, nodes);
  return c;
}

async function createBudget(c: ManualCluster, body: Obj): Promise<Obj> {
  const res = await c.app.http.post(PDBS).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await c.settle();
  return c.get(`${PDBS}/${body.metadata.name}`);
}

async function webPods(c: ManualCluster): Promise<Obj[]> {
  const res = await c.get(`${PODS}?labelSelector=app%3Dweb`);
  return res.items.filter((p: Obj) => !p.metadata.deletionTimestamp);
}

const counters = (s: Obj) => [s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed];

test('an integer minAvailable over DaemonSet pods: expected pods are the selected pods, one disruption allowed', async (t) => {
  const c = await daemonCluster(t, 3);
  const pdb = await createBudget(c, budget('web', { minAvailable: 2 }));
  assert.equal(pdb.metadata.generation, 1);
  assert.deepEqual(counters(pdb.status), [3, 2, 3, 1]);
  assert.equal(pdb.status.observedGeneration, 1);
  assert.equal(pdb.status.disruptedPods, undefined);
  const [cond] = pdb.status.conditions;
  assert.deepEqual(
    { ...cond, lastTransitionTime: typeof cond.lastTransitionTime },
    {
      type: 'DisruptionAllowed',
      status: 'True',
      observedGeneration: 1,
      lastTransitionTime: 'string',
      reason: 'SufficientPods',
      message: '',
    },
  );
  // A spec change bumps the generation; the controller catches up and the condition turns.
  await c.patch(`${PDBS}/web`, { spec: { minAvailable: 3 } });
  const raised = await c.get(`${PDBS}/web`);
  assert.equal(raised.metadata.generation, 2);
  assert.deepEqual(counters(raised.status), [3, 3, 3, 0]);
  assert.deepEqual(
    [raised.status.observedGeneration, raised.status.conditions[0].status, raised.status.conditions[0].reason],
    [2, 'False', 'InsufficientPods'],
  );
});

test('a percentage or maxUnavailable over DaemonSet pods fails the sync as upstream (DaemonSets have no scale)', async (t) => {
  const c = await daemonCluster(t, 2);
  const pdb = await createBudget(c, budget('web', { maxUnavailable: '50%' }));
  assert.equal(pdb.status.disruptionsAllowed, 0);
  const [cond] = pdb.status.conditions;
  assert.deepEqual(
    [cond.status, cond.reason, cond.message],
    ['False', 'SyncFailed', 'daemonsets.apps does not implement the scale subresource'],
  );
  const events = await c.get('/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DPodDisruptionBudget');
  assert.ok(
    events.items.some(
      (e: Obj) =>
        e.reason === 'CalculateExpectedPodCountFailed' &&
        e.type === 'Warning' &&
        e.message === 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource',
    ),
    JSON.stringify(events.items.map((e: Obj) => [e.reason, e.message])),
  );
});

test('an eviction the budget cannot afford is a 429 with the DisruptionBudget cause; relaxing the budget lets it through', async (t) => {
  const c = await daemonCluster(t, 3);
  await createBudget(c, budget('web', { minAvailable: 3 }));
  const [victim] = await webPods(c);
  const refused = await c.app.http.post(`${PODS}/${victim.metadata.name}/eviction`).send(eviction(victim.metadata.name));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers['retry-after'], undefined);
  assert.deepEqual(refused.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 3 healthy pods and has 3 currently' }] },
    code: 429,
  });
  const untouched = await c.get(`${PODS}/${victim.metadata.name}`);
  assert.equal(untouched.metadata.resourceVersion, victim.metadata.resourceVersion, 'a refused eviction writes nothing');

  await c.patch(`${PDBS}/web`, { spec: { minAvailable: 2 } });
  const before = await c.get(`${PDBS}/web`);
  assert.equal(before.status.disruptionsAllowed, 1);
  const allowed = await c.app.http.post(`${PODS}/${victim.metadata.name}/eviction`).send(eviction(victim.metadata.name));
  assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  // The eviction's own write to the budget: one disruption spent, the pod recorded, the condition turned.
  const watch = await openWatch(c.app.kubemock, `${PDBS}?watch=1&resourceVersion=${before.metadata.resourceVersion}`);
  t.after(() => watch.close());
  const [spent] = await watch.waitFor(1);
  assert.equal(spent.type, 'MODIFIED');
  assert.equal(spent.object.status.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(spent.object.status.disruptedPods), [victim.metadata.name]);
  assert.deepEqual([spent.object.status.conditions[0].status, spent.object.status.conditions[0].reason], ['False', 'InsufficientPods']);
  // The pod is going; the controller drops it from disruptedPods and counts it out.
  await c.settle();
  const after = await c.get(`${PDBS}/web`);
  assert.equal(after.status.disruptedPods, undefined);
  assert.deepEqual(counters(after.status).slice(1), [2, 2, 0]);
  // The next eviction is refused again.
  const [next] = await webPods(c);
  assert.equal((await c.app.http.post(`${PODS}/${next.metadata.name}/eviction`).send(eviction(next.metadata.name))).status, 429);
});

test('more healthy pods make room for an eviction', async (t) => {
  const c = await daemonCluster(t, 2);
  await createBudget(c, budget('web', { minAvailable: 2 }));
  const [victim] = await webPods(c);
  assert.equal((await c.app.http.post(`${PODS}/${victim.metadata.name}/eviction`).send(eviction(victim.metadata.name))).status, 429);
  await c.app.kubemock.ensureNodes(3);
  await c.pass(2000);
  assert.deepEqual(counters((await c.get(`${PDBS}/web`)).status), [3, 2, 3, 1]);
  assert.equal((await c.app.http.post(`${PODS}/${victim.metadata.name}/eviction`).send(eviction(victim.metadata.name))).status, 201);
});

test('pods outside the budget rules: a pending pod skips it, a pod under two budgets is upstream 500', async (t) => {
  const c = await daemonCluster(t, 1);
  await createBudget(c, budget('web', { minAvailable: 5 }));
  const pending = await c.app.http.post(PODS).send({
    metadata: { name: 'waiting', labels: { app: 'web' } },
    spec: { nodeSelector: { none: 'none' }, containers: [{ name: 'c', image: 'nginx' }] },
  });
  assert.equal(pending.status, 201);
  await c.settle();
  assert.equal((await c.app.http.post(`${PODS}/waiting/eviction`).send(eviction('waiting'))).status, 201);
  assert.equal((await c.app.http.get(`${PODS}/waiting`)).status, 404);

  await createBudget(c, budget('also-web', { maxUnavailable: 1 }));
  const [pod] = await webPods(c);
  const res = await c.app.http.post(`${PODS}/${pod.metadata.name}/eviction`).send(eviction(pod.metadata.name));
  assert.equal(res.status, 500);
  assert.deepEqual(res.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    code: 500,
  });
});

test('a running pod that is not ready: let go without spending a disruption while the budget is healthy, or always with AlwaysAllow', async (t) => {
  const c = await daemonCluster(t, 2);
  // A readiness gate nothing sets: the pod runs but never becomes ready (labelled apart, or the DaemonSet would adopt it).
  const gated = (name: string) => ({
    metadata: { name, labels: { app: 'gated' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }], readinessGates: [{ conditionType: 'example.com/never' }] },
  });
  await c.runPod(gated('unready-1'));
  await c.runPod(gated('unready-2'));
  const selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'gated'] }] };
  const pdb = await createBudget(c, budget('web', { minAvailable: 2, selector }));
  assert.deepEqual(counters(pdb.status), [4, 2, 2, 0]);
  assert.equal((await c.app.http.post(`${PODS}/unready-1/eviction`).send(eviction('unready-1'))).status, 201);
  await c.settle();
  const after = await c.get(`${PDBS}/web`);
  assert.equal(after.status.disruptedPods, undefined, 'no disruption spent');
  assert.deepEqual(counters(after.status).slice(1), [2, 2, 0]);
  // The budget now short of healthy pods (one ready pod less): the unready pod is held, unless AlwaysAllow.
  await c.patch(`${PDBS}/web`, { spec: { minAvailable: 3 } });
  assert.equal((await c.app.http.post(`${PODS}/unready-2/eviction`).send(eviction('unready-2'))).status, 429);
  await c.patch(`${PDBS}/web`, { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
  assert.equal((await c.app.http.post(`${PODS}/unready-2/eviction`).send(eviction('unready-2'))).status, 201);
});

test('a dry-run eviction checks the budget and writes nothing', async (t) => {
  const c = await daemonCluster(t, 2);
  const pdb = await createBudget(c, budget('web', { minAvailable: 1 }));
  const [victim] = await webPods(c);
  const res = await c.app.http.post(`${PODS}/${victim.metadata.name}/eviction?dryRun=All`).send(eviction(victim.metadata.name));
  assert.equal(res.status, 201);
  await c.settle();
  assert.equal((await c.get(`${PDBS}/web`)).metadata.resourceVersion, pdb.metadata.resourceVersion);
  assert.equal((await c.get(`${PODS}/${victim.metadata.name}`)).metadata.resourceVersion, victim.metadata.resourceVersion);
});

test('validation: both bounds, bad percentages, negative numbers, unknown eviction policy; status counters not negative', async (t) => {
  const c = await manualCluster(t, 0);
  const both = await c.app.http.post(PDBS).send(budget('both', { minAvailable: 1, maxUnavailable: 1 }));
  assert.equal(both.status, 422);
  assert.match(
    both.body.message,
    /^PodDisruptionBudget\.policy "both" is invalid: spec: Invalid value: policy\.PodDisruptionBudgetSpec\{MinAvailable:\(\*intstr\.IntOrString\)\(0x[0-9a-f]+\), Selector:\(\*v1\.LabelSelector\)\(0x[0-9a-f]+\), MaxUnavailable:\(\*intstr\.IntOrString\)\(0x[0-9a-f]+\), UnhealthyPodEvictionPolicy:\(\*policy\.UnhealthyPodEvictionPolicyType\)\(nil\)\}: minAvailable and maxUnavailable cannot be both set$/,
  );
  const bad = await c.app.http.post(PDBS).send(budget('bad', { minAvailable: '120%', unhealthyPodEvictionPolicy: 'Sometimes' }));
  assert.equal(bad.status, 422);
  assert.equal(
    bad.body.message,
    // An IntOrString prints as %#v: its String() has a pointer receiver, which a field error never calls.
    'PodDisruptionBudget.policy "bad" is invalid: [spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%, ' +
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"]',
  );
  const word = await c.app.http.post(PDBS).send(budget('word', { maxUnavailable: 'half' }));
  assert.equal(word.status, 422);
  assert.match(
    word.body.message,
    /spec\.maxUnavailable: Invalid value: intstr\.IntOrString\{Type:1, IntVal:0, StrVal:"half"\}: a valid percent string must be a numeric string followed by an ending '%'/,
  );
  const negative = await c.app.http.post(PDBS).send(budget('negative', { minAvailable: -1 }));
  assert.equal(
    negative.body.message,
    'PodDisruptionBudget.policy "negative" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
  );

  const ok = await c.app.http.post(PDBS).send(budget('ok', { minAvailable: '100%' }));
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  const status = await c.app.http
    .patch(`${PDBS}/ok/status`)
    .set('content-type', 'application/merge-patch+json')
    .send({ status: { disruptionsAllowed: -1 } });
  assert.equal(status.status, 422);
  assert.match(status.body.message, /status\.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0/);
});

test('policy is served in v1 only (v1beta1 PodDisruptionBudgets went in 1.25), with pdb as the short name', async (t) => {
  const c = await manualCluster(t, 0);
  const group = (await c.get('/apis')).groups.find((g: Obj) => g.name === 'policy');
  assert.deepEqual(group.versions, [{ groupVersion: 'policy/v1', version: 'v1' }]);
  assert.equal((await c.app.http.get('/apis/policy/v1beta1')).status, 404);
  const resources = (await c.get('/apis/policy/v1')).resources.map((r: Obj) => [r.name, r.shortNames?.join(','), r.verbs.length]);
  assert.deepEqual(resources, [
    ['poddisruptionbudgets', 'pdb', 8],
    ['poddisruptionbudgets/status', undefined, 3],
  ]);
});
