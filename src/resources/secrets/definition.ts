/** core/v1 Secret (k8s pkg/registry/core/secret): no status, no generation; `kubectl get secrets` shows NAME TYPE DATA AGE. */
import { AGE_COLUMN, column, nameColumn, since } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { defaultSecret } from './defaults.js';
import { SecretListSchema, SecretSchema, type Secret } from './schema.js';
import { validateSecret, validateSecretUpdate } from './validation.js';
import { x509KeyPairError } from './tls-key-pair.js';

/** A kubernetes.io/tls Secret whose tls.crt and tls.key do not load as a pair is stored, with a warning. */
function tlsWarnings(s: Secret): string[] {
  if (s.type !== 'kubernetes.io/tls') return [];
  const bytes = (key: string) => Buffer.from(s.data?.[key] ?? '', 'base64');
  const error = x509KeyPairError(bytes('tls.crt'), bytes('tls.key'));
  return error ? [error] : [];
}

const secrets: ResourceDefinition<Stored<Secret>> = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  schema: SecretSchema,
  listSchema: SecretListSchema,
  protobuf: 'k8s.io.api.core.v1.Secret',
  fieldLabels: ['type'],
  selectableFields: (s) => ({ type: s.type ?? '' }),
  table: {
    columns: [nameColumn(), column('Type', 'The type of the secret.'), column('Data', 'How many keys the secret holds.'), AGE_COLUMN],
    cells: (s, now) => [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, since(s.metadata.creationTimestamp, now)],
  },
  strategy: {
    defaults: (s) => defaultSecret(s),
    validate: (s) => validateSecret(s),
    validateUpdate: (s, old, meta) => validateSecretUpdate(s, old, meta),
    warnings: (s) => tlsWarnings(s),
  },
};

export default secrets;
