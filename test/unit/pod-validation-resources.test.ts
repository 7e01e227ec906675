/**
 * Pod validation of resources, security contexts, sysctls, topology spread constraints, host
 * aliases and status IPs, with the paths, types and wording of kube-apiserver.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { parseQuantity } from '../../src/apimachinery/quantity.js';
import { defaultPod } from '../../src/resources/pods/defaults.js';
import { validatePod, validatePodTemplateSpec } from '../../src/resources/pods/validation.js';
import { quantityString } from '../../src/apimachinery/quantity-string.js';
import { validatePodStatusUpdate } from '../../src/resources/pods/validation-status.js';
import { validateDaemonSet } from '../../src/resources/daemonsets/validation.js';

type Json = Record<string, any>;

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const QUALIFIED_MSG =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const ID_MSG = 'must be between 0 and 2147483647, inclusive';

function makePod(spec: Json = {}, container: Json = {}): KubeObject {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx', ...container }], ...spec },
  } as KubeObject;
  defaultPod(pod);
  return pod;
}

const errorsOf = (spec: Json = {}, container: Json = {}) => validatePod(makePod(spec, container)).map(errorString);
const withResources = (resources: Json) => errorsOf({}, { resources });

describe('container resources', () => {
  it('accepts standard, hugepages, extended and kubernetes.io resources', () => {
    assert.deepEqual(
      withResources({
        limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '2' },
        requests: { cpu: '500m', memory: 512, 'example.com/gpu': '2' },
      }),
      [],
    );
  });

  it('rejects a non-standard name in limits and requests', () => {
    const at = 'spec.containers[0].resources';
    assert.deepEqual(withResources({ limits: { bogus: '1' }, requests: { bogus: '1' } }), [
      `${at}.limits[bogus]: Invalid value: bogus: must be a standard resource type or fully qualified`,
      `${at}.limits[bogus]: Invalid value: bogus: must be a standard resource for containers`,
      `${at}.requests[bogus]: Invalid value: bogus: must be a standard resource type or fully qualified`,
      `${at}.requests[bogus]: Invalid value: bogus: must be a standard resource for containers`,
    ]);
  });

  it('prints a resource name as it is (core.ResourceName is a fmt.Stringer), control characters included', () => {
    const at = 'spec.containers[0].resources';
    assert.deepEqual(withResources({ limits: { 'gp\u0001u': '1' } }), [
      `${at}.limits[gp\u0001u]: Invalid value: gp\u0001u: ${NAME_PART_MSG}`,
      `${at}.limits[gp\u0001u]: Invalid value: gp\u0001u: must be a standard resource for containers`,
      // Defaulting copied the limit to requests.
      `${at}.requests[gp\u0001u]: Invalid value: gp\u0001u: ${NAME_PART_MSG}`,
      `${at}.requests[gp\u0001u]: Invalid value: gp\u0001u: must be a standard resource for containers`,
    ]);
  });

  it('rejects a standard resource that is not a container resource, and bad extended names', () => {
    // v1 defaulting copies limits into missing requests, so each limit is checked twice.
    const at = 'spec.containers[0].resources';
    assert.deepEqual(withResources({ limits: { pods: '1' } }), [
      `${at}.limits[pods]: Invalid value: pods: must be a standard resource for containers`,
      `${at}.requests[pods]: Invalid value: pods: must be a standard resource for containers`,
    ]);
    assert.deepEqual(withResources({ limits: { 'example.com/a/b': '1' } }), [
      `${at}.limits[example.com/a/b]: Invalid value: example.com/a/b: ${QUALIFIED_MSG}`,
      `${at}.limits[example.com/a/b]: Invalid value: example.com/a/b: doesn't follow extended resource name standard`,
      `${at}.requests[example.com/a/b]: Invalid value: example.com/a/b: ${QUALIFIED_MSG}`,
      `${at}.requests[example.com/a/b]: Invalid value: example.com/a/b: doesn't follow extended resource name standard`,
    ]);
  });

  it('rejects negative quantities with their canonical form', () => {
    assert.deepEqual(withResources({ limits: { memory: '-1' }, requests: { cpu: '-0.5' } }), [
      'spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-500m": must be greater than or equal to 0',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });

  it('requires requests <= limits, printing both quantities canonically', () => {
    assert.deepEqual(withResources({ limits: { cpu: '1' }, requests: { cpu: '2' } }), [
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
    assert.deepEqual(withResources({ limits: { memory: '1024Mi' }, requests: { memory: '1.5Gi' } }), [
      'spec.containers[0].resources.requests: Invalid value: "1536Mi": must be less than or equal to memory limit of 1Gi',
    ]);
    assert.deepEqual(withResources({ limits: { cpu: '1000m' }, requests: { cpu: '1' } }), []);
  });

  it('requires equal requests and limits for extended resources, and whole numbers', () => {
    const at = 'spec.containers[0].resources';
    assert.deepEqual(withResources({ limits: { 'example.com/gpu': '2' }, requests: { 'example.com/gpu': '1' } }), [
      `${at}.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2`,
    ]);
    assert.deepEqual(withResources({ requests: { 'example.com/gpu': '1' } }), [
      `${at}.limits: Required value: Limit must be set for non overcommitable resources`,
    ]);
    const q15 =
      'resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}';
    assert.deepEqual(withResources({ limits: { 'example.com/gpu': '1.5' } }), [
      `${at}.limits[example.com/gpu]: Invalid value: ${q15}: must be an integer`,
      `${at}.requests[example.com/gpu]: Invalid value: ${q15}: must be an integer`,
    ]);
  });

  it('checks hugepages: page-size multiples, and cpu or memory alongside', () => {
    const at = 'spec.containers[0].resources';
    assert.deepEqual(withResources({ limits: { 'hugepages-2Mi': '3Mi', memory: '1Gi' } }), [
      `${at}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
      `${at}.requests[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
    ]);
    assert.deepEqual(withResources({ limits: { 'hugepages-2Mi': '4Mi' } }), [`${at}: Forbidden: HugePages require cpu or memory`]);
  });

  it('prints quantities as resource.Quantity.String() does', () => {
    const cases: Record<string, string> = {
      '1000m': '1',
      '0.5': '500m',
      '1000': '1k',
      '1500': '1500',
      '1.5Gi': '1536Mi',
      '512': '512',
      '1e3': '1e3',
    };
    for (const [text, want] of Object.entries(cases)) assert.equal(quantityString(parseQuantity(text)!), want, text);
  });

  it('applies to init containers and to pod templates (DaemonSet)', () => {
    const pod = makePod({ initContainers: [{ name: 'i', image: 'busybox', resources: { limits: { cpu: '-1' } } }] });
    assert.deepEqual(validatePod(pod).map(errorString), [
      'spec.initContainers[0].resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.initContainers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
    const template = { metadata: { labels: { a: 'b' } }, spec: makePod({}, { resources: { limits: { bogus: '1' } } }).spec };
    const msgs = validatePodTemplateSpec(template as Json, path('spec', 'template')).map(errorString);
    assert.ok(
      msgs.includes(
        'spec.template.spec.containers[0].resources.limits[bogus]: Invalid value: bogus: must be a standard resource for containers',
      ),
    );
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd', namespace: 'default' },
      spec: { selector: { matchLabels: { a: 'b' } }, template },
    };
    const dsMsgs = validateDaemonSet(ds as KubeObject).map(errorString);
    assert.ok(
      dsMsgs.includes(
        'spec.template.spec.containers[0].resources.limits[bogus]: Invalid value: bogus: must be a standard resource for containers',
      ),
      dsMsgs.join('\n'),
    );
  });
});

describe('security contexts', () => {
  it('accepts IDs in range', () => {
    assert.deepEqual(
      errorsOf(
        { securityContext: { runAsUser: 0, runAsGroup: 2147483647, fsGroup: 1, supplementalGroups: [0, 5] } },
        { securityContext: { runAsUser: 1000 } },
      ),
      [],
    );
  });

  it('rejects pod and container IDs outside 0..2147483647', () => {
    const msgs = errorsOf(
      { securityContext: { runAsUser: -1, runAsGroup: 2147483648, fsGroup: -2, supplementalGroups: [1, -3] } },
      { securityContext: { runAsUser: -4, runAsGroup: -5 } },
    );
    assert.deepEqual(msgs, [
      `spec.containers[0].securityContext.runAsUser: Invalid value: -4: ${ID_MSG}`,
      `spec.containers[0].securityContext.runAsGroup: Invalid value: -5: ${ID_MSG}`,
      `spec.securityContext.fsGroup: Invalid value: -2: ${ID_MSG}`,
      `spec.securityContext.runAsUser: Invalid value: -1: ${ID_MSG}`,
      `spec.securityContext.runAsGroup: Invalid value: 2147483648: ${ID_MSG}`,
      `spec.securityContext.supplementalGroups[1]: Invalid value: -3: ${ID_MSG}`,
    ]);
  });

  it('forbids shareProcessNamespace with hostPID', () => {
    assert.deepEqual(errorsOf({ shareProcessNamespace: true, hostPID: true }), [
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ]);
  });

  it('validates sysctl names, duplicates and host namespaces', () => {
    const sysctls = [
      { name: 'net.ipv4.ip_forward', value: '1' },
      { name: 'Kernel.Bad', value: '1' },
      { name: 'net.ipv4.ip_forward', value: '0' },
      { name: '', value: '1' },
      { name: 'kernel/shm_rmid_forced', value: '1' },
    ];
    assert.deepEqual(errorsOf({ securityContext: { sysctls } }), [
      'spec.securityContext.sysctls[1].name: Invalid value: "Kernel.Bad": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
      'spec.securityContext.sysctls[2].name: Duplicate value: "net.ipv4.ip_forward"',
      'spec.securityContext.sysctls[3].name: Required value',
    ]);
    assert.deepEqual(errorsOf({ hostNetwork: true, hostIPC: true, securityContext: { sysctls: [sysctls[0], sysctls[4]] } }), [
      `spec.securityContext.sysctls[0].name: Invalid value: "net.ipv4.ip_forward": may not be specified when 'hostNetwork' is true`,
      `spec.securityContext.sysctls[1].name: Invalid value: "kernel/shm_rmid_forced": may not be specified when 'hostIPC' is true`,
    ]);
  });
});

describe('topology spread constraints', () => {
  const ok = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'a' } } };

  it('accepts valid constraints', () => {
    assert.deepEqual(
      errorsOf({ topologySpreadConstraints: [ok, { ...ok, whenUnsatisfiable: 'ScheduleAnyway', matchLabelKeys: ['pod-template-hash'] }] }),
      [],
    );
    assert.deepEqual(
      errorsOf({ topologySpreadConstraints: [{ ...ok, minDomains: 2, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' }] }),
      [],
    );
  });

  it('rejects maxSkew, topologyKey, whenUnsatisfiable and duplicates', () => {
    const at = 'spec.topologySpreadConstraints';
    assert.deepEqual(
      errorsOf({ topologySpreadConstraints: [{ ...ok, maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Never' }, ok, ok] }),
      [
        `${at}[0].maxSkew: Invalid value: 0: must be greater than zero`,
        `${at}[0].topologyKey: Required value: can not be empty`,
        `${at}[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"`,
        `${at}[1].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"`,
      ],
    );
  });

  it('checks minDomains, node inclusion policies, matchLabelKeys and the label selector', () => {
    const at = 'spec.topologySpreadConstraints[0]';
    assert.deepEqual(errorsOf({ topologySpreadConstraints: [{ ...ok, whenUnsatisfiable: 'ScheduleAnyway', minDomains: 0 }] }), [
      `${at}.minDomains: Invalid value: 0: must be greater than zero`,
      `${at}.minDomains: Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`,
    ]);
    assert.deepEqual(errorsOf({ topologySpreadConstraints: [{ ...ok, nodeTaintsPolicy: 'Maybe', matchLabelKeys: ['app'] }] }), [
      `${at}.nodeTaintsPolicy: Unsupported value: "Maybe": supported values: "Honor", "Ignore"`,
      `${at}.matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`,
    ]);
    const { labelSelector: _ls, ...noSelector } = ok;
    assert.deepEqual(errorsOf({ topologySpreadConstraints: [{ ...noSelector, matchLabelKeys: ['x'] }] }), [
      `${at}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`,
    ]);
    assert.deepEqual(
      errorsOf({ topologySpreadConstraints: [{ ...ok, labelSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }] }),
      [`${at}.labelSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`],
    );
  });
});

describe('host aliases', () => {
  it('accepts IPv4 and IPv6 addresses with DNS subdomain hostnames', () => {
    assert.deepEqual(
      errorsOf({
        hostAliases: [
          { ip: '10.0.0.1', hostnames: ['foo.local'] },
          { ip: '::1', hostnames: ['bar'] },
        ],
      }),
      [],
    );
  });

  it('rejects a bad ip and bad hostnames', () => {
    assert.deepEqual(errorsOf({ hostAliases: [{ ip: '999.1.1.1', hostnames: ['ok', 'Not_OK'] }, { hostnames: ['x'] }] }), [
      `spec.hostAliases[0].ip: Invalid value: "999.1.1.1": ${IP_MSG}`,
      `spec.hostAliases[0].hostnames[1]: Invalid value: "Not_OK": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `spec.hostAliases[1].ip: Invalid value: "": ${IP_MSG}`,
    ]);
  });
});

describe('pod status IPs', () => {
  const withStatus = (status: Json) => validatePodStatusUpdate({ ...makePod(), status }).map(errorString);

  it('accepts what the kubelet writes, single and dual stack', () => {
    assert.deepEqual(
      withStatus({ podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }] }),
      [],
    );
    assert.deepEqual(withStatus({ podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }, { ip: 'fd00::5' }] }), []);
    assert.deepEqual(withStatus({}), []);
  });

  it('rejects addresses that are not IPs (podIP is authoritative over podIPs)', () => {
    assert.deepEqual(withStatus({ podIP: 'bogus' }), [`status.podIPs[0]: Invalid value: "bogus": ${IP_MSG}`]);
    assert.deepEqual(withStatus({ podIP: 'bogus', podIPs: [{ ip: '10.0.0.1' }] }), [`status.podIPs[0]: Invalid value: "bogus": ${IP_MSG}`]);
    assert.deepEqual(withStatus({ hostIP: '1.2.3' }), [`status.hostIPs[0]: Invalid value: "1.2.3": ${IP_MSG}`]);
  });

  it('allows one IP per family, without duplicates', () => {
    assert.deepEqual(withStatus({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }), [
      'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: may specify no more than one IP for each IP family',
    ]);
    assert.deepEqual(withStatus({ hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.1' }] }), [
      'status.hostIPs[1]: Duplicate value: core.HostIP{IP:"10.0.0.1"}',
      'status.hostIPs: Invalid value: []core.HostIP{core.HostIP{IP:"10.0.0.1"}, core.HostIP{IP:"10.0.0.1"}}: may specify no more than one IP for each IP family',
    ]);
    assert.deepEqual(withStatus({ podIPs: [{ ip: '10.0.0.1' }, { ip: 'x' }] }), [
      `status.podIPs[1]: Invalid value: "x": ${IP_MSG}`,
      'status.podIPs: Internal error: failed to check for dual stack with error:invalid IP[1]: x',
      'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"x"}}: may specify no more than one IP for each IP family',
    ]);
    // %#v of the IP structs quotes as strconv.Quote does.
    assert.deepEqual(
      withStatus({ podIPs: [{ ip: '10.0.0.1' }, { ip: 'x\u00a0' }] }).filter((m) => m.includes('[]core.PodIP')),
      [
        'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"x\\u00a0"}}: may specify no more than one IP for each IP family',
      ],
    );
  });

  it('requires hostIP to equal hostIPs[0]', () => {
    assert.deepEqual(withStatus({ hostIPs: [{ ip: '10.0.0.1' }] }), [
      'status.hostIPs[0].ip: Invalid value: "10.0.0.1": must be equal to `hostIP`',
    ]);
  });
});
