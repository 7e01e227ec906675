/** networking.k8s.io/v1 ServiceCIDR: a range Service cluster IPs are allocated from (KEP-1880). */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, field, gvk, mergeList, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { ConditionSchema } from '../../apimachinery/schemas/condition.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const ServiceCIDRSpecSchema = Type.Object(
  {
    cidrs: Type.Optional(
      atomicList(
        str('A subnet in CIDR notation, in its canonical form.'),
        'The subnets cluster IPs are taken from: one, or two of different IP families (dual-stack). Fixed once set, but for a second family added to a single one.',
      ),
    ),
  },
  { $id: `${NETWORKING}.ServiceCIDRSpec`, description: 'The subnets a ServiceCIDR offers to Service cluster IPs.' },
);

export const ServiceCIDRStatusSchema = Type.Object(
  {
    conditions: Type.Optional(
      mergeList(
        ConditionSchema,
        'type',
        'Conditions of the range: Ready says whether Services may get addresses from it (False, reason Terminating, while its deletion waits for the addresses still taken from it).',
      ),
    ),
  },
  { $id: `${NETWORKING}.ServiceCIDRStatus`, description: 'Observed state of a ServiceCIDR.' },
);

export const ServiceCIDRSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    spec: Type.Optional(field(ServiceCIDRSpecSchema, 'The subnets of this range.')),
    status: Type.Optional(field(ServiceCIDRStatusSchema, 'Observed state of the range; written through /status.')),
  },
  {
    $id: `${NETWORKING}.ServiceCIDR`,
    description:
      'A range of addresses (one subnet per IP family) that Service cluster IPs are allocated from; the API server keeps one named kubernetes for its --service-cluster-ip-range.',
    ...gvk('networking.k8s.io', 'v1', 'ServiceCIDR'),
  },
);

export const ServiceCIDRListSchema = listSchema(ServiceCIDRSchema, 'ServiceCIDR');

export type ServiceCIDR = Static<typeof ServiceCIDRSchema>;
