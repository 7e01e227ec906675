/**
 * Schemas for a kind whose fields kubemock does not describe: apiVersion, kind and metadata, the rest
 * kept as sent. Named like upstream's (`io.k8s.api.<group>.<version>.<Kind>`), so the OpenAPI
 * documents name the kind as a cluster does.
 */
import { Type, type TObject } from '@sinclair/typebox';
import { X, field, gvk } from './extensions.js';
import { ObjectMetaSchema, listSchema, typeMeta } from './meta.js';

export function openKindSchemas(group: string, version: string, kind: string): { kind: TObject; list: TObject } {
  const pkg = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').split('.')[0];
  const item = Type.Object(
    { ...typeMeta(), metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')) },
    {
      $id: `io.k8s.api.${pkg}.${version}.${kind}`,
      description: `A ${kind} (${group || 'core'}/${version}).`,
      ...gvk(group, version, kind),
      [X.preserveUnknownFields]: true,
    },
  );
  return { kind: item, list: listSchema(item, kind) };
}
