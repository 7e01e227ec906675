/** The alpha tolerations annotation through the API: 1.33 still refuses one that is not valid tolerations. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const KEY = 'scheduler.alpha.kubernetes.io/tolerations';

const pod = (value: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations: { [KEY]: value } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

describe('pod tolerations annotation', () => {
  it('an annotation that does not decode is a 422 at metadata.annotations naming the key', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(pod('{"key":"a"}'));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(
      res.body.message,
      `Pod "p" is invalid: metadata.annotations: Invalid value: "${KEY}": json: cannot unmarshal object into Go value of type []core.Toleration`,
    );
    assert.deepEqual(res.body.details.causes, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${KEY}": json: cannot unmarshal object into Go value of type []core.Toleration`,
        field: 'metadata.annotations',
      },
    ]);
  });

  it('an invalid toleration in it is reported under the annotation key; valid ones are stored as written', async (t) => {
    const app = await buildTestApp(t);
    const bad = await app.http.post(PODS).send(pod('[{"key":"a b","operator":"Equal","value":"x"}]'));
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.deepEqual(
      bad.body.details.causes.map((c: { field: string }) => c.field),
      [`metadata.annotations.${KEY}[0].key`],
    );
    const value = '[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}]';
    const good = await app.http.post(PODS).send(pod(value));
    assert.equal(good.status, 201, JSON.stringify(good.body));
    assert.equal(good.body.metadata.annotations[KEY], value);
    assert.equal(good.body.spec.tolerations?.some((t: { key?: string }) => t.key === 'dedicated') ?? false, false);
  });
});
