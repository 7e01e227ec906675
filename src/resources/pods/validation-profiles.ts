/**
 * Seccomp and AppArmor profiles (pkg/apis/core/validation: validateSeccompProfileField,
 * validateSeccompProfileType, ValidateSeccompProfile, ValidateSeccompPodAnnotations,
 * validateSeccompAnnotationsAndFields, ValidateAppArmorProfileField, ValidateAppArmorPodAnnotations,
 * ValidateAppArmorProfileFormat, validateAppArmorAnnotationsAndFieldsMatchOnCreate): the fields of
 * pod and container security contexts, the deprecated annotations, and their agreement.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue, notSupported, required, tooLong } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateLocalDescendingPath } from './validation-volume-paths.js';
import { goQuote } from '../../apimachinery/go-quote.js';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
export const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const LOCALHOST_PREFIX = 'localhost/';
const RUNTIME_DEFAULT = 'runtime/default';
const DOCKER_DEFAULT = 'docker/default';
const UNCONFINED = 'unconfined';
/** PATH_MAX - 1, the longest AppArmor localhost profile name. */
const MAX_APPARMOR_PROFILE_LENGTH = 4095;
const FAKE_POINTER = '0xc000a3c0f8';

/** Go's %#v of a dereferenced *core.SeccompProfile (the pointer inside prints as an address). */
function goSeccompProfile(sp: Obj): { go: string } {
  const profile = unsetPtr(sp.localhostProfile) ? '(*string)(nil)' : `(*string)(${FAKE_POINTER})`;
  return { go: `core.SeccompProfile{Type:${goQuote(str(sp.type))}, LocalhostProfile:${profile}}` };
}

/** validateSeccompProfileField: a type is required; only Localhost takes (and needs) a localhostProfile. */
export function validateSeccompProfileField(profile: unknown, fld: FieldPath): FieldError[] {
  const sp = asObj(profile);
  if (!sp) return [];
  const errs: FieldError[] = [];
  const type = str(sp.type);
  if (type === '') errs.push(required(fld.child('type'), 'type is required when seccompProfile is set'));
  else if (!PROFILE_TYPES.includes(type)) errs.push(notSupported(fld.child('type'), type, PROFILE_TYPES));
  const localhost = fld.child('localhostProfile');
  if (type === 'Localhost') {
    if (unsetPtr(sp.localhostProfile)) errs.push(required(localhost, 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(str(sp.localhostProfile), localhost));
  } else if (!unsetPtr(sp.localhostProfile)) {
    errs.push(invalidValue(localhost, goSeccompProfile(sp), 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

/** ValidateAppArmorProfileField. */
export function validateAppArmorProfileField(profile: unknown, fld: FieldPath): FieldError[] {
  const p = asObj(profile);
  if (!p) return [];
  const errs: FieldError[] = [];
  const type = str(p.type);
  const localhost = fld.child('localhostProfile');
  if (type === 'Localhost') {
    if (unsetPtr(p.localhostProfile)) return [required(localhost, 'must be set when AppArmor type is Localhost')];
    const name = str(p.localhostProfile);
    if (name.trim() !== name) errs.push(invalidValue(localhost, name, 'must not be padded with whitespace'));
    else if (name === '') errs.push(required(localhost, 'must be set when AppArmor type is Localhost'));
    if (Buffer.byteLength(name) > MAX_APPARMOR_PROFILE_LENGTH) errs.push(tooLong(localhost, MAX_APPARMOR_PROFILE_LENGTH));
  } else if (type === 'RuntimeDefault' || type === 'Unconfined') {
    if (!unsetPtr(p.localhostProfile)) {
      errs.push(invalidValue(localhost, str(p.localhostProfile), 'can only be set when AppArmor type is Localhost'));
    }
  } else if (type === '') {
    errs.push(required(fld.child('type'), 'type is required when appArmorProfile is set'));
  } else {
    errs.push(notSupported(fld.child('type'), type, PROFILE_TYPES));
  }
  return errs;
}

/** ValidateSeccompProfile: the value of a seccomp annotation. */
function validateSeccompAnnotationValue(value: string, fld: FieldPath): FieldError[] {
  if (value === RUNTIME_DEFAULT || value === DOCKER_DEFAULT || value === UNCONFINED) return [];
  if (value.startsWith(LOCALHOST_PREFIX)) return validateLocalDescendingPath(value.slice(LOCALHOST_PREFIX.length), fld);
  return [invalidValue(fld, value, 'must be a valid seccomp profile')];
}

/** ValidateSeccompPodAnnotations (upstream walks a Go map: container keys come in no fixed order). */
export function validateSeccompAnnotations(annotations: Record<string, string>, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (SECCOMP_POD_ANNOTATION in annotations) {
    errs.push(...validateSeccompAnnotationValue(annotations[SECCOMP_POD_ANNOTATION], fld.child(SECCOMP_POD_ANNOTATION)));
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(SECCOMP_CONTAINER_PREFIX)) errs.push(...validateSeccompAnnotationValue(value, fld.child(key)));
  }
  return errs;
}

/** A container and its path, the path made only when a rule reports on it (most containers pass every rule). */
class ContainerAt {
  constructor(
    readonly c: Obj,
    private readonly specPath: FieldPath,
    private readonly key: string,
    private readonly i: number,
  ) {}

  get at(): FieldPath {
    return this.specPath.child(this.key).index(this.i);
  }
}

const CONTAINER_KEYS = ['initContainers', 'containers', 'ephemeralContainers'];

/** podshelper.VisitContainersWithPath: init, regular, then ephemeral containers. */
export function containersWithPath(spec: Obj, specPath: FieldPath): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const key of CONTAINER_KEYS) {
    const list = objList(spec[key]);
    for (let i = 0; i < list.length; i++) out.push(new ContainerAt(list[i], specPath, key, i));
  }
  return out;
}

/** ValidateAppArmorProfileFormat: the error text, or undefined for a valid annotation value. */
function appArmorAnnotationFormatError(value: string): string | undefined {
  if (value === '' || value === RUNTIME_DEFAULT || value === UNCONFINED || value.startsWith(LOCALHOST_PREFIX)) return undefined;
  return `invalid AppArmor profile name: ${goQuote(value)}`;
}

/** ValidateAppArmorPodAnnotations: each container annotation names a container and a valid profile. */
export function validateAppArmorAnnotations(annotations: Record<string, string>, spec: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let names: Set<string> | undefined; // the containers' names, once an annotation needs them
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(APPARMOR_CONTAINER_PREFIX)) continue;
    names ??= new Set(containersWithPath(spec, fld).map(({ c }) => str(c.name)));
    const container = key.slice(APPARMOR_CONTAINER_PREFIX.length);
    if (!names.has(container)) errs.push(invalidValue(fld.key(key), container, 'container not found'));
    const formatError = appArmorAnnotationFormatError(value);
    if (formatError) errs.push(invalidValue(fld.key(key), value, formatError));
  }
  return errs;
}

/** validateSeccompAnnotationsAndFieldsMatch. */
function seccompMismatch(annotation: string, profile: Obj, fld: FieldPath): FieldError[] {
  const mismatch = [forbiddenField(fld.child('type'), 'seccomp type in annotation and field must match')];
  switch (str(profile.type)) {
    case 'Unconfined':
      return annotation === UNCONFINED ? [] : mismatch;
    case 'RuntimeDefault':
      return annotation === RUNTIME_DEFAULT || annotation === DOCKER_DEFAULT ? [] : mismatch;
    case 'Localhost':
      if (!annotation.startsWith(LOCALHOST_PREFIX)) return mismatch;
      if (unsetPtr(profile.localhostProfile) || annotation.slice(LOCALHOST_PREFIX.length) !== str(profile.localhostProfile)) {
        return [forbiddenField(fld.child('localhostProfile'), 'seccomp profile in annotation and field must match')];
      }
      return [];
    default:
      return [];
  }
}

/** validateSeccompAnnotationsAndFields: where both an annotation and a field are set, they agree. */
export function validateSeccompAnnotationsAndFields(annotations: Record<string, string>, spec: Obj, specPath: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const podProfile = asObj(asObj(spec.securityContext)?.seccompProfile);
  if (podProfile && SECCOMP_POD_ANNOTATION in annotations) {
    errs.push(
      ...seccompMismatch(annotations[SECCOMP_POD_ANNOTATION], podProfile, specPath.child('securityContext').child('seccompProfile')),
    );
  }
  for (const container of containersWithPath(spec, specPath)) {
    const profile = asObj(asObj(container.c.securityContext)?.seccompProfile);
    const key = `${SECCOMP_CONTAINER_PREFIX}${str(container.c.name)}`;
    if (profile && key in annotations) {
      errs.push(...seccompMismatch(annotations[key], profile, container.at.child('securityContext').child('seccompProfile')));
    }
  }
  return errs;
}

/** validateAppArmorAnnotationsAndFieldsMatchOnCreate: a container's effective profile agrees with its annotation. */
export function validateAppArmorAnnotationsAndFields(annotations: Record<string, string>, spec: Obj, specPath: FieldPath): FieldError[] {
  if (str(asObj(spec.os)?.name) === 'windows') return [];
  const errs: FieldError[] = [];
  const podProfile = asObj(asObj(spec.securityContext)?.appArmorProfile);
  for (const container of containersWithPath(spec, specPath)) {
    const profile = asObj(asObj(container.c.securityContext)?.appArmorProfile) ?? podProfile;
    const key = `${APPARMOR_CONTAINER_PREFIX}${str(container.c.name)}`;
    if (!profile || !(key in annotations)) continue;
    const annotation = annotations[key];
    const fld = container.at.child('securityContext').child('appArmorProfile');
    const typeMismatch = forbiddenField(fld.child('type'), 'apparmor type in annotation and field must match');
    const type = str(profile.type);
    if (type === 'Unconfined' && annotation !== UNCONFINED) errs.push(typeMismatch);
    else if (type === 'RuntimeDefault' && annotation !== RUNTIME_DEFAULT) errs.push(typeMismatch);
    else if (type === 'Localhost') {
      if (!annotation.startsWith(LOCALHOST_PREFIX)) errs.push(typeMismatch);
      else if (unsetPtr(profile.localhostProfile) || annotation.slice(LOCALHOST_PREFIX.length) !== str(profile.localhostProfile)) {
        errs.push(forbiddenField(fld.child('localhostProfile'), 'apparmor profile in annotation and field must match'));
      }
    }
  }
  return errs;
}
