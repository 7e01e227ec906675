/**
 * Signer names and ClusterTrustBundle names, as a clusterTrustBundle projection checks them
 * (pkg/apis/certificates/validation: ValidateSignerName, ValidateClusterTrustBundleName and the
 * signer name a bundle name implies).
 */
import type { FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, required, tooLong } from '../../apimachinery/field-errors.js';
import { byteLength, isDns1123Label, isDns1123Subdomain } from '../../apimachinery/validation/names.js';
import { goQuote } from '../../apimachinery/go-quote.js';

const SUBDOMAIN_MAX = 253;
const LABEL_MAX = 63;
/** A domain, a '/', then a DNS label and a subdomain joined by '.' (namespace.name). */
const SIGNER_NAME_MAX = SUBDOMAIN_MAX + (SUBDOMAIN_MAX + LABEL_MAX + 1) + 1;

/** The first element of `parts` that `check` refuses, with its messages, or undefined. */
function firstBad(parts: string[], check: (s: string) => string[]): { part: string; msgs: string[] } | undefined {
  for (const part of parts) {
    const msgs = check(part);
    if (msgs.length > 0) return { part, msgs };
  }
  return undefined;
}

/** ValidateSignerName: `example.com/signer-name`, each side checked label by label, at most 571 bytes. */
export function validateSignerName(fld: FieldPath, signerName: string): FieldError[] {
  if (signerName === '') return [required(fld)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [invalidValue(fld, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain = '', rest = ''] = segments;
  const errs: FieldError[] = [];
  if (byteLength(domain) > SUBDOMAIN_MAX) errs.push(tooLong(fld, SUBDOMAIN_MAX));
  const domainLabels = domain.split('.');
  const badDomain = firstBad(domainLabels, isDns1123Label);
  for (const msg of badDomain?.msgs ?? [])
    errs.push(invalidValue(fld, domain, `validating label ${goQuote(badDomain?.part ?? '')}: ${msg}`));
  if (domainLabels.length < 2) errs.push(invalidValue(fld, domain, 'should be a domain with at least two segments separated by dots'));
  const badPath = firstBad(rest.split('.'), isDns1123Subdomain);
  for (const msg of badPath?.msgs ?? []) errs.push(invalidValue(fld, rest, `validating label ${goQuote(badPath?.part ?? '')}: ${msg}`));
  if (byteLength(signerName) > SIGNER_NAME_MAX) errs.push(tooLong(fld, SIGNER_NAME_MAX));
  return errs;
}

/**
 * The problems of a bundle name picked by a projection: a name with a ':' belongs to the signer
 * before its last ':' (':' standing for '/'), must start with that signer's prefix and be a
 * subdomain after it; a name without one is a plain subdomain.
 */
export function clusterTrustBundleNameProblems(name: string): string[] {
  const split = name.lastIndexOf(':');
  const signerName = split === -1 ? '' : name.slice(0, split).replaceAll(':', '/');
  if (signerName === '') {
    if (name.includes(':')) return ['ClusterTrustBundle without signer name must not have ":" in its name'];
    return isDns1123Subdomain(name);
  }
  const prefix = `${signerName.replaceAll('/', ':')}:`;
  if (!name.startsWith(prefix)) return [`ClusterTrustBundle for signerName ${signerName} must be named with prefix ${prefix}`];
  return isDns1123Subdomain(name.slice(prefix.length));
}
