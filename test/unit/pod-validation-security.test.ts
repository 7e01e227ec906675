/**
 * Security contexts, profiles, Windows options, the pod OS, resize policies, overhead and pod-specific
 * annotations: each rule with an accepted and a refused case and upstream's exact message.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { defaultPod, defaultPodSpec } from '../../src/resources/pods/defaults.js';
import { validatePod, validatePodSpec, validatePodTemplateSpec, validatePodUpdate } from '../../src/resources/pods/validation.js';

type Json = Record<string, any>;

function specWith(patch: (s: Json) => void): Json {
  const s: Json = { containers: [{ name: 'c', image: 'nginx' }] };
  patch(s);
  defaultPodSpec(s);
  return s;
}
const messages = (errs: ReturnType<typeof validatePodSpec>): string[] => errs.map(errorString);
const check = (patch: (s: Json) => void): string[] => messages(validatePodSpec(specWith(patch), path('spec')));
const podSc = (s: Json): Json => s.securityContext ?? (s.securityContext = {});
const ctrSc = (s: Json, i = 0): Json => s.containers[i].securityContext ?? (s.containers[i].securityContext = {});

function makePod(patch: (p: Json) => void = () => {}): KubeObject & Json {
  const p: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
  };
  patch(p);
  defaultPod(p as KubeObject);
  return p as KubeObject & Json;
}
const checkPod = (patch: (p: Json) => void): string[] => messages(validatePod(makePod(patch)));

type Case = [string, (s: Json) => void, string[]];
const run = (cases: Case[]): void => {
  for (const [name, patch, want] of cases) it(name, () => assert.deepEqual(check(patch), want));
};

const SC = 'spec.securityContext';
const CSC = 'spec.containers[0].securityContext';
const GO_SC = (privileged: boolean, caps: boolean): string =>
  `core.SecurityContext{Capabilities:(*core.Capabilities)(${caps ? '0xc000a3c100' : 'nil'}), ` +
  `Privileged:(*bool)(${privileged ? '0xc000a3c100' : 'nil'}), SELinuxOptions:(*core.SELinuxOptions)(nil), ` +
  'WindowsOptions:(*core.WindowsSecurityContextOptions)(nil), RunAsUser:(*int64)(nil), RunAsGroup:(*int64)(nil), ' +
  'RunAsNonRoot:(*bool)(nil), ReadOnlyRootFilesystem:(*bool)(nil), AllowPrivilegeEscalation:(*bool)(0xc000a3c100), ' +
  'ProcMount:(*core.ProcMountType)(nil), SeccompProfile:(*core.SeccompProfile)(nil), AppArmorProfile:(*core.AppArmorProfile)(nil)}';

describe('seccompProfile (validateSeccompProfileField)', () => {
  run([
    [
      'an unknown type with a localhostProfile: %#v quotes the type as Go does',
      (s) => (ctrSc(s).seccompProfile = { type: 'Run\u00a0', localhostProfile: 'a.json' }),
      [
        `${CSC}.seccompProfile.type: Unsupported value: "Run\\u00a0": supported values: "Localhost", "RuntimeDefault", "Unconfined"`,
        `${CSC}.seccompProfile.localhostProfile: Invalid value: core.SeccompProfile{Type:"Run\\u00a0", LocalhostProfile:(*string)(0xc000a3c0f8)}: can only be set when seccomp type is Localhost`,
      ],
    ],
    ['pod RuntimeDefault', (s) => (podSc(s).seccompProfile = { type: 'RuntimeDefault' }), []],
    ['pod Localhost with a profile', (s) => (podSc(s).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/audit.json' }), []],
    [
      'pod Localhost without a profile',
      (s) => (podSc(s).seccompProfile = { type: 'Localhost' }),
      [`${SC}.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost`],
    ],
    [
      'container Localhost with an absolute profile',
      (s) => (ctrSc(s).seccompProfile = { type: 'Localhost', localhostProfile: '/etc/audit.json' }),
      [`${CSC}.seccompProfile.localhostProfile: Invalid value: "/etc/audit.json": must be a relative path`],
    ],
    [
      'RuntimeDefault with a localhostProfile',
      (s) => (ctrSc(s).seccompProfile = { type: 'RuntimeDefault', localhostProfile: 'a.json' }),
      [
        `${CSC}.seccompProfile.localhostProfile: Invalid value: core.SeccompProfile{Type:"RuntimeDefault", LocalhostProfile:(*string)(0xc000a3c0f8)}: can only be set when seccomp type is Localhost`,
      ],
    ],
    [
      'no type',
      (s) => (podSc(s).seccompProfile = {}),
      [`${SC}.seccompProfile.type: Required value: type is required when seccompProfile is set`],
    ],
    [
      'unknown type',
      (s) => (podSc(s).seccompProfile = { type: 'Strict' }),
      [`${SC}.seccompProfile.type: Unsupported value: "Strict": supported values: "Localhost", "RuntimeDefault", "Unconfined"`],
    ],
  ]);
});

describe('appArmorProfile (ValidateAppArmorProfileField)', () => {
  run([
    ['pod Unconfined', (s) => (podSc(s).appArmorProfile = { type: 'Unconfined' }), []],
    ['container Localhost', (s) => (ctrSc(s).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-nginx' }), []],
    [
      'Localhost without a profile',
      (s) => (ctrSc(s).appArmorProfile = { type: 'Localhost' }),
      [`${CSC}.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost`],
    ],
    [
      'Localhost with an empty profile',
      (s) => (ctrSc(s).appArmorProfile = { type: 'Localhost', localhostProfile: '' }),
      [`${CSC}.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost`],
    ],
    [
      'Localhost padded with whitespace',
      (s) => (podSc(s).appArmorProfile = { type: 'Localhost', localhostProfile: ' p ' }),
      [`${SC}.appArmorProfile.localhostProfile: Invalid value: " p ": must not be padded with whitespace`],
    ],
    [
      'Localhost longer than PATH_MAX - 1',
      (s) => (podSc(s).appArmorProfile = { type: 'Localhost', localhostProfile: 'p'.repeat(4096) }),
      [`${SC}.appArmorProfile.localhostProfile: Too long: may not be more than 4095 bytes`],
    ],
    [
      'RuntimeDefault with a localhostProfile',
      (s) => (podSc(s).appArmorProfile = { type: 'RuntimeDefault', localhostProfile: 'p' }),
      [`${SC}.appArmorProfile.localhostProfile: Invalid value: "p": can only be set when AppArmor type is Localhost`],
    ],
    [
      'no type',
      (s) => (ctrSc(s).appArmorProfile = {}),
      [`${CSC}.appArmorProfile.type: Required value: type is required when appArmorProfile is set`],
    ],
    [
      'unknown type',
      (s) => (ctrSc(s).appArmorProfile = { type: 'Complain' }),
      [`${CSC}.appArmorProfile.type: Unsupported value: "Complain": supported values: "Localhost", "RuntimeDefault", "Unconfined"`],
    ],
  ]);
});

describe('pod securityContext enums (validatePodSpecSecurityContext)', () => {
  run([
    ['fsGroupChangePolicy OnRootMismatch', (s) => (podSc(s).fsGroupChangePolicy = 'OnRootMismatch'), []],
    [
      'fsGroupChangePolicy unknown',
      (s) => (podSc(s).fsGroupChangePolicy = 'Never'),
      [`${SC}.fsGroupChangePolicy: Unsupported value: "Never": supported values: "Always", "OnRootMismatch"`],
    ],
    ['supplementalGroupsPolicy Strict', (s) => (podSc(s).supplementalGroupsPolicy = 'Strict'), []],
    [
      'supplementalGroupsPolicy unknown',
      (s) => (podSc(s).supplementalGroupsPolicy = 'Union'),
      [`${SC}.supplementalGroupsPolicy: Unsupported value: "Union": supported values: "Merge", "Strict"`],
    ],
    ['seLinuxChangePolicy Recursive', (s) => (podSc(s).seLinuxChangePolicy = 'Recursive'), []],
    [
      'seLinuxChangePolicy MountOption (SELinuxMount is off in 1.33)',
      (s) => (podSc(s).seLinuxChangePolicy = 'MountOption'),
      [`${SC}.seLinuxChangePolicy: Unsupported value: "MountOption": supported values: "Recursive"`],
    ],
    [
      'negative fsGroup and runAsUser',
      (s) => Object.assign(podSc(s), { fsGroup: -1, runAsUser: -2 }),
      [
        `${SC}.fsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive`,
        `${SC}.runAsUser: Invalid value: -2: must be between 0 and 2147483647, inclusive`,
      ],
    ],
  ]);
});

describe('container securityContext (ValidateSecurityContext)', () => {
  run([
    ['privileged with privilege escalation', (s) => Object.assign(ctrSc(s), { privileged: true, allowPrivilegeEscalation: true }), []],
    [
      'privileged without privilege escalation',
      (s) => Object.assign(ctrSc(s), { privileged: true, allowPrivilegeEscalation: false }),
      [`${CSC}: Invalid value: ${GO_SC(true, false)}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`],
    ],
    [
      'SYS_ADMIN (not the CAP_ form) without privilege escalation',
      (s) => Object.assign(ctrSc(s), { capabilities: { add: ['SYS_ADMIN'] }, allowPrivilegeEscalation: false }),
      [],
    ],
    [
      'CAP_SYS_ADMIN without privilege escalation',
      (s) => Object.assign(ctrSc(s), { capabilities: { add: ['NET_ADMIN', 'CAP_SYS_ADMIN'] }, allowPrivilegeEscalation: false }),
      [
        `${CSC}: Invalid value: ${GO_SC(false, true)}: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN`,
      ],
    ],
    ['procMount Default', (s) => (ctrSc(s).procMount = 'Default'), []],
    [
      'procMount Unmasked in user namespaces',
      (s) => {
        s.hostUsers = false;
        ctrSc(s).procMount = 'Unmasked';
      },
      [],
    ],
    [
      'procMount Unmasked with the host users',
      (s) => (ctrSc(s).procMount = 'Unmasked'),
      [`${CSC}.procMount: Invalid value: "Unmasked": \`hostUsers\` must be false to use \`Unmasked\``],
    ],
    [
      'procMount unknown',
      (s) => (ctrSc(s).procMount = 'Masked'),
      [`${CSC}.procMount: Unsupported value: "Masked": supported values: "Default", "Unmasked"`],
    ],
    [
      'negative runAsGroup',
      (s) => (ctrSc(s).runAsGroup = -1),
      [`${CSC}.runAsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive`],
    ],
  ]);
});

describe('hostUsers (validateHostUsers)', () => {
  run([
    ['hostUsers false alone', (s) => (s.hostUsers = false), []],
    ['hostUsers true with host namespaces', (s) => Object.assign(s, { hostUsers: true, hostNetwork: true, hostPID: true }), []],
    [
      'hostUsers false with host namespaces',
      (s) => Object.assign(s, { hostUsers: false, hostNetwork: true, hostPID: true, hostIPC: true }),
      [
        'spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false',
        'spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false',
        'spec.HostIPC: Forbidden: when `pod.Spec.HostUsers` is false',
      ],
    ],
  ]);
});

describe('windowsOptions (validateWindowsSecurityContextOptions, validateWindowsHostProcessPod)', () => {
  run([
    [
      'valid user names and GMSA spec name',
      (s) => {
        podSc(s).windowsOptions = { runAsUserName: 'NT AUTHORITY\\NETWORK SERVICE', gmsaCredentialSpecName: 'webapp-gmsa' };
        ctrSc(s).windowsOptions = { runAsUserName: 'ContainerUser' };
      },
      [],
    ],
    [
      'bad user names',
      (s) => {
        podSc(s).windowsOptions = { runAsUserName: 'a\\b\\c' };
        ctrSc(s).windowsOptions = { runAsUserName: 'dom.ain\\us:er', gmsaCredentialSpec: '' };
      },
      [
        `spec.containers[0].securityContext.windowsOptions.gmsaCredentialSpec: Invalid value: "": gmsaCredentialSpec cannot be an empty string`,
        `spec.containers[0].securityContext.windowsOptions.runAsUserName: Invalid value: "dom.ain\\\\us:er": runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`,
        `${SC}.windowsOptions.runAsUserName: Invalid value: "a\\\\b\\\\c": runAsUserName cannot contain more than one backslash`,
      ],
    ],
    [
      'bad GMSA spec name and empty user',
      (s) => (podSc(s).windowsOptions = { gmsaCredentialSpecName: 'Bad_Name', runAsUserName: 'dom\\' }),
      [
        `${SC}.windowsOptions.gmsaCredentialSpecName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        `${SC}.windowsOptions.runAsUserName: Invalid value: "dom\\\\": runAsUserName's User cannot be empty`,
      ],
    ],
    [
      'hostProcess pod with hostNetwork',
      (s) => Object.assign(s, { hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } } }),
      [],
    ],
    [
      'hostProcess pod without hostNetwork',
      (s) => (podSc(s).windowsOptions = { hostProcess: true }),
      ['spec.hostNetwork: Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers'],
    ],
    [
      'one hostProcess container of two',
      (s) => {
        s.hostNetwork = true;
        s.containers.push({ name: 'd', image: 'x' });
        ctrSc(s, 1).windowsOptions = { hostProcess: true };
      },
      ['spec: Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers'],
    ],
    [
      'container hostProcess differing from the pod',
      (s) => {
        s.hostNetwork = true;
        podSc(s).windowsOptions = { hostProcess: true };
        ctrSc(s).windowsOptions = { hostProcess: false };
      },
      [
        'spec.containers[0].securityContext.windowsOptions.hostProcess: Invalid value: false: pod hostProcess value must be identical if both are specified, was true',
      ],
    ],
  ]);
});

describe('spec.os (validateOS, validateLinux, validateWindows)', () => {
  run([
    ['linux', (s) => (s.os = { name: 'linux' }), []],
    [
      'windows with Windows options',
      (s) => Object.assign(s, { os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'u' } } }),
      [],
    ],
    ['empty name', (s) => (s.os = { name: '' }), ['spec.os.name: Required value: cannot be empty']],
    ['unknown name', (s) => (s.os = { name: 'darwin' }), ['spec.os: Unsupported value: "darwin": supported values: "linux", "windows"']],
    [
      'linux with Windows options',
      (s) => {
        s.os = { name: 'linux' };
        podSc(s).windowsOptions = {};
        ctrSc(s).windowsOptions = {};
      },
      [
        `${SC}.windowsOptions: Forbidden: windows options cannot be set for a linux pod`,
        `${CSC}.windowsOptions: Forbidden: windows options cannot be set for a linux pod`,
      ],
    ],
    [
      'windows with Linux-only settings',
      (s) => {
        Object.assign(s, { os: { name: 'windows' }, hostPID: true, shareProcessNamespace: false });
        Object.assign(podSc(s), {
          seccompProfile: { type: 'RuntimeDefault' },
          runAsUser: 1000,
          sysctls: [{ name: 'kernel.shm_rmid_forced', value: '0' }],
        });
        Object.assign(ctrSc(s), { privileged: false, readOnlyRootFilesystem: true });
      },
      [
        'spec.hostPID: Forbidden: cannot be set for a windows pod',
        `${SC}.seccompProfile: Forbidden: cannot be set for a windows pod`,
        `${SC}.sysctls: Forbidden: cannot be set for a windows pod`,
        'spec.shareProcessNamespace: Forbidden: cannot be set for a windows pod',
        `${SC}.runAsUser: Forbidden: cannot be set for a windows pod`,
        `${CSC}.readOnlyRootFilesystem: Forbidden: cannot be set for a windows pod`,
        `${CSC}.privileged: Forbidden: cannot be set for a windows pod`,
      ],
    ],
  ]);
});

describe('resizePolicy (validateResizePolicy)', () => {
  run([
    [
      'cpu and memory policies, on a sidecar too',
      (s) => {
        s.containers[0].resizePolicy = [
          { resourceName: 'cpu', restartPolicy: 'NotRequired' },
          { resourceName: 'memory', restartPolicy: 'RestartContainer' },
        ];
        s.initContainers = [
          { name: 'i', image: 'x', restartPolicy: 'Always', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] },
        ];
      },
      [],
    ],
    [
      'unknown resource and policy',
      (s) => (s.containers[0].resizePolicy = [{ resourceName: 'storage', restartPolicy: 'Sometimes' }]),
      [
        'spec.containers[0].resizePolicy: Unsupported value: storage: supported values: "cpu", "memory"',
        'spec.containers[0].resizePolicy: Unsupported value: "Sometimes": supported values: "NotRequired", "RestartContainer"',
      ],
    ],
    [
      'an unknown resource name is printed as it is (core.ResourceName is a fmt.Stringer), the policy Go-quoted',
      (s) => (s.containers[0].resizePolicy = [{ resourceName: 'cp\u00a0u', restartPolicy: 'Some\u0001' }]),
      [
        'spec.containers[0].resizePolicy: Unsupported value: cp\u00a0u: supported values: "cpu", "memory"',
        'spec.containers[0].resizePolicy: Unsupported value: "Some\\x01": supported values: "NotRequired", "RestartContainer"',
      ],
    ],
    [
      'missing fields and a duplicate',
      (s) => (s.containers[0].resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'cpu' }, {}]),
      [
        'spec.containers[0].resizePolicy[1]: Duplicate value: cpu',
        'spec.containers[0].resizePolicy: Required value',
        'spec.containers[0].resizePolicy: Required value',
        'spec.containers[0].resizePolicy: Required value',
      ],
    ],
    [
      'RestartContainer with restartPolicy Never',
      (s) => {
        s.restartPolicy = 'Never';
        s.containers[0].resizePolicy = [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }];
      },
      ["spec.containers[0].resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is 'Never'"],
    ],
  ]);
});

describe('overhead (validateOverhead)', () => {
  run([
    ['cpu and memory', (s) => (s.overhead = { cpu: '250m', memory: '120Mi' }), []],
    [
      'negative and unknown resources',
      (s) => (s.overhead = { cpu: '-1', gpus: '1' }),
      [
        'spec.overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0',
        'spec.overhead.limits[gpus]: Invalid value: gpus: must be a standard resource type or fully qualified',
        'spec.overhead.limits[gpus]: Invalid value: gpus: must be a standard resource for containers',
      ],
    ],
  ]);
});

describe('schedulingGates (validateSchedulingGates)', () => {
  run([
    ['qualified names', (s) => (s.schedulingGates = [{ name: 'example.com/quota' }, { name: 'wait' }]), []],
    [
      'a bad name and a duplicate',
      (s) => (s.schedulingGates = [{ name: 'wait' }, { name: 'not ok' }, { name: 'wait' }]),
      [
        "spec.schedulingGates[1]: Invalid value: \"not ok\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'spec.schedulingGates[2]: Duplicate value: "wait"',
      ],
    ],
  ]);
});

describe('runtimeClassName', () => {
  run([
    ['a subdomain', (s) => (s.runtimeClassName = 'gvisor'), []],
    [
      'not a subdomain',
      (s) => (s.runtimeClassName = 'G'),
      [
        `spec.runtimeClassName: Invalid value: "G": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
  ]);
});

const ANN = 'metadata.annotations';
const setAnnotations = (p: Json, a: Record<string, string>): void => void (p.metadata.annotations = a);

describe('pod-specific annotations (ValidatePodSpecificAnnotations)', () => {
  const cases: [string, (p: Json) => void, string[]][] = [
    [
      'AppArmor annotation with a control character in the profile (%q)',
      (p) => setAnnotations(p, { 'container.apparmor.security.beta.kubernetes.io/c': 'en\u0001force' }),
      [
        `${ANN}[container.apparmor.security.beta.kubernetes.io/c]: Invalid value: "en\\x01force": invalid AppArmor profile name: "en\\x01force"`,
      ],
    ],
    [
      'valid seccomp, AppArmor and deletion-cost annotations',
      (p) =>
        setAnnotations(p, {
          'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
          'container.seccomp.security.alpha.kubernetes.io/c': 'localhost/profiles/a.json',
          'container.apparmor.security.beta.kubernetes.io/c': 'localhost/k8s-nginx',
          'controller.kubernetes.io/pod-deletion-cost': '-5',
        }),
      [],
    ],
    [
      'invalid seccomp annotations',
      (p) =>
        setAnnotations(p, {
          'seccomp.security.alpha.kubernetes.io/pod': 'default',
          'container.seccomp.security.alpha.kubernetes.io/c': 'localhost/../a.json',
        }),
      [
        `${ANN}.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "default": must be a valid seccomp profile`,
        `${ANN}.container.seccomp.security.alpha.kubernetes.io/c: Invalid value: "../a.json": must not contain '..'`,
      ],
    ],
    [
      'AppArmor annotation for no container, with a bad profile',
      (p) => setAnnotations(p, { 'container.apparmor.security.beta.kubernetes.io/web': 'enforce' }),
      [
        `${ANN}[container.apparmor.security.beta.kubernetes.io/web]: Invalid value: "web": container not found`,
        `${ANN}[container.apparmor.security.beta.kubernetes.io/web]: Invalid value: "enforce": invalid AppArmor profile name: "enforce"`,
      ],
    ],
    [
      'deletion cost with a plus sign',
      (p) => setAnnotations(p, { 'controller.kubernetes.io/pod-deletion-cost': '+1' }),
      [`${ANN}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+1": must be a 32bit integer`],
    ],
    [
      'deletion cost beyond int32',
      (p) => setAnnotations(p, { 'controller.kubernetes.io/pod-deletion-cost': '2147483648' }),
      [`${ANN}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "2147483648": must be a 32bit integer`],
    ],
    [
      'mirror pod on a node',
      (p) => Object.assign(p.spec, { nodeName: 'n1' }) && setAnnotations(p, { 'kubernetes.io/config.mirror': 'x' }),
      [],
    ],
    [
      'mirror pod without a node',
      (p) => setAnnotations(p, { 'kubernetes.io/config.mirror': 'x' }),
      [`${ANN}[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set`],
    ],
    [
      'seccomp annotations matching the fields',
      (p) => {
        setAnnotations(p, {
          'seccomp.security.alpha.kubernetes.io/pod': 'docker/default',
          'container.seccomp.security.alpha.kubernetes.io/c': 'localhost/a.json',
        });
        p.spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' } };
        p.spec.containers[0].securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'a.json' } };
      },
      [],
    ],
    [
      'seccomp annotations disagreeing with the fields',
      (p) => {
        setAnnotations(p, {
          'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
          'container.seccomp.security.alpha.kubernetes.io/c': 'localhost/a.json',
        });
        p.spec.securityContext = { seccompProfile: { type: 'Unconfined' } };
        p.spec.containers[0].securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'b.json' } };
      },
      [
        'spec.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match',
        'spec.containers[0].securityContext.seccompProfile.localhostProfile: Forbidden: seccomp profile in annotation and field must match',
      ],
    ],
    [
      'AppArmor annotation agreeing with the pod-level field',
      (p) => {
        setAnnotations(p, { 'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default' });
        p.spec.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
      },
      [],
    ],
    [
      'AppArmor annotations disagreeing with the fields',
      (p) => {
        setAnnotations(p, {
          'container.apparmor.security.beta.kubernetes.io/i': 'unconfined',
          'container.apparmor.security.beta.kubernetes.io/c': 'localhost/a',
        });
        p.spec.initContainers = [{ name: 'i', image: 'x' }];
        p.spec.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
        p.spec.containers[0].securityContext = { appArmorProfile: { type: 'Localhost', localhostProfile: 'b' } };
      },
      [
        'spec.initContainers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match',
        'spec.containers[0].securityContext.appArmorProfile.localhostProfile: Forbidden: apparmor profile in annotation and field must match',
      ],
    ],
  ];
  for (const [name, patch, want] of cases) it(name, () => assert.deepEqual(checkPod(patch), want));

  it('a pod template checks the annotations and their agreement with the fields too', () => {
    const t = {
      metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
      spec: specWith((s) => (s.securityContext = { seccompProfile: { type: 'RuntimeDefault' } })),
    };
    assert.deepEqual(messages(validatePodTemplateSpec(t, path('spec', 'template'))), [
      'spec.template.spec.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match',
    ]);
    t.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod'] = 'localhost/';
    t.spec.securityContext = {};
    assert.deepEqual(messages(validatePodTemplateSpec(t, path('spec', 'template'))), []);
  });
});

describe('pod-specific annotation updates (ValidatePodSpecificAnnotationUpdates)', () => {
  const update = (before: Record<string, string>, after: Record<string, string>): string[] => {
    const old = makePod((p) => {
      p.spec.nodeName = 'n1';
      setAnnotations(p, before);
    });
    const next = structuredClone(old);
    next.metadata.annotations = after;
    return messages(validatePodUpdate(next, old));
  };
  const AA = 'container.apparmor.security.beta.kubernetes.io/c';

  it('keeps AppArmor and mirror annotations as they are', () => {
    assert.deepEqual(update({ [AA]: 'runtime/default', a: '1' }, { [AA]: 'runtime/default', a: '2' }), []);
  });
  it('forbids adding, changing or removing them', () => {
    assert.deepEqual(update({}, { [AA]: 'unconfined' }), [`${ANN}[${AA}]: Forbidden: may not add AppArmor annotations`]);
    assert.deepEqual(update({ [AA]: 'unconfined' }, { [AA]: 'runtime/default' }), [
      `${ANN}[${AA}]: Forbidden: may not remove or update AppArmor annotations`,
    ]);
    assert.deepEqual(update({ 'kubernetes.io/config.mirror': 'x' }, {}), [
      `${ANN}[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation`,
    ]);
  });
  it('reports a bad annotation twice on update, as upstream does', () => {
    const cost = 'controller.kubernetes.io/pod-deletion-cost';
    const want = `${ANN}[${cost}]: Invalid value: "x": must be a 32bit integer`;
    assert.deepEqual(update({}, { [cost]: 'x' }), [want, want]);
    assert.deepEqual(update({ [cost]: 'y' }, { [cost]: 'x' }), []);
  });
});
