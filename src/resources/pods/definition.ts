/** core/v1 Pod: Pending on create; spec mostly immutable; graceful deletion once bound. */
import type { StoredPod } from '../stored.js';
import { validatePodStatusUpdate } from './validation-status.js';
import { podStatusWarnings } from './status-warnings.js';
import { statusKeepsSpec, type ResourceDefinition } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { PodSchema } from '../core-schemas/pod.js';
import { admitPodOnCreate, defaultPod } from './defaults.js';
import { validatePod, validatePodUpdate } from './validation.js';
import { qosClass } from './qos.js';
import { applyAppArmorVersionSkew } from './apparmor-skew.js';
import { podCreateWarnings } from './warnings.js';
import { dropDisabledPodSpecFields, dropDisabledPodStatusFields } from './disabled-fields.js';
import { table } from './table.js';
import { admitServiceAccount } from './service-account-admission.js';
import { admitRuntimeClass, validateRuntimeClassOnCreate } from './runtime-class-admission.js';

/** The AppArmor deprecation warnings of a pod being created, from prepareForCreate to the response. */
const appArmorWarnings = new WeakMap<StoredPod, string[]>();

const pods: ResourceDefinition<StoredPod> = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  schema: PodSchema,
  listSchema: listSchema(PodSchema, 'Pod'),
  protobuf: 'k8s.io.api.core.v1.Pod',
  categories: ['all'],
  deleteReturnsObject: true,
  table,
  fieldLabels: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  selectableFields: (pod) => ({
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIP ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  }),
  // GetResetFields: the status strategy also resets deletionTimestamp and ownerReferences.
  resetFields: { main: ['status'], status: ['spec', 'metadata.deletionTimestamp', 'metadata.ownerReferences'] },
  strategy: {
    defaults: (pod) => defaultPod(pod),
    prepareForCreate(pod) {
      dropDisabledPodSpecFields(pod.spec);
      pod.status = { phase: 'Pending', qosClass: qosClass(pod.spec) };
      // Kept only when there are any (nearly never): an entry per created pod would be a weak-table entry for the collector each.
      const warnings = applyAppArmorVersionSkew(pod);
      if (warnings.length) appArmorWarnings.set(pod, warnings);
    },
    prepareForUpdate(pod, old) {
      pod.status = old.status;
      dropDisabledPodSpecFields(pod.spec, old.spec);
    },
    validate: (pod) => validatePod(pod),
    // ValidatePodUpdate: ValidateObjectMetaUpdate, then validatePodMetadataAndSpec (ObjectMeta first), then the rest.
    validateUpdate: (pod, old, meta) => [...meta.update(), ...meta.create(), ...validatePodUpdate(pod, old)],
    // Pod updates warn about nothing (WarningsOnUpdate); on create the AppArmor skew's come first.
    warnings: (pod, old) => (old ? [] : [...(appArmorWarnings.get(pod) ?? []), ...podCreateWarnings(pod)]),
  },
  // ValidatePodStatusUpdate (validation-status.ts). The QoS class is set at creation; a status
  // without one (old kubelets dropped it) keeps the stored one.
  // Labels, annotations and finalizers are the writer's; ownerReferences stay the stored ones (old
  // kubelets corrupted them); the deletionTimestamp sent is dropped (the generic update rules then
  // keep the stored one).
  statusStrategy: statusKeepsSpec({
    prepareForUpdate(pod, old) {
      delete pod.metadata.deletionTimestamp;
      if (old.metadata.ownerReferences) pod.metadata.ownerReferences = old.metadata.ownerReferences;
      else delete pod.metadata.ownerReferences;
      if (!pod.status?.qosClass && old.status?.qosClass) pod.status = { ...pod.status, qosClass: old.status.qosClass };
      dropDisabledPodStatusFields(pod.status, old.spec, old.status);
    },
    validateUpdate: (pod, old, meta) => [...meta.update(), ...validatePodStatusUpdate(pod, old)],
    warnings: (pod) => podStatusWarnings(pod),
  }),
  hooks: {
    // The mutating admission plugins in kube-apiserver's order: ServiceAccount, then on create
    // Priority and DefaultTolerationSeconds, then RuntimeClass (which merges into their tolerations).
    admit(pod, old, cluster) {
      admitServiceAccount(pod, old, cluster);
      if (old) return;
      admitPodOnCreate(pod);
      admitRuntimeClass(pod, cluster);
    },
    validateCreate: (pod, cluster) => validateRuntimeClassOnCreate(pod, cluster),
  },
  extraSubresources: [
    {
      name: 'binding',
      verbs: ['create'],
      kind: 'Binding',
      requestKinds: [{ group: '', version: 'v1', kind: 'Binding', protobuf: 'k8s.io.api.core.v1.Binding' }],
    },
    {
      name: 'eviction',
      verbs: ['create'],
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      requestKinds: ['v1', 'v1beta1'].map((version) => ({
        group: 'policy',
        version,
        kind: 'Eviction',
        protobuf: `k8s.io.api.policy.${version}.Eviction`,
      })),
    },
    { name: 'log', verbs: ['get'], kind: 'Pod' },
  ],
  gracePeriodSeconds(pod, requested) {
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    return grace < 0 ? 1 : grace;
  },
};

export default pods;
