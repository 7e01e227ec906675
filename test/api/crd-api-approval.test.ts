/**
 * The Kubernetes API review policy for CRDs, as apiextensions-apiserver 1.33 enforces it: a CRD in
 * k8s.io, kubernetes.io or a subdomain of either needs the api-approved.kubernetes.io annotation (a
 * URL, or a text starting with "unapproved") to be created, an update may keep the approval state
 * the stored CRD has, and the KubernetesAPIApprovalPolicyConformant condition tells the state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { widgetCrd } from '../helpers/widget-crd.js';
import type { KubeObject } from '../../src/apimachinery/object.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const ANNOTATION = 'api-approved.kubernetes.io';
const FIELD = 'metadata.annotations[api-approved.kubernetes.io]';
const MISSING =
  'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111';
const INVALID =
  'protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting ' +
  'with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111';
const APPROVAL = 'KubernetesAPIApprovalPolicyConformant';
const PR = 'https://github.com/kubernetes/kubernetes/pull/12345';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}
type Crd = ReturnType<typeof widgetCrd> & { metadata: { resourceVersion?: string; uid?: string }; status?: { conditions?: Condition[] } };

const crdIn = (group: string, annotation?: string) =>
  widgetCrd({ group, ...(annotation === undefined ? {} : { annotations: { [ANNOTATION]: annotation } }) });

/** The CRD once its status has the approval condition with this reason (or, with none, once Established). */
async function settled(app: TestApp, name: string, reason?: string): Promise<Crd> {
  return waitFor(async () => {
    const crd = (await app.http.get(`${CRDS}/${name}`).expect(200)).body as Crd;
    const conditions = crd.status?.conditions ?? [];
    const done = reason
      ? conditions.some((c) => c.type === APPROVAL && c.reason === reason)
      : conditions.some((c) => c.type === 'Established' && c.status === 'True');
    return done && crd;
  });
}

const summary = (crd: Crd) => (crd.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
const approvalOf = (crd: Crd) => crd.status?.conditions?.find((c) => c.type === APPROVAL);

describe('API review policy for CRDs in protected groups', () => {
  it('refuses a CRD of k8s.io, kubernetes.io or their subdomains without the annotation: 422, Required, nothing stored', async (t) => {
    const app = await buildTestApp(t);
    for (const group of ['widgets.k8s.io', 'k8s.io', 'kubernetes.io', 'gateway.networking.k8s.io', 'x.kubernetes.io']) {
      const res = await app.http.post(CRDS).send(crdIn(group)).expect(422);
      assert.deepEqual(res.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `CustomResourceDefinition.apiextensions.k8s.io "widgets.${group}" is invalid: ${FIELD}: Required value: ${MISSING}`,
        reason: 'Invalid',
        details: {
          name: `widgets.${group}`,
          group: 'apiextensions.k8s.io',
          kind: 'CustomResourceDefinition',
          causes: [{ reason: 'FieldValueRequired', message: `Required value: ${MISSING}`, field: FIELD }],
        },
        code: 422,
      });
      await app.http.get(`${CRDS}/widgets.${group}`).expect(404);
    }
    // An empty annotation is a missing one.
    const empty = await app.http.post(CRDS).send(crdIn('widgets.k8s.io', '')).expect(422);
    assert.deepEqual(empty.body.details.causes, [{ reason: 'FieldValueRequired', message: `Required value: ${MISSING}`, field: FIELD }]);
  });

  it('refuses an annotation that is neither a URL with a host nor "unapproved…": Invalid value, quoted as Go does', async (t) => {
    const app = await buildTestApp(t);
    const values: [string, string][] = [
      ['approved', '"approved"'],
      ['github.com/kubernetes/enhancements/pull/1111', '"github.com/kubernetes/enhancements/pull/1111"'],
      ['https://', '"https://"'],
      ['mailto:api@k8s.io', '"mailto:api@k8s.io"'],
      ['Unapproved', '"Unapproved"'],
      ['a\x01b', '"a\\x01b"'],
    ];
    for (const [value, quoted] of values) {
      const res = await app.http.post(CRDS).send(crdIn('widgets.k8s.io', value)).expect(422);
      assert.deepEqual(
        res.body.details.causes,
        [{ reason: 'FieldValueInvalid', message: `Invalid value: ${quoted}: ${INVALID}`, field: FIELD }],
        value,
      );
      assert.equal(
        res.body.message,
        `CustomResourceDefinition.apiextensions.k8s.io "widgets.widgets.k8s.io" is invalid: ${FIELD}: Invalid value: ${quoted}: ${INVALID}`,
      );
    }
    await app.http.get(`${CRDS}/widgets.widgets.k8s.io`).expect(404);
  });

  it('reports the annotation after the spec errors, as upstream orders them', async (t) => {
    const app = await buildTestApp(t);
    const crd = crdIn('widgets.k8s.io');
    crd.spec.scope = 'Global';
    const res = await app.http.post(CRDS).send(crd).expect(422);
    assert.deepEqual(
      (res.body.details.causes as { field: string }[]).map((c) => c.field),
      ['spec.scope', FIELD],
    );
  });

  it('creates a CRD approved by a URL; KubernetesAPIApprovalPolicyConformant True, ApprovedAnnotation', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post(CRDS).send(crdIn('widgets.k8s.io', PR)).expect(201);
    const crd = await settled(app, 'widgets.widgets.k8s.io', 'ApprovedAnnotation');
    assert.deepEqual(summary(crd), [
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
      [APPROVAL, 'True', 'ApprovedAnnotation', `approved in ${PR}`],
    ]);
    assert.match(approvalOf(crd)?.lastTransitionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await app.http.get('/apis/widgets.k8s.io/v1/namespaces/default/widgets').expect(200);
  });

  it('creates a CRD marked "unapproved…"; the condition is False, UnapprovedAnnotation, naming the text', async (t) => {
    const app = await buildTestApp(t);
    await app.http.post(CRDS).send(crdIn('kubernetes.io', 'unapproved, experimental')).expect(201);
    const crd = await settled(app, 'widgets.kubernetes.io', 'UnapprovedAnnotation');
    assert.deepEqual(approvalOf(crd) && summary(crd).at(-1), [
      APPROVAL,
      'False',
      'UnapprovedAnnotation',
      'not approved: "unapproved, experimental"',
    ]);
  });

  it('leaves other groups alone: any annotation value or none, and no approval condition', async (t) => {
    const app = await buildTestApp(t);
    for (const [group, value] of [
      ['example.com', 'not a url'],
      ['notk8s.io', undefined],
      ['k8s.io.example.com', undefined],
    ] as const) {
      await app.http.post(CRDS).send(crdIn(group, value)).expect(201);
      const crd = await settled(app, `widgets.${group}`);
      assert.deepEqual(
        summary(crd).map((c) => c[0]),
        ['NamesAccepted', 'Established'],
        group,
      );
      if (value !== undefined) {
        // Updating it to another value is no more checked.
        crd.metadata.annotations = { [ANNOTATION]: 'still not' };
        await app.http.put(`${CRDS}/widgets.${group}`).send(crd).expect(200);
      }
    }
  });

  it('an update needs a valid annotation unless it keeps the stored state; the condition follows the annotation', async (t) => {
    const app = await buildTestApp(t);
    const name = 'widgets.widgets.k8s.io';
    const put = (crd: Crd, annotation: string | undefined, code: number) => {
      const next = structuredClone(crd);
      if (annotation === undefined) delete (next.metadata as { annotations?: unknown }).annotations;
      else next.metadata.annotations = { [ANNOTATION]: annotation };
      return app.http.put(`${CRDS}/${name}`).send(next).expect(code);
    };
    await app.http.post(CRDS).send(crdIn('widgets.k8s.io', 'unapproved, first try')).expect(201);
    let crd = await settled(app, name, 'UnapprovedAnnotation');
    const bypassedAt = approvalOf(crd)?.lastTransitionTime;
    // Bypassed to another bypassing text: the same state, and a new message (status unchanged, so the transition time stays).
    await put(crd, 'unapproved, second try', 200);
    crd = await waitFor(async () => {
      const got = (await app.http.get(`${CRDS}/${name}`).expect(200)).body as Crd;
      return approvalOf(got)?.message === 'not approved: "unapproved, second try"' && got;
    });
    assert.equal(approvalOf(crd)?.lastTransitionTime, bypassedAt);
    // Bypassed to missing or invalid: refused, as on create.
    assert.equal((await put(crd, undefined, 422)).body.details.causes[0].message, `Required value: ${MISSING}`);
    assert.equal((await put(crd, 'later', 422)).body.details.causes[0].message, `Invalid value: "later": ${INVALID}`);
    // Bypassed to approved, then approved to bypassed: both valid states.
    await put(crd, PR, 200);
    crd = await settled(app, name, 'ApprovedAnnotation');
    assert.deepEqual(summary(crd).at(-1), [APPROVAL, 'True', 'ApprovedAnnotation', `approved in ${PR}`]);
    await put(crd, 'unapproved, reverted', 200);
    crd = await settled(app, name, 'UnapprovedAnnotation');
    assert.deepEqual(summary(crd).at(-1), [APPROVAL, 'False', 'UnapprovedAnnotation', 'not approved: "unapproved, reverted"']);
  });

  it('a CRD stored without approval (before the policy) still updates while it stays so; the condition says why', async (t) => {
    const app = await buildTestApp(t);
    const name = 'widgets.widgets.k8s.io';
    await app.http.post(CRDS).send(crdIn('widgets.k8s.io', PR)).expect(201);
    await settled(app, name, 'ApprovedAnnotation');
    // What a database from before the policy holds: the same CRD without the annotation, written
    // under the API (as upstream's v1beta1 CRDs were never checked).
    const store = app.kubemock.registry.store<KubeObject>('customresourcedefinitions', 'apiextensions.k8s.io');
    const stored = store.get(undefined, name);
    const old = structuredClone(stored);
    delete stored.metadata.annotations;
    assert.ok(store.commit('MODIFIED', stored, Number(old.metadata.resourceVersion), old));
    let crd = await settled(app, name, 'MissingAnnotation');
    assert.deepEqual(summary(crd).at(-1), [APPROVAL, 'False', 'MissingAnnotation', MISSING]);

    // A spec change without the annotation: the state stays Missing, so it is allowed.
    crd.spec.names = { ...crd.spec.names, shortNames: ['wd'] } as typeof crd.spec.names;
    crd = (await app.http.put(`${CRDS}/${name}`).send(crd).expect(200)).body as Crd;
    assert.deepEqual((crd.spec.names as { shortNames?: string[] }).shortNames, ['wd']);
    await app.http
      .patch(`${CRDS}/${name}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { team: 'storage' } } })
      .expect(200);
    // From Missing to Invalid is a change of state: refused.
    const bad = await app.http
      .patch(`${CRDS}/${name}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { annotations: { [ANNOTATION]: 'soon' } } })
      .expect(422);
    assert.deepEqual(bad.body.details.causes, [
      { reason: 'FieldValueInvalid', message: `Invalid value: "soon": ${INVALID}`, field: FIELD },
    ]);
    // From Missing to approved: allowed, and the condition turns True.
    await app.http
      .patch(`${CRDS}/${name}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { annotations: { [ANNOTATION]: PR } } })
      .expect(200);
    crd = await settled(app, name, 'ApprovedAnnotation');
    assert.equal(approvalOf(crd)?.status, 'True');
  });

  it('a CRD stored with an invalid annotation may change it to another invalid one, not drop it', async (t) => {
    const app = await buildTestApp(t);
    const name = 'widgets.k8s.io';
    await app.http.post(CRDS).send(crdIn('k8s.io', PR)).expect(201);
    await settled(app, name, 'ApprovedAnnotation');
    const store = app.kubemock.registry.store<KubeObject>('customresourcedefinitions', 'apiextensions.k8s.io');
    const stored = store.get(undefined, name);
    const old = structuredClone(stored);
    stored.metadata.annotations = { [ANNOTATION]: 'yes' };
    assert.ok(store.commit('MODIFIED', stored, Number(old.metadata.resourceVersion), old));
    const crd = await settled(app, name, 'InvalidAnnotation');
    assert.deepEqual(summary(crd).at(-1), [APPROVAL, 'False', 'InvalidAnnotation', INVALID]);
    const patch = (value: string | null, code: number) =>
      app.http
        .patch(`${CRDS}/${name}`)
        .set('Content-Type', 'application/merge-patch+json')
        .send({ metadata: { annotations: { [ANNOTATION]: value } } })
        .expect(code);
    await patch('still yes', 200);
    const dropped = await patch(null, 422);
    assert.deepEqual(dropped.body.details.causes, [{ reason: 'FieldValueRequired', message: `Required value: ${MISSING}`, field: FIELD }]);
  });

  it('the condition is written once per annotation: a client removing it through /status sees it back only when the annotation changes', async (t) => {
    const app = await buildTestApp(t);
    const name = 'widgets.widgets.k8s.io';
    await app.http.post(CRDS).send(crdIn('widgets.k8s.io', 'unapproved, one')).expect(201);
    const crd = await settled(app, name, 'UnapprovedAnnotation');
    // Every condition removed: the naming and establishing parts put theirs back, in the same pass
    // that leaves the approval condition out.
    crd.status!.conditions = [];
    await app.http.put(`${CRDS}/${name}/status`).send(crd).expect(200);
    const after = await waitFor(async () => {
      const got = (await app.http.get(`${CRDS}/${name}`).expect(200)).body as Crd;
      return (got.status?.conditions?.length ?? 0) > 0 && got;
    });
    assert.deepEqual(
      summary(after).map((c) => c[0]),
      ['NamesAccepted', 'Established'],
    );
    await app.http
      .patch(`${CRDS}/${name}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { annotations: { [ANNOTATION]: 'unapproved, two' } } })
      .expect(200);
    const back = await settled(app, name, 'UnapprovedAnnotation');
    assert.equal(approvalOf(back)?.message, 'not approved: "unapproved, two"');
  });
});
