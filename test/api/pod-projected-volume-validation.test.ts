/**
 * Projected and downward API volumes through the API, for a Pod and a DaemonSet template: the 422
 * causes of 1.33's validateProjectionSources and downward API resourceFieldRef checks, and the
 * clusterTrustBundle sources a 1.33 server (ClusterTrustBundleProjection off) drops before validating.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';

const PODS = '/api/v1/namespaces/default/pods';
const DAEMONSETS = '/apis/apps/v1/namespaces/default/daemonsets';
const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const BYTE_DIVISORS = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';
const RESOURCES =
  '"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"';

type Json = Record<string, unknown>;

const kinds = [
  {
    kind: 'Pod',
    url: PODS,
    spec: 'spec',
    body: (spec: Json) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }),
    specOf: (o: any) => o.spec,
  },
  {
    kind: 'DaemonSet',
    url: DAEMONSETS,
    spec: 'spec.template.spec',
    body: (spec: Json) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec } },
    }),
    specOf: (o: any) => o.spec.template.spec,
  },
];

const withVolumes = (volumes: Json[]): Json => ({ containers: [{ name: 'c', image: 'nginx' }], volumes });

/** One projected volume that breaks each rule once, and a downward API volume with resourceFieldRef items. */
const badVolumes = [
  {
    name: 'proj',
    projected: {
      sources: [
        { secret: { name: 's', items: [{ key: 'b', path: 'a' }] }, configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } },
        { downwardAPI: { items: [{ path: 'a', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { serviceAccountToken: { path: '', expirationSeconds: 599 } },
        { serviceAccountToken: { path: '..token', expirationSeconds: 4294967297 } },
        { secret: { items: [{ key: '', path: '/abs', mode: 0o1000 }] } },
        {
          downwardAPI: {
            items: [
              { path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } },
              { path: 'gpu', resourceFieldRef: { containerName: 'c', resource: 'limits.gpu' } },
              { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '2Mi' } },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'dapi',
    downwardAPI: {
      items: [
        { path: 'ok', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1000m' } },
        { path: 'huge', resourceFieldRef: { containerName: 'c', resource: 'requests.hugepages-2Mi', divisor: '1m' } },
        { path: 'disk', resourceFieldRef: { containerName: 'c', resource: 'requests.ephemeral-storage', divisor: '1m' } },
      ],
    },
  },
];

function expectedCauses(spec: string): string[] {
  const at = `${spec}.volumes[0].projected`;
  const dapi = `${spec}.volumes[1].downwardAPI.resourceFieldRef`;
  return [
    `${at}: Invalid value: "cm": conflicting duplicate paths`,
    `${at}.sources[0]: Forbidden: may not specify more than 1 volume type per source`,
    `${at}: Invalid value: "a": conflicting duplicate paths`,
    `${at}.sources[2].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes`,
    `${at}.path: Required value`,
    `${at}.sources[3].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds`,
    `${at}.path: Invalid value: "..token": must not start with '..'`,
    `${at}.sources[4].secret.name: Required value`,
    `${at}.sources[4].secret.items[0].key: Required value`,
    `${at}.sources[4].secret.items[0].path: Invalid value: "/abs": must be a relative path`,
    `${at}.sources[4].secret.items[0].mode: Invalid value: 512: ${FILE_MODE_MSG}`,
    `${at}.sources[5].downwardAPI.resourceFieldRef.containerName: Required value`,
    `${at}.sources[5].downwardAPI.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: ${RESOURCES}`,
    `${at}.sources[5].downwardAPI.resourceFieldRef.divisor: Invalid value: "limits.memory": only divisor's values ${BYTE_DIVISORS} are supported with the memory resource`,
    `${dapi}.divisor: Invalid value: "requests.hugepages-2Mi": only divisor's values ${BYTE_DIVISORS} are supported with the hugepages resource`,
    `${dapi}.divisor: Invalid value: "requests.ephemeral-storage": only divisor's values ${BYTE_DIVISORS} are supported with the local ephemeral storage resource`,
  ];
}

/** The bundle sources of a projected volume: one alone, one beside a configMap whose item takes the bundle's path. */
const bundleVolume = {
  name: 'bundle',
  projected: {
    sources: [
      { clusterTrustBundle: { name: 'a', signerName: 'not a signer', path: 'ca.pem' } },
      { configMap: { name: 'cm', items: [{ key: 'k', path: 'ca.pem' }] }, clusterTrustBundle: { path: '' } },
    ],
  },
};

for (const k of kinds) {
  describe(`${k.kind}: projected volume validation over HTTP`, () => {
    it('every projection rule, with its field and value, in upstream order', async (t) => {
      const app = await buildTestApp(t);
      const res = await app.http.post(k.url).send(k.body(withVolumes(badVolumes)));
      assert.equal(res.status, 422, JSON.stringify(res.body));
      const causes = (res.body.details.causes as { field: string; message: string }[]).map((c) => `${c.field}: ${c.message}`);
      assert.deepEqual(causes, expectedCauses(k.spec));
    });

    it('clusterTrustBundle sources are dropped, invalid or clashing ones too; the emptied source warns', async (t) => {
      const app = await buildTestApp(t);
      const res = await app.http.post(k.url).send(k.body(withVolumes([bundleVolume])));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(k.specOf(res.body).volumes[0].projected.sources, [
        {},
        { configMap: { name: 'cm', items: [{ key: 'k', path: 'ca.pem' }] } },
      ]);
      // Warnings see the dropped object: no overlap with the configMap's item, but an empty source.
      assert.equal(res.headers.warning, '299 - "volume \\"bundle\\" (Projected) has no sources provided"');
      const read = await app.http.get(`${k.url}/${res.body.metadata.name}`);
      assert.deepEqual(k.specOf(read.body).volumes[0].projected.sources[0], {});
    });
  });
}
