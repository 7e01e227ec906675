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
  const fld = path('metadata', 'conditions');
  return objList(status.conditions).flatMap((c, i) => {
    const type = str(c.type);
    if (SYSTEM_CONDITIONS.has(type)) return [];
    return isQualifiedName(type).map((msg) => invalidValue(fld.index(i).child('Type'), type, msg));
  });
}

const terminated = (s: Obj): Obj | undefined => asObj(asObj(s.state)?.terminated);

/**
 * ValidateContainerStateTransition / ValidateInitContainerStateTransition: unless the pod restarts
 * always, a container that terminated (successfully, under OnFailure) may not leave that state.
 * `restartable` names the init containers that are sidecars (restartPolicy Always).
 */
function validateStateTransitions(
  next: unknown,
  prev: unknown,
  restartPolicy: string,
  restartable: Set<string>,
  fld: FieldPath,
): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  const nextStatuses = objList(next);
  objList(prev).forEach((old, i) => {
    const term = terminated(old);
    if (!term) return;
    if ((num(term.exitCode) ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(str(old.name))) return;
    for (const s of nextStatuses) {
      if (str(s.name) === str(old.name) && !terminated(s)) {
        errs.push(forbiddenField(fld.index(i).child('state'), 'may not be transitioned to non-terminated state'));
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
function validateContainerStatusUsers(statuses: unknown, os: string, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(statuses).forEach((s, i) => {
    const user = asObj(s.user);
    if (!user) return;
    const linux = asObj(user.linux);
    const at = fld.index(i).child('linux');
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
  const fld = path('status');
  const nominated = str(status.nominatedNodeName);
  if (nominated !== str(oldStatus.nominatedNodeName) && nominated !== '') {
    for (const msg of isDns1123Subdomain(nominated)) errs.push(invalidValue(fld.child('nominatedNodeName'), nominated, msg));
  }
  if (str(status.qosClass) !== str(oldStatus.qosClass)) errs.push(immutable(fld.child('qosClass'), str(status.qosClass)));
  const restartPolicy = str(oldSpec.restartPolicy);
  const sidecars = new Set(
    objList(oldSpec.initContainers)
      .filter((c) => c.restartPolicy === 'Always')
      .map((c) => str(c.name)),
  );
  errs.push(
    ...validateStateTransitions(
      status.containerStatuses,
      oldStatus.containerStatuses,
      restartPolicy,
      new Set(),
      fld.child('containerStatuses'),
    ),
  );
  errs.push(
    ...validateStateTransitions(
      status.initContainerStatuses,
      oldStatus.initContainerStatuses,
      restartPolicy,
      sidecars,
      fld.child('initContainerStatuses'),
    ),
  );
  errs.push(
    ...validateStateTransitions(
      status.ephemeralContainerStatuses,
      oldStatus.ephemeralContainerStatuses,
      'Never',
      new Set(),
      fld.child('ephemeralContainerStatuses'),
    ),
  );
  return errs;
}

/** The container users, checked after the addresses. */
export function validateStatusUsers(spec: Obj, status: Obj): FieldError[] {
  const os = asObj(spec.os) ? str(asObj(spec.os)?.name) : 'linux';
  return ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'].flatMap((key) =>
    validateContainerStatusUsers(status[key], os, path('status').child(key)),
  );
}
