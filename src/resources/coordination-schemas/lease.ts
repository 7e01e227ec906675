/** coordination.k8s.io/v1 Lease: a lock with a holder and an expiry (node heartbeats, leader election). */
import { Type } from '@sinclair/typebox';
import { field, gvk, int32, microTime, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

export const COORDINATION = 'io.k8s.api.coordination.v1';

export const LeaseSpecSchema = Type.Object(
  {
    holderIdentity: Type.Optional(str('Who holds the lease now (for node leases: the node name).')),
    leaseDurationSeconds: Type.Optional(int32('How long, counted from renewTime, other candidates wait before taking the lease over.')),
    acquireTime: Type.Optional(microTime('When the current holder acquired the lease.')),
    renewTime: Type.Optional(microTime('When the current holder last renewed the lease.')),
    leaseTransitions: Type.Optional(int32('How many times the lease changed holder.')),
    strategy: Type.Optional(str('How a coordinated leader election picks the next holder, e.g. OldestEmulationVersion.')),
    preferredHolder: Type.Optional(str('The candidate a coordinated election would like to hold the lease next.')),
  },
  { $id: `${COORDINATION}.LeaseSpec`, description: 'Who holds a lease and until when.' },
);

export const LeaseSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(LeaseSpecSchema, 'Holder and timing of the lease.')),
  },
  {
    $id: `${COORDINATION}.Lease`,
    description: 'A time-limited lock: kubelets renew one per node in kube-node-lease as their heartbeat.',
    ...gvk('coordination.k8s.io', 'v1', 'Lease'),
  },
);
