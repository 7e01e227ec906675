/** core/v1 Node: spec (taints, CIDRs), status (conditions, addresses, capacity, system info). */
import { Type } from '@sinclair/typebox';
import {
  atomicList,
  bool,
  field,
  gvk,
  int32,
  int64,
  mergeList,
  resourceList,
  setList,
  str,
  time,
} from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { CORE } from './container.js';

export const TaintSchema = Type.Object(
  {
    key: str('Taint key.'),
    value: Type.Optional(str('Taint value.')),
    effect: str('NoSchedule, PreferNoSchedule or NoExecute, for pods that do not tolerate the taint.'),
    timeAdded: Type.Optional(time('When the taint was added; only for NoExecute.')),
  },
  { $id: `${CORE}.Taint`, description: 'Repels pods from the node unless they tolerate it.' },
);

export const ConfigMapNodeConfigSourceSchema = Type.Object(
  {
    namespace: str('Namespace of the ConfigMap.'),
    name: str('Name of the ConfigMap.'),
    uid: Type.Optional(str('UID of the ConfigMap; status only.')),
    resourceVersion: Type.Optional(str('Resource version of the ConfigMap; status only.')),
    kubeletConfigKey: str('Key holding the kubelet configuration.'),
  },
  { $id: `${CORE}.ConfigMapNodeConfigSource`, description: 'A ConfigMap holding kubelet configuration (deprecated).' },
);

export const NodeConfigSourceSchema = Type.Object(
  { configMap: Type.Optional(field(ConfigMapNodeConfigSourceSchema, 'The ConfigMap to use.')) },
  { $id: `${CORE}.NodeConfigSource`, description: 'Source of dynamic kubelet configuration (deprecated, unused).' },
);

export const NodeSpecSchema = Type.Object(
  {
    podCIDR: Type.Optional(str('Pod IP range of the node.')),
    podCIDRs: Type.Optional(
      setList(str('A CIDR.'), 'Pod IP ranges of the node, at most one per family; the first equals podCIDR.', 'merge'),
    ),
    providerID: Type.Optional(str('Cloud provider ID, as <provider>://<id>.')),
    unschedulable: Type.Optional(bool('Keep new pods off the node (cordon).')),
    taints: Type.Optional(atomicList(TaintSchema, 'Taints of the node.')),
    configSource: Type.Optional(field(NodeConfigSourceSchema, 'Deprecated, unused.')),
    externalID: Type.Optional(str('Deprecated, unused.')),
  },
  { $id: `${CORE}.NodeSpec`, description: 'Desired state of a node.' },
);

export const NodeConditionSchema = Type.Object(
  {
    type: str('Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable …'),
    status: str('True, False or Unknown.'),
    lastHeartbeatTime: Type.Optional(time('When the kubelet last reported the condition.')),
    lastTransitionTime: Type.Optional(time('When the status last changed.')),
    reason: Type.Optional(str('Short cause of the last transition.')),
    message: Type.Optional(str('Human-readable details of the last transition.')),
  },
  { $id: `${CORE}.NodeCondition`, description: 'One aspect of the state of a node.' },
);

export const NodeAddressSchema = Type.Object(
  {
    type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: str('The address.'),
  },
  { $id: `${CORE}.NodeAddress`, description: 'An address of the node.' },
);

export const DaemonEndpointSchema = Type.Object(
  { Port: int32('Port number.') },
  { $id: `${CORE}.DaemonEndpoint`, description: 'A port a node daemon listens on.' },
);

export const NodeDaemonEndpointsSchema = Type.Object(
  { kubeletEndpoint: Type.Optional(field(DaemonEndpointSchema, 'Where the kubelet listens.')) },
  { $id: `${CORE}.NodeDaemonEndpoints`, description: 'Ports of the daemons running on the node.' },
);

export const NodeSwapStatusSchema = Type.Object(
  { capacity: Type.Optional(int64('Swap size in bytes.')) },
  { $id: `${CORE}.NodeSwapStatus`, description: 'Swap memory of the node.' },
);

export const NodeSystemInfoSchema = Type.Object(
  {
    machineID: str('Machine ID of the node (/etc/machine-id).'),
    systemUUID: str('System UUID of the node.'),
    bootID: str('ID of the current boot.'),
    kernelVersion: str('Kernel version (uname -r).'),
    osImage: str('OS image, from /etc/os-release.'),
    containerRuntimeVersion: str('Container runtime and version, e.g. containerd://1.7.0.'),
    kubeletVersion: str('Kubelet version.'),
    kubeProxyVersion: str('Deprecated: kube-proxy version.'),
    operatingSystem: str('Operating system, e.g. linux.'),
    architecture: str('CPU architecture, e.g. amd64.'),
    swap: Type.Optional(field(NodeSwapStatusSchema, 'Swap memory of the node.')),
  },
  { $id: `${CORE}.NodeSystemInfo`, description: 'Identifiers and software versions of the node.' },
);

export const ContainerImageSchema = Type.Object(
  {
    names: Type.Optional(atomicList(str('An image reference.'), 'Names the image is known by.')),
    sizeBytes: Type.Optional(int64('Size of the image in bytes.')),
  },
  { $id: `${CORE}.ContainerImage`, description: 'An image present on the node.' },
);

export const AttachedVolumeSchema = Type.Object(
  {
    name: str('Unique name of the attached volume.'),
    devicePath: str('Device path where the volume is available.'),
  },
  { $id: `${CORE}.AttachedVolume`, description: 'A volume attached to the node.' },
);

export const NodeConfigStatusSchema = Type.Object(
  {
    assigned: Type.Optional(field(NodeConfigSourceSchema, 'Configuration the node will try to use.')),
    active: Type.Optional(field(NodeConfigSourceSchema, 'Configuration the node uses.')),
    lastKnownGood: Type.Optional(field(NodeConfigSourceSchema, 'Configuration to fall back to.')),
    error: Type.Optional(str('Problem applying the configuration.')),
  },
  { $id: `${CORE}.NodeConfigStatus`, description: 'State of dynamic kubelet configuration (deprecated).' },
);

export const NodeRuntimeHandlerFeaturesSchema = Type.Object(
  {
    recursiveReadOnlyMounts: Type.Optional(bool('The handler supports recursive read-only mounts.')),
    userNamespaces: Type.Optional(bool('The handler supports user namespaces, volumes included.')),
  },
  { $id: `${CORE}.NodeRuntimeHandlerFeatures`, description: 'Features of a runtime handler.' },
);

export const NodeRuntimeHandlerSchema = Type.Object(
  {
    name: Type.Optional(str('Handler name; empty for the default handler.')),
    features: Type.Optional(field(NodeRuntimeHandlerFeaturesSchema, 'Features of the handler.')),
  },
  { $id: `${CORE}.NodeRuntimeHandler`, description: 'A runtime handler available on the node.' },
);

export const NodeFeaturesSchema = Type.Object(
  { supplementalGroupsPolicy: Type.Optional(bool('The runtime supports supplementalGroupsPolicy and container user status.')) },
  { $id: `${CORE}.NodeFeatures`, description: 'Features of the container runtime of the node.' },
);

export const NodeStatusSchema = Type.Object(
  {
    capacity: Type.Optional(resourceList('Total resources of the node.')),
    allocatable: Type.Optional(resourceList('Resources available to pods; capacity by default.')),
    phase: Type.Optional(str('Deprecated, never set.')),
    conditions: Type.Optional(mergeList(NodeConditionSchema, 'type', 'Current conditions.')),
    addresses: Type.Optional(mergeList(NodeAddressSchema, 'type', 'Addresses of the node; replace the list as a whole when patching.')),
    daemonEndpoints: Type.Optional(field(NodeDaemonEndpointsSchema, 'Ports of the node daemons.')),
    nodeInfo: Type.Optional(field(NodeSystemInfoSchema, 'Identifiers and versions of the node.')),
    images: Type.Optional(atomicList(ContainerImageSchema, 'Images present on the node.')),
    volumesInUse: Type.Optional(atomicList(str('A unique volume name.'), 'Attachable volumes mounted on the node.')),
    volumesAttached: Type.Optional(atomicList(AttachedVolumeSchema, 'Volumes attached to the node.')),
    config: Type.Optional(field(NodeConfigStatusSchema, 'Deprecated dynamic configuration state.')),
    runtimeHandlers: Type.Optional(atomicList(NodeRuntimeHandlerSchema, 'Runtime handlers available.')),
    features: Type.Optional(field(NodeFeaturesSchema, 'Features of the container runtime.')),
  },
  { $id: `${CORE}.NodeStatus`, description: 'Observed state of a node, reported by its kubelet.' },
);

export const NodeSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(NodeSpecSchema, 'Desired state of the node.')),
    status: Type.Optional(field(NodeStatusSchema, 'Observed state of the node.')),
  },
  { $id: `${CORE}.Node`, description: 'A machine that runs pods.', ...gvk('', 'v1', 'Node') },
);
