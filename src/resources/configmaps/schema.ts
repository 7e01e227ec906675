/** core/v1 ConfigMap: keys to text (data) or to bytes (binaryData, base64 in JSON), optionally frozen. */
import { Type, type Static } from '@sinclair/typebox';
import { bool, field, gvk, stringMap } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

export const ConfigMapSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    immutable: Type.Optional(
      bool('When true, data and binaryData can no longer change (nor can immutable go back to false); only metadata can.'),
    ),
    data: Type.Optional(
      stringMap('Configuration as text, by key. Keys are made of letters, digits, "-", "_" and "."; no key may also be in binaryData.'),
    ),
    binaryData: Type.Optional(
      Type.Record(Type.String(), Type.String({ format: 'byte', description: 'Bytes, base64-encoded in JSON.' }), {
        description: 'Configuration as bytes (any byte sequence), by key; the same key rules as data, and no key may also be in data.',
      }),
    ),
  },
  {
    $id: 'io.k8s.api.core.v1.ConfigMap',
    description: 'Configuration for pods to read: files in a volume, environment variables or command arguments.',
    ...gvk('', 'v1', 'ConfigMap'),
  },
);

export const ConfigMapListSchema = listSchema(ConfigMapSchema, 'ConfigMap');

export type ConfigMap = Static<typeof ConfigMapSchema>;
