/** Go's strconv.ParseInt(s, 10, 64), the way kube-apiserver reads an integer query parameter or annotation. */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type GoInt64 = { value: bigint; error?: undefined } | { value?: undefined; error: string };

/** The int64 in `raw` (an optional sign, decimal digits), or strconv's error text. */
export function goParseInt64(raw: string): GoInt64 {
  if (!/^[+-]?[0-9]+$/.test(raw)) return { error: `strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax` };
  const value = BigInt(raw);
  if (value < INT64_MIN || value > INT64_MAX) return { error: `strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range` };
  return { value };
}
