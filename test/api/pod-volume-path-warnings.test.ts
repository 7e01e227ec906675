/**
 * The overlapping-path Warning headers of a pod create on 1.33.0 (warningsForOverlappingVirtualPaths):
 * item paths of one configMap, secret or downwardAPI volume, and the paths of a projected volume's
 * sources, that are equal or one above the other; in volume and item order, after the deprecated
 * volume warnings and before the hostAliases ones. The texts name the volume, not a field path, so a
 * DaemonSet's template gets the same ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { warningTexts as warnings } from '../helpers/warnings.js';

const PODS = '/api/v1/namespaces/default/pods';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const pod = (name: string, volumes: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], volumes, ...extra },
});

const items = (...paths: string[]) => paths.map((path, i) => ({ key: `k${i}`, path }));

/** A projected volume whose sources clash across sources, with a token, and not at all. */
const projected = {
  name: 'bundle',
  projected: {
    sources: [
      { configMap: { name: 'cm', items: items('conf', 'other') } },
      { secret: { name: 's', items: items('conf/key', 'conference') } },
      { serviceAccountToken: { path: 'conf/key' } },
      { downwardAPI: { items: [{ path: 'other/labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      // ClusterTrustBundleProjection is off in 1.33: the bundle is dropped before the warnings are
      // worked out, so it clashes with nothing and leaves an empty source behind.
      { clusterTrustBundle: { signerName: 'example.com/signer', labelSelector: {}, path: 'conference/ca.pem' } },
    ],
  },
};
const projectedWarnings = [
  'volume "bundle" (Projected): overlapping paths: "conf/key" (Secret "s") with "conf" (ConfigMap "cm")',
  'volume "bundle" (Projected): overlapping paths: "conf/key" (ServiceAccountToken) with "conf" (ConfigMap "cm")',
  'volume "bundle" (Projected): overlapping paths: "conf/key" (ServiceAccountToken) with "conf/key" (Secret "s")',
  'volume "bundle" (Projected): overlapping paths: "other/labels" (DownwardAPI) with "other" (ConfigMap "cm")',
  'volume "bundle" (Projected) has no sources provided',
];

describe('pod volume path overlap warnings', () => {
  it('a projected volume: each source path against the earlier ones, every clash, in order', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(pod('projected', [projected]));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), projectedWarnings);
  });

  it('configMap, secret and downwardAPI volumes: items against the earlier items of the same volume', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(
      pod('single', [
        { name: 'cfg', configMap: { name: 'app', items: items('etc', 'etc/app.conf', 'etc/') } },
        { name: 'creds', secret: { secretName: 'db', items: items('a/b/c', 'a/b') } },
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'pod/name', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'pod/name/x', fieldRef: { fieldPath: 'metadata.namespace' } },
            ],
          },
        },
        // Another volume's paths do not count: each volume is its own directory.
        { name: 'other', configMap: { name: 'app', items: items('etc') } },
      ]),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      'volume "cfg" (ConfigMap "app"): overlapping paths: "etc/app.conf" with "etc"',
      // A trailing slash is dropped before comparing, and the text shows the path without it.
      'volume "cfg" (ConfigMap "app"): overlapping paths: "etc" with "etc"',
      'volume "cfg" (ConfigMap "app"): overlapping paths: "etc" with "etc/app.conf"',
      'volume "creds" (Secret "db"): overlapping paths: "a/b" with "a/b/c"',
      'volume "info" (DownwardAPI): overlapping paths: "pod/name/x" with "pod/name"',
    ]);
  });

  it('distinct paths, prefixes that are not whole segments, and sources without items warn of nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(
      pod('clean', [
        { name: 'cfg', configMap: { name: 'app', items: items('a', 'ab', 'a.b', 'b/a', 'c/a') } },
        { name: 'all-keys', secret: { secretName: 'db' } },
        {
          name: 'proj',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { configMap: { name: 'ca', items: items('ca.crt') } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              { configMap: { name: 'empty', items: [] } },
              { secret: { name: 'tokens', items: items('tokens/a') } },
              { serviceAccountToken: { path: 'tokenizer' } },
            ],
          },
        },
      ]),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), []);
  });

  it('a source with nothing set, and 1.33.0 re-checking the previous paths for a source without items', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(
      pod('quirks', [
        {
          name: 'proj',
          projected: {
            sources: [{}, { configMap: { name: 'first', items: items('x') } }, { secret: { name: 'whole' } }],
          },
        },
      ]),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      'volume "proj" (Projected) has no sources provided',
      'volume "proj" (Projected): overlapping paths: "x" (ConfigMap "first") with "x" (ConfigMap "first")',
    ]);
  });

  it('come after the deprecated volume warnings and before the hostAliases ones; names are quoted as Go does', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(
      pod(
        'order',
        [
          { name: 'cfg', configMap: { name: 'app', items: items('d\u00a0ir', 'd\u00a0ir/x') } },
          { name: 'repo', gitRepo: { repository: 'https://example.com/r.git' } },
        ],
        {
          hostAliases: [
            { ip: '10.0.0.1', hostnames: ['a'] },
            { ip: '10.0.0.1', hostnames: ['b'] },
          ],
        },
      ),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      'spec.volumes[1].gitRepo: deprecated in v1.11, and disabled by default in v1.33+',
      'volume "cfg" (ConfigMap "app"): overlapping paths: "d\\u00a0ir/x" with "d\\u00a0ir"',
      'spec.hostAliases[1].ip: duplicate ip "10.0.0.1"',
    ]);
  });

  it('a DaemonSet template gets the same texts, with no spec.template prefix', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(DS).send({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            containers: [{ name: 'c', image: 'nginx' }],
            volumes: [projected, { name: 'cfg', configMap: { name: 'app', items: items('a', 'a/b') } }],
          },
        },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [...projectedWarnings, 'volume "cfg" (ConfigMap "app"): overlapping paths: "a/b" with "a"']);
  });
});
