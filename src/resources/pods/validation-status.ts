/**
 * ValidatePodStatusUpdate: the pod status IP checks (pkg/apis/core/validation: validatePodIPs,
 * validateHostIPs) here, the other rules in validation-container-statuses.ts. They run on the internal PodStatus, whose lists the v1 conversion derives: when
 * podIP (hostIP) is set and podIPs (hostIPs) is empty or starts with another address, the list
 * becomes [podIP] ([hostIP]).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { duplicate, internalError, invalidValue, path } from '../../apimachinery/field-errors.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, objList, specObj, str } from '../../apimachinery/json-fields.js';
import { annotationsOf, validDeletionCost, validatePodSpecificAnnotationUpdates } from './validation-annotations.js';
import { validateStatusBeforeIPs, validateStatusUsers } from './validation-container-statuses.js';
import { dualStackIPs, isValidIPSloppy, validateIPForLegacyField } from '../../apimachinery/validation/ip.js';
import { goQuote } from '../../apimachinery/go-quote.js';

/** The internal list (core.PodStatus.PodIPs / HostIPs) the v1 conversion makes of `single` and `many`. */
export function convertedIPs(single: string, many: Obj[]): string[] {
  const ips = many.map((p) => str(p.ip));
  if (single !== '' && (ips.length === 0 || ips[0] !== single)) return [single];
  return ips;
}

const goIPStruct = (type: string, ip: string) => `core.${type}{IP:${goQuote(ip)}}`;

/** The checks shared by pod and host IP lists: one address per family, no duplicates. */
function validateIPList(ips: string[], type: string, fld: FieldPath, duplicatesFirst: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const dups: FieldError[] = [];
  const seen = new Set<string>();
  ips.forEach((ip, i) => {
    if (seen.has(ip)) dups.push(duplicate(fld.index(i), { go: goIPStruct(type, ip) }));
    seen.add(ip);
  });
  const family: FieldError[] = [];
  const { dual, error } = dualStackIPs(ips);
  if (error) family.push(internalError(fld, `failed to check for dual stack with error:${error}`));
  if (!dual || ips.length > 2) {
    const all = `[]core.${type}{${ips.map((ip) => goIPStruct(type, ip)).join(', ')}}`;
    family.push(invalidValue(fld, { go: all }, 'may specify no more than one IP for each IP family'));
  }
  return duplicatesFirst ? [...errs, ...dups, ...family] : [...errs, ...family, ...dups];
}

/** validateIPForLegacyField of each address, appended to `errs`: an item's path is spelled only for a bad address (every status write checks these). */
function pushLegacyIPErrors(errs: FieldError[], fld: FieldPath, ips: readonly string[]): void {
  for (let i = 0; i < ips.length; i++) if (!isValidIPSloppy(ips[i])) errs.push(...validateIPForLegacyField(fld.index(i), ips[i]));
}

/** validatePodIPs. */
export function validatePodIPs(status: Obj): FieldError[] {
  const ips = convertedIPs(str(status.podIP), objList(status.podIPs));
  if (ips.length === 0) return [];
  const fld = path('status', 'podIPs');
  const errs: FieldError[] = [];
  pushLegacyIPErrors(errs, fld, ips);
  if (ips.length > 1) errs.push(...validateIPList(ips, 'PodIP', fld, false));
  return errs;
}

/** validateHostIPs. */
export function validateHostIPs(status: Obj): FieldError[] {
  const hostIP = str(status.hostIP);
  const ips = convertedIPs(hostIP, objList(status.hostIPs));
  if (ips.length === 0) return [];
  const fld = path('status', 'hostIPs');
  const errs: FieldError[] = [];
  if (hostIP !== ips[0]) errs.push(invalidValue(fld.index(0).child('ip'), ips[0], 'must be equal to `hostIP`'));
  pushLegacyIPErrors(errs, fld, ips);
  if (ips.length > 1) errs.push(...validateIPList(ips, 'HostIP', fld, true));
  return errs;
}

/** ValidatePodStatusUpdate (everything but ObjectMeta), for the pods/status strategy's validateUpdate. */
export function validatePodStatusUpdate(pod: KubeObject, old?: KubeObject): FieldError[] {
  const status = asObj((pod as { status?: unknown }).status) ?? {};
  const spec = specObj(pod);
  const errs: FieldError[] = [];
  if (old) {
    const opts = { allowInvalidDeletionCost: !validDeletionCost(annotationsOf(old)) };
    errs.push(...validatePodSpecificAnnotationUpdates(annotationsOf(pod), annotationsOf(old), spec, path('metadata', 'annotations'), opts));
    const oldStatus = asObj((old as { status?: unknown }).status) ?? {};
    errs.push(...validateStatusBeforeIPs(spec, status, specObj(old), oldStatus));
  }
  return [...errs, ...validatePodIPs(status), ...validateHostIPs(status), ...validateStatusUsers(spec, status)];
}
