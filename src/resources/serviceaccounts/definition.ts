/**
 * core/v1 ServiceAccount (k8s pkg/registry/core/serviceaccount): no status, no generation; only the
 * name of each `secrets` reference is kept; validation is the object metadata's alone (a DNS
 * subdomain name). `kubectl get sa` shows NAME SECRETS AGE. The `token` subresource (TokenRequest)
 * is served by the HTTP layer.
 */
import { AGE_COLUMN, column, nameColumn, since } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { ServiceAccountListSchema, ServiceAccountSchema, type ServiceAccount } from './schema.js';
import { TOKEN_REQUEST_KIND } from './token-request.js';

/** cleanSecretReferences: a secret reference keeps its name and nothing else. */
function keepSecretNames(sa: ServiceAccount): void {
  if (sa.secrets) sa.secrets = sa.secrets.map((ref) => (ref.name === undefined ? {} : { name: ref.name }));
}

const serviceAccounts: ResourceDefinition<Stored<ServiceAccount>> = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  schema: ServiceAccountSchema,
  listSchema: ServiceAccountListSchema,
  protobuf: 'k8s.io.api.core.v1.ServiceAccount',
  table: {
    columns: [nameColumn(), column('Secrets', 'How many secrets the service account lists.'), AGE_COLUMN],
    cells: (sa, now) => [sa.metadata.name, sa.secrets?.length ?? 0, since(sa.metadata.creationTimestamp, now)],
  },
  strategy: {
    prepareForCreate: keepSecretNames,
    prepareForUpdate: (sa) => keepSecretNames(sa),
    // ValidateServiceAccountUpdate: ValidateObjectMetaUpdate, then ValidateServiceAccount (its ObjectMeta only).
    validateUpdate: (_sa, _old, meta) => [...meta.update(), ...meta.create()],
  },
  extraSubresources: [
    {
      name: 'token',
      verbs: ['create'],
      group: TOKEN_REQUEST_KIND.group,
      version: TOKEN_REQUEST_KIND.version,
      kind: TOKEN_REQUEST_KIND.kind,
      requestKinds: [TOKEN_REQUEST_KIND],
    },
  ],
};

export default serviceAccounts;
