/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them: a path, a type, the
 * bad value printed the way Go's %v / %#v would, and a detail.
 */
import { goNumber } from './go-format.js';
import { goQuote } from './go-quote.js';
import type { StatusCause } from './status.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'InternalError';

/**
 * How a bad value is printed. `go` is a value already rendered (struct forms, `map[string]string{…}`,
 * a pointer's target). A number stands for an int64 when it is a safe integer, a float64 otherwise.
 */
export type BadValue = string | number | boolean | null | undefined | { go: string };

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: BadValue;
  detail?: string;
}

/**
 * A dotted/indexed path builder: `path('spec').child('template').index(0).key('app')`. The text is
 * written when asked for (an error names its field), not for every step of a validation that finds
 * nothing: each path keeps its parent and its own step.
 */
export class FieldPath {
  private text: string | undefined;

  private constructor(
    private readonly parent: FieldPath | undefined,
    /** The step as written after the parent's text: `.name`, `[i]`, `[key]`; the root's whole text. */
    private readonly step: string | number,
    private readonly bracketed: boolean,
  ) {}

  static readonly root = new FieldPath(undefined, '', false);

  child(name: string): FieldPath {
    return new FieldPath(this, name, false);
  }
  index(i: number): FieldPath {
    return new FieldPath(this, i, true);
  }
  key(k: string): FieldPath {
    return new FieldPath(this, k, true);
  }
  toString(): string {
    if (this.text !== undefined) return this.text;
    const parent = this.parent === undefined ? '' : this.parent.toString();
    let text: string;
    if (this.parent === undefined) text = String(this.step);
    else if (this.bracketed) text = `${parent}[${this.step}]`;
    else text = parent ? `${parent}.${this.step}` : String(this.step);
    return (this.text = text);
  }
}

export function path(...segments: string[]): FieldPath {
  let p = FieldPath.root;
  for (const s of segments) p = p.child(s);
  return p;
}

type PathLike = FieldPath | string;

export const required = (field: PathLike, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: String(field), detail });
export const invalidValue = (field: PathLike, badValue: BadValue, detail = ''): FieldError => ({
  type: 'FieldValueInvalid',
  field: String(field),
  badValue,
  detail,
});
/** field.TypeInvalid: printed as an invalid value, reported with its own reason. */
export const typeInvalid = (field: PathLike, badValue: BadValue, detail = ''): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field: String(field),
  badValue,
  detail,
});
export const notSupported = (field: PathLike, badValue: BadValue, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field: String(field),
  badValue,
  detail: supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '',
});
export const forbiddenField = (field: PathLike, detail = ''): FieldError => ({ type: 'FieldValueForbidden', field: String(field), detail });
export const duplicate = (field: PathLike, badValue: BadValue): FieldError => ({
  type: 'FieldValueDuplicate',
  field: String(field),
  badValue,
});
/** field.TooLong as 1.32+ words it (1.31 said `must have at most N bytes`). */
export const tooLong = (field: PathLike, maxLength: number): FieldError => ({
  type: 'FieldValueTooLong',
  field: String(field),
  detail: `may not be more than ${maxLength} bytes`,
});
export const notFoundField = (field: PathLike, badValue: BadValue): FieldError => ({
  type: 'FieldValueNotFound',
  field: String(field),
  badValue,
});
/** field.InternalError: the check itself failed (Go's error text as the detail). */
export const internalError = (field: PathLike, detail: string): FieldError => ({ type: 'InternalError', field: String(field), detail });
export const immutable = (field: PathLike, badValue: BadValue): FieldError => invalidValue(field, badValue, 'field is immutable');

/** Go's %#v of a string map with sorted keys: map[string]string{"a":"b"}; nil prints map[string]string(nil). */
export function goStringMap(m: Record<string, string> | undefined | null): { go: string } {
  if (m == null) return { go: 'map[string]string(nil)' };
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k])}`)
    .join(', ');
  return { go: `map[string]string{${body}}` };
}

/**
 * ErrorBody's rendering of a bad value (1.33): nil (and a nil pointer) becomes the string "null",
 * so it prints quoted; a string prints with %q (Go's quoting, not JSON's); int64, int32, float64,
 * float32 and bool with %v; a type with a String() method through it; anything else with %#v. A
 * non-nil pointer is followed first, so a *T whose String() has a pointer receiver (the generated
 * ones of metav1.LabelSelector, intstr.IntOrString's) prints as %#v of the T: callers give those
 * as `{ go }`.
 */
export function renderValue(v: BadValue): string {
  if (v === null || v === undefined) return goQuote('null');
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return v.go;
}

const PREFIX: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
};

const SHOWS_VALUE = new Set<FieldErrorType>([
  'FieldValueInvalid',
  'FieldValueTypeInvalid',
  'FieldValueNotSupported',
  'FieldValueDuplicate',
  'FieldValueTooMany',
  'FieldValueNotFound',
]);

/** The message of one error without its field, as it appears in a Status cause. */
export function errorBody(e: FieldError): string {
  let s = PREFIX[e.type];
  if (SHOWS_VALUE.has(e.type)) s += `: ${renderValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error's Error(): the field, then the body (`: Forbidden: …` when the field is the root). */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** One error prints alone; several print as [a, b] with duplicates removed (utilerrors.NewAggregate). */
export function aggregateMessage(errors: FieldError[]): string {
  const strings = [...new Set(errors.map(errorString))];
  return strings.length === 1 ? strings[0] : `[${strings.join(', ')}]`;
}

export function causeOf(e: FieldError): StatusCause {
  return { reason: e.type, message: errorBody(e), field: e.field };
}

/** field.TooMany: `Too many: <actual>: must have at most <max> items`. */
export const tooMany = (field: PathLike, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: String(field),
  badValue: actual,
  detail: `must have at most ${max} items`,
});
