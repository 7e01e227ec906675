/**
 * IsDomainPrefixedPath (k8s.io/apimachinery/pkg/util/validation): `<DNS subdomain>/<HTTP path>`, as
 * IngressClass controllers are named. Its errors report the part found wrong, not the whole text.
 */
import { invalidValue, required, type FieldError, type FieldPath } from '../field-errors.js';
import { HTTP_PATH_FMT, isDns1123Subdomain, isHttpPath, regexError } from './names.js';

export function validateDomainPrefixedPath(fld: FieldPath, value: string): FieldError[] {
  if (value.length === 0) return [required(fld)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [invalidValue(fld, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDns1123Subdomain(host).map((msg) => invalidValue(fld, host, msg));
  if (!isHttpPath(rest)) errs.push(invalidValue(fld, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}
