/** core/v1 Namespace: cluster-scoped, Active until deleted, then Terminating until emptied. */
import type { StoredNamespace as Namespace } from '../stored.js';
import { forbidden } from '../../apimachinery/status.js';
import { statusKeepsSpec, type ResourceDefinition, DEFAULT_RESET_FIELDS } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { NamespaceSchema } from '../core-schemas/namespace.js';
import { validateNamespace, validateNamespaceStatusUpdate } from './validation.js';
import { table } from './table.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';
/** Namespaces the NamespaceLifecycle admission refuses to delete. */
const PROTECTED = new Set(['default', 'kube-system', 'kube-public']);

function labelWithName(ns: Namespace): void {
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAME_LABEL]: ns.metadata.name ?? '' };
}

const namespaces: ResourceDefinition<Namespace> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  schema: NamespaceSchema,
  listSchema: listSchema(NamespaceSchema, 'Namespace'),
  protobuf: 'k8s.io.api.core.v1.Namespace',
  table,
  nameIsDnsLabel: true,
  deleteReturnsObject: true,
  fieldLabels: ['status.phase'],
  selectableFields: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
  // GetResetFields: namespace strategy: status; status strategy: spec.
  resetFields: DEFAULT_RESET_FIELDS,
  strategy: {
    prepareForCreate(ns) {
      // The client's finalizers are kept; the kubernetes one is required on create (and may go later).
      const given = ns.spec?.finalizers ?? [];
      ns.spec = { finalizers: given.includes('kubernetes') ? given : [...given, 'kubernetes'] };
      ns.status = { phase: 'Active' };
      labelWithName(ns);
    },
    prepareForUpdate(ns, old) {
      ns.spec = old.spec;
      ns.status = old.status;
      labelWithName(ns);
    },
    validate: (ns) => validateNamespace(ns),
    // The strategy's ValidateUpdate: ValidateNamespace (ObjectMeta first), then ValidateNamespaceUpdate (ObjectMeta only).
    validateUpdate: (ns, _old, meta) => [...meta.create(), ...validateNamespace(ns), ...meta.update()],
  },
  statusStrategy: statusKeepsSpec({
    prepareForUpdate(ns) {
      // SetDefaults_NamespaceStatus: a body without a phase is decoded as Active.
      if (!ns.status?.phase) ns.status = { ...(ns.status ?? {}), phase: 'Active' };
    },
    validateUpdate: (ns, _old, meta) => [...meta.update(), ...validateNamespaceStatusUpdate(ns)],
  }),
  extraSubresources: [{ name: 'finalize', verbs: ['update'] }],
  // The namespace REST's Delete checks the preconditions itself, in its own words (namespace/storage/storage.go).
  ownDeletePreconditions: true,
  admitDelete(ns) {
    if (PROTECTED.has(ns.metadata.name ?? '')) {
      throw forbidden({ group: '', resource: 'namespaces' }, ns.metadata.name ?? '', 'this namespace may not be deleted');
    }
  },
  retainOnDelete(ns) {
    if (!ns.spec?.finalizers?.length) return false;
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    return true;
  },
};

export default namespaces;
