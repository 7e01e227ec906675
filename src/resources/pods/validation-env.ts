/**
 * Container environment validation (ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom,
 * validateObjectFieldSelector). A resourceFieldRef follows the downward API volume rules (same
 * resources, hugepages prefixes and divisors) except that its containerName may be empty (the
 * container itself); 1.33 checks nothing else of that name. Variable names follow the relaxed rule that is the default since
 * the RelaxedEnvironmentVariableValidation gate went on (printable ASCII except '=').
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import { isConfigMapKey, isDns1123Subdomain, isQualifiedName, maskTrailingDash } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, objList, str } from '../../apimachinery/json-fields.js';
import { validateResourceFieldSelector } from './validation-resource-field-ref.js';

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** The labels ConvertDownwardAPIFieldLabel accepts for v1 pods. */
const DOWNWARD_API_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** IsRelaxedEnvVarName. */
export function isEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

/** fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['x']" → ["metadata.labels", "x"]. */
function splitSubscript(p: string): [string, string] | undefined {
  if (!p.endsWith("']")) return undefined;
  const s = p.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** validateObjectFieldSelector for env vars and downward API volume files. */
export function validateObjectFieldSelector(fs: Obj, allowed: string[], fld: FieldPath): FieldError[] {
  const apiVersion = str(fs.apiVersion);
  const fieldPath = str(fs.fieldPath);
  if (apiVersion === '') return [required(fld.child('apiVersion'))];
  if (fieldPath === '') return [required(fld.child('fieldPath'))];
  let conversionError = '';
  const sub = splitSubscript(fieldPath);
  if (apiVersion !== 'v1') conversionError = `unsupported pod version: ${apiVersion}`;
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') {
    conversionError = `field label does not support subscript: ${fieldPath}`;
  } else if (!sub && !DOWNWARD_API_LABELS.has(fieldPath)) conversionError = `field label not supported: ${fieldPath}`;
  if (conversionError) return [invalidValue(fld.child('fieldPath'), fieldPath, `error converting fieldPath: ${conversionError}`)];
  if (sub) {
    const key = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return isQualifiedName(key).map((msg) => invalidValue(fld, key, msg));
  }
  if (!allowed.includes(fieldPath)) return [notSupported(fld.child('fieldPath'), fieldPath, allowed)];
  return [];
}

function validateKeySelector(sel: Obj, fld: FieldPath): FieldError[] {
  const name = str(sel.name);
  const errs = isDns1123Subdomain(name).map((msg) => invalidValue(fld.child('name'), name, msg));
  const key = str(sel.key);
  if (key === '') errs.push(required(fld.child('key')));
  else for (const msg of isConfigMapKey(key)) errs.push(invalidValue(fld.child('key'), key, msg));
  return errs;
}

function validateValueFrom(env: Obj, fld: FieldPath): FieldError[] {
  const vf = asObj(env.valueFrom);
  if (!vf) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  const fieldRef = asObj(vf.fieldRef);
  if (fieldRef) {
    sources++;
    errs.push(...validateObjectFieldSelector(fieldRef, ENV_FIELD_PATHS, fld.child('fieldRef')));
  }
  const resourceFieldRef = asObj(vf.resourceFieldRef);
  if (resourceFieldRef) {
    sources++;
    errs.push(...validateResourceFieldSelector(resourceFieldRef, fld.child('resourceFieldRef'), false));
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef']) {
    const sel = asObj(vf[kind]);
    if (!sel) continue;
    sources++;
    errs.push(...validateKeySelector(sel, fld.child(kind)));
  }
  if (sources === 0) {
    errs.push(invalidValue(fld, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(env.value) !== '') {
    errs.push(invalidValue(fld, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalidValue(fld, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** ValidateEnv. */
export function validateEnv(env: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(env).forEach((e, i) => {
    const at = fld.index(i);
    const name = str(e.name);
    if (name === '') errs.push(required(at.child('name')));
    else for (const msg of isEnvVarName(name)) errs.push(invalidValue(at.child('name'), name, msg));
    errs.push(...validateValueFrom(e, at.child('valueFrom')));
  });
  return errs;
}

/** ValidateEnvFrom; note that upstream reports a missing source on the list path, not the item. */
export function validateEnvFrom(envFrom: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(envFrom).forEach((e, i) => {
    const at = fld.index(i);
    const prefix = str(e.prefix);
    if (prefix !== '') for (const msg of isEnvVarName(prefix)) errs.push(invalidValue(at.child('prefix'), prefix, msg));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef']) {
      const ref = asObj(e[kind]);
      if (!ref) continue;
      sources++;
      const name = str(ref.name);
      if (name === '') errs.push(required(at.child(kind).child('name')));
      else for (const msg of isDns1123Subdomain(maskTrailingDash(name))) errs.push(invalidValue(at.child(kind).child('name'), name, msg));
    }
    if (sources === 0) errs.push(invalidValue(fld, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalidValue(fld, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
