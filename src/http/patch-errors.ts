/**
 * The Status objects kube-apiserver answers when a patch cannot be applied: the generic 422 of a
 * failed JSON-patch operation, the `"" is invalid: patch: Invalid value: …` of a patched object
 * that does not decode, and the reason-less 500 of errors upstream never classified.
 */
import { invalid, reasonless, StatusError, StatusReason } from '../apimachinery/status.js';
import { invalidValue } from '../apimachinery/field-errors.js';
import { isPatchError, type PatchError } from '../apimachinery/patch-error.js';
import { badRequest } from '../apimachinery/status.js';

/** NewGenericServerResponse(422, …): the server message is not shown. */
export function unprocessable(): StatusError {
  return new StatusError(422, StatusReason.Invalid, 'the server rejected our request due to an error in our request', {});
}

/** NewInvalid(GroupKind{}, "", [Invalid("patch", value, detail)]). */
export function invalidPatch(value: string, detail: string): StatusError {
  return invalid({ group: '', kind: '' }, '', [invalidValue('patch', value, detail)]);
}

/** A PatchError as the Status upstream's interpretStrategicMergePatchError (and friends) produce. */
export function patchErrorStatus(e: PatchError): StatusError {
  if (e.kind === 'BadRequest') return badRequest(e.message);
  if (e.kind === 'Unprocessable') return unprocessable();
  return reasonless(e.message);
}

/** Runs `fn`, turning PatchErrors into their Status. */
export function withPatchErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isPatchError(e)) throw patchErrorStatus(e);
    throw e;
  }
}
