/**
 * The strategy of a custom resource (apiextensions-apiserver's customresource strategy):
 * structural defaulting, then validation against the version's schema; with a status
 * subresource, the main resource keeps the stored status and /status keeps everything else.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Strategy } from '../../registry/resource-definition.js';
import { applyDefaults } from '../../apimachinery/structural-schema/defaults.js';
import { validateValue } from '../../apimachinery/structural-schema/validate.js';
import type { JSONSchemaProps } from '../../apimachinery/structural-schema/types.js';

/** The schema without its `metadata` node: ObjectMeta is validated as for every kind. */
function bodySchema(root: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!root) return undefined;
  const { metadata: _meta, ...properties } = root.properties ?? {};
  return { ...root, properties, required: root.required?.filter((r) => r !== 'metadata') };
}

export function schemaValidation(root: JSONSchemaProps | undefined): (obj: KubeObject) => ReturnType<typeof validateValue> {
  const schema = bodySchema(root);
  return (obj) => {
    if (!schema) return [];
    const { metadata: _meta, ...body } = obj;
    return validateValue(body, schema);
  };
}

export function customResourceStrategy(root: JSONSchemaProps | undefined, statusSubresource: boolean): Strategy {
  const validate = schemaValidation(root);
  return {
    defaults: (obj) => root && applyDefaults(obj, root),
    prepareForCreate(obj) {
      if (statusSubresource) delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (!statusSubresource) return;
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    },
    validate,
    validateUpdate: (obj) => validate(obj),
  };
}

/** /status of a custom resource: only `status` comes from the request. */
export function customResourceStatusStrategy(root: JSONSchemaProps | undefined): Strategy {
  const validate = schemaValidation(root);
  return {
    prepareForUpdate(obj, old) {
      const status = obj.status;
      for (const key of Object.keys(obj)) if (key !== 'metadata') delete obj[key];
      for (const [key, value] of Object.entries(old)) if (key !== 'metadata' && key !== 'status') obj[key] = value;
      if (status !== undefined) obj.status = status;
    },
    validateUpdate: (obj) => validate(obj),
  };
}
