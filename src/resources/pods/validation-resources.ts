/**
 * Container resource requirements (pkg/apis/core/validation: ValidateContainerResourceRequirements
 * → validateResourceRequirements, validateContainerResourceName, validateResourceName,
 * ValidateResourceQuantityValue, ValidateNonnegativeQuantity, validateResourceQuantityHugePageValue)
 * and the pkg/apis/core/helper predicates they use. Quantities are printed the way
 * resource.Quantity's String() prints them (canonical form, quantity-string.ts).
 */
import type { BadValue, FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { forbiddenField, invalidValue, required } from '../../apimachinery/field-errors.js';
import { isQualifiedName } from '../../apimachinery/validation/names.js';
import { compareQuantities, isWholeQuantity, parseQuantity, quantityValue, type Quantity } from '../../apimachinery/quantity.js';
import { quantityString } from '../../apimachinery/quantity-string.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj } from '../../apimachinery/json-fields.js';
import { goQuote } from '../../apimachinery/go-quote.js';

const HUGEPAGES_PREFIX = 'hugepages-';
const REQUESTS_PREFIX = 'requests.';
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

const isHugePages = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX);
const isQuotaHugePages = (name: string): boolean => isHugePages(name) || name.startsWith(`${REQUESTS_PREFIX}${HUGEPAGES_PREFIX}`);
/** helper.IsNativeResource: unprefixed, or in a *kubernetes.io/ namespace. */
const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
/** helper.IsExtendedResourceName. */
function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return isQualifiedName(`${REQUESTS_PREFIX}${name}`).length === 0;
}
const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePages(name);
const isIntegerResource = (name: string): boolean => INTEGER_RESOURCES.has(name) || isExtendedResource(name);

/**
 * A resource name as a field error shows it: upstream passes a core.ResourceName, whose String()
 * method makes field.Error print it as it is, unquoted (`Invalid value: bogus: …`).
 */
export const resourceNameValue = (name: string): BadValue => ({ go: name });

/** validateResourceName: a qualified name; unprefixed names must be standard. */
function validateResourceName(name: string, fld: FieldPath): FieldError[] {
  const shown = resourceNameValue(name);
  const errs = isQualifiedName(name).map((msg) => invalidValue(fld, shown, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePages(name)) {
    errs.push(invalidValue(fld, shown, 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

/** validateContainerResourceName. */
export function validateContainerResourceName(name: string, fld: FieldPath): FieldError[] {
  const errs = validateResourceName(name, fld);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalidValue(fld, resourceNameValue(name), 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalidValue(fld, resourceNameValue(name), "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** A quantity as written in JSON (a string or a number); undefined when it does not parse. */
function readQuantity(value: unknown): Quantity | undefined {
  if (typeof value === 'number') return parseQuantity(String(value));
  if (typeof value === 'string') return parseQuantity(value.trim());
  return undefined;
}

/**
 * How Go's %#v prints a decoded resource.Quantity (the value field.Invalid gets for "must be an
 * integer"): its int64 fast-path form for plain decimal numbers, else (approximation) the canonical string.
 */
function goQuantityValue(q: Quantity): { go: string } | string {
  const m = /^([+-]?)0*(\d*)(?:\.(\d*))?([munkMGTPE]?)$/.exec(q.text.trim());
  if (!m) return quantityString(q);
  const exps: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  const denom = m[3] ?? '';
  const scale = exps[m[4]] - denom.length;
  const shifted = `${m[2]}${denom}`;
  if (scale < -9 || shifted.length > 18) return quantityString(q);
  const value = BigInt(shifted || '0') * (m[1] === '-' ? -1n : 1n);
  const canonical = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  const s = canonical ? q.text.trim() : '';
  return {
    go: `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${goQuote(s)}, Format:"DecimalSI"}`,
  };
}

/** ValidateResourceQuantityValue: not negative; whole numbers for integer resources. */
function validateQuantityValue(name: string, q: Quantity, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.mant < 0n) errs.push(invalidValue(fld, quantityString(q), 'must be greater than or equal to 0'));
  if (isIntegerResource(name) && !isWholeQuantity(q)) errs.push(invalidValue(fld, goQuantityValue(q), 'must be an integer'));
  return errs;
}

/** ValidateResourceQuantityValue for a quantity as written in JSON; one that does not parse is the decoder's to refuse. */
export function validateResourceQuantityValue(name: string, value: unknown, fld: FieldPath): FieldError[] {
  const q = readQuantity(value);
  return q ? validateQuantityValue(name, q, fld) : [];
}

/** validateResourceQuantityHugePageValue: a positive whole multiple of the page size. */
function validateHugePageValue(name: string, q: Quantity, fld: FieldPath): FieldError[] {
  const pageSize = parseQuantity(name.slice(HUGEPAGES_PREFIX.length));
  let divisible = false;
  const size = pageSize && pageSize.mant > 0n && isWholeQuantity(pageSize) ? quantityValue(pageSize) : undefined;
  if (size !== undefined) {
    // Quantity.Value() rounds up to a whole number.
    const value = quantityValue(q);
    divisible = value !== undefined && value % size === 0n;
  }
  return divisible ? [] : [invalidValue(fld, quantityString(q), `${quantityString(q)} is not positive integer multiple of ${name}`)];
}

const QOS_COMPUTE = new Set(['cpu', 'memory']);

/** What kinds of resource a container's limits or requests name (HugePages need cpu or memory beside them). */
interface ResourceKinds {
  compute: boolean;
  hugePages: boolean;
}

/** The checks a limit and a request start with: the resource's name, then its value. The value, when it reads as a quantity. */
function validateEntry(name: string, raw: unknown, at: FieldPath, errs: FieldError[]): Quantity | undefined {
  errs.push(...validateContainerResourceName(name, at));
  const q = readQuantity(raw);
  if (q) errs.push(...validateQuantityValue(name, q, at));
  return q;
}

/** The checks a limit and a request end with: a huge page's size; and which kinds are set. */
function validateKind(name: string, q: Quantity, at: FieldPath, kinds: ResourceKinds, errs: FieldError[]): void {
  if (isHugePages(name)) {
    kinds.hugePages = true;
    errs.push(...validateHugePageValue(name, q, at));
  }
  if (QOS_COMPUTE.has(name)) kinds.compute = true;
}

/** validateResourceRequirements with validateContainerResourceName (claims are not checked). */
export function validateContainerResources(resources: unknown, fld: FieldPath): FieldError[] {
  const r = asObj(resources);
  if (!r) return [];
  const limits: Obj = asObj(r.limits) ?? {};
  const requests: Obj = asObj(r.requests) ?? {};
  const limPath = fld.child('limits');
  const reqPath = fld.child('requests');
  const errs: FieldError[] = [];
  const kinds: ResourceKinds = { compute: false, hugePages: false };
  for (const [name, raw] of Object.entries(limits)) {
    const at = limPath.key(name);
    const q = validateEntry(name, raw, at, errs);
    if (q) validateKind(name, q, at, kinds, errs);
  }
  for (const [name, raw] of Object.entries(requests)) {
    const at = reqPath.key(name);
    const q = validateEntry(name, raw, at, errs);
    if (!q) continue;
    const limit = name in limits ? readQuantity(limits[name]) : undefined;
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalidValue(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(limit)}`));
      } else if (cmp > 0) {
        errs.push(invalidValue(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(limit)}`));
      }
    } else if (!(name in limits) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    validateKind(name, q, at, kinds, errs);
  }
  if (!kinds.compute && kinds.hugePages) errs.push(forbiddenField(fld, 'HugePages require cpu or memory'));
  return errs;
}
