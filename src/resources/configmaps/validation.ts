/**
 * ValidateConfigMap / ValidateConfigMapUpdate: valid keys, no key in both maps, at most 1 MiB of
 * values in all, and nothing but metadata may change once `immutable` is true.
 */
import { deepEqual } from '../../apimachinery/object.js';
import { forbiddenField, invalidValue, path, tooLong, type FieldError } from '../../apimachinery/field-errors.js';
import { isConfigMapKey } from '../../apimachinery/validation/names.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';
import type { ConfigMap } from './schema.js';

/** corev1.MaxSecretSize, which bounds a ConfigMap too: the bytes of every value, data and binaryData together. */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

const IMMUTABLE = 'field is immutable when `immutable` is set';

const sortedKeys = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort();

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const key of sortedKeys(cm.data)) {
    const fld = path('data').key(key);
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(fld, key, msg));
    if (cm.binaryData && Object.hasOwn(cm.binaryData, key)) errs.push(invalidValue(fld, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(cm.data![key], 'utf8');
  }
  for (const key of sortedKeys(cm.binaryData)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(path('binaryData').key(key), key, msg));
    total += Buffer.from(cm.binaryData![key], 'base64').length;
  }
  // Upstream names the whole object with an empty path, which Go prints as "[]".
  if (total > MAX_CONFIG_MAP_BYTES) errs.push(tooLong('[]', MAX_CONFIG_MAP_BYTES));
  return errs;
}

/** ValidateConfigMapUpdate: ValidateObjectMetaUpdate, the `immutable` rules, then ValidateConfigMap (ObjectMeta first). */
export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap, meta: ObjectMetaChecks): FieldError[] {
  const errs = meta.update();
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(forbiddenField(path('immutable'), IMMUTABLE));
    // A nil map and an empty one differ for reflect.DeepEqual; neither survives JSON decoding here, so both are absent.
    if (!deepEqual(cm.data ?? null, old.data ?? null)) errs.push(forbiddenField(path('data'), IMMUTABLE));
    if (!deepEqual(cm.binaryData ?? null, old.binaryData ?? null)) errs.push(forbiddenField(path('binaryData'), IMMUTABLE));
  }
  return [...errs, ...meta.create(), ...validateConfigMap(cm)];
}
