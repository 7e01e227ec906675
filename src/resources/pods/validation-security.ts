/**
 * Security contexts (pkg/apis/core/validation: validatePodSpecSecurityContext, validateSysctls,
 * ValidateHostSysctl, ValidateSecurityContext). Only the user/group ID ranges, the
 * shareProcessNamespace/hostPID conflict and sysctls are checked. In v1 hostNetwork / hostPID /
 * hostIPC live on the PodSpec, where the internal type keeps them in the security context.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, invalidValue, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, num, objList, str } from '../../apimachinery/json-fields.js';

const MAX_ID = 2147483647;
const ID_RANGE_MSG = `must be between 0 and ${MAX_ID}, inclusive`;

/** IsValidUserID / IsValidGroupID (both the int32 range, 0 included). */
function validateId(value: unknown, fld: FieldPath): FieldError[] {
  const id = num(value);
  return id !== undefined && (id < 0 || id > MAX_ID) ? [invalidValue(fld, id, ID_RANGE_MSG)] : [];
}

const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_FMT = `(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}`;
const SYSCTL_RE = new RegExp(`^${SYSCTL_FMT}$`);
const SYSCTL_MAX_LENGTH = 253;

/** IsValidSysctlName. */
export function isValidSysctlName(name: string): boolean {
  return name.length <= SYSCTL_MAX_LENGTH && SYSCTL_RE.test(name);
}

/**
 * The kernel namespace a sysctl belongs to (component-helpers' sysctl.GetNamespace), after the
 * slash-separated form is turned into the dotted one.
 */
function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  const dotted = normalizeSysctl(name);
  if (dotted === 'kernel.sem') return 'ipc';
  if (['kernel.shm', 'kernel.msg', 'fs.mqueue.'].some((p) => dotted.startsWith(p))) return 'ipc';
  if (dotted.startsWith('net.')) return 'net';
  return undefined;
}

/** sysctl.NormalizeName: a name whose first separator is '/' uses '/' for levels and '.' inside them. */
function normalizeSysctl(name: string): string {
  const firstSep = name.search(/[./]/);
  if (firstSep < 0 || name[firstSep] !== '/') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** validateSysctls (with ValidateHostSysctl, as AllowNamespacedSysctlsForHostNetAndHostIPC is off). */
function validateSysctls(spec: Obj, sysctls: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objList(sysctls).forEach((s, i) => {
    const at = fld.index(i).child('name');
    const name = str(s.name);
    if (name === '') errs.push(required(at));
    else if (!isValidSysctlName(name)) {
      errs.push(invalidValue(at, name, `must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ^${SYSCTL_FMT}$`));
    } else if (names.has(name)) errs.push(duplicate(at, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'net') errs.push(invalidValue(at, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(invalidValue(at, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

/** validatePodSpecSecurityContext (the parts listed above). */
export function validatePodSecurityContext(spec: Obj, fld: FieldPath): FieldError[] {
  // v1 defaulting always gives a Pod a (possibly empty) security context.
  const sc = asObj(spec.securityContext) ?? {};
  const errs = [
    ...validateId(sc.fsGroup, fld.child('fsGroup')),
    ...validateId(sc.runAsUser, fld.child('runAsUser')),
    ...validateId(sc.runAsGroup, fld.child('runAsGroup')),
  ];
  list(sc.supplementalGroups).forEach((g, i) => errs.push(...validateId(g, fld.child('supplementalGroups').index(i))));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalidValue(fld.child('shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  if (list(sc.sysctls).length > 0) errs.push(...validateSysctls(spec, sc.sysctls, fld.child('sysctls')));
  return errs;
}

/** ValidateSecurityContext of a container (user and group IDs). */
export function validateContainerSecurityContext(securityContext: unknown, fld: FieldPath): FieldError[] {
  const sc = asObj(securityContext);
  if (!sc) return [];
  return [...validateId(sc.runAsUser, fld.child('runAsUser')), ...validateId(sc.runAsGroup, fld.child('runAsGroup'))];
}
