/**
 * A pod's DNS settings (pkg/apis/core/validation: validatePodDNSConfig, with 1.33's limits). The
 * RelaxedDNSSearchValidation gate is beta and on in 1.33: search paths may hold '_', and "." is
 * accepted as it is. Nameservers are a legacy IP field and StrictIPCIDRValidation is off in 1.33,
 * so they are parsed the lenient way (IPv4 with leading zeros, IPv4-mapped IPv6 accepted).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, str } from '../../apimachinery/json-fields.js';
import { byteLength, goStringSlice, isDns1123SubdomainWithUnderscore } from '../../apimachinery/validation/names.js';
import { validateIPForLegacyField } from '../../apimachinery/validation/ip.js';

/** MaxDNSNameservers, MaxDNSSearchPaths and MaxDNSSearchListChars. */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;

function validateNameservers(nameservers: string[], fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalidValue(fld, goStringSlice(nameservers), `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => errs.push(...validateIPForLegacyField(fld.index(i), ns)));
  return errs;
}

function validateSearches(searches: string[], fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalidValue(fld, goStringSlice(searches), `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  // The spaces between the paths count, as they do in resolv.conf.
  if (byteLength(searches.join(' ')) > MAX_DNS_SEARCH_LIST_CHARS) {
    const detail = `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`;
    errs.push(invalidValue(fld, goStringSlice(searches), detail));
  }
  searches.forEach((search, i) => {
    if (search === '.') return;
    // One trailing dot (an absolute name) is fine; the rest must be a subdomain.
    const name = search.endsWith('.') ? search.slice(0, -1) : search;
    for (const msg of isDns1123SubdomainWithUnderscore(name)) errs.push(invalidValue(fld.index(i), name, msg));
  });
  return errs;
}

/** validatePodDNSConfig: `None` needs nameservers; the lists stay within the resolver's limits. */
export function validatePodDnsConfig(spec: Obj, fld: FieldPath): FieldError[] {
  const config = asObj(spec.dnsConfig);
  if (str(spec.dnsPolicy) === 'None') {
    if (!config) return [required(fld, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(config.nameservers).length === 0) {
      return [required(fld.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!config) return [];
  const errs = [
    ...validateNameservers(list(config.nameservers).map(str), fld.child('nameservers')),
    ...validateSearches(list(config.searches).map(str), fld.child('searches')),
  ];
  objList(config.options).forEach((o, i) => {
    if (str(o.name) === '') errs.push(required(fld.child('options').index(i), 'must not be empty'));
  });
  return errs;
}
