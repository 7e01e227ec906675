/**
 * The strategy of a custom resource (apiextensions-apiserver's customresource strategy):
 * structural defaulting, then validation against the version's schema and then its
 * x-kubernetes-validations rules (compiled once, when the definition is made); with a status
 * subresource, the main resource keeps the stored status and /status keeps everything else.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import type { Strategy } from '../../registry/resource-definition.js';
import { applyDefaults } from '../../apimachinery/structural-schema/defaults.js';
import { validateValue } from '../../apimachinery/structural-schema/validate.js';
import type { JSONSchemaProps } from '../../apimachinery/structural-schema/types.js';
import { celRules, mayHaveRules } from '../../apimachinery/cel/load-rules.js';
import { invalidValue, type FieldError, type FieldErrorType } from '../../apimachinery/field-errors.js';

/** The schema without its `metadata` node: ObjectMeta is validated as for every kind. */
function bodySchema(root: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!root) return undefined;
  const { metadata: _meta, ...properties } = root.properties ?? {};
  return { ...root, properties, required: root.required?.filter((r) => r !== 'metadata') };
}

/** Schema errors after which upstream does not run the rules (hasBlockingErr). */
const BLOCKING = new Set<FieldErrorType>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

const RULES_NOT_CHECKED = invalidValue(
  '<nil>',
  'null',
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
);

/** The warnings of ratcheted rules, from an object's validation to the write's warnings. */
const ratcheted = new WeakMap<KubeObject, string[]>();

/** The warnings the last validation of `obj` left (rules that failed on values unchanged by an update). */
const ruleWarnings = (obj: KubeObject): string[] => ratcheted.get(obj) ?? [];

/**
 * Validation of a custom resource of one version: its schema's errors, then its rules' errors
 * (`old` on update), or in their place one error saying the rules were not checked when the
 * schema's errors include one that blocks them.
 */
export function schemaValidation(root: JSONSchemaProps | undefined): (obj: KubeObject, old?: KubeObject) => FieldError[] {
  const schema = bodySchema(root);
  const rules = mayHaveRules(root) ? celRules().ruleValidator(root) : undefined;
  return (obj, old) => {
    const { metadata: _meta, ...body } = obj;
    const errs = schema ? validateValue(body, schema) : [];
    if (!rules) return errs;
    if (errs.some((e) => BLOCKING.has(e.type))) return [...errs, RULES_NOT_CHECKED];
    const { errors, warnings } = rules.validate(obj, old);
    if (warnings.length) ratcheted.set(obj, warnings);
    return [...errs, ...errors];
  };
}

type Validation = ReturnType<typeof schemaValidation>;

export function customResourceStrategy(root: JSONSchemaProps | undefined, statusSubresource: boolean, validate: Validation): Strategy {
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
    validate: (obj) => validate(obj),
    // customResourceValidator.ValidateUpdate: ValidateObjectMetaAccessorUpdate, then the schema.
    validateUpdate: (obj, old, meta) => [...meta.update(), ...validate(obj, old)],
    warnings: (obj) => ruleWarnings(obj),
  };
}

/** /status of a custom resource: only `status` comes from the request. */
export function customResourceStatusStrategy(validate: Validation): Strategy {
  return {
    // The status strategy starts from the stored object: no metadata of the write is kept but its managedFields.
    statusMetadata: 'stored',
    prepareForUpdate(obj, old) {
      const status = obj.status;
      for (const key of Object.keys(obj)) if (key !== 'metadata') delete obj[key];
      for (const [key, value] of Object.entries(old)) if (key !== 'metadata' && key !== 'status') obj[key] = value;
      if (status !== undefined) obj.status = status;
    },
    // ValidateStatusUpdate: ValidateObjectMetaAccessorUpdate, then the status.
    validateUpdate: (obj, old, meta) => [...meta.update(), ...validate(obj, old)],
    warnings: (obj) => ruleWarnings(obj),
  };
}
