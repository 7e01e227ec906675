/**
 * Security contexts (pkg/apis/core/validation: validatePodSpecSecurityContext, validateSysctls,
 * ValidateHostSysctl, validateFSGroupChangePolicy, validateSupplementalGroupsPolicy,
 * validateSELinuxChangePolicy, ValidateSecurityContext, ValidateProcMountType, validateHostUsers).
 * In v1 hostNetwork / hostPID / hostIPC / hostUsers live on the PodSpec, where the internal type
 * keeps them in the security context. Seccomp and AppArmor are in validation-profiles.ts, Windows
 * options in validation-windows.ts.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, num, objList, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { validateAppArmorProfileField, validateSeccompProfileField } from './validation-profiles.js';
import { validateWindowsOptions } from './validation-windows.js';

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

const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];
const SUPPLEMENTAL_GROUPS_POLICIES = ['Merge', 'Strict'];
/** SELinuxMount is off in 1.33, so (AllowOnlyRecursiveSELinuxChangePolicy) only Recursive is accepted. */
const SELINUX_CHANGE_POLICIES = ['Recursive'];
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'];

function validateEnum(value: unknown, supported: string[], fld: FieldPath): FieldError[] {
  if (unsetPtr(value)) return [];
  const v = str(value);
  return supported.includes(v) ? [] : [notSupported(fld, v, supported)];
}

/** validatePodSpecSecurityContext. */
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
  errs.push(...validateEnum(sc.fsGroupChangePolicy, FS_GROUP_CHANGE_POLICIES, fld.child('fsGroupChangePolicy')));
  errs.push(...validateSeccompProfileField(sc.seccompProfile, fld.child('seccompProfile')));
  errs.push(...validateWindowsOptions(sc.windowsOptions, fld.child('windowsOptions')));
  errs.push(...validateAppArmorProfileField(sc.appArmorProfile, fld.child('appArmorProfile')));
  errs.push(...validateEnum(sc.supplementalGroupsPolicy, SUPPLEMENTAL_GROUPS_POLICIES, fld.child('supplementalGroupsPolicy')));
  errs.push(...validateEnum(sc.seLinuxChangePolicy, SELINUX_CHANGE_POLICIES, fld.child('seLinuxChangePolicy')));
  return errs;
}

/** hostUsers defaults to true: only an explicit false puts the pod in a user namespace. */
export const usesHostUsers = (spec: Obj): boolean => spec.hostUsers !== false;

/** validateHostUsers: a pod in its own user namespace may not share the host's other namespaces. */
export function validateHostUsers(spec: Obj, fld: FieldPath): FieldError[] {
  if (usesHostUsers(spec)) return [];
  const msg = 'when `pod.Spec.HostUsers` is false';
  const errs: FieldError[] = [];
  // Upstream's paths: hostNetwork, then the Go field names HostPID and HostIPC.
  if (spec.hostNetwork === true) errs.push(forbiddenField(fld.child('hostNetwork'), msg));
  if (spec.hostPID === true) errs.push(forbiddenField(fld.child('HostPID'), msg));
  if (spec.hostIPC === true) errs.push(forbiddenField(fld.child('HostIPC'), msg));
  return errs;
}

const SECURITY_CONTEXT_FIELDS: [string, string][] = [
  ['capabilities', '*core.Capabilities'],
  ['privileged', '*bool'],
  ['seLinuxOptions', '*core.SELinuxOptions'],
  ['windowsOptions', '*core.WindowsSecurityContextOptions'],
  ['runAsUser', '*int64'],
  ['runAsGroup', '*int64'],
  ['runAsNonRoot', '*bool'],
  ['readOnlyRootFilesystem', '*bool'],
  ['allowPrivilegeEscalation', '*bool'],
  ['procMount', '*core.ProcMountType'],
  ['seccompProfile', '*core.SeccompProfile'],
  ['appArmorProfile', '*core.AppArmorProfile'],
];
const FAKE_POINTER = '0xc000a3c100';

/** Go's %#v of a core.SecurityContext: every field a pointer, printed as an address or nil. */
function goSecurityContext(sc: Obj): { go: string } {
  const fields = SECURITY_CONTEXT_FIELDS.map(
    ([name, type]) => `${name[0].toUpperCase()}${name.slice(1)}:(${type})(${unsetPtr(sc[name]) ? 'nil' : FAKE_POINTER})`,
  );
  return { go: `core.SecurityContext{${fields.join(', ').replace('SeLinuxOptions', 'SELinuxOptions')}}` };
}

/** ValidateSecurityContext of a container (privileged containers are allowed, as with --allow-privileged). */
export function validateContainerSecurityContext(securityContext: unknown, hostUsers: boolean, fld: FieldPath): FieldError[] {
  const sc = asObj(securityContext);
  if (!sc) return [];
  const errs = [...validateId(sc.runAsUser, fld.child('runAsUser')), ...validateId(sc.runAsGroup, fld.child('runAsGroup'))];
  if (!unsetPtr(sc.procMount)) {
    const procMount = str(sc.procMount);
    errs.push(...validateEnum(procMount, PROC_MOUNT_TYPES, fld.child('procMount')));
    if (hostUsers && procMount === 'Unmasked') {
      errs.push(invalidValue(fld.child('procMount'), procMount, '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  errs.push(...validateSeccompProfileField(sc.seccompProfile, fld.child('seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(invalidValue(fld, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    for (const cap of list(asObj(sc.capabilities)?.add)) {
      if (cap === 'CAP_SYS_ADMIN') {
        errs.push(
          invalidValue(fld, goSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'),
        );
      }
    }
  }
  errs.push(...validateWindowsOptions(sc.windowsOptions, fld.child('windowsOptions')));
  errs.push(...validateAppArmorProfileField(sc.appArmorProfile, fld.child('appArmorProfile')));
  return errs;
}
