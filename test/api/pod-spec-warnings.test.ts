/**
 * The Warning headers of warningsForPodSpecAndMeta on 1.33 beyond the annotation ones: deprecated node
 * labels, invalid label values in a preferred node affinity term, null label selectors, deprecated
 * volume plugins, fractional byte quantities, duplicate hostAliases, imagePullSecrets, env vars, ports
 * and port names, a negative grace period, and non-standard IP addresses; in upstream's order,
 * at spec... for a pod and at spec.template.spec... for a DaemonSet's template.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/build-app.js';
import { warningTexts as warnings } from '../helpers/warnings.js';

const PODS = '/api/v1/namespaces/default/pods';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const hostname = { topologyKey: 'kubernetes.io/hostname' };
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** A pod spec that trips every warning this file covers once. */
function busySpec(): Record<string, unknown> {
  return {
    nodeSelector: { 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['a'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 1,
            preference: {
              matchExpressions: [
                { key: 'beta.kubernetes.io/arch', operator: 'Exists' },
                { key: 'disktype', operator: 'In', values: ['ssd', 'fast disk'] },
              ],
            },
          },
        ],
      },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [hostname] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: hostname }] },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'node-role.kubernetes.io/master', whenUnsatisfiable: 'DoNotSchedule' }],
    volumes: [
      { name: 'repo', gitRepo: { repository: 'https://example.com/r.git' } },
      {
        name: 'scratch',
        ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1500m' } } } } },
      },
    ],
    hostAliases: [
      { ip: '10.0.0.1', hostnames: ['a'] },
      { ip: '10.0.0.1', hostnames: ['b'] },
      { ip: '10.0.0.03', hostnames: ['c'] },
    ],
    dnsConfig: { nameservers: ['1.1.1.1', '8.8.08.8'] },
    imagePullSecrets: [{ name: 'reg' }, { name: 'reg' }, { name: '' }],
    terminationGracePeriodSeconds: -5,
    containers: [
      {
        name: 'c',
        image: 'nginx',
        resources: { limits: { memory: '1.5' }, requests: { 'ephemeral-storage': '100u' } },
        env: [
          { name: 'A', value: 'x' },
          { name: 'A', value: '$(A)-y' },
          { name: 'A', value: 'z' },
        ],
        ports: [
          { containerPort: 80, name: 'web' },
          { containerPort: 81, hostIP: '10.0.0.2' },
        ],
      },
      {
        name: 'd',
        image: 'nginx',
        ports: [
          { containerPort: 80, name: 'web' },
          { containerPort: 81, hostPort: 8081, hostIP: '10.0.0.2' },
        ],
      },
    ],
  };
}

/** What busySpec() is warned of, with `spec` the spec's path. */
function expectedFor(spec: string, annotations: string): string[] {
  const isPod = spec === 'spec';
  return [
    `${spec}.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead`,
    `${spec}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead`,
    `${spec}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/arch is deprecated since v1.14; use "kubernetes.io/arch" instead`,
    `${spec}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[1].values[1]: fast disk is invalid, ${LABEL_VALUE_MESSAGE}`,
    `${spec}.topologySpreadConstraints[0].topologyKey: node-role.kubernetes.io/master is use "node-role.kubernetes.io/control-plane" instead`,
    `${spec}.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod`,
    `${annotations}[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead`,
    `${spec}.volumes[0].gitRepo: deprecated in v1.11, and disabled by default in v1.33+`,
    `${spec}.volumes[1].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer`,
    `${spec}.hostAliases[1].ip: duplicate ip "10.0.0.1"`,
    `${spec}.imagePullSecrets[1].name: duplicate name "reg"`,
    `${spec}.imagePullSecrets[2].name: invalid empty name ""`,
    `${spec}.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer`,
    // A pod's memory request is defaulted from its limit before the warnings (SetDefaults_Pod; not templates).
    ...(isPod ? [`${spec}.containers[0].resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer`] : []),
    `${spec}.containers[0].resources.requests[ephemeral-storage]: fractional byte value "100u" is invalid, must be an integer`,
    `${spec}.containers[0].env[2]: hides previous definition of "A", which may be dropped when using apply`,
    `${spec}.containers[0].ports[1]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:81 Protocol:TCP HostIP:10.0.0.2}`,
    `${spec}.containers[1].ports[0]: duplicate port definition with ${spec}.containers[0].ports[0]`,
    `${spec}.containers[1].ports[1]: overlapping port definition with ${spec}.containers[0].ports[1]`,
    `${spec}.containers[1].ports[0]: duplicate port name "web" with ${spec}.containers[0].ports[0], services and probes that select ports by name will use ${spec}.containers[0].ports[0]`,
    `${spec}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`,
    `${spec}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod`,
    `${spec}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod`,
    `${spec}.dnsConfig.nameservers[1]: non-standard IP address "8.8.08.8" will be considered invalid in a future Kubernetes release: use "8.8.8.8"`,
    `${spec}.hostAliases[2].ip: non-standard IP address "10.0.0.03" will be considered invalid in a future Kubernetes release: use "10.0.0.3"`,
  ];
}

const CRITICAL = { 'scheduler.alpha.kubernetes.io/critical-pod': '' };

describe('pod spec warnings (warningsForPodSpecAndMeta)', () => {
  it('a pod create warns of each, in upstream order, at spec...', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post(PODS)
      .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: CRITICAL }, spec: busySpec() });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), expectedFor('spec', 'metadata.annotations'));
  });

  it('a clean pod, and whole or absent quantities, warn of nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'clean' },
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} },
        ],
        containers: [
          {
            name: 'c',
            image: 'nginx',
            resources: { limits: { memory: '1Gi', cpu: '500m' }, requests: { memory: '1000m', 'ephemeral-storage': '1.5k' } },
            env: [
              { name: 'A', value: 'x' },
              { name: 'A', value: '$(A):y' },
            ],
            ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }],
          },
        ],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), []);
  });

  it('ports with the same hostPort where only one names a hostIP are dangerously ambiguous', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ports' },
      spec: {
        containers: [
          { name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] },
          { name: 'd', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }] },
        ],
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), [
      'spec.containers[1].ports[0]: dangerously ambiguous port definition with spec.containers[0].ports[0]',
    ]);
  });

  it('a DaemonSet warns of its template at spec.template.spec..., on create and when the template changes', async (t) => {
    const { http } = await buildTestApp(t);
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' }, annotations: CRITICAL }, spec: { ...busySpec(), restartPolicy: 'Always' } },
      },
    };
    const res = await http.post(DS).send(daemonSet);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(warnings(res), expectedFor('spec.template.spec', 'spec.template.metadata.annotations'));

    const update = await http
      .patch(`${DS}/agent`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { template: { spec: { terminationGracePeriodSeconds: 30 } } } });
    assert.equal(update.status, 200, JSON.stringify(update.body));
    const unchanged = expectedFor('spec.template.spec', 'spec.template.metadata.annotations').filter(
      (w) => !w.includes('terminationGracePeriodSeconds'),
    );
    assert.deepEqual(warnings(update), unchanged, 'the rest of the template is warned of again (upstream ignores the old template)');
  });
  it('names are quoted as Go %q quotes them: control and non-printing characters escaped, for a pod and a template', async (t) => {
    const { http } = await buildTestApp(t);
    const imagePullSecrets = [{ name: 'reg\x01' }, { name: 'reg\x01' }, { name: 'a\u00a0b' }, { name: 'a\u00a0b' }];
    const spec = { containers: [{ name: 'c', image: 'nginx' }], imagePullSecrets };
    const expected = (at: string) => [
      `${at}.imagePullSecrets[1].name: duplicate name "reg\\x01"`,
      `${at}.imagePullSecrets[3].name: duplicate name "a\\u00a0b"`,
    ];
    const pod = await http.post(PODS).send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quoted' }, spec });
    assert.equal(pod.status, 201, JSON.stringify(pod.body));
    assert.deepEqual(warnings(pod), expected('spec'));
    const ds = await http.post(DS).send({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'quoted' },
      spec: { selector: { matchLabels: { app: 'q' } }, template: { metadata: { labels: { app: 'q' } }, spec } },
    });
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    assert.deepEqual(warnings(ds), expected('spec.template.spec'));
  });
});
