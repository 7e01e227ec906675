/** core/v1 Secret: keys to bytes (data, base64 in JSON), a write-only text form of them (stringData), a type. */
import { Type, type Static } from '@sinclair/typebox';
import { bool, field, gvk, stringMap } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

export const SecretSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    immutable: Type.Optional(bool('When true, data can no longer change (nor can immutable go back to false); only metadata can.')),
    data: Type.Optional(
      Type.Record(Type.String(), Type.String({ format: 'byte', description: 'Bytes, base64-encoded in JSON.' }), {
        description: 'The secret bytes, by key. Keys are made of letters, digits, "-", "_" and "."; all values together at most 1 MiB.',
      }),
    ),
    stringData: Type.Optional(
      stringMap(
        'Write-only text values, by key: merged into data (as their UTF-8 bytes, winning over data for the same key) when written, never read back.',
      ),
    ),
    type: Type.Optional(
      Type.String({ description: 'What the secret holds (Opaque by default); some types require keys, and the type cannot change.' }),
    ),
  },
  {
    $id: 'io.k8s.api.core.v1.Secret',
    description: 'Sensitive data (passwords, tokens, keys) for pods and controllers to read.',
    ...gvk('', 'v1', 'Secret'),
  },
);

export const SecretListSchema = listSchema(SecretSchema, 'Secret');

export type Secret = Static<typeof SecretSchema>;
