/**
 * The types cel-go's checker gives the optional library's functions (cel.OptionalTypes): what
 * `optional.of(x)`, `o.value()`, `o.orValue(v)`, `list.first()`… return for the types of their
 * target and arguments, and which calls no overload takes (`'a'.hasValue()`,
 * `optional.of('a').orValue(1)`).
 */
import { DYN, type CelSchemaType } from './types.js';
import { OPT_INDEX, OPT_SELECT } from './optional-syntax.js';

const BOOL: CelSchemaType = { kind: 'bool' };
const SCALARS = new Set(['int', 'double', 'string', 'bool', 'bytes', 'timestamp', 'duration']);

export const optionalType = (value: CelSchemaType): CelSchemaType => ({ kind: 'optional', value });

/** The value type of an optional type (dyn for dyn), or undefined for a type that is no optional. */
export function unwrapOptional(t: CelSchemaType): CelSchemaType | undefined {
  return t.kind === 'optional' ? t.value : t.kind === 'dyn' ? DYN : undefined;
}

/** The functions of the optional library, by the name the checker sees (qualified ones in full). */
const GLOBALS = new Set(['optional.of', 'optional.ofNonZeroValue', 'optional.none', 'optional.unwrap', OPT_SELECT, OPT_INDEX]);
const METHODS = new Set(['hasValue', 'value', 'or', 'orValue', 'first', 'last', 'unwrapOpt']);

/** Whether `fn` called so (with or without a target) is one of the optional library's. */
export const isOptionalFunction = (fn: string, member: boolean): boolean => (member ? METHODS.has(fn) : GLOBALS.has(fn));

/** Two types one type parameter may take: equal kinds, or either dyn (of scalars, the only ones told apart here). */
const joins = (a: CelSchemaType, b: CelSchemaType) => a.kind === b.kind || !SCALARS.has(a.kind) || !SCALARS.has(b.kind);

/**
 * The result type of the optional library's function `fn` (not the selection and index, which
 * the checker types as a field selection and index), or null when no overload takes these types.
 */
export function optionalCallType(fn: string, target: CelSchemaType | undefined, args: CelSchemaType[]): CelSchemaType | null {
  const [arg] = args;
  if (!target) {
    if (fn === 'optional.none') return optionalType(DYN);
    if (fn === 'optional.unwrap') return unwrapList(arg);
    return optionalType(arg);
  }
  if (fn === 'first' || fn === 'last') {
    return target.kind === 'list' ? optionalType(target.elem) : target.kind === 'dyn' ? optionalType(DYN) : null;
  }
  if (fn === 'unwrapOpt') return unwrapList(target);
  const value = unwrapOptional(target);
  if (!value) return null;
  switch (fn) {
    case 'hasValue':
      return BOOL;
    case 'value':
      return value;
    case 'orValue':
      if (!joins(value, arg)) return null;
      return value.kind === 'dyn' ? arg : value;
    default: {
      // or
      const other = unwrapOptional(arg);
      if (!other || !joins(value, other)) return null;
      return value.kind === 'dyn' ? arg : target;
    }
  }
}

function unwrapList(t: CelSchemaType): CelSchemaType | null {
  if (t.kind === 'dyn') return { kind: 'list', elem: DYN };
  if (t.kind !== 'list') return null;
  const elem = unwrapOptional(t.elem);
  return elem ? { kind: 'list', elem } : null;
}
