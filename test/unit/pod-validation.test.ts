import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { defaultPod, defaultPodSpec } from '../../src/resources/pods/defaults.js';
import {
  POD_UPDATE_FORBIDDEN_PREFIX,
  validatePod,
  validatePodSpec,
  validatePodTemplateSpec,
  validatePodUpdate,
} from '../../src/resources/pods/validation.js';

type Json = Record<string, any>;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** A defaulted spec built from a base single-container spec with `patch` applied on top. */
function specWith(patch: (s: Json) => void): Json {
  const s: Json = { containers: [{ name: 'c', image: 'nginx' }] };
  patch(s);
  defaultPodSpec(s);
  return s;
}

const messages = (errs: ReturnType<typeof validatePodSpec>): string[] => errs.map(errorString);
const check = (s: Json): string[] => messages(validatePodSpec(s, path('spec')));

describe('validatePodSpec', () => {
  it('accepts a minimal defaulted spec', () => assert.deepEqual(check(specWith(() => {})), []));

  const cases: [string, (s: Json) => void, string[]][] = [
    ['no containers', (s) => (s.containers = []), ['spec.containers: Required value']],
    [
      'readiness gate with a qualified condition type',
      (s) => (s.readinessGates = [{ conditionType: 'example.com/lb-ready' }, { conditionType: 'Ready' }]),
      [],
    ],
    [
      'readiness gate whose condition type is not a qualified name',
      (s) => (s.readinessGates = [{ conditionType: 'ok' }, { conditionType: 'lb ready!' }]),
      [`spec.readinessGates[1].conditionType: Invalid value: "lb ready!": ${NAME_PART_MSG}`],
    ],
    ['containers missing', (s) => delete s.containers, ['spec.containers: Required value']],
    ['container name missing', (s) => delete s.containers[0].name, ['spec.containers[0].name: Required value']],
    ['container name not a label', (s) => (s.containers[0].name = 'C'), [`spec.containers[0].name: Invalid value: "C": ${LABEL_MSG}`]],
    ['duplicate container', (s) => s.containers.push({ name: 'c', image: 'x' }), ['spec.containers[1].name: Duplicate value: "c"']],
    [
      'duplicate across init containers',
      (s) => (s.initContainers = [{ name: 'c', image: 'x' }]),
      ['spec.initContainers[0].name: Duplicate value: "c"'],
    ],
    ['image missing', (s) => delete s.containers[0].image, ['spec.containers[0].image: Required value']],
    [
      'bad imagePullPolicy',
      (s) => (s.containers[0].imagePullPolicy = 'Sometimes'),
      ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ],
    [
      'bad restartPolicy',
      (s) => (s.restartPolicy = 'Sometimes'),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'bad dnsPolicy',
      (s) => (s.dnsPolicy = 'Google'),
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'dnsPolicy None without dnsConfig',
      (s) => (s.dnsPolicy = 'None'),
      ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    ],
    [
      'containerPort 0',
      (s) => (s.containers[0].ports = [{ containerPort: 0 }]),
      ['spec.containers[0].ports[0].containerPort: Required value'],
    ],
    [
      'containerPort out of range',
      (s) => (s.containers[0].ports = [{ containerPort: 70000 }]),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'bad protocol',
      (s) => (s.containers[0].ports = [{ containerPort: 80, protocol: 'ICMP' }]),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'bad port name',
      (s) => (s.containers[0].ports = [{ containerPort: 80, name: 'HTTP_port-too-long' }]),
      [
        'spec.containers[0].ports[0].name: Invalid value: "HTTP_port-too-long": must be no more than 15 characters',
        'spec.containers[0].ports[0].name: Invalid value: "HTTP_port-too-long": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    ],
    [
      'duplicate port name',
      (s) =>
        (s.containers[0].ports = [
          { containerPort: 80, name: 'http' },
          { containerPort: 81, name: 'http' },
        ]),
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      'host port conflict',
      (s) =>
        (s.containers[0].ports = [
          { containerPort: 80, hostPort: 8080 },
          { containerPort: 81, hostPort: 8080 },
        ]),
      ['spec.containers[0].ports[1].hostPort: Duplicate value: "TCP//8080"'],
    ],
    ['env name missing', (s) => (s.containers[0].env = [{ value: 'x' }]), ['spec.containers[0].env[0].name: Required value']],
    [
      'env name with =',
      (s) => (s.containers[0].env = [{ name: 'A=B' }]),
      [
        `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      ],
    ],
    [
      'env value and valueFrom',
      (s) => (s.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    [
      'env fieldRef unsupported',
      (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }]),
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      'env fieldRef unknown',
      (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } }]),
      [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo',
      ],
    ],
    [
      'env fieldRef label subscript',
      (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }]),
      [],
    ],
    [
      'env configMapKeyRef without key',
      (s) => (s.containers[0].env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm' } } }]),
      ['spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value'],
    ],
    [
      'env resourceFieldRef: no containerName needed, resource and divisor checked as for volumes',
      (s) =>
        (s.containers[0].env = [
          { name: 'OWN', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'OTHER', valueFrom: { resourceFieldRef: { containerName: 'not-a-container', resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'HUGE', valueFrom: { resourceFieldRef: { resource: 'limits.hugepages-2Mi', divisor: '1Gi' } } },
          { name: 'NONE', valueFrom: { resourceFieldRef: { containerName: 'c' } } },
          { name: 'GPU', valueFrom: { resourceFieldRef: { resource: 'limits.nvidia.com/gpu' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1k' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1m' } } },
          { name: 'DISK', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '2' } } },
          { name: 'HP', valueFrom: { resourceFieldRef: { resource: 'requests.hugepages-1Gi', divisor: '500m' } } },
          { name: 'BAD', valueFrom: { resourceFieldRef: { resource: 'limits.gpu', divisor: '1m' } } },
        ]),
      [
        'spec.containers[0].env[3].valueFrom.resourceFieldRef.resource: Required value',
        'spec.containers[0].env[4].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.nvidia.com/gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
        'spec.containers[0].env[5].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource',
        'spec.containers[0].env[6].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource',
        'spec.containers[0].env[7].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.ephemeral-storage": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource',
        'spec.containers[0].env[8].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.hugepages-1Gi": only divisor\'s values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource',
        'spec.containers[0].env[9].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
      ],
    ],
    [
      'env resourceFieldRef beside a value',
      (s) => (s.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }]),
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    [
      'envFrom without source',
      (s) => (s.containers[0].envFrom = [{ prefix: 'P_' }]),
      ['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    ],
    [
      'volume mount of a missing volume',
      (s) => (s.containers[0].volumeMounts = [{ name: 'x', mountPath: '/x' }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "x"'],
    ],
    [
      'volume mount without path, duplicate mount path',
      (s) => {
        s.volumes = [{ name: 'v' }];
        s.containers[0].volumeMounts = [{ name: 'v' }, { name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }];
      },
      [
        'spec.containers[0].volumeMounts[0].mountPath: Required value',
        'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/a": must be unique',
      ],
    ],
    [
      'subPath with backsteps (unindexed path upstream)',
      (s) => {
        s.volumes = [{ name: 'v' }];
        s.containers[0].volumeMounts = [{ name: 'v', mountPath: '/a', subPath: '../x' }];
      },
      [`spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain '..'`],
    ],
    ['volume name missing', (s) => (s.volumes = [{ emptyDir: {} }]), ['spec.volumes[0].name: Required value']],
    ['volume name invalid', (s) => (s.volumes = [{ name: 'V_1' }]), [`spec.volumes[0].name: Invalid value: "V_1": ${LABEL_MSG}`]],
    ['duplicate volume', (s) => (s.volumes = [{ name: 'v' }, { name: 'v' }]), ['spec.volumes[1].name: Duplicate value: "v"']],
    [
      'two volume sources',
      (s) => (s.volumes = [{ name: 'v', emptyDir: {}, configMap: { name: 'cm' } }]),
      ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'downwardAPI as second source (misspelt upstream)',
      (s) => (s.volumes = [{ name: 'v', emptyDir: {}, downwardAPI: {} }]),
      ['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type'],
    ],
    ['secret without name', (s) => (s.volumes = [{ name: 'v', secret: {} }]), ['spec.volumes[0].secret.secretName: Required value']],
    ['configMap without name', (s) => (s.volumes = [{ name: 'v', configMap: {} }]), ['spec.volumes[0].configMap.name: Required value']],
    [
      'bad defaultMode',
      (s) => (s.volumes = [{ name: 'v', configMap: { name: 'cm', defaultMode: 1000 } }]),
      ['spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
    ],
    ['hostPath without path', (s) => (s.volumes = [{ name: 'v', hostPath: {} }]), ['spec.volumes[0].hostPath.path: Required value']],
    [
      'bad hostPath type',
      (s) => (s.volumes = [{ name: 'v', hostPath: { path: '/x', type: 'Dir' } }]),
      [
        'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      'mount of an invalid volume is not found',
      (s) => {
        s.volumes = [{ name: 'v', secret: {} }];
        s.containers[0].volumeMounts = [{ name: 'v', mountPath: '/v' }];
      },
      ['spec.volumes[0].secret.secretName: Required value', 'spec.containers[0].volumeMounts[0].name: Not found: "v"'],
    ],
    [
      'toleration Exists with value',
      (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]),
      ['spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\''],
    ],
    [
      'toleration with empty key must be Exists',
      (s) => (s.tolerations = [{ operator: 'Equal' }]),
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ],
    ],
    [
      'toleration bad operator',
      (s) => (s.tolerations = [{ key: 'k', operator: 'In' }]),
      ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
    ],
    [
      'toleration bad effect',
      (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'Never' }]),
      ['spec.tolerations[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ],
    [
      'tolerationSeconds without NoExecute',
      (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]),
      ['spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set'],
    ],
    [
      'toleration bad key',
      (s) => (s.tolerations = [{ key: 'a b', operator: 'Exists' }]),
      [`spec.tolerations[0].key: Invalid value: "a b": ${NAME_PART_MSG}`],
    ],
    [
      'toleration bad value',
      (s) => (s.tolerations = [{ key: 'k', value: 'a b' }]),
      [`spec.tolerations[0].operator: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
    ],
    ['nodeSelector bad value', (s) => (s.nodeSelector = { disk: 'a b' }), [`spec.nodeSelector: Invalid value: "a b": ${LABEL_VALUE_MSG}`]],
    [
      'node affinity without terms',
      (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      [
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
      ],
    ],
    [
      'node affinity bad operator',
      (s) =>
        (s.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Is', values: ['b'] }] }],
            },
          },
        }),
      [
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
      ],
    ],
    [
      'activeDeadlineSeconds 0',
      (s) => (s.activeDeadlineSeconds = 0),
      ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ],
    [
      'bad nodeName',
      (s) => (s.nodeName = 'Node_1'),
      [
        `spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'liveness probe without handler, successThreshold 2',
      (s) => (s.containers[0].livenessProbe = { successThreshold: 2 }),
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      ],
    ],
    [
      'probe with two handlers and a bad port',
      (s) => (s.containers[0].readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 0 } }),
      ['spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ],
    [
      'httpGet port 0',
      (s) => (s.containers[0].readinessProbe = { httpGet: { port: 0 } }),
      ['spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'init container probe',
      (s) => (s.initContainers = [{ name: 'i', image: 'x', livenessProbe: { exec: { command: ['a'] } } }]),
      ['spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
    ],
    [
      'sidecar may have probes',
      (s) => (s.initContainers = [{ name: 'i', image: 'x', restartPolicy: 'Always', livenessProbe: { exec: { command: ['a'] } } }]),
      [],
    ],
    [
      'restartPolicy on a regular container',
      (s) => (s.containers[0].restartPolicy = 'Always'),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'hostPort must match with hostNetwork',
      (s) => {
        s.hostNetwork = true;
        s.containers[0].ports = [{ containerPort: 80, hostPort: 81 }];
      },
      ['spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true'],
    ],
    [
      'bad preemptionPolicy',
      (s) => (s.preemptionPolicy = 'Always'),
      ['spec.preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"'],
    ],
  ];
  for (const [name, patch, want] of cases) {
    it(name, () => assert.deepEqual(check(specWith(patch)), want));
  }

  it('requires the defaulted fields when they are missing', () => {
    assert.deepEqual(check({ containers: [{ name: 'c', image: 'x' }] }), [
      'spec.terminationGracePeriodSeconds: Required value',
      'spec.containers[0].terminationMessagePolicy: Required value',
      'spec.containers[0].imagePullPolicy: Required value',
      'spec.restartPolicy: Required value',
      'spec.dnsPolicy: Required value',
    ]);
  });

  it('with hostNetwork a template may leave hostPort 0, a Pod may not', () => {
    const s = specWith((x) => {
      x.hostNetwork = true;
      x.containers[0].ports = [{ containerPort: 80 }];
    });
    assert.deepEqual(check(s), []);
    assert.deepEqual(messages(validatePodSpec(s, path('spec'), { resourceIsPod: true })), [
      'spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true',
    ]);
  });
});

describe('validatePodTemplateSpec', () => {
  it('validates template labels at <path>.labels (as upstream) and the spec', () => {
    const t = { metadata: { labels: { app: 'a b' } }, spec: specWith((s) => (s.containers = [])) };
    assert.deepEqual(messages(validatePodTemplateSpec(t, path('spec', 'template'))), [
      `spec.template.labels: Invalid value: "a b": ${LABEL_VALUE_MSG}`,
      'spec.template.spec.containers: Required value',
    ]);
  });
  it('forbids ephemeral containers', () => {
    const t = { spec: specWith((s) => (s.ephemeralContainers = [{ name: 'e', image: 'x' }])) };
    assert.deepEqual(messages(validatePodTemplateSpec(t, path('template'))), [
      'template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ]);
  });
});

function makePod(patch: (s: Json) => void = () => {}): KubeObject & Json {
  const p: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
  };
  patch(p.spec);
  defaultPod(p as KubeObject);
  return p as KubeObject & Json;
}

describe('validatePod', () => {
  it('accepts a defaulted pod', () => assert.deepEqual(messages(validatePod(makePod())), []));
  it('rejects ephemeral containers on create and images with whitespace', () => {
    const p = makePod((s) => {
      s.containers[0].image = ' nginx';
      s.ephemeralContainers = [{ name: 'e', image: 'busybox' }];
    });
    assert.deepEqual(messages(validatePod(p)), [
      'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ]);
  });
  it('forbids a nodeName with scheduling gates', () => {
    const p = makePod((s) => {
      s.nodeName = 'n1';
      s.schedulingGates = [{ name: 'g' }];
    });
    assert.deepEqual(messages(validatePod(p)), ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared']);
  });
});

describe('validatePodUpdate', () => {
  const update = (patch: (s: Json) => void, base: (s: Json) => void = () => {}): string[] => {
    const old = makePod(base);
    const next = structuredClone(old);
    patch(next.spec);
    return messages(validatePodUpdate(next, old));
  };

  it('allows no change, image changes and activeDeadlineSeconds', () => {
    assert.deepEqual(
      update(() => {}),
      [],
    );
    assert.deepEqual(
      update((s) => (s.containers[0].image = 'nginx:2')),
      [],
    );
    assert.deepEqual(
      update((s) => (s.activeDeadlineSeconds = 30)),
      [],
    );
    assert.deepEqual(
      update(
        (s) => (s.activeDeadlineSeconds = 10),
        (s) => (s.activeDeadlineSeconds = 30),
      ),
      [],
    );
  });

  it('allows adding tolerations and changing tolerationSeconds', () => {
    const base = (s: Json): void => void (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]);
    assert.deepEqual(
      update((s) => s.tolerations.push({ key: 'x', operator: 'Exists' }), base),
      [],
    );
    assert.deepEqual(
      update((s) => (s.tolerations[0].tolerationSeconds = 60), base),
      [],
    );
    assert.deepEqual(
      update((s) => (s.tolerations = []), base),
      ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'],
    );
  });

  it('forbids other changes with the upstream message', () => {
    const errs = update((s) => (s.nodeName = 'node-1'));
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith(`spec: Forbidden: ${POD_UPDATE_FORBIDDEN_PREFIX}\n`), errs[0]);
    assert.equal(
      POD_UPDATE_FORBIDDEN_PREFIX,
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
    assert.ok(errs[0].includes('+ \tNodeName: "node-1",'), errs[0]);
    assert.equal(update((s) => (s.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }])).length, 1);
  });

  const cases: [string, (s: Json) => void, (s: Json) => void, string[]][] = [
    [
      'adding a container',
      (s) => s.containers.push({ name: 'd', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }),
      () => {},
      ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    ],
    [
      'removing the image',
      (s) => (s.containers[0].image = ''),
      () => {},
      ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value'],
    ],
    [
      'raising activeDeadlineSeconds',
      (s) => (s.activeDeadlineSeconds = 60),
      (s) => (s.activeDeadlineSeconds = 30),
      ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value'],
    ],
    [
      'removing activeDeadlineSeconds',
      (s) => delete s.activeDeadlineSeconds,
      (s) => (s.activeDeadlineSeconds = 30),
      ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value'],
    ],
    ['grace period from negative to 1', (s) => (s.terminationGracePeriodSeconds = 1), (s) => (s.terminationGracePeriodSeconds = -1), []],
    [
      'adding a scheduling gate',
      (s) => (s.schedulingGates = [{ name: 'g' }]),
      () => {},
      ["spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g'"],
    ],
  ];
  for (const [name, patch, base, want] of cases) it(name, () => assert.deepEqual(update(patch, base), want));

  it('treats empty lists and absent fields alike', () => {
    assert.deepEqual(
      update((s) => (s.volumes = [])),
      [],
    );
    assert.deepEqual(
      update((s) => (s.nodeSelector = {})),
      [],
    );
  });
});
