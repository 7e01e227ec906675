/**
 * Failures of the patch engines, tagged with how kube-apiserver reports them: the mergepatch
 * sentinel errors it maps to 400 or to a generic 422, and the plain errors that reach the client
 * as a 500 without a reason (ErrorToAPIStatus's default branch). The HTTP layer renders them.
 */
import { goTypeName, goValue } from './go-format.js';

/** BadRequest → 400; Unprocessable → the generic 422; Internal → 500 without a reason. */
export type PatchErrorKind = 'BadRequest' | 'Unprocessable' | 'Internal';

export class PatchError extends Error {
  constructor(
    readonly kind: PatchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

export const isPatchError = (e: unknown): e is PatchError => e instanceof PatchError;

// The mergepatch sentinels, with the texts and the classes interpretStrategicMergePatchError gives them.
export const errNoListOfLists = () => new PatchError('Unprocessable', 'lists of lists are not supported');
export const errBadPatchFormatForPrimitiveList = () => new PatchError('BadRequest', 'invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = () => new PatchError('BadRequest', 'invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = () => new PatchError('BadRequest', 'invalid patch format of setElementOrder list');
export const errPatchContentNotMatchRetainKeys = () => new PatchError('Unprocessable', "patch content doesn't match retainKeys list");

export const errNoMergeKey = (m: unknown, key: string) =>
  new PatchError('Internal', `map: ${goValue(m)} does not contain declared merge key: ${key}`);

/** `expected a map[string]interface {}, but received a string`; `expected` names the Go type wanted. */
export const errBadArgType = (expected: string, actual: unknown) =>
  new PatchError('Internal', `expected a ${expected}, but received a ${goTypeName(actual)}`);

export const errBadPatchType = (directive: unknown, m: unknown) =>
  new PatchError(
    'Internal',
    `unknown patch type: ${typeof directive === 'string' ? directive : goBadString(directive)} in map: ${goValue(m)}`,
  );

export const errUnknownField = (struct: string, field: string) =>
  new PatchError('Internal', `unable to find api field in struct ${struct} for the json field ${JSON.stringify(field)}`);

export const internal = (message: string) => new PatchError('Internal', message);

/** How Go's %s prints a value that is not a string: `%!s(int64=1)`, `%!s(bool=true)`, `%!s(<nil>)`. */
function goBadString(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'object') return goValue(v);
  return `%!s(${goTypeName(v)}=${goValue(v)})`;
}

export const MAP_TYPE = 'map[string]interface {}';
export const SLICE_TYPE = '[]interface {}';
