/** spec.dnsConfig through the API: the 422 a 1.33 server returns for a Pod and a DaemonSet template. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';

const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

describe('pod dnsConfig validation over HTTP', () => {
  it('too many nameservers, a bad search path and a nameless option are a 422 with causes in upstream order', async (t) => {
    const app = await buildTestApp(t);
    const res = await app.http.post(PODS).send(
      pod({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns.local'],
          searches: ['svc.cluster.local.', 'Bad_Domain'],
          options: [{ name: 'ndots', value: '2' }, { value: '1' }],
        },
      }),
    );
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.reason, 'Invalid');
    assert.deepEqual(res.body.details.causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: []string{"1.1.1.1", "8.8.8.8", "9.9.9.9", "dns.local"}: must not have more than 3 nameservers',
        field: 'spec.dnsConfig.nameservers',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "dns.local": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        field: 'spec.dnsConfig.nameservers[3]',
      },
      {
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"Bad_Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        field: 'spec.dnsConfig.searches[1]',
      },
      { reason: 'FieldValueRequired', message: 'Required value: must not be empty', field: 'spec.dnsConfig.options[1]' },
    ]);
    assert.match(res.body.message, /^Pod "p" is invalid: \[spec\.dnsConfig\.nameservers: Invalid value: \[\]string\{/);
  });

  it('a pod with relaxed search paths (underscores, trailing dot, ".") and 32 of them is created', async (t) => {
    const app = await buildTestApp(t);
    const searches = ['_sip._udp.example.com', 'ns.svc.cluster.local.', '.', ...Array.from({ length: 29 }, (_, i) => `d${i}.example`)];
    const res = await app.http.post(PODS).send(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.96.0.10'], searches } }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.spec.dnsConfig.searches, searches);
  });

  it('a DaemonSet template whose search list is over 2048 characters is a 422 at its template path', async (t) => {
    const app = await buildTestApp(t);
    const searches = Array.from(
      { length: 9 },
      (_, i) => `${String(i)}${'a'.repeat(62)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    );
    const res = await app.http.post(DAEMONSETS).send({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], dnsConfig: { searches } } },
      },
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.details.causes.length, 1, JSON.stringify(res.body.details.causes));
    assert.equal(res.body.details.causes[0].field, 'spec.template.spec.dnsConfig.searches');
    assert.match(res.body.details.causes[0].message, /: must not have more than 2048 characters \(including spaces\) in the search list$/);
  });
});
