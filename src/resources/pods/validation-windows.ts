/**
 * Windows options and the pod OS (pkg/apis/core/validation: validateWindowsSecurityContextOptions,
 * validateWindowsHostProcessPod, validateOS, validateLinux, validateWindows). In v1 the host
 * namespaces, hostUsers and shareProcessNamespace live on the PodSpec, where the internal type keeps
 * them in the pod security context; the paths are upstream's either way.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import { isDns1123Subdomain } from '../../apimachinery/validation/names.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, str, unsetPtr } from '../../apimachinery/json-fields.js';
import { containersWithPath } from './validation-profiles.js';

const MAX_GMSA_SPEC_KIB = 64;
const MAX_DOMAIN_LENGTH = 256;
const MAX_USER_LENGTH = 104;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
const NETBIOS_DOMAIN = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/u;
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const DNS_DOMAIN = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const BAD_USER_CHARS = /["/\\:;|=,+*?<>@[\]]/;
const ONLY_DOTS_AND_SPACES = /^[. ]+$/;
const bytes = (s: string): number => Buffer.byteLength(s);

/** The problems of a runAsUserName, in upstream's order. */
function runAsUserNameErrors(name: string): string[] {
  if (name === '') return ['runAsUserName cannot be an empty string'];
  if (CONTROL_CHARS.test(name)) return ['runAsUserName cannot contain control characters'];
  const parts = name.split('\\');
  if (parts.length > 2) return ['runAsUserName cannot contain more than one backslash'];
  const [domain, user] = parts.length === 1 ? ['', parts[0]] : parts;
  const msgs: string[] = [];
  if (bytes(domain) >= MAX_DOMAIN_LENGTH) msgs.push(`runAsUserName's Domain length must be under ${MAX_DOMAIN_LENGTH} characters`);
  if (parts.length === 2 && !NETBIOS_DOMAIN.test(domain) && !DNS_DOMAIN.test(domain)) {
    msgs.push("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
  }
  if (user === '') msgs.push("runAsUserName's User cannot be empty");
  else if (bytes(user) > MAX_USER_LENGTH) msgs.push(`runAsUserName's User length must not be longer than ${MAX_USER_LENGTH} characters`);
  if (ONLY_DOTS_AND_SPACES.test(user)) msgs.push("runAsUserName's User cannot contain only periods or spaces");
  if (BAD_USER_CHARS.test(user)) msgs.push(`runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`);
  return msgs;
}

/** validateWindowsSecurityContextOptions. */
export function validateWindowsOptions(options: unknown, fld: FieldPath): FieldError[] {
  const o = asObj(options);
  if (!o) return [];
  const errs: FieldError[] = [];
  if (!unsetPtr(o.gmsaCredentialSpecName)) {
    const name = str(o.gmsaCredentialSpecName);
    for (const msg of isDns1123Subdomain(name)) errs.push(invalidValue(fld.child('gmsaCredentialSpecName'), name, msg));
  }
  if (!unsetPtr(o.gmsaCredentialSpec)) {
    const spec = str(o.gmsaCredentialSpec);
    const at = fld.child('gmsaCredentialSpec');
    if (spec === '') errs.push(invalidValue(at, spec, 'gmsaCredentialSpec cannot be an empty string'));
    else if (bytes(spec) > MAX_GMSA_SPEC_KIB * 1024) {
      errs.push(invalidValue(at, spec, `gmsaCredentialSpec size must be under ${MAX_GMSA_SPEC_KIB} KiB`));
    }
  }
  if (!unsetPtr(o.runAsUserName)) {
    const name = str(o.runAsUserName);
    for (const msg of runAsUserNameErrors(name)) errs.push(invalidValue(fld.child('runAsUserName'), name, msg));
  }
  return errs;
}

const hostProcessOf = (sc: unknown): boolean | undefined => {
  const v = asObj(asObj(sc)?.windowsOptions)?.hostProcess;
  return typeof v === 'boolean' ? v : undefined;
};

/** validateWindowsHostProcessPod: all containers or none are HostProcess ones, and they need hostNetwork. */
export function validateWindowsHostProcessPod(spec: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const podHostProcess = hostProcessOf(spec.securityContext);
  const containers = containersWithPath(spec, fld);
  let hostProcessCount = 0;
  for (const container of containers) {
    const own = hostProcessOf(container.c.securityContext);
    if (podHostProcess !== undefined && own !== undefined && own !== podHostProcess) {
      errs.push(
        invalidValue(
          container.at.child('securityContext').child('windowsOptions').child('hostProcess'),
          own,
          `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`,
        ),
      );
    }
    if (own ?? podHostProcess) hostProcessCount++;
  }
  if (hostProcessCount > 0) {
    if (hostProcessCount !== containers.length) {
      errs.push(invalidValue(fld, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
    }
    if (spec.hostNetwork !== true) {
      errs.push(invalidValue(fld.child('hostNetwork'), false, 'hostNetwork must be true if pod contains any hostProcess containers'));
    }
  }
  return errs;
}

const OS_NAMES = ['linux', 'windows'];
const NOT_FOR_WINDOWS = 'cannot be set for a windows pod';

/** validateLinux: no Windows options anywhere. */
function validateLinux(spec: Obj, fld: FieldPath): FieldError[] {
  const msg = 'windows options cannot be set for a linux pod';
  const errs: FieldError[] = [];
  if (!unsetPtr(asObj(spec.securityContext)?.windowsOptions)) {
    errs.push(forbiddenField(fld.child('securityContext').child('windowsOptions'), msg));
  }
  for (const container of containersWithPath(spec, fld)) {
    if (!unsetPtr(asObj(container.c.securityContext)?.windowsOptions))
      errs.push(forbiddenField(container.at.child('securityContext').child('windowsOptions'), msg));
  }
  return errs;
}

const POD_LINUX_ONLY: [string, boolean][] = [
  // [field, lives on the PodSpec in v1 (and in upstream's path)]
  ['appArmorProfile', false],
  ['seLinuxOptions', false],
  ['hostUsers', true],
  ['hostPID', true],
  ['hostIPC', true],
  ['seccompProfile', false],
  ['fsGroup', false],
  ['fsGroupChangePolicy', false],
  ['sysctls', false],
  ['shareProcessNamespace', true],
  ['runAsUser', false],
  ['runAsGroup', false],
  ['supplementalGroups', false],
  ['supplementalGroupsPolicy', false],
  ['seLinuxChangePolicy', false],
];
const CONTAINER_LINUX_ONLY = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

/** Whether a pod-level Linux-only field counts as set (bools must be true, sysctls non-empty). */
function podFieldSet(spec: Obj, sc: Obj, name: string, onSpec: boolean): boolean {
  const v = onSpec ? spec[name] : sc[name];
  if (name === 'hostPID' || name === 'hostIPC') return v === true;
  if (name === 'sysctls') return list(v).length > 0;
  return !unsetPtr(v);
}

/** validateWindows: Linux-only security settings are forbidden. */
function validateWindows(spec: Obj, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const sc = asObj(spec.securityContext) ?? {};
  for (const [name, onSpec] of POD_LINUX_ONLY) {
    if (podFieldSet(spec, sc, name, onSpec)) {
      errs.push(forbiddenField(onSpec ? fld.child(name) : fld.child('securityContext').child(name), NOT_FOR_WINDOWS));
    }
  }
  for (const container of containersWithPath(spec, fld)) {
    const csc = asObj(container.c.securityContext);
    if (!csc) continue;
    for (const name of CONTAINER_LINUX_ONLY) {
      if (!unsetPtr(csc[name])) errs.push(forbiddenField(container.at.child('securityContext').child(name), NOT_FOR_WINDOWS));
    }
  }
  return errs;
}

/** validateOS, then validateLinux or validateWindows for a valid name. */
export function validatePodOS(spec: Obj, fld: FieldPath): FieldError[] {
  const os = asObj(spec.os);
  if (!os) return [];
  const name = str(os.name);
  if (name === '') return [required(fld.child('os').child('name'), 'cannot be empty')];
  if (!OS_NAMES.includes(name)) return [notSupported(fld.child('os'), name, OS_NAMES)];
  return name === 'linux' ? validateLinux(spec, fld) : validateWindows(spec, fld);
}
