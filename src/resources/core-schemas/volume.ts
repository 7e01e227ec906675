/**
 * core/v1 Volume and every volume source a pod may use (1.33), including the legacy in-tree ones,
 * projections and the PersistentVolumeClaim template of generic ephemeral volumes.
 */
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import {
  atomicList,
  atomicStruct,
  bool,
  field,
  int32,
  int64,
  quantity,
  resourceList,
  str,
  stringMap,
} from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema, ObjectMetaSchema } from '../../apimachinery/schemas/meta.js';
import { CORE, LocalObjectReferenceSchema, ObjectFieldSelectorSchema, ResourceFieldSelectorSchema } from './container.js';

function source<P extends TProperties>(name: string, description: string, properties: P): TObject<P> {
  return Type.Object(properties, { $id: `${CORE}.${name}`, description });
}
const fsType = () => Type.Optional(str('Filesystem type to mount, e.g. ext4 or xfs.'));
const readOnly = () => Type.Optional(bool('Mount read-only when true.'));
const secretRef = (d = 'Secret holding the credentials.') => Type.Optional(field(LocalObjectReferenceSchema, d));
const modeBits = (d: string) => Type.Optional(int32(`${d} Octal 0000-0777 or decimal 0-511 (JSON needs decimal).`));

export const KeyToPathSchema = source('KeyToPath', 'Maps a key of a ConfigMap or Secret to a file.', {
  key: str('The key to project.'),
  path: str('Relative file path the key is written to; no ".." elements.'),
  mode: modeBits('Permission bits of the file, defaulting to the volume defaultMode.'),
});

export const DownwardAPIVolumeFileSchema = source('DownwardAPIVolumeFile', 'A file filled from pod metadata or container resources.', {
  path: str('Relative path of the file to create; no ".." elements.'),
  fieldRef: Type.Optional(field(ObjectFieldSelectorSchema, 'Pod field to write: labels, annotations, name, namespace or uid.')),
  resourceFieldRef: Type.Optional(field(ResourceFieldSelectorSchema, 'Container resource limit or request to write.')),
  mode: modeBits('Permission bits of the file.'),
});

export const HostPathVolumeSourceSchema = source('HostPathVolumeSource', 'A file or directory of the node, mounted into the pod.', {
  path: str('Path on the node; symlinks are followed.'),
  type: Type.Optional(
    str('Check or create before mounting: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.'),
  ),
});

export const EmptyDirVolumeSourceSchema = source('EmptyDirVolumeSource', 'A scratch directory that lives as long as the pod.', {
  medium: Type.Optional(str('Storage backing the directory: "" for node disk or Memory for tmpfs.')),
  sizeLimit: Type.Optional(quantity('Upper bound of the space the directory may use.')),
});

export const SecretVolumeSourceSchema = source('SecretVolumeSource', 'Presents the keys of a Secret as files.', {
  secretName: Type.Optional(str('Name of the Secret in the pod namespace.')),
  items: Type.Optional(atomicList(KeyToPathSchema, 'Keys to project and where; all keys when omitted.')),
  defaultMode: modeBits('Permission bits of the created files (0644 by default).'),
  optional: Type.Optional(bool('Whether a missing Secret or key is tolerated.')),
});

export const ConfigMapVolumeSourceSchema = source('ConfigMapVolumeSource', 'Presents the keys of a ConfigMap as files.', {
  name: Type.Optional(str('Name of the ConfigMap.')),
  items: Type.Optional(atomicList(KeyToPathSchema, 'Keys to project and where; all keys when omitted.')),
  defaultMode: modeBits('Permission bits of the created files (0644 by default).'),
  optional: Type.Optional(bool('Whether a missing ConfigMap or key is tolerated.')),
});

export const PersistentVolumeClaimVolumeSourceSchema = source(
  'PersistentVolumeClaimVolumeSource',
  'Mounts the volume bound to a claim of the pod namespace.',
  {
    claimName: str('Name of the PersistentVolumeClaim.'),
    readOnly: Type.Optional(bool('Force a read-only mount.')),
  },
);

export const DownwardAPIVolumeSourceSchema = source('DownwardAPIVolumeSource', 'Files holding information about the pod itself.', {
  items: Type.Optional(atomicList(DownwardAPIVolumeFileSchema, 'The files to create.')),
  defaultMode: modeBits('Permission bits of the created files (0644 by default).'),
});

export const SecretProjectionSchema = source('SecretProjection', 'Secret keys projected into a projected volume.', {
  name: Type.Optional(str('Name of the Secret.')),
  items: Type.Optional(atomicList(KeyToPathSchema, 'Keys to project and where; all keys when omitted.')),
  optional: Type.Optional(bool('Whether a missing Secret or key is tolerated.')),
});

export const ConfigMapProjectionSchema = source('ConfigMapProjection', 'ConfigMap keys projected into a projected volume.', {
  name: Type.Optional(str('Name of the ConfigMap.')),
  items: Type.Optional(atomicList(KeyToPathSchema, 'Keys to project and where; all keys when omitted.')),
  optional: Type.Optional(bool('Whether a missing ConfigMap or key is tolerated.')),
});

export const DownwardAPIProjectionSchema = source('DownwardAPIProjection', 'Pod information projected into a projected volume.', {
  items: Type.Optional(atomicList(DownwardAPIVolumeFileSchema, 'The files to create.')),
});

export const ServiceAccountTokenProjectionSchema = source(
  'ServiceAccountTokenProjection',
  'A service account token kept fresh by the kubelet.',
  {
    audience: Type.Optional(str('Audience the token is issued for; the API server by default.')),
    expirationSeconds: Type.Optional(int64('Requested lifetime of the token; one hour by default, ten minutes at least.')),
    path: str('File path of the token, relative to the mount point.'),
  },
);

export const ClusterTrustBundleProjectionSchema = source(
  'ClusterTrustBundleProjection',
  'Certificates of ClusterTrustBundle objects written to a file.',
  {
    name: Type.Optional(str('Pick one bundle by name (not with signerName).')),
    signerName: Type.Optional(str('Pick all bundles of this signer.')),
    labelSelector: Type.Optional(field(LabelSelectorSchema, 'Narrows the bundles of signerName; unset matches none.')),
    optional: Type.Optional(bool('Start the pod even when no bundle is found.')),
    path: str('File path of the bundle, relative to the mount point.'),
  },
);

export const VolumeProjectionSchema = source('VolumeProjection', 'One source of a projected volume; set exactly one.', {
  secret: Type.Optional(field(SecretProjectionSchema, 'Keys of a Secret.')),
  downwardAPI: Type.Optional(field(DownwardAPIProjectionSchema, 'Pod information.')),
  configMap: Type.Optional(field(ConfigMapProjectionSchema, 'Keys of a ConfigMap.')),
  serviceAccountToken: Type.Optional(field(ServiceAccountTokenProjectionSchema, 'A service account token.')),
  clusterTrustBundle: Type.Optional(field(ClusterTrustBundleProjectionSchema, 'Certificates of ClusterTrustBundles.')),
});

export const ProjectedVolumeSourceSchema = source('ProjectedVolumeSource', 'Several sources combined into one directory.', {
  sources: Type.Optional(atomicList(VolumeProjectionSchema, 'The sources, each writing its own files.')),
  defaultMode: modeBits('Permission bits of the created files.'),
});

export const CSIVolumeSourceSchema = source('CSIVolumeSource', 'An inline ephemeral volume provided by a CSI driver.', {
  driver: str('Name of the CSI driver.'),
  readOnly: Type.Optional(bool('Request a read-only volume.')),
  fsType: Type.Optional(str('Filesystem type; the driver decides when empty.')),
  volumeAttributes: Type.Optional(stringMap('Driver-specific parameters.')),
  nodePublishSecretRef: secretRef('Secret passed to the driver when publishing the volume.'),
});

export const VolumeResourceRequirementsSchema = source('VolumeResourceRequirements', 'Storage requested by a claim.', {
  limits: Type.Optional(resourceList('Maximum amount of storage.')),
  requests: Type.Optional(resourceList('Minimum amount of storage, e.g. {storage: 1Gi}.')),
});

export const TypedLocalObjectReferenceSchema = Type.Object(
  {
    apiGroup: Type.Optional(str('API group of the referent; empty for the core group.')),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
  },
  { $id: `${CORE}.TypedLocalObjectReference`, description: 'Names an object of a given kind in the same namespace.', ...atomicStruct },
);

export const TypedObjectReferenceSchema = source(
  'TypedObjectReference',
  'Names an object of a given kind, possibly in another namespace.',
  {
    apiGroup: Type.Optional(str('API group of the referent; empty for the core group.')),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    namespace: Type.Optional(str('Namespace of the referent; needs a ReferenceGrant there.')),
  },
);

export const PersistentVolumeClaimSpecSchema = source('PersistentVolumeClaimSpec', 'What storage a claim asks for.', {
  accessModes: Type.Optional(atomicList(str('ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.'), 'Wanted access modes.')),
  selector: Type.Optional(field(LabelSelectorSchema, 'Restricts the volumes the claim may bind to.')),
  resources: Type.Optional(field(VolumeResourceRequirementsSchema, 'Minimum (and maximum) storage wanted.')),
  volumeName: Type.Optional(str('Binds to this PersistentVolume.')),
  storageClassName: Type.Optional(str('StorageClass to provision from; "" means none.')),
  volumeMode: Type.Optional(str('Filesystem (default) or Block.')),
  dataSource: Type.Optional(field(TypedLocalObjectReferenceSchema, 'Snapshot or claim to pre-populate the volume from.')),
  dataSourceRef: Type.Optional(field(TypedObjectReferenceSchema, 'Any populator object to pre-populate the volume from.')),
  volumeAttributesClassName: Type.Optional(str('VolumeAttributesClass to apply; may change after creation.')),
});

export const PersistentVolumeClaimTemplateSchema = source(
  'PersistentVolumeClaimTemplate',
  'Template of the claim created for an ephemeral volume.',
  {
    metadata: Type.Optional(field(ObjectMetaSchema, 'Labels and annotations copied to the claim.')),
    spec: field(PersistentVolumeClaimSpecSchema, 'Spec of the claim, copied unchanged.'),
  },
);

export const EphemeralVolumeSourceSchema = source(
  'EphemeralVolumeSource',
  'A volume from a claim created for, and deleted with, the pod.',
  {
    volumeClaimTemplate: Type.Optional(field(PersistentVolumeClaimTemplateSchema, 'The claim to create, named <pod>-<volume>; required.')),
  },
);

export const ImageVolumeSourceSchema = source('ImageVolumeSource', 'An OCI image or artifact mounted read-only.', {
  reference: Type.Optional(str('Image or artifact reference, as in a container image field.')),
  pullPolicy: Type.Optional(str('Always, Never or IfNotPresent; Always for :latest, IfNotPresent otherwise.')),
});

export const NFSVolumeSourceSchema = source('NFSVolumeSource', 'An NFS export mounted into the pod.', {
  server: str('Host name or IP of the NFS server.'),
  path: str('Exported path.'),
  readOnly: readOnly(),
});

export const ISCSIVolumeSourceSchema = source('ISCSIVolumeSource', 'An iSCSI disk attached to the node.', {
  targetPortal: str('Target portal, IP or IP:port.'),
  iqn: str('iSCSI qualified name of the target.'),
  lun: int32('LUN number of the target.'),
  iscsiInterface: Type.Optional(str('iSCSI interface name; "default" (tcp) by default.')),
  fsType: fsType(),
  readOnly: readOnly(),
  portals: Type.Optional(atomicList(str('A portal, IP or IP:port.'), 'Further target portals.')),
  chapAuthDiscovery: Type.Optional(bool('Use CHAP authentication for discovery.')),
  chapAuthSession: Type.Optional(bool('Use CHAP authentication for the session.')),
  secretRef: secretRef('Secret with the CHAP credentials.'),
  initiatorName: Type.Optional(str('Custom initiator name.')),
});

// Legacy in-tree sources, kept so that such pods are accepted and round-trip unchanged.
export const GCEPersistentDiskVolumeSourceSchema = source('GCEPersistentDiskVolumeSource', 'A GCE persistent disk (legacy).', {
  pdName: str('Name of the disk.'),
  fsType: fsType(),
  partition: Type.Optional(int32('Partition to mount; 0 or unset for the whole disk.')),
  readOnly: readOnly(),
});
export const AWSElasticBlockStoreVolumeSourceSchema = source('AWSElasticBlockStoreVolumeSource', 'An AWS EBS volume (legacy).', {
  volumeID: str('ID of the EBS volume.'),
  fsType: fsType(),
  partition: Type.Optional(int32('Partition to mount; 0 or unset for the whole disk.')),
  readOnly: readOnly(),
});
export const GitRepoVolumeSourceSchema = source('GitRepoVolumeSource', 'A git checkout (deprecated; use an init container).', {
  repository: str('Repository URL.'),
  revision: Type.Optional(str('Commit to check out.')),
  directory: Type.Optional(str('Target directory inside the volume.')),
});
export const GlusterfsVolumeSourceSchema = source('GlusterfsVolumeSource', 'A Glusterfs volume (legacy).', {
  endpoints: str('Endpoints object describing the Glusterfs cluster.'),
  path: str('Glusterfs volume path.'),
  readOnly: readOnly(),
});
export const RBDVolumeSourceSchema = source('RBDVolumeSource', 'A Ceph RADOS block device (legacy).', {
  monitors: atomicList(str('A monitor address.'), 'Ceph monitors.'),
  image: str('RADOS image name.'),
  fsType: fsType(),
  pool: Type.Optional(str('RADOS pool; rbd by default.')),
  user: Type.Optional(str('RADOS user; admin by default.')),
  keyring: Type.Optional(str('Keyring path; /etc/ceph/keyring by default.')),
  secretRef: secretRef(),
  readOnly: readOnly(),
});
export const FlexVolumeSourceSchema = source('FlexVolumeSource', 'A volume handled by an exec-based FlexVolume driver (legacy).', {
  driver: str('Name of the driver.'),
  fsType: fsType(),
  secretRef: secretRef(),
  readOnly: readOnly(),
  options: Type.Optional(stringMap('Extra driver options.')),
});
export const CinderVolumeSourceSchema = source('CinderVolumeSource', 'An OpenStack Cinder volume (legacy).', {
  volumeID: str('ID of the Cinder volume.'),
  fsType: fsType(),
  readOnly: readOnly(),
  secretRef: secretRef('Secret with OpenStack connection parameters.'),
});
export const CephFSVolumeSourceSchema = source('CephFSVolumeSource', 'A CephFS mount (legacy).', {
  monitors: atomicList(str('A monitor address.'), 'Ceph monitors.'),
  path: Type.Optional(str('Path to mount; / by default.')),
  user: Type.Optional(str('RADOS user; admin by default.')),
  secretFile: Type.Optional(str('Keyring path for the user.')),
  secretRef: secretRef(),
  readOnly: readOnly(),
});
export const FlockerVolumeSourceSchema = source('FlockerVolumeSource', 'A Flocker dataset (legacy).', {
  datasetName: Type.Optional(str('Dataset name (deprecated).')),
  datasetUUID: Type.Optional(str('Dataset UUID.')),
});
export const FCVolumeSourceSchema = source('FCVolumeSource', 'A Fibre Channel disk (legacy).', {
  targetWWNs: Type.Optional(atomicList(str('A world wide name.'), 'Target world wide names.')),
  lun: Type.Optional(int32('Target LUN.')),
  fsType: fsType(),
  readOnly: readOnly(),
  wwids: Type.Optional(atomicList(str('A world wide identifier.'), 'Volume identifiers, instead of targetWWNs and lun.')),
});
export const AzureFileVolumeSourceSchema = source('AzureFileVolumeSource', 'An Azure File share (legacy).', {
  secretName: str('Secret with the storage account name and key.'),
  shareName: str('Name of the share.'),
  readOnly: readOnly(),
});
export const VsphereVirtualDiskVolumeSourceSchema = source('VsphereVirtualDiskVolumeSource', 'A vSphere disk (legacy).', {
  volumePath: str('Path of the vmdk.'),
  fsType: fsType(),
  storagePolicyName: Type.Optional(str('SPBM profile name.')),
  storagePolicyID: Type.Optional(str('SPBM profile ID.')),
});
export const QuobyteVolumeSourceSchema = source('QuobyteVolumeSource', 'A Quobyte volume (legacy).', {
  registry: str('Registry services as host:port, comma separated.'),
  volume: str('Name of the Quobyte volume.'),
  readOnly: readOnly(),
  user: Type.Optional(str('User to map access to.')),
  group: Type.Optional(str('Group to map access to.')),
  tenant: Type.Optional(str('Owning tenant.')),
});
export const AzureDiskVolumeSourceSchema = source('AzureDiskVolumeSource', 'An Azure data disk (legacy).', {
  diskName: str('Name of the data disk.'),
  diskURI: str('URI of the data disk.'),
  cachingMode: Type.Optional(str('None, ReadOnly or ReadWrite.')),
  fsType: fsType(),
  readOnly: readOnly(),
  kind: Type.Optional(str('Shared, Dedicated or Managed.')),
});
export const PhotonPersistentDiskVolumeSourceSchema = source('PhotonPersistentDiskVolumeSource', 'A Photon Controller disk (legacy).', {
  pdID: str('ID of the disk.'),
  fsType: fsType(),
});
export const PortworxVolumeSourceSchema = source('PortworxVolumeSource', 'A Portworx volume (legacy).', {
  volumeID: str('ID of the volume.'),
  fsType: fsType(),
  readOnly: readOnly(),
});
export const ScaleIOVolumeSourceSchema = source('ScaleIOVolumeSource', 'A ScaleIO volume (legacy).', {
  gateway: str('Address of the ScaleIO API gateway.'),
  system: str('Name of the storage system.'),
  secretRef: field(LocalObjectReferenceSchema, 'Secret with the ScaleIO credentials.'),
  sslEnabled: Type.Optional(bool('Use TLS towards the gateway.')),
  protectionDomain: Type.Optional(str('Protection domain.')),
  storagePool: Type.Optional(str('Storage pool.')),
  storageMode: Type.Optional(str('ThickProvisioned or ThinProvisioned (default).')),
  volumeName: Type.Optional(str('Name of an existing volume.')),
  fsType: fsType(),
  readOnly: readOnly(),
});
export const StorageOSVolumeSourceSchema = source('StorageOSVolumeSource', 'A StorageOS volume (legacy).', {
  volumeName: Type.Optional(str('Name of the volume.')),
  volumeNamespace: Type.Optional(str('StorageOS namespace; the pod namespace by default.')),
  fsType: fsType(),
  readOnly: readOnly(),
  secretRef: secretRef('Secret with the API credentials.'),
});

export const VolumeSchema = Type.Object(
  {
    name: str('Name of the volume, a DNS label unique in the pod; volume mounts refer to it.'),
    hostPath: Type.Optional(field(HostPathVolumeSourceSchema, 'A path of the node.')),
    emptyDir: Type.Optional(field(EmptyDirVolumeSourceSchema, 'A scratch directory living as long as the pod.')),
    gcePersistentDisk: Type.Optional(field(GCEPersistentDiskVolumeSourceSchema, 'A GCE persistent disk (legacy).')),
    awsElasticBlockStore: Type.Optional(field(AWSElasticBlockStoreVolumeSourceSchema, 'An AWS EBS volume (legacy).')),
    gitRepo: Type.Optional(field(GitRepoVolumeSourceSchema, 'A git checkout (deprecated).')),
    secret: Type.Optional(field(SecretVolumeSourceSchema, 'The keys of a Secret as files.')),
    nfs: Type.Optional(field(NFSVolumeSourceSchema, 'An NFS export.')),
    iscsi: Type.Optional(field(ISCSIVolumeSourceSchema, 'An iSCSI disk.')),
    glusterfs: Type.Optional(field(GlusterfsVolumeSourceSchema, 'A Glusterfs volume (legacy).')),
    persistentVolumeClaim: Type.Optional(field(PersistentVolumeClaimVolumeSourceSchema, 'A claim of the pod namespace.')),
    rbd: Type.Optional(field(RBDVolumeSourceSchema, 'A Ceph block device (legacy).')),
    flexVolume: Type.Optional(field(FlexVolumeSourceSchema, 'A FlexVolume driver volume (legacy).')),
    cinder: Type.Optional(field(CinderVolumeSourceSchema, 'An OpenStack Cinder volume (legacy).')),
    cephfs: Type.Optional(field(CephFSVolumeSourceSchema, 'A CephFS mount (legacy).')),
    flocker: Type.Optional(field(FlockerVolumeSourceSchema, 'A Flocker dataset (legacy).')),
    downwardAPI: Type.Optional(field(DownwardAPIVolumeSourceSchema, 'Information about the pod as files.')),
    fc: Type.Optional(field(FCVolumeSourceSchema, 'A Fibre Channel disk (legacy).')),
    azureFile: Type.Optional(field(AzureFileVolumeSourceSchema, 'An Azure File share (legacy).')),
    configMap: Type.Optional(field(ConfigMapVolumeSourceSchema, 'The keys of a ConfigMap as files.')),
    vsphereVolume: Type.Optional(field(VsphereVirtualDiskVolumeSourceSchema, 'A vSphere disk (legacy).')),
    quobyte: Type.Optional(field(QuobyteVolumeSourceSchema, 'A Quobyte volume (legacy).')),
    azureDisk: Type.Optional(field(AzureDiskVolumeSourceSchema, 'An Azure data disk (legacy).')),
    photonPersistentDisk: Type.Optional(field(PhotonPersistentDiskVolumeSourceSchema, 'A Photon Controller disk (legacy).')),
    projected: Type.Optional(field(ProjectedVolumeSourceSchema, 'Secrets, ConfigMaps, pod information and tokens in one directory.')),
    portworxVolume: Type.Optional(field(PortworxVolumeSourceSchema, 'A Portworx volume (legacy).')),
    scaleIO: Type.Optional(field(ScaleIOVolumeSourceSchema, 'A ScaleIO volume (legacy).')),
    storageos: Type.Optional(field(StorageOSVolumeSourceSchema, 'A StorageOS volume (legacy).')),
    csi: Type.Optional(field(CSIVolumeSourceSchema, 'An inline volume of a CSI driver.')),
    ephemeral: Type.Optional(field(EphemeralVolumeSourceSchema, 'A claim created for, and deleted with, the pod.')),
    image: Type.Optional(field(ImageVolumeSourceSchema, 'An OCI image or artifact, read-only.')),
  },
  {
    $id: `${CORE}.Volume`,
    description: 'A named volume of a pod; set exactly one source (an emptyDir is assumed when none is set).',
  },
);
