/**
 * ValidateServiceCIDR, ValidateServiceCIDRUpdate and ValidateServiceCIDRStatusUpdate
 * (pkg/apis/networking/validation): one or two CIDRs, two only of different IP families, each a
 * subnet in its canonical form (IsValidCIDR); the CIDRs never change, but for a single-stack range
 * turned dual-stack by a second CIDR of the other family. The metadata is checked by the store
 * (the core ObjectMeta rules, a DNS subdomain name); a /status write has no rules of its own.
 */
import { immutable, invalidValue, path, required, type FieldError } from '../../apimachinery/field-errors.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { dualStackCIDRs, validateCIDR } from '../../apimachinery/validation/ip.js';
import { goStringSlice } from '../../apimachinery/validation/names.js';
import type { ServiceCIDR } from './schema.js';

const CIDRS = path('spec', 'cidrs');

/** %#v of the internal ServiceCIDRSpec, as field.Invalid prints the spec. */
const goSpec = (cidrs: readonly string[]) => ({ go: `networking.ServiceCIDRSpec{CIDRs:[]string{${cidrs.map(goQuote).join(', ')}}}` });

/** The rules of the spec a create, and an update that adds a second family, must pass. */
function validateSpec(cidrs: readonly string[]): FieldError[] {
  if (cidrs.length === 0) return [required(CIDRS, 'at least one CIDR required')];
  if (cidrs.length > 2) return [invalidValue(CIDRS, goSpec(cidrs), 'may only hold up to 2 values')];
  if (cidrs.length === 2 && !dualStackCIDRs(cidrs).dual) {
    return [invalidValue(CIDRS, goSpec(cidrs), 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64')];
  }
  return cidrs.flatMap((cidr, i) => validateCIDR(CIDRS.index(i), cidr));
}

export function validateServiceCIDR(sc: ServiceCIDR): FieldError[] {
  return validateSpec(sc.spec?.cidrs ?? []);
}

/**
 * The CIDRs stay as they were, entry by entry; the one change allowed is single-stack to dual-stack
 * (the first CIDR kept, the spec then valid as a create's). Anything else changes them as a whole.
 */
export function validateServiceCIDRUpdate(sc: ServiceCIDR, old: ServiceCIDR): FieldError[] {
  const cidrs = sc.spec?.cidrs ?? [];
  const before = old.spec?.cidrs ?? [];
  if (cidrs.length === before.length) {
    return before.flatMap((cidr, i) => (cidr === cidrs[i] ? [] : [immutable(CIDRS.index(i), cidrs[i])]));
  }
  if (before.length === 1 && cidrs.length === 2) {
    const errs: FieldError[] = cidrs[0] === before[0] ? [] : [immutable(CIDRS.index(0), cidrs[0])];
    return [...errs, ...validateSpec(cidrs)];
  }
  return [immutable(CIDRS, goStringSlice(sc.spec?.cidrs))];
}
