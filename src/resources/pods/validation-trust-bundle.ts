/**
 * A projected volume's clusterTrustBundle source (the clusterTrustBundle part of
 * validateProjectionSources). 1.33 drops these sources before validation unless the stored object
 * already had one (disabled-fields.ts), so only such updates get here.
 */
import type { BadValue, FieldError, FieldPath } from '../../apimachinery/field-errors.js';
import { invalidValue, required } from '../../apimachinery/field-errors.js';
import { goLabelSelectorValue } from '../../apimachinery/go-label-selector.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, str } from '../../apimachinery/json-fields.js';
import { validateLabelSelector } from '../../apimachinery/validation/object-meta.js';
import { goQuote } from '../../apimachinery/go-quote.js';
import { clusterTrustBundleNameProblems, validateSignerName } from './signer-name.js';
import { validateLocalNonReservedPath } from './validation-volume-paths.js';

/** Go prints a set pointer inside %#v as its address; these stand in for the addresses. */
const ADDRESSES = ['0xc000b2e0a0', '0xc000b2e0b0', '0xc000b2e0c0', '0xc000b2e0d0'];

const goPointer = (type: string, set: boolean, slot: number): string => `(*${type})(${set ? ADDRESSES[slot] : 'nil'})`;

/** Go's %#v of the internal ClusterTrustBundleProjection. */
function goBundle(bundle: Obj): BadValue {
  const fields = [
    `Name:${goPointer('string', bundle.name != null, 0)}`,
    `SignerName:${goPointer('string', bundle.signerName != null, 1)}`,
    `LabelSelector:${goPointer('v1.LabelSelector', bundle.labelSelector != null, 2)}`,
    `Optional:${goPointer('bool', bundle.optional != null, 3)}`,
    `Path:${goQuote(str(bundle.path))}`,
  ];
  return { go: `core.ClusterTrustBundleProjection{${fields.join(', ')}}` };
}

/** How the bundle is picked: by name, or by signer name and label selector; never both, never neither. */
function validatePick(bundle: Obj, at: FieldPath): FieldError[] {
  const byName = bundle.name != null;
  const bySigner = bundle.signerName != null;
  if (byName && bySigner) return [invalidValue(at, goBundle(bundle), 'only one of name and signerName may be used')];
  if (!byName && !bySigner) return [required(at, 'either name or signerName must be specified')];
  const errs: FieldError[] = [];
  const selector = asObj(bundle.labelSelector);
  if (byName) {
    const name = str(bundle.name);
    if (name === '') errs.push(required(at.child('name'), 'must be a valid object name'));
    for (const msg of clusterTrustBundleNameProblems(name)) {
      errs.push(invalidValue(at.child('name'), name, `not a valid clustertrustbundlename: ${msg}`));
    }
    if (selector)
      errs.push(
        invalidValue(at.child('labelSelector'), goLabelSelectorValue(selector), 'labelSelector must be unset if name is specified'),
      );
    return errs;
  }
  const signerName = str(bundle.signerName);
  if (signerName === '') errs.push(required(at.child('signerName'), 'must be a valid signer name'));
  errs.push(...validateSignerName(at.child('signerName'), signerName));
  return errs.concat(validateLabelSelector(selector, at.child('labelSelector')));
}

/**
 * The source at `at` of the projected volume at `fld`; `paths` holds the paths earlier sources
 * claimed. Unlike the other sources a bundle claims its path even when it is empty.
 */
export function validateTrustBundleSource(bundle: Obj, at: FieldPath, fld: FieldPath, paths: Set<string>): FieldError[] {
  const errs = validatePick(bundle, at);
  const p = str(bundle.path);
  if (p === '') errs.push(required(at.child('path')));
  errs.push(...validateLocalNonReservedPath(p, at.child('path')));
  if (paths.has(p)) errs.push(invalidValue(fld, p, 'conflicting duplicate paths'));
  else paths.add(p);
  return errs;
}
