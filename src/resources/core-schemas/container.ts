/**
 * core/v1 container schemas: Container and EphemeralContainer with their ports, environment,
 * resources, mounts, probes, lifecycle hooks and security context.
 */
import { Type } from '@sinclair/typebox';
import {
  atomicList,
  atomicStruct,
  bool,
  field,
  int32,
  int64,
  intOrString,
  mapList,
  mergeList,
  quantity,
  resourceList,
  str,
  union,
} from '../../apimachinery/schemas/extensions.js';

export const CORE = 'io.k8s.api.core.v1';

export const LocalObjectReferenceSchema = Type.Object(
  { name: Type.Optional(str('Name of the referenced object in the same namespace.')) },
  { $id: `${CORE}.LocalObjectReference`, description: 'Names an object in the same namespace.', ...atomicStruct },
);

export const ContainerPortSchema = Type.Object(
  {
    name: Type.Optional(str('IANA service name for the port, unique in the pod; services can target it by name.')),
    hostPort: Type.Optional(int32('Port to expose on the node as well; rarely needed.')),
    containerPort: int32('Port number the container listens on, 1-65535.'),
    protocol: Type.Optional(str('TCP (default), UDP or SCTP.')),
    hostIP: Type.Optional(str('Node IP address to bind hostPort to.')),
  },
  { $id: `${CORE}.ContainerPort`, description: 'A network port a container listens on.' },
);

export const ObjectFieldSelectorSchema = Type.Object(
  {
    apiVersion: Type.Optional(str('API version the fieldPath is written against; "v1" by default.')),
    fieldPath: str('Path of the field to read, such as metadata.name or status.podIP.'),
  },
  { $id: `${CORE}.ObjectFieldSelector`, description: 'Selects a field of the pod.', ...atomicStruct },
);

export const ResourceFieldSelectorSchema = Type.Object(
  {
    containerName: Type.Optional(str('Container whose resources are read; required in volumes.')),
    resource: str('Resource to read, such as limits.cpu or requests.memory.'),
    divisor: Type.Optional(quantity('Unit the value is expressed in; "1" by default.')),
  },
  {
    $id: `${CORE}.ResourceFieldSelector`,
    description: 'Selects a resource request or limit of a container, in a given unit.',
    ...atomicStruct,
  },
);

export const ConfigMapKeySelectorSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the ConfigMap.')),
    key: str('Key to read.'),
    optional: Type.Optional(bool('Whether a missing ConfigMap or key is tolerated.')),
  },
  { $id: `${CORE}.ConfigMapKeySelector`, description: 'Selects one key of a ConfigMap.', ...atomicStruct },
);

export const SecretKeySelectorSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the Secret in the pod namespace.')),
    key: str('Key to read.'),
    optional: Type.Optional(bool('Whether a missing Secret or key is tolerated.')),
  },
  { $id: `${CORE}.SecretKeySelector`, description: 'Selects one key of a Secret.', ...atomicStruct },
);

export const EnvVarSourceSchema = Type.Object(
  {
    fieldRef: Type.Optional(field(ObjectFieldSelectorSchema, 'Take the value from a field of the pod.')),
    resourceFieldRef: Type.Optional(field(ResourceFieldSelectorSchema, 'Take the value from a resource of the container.')),
    configMapKeyRef: Type.Optional(field(ConfigMapKeySelectorSchema, 'Take the value from a ConfigMap key.')),
    secretKeyRef: Type.Optional(field(SecretKeySelectorSchema, 'Take the value from a Secret key.')),
  },
  { $id: `${CORE}.EnvVarSource`, description: 'Where an environment variable gets its value; set exactly one.' },
);

export const EnvVarSchema = Type.Object(
  {
    name: str('Name of the variable.'),
    value: Type.Optional(str('Literal value; $(VAR) references to earlier variables are expanded, $$ escapes.')),
    valueFrom: Type.Optional(field(EnvVarSourceSchema, 'Source of the value, when value is not given.')),
  },
  { $id: `${CORE}.EnvVar`, description: 'An environment variable of a container.' },
);

export const ConfigMapEnvSourceSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the ConfigMap.')),
    optional: Type.Optional(bool('Whether a missing ConfigMap is tolerated.')),
  },
  { $id: `${CORE}.ConfigMapEnvSource`, description: 'A ConfigMap whose keys become environment variables.' },
);

export const SecretEnvSourceSchema = Type.Object(
  {
    name: Type.Optional(str('Name of the Secret.')),
    optional: Type.Optional(bool('Whether a missing Secret is tolerated.')),
  },
  { $id: `${CORE}.SecretEnvSource`, description: 'A Secret whose keys become environment variables.' },
);

export const EnvFromSourceSchema = Type.Object(
  {
    prefix: Type.Optional(str('Text prepended to every variable name taken from the source.')),
    configMapRef: Type.Optional(field(ConfigMapEnvSourceSchema, 'The ConfigMap to import.')),
    secretRef: Type.Optional(field(SecretEnvSourceSchema, 'The Secret to import.')),
  },
  { $id: `${CORE}.EnvFromSource`, description: 'Imports all keys of a ConfigMap or Secret as environment variables.' },
);

export const ResourceClaimSchema = Type.Object(
  {
    name: str('Name of an entry of pod.spec.resourceClaims.'),
    request: Type.Optional(str('Only this request of the claim is made available, when set.')),
  },
  { $id: `${CORE}.ResourceClaim`, description: 'Makes a pod resource claim available to a container.' },
);

export const ResourceRequirementsSchema = Type.Object(
  {
    limits: Type.Optional(resourceList('Maximum amount of each resource the container may use.')),
    requests: Type.Optional(
      resourceList('Amount of each resource reserved for scheduling; defaults to the limits when only those are set.'),
    ),
    claims: Type.Optional(
      mapList(ResourceClaimSchema, ['name'], 'Dynamically allocated resources (pod resource claims) this container uses.'),
    ),
  },
  { $id: `${CORE}.ResourceRequirements`, description: 'Compute resources requested and allowed.' },
);

export const VolumeMountSchema = Type.Object(
  {
    name: str('Name of the pod volume to mount.'),
    readOnly: Type.Optional(bool('Mount read-only when true.')),
    recursiveReadOnly: Type.Optional(str('For read-only mounts, whether sub-mounts are read-only too: Disabled, IfPossible or Enabled.')),
    mountPath: str('Absolute path in the container where the volume appears; must not contain ":".'),
    subPath: Type.Optional(str('Path inside the volume to mount instead of its root.')),
    mountPropagation: Type.Optional(str('How mounts propagate between host and container: None, HostToContainer or Bidirectional.')),
    subPathExpr: Type.Optional(str('Like subPath, with $(VAR) references to the container environment expanded.')),
  },
  { $id: `${CORE}.VolumeMount`, description: 'Mounts a pod volume into a container filesystem.' },
);

export const VolumeDeviceSchema = Type.Object(
  {
    name: str('Name of a persistentVolumeClaim volume of the pod.'),
    devicePath: str('Path in the container where the raw block device is mapped.'),
  },
  { $id: `${CORE}.VolumeDevice`, description: 'Maps a raw block volume into a container.' },
);

export const ExecActionSchema = Type.Object(
  {
    command: Type.Optional(
      atomicList(str('An argument.'), 'Command and arguments run in the container, without a shell; exit 0 means success.'),
    ),
  },
  { $id: `${CORE}.ExecAction`, description: 'Runs a command inside the container.' },
);

export const HTTPHeaderSchema = Type.Object(
  { name: str('Header name.'), value: str('Header value.') },
  { $id: `${CORE}.HTTPHeader`, description: 'A custom HTTP header of a probe request.' },
);

export const HTTPGetActionSchema = Type.Object(
  {
    path: Type.Optional(str('Request path.')),
    port: intOrString('Port number or named container port to connect to.'),
    host: Type.Optional(str('Host to connect to; the pod IP by default.')),
    scheme: Type.Optional(str('HTTP (default) or HTTPS.')),
    httpHeaders: Type.Optional(atomicList(HTTPHeaderSchema, 'Extra headers to send.')),
  },
  { $id: `${CORE}.HTTPGetAction`, description: 'Performs an HTTP GET; a 2xx or 3xx answer means success.' },
);

export const TCPSocketActionSchema = Type.Object(
  {
    port: intOrString('Port number or named container port to connect to.'),
    host: Type.Optional(str('Host to connect to; the pod IP by default.')),
  },
  { $id: `${CORE}.TCPSocketAction`, description: 'Opens a TCP connection; succeeding to connect means success.' },
);

export const GRPCActionSchema = Type.Object(
  {
    port: int32('Port of the gRPC health service.'),
    service: Type.Optional(str('Service name sent in the health check request; empty by default.')),
  },
  { $id: `${CORE}.GRPCAction`, description: 'Calls the standard gRPC health checking service.' },
);

export const SleepActionSchema = Type.Object(
  { seconds: int64('How long to sleep.') },
  { $id: `${CORE}.SleepAction`, description: 'Pauses for a number of seconds.' },
);

export const ProbeSchema = Type.Object(
  {
    exec: Type.Optional(field(ExecActionSchema, 'Check by running a command.')),
    httpGet: Type.Optional(field(HTTPGetActionSchema, 'Check with an HTTP GET request.')),
    tcpSocket: Type.Optional(field(TCPSocketActionSchema, 'Check by opening a TCP connection.')),
    grpc: Type.Optional(field(GRPCActionSchema, 'Check with a gRPC health call.')),
    initialDelaySeconds: Type.Optional(int32('Seconds after container start before the first probe.')),
    timeoutSeconds: Type.Optional(int32('Seconds after which a probe attempt fails; 1 by default.')),
    periodSeconds: Type.Optional(int32('Seconds between probes; 10 by default.')),
    successThreshold: Type.Optional(int32('Consecutive successes needed after a failure; 1, and must be 1 for liveness and startup.')),
    failureThreshold: Type.Optional(int32('Consecutive failures after which the probe counts as failed; 3 by default.')),
    terminationGracePeriodSeconds: Type.Optional(
      int64('Grace period used when a failing probe kills the container, overriding the pod setting.'),
    ),
  },
  { $id: `${CORE}.Probe`, description: 'A periodic health check of a container; set exactly one handler.' },
);

export const LifecycleHandlerSchema = Type.Object(
  {
    exec: Type.Optional(field(ExecActionSchema, 'Run a command in the container.')),
    httpGet: Type.Optional(field(HTTPGetActionSchema, 'Send an HTTP GET request.')),
    tcpSocket: Type.Optional(field(TCPSocketActionSchema, 'Deprecated and not supported as a hook; kept for compatibility.')),
    sleep: Type.Optional(field(SleepActionSchema, 'Wait for a while.')),
  },
  { $id: `${CORE}.LifecycleHandler`, description: 'The action of a lifecycle hook; set exactly one.' },
);

export const LifecycleSchema = Type.Object(
  {
    postStart: Type.Optional(field(LifecycleHandlerSchema, 'Runs right after the container is created; a failure restarts it.')),
    preStop: Type.Optional(
      field(LifecycleHandlerSchema, 'Runs before the container is stopped by the system; counts against the grace period.'),
    ),
    stopSignal: Type.Optional(str('Signal sent to stop the container, e.g. SIGTERM; the runtime default otherwise.')),
  },
  { $id: `${CORE}.Lifecycle`, description: 'Hooks the kubelet runs around container start and stop.' },
);

export const CapabilitiesSchema = Type.Object(
  {
    add: Type.Optional(atomicList(str('A capability name, e.g. NET_ADMIN.'), 'Capabilities to add.')),
    drop: Type.Optional(atomicList(str('A capability name, or ALL.'), 'Capabilities to remove.')),
  },
  { $id: `${CORE}.Capabilities`, description: 'POSIX capabilities added to or dropped from the default set.' },
);

export const SELinuxOptionsSchema = Type.Object(
  {
    user: Type.Optional(str('SELinux user label.')),
    role: Type.Optional(str('SELinux role label.')),
    type: Type.Optional(str('SELinux type label.')),
    level: Type.Optional(str('SELinux level label.')),
  },
  { $id: `${CORE}.SELinuxOptions`, description: 'SELinux labels applied to a container.' },
);

export const SeccompProfileSchema = Type.Object(
  {
    type: str('RuntimeDefault, Unconfined or Localhost.'),
    localhostProfile: Type.Optional(str('Profile file relative to the kubelet seccomp directory; only for Localhost.')),
  },
  {
    $id: `${CORE}.SeccompProfile`,
    description: 'Which seccomp profile applies.',
    ...union('type', { localhostProfile: 'LocalhostProfile' }),
  },
);

export const AppArmorProfileSchema = Type.Object(
  {
    type: str('RuntimeDefault, Unconfined or Localhost.'),
    localhostProfile: Type.Optional(str('Name of a profile loaded on the node; only for Localhost.')),
  },
  {
    $id: `${CORE}.AppArmorProfile`,
    description: 'Which AppArmor profile applies.',
    ...union('type', { localhostProfile: 'LocalhostProfile' }),
  },
);

export const WindowsSecurityContextOptionsSchema = Type.Object(
  {
    gmsaCredentialSpecName: Type.Optional(str('Name of the GMSA credential spec to use.')),
    gmsaCredentialSpec: Type.Optional(str('Content of the GMSA credential spec, filled in by an admission webhook.')),
    runAsUserName: Type.Optional(str('Windows user that runs the container entrypoint.')),
    hostProcess: Type.Optional(bool('Run as a Windows host process container (requires hostNetwork).')),
  },
  { $id: `${CORE}.WindowsSecurityContextOptions`, description: 'Windows-specific security settings.' },
);

export const SecurityContextSchema = Type.Object(
  {
    capabilities: Type.Optional(field(CapabilitiesSchema, 'Capabilities to add or drop.')),
    privileged: Type.Optional(bool('Run with all host privileges; false by default.')),
    seLinuxOptions: Type.Optional(field(SELinuxOptionsSchema, 'SELinux labels, overriding the pod level.')),
    windowsOptions: Type.Optional(field(WindowsSecurityContextOptionsSchema, 'Windows settings, overriding the pod level.')),
    runAsUser: Type.Optional(int64('UID of the container process, overriding image and pod.')),
    runAsGroup: Type.Optional(int64('Primary GID of the container process, overriding the pod.')),
    runAsNonRoot: Type.Optional(bool('Refuse to start the container if it would run as UID 0.')),
    readOnlyRootFilesystem: Type.Optional(bool('Mount the root filesystem read-only.')),
    allowPrivilegeEscalation: Type.Optional(bool('Whether a process may gain more privileges than its parent (no_new_privs).')),
    procMount: Type.Optional(str('Default or Unmasked handling of /proc paths.')),
    seccompProfile: Type.Optional(field(SeccompProfileSchema, 'Seccomp profile, overriding the pod level.')),
    appArmorProfile: Type.Optional(field(AppArmorProfileSchema, 'AppArmor profile, overriding the pod level.')),
  },
  { $id: `${CORE}.SecurityContext`, description: 'Security settings of one container; they win over the pod-level ones.' },
);

export const ContainerResizePolicySchema = Type.Object(
  {
    resourceName: str('The resource this policy is for: cpu or memory.'),
    restartPolicy: str('NotRequired (resize in place) or RestartContainer.'),
  },
  { $id: `${CORE}.ContainerResizePolicy`, description: 'Whether resizing a resource needs a container restart.' },
);

/** The fields Container and EphemeralContainer share (EphemeralContainerCommon). */
function containerProperties(kind: 'container' | 'ephemeral container') {
  const notForEphemeral = (d: string) => (kind === 'container' ? d : `Not allowed for ephemeral containers. ${d}`);
  return {
    name: str(`Name of the ${kind}, a DNS label unique among all containers of the pod.`),
    image: Type.Optional(str('Container image reference.')),
    command: Type.Optional(atomicList(str('An argument.'), 'Entrypoint, replacing the image ENTRYPOINT; $(VAR) is expanded.')),
    args: Type.Optional(atomicList(str('An argument.'), 'Arguments, replacing the image CMD; $(VAR) is expanded.')),
    workingDir: Type.Optional(str('Working directory; the image default otherwise.')),
    ports: Type.Optional(
      mergeList(ContainerPortSchema, 'containerPort', notForEphemeral('Ports the container exposes (informational).'), {
        mapKeys: ['containerPort', 'protocol'],
      }),
    ),
    envFrom: Type.Optional(atomicList(EnvFromSourceSchema, 'Sources whose keys all become environment variables.')),
    env: Type.Optional(mergeList(EnvVarSchema, 'name', 'Environment variables, winning over envFrom.')),
    resources: Type.Optional(field(ResourceRequirementsSchema, notForEphemeral('Compute resources of the container.'))),
    resizePolicy: Type.Optional(atomicList(ContainerResizePolicySchema, 'How each resource may be resized in place.')),
    restartPolicy: Type.Optional(
      str(
        kind === 'container'
          ? 'Only "Always", and only on init containers: makes it a sidecar that keeps running.'
          : 'Not allowed for ephemeral containers.',
      ),
    ),
    volumeMounts: Type.Optional(mergeList(VolumeMountSchema, 'mountPath', 'Pod volumes mounted into the container.')),
    volumeDevices: Type.Optional(mergeList(VolumeDeviceSchema, 'devicePath', 'Raw block volumes mapped into the container.')),
    livenessProbe: Type.Optional(field(ProbeSchema, notForEphemeral('Restarts the container when it fails.'))),
    readinessProbe: Type.Optional(field(ProbeSchema, notForEphemeral('Removes the pod from service endpoints while it fails.'))),
    startupProbe: Type.Optional(field(ProbeSchema, notForEphemeral('Holds back the other probes until it succeeds.'))),
    lifecycle: Type.Optional(field(LifecycleSchema, notForEphemeral('Hooks run after start and before stop.'))),
    terminationMessagePath: Type.Optional(str('File whose content becomes the termination message; /dev/termination-log.')),
    terminationMessagePolicy: Type.Optional(str('File (default) or FallbackToLogsOnError.')),
    imagePullPolicy: Type.Optional(str('Always, Never or IfNotPresent; Always for :latest, IfNotPresent otherwise.')),
    securityContext: Type.Optional(field(SecurityContextSchema, 'Security settings of the container.')),
    stdin: Type.Optional(bool('Keep a stdin buffer open for the container.')),
    stdinOnce: Type.Optional(bool('Close stdin after the first attach disconnects.')),
    tty: Type.Optional(bool('Allocate a TTY; requires stdin.')),
  };
}

export const ContainerSchema = Type.Object(containerProperties('container'), {
  $id: `${CORE}.Container`,
  description: 'A container to run in a pod.',
});

export const EphemeralContainerSchema = Type.Object(
  {
    ...containerProperties('ephemeral container'),
    targetContainerName: Type.Optional(str('Container whose namespaces (PID, IPC …) this one joins.')),
  },
  {
    $id: `${CORE}.EphemeralContainer`,
    description: 'A temporary container added to a running pod, e.g. for debugging; never restarted.',
  },
);
