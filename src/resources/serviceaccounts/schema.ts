/** core/v1 ServiceAccount: an identity for the processes of pods, with the secrets and pull secrets it may use. */
import { Type, type Static } from '@sinclair/typebox';
import { atomicList, bool, field, gvk, mergeList } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { LocalObjectReferenceSchema } from '../core-schemas/container.js';
import { ObjectReferenceSchema } from '../core-schemas/event.js';

export const ServiceAccountSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    secrets: Type.Optional(
      mergeList(
        ObjectReferenceSchema,
        'name',
        'Secrets in the same namespace that pods running as this account may use (enforced only with the deprecated "kubernetes.io/enforce-mountable-secrets" annotation); only their names are kept.',
      ),
    ),
    imagePullSecrets: Type.Optional(
      atomicList(
        LocalObjectReferenceSchema,
        'Secrets in the same namespace the kubelet pulls the images of pods running as this account with.',
      ),
    ),
    automountServiceAccountToken: Type.Optional(
      bool("Whether pods running as this account get an API token mounted; the pod's own setting wins."),
    ),
  },
  {
    $id: 'io.k8s.api.core.v1.ServiceAccount',
    description: 'An identity for processes that run in pods, with the secrets it may use.',
    ...gvk('', 'v1', 'ServiceAccount'),
  },
);

export const ServiceAccountListSchema = listSchema(ServiceAccountSchema, 'ServiceAccount');

export type ServiceAccount = Static<typeof ServiceAccountSchema>;
