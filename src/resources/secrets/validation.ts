/**
 * ValidateSecret / ValidateSecretUpdate: valid keys, at most 1 MiB of values, the keys (or annotation)
 * each built-in type requires, a type that never changes, and frozen data once `immutable` is true.
 */
import { deepEqual } from '../../apimachinery/object.js';
import { forbiddenField, immutable, invalidValue, path, required, tooLong, type FieldError } from '../../apimachinery/field-errors.js';
import { isConfigMapKey } from '../../apimachinery/validation/names.js';
import type { ObjectMetaChecks } from '../../registry/resource-definition.js';
import type { Secret } from './schema.js';

/** corev1.MaxSecretSize: the bytes of every value together. */
const MAX_SECRET_BYTES = 1024 * 1024;

const IMMUTABLE = 'field is immutable when `immutable` is set';
const SERVICE_ACCOUNT_NAME = 'kubernetes.io/service-account.name';
const REDACTED = '<secret contents redacted>';

const DATA = path('data');

/** Go's json.Unmarshal into a map: the error text when `bytes` is not a JSON object, else undefined. */
function jsonObjectError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const first = text.trimStart()[0];
    if (first === undefined) return 'unexpected end of JSON input';
    if (!/[-0-9"{[tfn]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
    // Go words a fault inside a value by where it is; this is only its general form.
    return 'unexpected end of JSON input';
  }
  if (value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
  const what = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
  return `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`;
}

/** The key a type requires to hold a JSON object (.dockercfg, .dockerconfigjson). */
function requireJsonKey(data: Record<string, string>, key: string): FieldError[] {
  if (!Object.hasOwn(data, key)) return [required(DATA.key(key))];
  const why = jsonObjectError(Buffer.from(data[key], 'base64'));
  return why ? [invalidValue(DATA.key(key), REDACTED, why)] : [];
}

function validateType(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const has = (key: string) => Object.hasOwn(data, key);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.[SERVICE_ACCOUNT_NAME]
        ? []
        : [required(path('metadata', 'annotations').key(SERVICE_ACCOUNT_NAME))];
    case 'kubernetes.io/dockercfg':
      return requireJsonKey(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return requireJsonKey(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required(DATA.key('username')), required(DATA.key('password'))];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required(DATA.key('ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required(DATA.key('tls.crt'))]), ...(has('tls.key') ? [] : [required(DATA.key('tls.key'))])];
    default:
      return [];
  }
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(DATA.key(key), key, msg));
    total += Buffer.from(secret.data![key], 'base64').length;
  }
  if (total > MAX_SECRET_BYTES) errs.push(tooLong(DATA, MAX_SECRET_BYTES));
  return [...errs, ...validateType(secret)];
}

/** ValidateSecretUpdate: ValidateObjectMetaUpdate, type and `immutable` rules, then ValidateSecret (ObjectMeta first). */
export function validateSecretUpdate(secret: Secret, old: Secret, meta: ObjectMetaChecks): FieldError[] {
  const errs = meta.update();
  if (secret.type !== old.type) errs.push(immutable(path('type'), secret.type));
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(forbiddenField(path('immutable'), IMMUTABLE));
    if (!deepEqual(secret.data ?? null, old.data ?? null)) errs.push(forbiddenField(DATA, IMMUTABLE));
  }
  return [...errs, ...meta.create(), ...validateSecret(secret)];
}
