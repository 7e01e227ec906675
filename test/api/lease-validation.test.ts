/** Lease spec validation as ValidateLeaseSpec: durations, transitions, the coordinated-election strategy and preferred holder. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const lease = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name },
  spec,
});

describe('Lease validation', () => {
  it('refuses an unknown strategy, a bad qualified one and a preferred holder without a strategy, creating nothing', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(LEASES).send(lease('l', { strategy: 'Bogus', leaseDurationSeconds: 0 }));
    assert.equal(res.status, 422);
    assert.equal(
      res.body.message,
      'Lease.coordination.k8s.io "l" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.strategy.strategy: Unsupported value: "Bogus": supported values: "OldestEmulationVersion"]',
    );
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string }) => c.field),
      ['spec.leaseDurationSeconds', 'spec.strategy.strategy'],
    );
    const holder = await app.http.post(LEASES).send(lease('l', { preferredHolder: 'me' }));
    assert.equal(holder.status, 422);
    assert.equal(
      holder.body.message,
      'Lease.coordination.k8s.io "l" is invalid: spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
    );
    const qualified = await app.http.post(LEASES).send(lease('l', { strategy: 'Example.com/x_' }));
    assert.equal(qualified.status, 422);
    assert.match(qualified.body.details.causes[0].message, /^Invalid value: "Example\.com\/x_": /);
    assert.equal((await app.http.get(`${LEASES}/l`)).status, 404);
  });

  it('takes the defined strategy, a domain-qualified one, and a preferred holder with either', async (t) => {
    const app = await buildTestApp(t);
    for (const [name, strategy] of [
      ['oldest', 'OldestEmulationVersion'],
      ['mine', 'example.com/round-robin'],
    ]) {
      const res = await app.http.post(LEASES).send(lease(name, { strategy, preferredHolder: 'candidate-1' }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  });
});
