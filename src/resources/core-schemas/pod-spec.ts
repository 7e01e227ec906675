/**
 * core/v1 PodSpec and what it is made of besides containers and volumes: pod security context,
 * scheduling (affinity, tolerations, spread constraints, gates), DNS and resource claims.
 */
import { Type } from '@sinclair/typebox';
import {
  atomicList,
  atomicStruct,
  bool,
  field,
  int32,
  int64,
  mergeList,
  resourceList,
  str,
  stringMap,
} from '../../apimachinery/schemas/extensions.js';
import { LabelSelectorSchema } from '../../apimachinery/schemas/meta.js';
import {
  AppArmorProfileSchema,
  CORE,
  ContainerSchema,
  EphemeralContainerSchema,
  LocalObjectReferenceSchema,
  ResourceRequirementsSchema,
  SELinuxOptionsSchema,
  SeccompProfileSchema,
  WindowsSecurityContextOptionsSchema,
} from './container.js';
import { VolumeSchema } from './volume.js';

// Defined next to the container selectors (which inline it) to keep the module graph acyclic.
export { LocalObjectReferenceSchema };

export const SysctlSchema = Type.Object(
  { name: str('Name of the kernel parameter.'), value: str('Value to set.') },
  { $id: `${CORE}.Sysctl`, description: 'A namespaced kernel parameter set for the pod.' },
);

export const PodSecurityContextSchema = Type.Object(
  {
    seLinuxOptions: Type.Optional(field(SELinuxOptionsSchema, 'SELinux labels for all containers.')),
    windowsOptions: Type.Optional(field(WindowsSecurityContextOptionsSchema, 'Windows settings for all containers.')),
    runAsUser: Type.Optional(int64('UID of the container processes, unless a container sets its own.')),
    runAsGroup: Type.Optional(int64('Primary GID of the container processes, unless a container sets its own.')),
    runAsNonRoot: Type.Optional(bool('Refuse to start containers that would run as UID 0.')),
    supplementalGroups: Type.Optional(atomicList(int64('A GID.'), 'Extra groups of the first process of every container.')),
    supplementalGroupsPolicy: Type.Optional(str('Merge (default: add to the groups of the image) or Strict (use only the given groups).')),
    fsGroup: Type.Optional(int64('Group that owns supporting volumes; files created in them belong to it.')),
    sysctls: Type.Optional(atomicList(SysctlSchema, 'Namespaced kernel parameters of the pod.')),
    fsGroupChangePolicy: Type.Optional(str('When volume ownership is changed to fsGroup: Always (default) or OnRootMismatch.')),
    seccompProfile: Type.Optional(field(SeccompProfileSchema, 'Seccomp profile of all containers.')),
    appArmorProfile: Type.Optional(field(AppArmorProfileSchema, 'AppArmor profile of all containers.')),
    seLinuxChangePolicy: Type.Optional(str('How SELinux labels reach volumes: Recursive relabelling or MountOption (a mount option).')),
  },
  { $id: `${CORE}.PodSecurityContext`, description: 'Security settings for the whole pod; containers may override some.' },
);

export const NodeSelectorRequirementSchema = Type.Object(
  {
    key: str('Label (or field) key the requirement applies to.'),
    operator: str('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
    values: Type.Optional(
      atomicList(str('A value.'), 'Values: several for In/NotIn, none for Exists/DoesNotExist, one integer for Gt/Lt.'),
    ),
  },
  { $id: `${CORE}.NodeSelectorRequirement`, description: 'One condition on a node label or field.' },
);

export const NodeSelectorTermSchema = Type.Object(
  {
    matchExpressions: Type.Optional(atomicList(NodeSelectorRequirementSchema, 'Requirements on node labels.')),
    matchFields: Type.Optional(atomicList(NodeSelectorRequirementSchema, 'Requirements on node fields.')),
  },
  {
    $id: `${CORE}.NodeSelectorTerm`,
    description: 'Requirements that must all hold; an empty term matches no node.',
    ...atomicStruct,
  },
);

export const NodeSelectorSchema = Type.Object(
  { nodeSelectorTerms: atomicList(NodeSelectorTermSchema, 'Terms of which at least one must match.') },
  { $id: `${CORE}.NodeSelector`, description: 'Selects nodes matching any of its terms.', ...atomicStruct },
);

export const PreferredSchedulingTermSchema = Type.Object(
  {
    weight: int32('Weight, 1-100, added to a node score when the preference matches.'),
    preference: field(NodeSelectorTermSchema, 'The node requirements of the preference.'),
  },
  { $id: `${CORE}.PreferredSchedulingTerm`, description: 'A weighted node preference.' },
);

export const NodeAffinitySchema = Type.Object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      field(NodeSelectorSchema, 'Nodes the pod may be scheduled on; not re-checked once running.'),
    ),
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      atomicList(PreferredSchedulingTermSchema, 'Weighted preferences; the node with the highest sum wins.'),
    ),
  },
  { $id: `${CORE}.NodeAffinity`, description: 'Rules attracting the pod to nodes by their labels.' },
);

export const PodAffinityTermSchema = Type.Object(
  {
    labelSelector: Type.Optional(field(LabelSelectorSchema, 'Pods the term is about; null matches none.')),
    namespaces: Type.Optional(atomicList(str('A namespace name.'), 'Namespaces to look in, besides namespaceSelector.')),
    topologyKey: str('Node label defining the domain (node, zone …) in which pods count as co-located.'),
    namespaceSelector: Type.Optional(
      field(LabelSelectorSchema, 'Namespaces to look in, by label; with namespaces both null, the pod namespace.'),
    ),
    matchLabelKeys: Type.Optional(
      atomicList(str('A label key.'), 'Labels of the incoming pod whose values are added to the selector as "in".'),
    ),
    mismatchLabelKeys: Type.Optional(
      atomicList(str('A label key.'), 'Labels of the incoming pod whose values are added to the selector as "notin".'),
    ),
  },
  { $id: `${CORE}.PodAffinityTerm`, description: 'A set of pods and the topology domain that relates to them.' },
);

export const WeightedPodAffinityTermSchema = Type.Object(
  {
    weight: int32('Weight, 1-100, added to a node score when the term matches.'),
    podAffinityTerm: field(PodAffinityTermSchema, 'The term.'),
  },
  { $id: `${CORE}.WeightedPodAffinityTerm`, description: 'A weighted pod (anti-)affinity preference.' },
);

export const PodAffinitySchema = Type.Object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      atomicList(PodAffinityTermSchema, 'Terms that must all hold at scheduling time.'),
    ),
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(atomicList(WeightedPodAffinityTermSchema, 'Weighted preferences.')),
  },
  { $id: `${CORE}.PodAffinity`, description: 'Rules placing the pod near other pods.' },
);

export const PodAntiAffinitySchema = Type.Object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      atomicList(PodAffinityTermSchema, 'Terms that must all hold at scheduling time.'),
    ),
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(atomicList(WeightedPodAffinityTermSchema, 'Weighted preferences.')),
  },
  { $id: `${CORE}.PodAntiAffinity`, description: 'Rules keeping the pod away from other pods.' },
);

export const AffinitySchema = Type.Object(
  {
    nodeAffinity: Type.Optional(field(NodeAffinitySchema, 'Node affinity rules.')),
    podAffinity: Type.Optional(field(PodAffinitySchema, 'Pod affinity rules.')),
    podAntiAffinity: Type.Optional(field(PodAntiAffinitySchema, 'Pod anti-affinity rules.')),
  },
  { $id: `${CORE}.Affinity`, description: 'Scheduling constraints of a pod.' },
);

export const TolerationSchema = Type.Object(
  {
    key: Type.Optional(str('Taint key matched; empty with operator Exists matches every taint.')),
    operator: Type.Optional(str('Equal (default) or Exists (any value).')),
    value: Type.Optional(str('Taint value matched with Equal.')),
    effect: Type.Optional(str('Taint effect matched: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.')),
    tolerationSeconds: Type.Optional(int64('For NoExecute, how long the pod stays bound after the taint appears; unset means forever.')),
  },
  { $id: `${CORE}.Toleration`, description: 'Lets the pod be scheduled on, or stay on, nodes with a matching taint.' },
);

export const HostAliasSchema = Type.Object(
  {
    ip: str('IP address of the hosts file entry.'),
    hostnames: Type.Optional(atomicList(str('A host name.'), 'Host names for the address.')),
  },
  { $id: `${CORE}.HostAlias`, description: "An entry added to the pod's hosts file." },
);

export const PodDNSConfigOptionSchema = Type.Object(
  { name: Type.Optional(str('Resolver option name.')), value: Type.Optional(str('Resolver option value.')) },
  { $id: `${CORE}.PodDNSConfigOption`, description: 'A resolver option of the pod.' },
);

export const PodDNSConfigSchema = Type.Object(
  {
    nameservers: Type.Optional(atomicList(str('An IP address.'), 'Name servers added to those of the DNS policy.')),
    searches: Type.Optional(atomicList(str('A domain.'), 'Search domains added to those of the DNS policy.')),
    options: Type.Optional(atomicList(PodDNSConfigOptionSchema, 'Resolver options, overriding those of the DNS policy.')),
  },
  { $id: `${CORE}.PodDNSConfig`, description: 'DNS settings merged into those derived from dnsPolicy.' },
);

export const TopologySpreadConstraintSchema = Type.Object(
  {
    maxSkew: int32('Largest allowed difference in matching pods between domains; at least 1.'),
    topologyKey: str('Node label whose values define the domains.'),
    whenUnsatisfiable: str('DoNotSchedule or ScheduleAnyway (prefer domains that reduce the skew).'),
    labelSelector: Type.Optional(field(LabelSelectorSchema, 'Pods counted in each domain.')),
    minDomains: Type.Optional(int32('Minimum number of eligible domains; fewer count as a global minimum of 0.')),
    nodeAffinityPolicy: Type.Optional(str('Honor (default) or Ignore the pod node affinity when counting.')),
    nodeTaintsPolicy: Type.Optional(str('Honor or Ignore (default) node taints when counting.')),
    matchLabelKeys: Type.Optional(atomicList(str('A label key.'), 'Labels of the incoming pod whose values narrow the selector.')),
  },
  { $id: `${CORE}.TopologySpreadConstraint`, description: 'How evenly matching pods must spread across a topology.' },
);

export const PodReadinessGateSchema = Type.Object(
  { conditionType: str('Type of a pod condition that must be True for the pod to be ready.') },
  { $id: `${CORE}.PodReadinessGate`, description: 'An extra condition for pod readiness.' },
);

export const PodOSSchema = Type.Object(
  { name: str('linux or windows.') },
  { $id: `${CORE}.PodOS`, description: 'Operating system the pod runs on; restricts the allowed fields.' },
);

export const PodSchedulingGateSchema = Type.Object(
  { name: str('Name of the gate, unique in the pod.') },
  { $id: `${CORE}.PodSchedulingGate`, description: 'Holds the pod back from scheduling until removed.' },
);

export const PodResourceClaimSchema = Type.Object(
  {
    name: str('Name of the claim inside the pod, a DNS label; containers refer to it.'),
    resourceClaimName: Type.Optional(str('Existing ResourceClaim of the namespace to use.')),
    resourceClaimTemplateName: Type.Optional(str('ResourceClaimTemplate from which a claim is created for, and deleted with, the pod.')),
  },
  { $id: `${CORE}.PodResourceClaim`, description: 'A dynamically allocated resource the pod needs; set one source.' },
);

export const PodSpecSchema = Type.Object(
  {
    volumes: Type.Optional(mergeList(VolumeSchema, 'name', 'Volumes containers of the pod can mount.', { strategy: 'merge,retainKeys' })),
    initContainers: Type.Optional(
      mergeList(ContainerSchema, 'name', 'Containers run in order before the app containers; each must succeed.'),
    ),
    containers: mergeList(ContainerSchema, 'name', 'The app containers of the pod; at least one.'),
    ephemeralContainers: Type.Optional(
      mergeList(EphemeralContainerSchema, 'name', 'Debug containers, added through the ephemeralcontainers subresource.'),
    ),
    restartPolicy: Type.Optional(str('Always (default), OnFailure or Never.')),
    terminationGracePeriodSeconds: Type.Optional(int64('Seconds between the stop signal and the kill; 30 by default, 0 kills at once.')),
    activeDeadlineSeconds: Type.Optional(int64('Seconds after start after which the pod is failed and killed.')),
    dnsPolicy: Type.Optional(str('ClusterFirst (default), ClusterFirstWithHostNet, Default or None.')),
    nodeSelector: Type.Optional(stringMap('Labels a node must have for the pod to go there.', 'atomic')),
    serviceAccountName: Type.Optional(str('ServiceAccount the pod runs as.')),
    serviceAccount: Type.Optional(str('Deprecated alias of serviceAccountName.')),
    automountServiceAccountToken: Type.Optional(bool('Whether a service account token is mounted automatically.')),
    nodeName: Type.Optional(str('Node the pod is bound to; set by the scheduler.')),
    hostNetwork: Type.Optional(bool("Use the node's network namespace.")),
    hostPID: Type.Optional(bool("Use the node's PID namespace.")),
    hostIPC: Type.Optional(bool("Use the node's IPC namespace.")),
    shareProcessNamespace: Type.Optional(bool('Put all containers in one PID namespace.')),
    securityContext: Type.Optional(field(PodSecurityContextSchema, 'Pod-level security settings.')),
    imagePullSecrets: Type.Optional(mergeList(LocalObjectReferenceSchema, 'name', 'Secrets of the namespace used to pull the images.')),
    hostname: Type.Optional(str('Host name of the pod; its name by default.')),
    subdomain: Type.Optional(str('Gives the pod the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.')),
    affinity: Type.Optional(field(AffinitySchema, 'Scheduling constraints.')),
    schedulerName: Type.Optional(str('Scheduler in charge of the pod; the default scheduler otherwise.')),
    tolerations: Type.Optional(atomicList(TolerationSchema, 'Taints the pod tolerates.')),
    hostAliases: Type.Optional(mergeList(HostAliasSchema, 'ip', 'Entries added to the hosts file.')),
    priorityClassName: Type.Optional(str('PriorityClass giving the pod its priority.')),
    priority: Type.Optional(int32('Priority value, filled in from priorityClassName at admission.')),
    dnsConfig: Type.Optional(field(PodDNSConfigSchema, 'Extra DNS settings.')),
    readinessGates: Type.Optional(atomicList(PodReadinessGateSchema, 'Extra conditions required for readiness.')),
    runtimeClassName: Type.Optional(str('RuntimeClass to run the pod with.')),
    enableServiceLinks: Type.Optional(bool('Inject Docker-link style service variables; true by default.')),
    preemptionPolicy: Type.Optional(str('PreemptLowerPriority (default) or Never.')),
    overhead: Type.Optional(resourceList('Resources the runtime itself uses for the pod, set from the RuntimeClass.')),
    topologySpreadConstraints: Type.Optional(
      mergeList(TopologySpreadConstraintSchema, 'topologyKey', 'How matching pods spread across domains.', {
        mapKeys: ['topologyKey', 'whenUnsatisfiable'],
      }),
    ),
    setHostnameAsFQDN: Type.Optional(bool('Make the FQDN the hostname of the pod.')),
    os: Type.Optional(field(PodOSSchema, 'Operating system of the pod.')),
    hostUsers: Type.Optional(bool("Use the node's user namespace; true by default.")),
    schedulingGates: Type.Optional(mergeList(PodSchedulingGateSchema, 'name', 'Gates that hold back scheduling.')),
    resourceClaims: Type.Optional(
      mergeList(PodResourceClaimSchema, 'name', 'Dynamically allocated resources of the pod.', {
        strategy: 'merge,retainKeys',
      }),
    ),
    resources: Type.Optional(field(ResourceRequirementsSchema, 'Pod-level CPU and memory requests and limits.')),
  },
  { $id: `${CORE}.PodSpec`, description: 'The desired state of a pod: its containers, volumes and scheduling.' },
);
