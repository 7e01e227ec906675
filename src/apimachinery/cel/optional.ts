/**
 * CEL optional values (cel.OptionalTypes) as far as CRD rules use them without the `?.` syntax,
 * which @bufbuild/cel does not parse: `optional.of`, `optional.none`, `hasValue()`, `value()`,
 * `orValue()`. An optional is a map holding its value, if any, under a marker key.
 */
import { CelScalar, celFunc, celMethod, isCelMap, mapType, type CelValue } from '@bufbuild/cel';

const OPTIONAL_KEY = '@optional';
export const MAP: ReturnType<typeof mapType> = mapType(CelScalar.STRING, CelScalar.DYN);

/** An optional value (`oldSelf` of an optionalOldSelf rule): a map holding its value, if any, under a marker key. */
export function optionalOf(v: unknown): Map<string, CelValue> {
  const out = new Map<string, CelValue>([[OPTIONAL_KEY, v !== undefined]]);
  if (v !== undefined) out.set('value', v as CelValue);
  return out;
}

function optional(v: CelValue): { has: boolean; value: CelValue | undefined } {
  const has = isCelMap(v) ? v.get(OPTIONAL_KEY) : undefined;
  if (typeof has !== 'boolean') throw new Error('no such overload');
  return { has, value: (v as unknown as Map<string, CelValue>).get('value') };
}

export const OPTIONALS = [
  celFunc('optional.of', [CelScalar.DYN], MAP, (v) => optionalOf(v)),
  celFunc('optional.none', [], MAP, () => optionalOf(undefined)),
  celMethod('hasValue', MAP, [], CelScalar.BOOL, function () {
    return optional(this).has;
  }),
  celMethod('value', MAP, [], CelScalar.DYN, function () {
    const o = optional(this);
    if (!o.has) throw new Error('optional.none() dereference');
    return o.value!;
  }),
  celMethod('orValue', MAP, [CelScalar.DYN], CelScalar.DYN, function (fallback) {
    const o = optional(this);
    return o.has ? o.value! : fallback;
  }),
];
