/**
 * coordination.k8s.io/v1 Lease: node heartbeats live in `kube-node-lease`, one Lease per node,
 * renewed by the kubelet (kubectl describe node prints its renew time).
 */
import type { StoredLease as Lease } from '../stored.js';
import { forbiddenField, invalidValue, notSupported, path, type FieldError, type FieldPath } from '../../apimachinery/field-errors.js';
import { isQualifiedName } from '../../apimachinery/validation/names.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { LeaseSchema } from '../coordination-schemas/lease.js';
import { AGE_COLUMN, column, nameColumn, since } from '../../apimachinery/table.js';

function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec ?? {};
  const fld = path('spec');
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalidValue(fld.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(invalidValue(fld.child('leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.strategy !== undefined) errs.push(...validateStrategy(spec.strategy, fld.child('strategy')));
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(forbiddenField(fld.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

/** The strategies Kubernetes defines; any other must be a qualified name with a domain (`example.com/mine`). */
const LEASE_STRATEGIES = ['OldestEmulationVersion'];

/** ValidateCoordinatedLeaseStrategy, whose errors upstream puts one level deeper (`spec.strategy.strategy`). */
function validateStrategy(strategy: string, fld: FieldPath): FieldError[] {
  if (!strategy.includes('/'))
    return LEASE_STRATEGIES.includes(strategy) ? [] : [notSupported(fld.child('strategy'), strategy, LEASE_STRATEGIES)];
  return isQualifiedName(strategy).map((msg) => invalidValue(fld.child('strategy'), strategy, msg));
}

const leases: ResourceDefinition<Lease> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  // ValidateLease uses the generic ObjectMeta validation.
  genericObjectMeta: true,
  schema: LeaseSchema,
  listSchema: listSchema(LeaseSchema, 'Lease'),
  protobuf: 'k8s.io.api.coordination.v1.Lease',
  table: {
    columns: [nameColumn(), column('Holder', 'The identity of the lease holder.'), AGE_COLUMN],
    cells: (lease, now) => [lease.metadata.name, lease.spec?.holderIdentity ?? '', since(lease.metadata.creationTimestamp, now)],
  },
  // AllowCreateOnUpdate (true in pkg/registry/coordination/lease/strategy.go): a PUT of a missing one creates it.
  allowCreateOnUpdate: true,
  strategy: {
    validate: (lease) => validateLease(lease),
    // ValidateLeaseUpdate: apimachinery's ValidateObjectMetaUpdate, then the spec.
    validateUpdate: (lease, _old, meta) => [...meta.update(), ...validateLease(lease)],
  },
};

export default leases;
