/**
 * The warnings of a pods/status write (the pod status strategy's WarningsOnUpdate, 1.33): pod and
 * host IPs in a non-standard form, read from the internal lists the v1 conversion makes.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { asObj, objList, str } from '../../apimachinery/json-fields.js';
import { ipWarnings } from '../../apimachinery/validation/ip-warnings.js';
import { convertedIPs } from './validation-status.js';

function listWarnings(ips: string[], list: string): string[] {
  const warnings: string[] = [];
  for (let i = 0; i < ips.length; i++) {
    const found = ipWarnings(`status.${list}[${i}].ip`, ips[i]);
    if (found.length) warnings.push(...found);
  }
  return warnings;
}

export function podStatusWarnings(pod: KubeObject): string[] {
  const status = asObj((pod as { status?: unknown }).status) ?? {};
  const podIPs = listWarnings(convertedIPs(str(status.podIP), objList(status.podIPs)), 'podIPs');
  const hostIPs = listWarnings(convertedIPs(str(status.hostIP), objList(status.hostIPs)), 'hostIPs');
  return hostIPs.length ? [...podIPs, ...hostIPs] : podIPs;
}
