import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { admitPodOnCreate, defaultPod, defaultPodSpec, defaultPodTemplate } from '../../src/resources/pods/defaults.js';
import { defaultPullPolicy, parseImageReference } from '../../src/resources/pods/image-reference.js';

type Json = Record<string, any>;

const spec = (s: Json): Json => {
  const copy = structuredClone(s);
  defaultPodSpec(copy);
  return copy;
};

const pod = (s: Json): KubeObject & Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: structuredClone(s) });

describe('image pull policy default', () => {
  const cases: [string, 'Always' | 'IfNotPresent'][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['library/nginx', 'Always'],
    ['registry:5000/nginx', 'Always'],
    ['registry:5000/nginx:1.0', 'IfNotPresent'],
    ['localhost:5000/a/b', 'Always'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['registry.k8s.io/pause:3.9', 'IfNotPresent'],
    ['[::1]:5000/img', 'Always'],
    ['NGINX', 'IfNotPresent'], // does not parse: no tag is found
    ['', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) {
    it(`${JSON.stringify(image)} → ${want}`, () => assert.equal(defaultPullPolicy(image), want));
  }
  it('parses name, tag and digest', () => {
    assert.deepEqual(parseImageReference('docker.io/library/nginx:1.2'), { name: 'docker.io/library/nginx', tag: '1.2', digest: '' });
    assert.equal(parseImageReference('a:b:c'), undefined);
  });
});

describe('defaultPodSpec', () => {
  it('fills the PodSpec and container defaults of a minimal spec', () => {
    assert.deepEqual(spec({ containers: [{ name: 'c', image: 'nginx' }] }), {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: {},
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
    });
  });

  it('keeps values that are set, and treats null and "" as unset', () => {
    const s = spec({
      dnsPolicy: 'Default',
      restartPolicy: null,
      terminationGracePeriodSeconds: 0,
      schedulerName: '',
      securityContext: { runAsUser: 1 },
      containers: [
        { name: 'c', image: 'nginx:1', imagePullPolicy: 'Never', terminationMessagePath: '/x', resources: { limits: { cpu: '1' } } },
      ],
    });
    assert.equal(s.dnsPolicy, 'Default');
    assert.equal(s.restartPolicy, 'Always');
    assert.equal(s.terminationGracePeriodSeconds, 0);
    assert.equal(s.schedulerName, 'default-scheduler');
    assert.deepEqual(s.securityContext, { runAsUser: 1 });
    assert.equal(s.containers[0].imagePullPolicy, 'Never');
    assert.equal(s.containers[0].terminationMessagePath, '/x');
    assert.deepEqual(s.containers[0].resources, { limits: { cpu: '1' } });
  });

  it('defaults init and ephemeral containers too', () => {
    const s = spec({
      containers: [],
      initContainers: [{ name: 'i', image: 'busybox:1' }],
      ephemeralContainers: [{ name: 'e', image: 'busybox' }],
    });
    assert.equal(s.initContainers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(s.initContainers[0].terminationMessagePolicy, 'File');
    assert.equal(s.ephemeralContainers[0].imagePullPolicy, 'Always');
  });

  it('defaults ports, env fieldRefs, probes and lifecycle hooks', () => {
    const s = spec({
      containers: [
        {
          name: 'c',
          image: 'x',
          ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          env: [
            { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'V', value: 'v' },
          ],
          livenessProbe: { httpGet: { port: 8080 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, timeoutSeconds: 0 },
          startupProbe: { grpc: { port: 9000 } },
          lifecycle: { preStop: { httpGet: { port: 'http', path: '/stop' } }, postStart: { exec: { command: ['true'] } } },
        },
      ],
    });
    const c = s.containers[0];
    assert.deepEqual(c.ports, [
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    assert.deepEqual(c.env[0].valueFrom.fieldRef, { fieldPath: 'metadata.name', apiVersion: 'v1' });
    assert.deepEqual(c.livenessProbe, {
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.equal(c.readinessProbe.periodSeconds, 5);
    assert.equal(c.readinessProbe.timeoutSeconds, 1);
    assert.deepEqual(c.startupProbe.grpc, { port: 9000, service: '' });
    assert.deepEqual(c.lifecycle.preStop.httpGet, { port: 'http', path: '/stop', scheme: 'HTTP' });
  });

  it('does not default hostPort in a spec (only Pods get that)', () => {
    const s = spec({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] });
    assert.equal(s.containers[0].ports[0].hostPort, undefined);
  });

  it('defaults volumes', () => {
    const s = spec({
      containers: [],
      volumes: [
        { name: 'a' },
        { name: 'b', secret: { secretName: 's' } },
        { name: 'c', configMap: { name: 'cm', defaultMode: 256 } },
        { name: 'd', hostPath: { path: '/var/log' } },
        { name: 'e', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
        {
          name: 'f',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
        { name: 'g', hostPath: { path: '/x', type: 'Directory' } },
        { name: 'h', emptyDir: { medium: 'Memory' } },
      ],
    });
    assert.deepEqual(s.volumes, [
      { name: 'a', emptyDir: {} },
      { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'c', configMap: { name: 'cm', defaultMode: 256 } },
      { name: 'd', hostPath: { path: '/var/log', type: '' } },
      { name: 'e', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } }], defaultMode: 420 } },
      {
        name: 'f',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace', apiVersion: 'v1' } }] } },
          ],
          defaultMode: 420,
        },
      },
      { name: 'g', hostPath: { path: '/x', type: 'Directory' } },
      { name: 'h', emptyDir: { medium: 'Memory' } },
    ]);
  });

  it('makes serviceAccount an alias of serviceAccountName (the new field wins)', () => {
    assert.equal(spec({ containers: [], serviceAccount: 'old' }).serviceAccountName, 'old');
    const both = spec({ containers: [], serviceAccount: 'old', serviceAccountName: 'new' });
    assert.equal(both.serviceAccountName, 'new');
    assert.equal(both.serviceAccount, 'new');
    assert.equal('serviceAccount' in spec({ containers: [] }), false);
  });

  it('is idempotent', () => {
    const once = spec({
      containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 1 }], livenessProbe: { exec: { command: ['a'] } } }],
      volumes: [{ name: 'v' }],
    });
    assert.deepEqual(spec(once), once);
  });
});

describe('defaultPodTemplate', () => {
  it('creates metadata and defaults the spec', () => {
    const t: Json = { spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    defaultPodTemplate(t);
    assert.deepEqual(t.metadata, {});
    assert.equal(t.spec.restartPolicy, 'Always');
    assert.equal(t.spec.enableServiceLinks, undefined, 'no Pod-only defaults in templates');
  });
  it('creates the spec when missing', () => {
    const t: Json = { metadata: { labels: { a: 'b' } } };
    defaultPodTemplate(t);
    assert.equal(t.spec.dnsPolicy, 'ClusterFirst');
    assert.deepEqual(t.metadata, { labels: { a: 'b' } });
  });
});

describe('defaultPod', () => {
  it('adds the Pod-only defaults', () => {
    const p = pod({
      containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }],
    });
    defaultPod(p);
    assert.equal(p.spec.enableServiceLinks, true);
    assert.deepEqual(p.spec.containers[0].resources.requests, { cpu: '500m', memory: '1Gi' });
    assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  });
  it('keeps enableServiceLinks false', () => {
    const p = pod({ enableServiceLinks: false, containers: [] });
    defaultPod(p);
    assert.equal(p.spec.enableServiceLinks, false);
  });
  it('copies limits into missing requests of init containers, not of empty limits', () => {
    const p = pod({
      containers: [{ name: 'c', image: 'x', resources: { limits: {} } }],
      initContainers: [{ name: 'i', image: 'x', resources: { limits: { cpu: '2' } } }],
    });
    defaultPod(p);
    assert.deepEqual(p.spec.containers[0].resources, { limits: {} });
    assert.deepEqual(p.spec.initContainers[0].resources, { limits: { cpu: '2' }, requests: { cpu: '2' } });
  });
  it('sets hostPort to containerPort with hostNetwork', () => {
    const p = pod({
      hostNetwork: true,
      containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 9000 }] }],
    });
    defaultPod(p);
    assert.deepEqual(
      p.spec.containers[0].ports.map((x: Json) => x.hostPort),
      [80, 9000],
    );
  });
  it('creates the spec of a Pod without one, and is idempotent', () => {
    const p: Json = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    defaultPod(p as KubeObject);
    const once = structuredClone(p);
    defaultPod(p as KubeObject);
    assert.deepEqual(p, once);
    assert.equal(p.spec.restartPolicy, 'Always');
  });
});

describe('admitPodOnCreate', () => {
  it("adds priority and default tolerations (the service account is the ServiceAccount admission's)", () => {
    const p = pod({ containers: [{ name: 'c', image: 'nginx' }] });
    admitPodOnCreate(p);
    assert.equal(p.spec.serviceAccountName, undefined);
    assert.equal(p.spec.priority, 0);
    assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.deepEqual(p.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  const tolerationCases: [string, Json[], string[]][] = [
    [
      'DaemonSet pod tolerations',
      [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      ],
      [],
    ],
    ['an empty key with an empty effect tolerates everything', [{ operator: 'Exists' }], []],
    [
      'an empty key with NoSchedule does not',
      [{ operator: 'Exists', effect: 'NoSchedule' }],
      ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'],
    ],
    ['not-ready with any effect', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], ['node.kubernetes.io/unreachable']],
    [
      'unreachable with NoExecute and seconds',
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      ['node.kubernetes.io/not-ready'],
    ],
  ];
  for (const [name, tolerations, added] of tolerationCases) {
    it(`tolerations: ${name}`, () => {
      const p = pod({ containers: [], tolerations });
      admitPodOnCreate(p);
      assert.deepEqual(
        p.spec.tolerations.slice(tolerations.length).map((t: Json) => t.key),
        added,
      );
      assert.deepEqual(p.spec.tolerations.slice(0, tolerations.length), tolerations);
    });
  }

  it('knows the system priority classes', () => {
    const p = pod({ containers: [], priorityClassName: 'system-node-critical', preemptionPolicy: 'Never' });
    admitPodOnCreate(p);
    assert.equal(p.spec.priority, 2000001000);
    assert.equal(p.spec.preemptionPolicy, 'Never');
  });

  it('leaves the priority of unknown classes alone', () => {
    const p = pod({ containers: [], priorityClassName: 'high' });
    admitPodOnCreate(p);
    assert.equal(p.spec.priority, undefined);
  });

  it('is idempotent', () => {
    const p = pod({ containers: [] });
    admitPodOnCreate(p);
    const once = structuredClone(p);
    admitPodOnCreate(p);
    assert.deepEqual(p, once);
  });
});
