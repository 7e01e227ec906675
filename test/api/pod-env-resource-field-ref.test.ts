/**
 * Env vars from a container's resources (valueFrom.resourceFieldRef) through the API: 1.33 checks
 * the resource and the divisor as it does for downward API volume files, but lets the container
 * name be empty (the container itself) and does not look the name up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';

const pod = (env: unknown[]): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx', env }] },
});

describe('Pod env valueFrom.resourceFieldRef over HTTP', () => {
  it('accepts an empty or unknown containerName, hugepages and the allowed divisors', async (t) => {
    const app = await buildTestApp(t);
    const env = [
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: 'elsewhere', resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'HUGE', valueFrom: { resourceFieldRef: { resource: 'requests.hugepages-2Mi', divisor: '1Ki' } } },
    ];
    const res = await app.http.post(PODS).send(pod(env));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.containers[0].env[0].valueFrom.resourceFieldRef, { resource: 'limits.memory', divisor: '1Mi' });
  });

  it('rejects an unsupported resource and a divisor the resource does not understand, with upstream paths and texts', async (t) => {
    const app = await buildTestApp(t);
    const env = [
      { name: 'GPU', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1Mi' } } },
      { name: 'NONE', valueFrom: { resourceFieldRef: { divisor: '1' } } },
    ];
    const res = await app.http.post(PODS).send(pod(env));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    const at = 'spec.containers[0].env';
    const causes = [
      `${at}[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
      `${at}[1].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
      `${at}[2].valueFrom.resourceFieldRef.resource: Required value`,
    ];
    assert.deepEqual(
      (res.body.details.causes as { field: string; message: string }[]).map((c) => `${c.field}: ${c.message}`),
      causes,
    );
    assert.equal(res.body.message, `Pod "p" is invalid: [${causes.join(', ')}]`);
  });
});
