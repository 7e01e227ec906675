/**
 * Volume validation (pkg/apis/core/validation: ValidateVolumes, validateVolumeSource and the
 * common sources). Field paths, including upstream's odd ones, are reproduced as they are.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import { isDns1123Label, isDns1123Subdomain } from '../../apimachinery/validation/names.js';
import { VOLUME_SOURCE_KEYS } from './defaults.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, num, objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateObjectFieldSelector } from './validation-env.js';
import { validateLocalNonReservedPath, validatePathNoBacksteps } from './validation-volume-paths.js';
import { validateTrustBundleSource } from './validation-trust-bundle.js';
import { validateResourceFieldSelector } from './validation-resource-field-ref.js';

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** The path segment upstream uses for the "more than 1 volume type" error (two are misspelt there). */
const FORBIDDEN_CHILD: Record<string, string> = { downwardAPI: 'downwarAPI', cephfs: 'cephFS' };

function validateMode(mode: unknown, fld: FieldPath): FieldError[] {
  const m = num(mode);
  return m !== undefined && (m > 0o777 || m < 0) ? [invalidValue(fld, m, FILE_MODE_MSG)] : [];
}

function validateKeyToPath(kp: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(kp.key) === '') errs.push(required(fld.child('key')));
  if (str(kp.path) === '') errs.push(required(fld.child('path')));
  errs.push(...validateLocalNonReservedPath(str(kp.path), fld.child('path')));
  return errs.concat(validateMode(kp.mode, fld.child('mode')));
}

function validateItems(items: unknown, fld: FieldPath): FieldError[] {
  return objList(items).flatMap((kp, i) => validateKeyToPath(kp, fld.index(i)));
}

/** validateDownwardAPIVolumeFile; note that upstream passes the source path, not the item path. */
function validateDownwardAPIFile(file: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(file.path) === '') errs.push(required(fld.child('path')));
  errs.push(...validateLocalNonReservedPath(str(file.path), fld.child('path')));
  const fieldRef = asObj(file.fieldRef);
  if (fieldRef) {
    errs.push(...validateObjectFieldSelector(fieldRef, VOLUME_FIELD_PATHS, fld.child('fieldRef')));
    if (!unsetPtr(file.resourceFieldRef)) {
      errs.push(invalidValue(fld, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (!unsetPtr(file.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(asObj(file.resourceFieldRef) ?? {}, fld.child('resourceFieldRef'), true));
  } else {
    errs.push(required(fld, 'one of fieldRef and resourceFieldRef is required'));
  }
  return errs.concat(validateMode(file.mode, fld.child('mode')));
}

function validateProjected(projected: Obj, fld: FieldPath): FieldError[] {
  const errs = validateMode(projected.defaultMode, fld.child('defaultMode'));
  const paths = new Set<string>();
  const claimPath = (p: string, bad: string): void => {
    if (p === '') return;
    if (paths.has(p)) errs.push(invalidValue(fld, bad, 'conflicting duplicate paths'));
    else paths.add(p);
  };
  objList(projected.sources).forEach((source, i) => {
    const at = fld.child('sources').index(i);
    let count = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = asObj(source[kind]);
      if (!ref) continue;
      count++;
      if (str(ref.name) === '') errs.push(required(at.child(kind).child('name')));
      objList(ref.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, at.child(kind).child('items').index(j)));
        claimPath(str(kp.path), str(ref.name));
      });
    }
    const dapi = asObj(source.downwardAPI);
    if (dapi) {
      count++;
      for (const file of objList(dapi.items)) {
        errs.push(...validateDownwardAPIFile(file, at.child('downwardAPI')));
        claimPath(str(file.path), str(file.path));
      }
    }
    const token = asObj(source.serviceAccountToken);
    if (token) {
      count++;
      const expiration = num(token.expirationSeconds) ?? 0;
      const expPath = at.child('serviceAccountToken').child('expirationSeconds');
      if (expiration < 600) errs.push(invalidValue(expPath, expiration, 'may not specify a duration less than 10 minutes'));
      if (expiration > 2 ** 32) errs.push(invalidValue(expPath, expiration, 'may not specify a duration larger than 2^32 seconds'));
      if (str(token.path) === '') errs.push(required(fld.child('path')));
      else errs.push(...validateLocalNonReservedPath(str(token.path), fld.child('path')));
    }
    const bundle = asObj(source.clusterTrustBundle);
    if (bundle) {
      count++;
      errs.push(...validateTrustBundleSource(bundle, at.child('clusterTrustBundle'), fld, paths));
    }
    if (count > 1) errs.push(forbiddenField(at, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

/** The checks of one source kind (only the kinds a normal manifest uses are looked into). */
function validateSource(kind: string, source: Obj, fld: FieldPath): FieldError[] {
  switch (kind) {
    case 'hostPath': {
      const p = str(source.path);
      if (p === '') return [required(fld.child('path'))];
      const errs = validatePathNoBacksteps(p, fld.child('path'));
      if (!unsetPtr(source.type) && !HOST_PATH_TYPES.includes(str(source.type))) {
        errs.push(notSupported(fld.child('type'), str(source.type), HOST_PATH_TYPES));
      }
      return errs;
    }
    case 'secret': {
      const errs = str(source.secretName) === '' ? [required(fld.child('secretName'))] : [];
      return errs.concat(validateMode(source.defaultMode, fld.child('defaultMode')), validateItems(source.items, fld.child('items')));
    }
    case 'configMap': {
      const errs = str(source.name) === '' ? [required(fld.child('name'))] : [];
      return errs.concat(validateMode(source.defaultMode, fld.child('defaultMode')), validateItems(source.items, fld.child('items')));
    }
    case 'downwardAPI':
      return validateMode(source.defaultMode, fld.child('defaultMode')).concat(
        objList(source.items).flatMap((file) => validateDownwardAPIFile(file, fld)),
      );
    case 'projected':
      return validateProjected(source, fld);
    case 'persistentVolumeClaim':
      return str(source.claimName) === '' ? [required(fld.child('claimName'))] : [];
    case 'nfs': {
      const errs: FieldError[] = [];
      if (str(source.server) === '') errs.push(required(fld.child('server')));
      if (str(source.path) === '') errs.push(required(fld.child('path')));
      if (!str(source.path).startsWith('/')) errs.push(invalidValue(fld.child('path'), str(source.path), 'must be an absolute path'));
      return errs;
    }
    case 'ephemeral':
      return unsetPtr(source.volumeClaimTemplate) ? [required(fld.child('volumeClaimTemplate'))] : [];
    case 'csi': {
      const driver = str(source.driver);
      const errs: FieldError[] = driver === '' ? [required(fld.child('driver'))] : [];
      for (const msg of isDns1123Subdomain(driver.toLowerCase())) errs.push(invalidValue(fld.child('driver'), driver, msg));
      return errs;
    }
    default:
      return [];
  }
}

/** validateVolumeSource: exactly one source. */
function validateVolumeSource(v: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of VOLUME_SOURCE_KEYS) {
    if (unsetPtr(v[kind])) continue;
    if (count > 0) {
      errs.push(forbiddenField(fld.child(FORBIDDEN_CHILD[kind] ?? kind), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSource(kind, asObj(v[kind]) ?? {}, fld.child(kind)));
  }
  if (count === 0) errs.push(required(fld, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: the errors and the names of the volumes that are valid (mounts may refer to those only). */
export function validateVolumes(volumes: unknown, fld: FieldPath): { names: Set<string>; sources: Map<string, Obj>; errs: FieldError[] } {
  const names = new Set<string>();
  const sources = new Map<string, Obj>();
  const errs: FieldError[] = [];
  objList(volumes).forEach((v, i) => {
    const at = fld.index(i);
    const name = str(v.name);
    const el = validateVolumeSource(v, at);
    if (name === '') el.push(required(at.child('name')));
    else for (const msg of isDns1123Label(name)) el.push(invalidValue(at.child('name'), name, msg));
    if (names.has(name)) el.push(duplicate(at.child('name'), name));
    if (el.length === 0) {
      names.add(name);
      sources.set(name, v);
    } else {
      errs.push(...el);
    }
  });
  return { names, sources, errs };
}
