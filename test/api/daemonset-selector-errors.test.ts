/**
 * The selector errors a DaemonSet create or update gets, as kubectl shows them: a field error
 * follows the *metav1.LabelSelector pointer and prints the struct with %#v (its String() has a
 * pointer receiver), template labels print as %#v of the map.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const daemonSet = (selector: unknown, labels: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'd' },
  spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('DaemonSet selector errors over HTTP', () => {
  it('an empty selector', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(DAEMONSETS).send(daemonSet({}, { app: 'd' }));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(
      res.body.message,
      'DaemonSet.apps "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), ' +
        'MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
    );
    const empty = await app.http.post(DAEMONSETS).send(daemonSet({ matchLabels: {}, matchExpressions: [] }, { app: 'd' }));
    assert.equal(
      empty.body.details.causes[0].message,
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement{}}: empty selector is invalid for daemonset',
    );
  });

  it('a selector that does not match the template labels', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(DAEMONSETS).send(daemonSet({ matchLabels: { app: 'd' } }, { app: 'other', tier: 'x\u00a0y' }));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    // The no-break space also makes the label value invalid; both errors quote it as Go does.
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"x\\u00a0y"}: ' +
          '`selector` does not match template `labels`',
        `spec.template.labels: Invalid value: "x\\u00a0y": ${LABEL_VALUE_MSG}`,
      ],
    );
  });

  it('a changed selector on update', async (t) => {
    const app = await buildTestApp(t);
    const created = await app.http.post(DAEMONSETS).send(daemonSet({ matchLabels: { app: 'd' } }, { app: 'd', tier: 'a' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const next = structuredClone(created.body);
    next.spec.selector = { matchLabels: { app: 'd' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] };
    const res = await app.http.put(`${DAEMONSETS}/d`).send(next);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(
      res.body.message,
      'DaemonSet.apps "d" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"d"}, ' +
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a"}}}}: ' +
        'field is immutable',
    );
  });
});
