/**
 * A downward API resourceFieldRef (validateContainerResourceFieldSelector and
 * validateContainerResourceDivisor), shared by downward API volume files and env vars (1.33 gives
 * both the same resources and hugepages prefixes): the container (volume files only), a supported
 * resource (or a hugepages one), and a divisor the resource understands.
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, notSupported, required } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { str } from '../../apimachinery/json-fields.js';
import { parseQuantity } from '../../apimachinery/quantity.js';
import { quantityString } from '../../apimachinery/quantity-string.js';

/** In the sorted order upstream lists them in the error. */
const RESOURCES = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const HUGEPAGES_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];

const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const BYTE_DIVISORS_TEXT = BYTE_DIVISORS.join(', ');

/** The divisors each resource accepts and what the error says of it; hugepages are matched by prefix. */
function divisorRule(resource: string): { allowed: string[]; detail: string } | undefined {
  switch (resource) {
    case 'limits.cpu':
    case 'requests.cpu':
      return { allowed: ['1m', '1'], detail: "only divisor's values 1m and 1 are supported with the cpu resource" };
    case 'limits.memory':
    case 'requests.memory':
      return { allowed: BYTE_DIVISORS, detail: `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the memory resource` };
    case 'limits.ephemeral-storage':
    case 'requests.ephemeral-storage':
      return {
        allowed: BYTE_DIVISORS,
        detail: `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the local ephemeral storage resource`,
      };
    default:
      return undefined;
  }
}

const isHugePages = (resource: string): boolean => HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p));

/** validateContainerResourceDivisor: an unset (zero) divisor is fine; otherwise its canonical text must be listed. */
function validateDivisor(resource: string, divisor: unknown, fld: FieldPath): FieldError[] {
  if (typeof divisor !== 'string' && typeof divisor !== 'number') return [];
  const q = parseQuantity(String(divisor));
  if (!q || q.mant === 0n) return [];
  const text = quantityString(q);
  const errs: FieldError[] = [];
  const rule = divisorRule(resource);
  if (rule && !rule.allowed.includes(text)) errs.push(invalidValue(fld.child('divisor'), resource, rule.detail));
  if (isHugePages(resource) && !BYTE_DIVISORS.includes(text)) {
    errs.push(
      invalidValue(fld.child('divisor'), resource, `only divisor's values ${BYTE_DIVISORS_TEXT} are supported with the hugepages resource`),
    );
  }
  return errs;
}

/**
 * The selector at `fld`; `volume` for a downward API volume file, which must name its container
 * (an env var's selector may leave it empty).
 */
export function validateResourceFieldSelector(fs: Obj, fld: FieldPath, volume: boolean): FieldError[] {
  const resource = str(fs.resource);
  const errs: FieldError[] = [];
  if (volume && str(fs.containerName) === '') errs.push(required(fld.child('containerName')));
  else if (resource === '') errs.push(required(fld.child('resource')));
  else if (!RESOURCES.includes(resource) && !isHugePages(resource)) errs.push(notSupported(fld.child('resource'), resource, RESOURCES));
  return errs.concat(validateDivisor(resource, fs.divisor, fld));
}
