/**
 * The non-address rules of ValidatePodStatusUpdate (pkg/apis/core/validation: validatePodConditions,
 * ValidateContainerStateTransition, ValidateInitContainerStateTransition,
 * validateContainerStatusUsers, validateLinuxContainerUser): custom condition types, the nominated
 * node, the immutable QoS class, terminated containers that may not run again, and the reported
 * container users.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, immutable, invalidValue, path } from '../../apimachinery/field-errors.js';
import { isDns1123Subdomain, isQualifiedName } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, num, objList, str } from '../../apimachinery/json-fields.js';

const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);
const MAX_ID = 2147483647;

/** validatePodConditions. Upstream passes it `metadata.conditions` (sic), and names the field `Type`. */
function validatePodConditions(status: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const conditions = objList(status.conditions);
  for (let i = 0; i < conditions.length; i++) {
    const type = str(conditions[i].type);
    if (SYSTEM_CONDITIONS.has(type)) continue;
    for (const msg of isQualifiedName(type)) errs.push(invalidValue(path('metadata', 'conditions').index(i).child('Type'), type, msg));
  }
  return errs;
}

const terminated = (s: Obj): Obj | undefined => asObj(asObj(s.state)?.terminated);

/**
 * ValidateContainerStateTransition / ValidateInitContainerStateTransition (for a pod that does not
 * restart always): a container that terminated (successfully, under OnFailure) may not leave that
 * state. `restartable` says which init containers are sidecars (restartPolicy Always).
 */
function validateStateTransitions(
  next: unknown,
  prev: unknown,
  restartPolicy: string,
  restartable: (name: string) => boolean,
  key: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const nextStatuses = objList(next);
  objList(prev).forEach((old, i) => {
    const term = terminated(old);
    if (!term) return;
    if ((num(term.exitCode) ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable(str(old.name))) return;
    for (const s of nextStatuses) {
      if (str(s.name) === str(old.name) && !terminated(s)) {
        errs.push(forbiddenField(path('status', key).index(i).child('state'), 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function validateId(value: unknown, fld: FieldPath): FieldError[] {
  const id = num(value) ?? 0;
  return id < 0 || id > MAX_ID ? [invalidValue(fld, id, `must be between 0 and ${MAX_ID}, inclusive`)] : [];
}

/** validateContainerStatusUsers. Upstream's path leaves out `user`: `…containerStatuses[i].linux`. */
function validateContainerStatusUsers(statuses: unknown, os: string, key: string): FieldError[] {
  const errs: FieldError[] = [];
  objList(statuses).forEach((s, i) => {
    const user = asObj(s.user);
    if (!user) return;
    const linux = asObj(user.linux);
    const at = path('status', key).index(i).child('linux');
    if (os === 'windows') {
      if (linux) errs.push(forbiddenField(at, 'cannot be set for a windows pod'));
      return;
    }
    if (os !== 'linux' || !linux) return;
    errs.push(...validateId(linux.uid, at.child('uid')), ...validateId(linux.gid, at.child('gid')));
    list(linux.supplementalGroups).forEach((g, j) => errs.push(...validateId(g, at.child('supplementalGroups').index(j))));
  });
  return errs;
}

/** The rules above, in ValidatePodStatusUpdate's order up to (not including) the address checks. */
export function validateStatusBeforeIPs(spec: Obj, status: Obj, oldSpec: Obj, oldStatus: Obj): FieldError[] {
  const errs = validatePodConditions(status);
  const nominated = str(status.nominatedNodeName);
  if (nominated !== str(oldStatus.nominatedNodeName) && nominated !== '') {
    for (const msg of isDns1123Subdomain(nominated)) errs.push(invalidValue(path('status', 'nominatedNodeName'), nominated, msg));
  }
  if (str(status.qosClass) !== str(oldStatus.qosClass)) errs.push(immutable(path('status', 'qosClass'), str(status.qosClass)));
  const restartPolicy = str(oldSpec.restartPolicy);
  const never = () => false;
  // A pod that restarts always may restart any container; ephemeral containers never restart.
  if (restartPolicy !== 'Always') {
    const isSidecar = (name: string) => objList(oldSpec.initContainers).some((c) => c.restartPolicy === 'Always' && str(c.name) === name);
    errs.push(
      ...validateStateTransitions(status.containerStatuses, oldStatus.containerStatuses, restartPolicy, never, 'containerStatuses'),
    );
    errs.push(
      ...validateStateTransitions(
        status.initContainerStatuses,
        oldStatus.initContainerStatuses,
        restartPolicy,
        isSidecar,
        'initContainerStatuses',
      ),
    );
  }
  if (status.ephemeralContainerStatuses !== undefined)
    errs.push(
      ...validateStateTransitions(
        status.ephemeralContainerStatuses,
        oldStatus.ephemeralContainerStatuses,
        'Never',
        never,
        'ephemeralContainerStatuses',
      ),
    );
  return errs;
}

/** The container users, checked after the addresses. */
export function validateStatusUsers(spec: Obj, status: Obj): FieldError[] {
  const os = asObj(spec.os) ? str(asObj(spec.os)?.name) : 'linux';
  const errs: FieldError[] = [];
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'])
    if (status[key] !== undefined) errs.push(...validateContainerStatusUsers(status[key], os, key));
  return errs;
}
